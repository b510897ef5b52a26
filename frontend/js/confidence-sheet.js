// @ts-check
// The confidence ballot on the vote sheet: one row per person, three large buttons each
// (tín nhiệm cao / tín nhiệm / tín nhiệm thấp), and a counter of persons rated. Every
// person must be rated before the ballot can be sent.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { LEVELS } from "./elections.js";

/** `ratings`: one level or null per person; `onChange(next)` with the new list. */
export function confidenceChoices(poll, ratings, onChange) {
  const rated = ratings.filter((r) => r !== null).length;
  const rows = poll.options.map((name, person) =>
    h(
      "div",
      { class: "confidence-row", role: "group", "aria-label": name, dataset: { testid: "confidence-person" } },
      h("p", { class: "confidence-name" }, name),
      h(
        "div",
        { class: "confidence-levels" },
        LEVELS.map((level) => {
          const selected = ratings[person] === level;
          return h(
            "button",
            {
              type: "button",
              class: `confidence-level level-${level}${selected ? " is-selected" : ""}`,
              "aria-pressed": String(selected),
              dataset: { testid: "confidence-level", level: String(level) },
              onclick: () => onChange(ratings.map((r, i) => (i === person ? level : r))),
            },
            t(`confidence.level.${level}`),
          );
        }),
      ),
    ),
  );
  return h(
    "div",
    { class: "confidence-sheet" },
    h("p", { class: "muted" }, t("confidence.hint")),
    h(
      "p",
      { class: "election-counter", role: "status", dataset: { testid: "confidence-counter" } },
      t("confidence.rated", { rated, count: poll.options.length }),
    ),
    rows,
  );
}
