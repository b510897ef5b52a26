// @ts-check
// What a person's tablet says about a vote already cast for them: the choice of a named poll
// (public in the log: `votes`), for a secret poll only that a ballot was counted in (the
// server knows who took part, never what they chose), and whether it was cast from this
// tablet, from another device (vote-storage.js remembers the votes this tablet sent) or
// recorded by the clerk (`poll.recorded`, voting-state.js).

import { clerkVoteText } from "./clerk-vote-text.js";
import { t } from "./i18n.js";
import { voteStorage } from "./vote-storage.js";

/** A choice in words: an answer of a yes/no/abstain poll, or the options marked. */
export function choiceText(poll, choice) {
  if (typeof choice === "string") return t(`vote.choice.${choice}`);
  if (!Array.isArray(choice)) return ""; // a kind of ballot this file does not know
  if (choice.length === 0) return t("vote.choice.blank");
  return choice.map((i) => poll.options[i]).join(", ");
}

/** The recorded vote of `voterId` (the viewer or someone whose vote they hold), or null when
 * none is recorded. `where`: "here", "elsewhere" (no vote for them was sent from this
 * tablet) or "clerk" (the clerk recorded it). */
export function recordedVote(poll, voterId, meetingId) {
  if (!poll.voted.includes(voterId)) return null;
  const choice = poll.secret ? null : (poll.votes[voterId] ?? null);
  let where = voteStorage.castHere(meetingId, poll.id, voterId) ? "here" : "elsewhere";
  if (poll.recorded?.[voterId] !== undefined) where = "clerk";
  return { choice: choice === null ? null : choiceText(poll, choice), where };
}

/** One sentence: "Your vote was recorded from another device: In favour." */
export function recordedText(poll, voterId, viewerId, meetingId, name) {
  const byClerk = clerkVoteText(poll, voterId, viewerId); // recorded by the clerk, or paper
  if (byClerk !== null) return byClerk;
  const vote = recordedVote(poll, voterId, meetingId);
  if (vote === null) return null;
  const who = voterId === viewerId ? "mine" : "proxy";
  const what = vote.choice === null ? "secret" : "named";
  return t(`vote.recorded.${who}.${vote.where}.${what}`, {
    choice: vote.choice ?? "",
    name: voterId === viewerId ? "" : name(voterId),
  });
}
