// @ts-check
// The note on one agenda item (or the meeting's general note), as the clerk or the chair
// keeps it. Saved with `minutes.note.set` on "Save", after a few idle seconds, and before
// switching to another item; the screen shows the note as the log has it (live, from the
// events), except while this tablet holds unsaved text — then it says so, and says when
// someone else changed the note meanwhile.

import { h, setText } from "./dom.js";
import { formatClock, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { noteOf } from "./minutes-state.js";

const AUTOSAVE_IDLE_MS = 4000; // a pause in typing this long saves the note

export function createMinutesNotes({ run }) {
  let model = null;
  let itemId = null; // the item shown (null: the general note)
  let base = ""; // the note's text when this tablet's editing began
  let dirty = false;
  let idleTimer = null;

  const label = h("span", { class: "field-label" });
  const text = h("textarea", {
    class: "input textarea minutes-note-text",
    rows: "6",
    maxlength: "10000",
    dataset: { testid: "minutes-note" },
    oninput: () => {
      dirty = text.value !== currentText();
      clearTimeout(idleTimer);
      if (dirty) idleTimer = setTimeout(() => save(), AUTOSAVE_IDLE_MS);
      paint();
    },
  });
  const status = h("p", {
    class: "minutes-note-status muted",
    dataset: { testid: "minutes-note-status" },
  });
  const conflict = h("p", { class: "minutes-note-conflict", role: "status", hidden: true });
  const loadTheirs = h("button", {
    type: "button",
    class: "btn btn-secondary btn-small",
    onclick: () => {
      dirty = false;
      text.value = currentText();
      base = text.value;
      paint();
    },
  });
  const saveButton = h("button", {
    type: "button",
    class: "btn btn-primary btn-small",
    dataset: { testid: "minutes-note-save" },
    onclick: () => save(),
  });
  const el = h(
    "div",
    { class: "minutes-notes" },
    h("label", { class: "field minutes-note-field" }, label, text),
    h("div", { class: "minutes-note-conflict-row" }, conflict, loadTheirs),
    h("div", { class: "minutes-note-actions" }, status, saveButton),
  );

  function currentText() {
    return model?.state ? (noteOf(model.state.minutes, itemId)?.text ?? "") : "";
  }

  async function save() {
    clearTimeout(idleTimer);
    if (!dirty || model?.connection !== "live") return;
    const sent = text.value;
    const ack = await run("minutes.note.set", { item_id: itemId, text: sent }, "minutes-note");
    if (ack?.ok && text.value === sent) {
      dirty = false;
      base = sent.trim();
    }
    paint();
  }

  /** Show another item's note; unsaved text of the previous one is saved on the way. */
  function showItem(next) {
    if (next === itemId) return;
    clearTimeout(idleTimer);
    if (dirty && model?.connection === "live") {
      const data = { item_id: itemId, text: text.value };
      run("minutes.note.set", data, `minutes-note-left:${itemId}`);
    }
    itemId = next;
    dirty = false;
    text.value = currentText();
    base = text.value;
    paint();
  }

  function paint() {
    if (!model?.state) return;
    const note = noteOf(model.state.minutes, itemId);
    setText(label, t("minutes.note.label"));
    text.placeholder = t("minutes.note.placeholder");
    if (!dirty && text.value !== (note?.text ?? "")) {
      text.value = note?.text ?? "";
      base = text.value;
    }
    const theirs = dirty && (note?.text ?? "") !== base;
    conflict.hidden = !theirs;
    loadTheirs.hidden = !theirs;
    if (theirs) {
      const who = displayName(model.state, note?.updatedBy) ?? "";
      setText(conflict, t("minutes.note.changedMeanwhile", { name: who }));
      setText(loadTheirs, t("minutes.note.loadTheirs"));
    }
    const busy = model.busy.has("minutes-note");
    if (busy) setText(status, t("minutes.note.saving"));
    else if (dirty) setText(status, t("minutes.note.unsaved"));
    else if (note) {
      const name = displayName(model.state, note.updatedBy);
      const time = formatClock(note.updatedAt);
      const saved = name
        ? t("minutes.note.saved", { time, name })
        : t("minutes.note.savedAt", { time });
      setText(status, saved);
    } else setText(status, t("minutes.note.none"));
    status.dataset.state = busy ? "saving" : dirty ? "unsaved" : note ? "saved" : "empty";
    setText(saveButton, t("minutes.note.save"));
    saveButton.disabled = !dirty || busy || model.connection !== "live";
    text.disabled = model.connection !== "live";
  }

  return {
    el,
    showItem,
    update(nextModel) {
      const wasLive = model?.connection === "live";
      model = nextModel;
      // Back online with unsaved text: it saves itself again after the idle pause.
      if (dirty && !wasLive && model.connection === "live") {
        clearTimeout(idleTimer);
        idleTimer = setTimeout(() => save(), AUTOSAVE_IDLE_MS);
      }
      paint();
    },
    destroy() {
      clearTimeout(idleTimer);
    },
  };
}
