// @ts-check
// Who is absent (never checked in, or left) and why: one row per person with the reason
// the minutes will give (`minutes.absence.set {user_id, reason}`; null clears it). Rows are
// kept per user id, so typing survives the re-renders of live updates.

import { h, setText } from "./dom.js";
import { compareNames, t } from "./i18n.js";
import { attendanceOf } from "./meeting-state.js";

const REASON_MAX_CHARS = 300;

export function createMinutesAbsences({ run }) {
  let model = null;
  const rows = new Map(); // user_id -> {el, update(person)}

  const summary = h("summary", { class: "minutes-absences-summary" });
  const none = h("p", { class: "muted" });
  const list = h("ul", { class: "minutes-absences", dataset: { testid: "minutes-absences" } });
  const el = h(
    "details",
    { class: "minutes-absences-box", dataset: { testid: "minutes-absences-box" } },
    summary,
    none,
    list,
  );

  function makeRow(userId) {
    const name = h("span", { class: "minutes-absence-name" });
    const state = h("span", { class: "minutes-absence-state muted" });
    const input = h("input", {
      class: "input",
      type: "text",
      maxlength: String(REASON_MAX_CHARS),
      dataset: { testid: "minutes-absence-reason" },
      oninput: () => paintRow(),
    });
    const save = h("button", {
      type: "button",
      class: "btn btn-secondary btn-small",
      dataset: { testid: "minutes-absence-save" },
      onclick: () => {
        const reason = input.value.trim();
        run("minutes.absence.set", { user_id: userId, reason: reason || null }, key());
      },
    });
    const label = h("label", { class: "minutes-absence-field" }, input);
    const el = h(
      "li",
      { class: "minutes-absence", dataset: { testid: "minutes-absence", userId: String(userId) } },
      h("div", { class: "minutes-absence-who" }, name, state),
      h("div", { class: "minutes-absence-edit" }, label, save),
    );
    let shown = null; // the reason last shown from the state

    function key() {
      return `minutes-absence:${userId}`;
    }

    function paintRow() {
      const reason = model.state.minutes.absences[String(userId)] ?? null;
      const typed = input.value.trim();
      save.disabled =
        model.connection !== "live" || model.busy.has(key()) || typed === (reason ?? "");
      setText(save, typed || !reason ? t("minutes.absence.save") : t("minutes.absence.clear"));
    }

    return {
      el,
      update(person) {
        const reason = model.state.minutes.absences[String(userId)] ?? null;
        setText(name, person.display_name);
        const left = attendanceOf(model.state, userId)?.status === "left";
        const parts = [];
        if (left) parts.push(t("minutes.absence.left"));
        parts.push(
          reason ? t("minutes.absence.excused", { reason }) : t("minutes.absence.unexcused"),
        );
        setText(state, parts.join(" · "));
        const label = t("minutes.absence.reason", { name: person.display_name });
        input.setAttribute("aria-label", label);
        input.placeholder = t("minutes.absence.placeholder");
        // Live: take the recorded reason unless this person's box is being typed in.
        if (reason !== shown && document.activeElement !== input) input.value = reason ?? "";
        shown = reason;
        paintRow();
      },
    };
  }

  let opened = false; // open for the clerk at first (who records them); then as the person left it

  return {
    el,
    update(nextModel) {
      model = nextModel;
      if (!model.state) return;
      if (!opened && model.you) {
        el.open = model.you.role === "clerk";
        opened = true;
      }
      const absent = model.state.roster
        .filter((p) => attendanceOf(model.state, p.user_id)?.status !== "present")
        .sort((a, b) => compareNames(a.display_name, b.display_name));
      setText(summary, t("minutes.absences.title", { count: absent.length }));
      setText(none, t("minutes.absences.none"));
      none.hidden = absent.length > 0;
      const ids = new Set(absent.map((p) => p.user_id));
      for (const [id, row] of rows) {
        if (!ids.has(id)) {
          row.el.remove();
          rows.delete(id);
        }
      }
      for (const person of absent) {
        let row = rows.get(person.user_id);
        if (!row) {
          row = makeRow(person.user_id);
          rows.set(person.user_id, row);
        }
        row.update(person);
        list.append(row.el); // in name order
      }
    },
  };
}
