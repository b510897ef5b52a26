// @ts-check
// The chair's (or clerk's) way to put the meeting on the room's big screen: a button that
// opens a dialog to issue a display link (shown once: open it or copy it now) and to revoke
// every link of the meeting (their displays are disconnected at once). The button shows
// itself only to whom the server lets list the links (chair and clerk).

import { ApiError } from "./api.js";
import { h, setText } from "./dom.js";
import { errorText, onLangChange, t, tn } from "./i18n.js";
import { notify } from "./notices.js";

const HOURS_DEFAULT = 12;
const HOURS_MAX = 24;

/** @param {string} method @param {string} path @param {unknown} [body] */
async function call(method, path, body) {
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", "");
  }
  const payload = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, payload?.error?.code ?? "internal", "");
  return payload;
}

export function createDisplayLinkButton(meetingId) {
  const path = `/api/meetings/${encodeURIComponent(meetingId)}/display-links`;
  const el = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary",
      hidden: true,
      dataset: { testid: "display-link-open" },
      onclick: () => openDialog(),
    },
    t("displayLink.open"),
  );
  // The label follows the language; the listener goes with the room (no hook in room-view).
  const unsubscribe = onLangChange(() => {
    if (el.isConnected) setText(el, t("displayLink.open"));
    else unsubscribe();
  });
  // Only the chair and the clerk may list the links: the answer says whether to show it.
  call("GET", path).then(
    () => {
      el.hidden = false;
    },
    () => {},
  );

  function openDialog() {
    const status = h("p", { class: "dialog-body", dataset: { testid: "display-link-status" } });
    const hoursId = `display-hours-${meetingId}`;
    const hours = h("input", {
      id: hoursId,
      type: "number",
      min: "1",
      max: String(HOURS_MAX),
      value: String(HOURS_DEFAULT),
      class: "input",
      dataset: { testid: "display-link-hours" },
    });
    const result = h("div", { class: "display-link-result", hidden: true });
    const issue = h(
      "button",
      { type: "button", class: "btn btn-primary", dataset: { testid: "display-link-issue" } },
      t("displayLink.issue"),
    );
    const revoke = h(
      "button",
      { type: "button", class: "btn btn-danger", dataset: { testid: "display-link-revoke" } },
      t("displayLink.revoke"),
    );
    const close = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "display-link-close" } },
      t("displayLink.close"),
    );
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "display-link-title" },
      h("h2", { class: "dialog-title", id: "display-link-title" }, t("displayLink.title")),
      h("p", { class: "dialog-body" }, t("displayLink.intro")),
      status,
      h(
        "p",
        { class: "field" },
        h("label", { for: hoursId, class: "label" }, t("displayLink.hours")),
        hours,
      ),
      result,
      h("div", { class: "dialog-actions" }, revoke, close, issue),
    );

    async function refresh() {
      try {
        const { links } = await call("GET", path);
        setText(
          status,
          links.length ? tn("displayLink.active", links.length) : t("displayLink.none"),
        );
      } catch (error) {
        setText(status, errorText(error.code));
      }
    }

    issue.addEventListener("click", async () => {
      issue.disabled = true;
      try {
        const value = Number(hours.value);
        const answer = await call("POST", path, { hours: value });
        showLink(`${window.location.origin}${answer.path}`);
        await refresh();
      } catch (error) {
        notify(errorText(error instanceof ApiError ? error.code : "internal"), "error");
      } finally {
        issue.disabled = false;
      }
    });

    revoke.addEventListener("click", async () => {
      revoke.disabled = true;
      try {
        const { revoked } = await call("DELETE", path);
        notify(tn("displayLink.revoked", revoked), "info");
        result.hidden = true;
        result.replaceChildren();
        await refresh();
      } catch (error) {
        notify(errorText(error instanceof ApiError ? error.code : "internal"), "error");
      } finally {
        revoke.disabled = false;
      }
    });

    function showLink(url) {
      const urlId = `display-url-${meetingId}`;
      const field = h("input", {
        id: urlId,
        class: "input",
        readonly: true,
        value: url,
        dataset: { testid: "display-link-url" },
      });
      const copy = h(
        "button",
        { type: "button", class: "btn btn-secondary" },
        t("displayLink.copy"),
      );
      copy.addEventListener("click", async () => {
        field.select();
        try {
          await navigator.clipboard.writeText(url);
          notify(t("displayLink.copied"), "info");
        } catch {
          // No clipboard (an insecure context): the text stays selected to copy by hand.
        }
      });
      result.replaceChildren(
        h("p", { class: "dialog-body" }, t("displayLink.shownOnce")),
        h("label", { for: urlId, class: "label" }, t("displayLink.url")),
        field,
        h(
          "p",
          { class: "dialog-actions" },
          copy,
          h(
            "a",
            {
              class: "btn btn-secondary",
              href: url,
              target: "_blank",
              rel: "noopener noreferrer",
              dataset: { testid: "display-link-tab" },
            },
            t("displayLink.openTab"),
          ),
        ),
      );
      result.hidden = false;
    }

    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
    refresh();
  }

  return { el };
}
