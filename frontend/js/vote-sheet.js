// The vote sheet: opens by itself on every tablet that may vote when a poll opens. Big
// answers, a confirmation step, then "counted" — and for a secret ballot the receipt, shown
// once by the server and kept on this tablet. A member who holds others' votes (proxies)
// votes for each in turn. A half-filled choice is kept in sessionStorage. The sheet says
// what the poll needs to pass, in the server's numbers.
//
// The room around it: the chair's sheet carries the chair's controls (the count so far and
// "close the vote"), so a modal sheet never stands between the chair and closing a poll; a
// vote recorded from another device says so (and the choice, in a named poll); without a
// connection the sheet itself says that nothing is sent and what happens next.

import { h, replaceChildren, setText } from "./dom.js";
import { errorText, lang, t, tn } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { requirementText } from "./poll-rules.js";
import { voteStorage } from "./vote-storage.js";
import { countingVoters, pastDeadline, youIn } from "./voting-state.js";
import { choiceText, recordedText } from "./your-vote.js";
import { choiceSummary, isSpecial, ruleName, validChoice } from "./elections.js";
import { initialChoice, specialChoices } from "./election-sheet.js";

/** `closePoll(pollId)` (the chair's): asks, closes, resolves to true once closed. */
export function createVoteSheet({ link, meetingId, closePoll = null }) {
  let model = null;
  let pollId = null; // the poll on the sheet
  let voterId = null;
  let step = "choose"; // choose | confirm | sending | done | closed
  let choice = null; // "yes" | "no" | "abstain" | [indexes]
  let receipt = null;
  let errorCode = null;
  let renderedConnection = null;
  let chairKey = null; // what the chair's bar shows, so that an update redraws only a change

  const title = h("h2", {
    class: "dialog-title sheet-title",
    id: "vote-sheet-title",
    dataset: { testid: "vote-title" },
  });
  const subtitle = h("p", { class: "sheet-subtitle", dataset: { testid: "vote-for" } });
  const needs = h("p", { class: "sheet-needs", dataset: { testid: "vote-needs" } });
  // The chair or the clerk reminded this tablet to vote (an ephemeral `remind`).
  const reminder = h("p", {
    class: "sheet-reminder",
    role: "status",
    hidden: true,
    dataset: { testid: "vote-reminder" },
  });
  let remindedBy = null; // {pollId, userId} of the last reminder, until the sheet closes
  // Without a connection: why the sheet waits (the banner of the room is behind it).
  const offline = h(
    "div",
    { class: "sheet-offline", role: "status", hidden: true, dataset: { testid: "vote-offline" } },
  );
  const body = h("div", { class: "sheet-body" });
  const actions = h("div", { class: "dialog-actions sheet-actions" });
  // The chair's controls, on the chair's own sheet.
  const chairBar = h("div", {
    class: "sheet-chair",
    hidden: true,
    dataset: { testid: "vote-chair" },
  });
  const dialog = h(
    "dialog",
    {
      class: "dialog vote-sheet",
      "aria-labelledby": "vote-sheet-title",
      dataset: { testid: "vote-sheet" },
    },
    title,
    subtitle,
    needs,
    reminder,
    offline,
    body,
    actions,
    chairBar,
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
   * vote to cast in that poll (also after "later"); otherwise nothing. */
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

  /** Open the sheet for a poll on request (the "Vote" button on its card). */
  function openFor(id) {
    const p = model?.state?.voting.polls[id];
    if (!p) return;
    voteStorage.setDismissed(meetingId, id, false);
    const you = youIn(p, me());
    if (you.can_vote_for.length > 0) begin(id, you.can_vote_for[0]);
  }

  function valid(value) {
    const p = poll();
    if (!p || value === null) return false;
    if (isSpecial(p)) return validChoice(p, value);
    if (p.kind === "yes_no_abstain") return ["yes", "no", "abstain"].includes(value);
    return (
      Array.isArray(value) &&
      (value.length === 0 ||
        (value.length >= (p.min_choices ?? 1) && value.length <= (p.max_choices ?? 1)))
    );
  }

  function choose(value) {
    choice = value;
    errorCode = null;
    saveDraft();
    render();
  }

  function toggleOption(index) {
    const p = poll();
    let current = Array.isArray(choice) ? [...choice] : [];
    if (current.includes(index)) current = current.filter((i) => i !== index);
    else if ((p.max_choices ?? 1) === 1) current = [index];
    else if (current.length < p.max_choices) current.push(index);
    choose(current.sort((a, b) => a - b));
  }

  async function send() {
    const p = poll();
    if (!p || !valid(choice)) return;
    step = "sending";
    render();
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

  function bigButton(label, selected, testid, onclick, extra = {}) {
    return h(
      "button",
      {
        type: "button",
        class: `choice-button${selected ? " is-selected" : ""}`,
        "aria-pressed": String(selected),
        dataset: { testid, ...extra },
        onclick,
      },
      h("span", { class: "choice-mark", "aria-hidden": "true" }),
      h("span", { class: "choice-label" }, label),
    );
  }

  let renderedLang = null;

  /** What the poll needs to pass; a recusal while the sheet is open may change it. */
  function showNeeds(p) {
    const needed = requirementText(p);
    needs.hidden = needed === null;
    setText(needs, needed === null ? "" : `${t("poll.needsLabel")}: ${needed}`);
  }

  /** "The chair reminds you to vote", while this voter's vote is still to be cast. */
  function showReminder(p) {
    const shown = remindedBy?.pollId === p.id && ["choose", "confirm"].includes(step);
    reminder.hidden = !shown;
    setText(reminder, shown ? t("vote.reminder", { name: name(remindedBy.userId) }) : "");
  }

  /** Why the sheet waits, while there is no connection and a vote is still to be sent. */
  function showOffline() {
    renderedConnection = model.connection;
    const waiting = model.connection !== "live" && ["choose", "confirm", "sending"].includes(step);
    offline.hidden = !waiting;
    if (!waiting) return replaceChildren(offline);
    replaceChildren(
      offline,
      h("strong", { class: "sheet-offline-title" }, t("vote.offline.title")),
      h("span", {}, t(step === "sending" ? "vote.offline.sending" : "vote.offline.choose")),
    );
  }

  /** The chair's controls: how many voted so far, and closing the poll without voting. */
  function showChair(p) {
    const shown = closePoll !== null && model.you?.role === "chair" && p.status === "open";
    const voters = shown ? countingVoters(p) : [];
    const voted = p.voted.filter((v) => voters.includes(v)).length;
    const busy = model.connection !== "live" || model.busy?.has(`poll:${p.id}`);
    const key = shown ? `${p.id}:${voted}/${voters.length}:${busy}:${lang()}` : null;
    if (key === chairKey) return;
    chairKey = key;
    chairBar.hidden = !shown;
    if (!shown) return replaceChildren(chairBar);
    const closeButton = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary",
        dataset: { testid: "vote-chair-close" },
        disabled: busy,
        onclick: async () => {
          if (await closePoll(p.id)) close();
        },
      },
      t("poll.close"),
    );
    replaceChildren(
      chairBar,
      h(
        "div",
        { class: "sheet-chair-text" },
        h("strong", {}, t("vote.chair.title")),
        h(
          "span",
          { dataset: { testid: "vote-chair-count" } },
          tn("vote.chair.participation", voters.length, { voted }),
        ),
        h("span", { class: "muted" }, t("vote.chair.hint")),
      ),
      closeButton,
    );
  }

  /** What the sheet says once this voter's vote is recorded. */
  function recordedLine(p) {
    if (errorCode === "double-vote" || !voteStorage.castHere(meetingId, p.id, voterId)) {
      return recordedText(p, voterId, me(), meetingId, name) ?? errorText("double-vote");
    }
    return t("vote.recorded");
  }

  function render() {
    const p = poll();
    if (!p) return;
    renderedLang = lang();
    dialog.dataset.step = step;
    dialog.dataset.pollId = String(p.id);
    setText(title, p.title);
    const facts = [
      t(p.secret ? "poll.secretShort" : "poll.namedShort"),
      ruleName(p),
    ];
    setText(
      subtitle,
      voterId === me()
        ? `${t("vote.yourVote")} · ${facts.join(" · ")}`
        : `${t("vote.proxyFor", { name: name(voterId) })} · ${facts.join(" · ")}`,
    );
    showNeeds(p);
    showOffline();
    showReminder(p);
    showChair(p);
    const error = errorCode
      ? h("p", { class: "form-error", role: "alert" }, errorText(errorCode))
      : null;
    const laterButton = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary",
        dataset: { testid: "vote-later" },
        onclick: later,
      },
      t("vote.later"),
    );

    if (step === "choose") {
      let choices;
      if (isSpecial(p)) {
        choices = specialChoices(p, choice, choose);
      } else if (p.kind === "yes_no_abstain") {
        choices = ["yes", "no", "abstain"].map((value) =>
          bigButton(
            t(`vote.choice.${value}`),
            choice === value,
            "vote-choice",
            () => choose(value),
            { choice: value },
          ),
        );
      } else {
        const picked = Array.isArray(choice) ? choice : [];
        choices = [
          ...p.options.map((label, index) =>
            bigButton(label, picked.includes(index), "vote-choice", () => toggleOption(index), {
              choice: String(index),
            }),
          ),
          bigButton(
            t("vote.choice.blank"),
            Array.isArray(choice) && choice.length === 0,
            "vote-choice",
            () => choose([]),
            { choice: "blank" },
          ),
        ];
      }
      const hint =
        p.kind === "options" && (p.max_choices ?? 1) > 1
          ? h("p", { class: "muted" }, tn("vote.pickUpTo", p.max_choices))
          : null;
      replaceChildren(
        body,
        hint,
        h("div", { class: `choices choices-${p.kind}`, role: "group" }, choices),
        error,
      );
      const next = h(
        "button",
        {
          type: "button",
          class: "btn btn-primary btn-large",
          dataset: { testid: "vote-continue" },
          disabled: !valid(choice),
          onclick: () => {
            step = "confirm";
            saveDraft();
            render();
          },
        },
        t("vote.continue"),
      );
      replaceChildren(actions, laterButton, next);
    } else if (step === "confirm" || step === "sending") {
      replaceChildren(
        body,
        h("p", { class: "confirm-question" }, t("vote.confirmQuestion")),
        h(
          "p",
          { class: "confirm-choice", dataset: { testid: "vote-summary" } },
          isSpecial(p) ? choiceSummary(p, choice) : choiceText(p, choice),
        ),
        h("p", { class: "muted" }, t(p.allow_change ? "vote.canChange" : "vote.final")),
        error,
      );
      const back = h(
        "button",
        {
          type: "button",
          class: "btn btn-secondary",
          dataset: { testid: "vote-back" },
          disabled: step === "sending",
          onclick: () => {
            step = "choose";
            saveDraft();
            render();
          },
        },
        t("vote.back"),
      );
      const confirm = h(
        "button",
        {
          type: "button",
          class: "btn btn-primary btn-large",
          dataset: { testid: "vote-confirm" },
          disabled: step === "sending" || model.connection !== "live",
          onclick: send,
        },
        step === "sending" ? t("vote.sending") : t("vote.confirm"),
      );
      replaceChildren(actions, back, confirm);
    } else if (step === "done") {
      const you = youIn(p, me());
      const more = you.can_vote_for.filter((v) => v !== voterId && !you.voted_for.includes(v));
      replaceChildren(
        body,
        h(
          "p",
          { class: "vote-done", dataset: { testid: "vote-recorded" } },
          recordedLine(p),
        ),
        receipt
          ? h(
              "div",
              { class: "receipt-box" },
              h("p", {}, t("vote.receiptIntro")),
              h("p", { class: "receipt-code", dataset: { testid: "vote-receipt" } }, receipt),
              h("p", { class: "muted" }, t("vote.receiptKeep")),
            )
          : null,
      );
      const done = h(
        "button",
        {
          type: "button",
          class: "btn btn-primary btn-large",
          dataset: { testid: "vote-done" },
          onclick: () => (more.length ? begin(p.id, more[0]) : close()),
        },
        more.length ? t("vote.nextProxy", { name: name(more[0]) }) : t("vote.close"),
      );
      replaceChildren(actions, done);
    } else {
      replaceChildren(body, h("p", { class: "vote-done" }, t("vote.pollClosed")));
      replaceChildren(
        actions,
        h(
          "button",
          {
            type: "button",
            class: "btn btn-primary",
            dataset: { testid: "vote-done" },
            onclick: close,
          },
          t("vote.close"),
        ),
      );
    }
  }

  function update(nextModel) {
    model = nextModel;
    if (!model.state || !model.you) return;
    const p = poll();
    if (p) {
      showNeeds(p);
      showChair(p);
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
      const confirm = actions.querySelector("[data-testid=vote-confirm]");
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
