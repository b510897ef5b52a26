// @ts-check
// The app bar: product name, the signed-in person, the language switch and sign-out.

import { h, setText } from "./dom.js";
import { LANGUAGES, lang, setLang, t } from "./i18n.js";
import { committeesApi } from "./committees-api.js";
import { COMMITTEES_ROUTE, DEFAULT_ROUTE, MEETINGS_ADMIN_ROUTE, PEOPLE_ROUTE } from "./router.js";

export function createHeader({ onSignOut }) {
  const name = h("span", { class: "brand-name" });
  const tagline = h("span", { class: "brand-tagline" });
  const brand = h(
    "div",
    { class: "brand" },
    h("img", { class: "brand-icon", src: "/static/img/icon.svg", alt: "" }),
    h("div", { class: "brand-text" }, name, tagline),
  );

  // Administrators: the meetings and the back office (hidden for everyone else); a
  // committee's clerk: the meetings and the committees (their minutes profiles).
  const navLinks = [
    [DEFAULT_ROUTE, "admin.meetings", "nav-meetings", true],
    [MEETINGS_ADMIN_ROUTE, "admin.planning", "nav-meetings-admin", true],
    [PEOPLE_ROUTE, "admin.people", "nav-people", false],
    [COMMITTEES_ROUTE, "admin.committees", "nav-committees", true],
  ].map(([href, key, testid, clerks]) =>
    h("a", { class: "header-link", href, dataset: { key, testid, clerks: String(clerks) } }),
  );
  const nav = h("nav", { class: "header-nav", hidden: true }, navLinks);
  window.addEventListener("hashchange", () => render());

  const user = h("span", { class: "header-user", dataset: { testid: "current-user" } });
  const langButtons = LANGUAGES.map((code) =>
    h("button", {
      type: "button",
      class: "lang-button",
      lang: code,
      dataset: { lang: code },
      onclick: () => setLang(code),
    }),
  );
  const langSwitch = h("div", { class: "lang-switch", role: "group" }, langButtons);
  const signOut = h("button", {
    type: "button",
    class: "btn btn-quiet header-signout",
    dataset: { testid: "sign-out" },
    onclick: () => onSignOut(),
  });
  const el = h(
    "div",
    { class: "app-header-inner" },
    brand,
    nav,
    h("div", { class: "header-tools" }, user, langSwitch, signOut),
  );

  let currentUser = null;
  let clerk = false; // the clerk of a meeting of some committee (GET /api/committees)

  function render() {
    setText(name, t("app.name"));
    setText(tagline, t("app.tagline"));
    langSwitch.setAttribute("aria-label", t("lang.switch"));
    for (const button of langButtons) {
      const code = button.dataset.lang;
      setText(button, t(`lang.${code}`));
      // The spoken name starts with the visible one (WCAG 2.5.3, label in name).
      button.setAttribute("aria-label", `${t(`lang.${code}`)} (${t(`lang.${code}.name`)})`);
      button.setAttribute("title", t(`lang.${code}.name`));
      button.setAttribute("aria-pressed", String(code === lang()));
    }
    const admin = Boolean(currentUser?.is_admin);
    nav.hidden = !admin && !clerk;
    nav.setAttribute("aria-label", t("admin.nav"));
    for (const link of navLinks) {
      link.hidden = !admin && link.dataset.clerks !== "true";
      setText(link, t(link.dataset.key));
      const here = window.location.hash.startsWith(link.getAttribute("href"));
      if (here) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    user.hidden = currentUser === null;
    signOut.hidden = currentUser === null;
    setText(user, currentUser ? currentUser.display_name : "");
    if (currentUser)
      user.setAttribute("title", t("header.signedInAs", { name: currentUser.display_name }));
    setText(signOut, t("header.signOut"));
  }

  function setUser(next) {
    currentUser = next;
    clerk = false;
    render();
    if (next && !next.is_admin) {
      committeesApi
        .list()
        .then((answer) => {
          clerk = currentUser === next && answer.committees.length > 0;
          render();
        })
        .catch(() => {}); // no link then; the page itself says why on a failure
    }
  }

  return { el, render, setUser };
}
