// @ts-check
// Voting rules in words: a committee's rule (the meeting's `committee_rules`, as the server
// sends it) and what a poll needs to pass (the `requirement` each poll event carries, or the
// result once closed). Nothing here computes a threshold or a base: where the server does
// not know the base yet (present: at open; votes cast: at close) the text says when it will.

import { t, tn } from "./i18n.js";
import { isSpecial, specialNeeds } from "./elections.js";

/** A quorum rule in words ("ít nhất 2/3 tổng số thành viên"). */
export function quorumText(quorum) {
  if (quorum.kind === "none") return t("rule.quorum.none");
  if (quorum.kind === "count") return tn("rule.quorum.count", quorum.count);
  const [num, den] = quorum.fraction;
  if (quorum.strict && num * 2 === den) return t("rule.quorum.moreThanHalf");
  return t(quorum.strict ? "rule.quorum.moreThan" : "rule.quorum.atLeast", { num, den });
}

/** A majority rule in words, lower case ("quá nửa tổng số thành viên"). */
export function majorityText(name) {
  return t(`rule.majority.${name}`);
}

/** The committee's rule as one sentence, or a neutral one when the server sent none. */
export function committeeRuleText(rules) {
  if (!rules) return t("poll.committeeRuleUnknown");
  return t("poll.committeeRule", {
    kind: t(`committee.kind.${rules.kind}`),
    majority: majorityText(rules.majority),
    quorum: quorumText(rules.quorum),
  });
}

/** What the poll needs to pass, from the server's numbers; null in a log older than them. */
export function requirementText(poll) {
  const known = poll.result
    ? { base_kind: poll.result.majority.base, base: poll.result.base, needed: poll.result.needed }
    : poll.requirement;
  if (!known) return null;
  if (isSpecial(poll)) return specialNeeds(poll, needs(known, true, poll.majority));
  const options = poll.kind === "options";
  const text = needs(known, options, poll.majority);
  return options ? t("poll.needs.eachOption", { text }) : text;
}

function needs({ base_kind: kind, base, needed }, options, majority) {
  const votes = base === null ? null : tn(options ? "poll.votesOption" : "poll.votesYes", needed);
  if (kind === "members") {
    return t("poll.needs.members", { votes, members: tn("poll.allMembers", base) });
  }
  if (kind === "present") {
    if (base === null) return t("poll.needs.presentLater", { share: t(`rule.share.${majority}`) });
    return t("poll.needs.present", { votes, members: tn("poll.memberCount", base) });
  }
  if (base === null) return t("poll.needs.castLater");
  const ballots = tn("poll.ballotsCast", base);
  return t(options ? "poll.needs.castOptions" : "poll.needs.cast", { votes, ballots });
}
