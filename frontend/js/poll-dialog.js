// @ts-check
// The chair's form for a new poll (a draft; it is opened from its card): title, kind,
// options, secret or named, majority rule, quorum, and the agenda item it belongs to.
// Majority and quorum start at "the committee's rule": the payload then leaves them out and
// the server fills in the committee's (its kind's statutory defaults), recording what it
// applied. "Majority of votes for and against" is only ever an explicit choice, with a
// warning of what it means.

import { MAJORITY_RULES } from "./voting-state.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";
import { committeeRuleText, majorityText, quorumText } from "./poll-rules.js";
import { specialFields, specialKindOptions } from "./election-fields.js";

const COMMITTEE = "committee"; // the select's entry for "the committee's rule"

const QUORUMS = {
  none: { kind: "none" },
  half: { kind: "fraction", fraction: [1, 2], strict: true },
  two_thirds: { kind: "fraction", fraction: [2, 3], strict: false },
};

function field(labelText, control, testid, extraClass = "") {
  return h(
    "label",
    { class: `field ${extraClass}`.trim(), dataset: { testid } },
    h("span", { class: "field-label" }, labelText),
    control,
  );
}

function check(labelText, input, testid) {
  return h("label", { class: "check", dataset: { testid } }, input, h("span", {}, labelText));
}

/** Resolves to the poll.create payload, or null when cancelled. */
export function openPollDialog({ model }) {
  const agenda = model.state.agenda;
  const item = agenda.currentId !== null ? agenda.items[agenda.currentId] : null;
  return new Promise((resolve) => {
    let answer = null;
    const title = h("input", {
      type: "text",
      class: "input",
      maxlength: "300",
      value: item ? t("poll.defaultTitle", { title: item.title }) : "",
      dataset: { testid: "poll-title" },
    });
    const kind = h(
      "select",
      { class: "select", dataset: { testid: "poll-kind" } },
      h("option", { value: "yes_no_abstain" }, t("poll.kind.yes_no_abstain")),
      h("option", { value: "options" }, t("poll.kind.options")),
      specialKindOptions(),
    );
    const options = h("textarea", {
      class: "input textarea",
      rows: "4",
      dataset: { testid: "poll-options" },
    });
    const maxChoices = h("input", {
      type: "number",
      class: "input",
      min: "1",
      max: "50",
      value: "1",
      dataset: { testid: "poll-max" },
    });
    const optionFields = h(
      "div",
      { class: "field-row", hidden: true },
      field(t("poll.options"), options, "field-options", "grow"),
      field(t("poll.maxChoices"), maxChoices, "field-max"),
    );
    kind.addEventListener("change", () => {
      optionFields.hidden = kind.value !== "options";
    });
    const secret = h("input", { type: "checkbox", dataset: { testid: "poll-secret" } });
    const allowChange = h("input", { type: "checkbox", dataset: { testid: "poll-allow-change" } });
    secret.addEventListener("change", () => {
      allowChange.disabled = secret.checked;
      if (secret.checked) allowChange.checked = false;
    });
    const rules = model.state.meeting?.committee_rules ?? null;
    const majority = h(
      "select",
      { class: "select", dataset: { testid: "poll-majority" } },
      h(
        "option",
        { value: COMMITTEE, selected: true },
        rules
          ? t("poll.majority.committee", { rule: majorityText(rules.majority) })
          : t("poll.committeeRuleUnknown"),
      ),
      MAJORITY_RULES.map((rule) => h("option", { value: rule }, t(`poll.majority.${rule}`))),
    );
    const quorum = h(
      "select",
      { class: "select", dataset: { testid: "poll-quorum" } },
      h(
        "option",
        { value: COMMITTEE, selected: true },
        rules
          ? t("poll.quorum.committee", { rule: quorumText(rules.quorum) })
          : t("poll.committeeRuleUnknown"),
      ),
      Object.keys(QUORUMS).map((k) => h("option", { value: k }, t(`poll.quorum.${k}`))),
    );
    const special = specialFields({ secret, allowChange, majority }); // elections, confidence
    kind.addEventListener("change", () => special.show(kind.value));
    // Under the rules: the committee's rule in words, or what "votes cast" gives away.
    const ruleHint = h("p", { class: "field-hint", dataset: { testid: "poll-rule-hint" } });
    const showHint = () => {
      const simple = majority.value === "simple";
      ruleHint.classList.toggle("is-warning", simple);
      ruleHint.setAttribute("role", simple ? "alert" : "note");
      ruleHint.dataset.rule = majority.value;
      ruleHint.hidden = !(simple || majority.value === COMMITTEE || quorum.value === COMMITTEE);
      ruleHint.textContent = simple ? t("poll.simpleWarning") : committeeRuleText(rules);
    };
    majority.addEventListener("change", showHint);
    quorum.addEventListener("change", showHint);
    showHint();
    const forItem = h("input", {
      type: "checkbox",
      checked: item !== null,
      disabled: item === null,
      dataset: { testid: "poll-for-item" },
    });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });

    const cancel = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary",
        dataset: { testid: "dialog-cancel" },
        onclick: () => dialog.close(),
      },
      t("dialog.cancel"),
    );
    const save = h(
      "button",
      { type: "submit", class: "btn btn-primary", dataset: { testid: "dialog-confirm" } },
      t("poll.create"),
    );
    const fail = (key) => {
      error.textContent = t(key);
      error.hidden = false;
    };
    const form = h(
      "form",
      {
        class: "dialog-form",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const text = title.value.trim();
          if (!text) return fail("poll.titleMissing");
          const data = {
            title: text,
            kind: kind.value,
            secret: secret.checked,
            allow_change: allowChange.checked && !secret.checked,
          };
          // Left out: the server applies the committee's rule and records it.
          if (majority.value !== COMMITTEE) data.majority = majority.value;
          if (quorum.value !== COMMITTEE) data.quorum = QUORUMS[quorum.value];
          if (kind.value === "options") {
            const labels = options.value
              .split("\n")
              .map((s) => s.trim())
              .filter(Boolean);
            const max = Number(maxChoices.value);
            if (labels.length < 2 || new Set(labels).size !== labels.length)
              return fail("poll.optionsInvalid");
            if (!Number.isInteger(max) || max < 1 || max > labels.length)
              return fail("poll.maxInvalid");
            data.options = labels;
            data.min_choices = 1;
            data.max_choices = max;
          }
          if (!special.el.hidden) {
            const extra = special.payload(kind.value);
            if (extra.error) return fail(extra.error);
            Object.assign(data, extra.data);
          }
          if (forItem.checked && item) data.item_id = item.id;
          answer = data;
          dialog.close();
        },
      },
      field(t("poll.title"), title, "field-poll-title"),
      h("div", { class: "field-row" }, field(t("poll.kind"), kind, "field-kind", "grow")),
      optionFields,
      special.el,
      h(
        "div",
        { class: "checks" },
        check(t("poll.secret"), secret, "check-secret"),
        check(t("poll.allowChange"), allowChange, "check-allow-change"),
      ),
      h(
        "div",
        { class: "field-row" },
        field(t("poll.majority"), majority, "field-majority", "grow"),
        field(t("poll.quorum"), quorum, "field-quorum", "grow"),
      ),
      ruleHint,
      item ? check(t("poll.forItem", { title: item.title }), forItem, "check-for-item") : null,
      error,
      h("div", { class: "dialog-actions" }, cancel, save),
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog dialog-wide",
        "aria-labelledby": "poll-dialog-title",
        dataset: { testid: "poll-dialog" },
      },
      h("h2", { class: "dialog-title", id: "poll-dialog-title" }, t("poll.newTitle")),
      form,
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    title.focus();
  });
}
