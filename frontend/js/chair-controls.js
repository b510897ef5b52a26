// The chair's buttons: start a scheduled meeting, end a live one (after a confirmation).

import { confirmDialog } from "./confirm-dialog.js";
import { h, setText } from "./dom.js";
import { t } from "./i18n.js";

export function createChairControls({ run }) {
  const heading = h("h2", { class: "panel-title" });
  const start = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "start-meeting" },
    onclick: () => run("meeting.start", {}, "meeting"),
  });
  const end = h("button", {
    type: "button",
    class: "btn btn-danger",
    dataset: { testid: "end-meeting" },
    onclick: async () => {
      const sure = await confirmDialog({
        title: t("room.endConfirm.title"),
        body: t("room.endConfirm.body"),
        confirm: t("room.endConfirm.confirm"),
        cancel: t("room.endConfirm.cancel"),
        danger: true,
      });
      if (sure) run("meeting.end", {}, "meeting");
    },
  });
  const el = h(
    "section",
    { class: "panel chair-controls", dataset: { testid: "chair-controls" } },
    heading,
    h("div", { class: "button-row" }, start, end),
  );

  function update(model) {
    el.hidden = model.you?.role !== "chair" || model.state === null;
    if (el.hidden) return;
    setText(heading, t("room.chairControls"));
    setText(start, t("room.start"));
    setText(end, t("room.end"));
    const ready = model.connection === "live" && !model.busy.has("meeting");
    start.disabled = !(ready && model.state.status === "scheduled");
    end.disabled = !(ready && model.state.status === "live");
  }

  return { el, update };
}
