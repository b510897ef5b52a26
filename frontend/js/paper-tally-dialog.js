// @ts-check
// Paper ballots in a secret poll, the clerk's dialogs: give a present member a paper ballot
// (`vote.mark_paper`), and enter the tally of the ballot-counting board (`poll.paper_tally`):
// ballots issued, returned, valid and invalid, and the valid ones per choice. The dialog
// checks the sums as the server does (voting/_clerk.py) and saves only when they add up.
// Totals only: nothing here names whose paper ballot said what.

import { choiceLabel, memberPicker } from "./clerk-vote-dialog.js";
import { h } from "./dom.js";
import { t, tn } from "./i18n.js";

function shell({ title, testid, body, confirmLabel, confirmTestid }) {
  const confirm = h(
    "button",
    { type: "button", class: "btn btn-primary", dataset: { testid: confirmTestid } },
    confirmLabel,
  );
  const cancel = h(
    "button",
    { type: "button", class: "btn btn-secondary", dataset: { testid: "dialog-cancel" } },
    t("dialog.cancel"),
  );
  const dialog = h(
    "dialog",
    {
      class: "dialog dialog-wide dialog-form clerk-dialog",
      "aria-labelledby": `${testid}-title`,
      dataset: { testid },
    },
    h("h2", { class: "dialog-title", id: `${testid}-title` }, title),
    body,
    h("div", { class: "dialog-actions" }, cancel, confirm),
  );
  cancel.addEventListener("click", () => dialog.close());
  return { dialog, confirm, cancel };
}

function show(dialog, cancel, resolve, answerOf) {
  dialog.addEventListener("close", () => {
    dialog.remove();
    resolve(answerOf());
  });
  document.body.append(dialog);
  dialog.showModal();
  cancel.focus();
}

/** Resolves to the member's id for `vote.mark_paper`, or null when cancelled. */
export function openMarkPaperDialog({ poll, candidates, name }) {
  return new Promise((resolve) => {
    let voter = null;
    let answer = null;
    const summary = h("p", { class: "pick-summary", dataset: { testid: "paper-summary" } });
    const body = [
      h("p", { class: "dialog-body" }, poll.title),
      h("p", { class: "muted" }, t("paper.mark.intro")),
      candidates.length === 0
        ? h("p", { class: "pick-empty" }, t("paper.mark.none"))
        : h(
            "fieldset",
            { class: "pick-field" },
            h("legend", { class: "field-label" }, t("paper.mark.member")),
            memberPicker(candidates, name, "paper-member", (id) => {
              voter = id;
              refresh();
            }),
          ),
      summary,
    ];
    const { dialog, confirm, cancel } = shell({
      title: t("paper.mark.title"),
      testid: "paper-mark-dialog",
      body,
      confirmLabel: t("paper.mark.confirm"),
      confirmTestid: "paper-mark-confirm",
    });
    function refresh() {
      confirm.disabled = voter === null;
      summary.textContent =
        voter === null ? t("paper.mark.pick") : t("paper.mark.summary", { name: name(voter) });
    }
    confirm.addEventListener("click", () => {
      answer = voter;
      dialog.close();
    });
    refresh();
    show(dialog, cancel, resolve, () => answer);
  });
}

/** Whether the server takes paper ballots in this poll (voting/_clerk.py supports_paper):
 * one choice per ballot, an election (names kept per candidate) or a confidence vote. */
export function supportsPaper(poll) {
  return (
    ["yes_no_abstain", "election", "confidence"].includes(poll.kind) || poll.max_choices === 1
  );
}

/** The groups of a tally's count fields: {legend, rows: [label, key]}; the counts follow
 * the result's order (a confidence vote: three per person, person by person). */
function countGroups(poll) {
  if (poll.kind === "yes_no_abstain") {
    const rows = [
      [t("vote.choice.yes"), 0],
      [t("vote.choice.no"), 1],
      [t("vote.choice.abstain"), "abstentions"],
    ];
    return [{ legend: null, rows }];
  }
  if (poll.kind === "confidence") {
    return poll.options.map((person, p) => ({
      legend: person,
      rows: [0, 1, 2].map((level) => [t(`confidence.level.${level}`), 3 * p + level]),
    }));
  }
  const blank = poll.kind === "election" ? t("election.keptNobody") : choiceLabel(poll, []);
  return [{ legend: null, rows: [...poll.options.map((label, i) => [label, i]), [blank, "abstentions"]] }];
}

const sum = (numbers) => numbers.reduce((a, b) => a + b, 0);

/** The first sum that does not add up, as the server checks them; null when all do. */
export function tallyProblem(numbers, paperVoters, poll = { kind: "yes_no_abstain" }) {
  const { issued, returned, valid, invalid, counts, abstentions } = numbers;
  const all = [issued, returned, valid, invalid, abstentions, ...counts];
  if (all.some((n) => !Number.isInteger(n) || n < 0)) return t("paper.check.number");
  if (issued !== paperVoters) return tn("paper.check.issued", paperVoters);
  if (returned > issued) return t("paper.check.returned");
  if (valid + invalid !== returned) return t("paper.check.validInvalid");
  if (poll.kind === "confidence") {
    for (let p = 0; p < poll.options.length; p += 1) {
      if (sum(counts.slice(3 * p, 3 * p + 3)) !== valid) {
        return t("paper.check.person", { name: poll.options[p] });
      }
    }
    return null;
  }
  if (poll.kind === "election") {
    const marked = valid - abstentions;
    if (marked < 0 || counts.some((c) => c > marked)) return t("paper.check.kept");
    const kept = sum(counts);
    if (kept < marked || kept > poll.max_choices * marked) {
      return tn("paper.check.seats", poll.max_choices);
    }
    return null;
  }
  if (sum(counts) + abstentions !== valid) return t("paper.check.counts");
  return null;
}

/** Resolves to the `poll.paper_tally` payload (without poll_id), or null when cancelled. */
export function openPaperTallyDialog({ poll }) {
  return new Promise((resolve) => {
    let answer = null;
    const paperVoters = poll.paper_voters.length;
    const before = poll.paper_tally;
    const inputs = {};
    function numberField(label, key, value) {
      const input = h("input", {
        type: "number",
        class: "input tally-input",
        min: "0",
        step: "1",
        inputmode: "numeric",
        value: String(value),
        dataset: { testid: `paper-${key}` },
        oninput: () => refresh(),
      });
      inputs[key] = input;
      return h(
        "label",
        { class: "field tally-field" },
        h("span", { class: "field-label" }, label),
        input,
      );
    }
    const groups = countGroups(poll);
    const rows = groups.flatMap((group) => group.rows);
    const check = h("p", { class: "tally-check", dataset: { testid: "paper-check" } });
    const body = [
      h("p", { class: "dialog-body" }, poll.title),
      h("p", { class: "muted" }, t("paper.tally.intro")),
      h(
        "div",
        { class: "tally-grid" },
        numberField(t("paper.issued"), "issued", before?.issued ?? paperVoters),
        numberField(t("paper.returned"), "returned", before?.returned ?? paperVoters),
        numberField(t("paper.valid"), "valid", before?.valid ?? paperVoters),
        numberField(t("paper.invalid"), "invalid", before?.invalid ?? 0),
      ),
      h("h3", { class: "tally-heading" }, t("paper.countsHeading")),
      groups.map((group) => {
        const grid = h(
          "div",
          { class: "tally-grid" },
          group.rows.map(([label, key]) => {
            const value =
              key === "abstentions" ? (before?.abstentions ?? 0) : (before?.counts[key] ?? 0);
            return numberField(label, key === "abstentions" ? key : `count-${key}`, value);
          }),
        );
        return group.legend === null
          ? grid
          : h(
              "fieldset",
              { class: "tally-person", dataset: { testid: "paper-person" } },
              h("legend", { class: "field-label" }, group.legend),
              grid,
            );
      }),
      check,
    ];
    const { dialog, confirm, cancel } = shell({
      title: t("paper.tally.title"),
      testid: "paper-tally-dialog",
      body,
      confirmLabel: t("paper.tally.confirm"),
      confirmTestid: "paper-tally-confirm",
    });
    function numbers() {
      const read = (key) => (inputs[key].value.trim() === "" ? NaN : Number(inputs[key].value));
      return {
        issued: read("issued"),
        returned: read("returned"),
        valid: read("valid"),
        invalid: read("invalid"),
        counts: rows.filter(([, key]) => key !== "abstentions").map(([, i]) => read(`count-${i}`)),
        abstentions: "abstentions" in inputs ? read("abstentions") : 0,
      };
    }
    function refresh() {
      const problem = tallyProblem(numbers(), paperVoters, poll);
      confirm.disabled = problem !== null;
      check.textContent = problem ?? t("paper.check.ok");
      check.classList.toggle("is-wrong", problem !== null);
    }
    confirm.addEventListener("click", () => {
      answer = numbers();
      dialog.close();
    });
    refresh();
    show(dialog, cancel, resolve, () => answer);
  });
}
