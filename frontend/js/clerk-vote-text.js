// @ts-check
// What a member's own tablet says about a vote the clerk handled for them (voting/_clerk.py):
// a named vote the clerk recorded on their behalf, or a paper ballot in a secret poll.
// your-vote.js asks this first, so the card and the vote sheet say the same.

import { choiceLabel } from "./clerk-vote-dialog.js";
import { t } from "./i18n.js";

/** The sentence, or null when the clerk did nothing for `voterId` in this poll. */
export function clerkVoteText(poll, voterId, viewerId) {
  if (voterId !== viewerId) return null; // the clerk acts for members in the room only
  if ((poll.paper_voters ?? []).includes(voterId)) return t("paper.yours");
  const counted = poll.secret && poll.status === "open" && (poll.paper_tally ?? null) !== null;
  if (counted && !poll.voted.includes(voterId)) return t("paper.tabletEnded");
  if (poll.recorded?.[voterId] !== undefined && voterId in poll.votes) {
    return t("clerk.yours", { choice: choiceLabel(poll, poll.votes[voterId]) });
  }
  return null;
}
