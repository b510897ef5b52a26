// @ts-check
// The meeting list: what the signed-in person is on the roster of, newest first.

import { api } from "./api.js";
import { statusBadge, roleText } from "./badges.js";
import { h, replaceChildren, setText } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { MEETINGS_ADMIN_ROUTE, meetingHash } from "./router.js";

const STATUS_ORDER = { live: 0, scheduled: 1, ended: 2 };

/** Live meetings first, then the next ones (soonest first), then past ones (latest first). */
export function sortMeetings(meetings) {
  const time = (m) => Date.parse(m.scheduled_at) || 0;
  return [...meetings].sort((a, b) => {
    const byStatus = (STATUS_ORDER[a.status] ?? 3) - (STATUS_ORDER[b.status] ?? 3);
    if (byStatus !== 0) return byStatus;
    const byTime = a.status === "ended" ? time(b) - time(a) : time(a) - time(b);
    return byTime || a.id - b.id;
  });
}

export function createMeetingsView(context) {
  const title = h("h1", { class: "page-title" });
  const refresh = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid: "refresh" },
    onclick: () => load(),
  });
  const list = h("ul", { class: "meeting-list", dataset: { testid: "meeting-list" } });
  const status = h("p", { class: "list-status", role: "status" });
  const el = h(
    "section",
    { class: "page page-meetings" },
    h("div", { class: "page-head" }, title, refresh),
    status,
    list,
  );

  let meetings = null; // null while loading
  let alive = true;

  function card(meeting) {
    const badge = statusBadge();
    badge.update(meeting.status);
    return h(
      "li",
      { class: "meeting-item" },
      h(
        "a",
        {
          class: "meeting-card",
          // An administrator not on the roster prepares it in the back office.
          href: meeting.my_role ? meetingHash(meeting.id) : MEETINGS_ADMIN_ROUTE,
          dataset: {
            testid: "meeting-card",
            meetingId: String(meeting.id),
            status: meeting.status,
          },
        },
        h(
          "div",
          { class: "meeting-card-top" },
          h("span", { class: "meeting-committee" }, meeting.committee_name),
          badge.el,
        ),
        h("h2", { class: "meeting-title" }, meeting.title),
        h(
          "dl",
          { class: "meeting-facts" },
          h(
            "div",
            {},
            h("dt", {}, t("meetings.when")),
            h("dd", {}, formatDateTime(meeting.scheduled_at)),
          ),
          h(
            "div",
            {},
            h("dt", {}, t("meetings.myRole")),
            h(
              "dd",
              { class: "role-chip" },
              meeting.my_role ? roleText(meeting.my_role) : t("meetings.notOnRoster"),
            ),
          ),
          meeting.location
            ? h("div", {}, h("dt", {}, t("meetings.where")), h("dd", {}, meeting.location))
            : null,
        ),
      ),
    );
  }

  function render() {
    setText(title, t("meetings.title"));
    setText(refresh, t("meetings.refresh"));
    if (meetings === null) {
      setText(status, t("meetings.loading"));
      status.hidden = false;
      list.replaceChildren();
      return;
    }
    status.hidden = meetings.length > 0;
    setText(status, meetings.length === 0 ? t("meetings.empty") : "");
    replaceChildren(list, meetings.map(card));
  }

  async function load() {
    refresh.disabled = true;
    try {
      const result = await api.meetings();
      if (!alive) return;
      meetings = sortMeetings(result.meetings);
      render();
    } catch (error) {
      if (alive) context.apiFailed(error);
    } finally {
      refresh.disabled = false;
    }
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
