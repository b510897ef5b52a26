// @ts-check
// The committees back office (#/admin/committees): the list with each committee's kind,
// voting rules in words, members and minutes layout; add and edit (committee-dialogs.js).
// An administrator sees and edits every committee; a committee's clerk (the clerk of one
// of its meetings) sees theirs and edits its minutes profile only.

import { folded } from "./admin-people.js";
import { committeeDialog } from "./committee-dialogs.js";
import { committeesApi } from "./committees-api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { t, tn } from "./i18n.js";
import { notify } from "./notices.js";
import { peopleApi } from "./people-api.js";
import { majorityText, quorumText } from "./poll-rules.js";

const BY_NAME = new Intl.Collator("vi", { sensitivity: "base", numeric: true });

/** Whether the committee matches every word of `query` (its name, its members' names). */
export function committeeMatches(committee, query) {
  const words = folded(query).split(/\s+/).filter(Boolean);
  const haystack = folded(
    [committee.name, ...committee.members.map((m) => m.display_name)].join(" "),
  );
  return words.every((w) => haystack.includes(w));
}

export function createCommitteesView(context) {
  const admin = Boolean(context.user?.is_admin);
  const title = h("h1", { class: "page-title" });
  const intro = h("p", { class: "page-intro", hidden: admin });
  const add = h("button", {
    type: "button",
    class: "btn btn-primary",
    hidden: !admin,
    dataset: { testid: "committee-add" },
    onclick: () => open(null),
  });
  const search = h("input", {
    type: "search",
    class: "input people-search",
    id: "committees-search",
    autocomplete: "off",
    dataset: { testid: "committees-search" },
    oninput: () => renderList(),
  });
  const searchLabel = h("label", { class: "visually-hidden", for: "committees-search" });
  const count = h("p", { class: "people-count", role: "status" });
  const tbody = h("tbody", { dataset: { testid: "committee-list" } });
  const columns = ["name", "rules", "members", "minutes", "actions"];
  const headCells = columns.map((key) => h("th", { scope: "col", class: `col-${key}` }));
  const table = h(
    "table",
    { class: "data-table committees-table" },
    h("thead", {}, h("tr", {}, headCells)),
    tbody,
  );
  const el = h(
    "section",
    { class: "page page-committees" },
    h("div", { class: "page-head" }, title, h("div", { class: "page-actions" }, add)),
    intro,
    h("div", { class: "people-tools" }, searchLabel, search, count),
    h("div", { class: "table-scroll" }, table),
  );

  let committees = null; // null while loading
  let kinds = [];
  let alive = true;

  function rulesCell(committee) {
    const rules = committee.rules;
    return h(
      "td",
      { class: "col-rules" },
      t("committees.ruleLine", {
        majority: majorityText(rules.majority),
        quorum: quorumText(rules.quorum),
      }),
    );
  }

  function row(committee) {
    const clerks = committee.clerks.map((c) => c.display_name).join(", ");
    const label = admin ? t("committees.edit") : t("committees.editProfile");
    return h(
      "tr",
      { dataset: { testid: "committee-row", id: String(committee.id) } },
      h(
        "td",
        { class: "col-name" },
        h("span", { class: "committee-name" }, committee.name),
        h("span", { class: "chip chip-kind" }, t(`committees.kind.${committee.kind}`)),
      ),
      rulesCell(committee),
      h(
        "td",
        { class: "col-members" },
        h("span", { class: "member-count" }, tn("committees.members", committee.members.length)),
        clerks ? h("span", { class: "clerk-names" }, t("committees.clerksList", { names: clerks })) : null,
      ),
      h("td", { class: "col-minutes" }, t(`minutes.version.layout.${committee.profile.layout}`)),
      h(
        "td",
        { class: "col-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-small",
            "aria-label": t(admin ? "committees.editOf" : "committees.profileOf", {
              name: committee.name,
            }),
            dataset: { testid: "committee-edit" },
            onclick: () => open(committee),
          },
          label,
        ),
      ),
    );
  }

  function renderList() {
    if (committees === null) {
      setText(count, t("committees.loading"));
      tbody.replaceChildren();
      return;
    }
    if (committees.length === 0) {
      setText(count, admin ? t("committees.none") : t("committees.notYours"));
      tbody.replaceChildren();
      return;
    }
    const shown = committees.filter((c) => committeeMatches(c, search.value));
    setText(count, shown.length ? tn("committees.count", shown.length) : t("committees.empty"));
    replaceChildren(tbody, shown.map(row));
  }

  function render() {
    setText(title, t("committees.title"));
    setText(intro, t("committees.clerkIntro"));
    setText(add, t("committees.add"));
    search.placeholder = t("committees.search");
    setText(searchLabel, t("committees.search"));
    headCells.forEach((cell, i) => setText(cell, t(`committees.col.${columns[i]}`)));
    renderList();
  }

  async function load() {
    try {
      const answer = await committeesApi.list();
      if (!alive) return;
      kinds = answer.kinds;
      committees = answer.committees.sort((a, b) => BY_NAME.compare(a.name, b.name));
      renderList();
    } catch (error) {
      if (alive) context.apiFailed(error);
    }
  }

  async function open(committee) {
    let people = null;
    if (admin) {
      try {
        people = (await peopleApi.list()).users;
      } catch (error) {
        context.apiFailed(error);
        return;
      }
    }
    const saved = await committeeDialog({ committee, kinds, people });
    if (!saved) return;
    notify(t(committee ? "committees.saved" : "committees.created", { name: saved.name }));
    await load();
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
