// The vote sheet: opens by itself on every tablet that may vote when a poll opens. Big
// answers, a confirmation step, then "counted" — and for a secret ballot the receipt, shown
// once by the server and kept on this tablet. A member who holds others' votes (proxies)
// votes for each in turn. A half-filled choice is kept in sessionStorage. The sheet says
// what the poll needs to pass, in the server's numbers.

import { h, replaceChildren, setText } from "./dom.js";
import { errorText, lang, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { requirementText } from "./poll-rules.js";
import { voteStorage } from "./vote-storage.js";
import { pastDeadline, youIn } from "./voting-state.js";

export function createVoteSheet({ link, meetingId }) {
  let model = null;
  let pollId = null; // the poll on the sheet
  let voterId = null;
  let step = "choose"; // choose | confirm | sending | done | closed
  let choice = null; // "yes" | "no" | "abstain" | [indexes]
  let receipt = null;
  let errorCode = null;

  const title = h("h2", {
    class: "dialog-title sheet-title",
    id: "vote-sheet-title",
    dataset: { testid: "vote-title" },
  });
  const subtitle = h("p", { class: "sheet-subtitle", dataset: { testid: "vote-for" } });
  const needs = h("p", { class: "sheet-needs", dataset: { testid: "vote-needs" } });
  const body = h("div", { class: "sheet-body" });
  const actions = h("div", { class: "dialog-actions sheet-actions" });
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
    body,
    actions,
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
    choice = draft?.choice ?? null;
    step = draft?.step === "confirm" && choice !== null ? "confirm" : "choose";
    receipt = null;
    errorCode = null;
    render();
    if (!dialog.open) dialog.showModal();
  }

  function close() {
    pollId = null;
    voterId = null;
    if (dialog.open) dialog.close();
  }

  function later() {
    if (pollId !== null && step !== "done") voteStorage.setDismissed(meetingId, pollId, true);
    close();
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
    const ack = await link.command("vote.cast", data);
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

  function choiceText(p, value) {
    if (p.kind === "yes_no_abstain") return t(`vote.choice.${value}`);
    if (value.length === 0) return t("vote.choice.blank");
    return value.map((i) => p.options[i]).join(", ");
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

  function render() {
    const p = poll();
    if (!p) return;
    renderedLang = lang();
    dialog.dataset.step = step;
    dialog.dataset.pollId = String(p.id);
    setText(title, p.title);
    const facts = [
      t(p.secret ? "poll.secretShort" : "poll.namedShort"),
      t(`poll.majority.${p.majority}`),
    ];
    setText(
      subtitle,
      voterId === me()
        ? `${t("vote.yourVote")} · ${facts.join(" · ")}`
        : `${t("vote.proxyFor", { name: name(voterId) })} · ${facts.join(" · ")}`,
    );
    showNeeds(p);
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
      if (p.kind === "yes_no_abstain") {
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
          ? h("p", { class: "muted" }, t("vote.pickUpTo", { count: p.max_choices }))
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
          choiceText(p, choice),
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
          errorCode === "double-vote" ? errorText("double-vote") : t("vote.recorded"),
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
      if (step === "sending" || step === "done") return render();
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
      if (you.can_vote_for.length > 0 && you.voted_for.length < you.votes_for.length) {
        begin(
          candidate.id,
          you.can_vote_for.find((v) => !you.voted_for.includes(v)),
        );
        return;
      }
    }
  }

  return {
    el: dialog,
    update,
    openFor,
    destroy() {
      if (dialog.open) dialog.close();
      dialog.remove();
    },
  };
}
