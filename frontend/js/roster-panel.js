// @ts-check
// The participants: role, attendance (from the event log) and presence (connected now,
// on how many devices). Chair and clerk may record attendance for the others.

import { roleText } from "./badges.js";
import { h, setText } from "./dom.js";
import { compareNames, t, tn } from "./i18n.js";
import { attendanceOf, countPresent } from "./meeting-state.js";
import { attendanceText } from "./my-attendance.js";

const ATTENDANCE_KEEPERS = new Set(["chair", "clerk"]);
const ROLE_ORDER = ["chair", "clerk", "member", "observer"];

/** Chair first, then clerk, members and observers; by name within a role. */
function sortedRoster(roster) {
  const rank = (role) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);
  return [...roster].sort(
    (a, b) => rank(a.role) - rank(b.role) || compareNames(a.display_name, b.display_name),
  );
}

export function createRosterPanel({ run }) {
  const heading = h("h2", { class: "panel-title" });
  const summary = h("span", { class: "panel-count", dataset: { testid: "attendance-summary" } });
  const list = h("ul", { class: "roster", dataset: { testid: "roster" } });
  const legendOnline = h(
    "span",
    { class: "legend-item" },
    h("span", { class: "presence-dot online", "aria-hidden": "true" }),
  );
  const legendOffline = h(
    "span",
    { class: "legend-item" },
    h("span", { class: "presence-dot", "aria-hidden": "true" }),
  );
  const legendOnlineText = h("span");
  const legendOfflineText = h("span");
  legendOnline.append(legendOnlineText);
  legendOffline.append(legendOfflineText);
  const legend = h("p", { class: "presence-legend" }, legendOnline, legendOffline);
  const el = h(
    "section",
    { class: "panel roster-panel" },
    h("div", { class: "panel-head" }, heading, summary),
    legend,
    list,
  );

  const rows = new Map(); // user_id -> row widget
  let rosterKey = "";
  let sorted = { from: null, roster: [] }; // the sorted roster, by the list it was made from

  function createRow(person) {
    const dot = h("span", { class: "presence-dot", role: "img", dataset: { testid: "presence" } });
    const name = h("span", { class: "person-name" }, person.display_name);
    const you = h("span", { class: "you-chip", hidden: true });
    const role = h("span", { class: "person-role" });
    const attendance = h("span", { class: "person-attendance", dataset: { testid: "attendance" } });
    const action = h("button", {
      type: "button",
      class: "btn btn-small btn-secondary",
      dataset: { testid: "attendance-for" },
      hidden: true,
      onclick: () => {
        const present = action.dataset.present === "true";
        run(
          present ? "attendance.check_out" : "attendance.check_in",
          { user_id: person.user_id },
          `user:${person.user_id}`,
        );
      },
    });
    const el = h(
      "li",
      { class: "roster-row", dataset: { testid: "roster-row", userId: String(person.user_id) } },
      dot,
      h(
        "div",
        { class: "person" },
        h("div", { class: "person-line" }, name, you),
        h("div", { class: "person-meta" }, role, attendance),
      ),
      action,
    );

    function update(model) {
      const devices = model.presence.get(person.user_id)?.length ?? 0;
      dot.classList.toggle("online", devices > 0);
      dot.dataset.devices = String(devices);
      const presenceLabel = devices > 0 ? tn("presence.online", devices) : t("presence.offline");
      dot.setAttribute("aria-label", presenceLabel);
      dot.setAttribute("title", presenceLabel);
      setText(dot, devices > 1 ? String(devices) : "");

      const isYou = model.you?.user_id === person.user_id;
      you.hidden = !isYou;
      setText(you, t("room.you"));
      setText(role, roleText(person.role));

      const record = attendanceOf(model.state, person.user_id);
      const status = record?.status ?? "absent";
      el.dataset.attendance = status;
      setText(attendance, attendanceText(record));

      const keeper = ATTENDANCE_KEEPERS.has(model.you?.role);
      action.hidden = !keeper || isYou || model.state.status === "ended";
      if (!action.hidden) {
        const present = status === "present";
        action.dataset.present = String(present);
        setText(action, present ? t("room.checkOutShort") : t("room.checkInShort"));
        action.setAttribute(
          "aria-label",
          t(present ? "room.checkOutFor" : "room.checkInFor", { name: person.display_name }),
        );
        action.disabled = model.connection !== "live" || model.busy.has(`user:${person.user_id}`);
      }
    }

    return { el, update };
  }

  function update(model) {
    el.hidden = model.state === null;
    if (el.hidden) return;
    if (sorted.from !== model.state.roster) {
      sorted = { from: model.state.roster, roster: sortedRoster(model.state.roster) };
    }
    const roster = sorted.roster;
    const key = roster.map((p) => `${p.user_id}:${p.role}`).join(",");
    if (key !== rosterKey) {
      rosterKey = key;
      rows.clear();
      list.replaceChildren(
        ...roster.map((person) => {
          const row = createRow(person);
          rows.set(person.user_id, row);
          return row.el;
        }),
      );
    }
    setText(heading, t("room.roster"));
    setText(legendOnlineText, t("presence.legendOnline"));
    setText(legendOfflineText, t("presence.legendOffline"));
    setText(
      summary,
      t("room.attendanceSummary", { present: countPresent(model.state), total: roster.length }),
    );
    for (const row of rows.values()) row.update(model);
  }

  return { el, update };
}
