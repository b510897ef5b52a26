// @ts-check
// The election ballot on the vote sheet: every candidate as a large row, kept or crossed
// out (gạch tên) with one tap, and a counter "2 of 3 kept". Keeping more names than seats
// is not possible here (the server would refuse it with too-many-kept); keeping nobody is.

import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { confidenceChoices } from "./confidence-sheet.js";
import { CONFIDENCE, ELECTION } from "./elections.js";

/** `kept`: the indexes kept (ascending); `onChange(next)` with the new list. */
export function electionChoices(poll, kept, onChange) {
  const seats = poll.max_choices ?? 1;
  const full = kept.length >= seats;
  const rows = poll.options.map((name, index) => {
    const isKept = kept.includes(index);
    return h(
      "button",
      {
        type: "button",
        class: `election-row${isKept ? " is-kept" : " is-crossed"}`,
        "aria-pressed": String(isKept),
        "aria-disabled": String(!isKept && full),
        dataset: { testid: "election-candidate", index: String(index), kept: String(isKept) },
        onclick: () => {
          if (isKept) onChange(kept.filter((i) => i !== index));
          else if (!full) onChange([...kept, index].sort((a, b) => a - b));
        },
      },
      h("span", { class: "election-name" }, name),
      h("span", { class: "election-state" }, t(isKept ? "election.keep" : "election.crossedOut")),
    );
  });
  return h(
    "div",
    { class: "election-sheet" },
    h("p", { class: "muted" }, tn("election.hint", seats)),
    h(
      "p",
      {
        class: `election-counter${full ? " is-full" : ""}`,
        role: "status",
        dataset: { testid: "election-counter" },
      },
      tn("election.keptCount", seats, { kept: kept.length }),
    ),
    full && kept.length < poll.options.length
      ? h("p", { class: "field-hint" }, t("election.tooMany"))
      : null,
    h("div", { class: "election-list", role: "group" }, rows),
  );
}

/** The choice a new ballot starts from: an election keeps every name when there are no
 * more candidates than seats, and none otherwise (each voter picks whom to keep); a
 * confidence vote has nobody rated. Null for the other kinds. */
export function initialChoice(poll) {
  if (poll?.kind === ELECTION) {
    const seats = poll.max_choices ?? 1;
    return poll.options.length <= seats ? poll.options.map((_, i) => i) : [];
  }
  if (poll?.kind === CONFIDENCE) return poll.options.map(() => null);
  return null;
}

/** The ballot of an election or a confidence vote, for the sheet's "choose" step. */
export function specialChoices(poll, choice, onChange) {
  const start = Array.isArray(choice) ? choice : (initialChoice(poll) ?? []);
  return poll.kind === ELECTION
    ? electionChoices(poll, start, onChange)
    : confidenceChoices(poll, start, onChange);
}
