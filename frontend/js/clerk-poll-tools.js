// @ts-check
// What a poll card shows and offers for members without a device (voting/_clerk.py):
// the clerk's buttons (record a named vote for a present member; give a paper ballot and
// enter the paper tally in a secret poll), the paper ballots' state, the marks on votes
// the clerk recorded, and the member's own note ("the clerk recorded your vote", "you
// vote on paper"). polls-panel.js places these; the dialogs are in their own modules.

import { openClerkVoteDialog } from "./clerk-vote-dialog.js";
import { h } from "./dom.js";
import { compareNames, t, tn } from "./i18n.js";
import { attendanceOf } from "./meeting-state.js";
import { openMarkPaperDialog, openPaperTallyDialog, supportsPaper } from "./paper-tally-dialog.js";
import { countingVoters } from "./voting-state.js";

/** Members of the poll who vote in person, are checked in now and may still vote. */
function candidates(poll, model, { paper }) {
  const proxied = poll.proxies ?? {};
  return countingVoters(poll).filter(
    (v) =>
      !(String(v) in proxied) &&
      attendanceOf(model.state, v)?.status === "present" &&
      !poll.paper_voters.includes(v) &&
      (!poll.voted.includes(v) || (!paper && poll.allow_change)),
  );
}

function sortedBy(name) {
  return (ids) => [...ids].sort((a, b) => compareNames(name(a), name(b)));
}

/** The clerk's buttons on an open poll's card. */
export function clerkActions(poll, { model, run, name }) {
  if (model.you?.role !== "clerk" || poll.status !== "open" || model.state.status !== "live") {
    return [];
  }
  const key = `poll:${poll.id}`;
  const button = (testid, label, onclick) =>
    h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary btn-small",
        dataset: { testid },
        disabled: model.connection !== "live" || model.busy.has(key),
        onclick,
      },
      label,
    );
  const sorted = sortedBy(name);
  if (!poll.secret) {
    return [
      button("clerk-record", t("clerk.record"), async () => {
        const picked = await openClerkVoteDialog({
          poll,
          candidates: sorted(candidates(poll, model, { paper: false })),
          name,
        });
        if (picked) run("vote.record", { poll_id: poll.id, ...picked }, key);
      }),
    ];
  }
  const actions = [];
  if (poll.paper_tally === null && supportsPaper(poll)) {
    actions.push(
      button("paper-mark", t("paper.mark"), async () => {
        const voter = await openMarkPaperDialog({
          poll,
          candidates: sorted(candidates(poll, model, { paper: true })),
          name,
        });
        if (voter !== null) run("vote.mark_paper", { poll_id: poll.id, voter_id: voter }, key);
      }),
    );
  }
  if (poll.paper_voters.length > 0) {
    actions.push(
      button("paper-tally", t("paper.tally"), async () => {
        const tally = await openPaperTallyDialog({ poll });
        if (tally) run("poll.paper_tally", { poll_id: poll.id, ...tally }, key);
      }),
    );
  }
  return actions;
}

/** Lines for the card: the paper ballots' state (everyone sees who votes on paper, as
 * who voted on a tablet), and the viewer's own note. */
export function clerkNotes(poll, { model, name }) {
  const notes = [];
  const me = model.you?.user_id;
  const shown = poll.status === "open" || poll.status === "closed";
  if (poll.secret && poll.paper_voters.length > 0 && shown) {
    const names = sortedBy(name)(poll.paper_voters).map(name).join(", ");
    const tally = poll.paper_tally;
    const open = poll.status === "open";
    notes.push(
      h(
        "p",
        { class: "paper-status", dataset: { testid: "paper-status" } },
        tn("paper.status.voters", poll.paper_voters.length, { names }),
        open ? " " : null,
        open
          ? h(
              "span",
              { class: tally ? "is-done" : "is-pending" },
              tally ? t("paper.status.entered", tally) : t("paper.status.pending"),
            )
          : null,
      ),
    );
  }
  // A vote the clerk recorded for the viewer shows in the card's own line (your-vote.js).
  if (me !== undefined && poll.paper_voters.includes(me) && poll.status !== "draft") {
    notes.push(h("p", { class: "your-vote", dataset: { testid: "paper-yours" } }, t("paper.yours")));
  }
  return notes;
}

/** The result's paper numbers and the votes the clerk recorded, under the count. */
export function clerkResultLines(poll, { name }) {
  const r = poll.result;
  const lines = [];
  if (r?.paper) {
    lines.push(
      h("p", { class: "result-facts", dataset: { testid: "poll-paper" } }, t("paper.result", r.paper)),
    );
  }
  if (r?.recorded?.length) {
    const names = sortedBy(name)(r.recorded).map(name).join(", ");
    lines.push(
      h(
        "p",
        { class: "result-facts", dataset: { testid: "poll-recorded" } },
        t("clerk.recordedList", { names }),
      ),
    );
  }
  return lines;
}

/** The mark beside a named vote the clerk recorded, or null. */
export function recordedMark(poll, voter) {
  if (poll.recorded?.[voter] === undefined) return null;
  return h("span", { class: "recorded-mark", dataset: { testid: "recorded-mark" } }, t("clerk.recordedMark"));
}

/** What the close confirmation adds when the paper tally is missing ("" otherwise). */
export function paperCloseNote(poll) {
  return poll.secret && poll.paper_voters.length > 0 && poll.paper_tally === null
    ? ` ${t("paper.closeMissing")}`
    : "";
}
