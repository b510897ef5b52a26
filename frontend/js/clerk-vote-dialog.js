// @ts-check
// The clerk's dialog for a member without a working tablet, in a named poll: pick a member
// who is present and has not voted, pick their choice, confirm. The answer becomes a
// `vote.record` command; the vote counts as the member's own and is marked "recorded by
// the clerk" everywhere (voting/_clerk.py). Also the member picker that paper-tally-dialog.js
// uses to give a paper ballot.

import { h } from "./dom.js";
import { t } from "./i18n.js";

/** A list of radio rows (each ≥ 44 px high), one per person; `onchange(userId)`. */
export function memberPicker(people, name, testid, onchange) {
  const group = `pick-${testid}`;
  return h(
    "div",
    { class: "pick-list", role: "radiogroup", dataset: { testid } },
    people.map((userId) => {
      const input = h("input", {
        type: "radio",
        name: group,
        value: String(userId),
        onchange: () => onchange(userId),
      });
      return h(
        "label",
        { class: "pick-row", dataset: { testid: `${testid}-option`, userId: String(userId) } },
        input,
        h("span", {}, name(userId)),
      );
    }),
  );
}

/** Rows for the poll's choices: yes / no / abstain as radios; an options poll's options as
 * radios with "none of the options" when a ballot marks one, as checkboxes when it marks
 * several (none checked abstains). `onchange(choice)`, null while the marks do not fit. */
function choicePicker(poll, onchange) {
  if (poll.kind === "yes_no_abstain") {
    return radioChoices(
      ["yes", "no", "abstain"].map((c) => [c, t(`vote.choice.${c}`)]),
      onchange,
    );
  }
  if (poll.max_choices === 1) {
    const rows = poll.options.map((label, i) => [[i], label]);
    return radioChoices([...rows, [[], t("vote.choice.blank")]], onchange);
  }
  const picked = new Set();
  return h(
    "div",
    { class: "pick-list", dataset: { testid: "clerk-choice" } },
    poll.options.map((label, i) =>
      h(
        "label",
        { class: "pick-row", dataset: { testid: "clerk-choice-option" } },
        h("input", {
          type: "checkbox",
          onchange: (event) => {
            if (event.target.checked) picked.add(i);
            else picked.delete(i);
            const choice = [...picked].sort((a, b) => a - b);
            const fits = choice.length === 0 || choice.length >= poll.min_choices;
            onchange(fits && choice.length <= poll.max_choices ? choice : null);
          },
        }),
        h("span", {}, label),
      ),
    ),
  );
}

function radioChoices(entries, onchange) {
  return h(
    "div",
    { class: "pick-list pick-choices", role: "radiogroup", dataset: { testid: "clerk-choice" } },
    entries.map(([value, label]) =>
      h(
        "label",
        { class: "pick-row", dataset: { testid: "clerk-choice-option" } },
        h("input", { type: "radio", name: "clerk-choice", onchange: () => onchange(value) }),
        h("span", {}, label),
      ),
    ),
  );
}

export function choiceLabel(poll, choice) {
  if (typeof choice === "string") return t(`vote.choice.${choice}`);
  if (choice.length === 0) return t("vote.choice.blank");
  return choice.map((i) => poll.options[i]).join(", ");
}

/** Resolves to `{voter_id, choice}` for `vote.record`, or null when cancelled.
 * `candidates`: present members of the poll who may still vote (ids). */
export function openClerkVoteDialog({ poll, candidates, name }) {
  return new Promise((resolve) => {
    let voter = null;
    let choice = null;
    let answer = null;
    const summary = h("p", { class: "pick-summary", dataset: { testid: "clerk-summary" } });
    const confirm = h(
      "button",
      { type: "button", class: "btn btn-primary", dataset: { testid: "clerk-record-confirm" } },
      t("clerk.record.confirm"),
    );
    const cancel = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "dialog-cancel" } },
      t("dialog.cancel"),
    );
    function refresh() {
      const ready = voter !== null && choice !== null;
      confirm.disabled = !ready;
      summary.textContent = ready
        ? t("clerk.record.summary", { name: name(voter), choice: choiceLabel(poll, choice) })
        : t("clerk.record.pick");
    }
    const dialog = h(
      "dialog",
      {
        class: "dialog dialog-wide dialog-form clerk-dialog",
        "aria-labelledby": "clerk-record-title",
        dataset: { testid: "clerk-record-dialog" },
      },
      h("h2", { class: "dialog-title", id: "clerk-record-title" }, t("clerk.record.title")),
      h("p", { class: "dialog-body" }, poll.title),
      h("p", { class: "muted" }, t("clerk.record.intro")),
      candidates.length === 0
        ? h("p", { class: "pick-empty" }, t("clerk.record.none"))
        : h(
            "div",
            { class: "pick-columns" },
            h(
              "fieldset",
              { class: "pick-field" },
              h("legend", { class: "field-label" }, t("clerk.record.member")),
              memberPicker(candidates, name, "clerk-member", (id) => {
                voter = id;
                refresh();
              }),
            ),
            h(
              "fieldset",
              { class: "pick-field" },
              h("legend", { class: "field-label" }, t("clerk.record.choice")),
              choicePicker(poll, (value) => {
                choice = value;
                refresh();
              }),
            ),
          ),
      summary,
      h("div", { class: "dialog-actions" }, cancel, confirm),
    );
    cancel.addEventListener("click", () => dialog.close());
    confirm.addEventListener("click", () => {
      answer = { voter_id: voter, choice };
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    refresh();
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
