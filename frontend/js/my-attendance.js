// @ts-check
// The signed-in person's own attendance: where they stand and one button to change it.

import { h, setText } from "./dom.js";
import { formatClock, t } from "./i18n.js";
import { attendanceOf } from "./meeting-state.js";

export function attendanceText(record) {
  if (record === null) return t("attendance.absent");
  if (record.status === "present")
    return t("attendance.presentSince", { time: formatClock(record.checkedInAt) });
  return t("attendance.leftAt", { time: formatClock(record.leftAt) });
}

export function createMyAttendance({ run }) {
  const heading = h("h2", { class: "panel-title" });
  const status = h("p", { class: "my-attendance-status", dataset: { testid: "my-attendance" } });
  const button = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "toggle-attendance" },
    onclick: () => {
      const present = button.dataset.present === "true";
      run(present ? "attendance.check_out" : "attendance.check_in", {}, "self");
    },
  });
  const el = h(
    "section",
    { class: "panel my-attendance" },
    heading,
    h("div", { class: "my-attendance-row" }, status, button),
  );

  function update(model) {
    el.hidden = model.state === null || model.you === null;
    if (el.hidden) return;
    const record = attendanceOf(model.state, model.you.user_id);
    const present = record?.status === "present";
    setText(heading, t("room.myAttendance"));
    setText(status, attendanceText(record));
    status.dataset.status = record?.status ?? "absent";
    button.dataset.present = String(present);
    button.className = `btn ${present ? "btn-secondary" : "btn-primary"}`;
    setText(button, present ? t("room.checkOut") : t("room.checkIn"));
    button.disabled =
      model.connection !== "live" || model.state.status === "ended" || model.busy.has("self");
  }

  return { el, update };
}
