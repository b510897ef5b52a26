// @ts-check
// The administrator's list of people (#/admin/people): search, add, edit, and from a
// person's dialog reset the password, sign them out everywhere, deactivate or reactivate;
// import a CSV list (people-import.js).

import { ApiError } from "./api.js";
import { confirmDialog } from "./confirm-dialog.js";
import { h, replaceChildren, setText } from "./dom.js";
import { compareNames, errorText, t, tn } from "./i18n.js";
import { notify } from "./notices.js";
import { peopleApi } from "./people-api.js";
import { passwordDialog, personDialog } from "./people-dialogs.js";
import { importDialog } from "./people-import.js";

/** Lower case without diacritics (đ → d), so "nguyen" finds "Nguyễn". */
export function folded(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .toLowerCase();
}

export function matches(person, query) {
  const words = folded(query).split(/\s+/).filter(Boolean);
  const haystack = folded(
    [person.display_name, person.username, person.title, person.unit].join(" "),
  );
  return words.every((w) => haystack.includes(w));
}

export function createPeopleView(context) {
  const title = h("h1", { class: "page-title" });
  const add = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "person-add" },
    onclick: () => addPerson(),
  });
  const importButton = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid: "people-import" },
    onclick: () => importPeople(),
  });
  const search = h("input", {
    type: "search",
    class: "input people-search",
    id: "people-search",
    autocomplete: "off",
    dataset: { testid: "people-search" },
    oninput: () => renderList(),
  });
  const searchLabel = h("label", { class: "visually-hidden", for: "people-search" });
  const count = h("p", { class: "people-count", role: "status" });
  const tbody = h("tbody", { dataset: { testid: "people-list" } });
  const headCells = ["name", "title", "unit", "status", "actions"].map((key) =>
    h("th", { scope: "col", class: `col-${key}` }),
  );
  const table = h(
    "table",
    { class: "data-table people-table" },
    h("thead", {}, h("tr", {}, headCells)),
    tbody,
  );
  const el = h(
    "section",
    { class: "page page-people" },
    h("div", { class: "page-head" }, title, h("div", { class: "page-actions" }, importButton, add)),
    h("div", { class: "people-tools" }, searchLabel, search, count),
    h("div", { class: "table-scroll" }, table),
  );

  let people = null; // null while loading
  let alive = true;

  function row(person) {
    const status = h(
      "span",
      { class: `chip ${person.is_active ? "chip-ok" : "chip-off"}` },
      person.is_active ? t("people.active") : t("people.inactive"),
    );
    return h(
      "tr",
      {
        class: person.is_active ? "" : "row-inactive",
        dataset: { testid: "person-row", username: person.username },
      },
      h(
        "td",
        { class: "col-name" },
        h("span", { class: "person-name" }, person.display_name),
        h("span", { class: "person-username mono" }, person.username),
        person.is_admin ? h("span", { class: "chip chip-admin" }, t("people.admin")) : null,
      ),
      h("td", { class: "col-title" }, person.title),
      h("td", { class: "col-unit" }, person.unit),
      h("td", { class: "col-status", dataset: { testid: "person-status" } }, status),
      h(
        "td",
        { class: "col-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-small",
            "aria-label": t("people.editOf", { name: person.display_name }),
            dataset: { testid: "person-edit" },
            onclick: () => editPerson(person),
          },
          t("people.edit"),
        ),
      ),
    );
  }

  function renderList() {
    if (people === null) {
      setText(count, t("people.loading"));
      tbody.replaceChildren();
      return;
    }
    const shown = people.filter((p) => matches(p, search.value));
    setText(count, shown.length ? tn("people.count", shown.length) : t("people.empty"));
    replaceChildren(tbody, shown.map(row));
  }

  function render() {
    setText(title, t("people.title"));
    setText(add, t("people.add"));
    setText(importButton, t("people.import"));
    search.placeholder = t("people.search");
    setText(searchLabel, t("people.search"));
    const labels = ["name", "title", "unit", "status", "actions"];
    headCells.forEach((cell, i) => setText(cell, t(`people.col.${labels[i]}`)));
    renderList();
  }

  async function load() {
    try {
      const answer = await peopleApi.list();
      if (!alive) return;
      people = answer.users.sort((a, b) => compareNames(a.display_name, b.display_name));
      renderList();
    } catch (error) {
      if (alive) context.apiFailed(error);
    }
  }

  function failed(error) {
    if (error instanceof ApiError && error.code === "unauthenticated") context.apiFailed(error);
    else {
      const code = error instanceof ApiError ? error.code : "internal";
      notify(error.message ? `${errorText(code)} (${error.message})` : errorText(code), "error");
    }
  }

  async function addPerson() {
    const saved = await personDialog({ selfId: context.user?.id });
    if (!saved) return;
    await load();
    if (saved.password) {
      await passwordDialog({
        name: saved.user.display_name,
        username: saved.user.username,
        password: saved.password,
      });
    }
  }

  async function account(kind, person) {
    const name = person.display_name;
    const questions = {
      reset: ["people.confirmReset", t("people.resetPassword"), false],
      end: ["people.confirmEnd", t("people.endSessions"), false],
      active: [
        "people.confirmDeactivate",
        person.is_active ? t("people.deactivate") : t("people.reactivate"),
        true,
      ],
    };
    const [key, confirm, danger] = questions[kind];
    if (kind !== "active" || person.is_active) {
      const yes = await confirmDialog({
        title: t(`${key}.title`, { name }),
        body: t(`${key}.body`, { name }),
        confirm,
        cancel: t("people.cancel"),
        danger,
      });
      if (!yes) return null;
    }
    try {
      if (kind === "reset") {
        const answer = await peopleApi.resetPassword(person.id);
        await passwordDialog({ name, username: person.username, password: answer.password });
        return person;
      }
      if (kind === "end") {
        const answer = await peopleApi.endSessions(person.id);
        notify(tn("people.ended", answer.ended));
        return person;
      }
      await peopleApi.setActive(person.id, !person.is_active);
      notify(t(person.is_active ? "people.deactivated" : "people.reactivated", { name }));
      const after = { ...person, is_active: !person.is_active };
      people = people.map((p) => (p.id === person.id ? after : p));
      renderList();
      return after;
    } catch (error) {
      failed(error);
      return null;
    }
  }

  async function editPerson(person) {
    const saved = await personDialog({ person, selfId: context.user?.id, onAction: account });
    if (saved) {
      if (!saved.accountOnly) {
        notify(t("people.saved", { name: saved.user.display_name }));
      }
      await load();
    }
  }

  async function importPeople() {
    const imported = await importDialog();
    if (imported > 0) await load();
  }

  load();
  return {
    el,
    render,
    destroy() {
      alive = false;
    },
  };
}
