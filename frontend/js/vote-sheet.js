// @ts-check
// The vote sheet: opens by itself on every tablet that may vote when a poll opens. Big
// answers, a confirmation step, then "counted" — and for a secret ballot the receipt, shown
// once by the server and kept on this tablet. A member who holds others' votes (proxies)
// votes for each in turn. A half-filled choice is kept in sessionStorage. The sheet says
// what the poll needs to pass, in the server's numbers.
//
// The room around it: the chair's sheet carries the chair's controls (vote-chair-bar.js),
// so a modal sheet never stands between the chair and closing a poll; a vote recorded from
// another device says so (and the choice, in a named poll); without a connection the sheet
// itself says that nothing is sent and what happens next.
//
// This module keeps the sheet's flow (which poll, which voter, which step; sending; when to
// open by itself); its top lines are drawn by vote-sheet-head.js, each step by vote-steps.js.

import { h, replaceChildren } from "./dom.js";
import { errorText, lang, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { voteStorage } from "./vote-storage.js";
import { pastDeadline, youIn } from "./voting-state.js";
import { recordedText } from "./your-vote.js";
import { initialChoice } from "./election-sheet.js";
import { createVoteChairBar } from "./vote-chair-bar.js";
import { isValidChoice } from "./vote-choices.js";
import { SHEET_TITLE_ID, createVoteSheetHead } from "./vote-sheet-head.js";
import { stepContent } from "./vote-steps.js";

/** @typedef {import("./vote-steps.js").Step} Step */

/**
 * @param {object} options
 * @param {import("../types/room.js").CommandLink} options.link
 * @param {number} options.meetingId
 * @param {((pollId: number) => Promise<boolean>) | null} [options.closePoll] the chair's:
 *   asks, closes, resolves to true once closed
 */
export function createVoteSheet({ link, meetingId, closePoll = null }) {
  /** @type {import("../types/room.js").RoomModel | null} */
  let model = null;
  let pollId = null; // the poll on the sheet
  let voterId = null;
  /** @type {Step} */
  let step = "choose";
  /** @type {unknown} "yes" | "no" | "abstain" | [indexes] | an election's form */
  let choice = null;
  let receipt = null;
  let errorCode = null;
  let renderedConnection = null;
  let renderedLang = null;

  let remindedBy = null; // {pollId, userId} of the last reminder, until the sheet closes

  const head = createVoteSheetHead();
  const body = h("div", { class: "sheet-body" });
  const actions = h("div", { class: "dialog-actions sheet-actions" });
  const chairBar = createVoteChairBar({ closePoll, onClosed: () => close() });
  const dialog = h(
    "dialog",
    {
      class: "dialog vote-sheet",
      "aria-labelledby": SHEET_TITLE_ID,
      dataset: { testid: "vote-sheet" },
    },
    head.elements,
    body,
    actions,
    chairBar.el,
  );
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault(); // Esc = "later", through the same path
    later();
  });
  document.body.append(dialog);

  function poll() {
    return pollId === null ? null : (model?.state?.voting.polls[pollId] ?? null);
  }

  function me() {
    return model?.you?.user_id ?? null;
  }

  /** @param {number} userId */
  function name(userId) {
    return displayName(model.state, userId) ?? t("person.unknown", { id: userId });
  }

  function saveDraft() {
    if (pollId === null || voterId === null) return;
    voteStorage.saveDraft(
      meetingId,
      pollId,
      voterId,
      step === "done" ? null : { choice, step: step === "confirm" ? "confirm" : "choose" },
    );
  }

  /** @param {number} id @param {number} voter */
  function begin(id, voter) {
    pollId = id;
    voterId = voter;
    const draft = voteStorage.draft(meetingId, id, voter);
    choice = draft?.choice ?? initialChoice(model?.state?.voting.polls[id]);
    step = draft?.step === "confirm" && choice !== null ? "confirm" : "choose";
    receipt = null;
    errorCode = null;
    render();
    if (!dialog.open) dialog.showModal();
  }

  function close() {
    pollId = null;
    voterId = null;
    remindedBy = null;
    if (dialog.open) dialog.close();
  }

  function later() {
    if (pollId !== null && step !== "done") voteStorage.setDismissed(meetingId, pollId, true);
    close();
  }

  /** A reminder from the chair or the clerk: opens the sheet when this tablet still has a
   * vote to cast in that poll (also after "later"); otherwise nothing.
   * @param {number} id @param {number} fromUserId */
  function remind(id, fromUserId) {
    const p = model?.state?.voting.polls[id];
    if (!p || p.status !== "open" || pastDeadline(p, Date.now())) return;
    const you = youIn(p, me());
    const pending = you.can_vote_for.filter((v) => !you.voted_for.includes(v));
    if (pending.length === 0) return;
    voteStorage.setDismissed(meetingId, id, false);
    if (pollId !== id) begin(id, pending[0]);
    remindedBy = { pollId: id, userId: fromUserId };
    render();
  }

  /** Open the sheet for a poll on request (the "Vote" button on its card). @param {number} id */
  function openFor(id) {
    const p = model?.state?.voting.polls[id];
    if (!p) return;
    voteStorage.setDismissed(meetingId, id, false);
    const you = youIn(p, me());
    if (you.can_vote_for.length > 0) begin(id, you.can_vote_for[0]);
  }

  /** @param {unknown} value */
  function choose(value) {
    choice = value;
    errorCode = null;
    saveDraft();
    render();
  }

  /** @param {Step} next "choose" or "confirm" */
  function goTo(next) {
    step = next;
    saveDraft();
    render();
  }

  async function send() {
    const p = poll();
    if (!p || !isValidChoice(p, choice)) return;
    step = "sending";
    render();
    /** @type {Record<string, unknown>} */
    const data = { poll_id: p.id, choice };
    if (voterId !== me()) data.on_behalf_of = voterId;
    // Marked before sending: the event may come back before the ack does.
    voteStorage.setCastHere(meetingId, p.id, voterId, true);
    const ack = await link.command("vote.cast", data);
    // A timeout leaves it open whether the vote arrived: the log will tell.
    if (!ack.ok && ack.error?.code !== "timeout") {
      voteStorage.setCastHere(meetingId, p.id, voterId, false);
    }
    if (pollId !== p.id) return;
    if (ack.ok) {
      receipt = ack.receipt ?? null;
      if (receipt) voteStorage.saveReceipt(meetingId, p.id, voterId, receipt);
      step = "done";
      voteStorage.saveDraft(meetingId, p.id, voterId, null);
    } else {
      errorCode = ack.error?.code ?? "internal";
      step =
        errorCode === "poll-closed" ? "closed" : errorCode === "double-vote" ? "done" : "choose";
    }
    render();
  }

  /** "The chair reminds you to vote", while this voter's vote is still to be cast. */
  function showReminder(p) {
    const shown = remindedBy?.pollId === p.id && ["choose", "confirm"].includes(step);
    head.showReminder(shown ? name(remindedBy.userId) : null);
  }

  /** Why the sheet waits, while there is no connection and a vote is still to be sent. */
  function showOffline() {
    renderedConnection = model.connection;
    const waiting = model.connection !== "live" && ["choose", "confirm", "sending"].includes(step);
    head.showOffline(!waiting ? null : step === "sending" ? "sending" : "choose");
  }

  /** What the sheet says once this voter's vote is recorded. */
  function recordedLine(p) {
    if (errorCode === "double-vote" || !voteStorage.castHere(meetingId, p.id, voterId)) {
      return recordedText(p, voterId, me(), meetingId, name) ?? errorText("double-vote");
    }
    return t("vote.recorded");
  }

  /** The next person whose vote this voter holds and who has not voted, or undefined. */
  function nextProxy(p) {
    const you = youIn(p, me());
    return you.can_vote_for.find((v) => v !== voterId && !you.voted_for.includes(v));
  }

  function render() {
    const p = poll();
    if (!p) return;
    renderedLang = lang();
    dialog.dataset.step = step;
    dialog.dataset.pollId = String(p.id);
    head.showTitle(p, voterId === me() ? null : name(voterId));
    head.showNeeds(p);
    showOffline();
    showReminder(p);
    chairBar.show(model, p);
    const proxy = step === "done" ? nextProxy(p) : undefined;
    const content = stepContent({
      poll: p,
      step,
      choice,
      receipt,
      errorCode,
      live: model.connection === "live",
      recordedLine: () => recordedLine(p),
      nextProxyName: proxy === undefined ? null : name(proxy),
      choose,
      goTo,
      later,
      send,
      next: () => begin(p.id, proxy),
      close,
    });
    replaceChildren(body, content.body);
    replaceChildren(actions, content.actions);
  }

  /** @param {import("../types/room.js").RoomModel} nextModel */
  function update(nextModel) {
    model = nextModel;
    if (!model.state || !model.you) return;
    const p = poll();
    if (p) {
      head.showNeeds(p);
      chairBar.show(model, p);
      if (step === "sending" || step === "done") return render();
      if (renderedConnection !== model.connection) return render();
      if (p.status !== "open") {
        step = "closed";
        return render();
      }
      const you = youIn(p, me());
      if (!you.can_vote_for.includes(voterId)) {
        // Voted from another tablet meanwhile.
        step = "done";
        return render();
      }
      if (renderedLang !== lang()) return render();
      const confirm = /** @type {HTMLButtonElement | null} */ (
        actions.querySelector("[data-testid=vote-confirm]")
      );
      if (confirm) confirm.disabled = model.connection !== "live";
      return;
    }
    const now = Date.now();
    for (const candidate of Object.values(model.state.voting.polls).sort((a, b) => a.id - b.id)) {
      if (candidate.status !== "open" || pastDeadline(candidate, now)) continue;
      if (voteStorage.dismissed(meetingId, candidate.id)) continue;
      const you = youIn(candidate, me());
      // A vote this tablet sent counts as cast even before the room shows it: a secret
      // poll's participation is held back for up to a second (docs/voting.md).
      const next = you.can_vote_for.find(
        (v) => !you.voted_for.includes(v) && !voteStorage.castHere(meetingId, candidate.id, v),
      );
      if (next !== undefined) {
        begin(candidate.id, next);
        return;
      }
    }
  }

  return {
    el: dialog,
    update,
    openFor,
    remind,
    destroy() {
      if (dialog.open) dialog.close();
      dialog.remove();
    },
  };
}
