// @ts-check
// The roster editor of the meetings back office: every active person with a role select
// (not attending, chair, clerk, member, guest/observer), a search, and the count per
// role. Exactly one chair is checked here and again by the server (docs/protocol.md,
// "Meetings in the back office").

import { folded } from "./admin-people.js";
import { h, replaceChildren, setText } from "./dom.js";
import { compareNames, t } from "./i18n.js";

export const ROLES = ["chair", "clerk", "member", "observer"];

/** {chairs, clerks, members, observers} of a roster map (user id → role). */
export function roleCounts(roles) {
  const counts = { chairs: 0, clerks: 0, members: 0, observers: 0 };
  for (const role of roles.values()) counts[`${role}s`] += 1;
  return counts;
}

/** The problem of a roster map for the server's rule, or null: exactly one chair. */
export function rosterProblem(roles) {
  const chairs = roleCounts(roles).chairs;
  return chairs === 1 ? null : t("mtgAdmin.invalid.chair", { count: chairs });
}

/**
 * `people`: [{id, display_name, title, unit, is_active}]; `roster`: [{user_id, role}].
 * Returns {el, render, entries(), problem()}; `disabled` makes it read-only.
 */
export function createRosterEditor({ people, roster, disabled = false, onChange = () => {} }) {
  const roles = new Map(roster.map((entry) => [entry.user_id, entry.role]));
  const listed = people
    .filter((p) => roles.has(p.id) || (p.is_active && !disabled))
    .sort((a, b) => compareNames(a.display_name, b.display_name));
  const search = h("input", {
    type: "search",
    class: "input roster-search",
    id: "roster-search",
    autocomplete: "off",
    dataset: { testid: "roster-search" },
    oninput: () => renderRows(),
  });
  const searchLabel = h("label", { class: "visually-hidden", for: "roster-search" });
  const counts = h("p", { class: "roster-counts", role: "status", dataset: { testid: "roster-counts" } });
  // Read-only (disabled selects cannot take focus): the whole list, no scrolling box.
  const list = h("ul", { class: `roster-list${disabled ? " roster-list-readonly" : ""}`, dataset: { testid: "roster-list" } });
  const el = h("div", { class: "roster-editor" }, h("div", { class: "roster-tools" }, searchLabel, search, counts), list);

  function row(person) {
    const select = h(
      "select",
      {
        class: "input roster-role",
        disabled,
        "aria-label": t("rosterEd.role", { name: person.display_name }),
        dataset: { testid: "roster-role", username: person.username ?? "" },
        onchange: () => {
          if (select.value === "none") roles.delete(person.id);
          else roles.set(person.id, select.value);
          item.classList.toggle("on-roster", roles.has(person.id));
          renderCounts();
          onChange();
        },
      },
      ["none", ...ROLES].map((role) =>
        h("option", { value: role, selected: (roles.get(person.id) ?? "none") === role }, t(`rosterEd.role.${role}`)),
      ),
    );
    const detail = [person.title, person.unit].filter(Boolean).join(" · ");
    const item = h(
      "li",
      { class: `roster-row${roles.has(person.id) ? " on-roster" : ""}`, dataset: { testid: "roster-row" } },
      h(
        "span",
        { class: "roster-person" },
        h("span", { class: "roster-name" }, person.display_name),
        detail ? h("span", { class: "roster-detail" }, detail) : null,
        person.is_active ? null : h("span", { class: "chip chip-off" }, t("rosterEd.inactive")),
      ),
      select,
    );
    return item;
  }

  function renderCounts() {
    setText(counts, t("rosterEd.count", roleCounts(roles)));
    counts.classList.toggle("roster-counts-bad", rosterProblem(roles) !== null);
  }

  function renderRows() {
    const words = folded(search.value).split(/\s+/).filter(Boolean);
    const shown = listed.filter((p) => {
      const hay = folded([p.display_name, p.username, p.title, p.unit].join(" "));
      return words.every((w) => hay.includes(w));
    });
    // People on the roster first, so that the roster reads at a glance.
    shown.sort((a, b) => Number(roles.has(b.id)) - Number(roles.has(a.id)));
    replaceChildren(list, shown.map(row));
  }

  function render() {
    search.placeholder = t("rosterEd.search");
    setText(searchLabel, t("rosterEd.search"));
    renderCounts();
    renderRows();
  }

  render();
  return {
    el,
    render,
    entries: () => [...roles].map(([user_id, role]) => ({ user_id, role })),
    problem: () => rosterProblem(roles),
  };
}
