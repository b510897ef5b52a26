// @ts-check
// Decisions and conclusions of one agenda item: the list (live from the events), each
// with its linked poll's result, edit and remove; and the form that records a new one
// (`minutes.decision.record {text, item_id, poll_id?}`).

import { confirmDialog } from "./confirm-dialog.js";
import { h, replaceChildren, setText } from "./dom.js";
import { formatClock, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { decisionsOf } from "./minutes-state.js";
import { pollList } from "./voting-state.js";

const DECISION_MAX_CHARS = 5000;

/** A poll's outcome in a few words, for the decision it is linked to. */
export function pollOutcome(poll) {
  if (poll.status !== "closed" || !poll.result) return t(`minutes.poll.${poll.status}`);
  if (poll.kind !== "yes_no_abstain") return t("minutes.poll.decided");
  return t(poll.result.adopted ? "minutes.poll.adopted" : "minutes.poll.rejected");
}

/** A <select> of the polls a decision may carry: this item's first, then the others. */
function pollSelect(state, itemId, selected, testid) {
  const polls = pollList(state.voting)
    .filter((p) => p.status !== "cancelled")
    .sort((a, b) => Number(b.item_id === itemId) - Number(a.item_id === itemId) || a.id - b.id);
  const select = h(
    "select",
    { class: "select", dataset: { testid } },
    h("option", { value: "" }, t("minutes.decision.noPoll")),
    polls.map((poll) =>
      h(
        "option",
        { value: String(poll.id), selected: poll.id === selected },
        t("minutes.decision.pollOption", { title: poll.title, outcome: pollOutcome(poll) }),
      ),
    ),
  );
  return select;
}

function field(labelText, control) {
  return h("label", { class: "field" }, h("span", { class: "field-label" }, labelText), control);
}

export function createMinutesDecisions({ run }) {
  let model = null;
  let itemId = null;
  let editing = null; // the id of the decision being edited
  let editDraft = null; // {text, pollId} kept across re-renders while editing

  const heading = h("h3", { class: "minutes-subtitle" });
  const list = h("ol", { class: "minutes-decisions", dataset: { testid: "minutes-decisions" } });
  const empty = h("p", { class: "muted" });
  const newText = h("textarea", {
    class: "input textarea",
    rows: "3",
    maxlength: String(DECISION_MAX_CHARS),
    dataset: { testid: "minutes-decision-text" },
    oninput: () => paintForm(),
  });
  const pollSlot = h("div", { class: "minutes-poll-slot" });
  const record = h("button", {
    type: "button",
    class: "btn btn-primary btn-small",
    dataset: { testid: "minutes-decision-record" },
    onclick: async () => {
      const text = newText.value.trim();
      if (!text) return;
      const select = pollSlot.querySelector("select");
      const data = { text, item_id: itemId };
      if (select?.value) data.poll_id = Number(select.value);
      const ack = await run("minutes.decision.record", data, "minutes-decision-new");
      if (ack?.ok) {
        newText.value = "";
        const now = pollSlot.querySelector("select"); // redrawn meanwhile, maybe
        if (now) now.value = "";
      }
      paintForm();
    },
  });
  const textLabel = h("span", { class: "field-label" });
  const pollLabel = h("span", { class: "field-label" });
  const form = h(
    "div",
    { class: "minutes-decision-form" },
    h("label", { class: "field" }, textLabel, newText),
    h("label", { class: "field" }, pollLabel, pollSlot),
    h("div", { class: "button-row" }, record),
  );
  const el = h("div", { class: "minutes-decisions-box" }, heading, empty, list, form);

  function live() {
    return model.connection === "live";
  }

  function row(decision) {
    const poll = decision.poll_id ? model.state.voting.polls[decision.poll_id] : null;
    const name = displayName(model.state, decision.recorded_by) ?? "";
    const meta = decision.updated_at
      ? t("minutes.decision.metaUpdated", {
          time: formatClock(decision.recorded_at),
          name,
          updated: formatClock(decision.updated_at),
        })
      : t("minutes.decision.meta", { time: formatClock(decision.recorded_at), name });
    const busyKey = `minutes-decision:${decision.id}`;
    if (editing === decision.id) return editRow(decision, busyKey);
    return h(
      "li",
      {
        class: "minutes-decision",
        dataset: { testid: "minutes-decision", id: String(decision.id) },
      },
      h("p", { class: "minutes-decision-text" }, decision.text),
      poll
        ? h(
            "p",
            { class: "minutes-decision-poll", dataset: { testid: "minutes-decision-poll" } },
            t("minutes.decision.linked", { title: poll.title, outcome: pollOutcome(poll) }),
          )
        : null,
      h("p", { class: "minutes-decision-meta muted" }, meta),
      h(
        "div",
        { class: "button-row" },
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-small",
            dataset: { testid: "minutes-decision-edit" },
            disabled: !live(),
            onclick: () => {
              editing = decision.id;
              editDraft = { text: decision.text, pollId: decision.poll_id };
              paint();
            },
          },
          t("minutes.decision.edit"),
        ),
        h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary btn-small",
            dataset: { testid: "minutes-decision-remove" },
            disabled: !live() || model.busy.has(busyKey),
            onclick: async () => {
              const sure = await confirmDialog({
                title: t("minutes.decision.removeConfirm.title"),
                body: t("minutes.decision.removeConfirm.body"),
                confirm: t("minutes.decision.removeConfirm.confirm"),
                cancel: t("minutes.decision.removeConfirm.cancel"),
                danger: true,
              });
              if (sure) run("minutes.decision.remove", { decision_id: decision.id }, busyKey);
            },
          },
          t("minutes.decision.remove"),
        ),
      ),
    );
  }

  function editRow(decision, busyKey) {
    const text = h("textarea", {
      class: "input textarea",
      rows: "3",
      maxlength: String(DECISION_MAX_CHARS),
      dataset: { testid: "minutes-decision-edit-text" },
      oninput: () => {
        editDraft.text = text.value;
      },
    });
    text.value = editDraft.text;
    const select = pollSelect(model.state, itemId, editDraft.pollId, "minutes-decision-edit-poll");
    select.addEventListener("change", () => {
      editDraft.pollId = select.value ? Number(select.value) : null;
    });
    const save = h(
      "button",
      {
        type: "button",
        class: "btn btn-primary btn-small",
        dataset: { testid: "minutes-decision-save" },
        disabled: !live() || model.busy.has(busyKey),
        onclick: async () => {
          const value = text.value.trim();
          if (!value) return;
          const data = { decision_id: decision.id, text: value, poll_id: editDraft.pollId };
          const ack = await run("minutes.decision.update", data, busyKey);
          if (ack?.ok) {
            editing = null;
            editDraft = null;
          }
          paint();
        },
      },
      t("minutes.decision.save"),
    );
    const cancel = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary btn-small",
        onclick: () => {
          editing = null;
          editDraft = null;
          paint();
        },
      },
      t("minutes.decision.cancel"),
    );
    return h(
      "li",
      {
        class: "minutes-decision is-editing",
        dataset: { testid: "minutes-decision", id: String(decision.id) },
      },
      field(t("minutes.decision.text"), text),
      field(t("minutes.decision.poll"), select),
      h("div", { class: "button-row" }, save, cancel),
    );
  }

  function paintForm() {
    setText(textLabel, t("minutes.decision.text"));
    setText(pollLabel, t("minutes.decision.poll"));
    setText(record, t("minutes.decision.record"));
    record.disabled = !live() || !newText.value.trim() || model.busy.has("minutes-decision-new");
    newText.disabled = !live();
  }

  function paint() {
    if (!model?.state) return;
    const decisions = decisionsOf(model.state.minutes, itemId);
    if (editing !== null && !model.state.minutes.decisions[editing]) editing = null;
    setText(heading, t("minutes.decisions.title"));
    setText(empty, t("minutes.decisions.empty"));
    empty.hidden = decisions.length > 0;
    // Keep the focused edit box: while editing, rebuild only when the list itself changed.
    const focused = el.contains(document.activeElement) && list.contains(document.activeElement);
    if (!focused) replaceChildren(list, decisions.map(row));
    if (!pollSlot.contains(document.activeElement)) {
      const keep = pollSlot.querySelector("select")?.value ?? "";
      const chosen = keep ? Number(keep) : null;
      replaceChildren(pollSlot, pollSelect(model.state, itemId, chosen, "minutes-decision-poll"));
    }
    paintForm();
  }

  return {
    el,
    showItem(next) {
      if (next === itemId) return;
      itemId = next;
      editing = null;
      newText.value = "";
      paint();
    },
    update(nextModel) {
      model = nextModel;
      paint();
    },
  };
}
