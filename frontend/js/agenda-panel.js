// The agenda: numbered items (1, 1.1 …), the current item with its elapsed time against
// the planned time, statuses, the chair's previous / next / take-up controls, and for the
// chair and the clerk an edit mode: add, edit, set status, and reorder or nest items by
// dragging their handle (pointer events, so touch works) or with the move buttons.

import {
  CURRENT_STATUSES,
  DEPTH_MAX,
  agendaRows,
  childrenOf,
  descendants,
  elapsedSecs,
  hasNext,
  hasPrevious,
  height,
} from "./agenda-state.js";
import { openItemDialog } from "./agenda-item-dialog.js";
import { h, setText } from "./dom.js";
import { formatDuration, t } from "./i18n.js";
import { keyedCache, syncChildren } from "./keyed.js";
import { displayName } from "./meeting-state.js";

const EDITORS = new Set(["chair", "clerk"]);
const DRAG_START_PX = 6;

export function createAgendaPanel({ run }) {
  let model = null;
  let editing = false;
  const rowCache = keyedCache(); // item id -> its row, drawn again only when it changed
  let drag = null; // {itemId, row, startY, active, target: {rowId, zone}}

  const heading = h("h2", { class: "panel-title" });
  const editToggle = h("button", {
    type: "button",
    class: "btn btn-small btn-secondary",
    dataset: { testid: "agenda-edit" },
    "aria-pressed": "false",
    onclick: () => {
      editing = !editing;
      render();
    },
  });

  // The current item.
  const currentLabel = h("p", { class: "current-label" });
  const currentTitle = h("p", { class: "current-title", dataset: { testid: "current-item" } });
  const currentMeta = h("p", { class: "current-meta" });
  const timer = h("span", { class: "item-timer", dataset: { testid: "item-timer" } });
  const timerLabel = h("span", { class: "timer-label" });
  const prev = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid: "agenda-previous" },
    onclick: () => run("agenda.previous", {}, "agenda-nav"),
  });
  const next = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "agenda-next" },
    onclick: () => run("agenda.next", {}, "agenda-nav"),
  });
  const clear = h("button", {
    type: "button",
    class: "btn btn-quiet",
    dataset: { testid: "agenda-clear" },
    onclick: () => run("agenda.current.clear", {}, "agenda-nav"),
  });
  const navRow = h("div", { class: "button-row agenda-nav" }, prev, next, clear);
  const current = h(
    "div",
    { class: "agenda-current", dataset: { testid: "agenda-current" } },
    currentLabel,
    currentTitle,
    h(
      "div",
      { class: "current-line" },
      currentMeta,
      h("span", { class: "timer-box" }, timerLabel, timer),
    ),
    navRow,
  );

  const list = h("ol", { class: "agenda-list", dataset: { testid: "agenda-list" } });
  const empty = h("p", { class: "muted agenda-empty" });
  const addButton = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid: "agenda-add" },
    onclick: () => addItem(),
  });
  const editHint = h("p", { class: "muted edit-hint" });

  const el = h(
    "section",
    { class: "panel agenda-panel", dataset: { testid: "agenda" } },
    h("div", { class: "panel-head" }, heading, editToggle),
    current,
    list,
    empty,
    editHint,
    h("div", { class: "button-row" }, addButton),
  );

  // --- commands -----------------------------------------------------------------------
  async function addItem() {
    const values = await openItemDialog({ mode: "add", model });
    if (!values) return;
    const data = {
      title: values.title,
      kind: values.kind,
      description: values.description,
      planned_minutes: values.planned_minutes,
    };
    if (values.parent_id !== null) data.parent_id = values.parent_id;
    run("agenda.item.add", data, "agenda-edit");
  }

  async function editItem(item) {
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
    const changes = {};
    for (const field of ["title", "kind", "description", "planned_minutes"]) {
      if (values[field] !== item[field]) changes[field] = values[field];
    }
    if (Object.keys(changes).length > 0) {
      await run("agenda.item.update", { item_id: item.id, ...changes }, "agenda-edit");
    }
    if (values.status !== item.status) {
      run("agenda.item.set_status", { item_id: item.id, status: values.status }, "agenda-edit");
    }
  }

  // --- drag and drop ------------------------------------------------------------------
  function onHandleDown(event, row) {
    if (!editing || event.button > 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    drag = { itemId: row.id, startY: event.clientY, active: false, target: null, handle };
  }

  function onHandleMove(event) {
    if (!drag) return;
    if (!drag.active && Math.abs(event.clientY - drag.startY) < DRAG_START_PX) return;
    drag.active = true;
    list.classList.add("is-dragging");
    markRow(drag.itemId, "drag-source", true);
    const target = dropTarget(event.clientX, event.clientY);
    setDropMark(target);
    drag.target = target;
  }

  function onHandleUp() {
    if (!drag) return;
    const { itemId, target, active } = drag;
    drag = null;
    list.classList.remove("is-dragging");
    markRow(itemId, "drag-source", false);
    setDropMark(null);
    if (!active || !target) return;
    const move = moveFor(itemId, target);
    if (move) run("agenda.item.move", { item_id: itemId, ...move }, "agenda-edit");
  }

  function markRow(itemId, cls, on) {
    list.querySelector(`[data-item-id="${itemId}"]`)?.classList.toggle(cls, on);
  }

  function setDropMark(target) {
    for (const row of list.querySelectorAll(".drop-before, .drop-after, .drop-into")) {
      row.classList.remove("drop-before", "drop-after", "drop-into");
    }
    if (target) markRow(target.rowId, `drop-${target.zone}`, true);
  }

  /** The row under the pointer and where on it: before, into (as last sub-item) or after. */
  function dropTarget(x, y) {
    for (const rowEl of list.children) {
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

  /** The move command's {parent_id, position} for a drop, or null if it is not allowed. */
  function moveFor(itemId, { rowId, zone }) {
    const agenda = model.state.agenda;
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

  // --- rendering ----------------------------------------------------------------------
  function rowElement(row, state) {
    const editor = editing && EDITORS.has(model.you?.role);
    const live = model.connection === "live";
    const chair = model.you?.role === "chair";
    const handle = h(
      "button",
      {
        type: "button",
        class: "drag-handle",
        dataset: { testid: "drag-handle" },
        "aria-label": t("agenda.dragHandle", { title: row.title }),
        title: t("agenda.dragHandle", { title: row.title }),
        onpointerdown: (event) => onHandleDown(event, row),
        onpointermove: onHandleMove,
        onpointerup: onHandleUp,
        onpointercancel: onHandleUp,
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
              disabled: !live || model.busy.has("agenda-nav"),
              onclick: () => run("agenda.current.set", { item_id: row.id }, "agenda-nav"),
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
            onclick: () => editItem(row),
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

  function render() {
    if (!model?.state) return;
    const state = model.state;
    const agenda = state.agenda;
    const role = model.you?.role;
    const editor = EDITORS.has(role);
    const chair = role === "chair";
    if (!editor) editing = false;
    setText(heading, t("agenda.title"));
    editToggle.hidden = !editor || state.status === "ended";
    setText(editToggle, editing ? t("agenda.editDone") : t("agenda.editStart"));
    editToggle.setAttribute("aria-pressed", String(editing));
    el.dataset.editing = String(editing);

    const rows = agendaRows(agenda);
    const currentRow = rows.find((r) => r.is_current) ?? null;
    current.hidden = currentRow === null && !(chair && state.status === "live" && rows.length > 0);
    setText(currentLabel, t(currentRow ? "agenda.current" : "agenda.noCurrent"));
    current.dataset.itemId = currentRow ? String(currentRow.id) : "";
    setText(currentTitle, currentRow ? `${currentRow.number}. ${currentRow.title}` : "");
    currentTitle.hidden = currentRow === null;
    setText(currentMeta, currentRow ? t(`agenda.kind.${currentRow.kind}`) : "");
    timer.parentElement.hidden = currentRow === null;
    setText(timerLabel, t("agenda.elapsed"));

    navRow.hidden = !chair || state.status !== "live";
    const ready = model.connection === "live" && !model.busy.has("agenda-nav");
    setText(prev, `‹ ${t("agenda.previous")}`);
    setText(next, currentRow ? `${t("agenda.next")} ›` : t("agenda.start"));
    setText(clear, t("agenda.clear"));
    prev.disabled = !ready || !hasPrevious(agenda);
    next.disabled = !ready || !hasNext(agenda);
    clear.hidden = currentRow === null;
    clear.disabled = !ready;

    // Keyed: an unchanged row keeps its element (nothing is rebuilt under a finger).
    const around = [
      editing,
      role,
      model.connection,
      model.busy.has("agenda-nav"),
      state.status,
      state.roster,
      model.forced,
    ];
    syncChildren(
      list,
      rows.map((row) =>
        rowCache.get(row.id, [JSON.stringify(row), ...around], () => rowElement(row, state)),
      ),
    );
    rowCache.sweep();
    empty.hidden = rows.length > 0;
    setText(empty, t("agenda.empty"));
    addButton.parentElement.hidden = !editing;
    setText(addButton, `+ ${t("agenda.add")}`);
    addButton.disabled = model.connection !== "live" || model.busy.has("agenda-edit");
    editHint.hidden = !editing || rows.length < 2;
    setText(editHint, t("agenda.dragHint"));
    tick(Date.now());
  }

  /** Refresh the running time of the current item (every second). */
  function tick(nowMs) {
    if (!model?.state) return;
    const agenda = model.state.agenda;
    const item = agenda.currentId !== null ? agenda.items[agenda.currentId] : null;
    if (!item) return;
    const secs = elapsedSecs(agenda, item, nowMs);
    const planned = item.planned_minutes ? item.planned_minutes * 60 : null;
    setText(
      timer,
      planned ? `${formatDuration(secs)} / ${formatDuration(planned)}` : formatDuration(secs),
    );
    timer.dataset.over = String(planned !== null && secs > planned);
  }

  function update(nextModel) {
    model = nextModel;
    el.hidden = model.state === null;
    if (el.hidden || drag) return;
    render();
  }

  return { el, update, tick };
}
