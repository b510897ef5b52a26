// @ts-check
// What the vote sheet shows at each step of one voter's vote, as the children of its body
// and of its button row:
//   choose   the answers, "later" and "continue" (only with a well-formed choice)
//   confirm  the choice in words, "back" and "confirm" (needs a live connection)
//   sending  as confirm, both buttons waiting
//   done     "recorded" (and a secret ballot's receipt), then the next proxy or "close"
//   closed   the poll closed before the vote was counted
// Pure drawing from a StepView: the sheet keeps the state and passes the callbacks.

import { h } from "./dom.js";
import { errorText, t, tn } from "./i18n.js";
import { choiceSummary, isSpecial } from "./elections.js";
import { choiceText } from "./your-vote.js";
import { choiceButtons, isValidChoice } from "./vote-choices.js";

/**
 * @typedef {"choose" | "confirm" | "sending" | "done" | "closed"} Step
 * @typedef {import("./dom.js").Child} Child
 * @typedef {object} StepView
 * @property {any} poll
 * @property {Step} step
 * @property {unknown} choice
 * @property {string | null} receipt a secret ballot's receipt, shown once
 * @property {string | null} errorCode the server's refusal of the last send
 * @property {boolean} live the connection is live
 * @property {() => string} recordedLine what "done" says about the recorded vote
 * @property {string | null} nextProxyName the next person whose vote this voter holds
 * @property {(value: unknown) => void} choose
 * @property {(step: Step) => void} goTo back to choose, or on to confirm
 * @property {() => void} later set the sheet aside
 * @property {() => void} send
 * @property {() => void} next the next proxy's vote
 * @property {() => void} close
 */

/** @param {StepView} view @returns {{body: Child[], actions: Child[]}} */
export function stepContent(view) {
  const error = view.errorCode
    ? h("p", { class: "form-error", role: "alert" }, errorText(view.errorCode))
    : null;
  if (view.step === "choose") return chooseStep(view, error);
  if (view.step === "confirm" || view.step === "sending") return confirmStep(view, error);
  if (view.step === "done") return doneStep(view);
  return {
    body: [h("p", { class: "vote-done" }, t("vote.pollClosed"))],
    actions: [
      h(
        "button",
        {
          type: "button",
          class: "btn btn-primary",
          dataset: { testid: "vote-done" },
          onclick: view.close,
        },
        t("vote.close"),
      ),
    ],
  };
}

/** @param {StepView} view @param {Child} error */
function chooseStep(view, error) {
  const { poll, choice } = view;
  const hint =
    poll.kind === "options" && (poll.max_choices ?? 1) > 1
      ? h("p", { class: "muted" }, tn("vote.pickUpTo", poll.max_choices))
      : null;
  const laterButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary",
      dataset: { testid: "vote-later" },
      onclick: view.later,
    },
    t("vote.later"),
  );
  const next = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary btn-large",
      dataset: { testid: "vote-continue" },
      disabled: !isValidChoice(poll, choice),
      onclick: () => view.goTo("confirm"),
    },
    t("vote.continue"),
  );
  return {
    body: [
      hint,
      h(
        "div",
        { class: `choices choices-${poll.kind}`, role: "group" },
        choiceButtons(poll, choice, view.choose),
      ),
      error,
    ],
    actions: [laterButton, next],
  };
}

/** @param {StepView} view @param {Child} error */
function confirmStep(view, error) {
  const { poll, choice } = view;
  const sending = view.step === "sending";
  const back = h(
    "button",
    {
      type: "button",
      class: "btn btn-secondary",
      dataset: { testid: "vote-back" },
      disabled: sending,
      onclick: () => view.goTo("choose"),
    },
    t("vote.back"),
  );
  const confirm = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary btn-large",
      dataset: { testid: "vote-confirm" },
      disabled: sending || !view.live,
      onclick: view.send,
    },
    sending ? t("vote.sending") : t("vote.confirm"),
  );
  return {
    body: [
      h("p", { class: "confirm-question" }, t("vote.confirmQuestion")),
      h(
        "p",
        { class: "confirm-choice", dataset: { testid: "vote-summary" } },
        isSpecial(poll) ? choiceSummary(poll, choice) : choiceText(poll, choice),
      ),
      h("p", { class: "muted" }, t(poll.allow_change ? "vote.canChange" : "vote.final")),
      error,
    ],
    actions: [back, confirm],
  };
}

/** @param {StepView} view */
function doneStep(view) {
  const receipt = view.receipt
    ? h(
        "div",
        { class: "receipt-box" },
        h("p", {}, t("vote.receiptIntro")),
        h("p", { class: "receipt-code", dataset: { testid: "vote-receipt" } }, view.receipt),
        h("p", { class: "muted" }, t("vote.receiptKeep")),
      )
    : null;
  const more = view.nextProxyName !== null;
  const done = h(
    "button",
    {
      type: "button",
      class: "btn btn-primary btn-large",
      dataset: { testid: "vote-done" },
      onclick: more ? view.next : view.close,
    },
    more ? t("vote.nextProxy", { name: view.nextProxyName }) : t("vote.close"),
  );
  return {
    body: [
      h("p", { class: "vote-done", dataset: { testid: "vote-recorded" } }, view.recordedLine()),
      receipt,
    ],
    actions: [done],
  };
}
