// @ts-check
// Keeping the minutes during (and after) the meeting — the clerk's, and the chair's where
// the rules let the chair edit (NOTE_EDITORS on the server): pick an agenda item (it
// follows the item under discussion until another is picked), then its note and its
// decisions; the absences with their reasons below.

import { h, replaceChildren, setText } from "./dom.js";
import { t } from "./i18n.js";
import { agendaRows } from "./agenda-state.js";
import { createMinutesAbsences } from "./minutes-absences.js";
import { createMinutesDecisions } from "./minutes-decisions.js";
import { createMinutesNotes } from "./minutes-notes.js";

/** Whether the viewer keeps the minutes: the join answer's `you.commands` lists what their
 * role may send (ecabinet/meetings/commands.py), so the roles are not copied here. */
export function keepsMinutes(you) {
  return you?.commands?.includes("minutes.note.set") ?? false;
}
const GENERAL_VALUE = "general";

export function createMinutesKeeper({ run }) {
  let model = null;
  let picked = null; // the item picked by hand (value of the select), or null: follow
  let followedCurrent = undefined;

  const notes = createMinutesNotes({ run });
  const decisions = createMinutesDecisions({ run });
  const absences = createMinutesAbsences({ run });
  const heading = h("h3", { class: "minutes-subtitle" });
  const itemLabel = h("span", { class: "field-label" });
  const select = h("select", {
    class: "select minutes-item-select",
    dataset: { testid: "minutes-item" },
    onchange: () => {
      picked = select.value;
      show();
    },
  });
  const el = h(
    "div",
    { class: "minutes-keeper", dataset: { testid: "minutes-keeper" } },
    h(
      "div",
      { class: "minutes-keeper-main" },
      heading,
      h("label", { class: "field" }, itemLabel, select),
      notes.el,
      decisions.el,
    ),
    absences.el,
  );

  function chosenValue() {
    const currentId = model.state.agenda.currentId;
    if (picked !== null) return picked;
    return currentId === null ? GENERAL_VALUE : String(currentId);
  }

  function show() {
    const value = chosenValue();
    const itemId = value === GENERAL_VALUE ? null : Number(value);
    notes.showItem(itemId);
    decisions.showItem(itemId);
  }

  function paintSelect() {
    const rows = agendaRows(model.state.agenda);
    const currentId = model.state.agenda.currentId;
    // Follow the item under discussion: a new current item drops a hand-picked one.
    if (followedCurrent !== undefined && currentId !== followedCurrent) picked = null;
    followedCurrent = currentId;
    const value = chosenValue();
    if (select.contains(document.activeElement) && select.options.length === rows.length + 1) {
      return; // an open select keeps its options while the person chooses
    }
    replaceChildren(
      select,
      h("option", { value: GENERAL_VALUE }, t("minutes.item.general")),
      rows.map((row) =>
        h(
          "option",
          { value: String(row.id) },
          t(row.id === currentId ? "minutes.item.current" : "minutes.item.option", {
            number: row.number,
            title: row.title,
          }),
        ),
      ),
    );
    select.value = rows.some((r) => String(r.id) === value) ? value : GENERAL_VALUE;
    if (select.value !== value) picked = null;
  }

  return {
    el,
    update(nextModel) {
      model = nextModel;
      el.hidden = !model.state || !keepsMinutes(model.you);
      if (el.hidden) return;
      setText(heading, t("minutes.keeping"));
      setText(itemLabel, t("minutes.item.label"));
      paintSelect();
      notes.update(model);
      decisions.update(model);
      absences.update(model);
      show();
      select.disabled = model.connection !== "live";
    },
    destroy() {
      notes.destroy();
    },
  };
}
