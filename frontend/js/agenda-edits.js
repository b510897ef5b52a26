// @ts-check
// The editors' changes to the agenda through the item form (agenda-item-dialog.js): adding
// an item, and for an existing one the form's outcome as commands — remove, move, or the
// changed fields (one `agenda.item.update`) followed by a status change if any. Nothing is
// sent when the form is cancelled or nothing changed. All commands wait on "agenda-edit".

import { openItemDialog } from "./agenda-item-dialog.js";

const EDITABLE_FIELDS = ["title", "kind", "description", "planned_minutes"];

/** @typedef {import("../types/room.js").RoomModel} RoomModel */
/** @typedef {import("../types/room.js").RunCommand} RunCommand */

/** @param {RoomModel} model @param {RunCommand} run */
export async function addAgendaItem(model, run) {
  const values = await openItemDialog({ mode: "add", model });
  if (!values) return;
  /** @type {Record<string, unknown>} */
  const data = {
    title: values.title,
    kind: values.kind,
    description: values.description,
    planned_minutes: values.planned_minutes,
  };
  if (values.parent_id !== null) data.parent_id = values.parent_id;
  run("agenda.item.add", data, "agenda-edit");
}

/** @param {RoomModel} model @param {RunCommand} run @param {any} item the item as listed */
export async function editAgendaItem(model, run, item) {
  const values = await openItemDialog({ mode: "edit", model, item });
  if (!values) return;
  if (values.action === "remove") {
    run("agenda.item.remove", { item_id: item.id }, "agenda-edit");
    return;
  }
  if (values.action === "move") {
    run("agenda.item.move", { item_id: item.id, ...values.move }, "agenda-edit");
    return;
  }
  /** @type {Record<string, unknown>} */
  const changes = {};
  for (const field of EDITABLE_FIELDS) {
    if (values[field] !== item[field]) changes[field] = values[field];
  }
  if (Object.keys(changes).length > 0) {
    await run("agenda.item.update", { item_id: item.id, ...changes }, "agenda-edit");
  }
  if (values.status !== item.status) {
    run("agenda.item.set_status", { item_id: item.id, status: values.status }, "agenda-edit");
  }
}
