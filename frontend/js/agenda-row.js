// @ts-check
// One row of the agenda list: number, title, kind, planned time, presenter, status, and the
// buttons the viewer may use on it (the chair's "take up", an editor's drag handle and
// "edit"). Pure drawing: the element is built from its arguments only, so the panel can
// keep it (keyed.js) for as long as those arguments are unchanged.

import { CURRENT_STATUSES } from "./agenda-state.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { displayName } from "./meeting-state.js";

/**
 * @typedef {object} RowContext
 * @property {import("../types/room.js").MeetingState} state
 * @property {boolean} editor the agenda is in edit mode and the viewer may edit it
 * @property {boolean} chair the viewer chairs the meeting
 * @property {boolean} editing the agenda is in edit mode
 * @property {boolean} live the connection is live
 * @property {boolean} navBusy a move of the current item waits for its ack
 * @property {Record<string, (event: PointerEvent) => void>} handleProps the drag handle's handlers
 * @property {() => void} onTakeUp make this item the current one
 * @property {() => void} onEdit open this item's form
 */

/** @param {any} row a row of agendaRows() @param {RowContext} context @returns {HTMLLIElement} */
export function agendaRowElement(row, context) {
  const { state, editor, chair, editing, live } = context;
  const handle = h(
    "button",
    {
      type: "button",
      class: "drag-handle",
      dataset: { testid: "drag-handle" },
      "aria-label": t("agenda.dragHandle", { title: row.title }),
      title: t("agenda.dragHandle", { title: row.title }),
      ...context.handleProps,
    },
    h("span", { class: "grip", "aria-hidden": "true" }),
  );
  const planned = row.planned_minutes ? t("agenda.minutes", { count: row.planned_minutes }) : "";
  const meta = [t(`agenda.kind.${row.kind}`), planned].filter(Boolean).join(" · ");
  const presenter = row.presenter_id ? displayName(state, row.presenter_id) : null;
  const status =
    row.status !== "pending"
      ? h(
          "span",
          { class: `item-status status-${row.status}`, dataset: { testid: "item-status" } },
          t(`agenda.status.${row.status}`),
        )
      : null;
  const takeUp =
    chair &&
    !row.is_current &&
    CURRENT_STATUSES.has(row.status) &&
    state.status === "live" &&
    !editing
      ? h(
          "button",
          {
            type: "button",
            class: "btn btn-small btn-secondary",
            dataset: { testid: "agenda-take-up" },
            disabled: !live || context.navBusy,
            onclick: context.onTakeUp,
          },
          t("agenda.takeUp"),
        )
      : null;
  const edit = editor
    ? h(
        "button",
        {
          type: "button",
          class: "btn btn-small btn-secondary",
          dataset: { testid: "agenda-item-edit" },
          disabled: !live,
          "aria-label": t("agenda.editItem", { title: row.title }),
          onclick: context.onEdit,
        },
        t("agenda.edit"),
      )
    : null;
  return h(
    "li",
    {
      class: `agenda-row depth-${row.depth}${row.is_current ? " is-current" : ""}`,
      dataset: {
        testid: "agenda-item",
        itemId: String(row.id),
        status: row.status,
        current: String(row.is_current),
        number: row.number,
      },
      "aria-current": row.is_current ? "step" : null,
    },
    editor ? handle : null,
    h("span", { class: "item-number" }, row.number),
    h(
      "div",
      { class: "item-body" },
      h("span", { class: "item-title", dataset: { testid: "item-title" } }, row.title),
      h(
        "span",
        { class: "item-meta" },
        meta,
        presenter ? ` · ${presenter}` : "",
        status ? " " : "",
        status,
      ),
    ),
    h("div", { class: "item-actions" }, takeUp, edit),
  );
}
