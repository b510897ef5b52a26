// @ts-check
// The administrator's meetings (#/admin/meetings): every meeting, filtered by committee,
// status and dates; create one (or copy an earlier one), and prepare it: details and
// reschedule, roster, agenda and documents, publish, cancel (meeting-dialogs.js).

import { ApiError } from "./api.js";
import { confirmDialog } from "./confirm-dialog.js";
import { h, replaceChildren, setText } from "./dom.js";
import { errorText, formatDateTime, t, tn } from "./i18n.js";
import { meetingsAdminApi, newMeetingDialog, prepareDialog } from "./meeting-dialogs.js";
import { notify } from "./notices.js";

const STATUSES = ["scheduled", "live", "ended", "cancelled"];

export function createMeetingsAdminView(context) {
  const title = h("h1", { class: "page-title" });
  const add = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "meeting-add" },
    onclick: () => addMeeting(),
  });
  const committee = h("select", { class: "input", id: "filter-committee", dataset: { testid: "filter-committee" }, onchange: () => load() });
  const status = h("select", { class: "input", id: "filter-status", dataset: { testid: "filter-status" }, onchange: () => load() });
  const from = h("input", { type: "date", class: "input", id: "filter-from", dataset: { testid: "filter-from" }, onchange: () => load() });
  const to = h("input", { type: "date", class: "input", id: "filter-to", dataset: { testid: "filter-to" }, onchange: () => load() });
  const labels = {
    committee: h("label", { for: "filter-committee", class: "field-label" }),
    status: h("label", { for: "filter-status", class: "field-label" }),
    from: h("label", { for: "filter-from", class: "field-label" }),
    to: h("label", { for: "filter-to", class: "field-label" }),
  };
  const filter = (key, control) => h("div", { class: "filter" }, labels[key], control);
  const filters = h(
    "div",
    { class: "meeting-filters", role: "group" },
    filter("committee", committee),
    filter("status", status),
    filter("from", from),
    filter("to", to),
  );
  const count = h("p", { class: "people-count", role: "status" });
  const tbody = h("tbody", { dataset: { testid: "meetings-list" } });
  const columns = ["meeting", "when", "place", "status", "actions"];
  const headCells = columns.map((key) => h("th", { scope: "col", class: `col-${key}` }));
  const table = h("table", { class: "data-table meetings-admin-table" }, h("thead", {}, h("tr", {}, headCells)), tbody);
  const el = h(
    "section",
    { class: "page page-meetings-admin" },
    h("div", { class: "page-head" }, title, h("div", { class: "page-actions" }, add)),
    filters,
    count,
    h("div", { class: "table-scroll" }, table),
  );

  let meetings = null; // null while loading
  let committees = [];
  let people = [];
  let alive = true;

  function row(m) {
    const chips = [h("span", { class: `chip meeting-status status-${m.status}` }, t(`mtgAdmin.status.${m.status}`))];
    if (!m.published && m.status !== "cancelled") chips.push(h("span", { class: "chip chip-draft" }, t("mtgAdmin.draft")));
    return h(
      "tr",
      { dataset: { testid: "meeting-row", meetingId: String(m.id) } },
      h(
        "td",
        { class: "col-meeting" },
        h("span", { class: "meeting-name" }, m.title),
        h("span", { class: "meeting-committee" }, m.committee_name),
        m.status === "cancelled" && m.cancel_reason ? h("span", { class: "meeting-reason" }, t("mtgAdmin.cancelledReason", { reason: m.cancel_reason })) : null,
      ),
      h("td", { class: "col-when" }, formatDateTime(m.scheduled_at)),
      h("td", { class: "col-place" }, m.location),
      h("td", { class: "col-status", dataset: { testid: "meeting-status" } }, chips),
      h(
        "td",
        { class: "col-actions" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-small",
            "aria-label": t("mtgAdmin.prepareOf", { title: m.title }),
            dataset: { testid: "meeting-prepare" },
            onclick: () => prepare(m),
          },
          t("mtgAdmin.prepare"),
        ),
      ),
    );
  }

  function renderList() {
    if (meetings === null) {
      setText(count, t("mtgAdmin.loading"));
      tbody.replaceChildren();
      return;
    }
    setText(count, meetings.length ? tn("mtgAdmin.count", meetings.length) : t("mtgAdmin.empty"));
    replaceChildren(tbody, meetings.map(row));
  }

  function renderFilters() {
    const chosenCommittee = committee.value;
    replaceChildren(
      committee,
      h("option", { value: "" }, t("mtgAdmin.filter.all")),
      committees.map((c) => h("option", { value: String(c.id), selected: String(c.id) === chosenCommittee }, c.name)),
    );
    const chosenStatus = status.value;
    replaceChildren(
      status,
      h("option", { value: "" }, t("mtgAdmin.filter.all")),
      STATUSES.map((s) => h("option", { value: s, selected: s === chosenStatus }, t(`mtgAdmin.status.${s}`))),
    );
  }

  function render() {
    setText(title, t("mtgAdmin.title"));
    setText(add, t("mtgAdmin.add"));
    filters.setAttribute("aria-label", t("mtgAdmin.filters"));
    for (const key of Object.keys(labels)) setText(labels[key], t(`mtgAdmin.filter.${key}`));
    headCells.forEach((cell, i) => setText(cell, t(`mtgAdmin.col.${columns[i]}`)));
    renderFilters();
    renderList();
  }

  function failed(error) {
    if (error instanceof ApiError && error.code === "unauthenticated") context.apiFailed(error);
    else {
      const code = error instanceof ApiError ? error.code : "internal";
      notify(error.message ? `${errorText(code)} (${error.message})` : errorText(code), "error");
    }
  }

  async function load() {
    try {
      const answer = await meetingsAdminApi.list({
        committee_id: committee.value,
        status: status.value,
        from: from.value,
        to: to.value,
      });
      if (!alive) return;
      meetings = answer.meetings;
      renderList();
    } catch (error) {
      if (alive) failed(error);
    }
  }

  async function loadChoices() {
    try {
      const [c, p] = await Promise.all([meetingsAdminApi.committees(), meetingsAdminApi.people()]);
      if (!alive) return;
      committees = c.committees;
      people = p.people;
      renderFilters();
    } catch (error) {
      if (!alive) return;
      // Neither an administrator nor a committee's clerk: nothing here is theirs.
      if (error instanceof ApiError && error.code === "not-allowed") {
        el.replaceChildren(h("p", { class: "message-text", dataset: { testid: "not-a-planner" } }, t("admin.onlyPlanners")));
      } else failed(error);
    }
  }

  async function addMeeting() {
    const everyone = await meetingsAdminApi.list();
    const created = await newMeetingDialog({ committees, people, earlier: everyone.meetings });
    if (!created) return;
    notify(t("mtgAdmin.created", { title: created.title }));
    await load();
    await prepare(created);
  }

  async function prepare(m) {
    const changed = await prepareDialog({ meetingId: m.id, committees, people, confirm: confirmDialog });
    if (changed) await load();
  }

  loadChoices();
  load();
  return {
    el,
    render,
    destroy() {
      alive = false;
    },
  };
}
