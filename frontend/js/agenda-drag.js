// @ts-check
// Reordering and nesting agenda items by dragging a row's handle. Pointer events (with
// pointer capture), so a finger works as a mouse does.
//
// Contract: createAgendaDrag() gives the handlers for each row's handle. A press that moves
// less than DRAG_START_PX is not a drag. While dragging, the source row is marked
// `drag-source` and the row under the pointer `drop-before`, `drop-into` or `drop-after`;
// a drop that the agenda allows (no item under itself, no deeper than DEPTH_MAX) calls
// `onMove(itemId, {parent_id, position})`, any other drop does nothing.

import { DEPTH_MAX, agendaRows, childrenOf, descendants, height } from "./agenda-state.js";

const DRAG_START_PX = 6;

/** @typedef {import("../types/room.js").AgendaState} AgendaState */
/** @typedef {{rowId: number, zone: "before" | "into" | "after"}} DropTarget */
/** @typedef {{parent_id: number | null, position: number}} Move */

/**
 * @param {object} options
 * @param {HTMLElement} options.list the <ol> whose children are the rows (data-item-id)
 * @param {() => boolean} options.enabled whether a press may start a drag (edit mode)
 * @param {() => AgendaState} options.agenda the agenda a drop is checked against
 * @param {(itemId: number, move: Move) => void} options.onMove
 */
export function createAgendaDrag({ list, enabled, agenda, onMove }) {
  /** @type {{itemId: number, startY: number, active: boolean, target: DropTarget | null} | null} */
  let drag = null;

  /** @param {PointerEvent} event @param {number} itemId */
  function onDown(event, itemId) {
    if (!enabled() || event.button > 0) return;
    event.preventDefault();
    const handle = /** @type {Element} */ (event.currentTarget);
    handle.setPointerCapture(event.pointerId);
    drag = { itemId, startY: event.clientY, active: false, target: null };
  }

  /** @param {PointerEvent} event */
  function onMoveEvent(event) {
    if (!drag) return;
    if (!drag.active && Math.abs(event.clientY - drag.startY) < DRAG_START_PX) return;
    drag.active = true;
    list.classList.add("is-dragging");
    markRow(drag.itemId, "drag-source", true);
    const target = dropTarget(event.clientY);
    setDropMark(target);
    drag.target = target;
  }

  function onUp() {
    if (!drag) return;
    const { itemId, target, active } = drag;
    drag = null;
    list.classList.remove("is-dragging");
    markRow(itemId, "drag-source", false);
    setDropMark(null);
    if (!active || !target) return;
    const move = moveFor(agenda(), itemId, target);
    if (move) onMove(itemId, move);
  }

  /** @param {number} itemId @param {string} cls @param {boolean} on */
  function markRow(itemId, cls, on) {
    list.querySelector(`[data-item-id="${itemId}"]`)?.classList.toggle(cls, on);
  }

  /** @param {DropTarget | null} target */
  function setDropMark(target) {
    for (const row of list.querySelectorAll(".drop-before, .drop-after, .drop-into")) {
      row.classList.remove("drop-before", "drop-after", "drop-into");
    }
    if (target) markRow(target.rowId, `drop-${target.zone}`, true);
  }

  /** The row under the pointer and where on it: before, into (as last sub-item) or after.
   * @param {number} y @returns {DropTarget | null} */
  function dropTarget(y) {
    for (const rowEl of /** @type {HTMLCollectionOf<HTMLElement>} */ (list.children)) {
      const rect = rowEl.getBoundingClientRect();
      if (y < rect.top || y > rect.bottom) continue;
      const rowId = Number(rowEl.dataset.itemId);
      if (rowId === drag.itemId) return null;
      const fraction = (y - rect.top) / Math.max(1, rect.height);
      const zone = fraction < 0.3 ? "before" : fraction > 0.7 ? "after" : "into";
      return { rowId, zone };
    }
    return null;
  }

  return {
    /** The pointer handlers for the handle of item `itemId` (props for dom.js h()).
     * @param {number} itemId */
    handleProps(itemId) {
      return {
        onpointerdown: (/** @type {PointerEvent} */ event) => onDown(event, itemId),
        onpointermove: onMoveEvent,
        onpointerup: onUp,
        onpointercancel: onUp,
      };
    },
    /** True from a press on a handle until its release: the list must not be redrawn. */
    get pressed() {
      return drag !== null;
    },
  };
}

/** The move command's {parent_id, position} for a drop, or null if it is not allowed.
 * @param {AgendaState} agenda @param {number} itemId @param {DropTarget} target
 * @returns {Move | null} */
export function moveFor(agenda, itemId, { rowId, zone }) {
  if (descendants(agenda, itemId).has(rowId)) return null;
  const targetRow = agendaRows(agenda).find((r) => r.id === rowId);
  if (!targetRow) return null;
  let parentId;
  let siblings;
  let position;
  if (zone === "into") {
    parentId = rowId;
    siblings = childrenOf(agenda, rowId).filter((id) => id !== itemId);
    position = siblings.length;
    if (targetRow.depth + height(agenda, itemId) > DEPTH_MAX) return null;
  } else {
    parentId = agenda.items[rowId].parent_id;
    siblings = childrenOf(agenda, parentId).filter((id) => id !== itemId);
    position = siblings.indexOf(rowId) + (zone === "after" ? 1 : 0);
    if (targetRow.depth - 1 + height(agenda, itemId) > DEPTH_MAX) return null;
  }
  return { parent_id: parentId, position };
}
