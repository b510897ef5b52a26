// @ts-check
// The answers of a poll on the vote sheet, and the rules of a well-formed choice.
//
// A choice is "yes" | "no" | "abstain" (yes/no/abstain polls), a sorted list of option
// indexes — [] for a blank ballot — (option polls), or an election's or a confidence vote's
// own form (elections.js). isValidChoice() says whether the sheet may go on to confirm;
// the server checks again.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { isSpecial, validChoice } from "./elections.js";
import { specialChoices } from "./election-sheet.js";

const YES_NO_ABSTAIN = ["yes", "no", "abstain"];

/** @param {any} poll @param {unknown} value */
export function isValidChoice(poll, value) {
  if (!poll || value === null) return false;
  if (isSpecial(poll)) return validChoice(poll, value);
  if (poll.kind === "yes_no_abstain") return YES_NO_ABSTAIN.includes(/** @type {string} */ (value));
  return (
    Array.isArray(value) &&
    (value.length === 0 ||
      (value.length >= (poll.min_choices ?? 1) && value.length <= (poll.max_choices ?? 1)))
  );
}

/** The choice after a tap on option `index`: on again is off; a one-answer poll swaps;
 * a many-answer poll adds while below max_choices.
 * @param {any} poll @param {unknown} choice @param {number} index @returns {number[]} */
export function toggledChoice(poll, choice, index) {
  let current = Array.isArray(choice) ? [...choice] : [];
  if (current.includes(index)) current = current.filter((i) => i !== index);
  else if ((poll.max_choices ?? 1) === 1) current = [index];
  else if (current.length < poll.max_choices) current.push(index);
  return current.sort((a, b) => a - b);
}

/** The answer buttons for `choice`; a tap calls `choose(next choice)`.
 * @param {any} poll @param {unknown} choice @param {(value: unknown) => void} choose
 * @returns {HTMLElement[] | HTMLElement} */
export function choiceButtons(poll, choice, choose) {
  if (isSpecial(poll)) return specialChoices(poll, choice, choose);
  if (poll.kind === "yes_no_abstain") {
    return YES_NO_ABSTAIN.map((value) =>
      bigButton(t(`vote.choice.${value}`), choice === value, () => choose(value), {
        choice: value,
      }),
    );
  }
  const picked = Array.isArray(choice) ? choice : [];
  return [
    ...poll.options.map((/** @type {string} */ label, /** @type {number} */ index) =>
      bigButton(label, picked.includes(index), () => choose(toggledChoice(poll, choice, index)), {
        choice: String(index),
      }),
    ),
    bigButton(
      t("vote.choice.blank"),
      Array.isArray(choice) && choice.length === 0,
      () => choose([]),
      { choice: "blank" },
    ),
  ];
}

/** @param {string} label @param {boolean} selected @param {() => void} onclick
 * @param {Record<string, string>} data */
function bigButton(label, selected, onclick, data) {
  return h(
    "button",
    {
      type: "button",
      class: `choice-button${selected ? " is-selected" : ""}`,
      "aria-pressed": String(selected),
      dataset: { testid: "vote-choice", ...data },
      onclick,
    },
    h("span", { class: "choice-mark", "aria-hidden": "true" }),
    h("span", { class: "choice-label" }, label),
  );
}
