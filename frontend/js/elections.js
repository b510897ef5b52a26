// @ts-check
// Elections and confidence votes, what every view shares: is a poll one of these kinds,
// a valid choice, the choice in words, what the poll needs, the verdict and the result
// table of its card. Every number is the server's result; shares arrive as exact
// fractions [count, base] and are only formatted here.

import { h } from "./dom.js";
import { locale, t, tn } from "./i18n.js";

export const ELECTION = "election";
export const CONFIDENCE = "confidence";
export const LEVELS = [0, 1, 2]; // tín nhiệm cao, tín nhiệm, tín nhiệm thấp

export function isSpecial(poll) {
  return poll?.kind === ELECTION || poll?.kind === CONFIDENCE;
}

/** "55,6 %" in vi, "55.6%" in en, from an exact fraction [count, base]. */
export function shareText([count, base]) {
  if (!base) return "–";
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 1 }).format(
    count / base,
  );
}

/** Whether `choice` is a ballot the server accepts for this election or confidence vote. */
export function validChoice(poll, choice) {
  if (!Array.isArray(choice)) return false;
  if (poll.kind === ELECTION) {
    return choice.length <= (poll.max_choices ?? 1) && choice.every((i) => i in poll.options);
  }
  return choice.length === poll.options.length && choice.every((l) => LEVELS.includes(l));
}

/** The choice in words, for the confirmation step. */
export function choiceSummary(poll, choice) {
  if (poll.kind === ELECTION) {
    if (choice.length === 0) return t("election.keptNobody");
    return t("election.summary", { names: choice.map((i) => poll.options[i]).join(", ") });
  }
  return poll.options
    .map((name, i) => `${name}: ${t(`confidence.level.${choice[i]}`)}`)
    .join(" · ");
}

/** The rule's short name on the card and the sheet: a confidence vote has no majority. */
export function ruleName(poll) {
  return poll.kind === CONFIDENCE ? t("confidence.ruleShort") : t(`poll.majority.${poll.majority}`);
}

/** The ballots that chose nothing, for the card's count: an election's "kept nobody"
 * (a confidence ballot always rates everyone). */
export function blankCount(poll) {
  return poll.kind === ELECTION
    ? [t("election.count.blank", { count: poll.result.abstentions })]
    : [];
}

/** What the poll needs, for the card and the sheet; `general` is the usual text. */
export function specialNeeds(poll, general) {
  if (poll.kind === CONFIDENCE) return t(`confidence.needs.${poll.low_flag ?? "more_than_half"}`);
  const seats = tn("election.seatsShort", poll.max_choices ?? 1);
  return `${seats} · ${t("election.needs", { text: general })}`;
}

/** One line: who is elected and who is tied; who is flagged. */
export function specialVerdict(poll) {
  const r = poll.result;
  const names = (indexes) => indexes.map((i) => poll.options[i]).join(", ");
  if (poll.kind === ELECTION) {
    const parts = [
      r.winners.length
        ? t("election.verdict.elected", { names: names(r.winners) })
        : t("election.verdict.none"),
    ];
    const ties = r.election?.tie_for_last_seat ?? [];
    if (ties.length) parts.push(t("election.verdict.tie", { names: names(ties) }));
    return parts.join(". ");
  }
  const c = r.confidence;
  return c.flagged.length
    ? t(`confidence.verdict.flagged.${c.low_flag}`, { names: names(c.flagged) })
    : t(`confidence.verdict.none.${c.low_flag}`);
}

function mark(text, kind) {
  return h("span", { class: `special-mark is-${kind}`, dataset: { testid: `mark-${kind}` } }, text);
}

/** The result of the card: each candidate's votes and share of the base with elected or
 * tied; each person's three levels with count and share of the ballots, flagged or not. */
export function specialResult(poll) {
  const r = poll.result;
  if (poll.kind === ELECTION) {
    const rows = r.election.candidates.map((c) =>
      h(
        "tr",
        {
          class: c.elected ? "is-elected" : c.tied ? "is-tied" : "",
          dataset: { testid: "election-row", index: String(c.index) },
        },
        h("th", { scope: "row" }, poll.options[c.index]),
        h("td", {}, tn("election.votes", c.votes, { share: shareText(c.share) })),
        h(
          "td",
          {},
          c.elected ? mark(t("election.elected"), "elected") : null,
          c.tied ? mark(t("election.tied"), "tied") : null,
        ),
      ),
    );
    return h(
      "table",
      { class: "special-result", dataset: { testid: "election-result" } },
      h("tbody", {}, rows),
    );
  }
  const c = r.confidence;
  const head = h(
    "tr",
    {},
    h("th", { scope: "col" }, t("confidence.person")),
    LEVELS.map((level) => h("th", { scope: "col" }, t(`confidence.level.${level}`))),
    h("th", { scope: "col" }, ""),
  );
  const rows = c.persons.map((p) =>
    h(
      "tr",
      { class: p.flagged ? "is-flagged" : "", dataset: { testid: "confidence-row" } },
      h("th", { scope: "row" }, poll.options[p.index]),
      LEVELS.map((level) =>
        h("td", {}, `${p.counts[level]} (${shareText(p.shares[level])})`),
      ),
      h(
        "td",
        {},
        p.flagged
          ? mark(t("confidence.flagged", { flag: t(`confidence.flag.${c.low_flag}`) }), "flagged")
          : null,
      ),
    ),
  );
  return h(
    "div",
    { class: "special-result-box" },
    h(
      "table",
      { class: "special-result", dataset: { testid: "confidence-result" } },
      h("thead", {}, head),
      h("tbody", {}, rows),
    ),
    h("p", { class: "muted" }, tn("confidence.ballots", c.base)),
  );
}
