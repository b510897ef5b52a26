// @ts-check
// The agenda: numbered items (1, 1.1 …), the current item with its elapsed time against
// the planned time, statuses, the chair's previous / next / take-up controls, and for the
// chair and the clerk an edit mode: add, edit, set status, and reorder or nest items by
// dragging their handle (agenda-drag.js) or with the move buttons of the item's form.
//
// Contract: {el, update(model), tick(nowMs)}. update() redraws from the room's model, except
// while a handle is pressed (the list must not change under a drag); tick() refreshes only
// the current item's running time. Rows are keyed (agenda-row.js): an unchanged row keeps
// its element.

import { agendaRows, elapsedSecs, hasNext, hasPrevious } from "./agenda-state.js";
import { createAgendaDrag } from "./agenda-drag.js";
import { addAgendaItem, editAgendaItem } from "./agenda-edits.js";
import { agendaRowElement } from "./agenda-row.js";
import { h, setText } from "./dom.js";
import { formatDuration, t } from "./i18n.js";
import { keyedCache, syncChildren } from "./keyed.js";

const EDITORS = new Set(["chair", "clerk"]);

/** @param {{run: import("../types/room.js").RunCommand}} options */
export function createAgendaPanel({ run }) {
  /** @type {import("../types/room.js").RoomModel | null} */
  let model = null;
  let editing = false;
  /** @type {ReturnType<typeof keyedCache<number, HTMLLIElement>>} */
  const rowCache = keyedCache(); // item id -> its row, drawn again only when it changed

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
    onclick: () => addAgendaItem(model, run),
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

  const drag = createAgendaDrag({
    list,
    enabled: () => editing,
    agenda: () => model.state.agenda,
    onMove: (itemId, move) => run("agenda.item.move", { item_id: itemId, ...move }, "agenda-edit"),
  });

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
    const context = {
      state,
      editor: editing && editor,
      chair,
      editing,
      live: model.connection === "live",
      navBusy: model.busy.has("agenda-nav"),
    };
    syncChildren(
      list,
      rows.map((row) =>
        rowCache.get(row.id, [JSON.stringify(row), ...around], () =>
          agendaRowElement(row, {
            ...context,
            handleProps: drag.handleProps(row.id),
            onTakeUp: () => run("agenda.current.set", { item_id: row.id }, "agenda-nav"),
            onEdit: () => editAgendaItem(model, run, row),
          }),
        ),
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

  /** Refresh the running time of the current item (every second). @param {number} nowMs */
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

  /** @param {import("../types/room.js").RoomModel} nextModel */
  function update(nextModel) {
    model = nextModel;
    el.hidden = model.state === null;
    if (el.hidden || drag.pressed) return;
    render();
  }

  return { el, update, tick };
}
