// @ts-check
// The floor on the current item: who speaks now (with the running time against the
// limit), the queue, the big "request to speak" button (and withdraw), and for the chair:
// give the floor to the next or to a person, end the speech, the default time limit.

import { h, replaceChildren, setText } from "./dom.js";
import { formatDuration, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";

const SPEAKERS = new Set(["chair", "clerk", "member"]);
const LIMIT_CHOICES = [null, 60, 120, 180, 300, 600]; // seconds; null: no limit

export function createSpeakersPanel({ run }) {
  let model = null;

  const heading = h("h2", { class: "panel-title" });
  const speakerName = h("p", { class: "speaker-name", dataset: { testid: "speaker" } });
  const speechTimer = h("span", { class: "speech-timer", dataset: { testid: "speech-timer" } });
  const endButton = h("button", {
    type: "button",
    class: "btn btn-danger btn-small",
    dataset: { testid: "speech-end" },
    onclick: () => run("speakers.end", {}, "floor"),
  });
  const speaking = h(
    "div",
    { class: "speaking", dataset: { testid: "speaking" } },
    h("div", { class: "speaking-text" }, speakerName, speechTimer),
    endButton,
  );
  const noSpeaker = h("p", { class: "muted" });

  const requestButton = h("button", {
    type: "button",
    class: "btn btn-primary btn-large btn-block",
    dataset: { testid: "request-speak" },
    onclick: () => {
      const queued = requestButton.dataset.queued === "true";
      run(queued ? "speakers.withdraw" : "speakers.request", {}, "request");
    },
  });
  const queueTitle = h("h3", { class: "subhead" });
  const queue = h("ol", { class: "queue", dataset: { testid: "speaker-queue" } });
  const queueEmpty = h("p", { class: "muted" });
  const grantNext = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "grant-next" },
    onclick: () => run("speakers.grant", {}, "floor"),
  });
  const limitSelect = h("select", {
    class: "select",
    dataset: { testid: "speech-limit" },
    onchange: () => {
      const value = limitSelect.value === "" ? null : Number(limitSelect.value);
      if (value === null && model.state.agenda.defaultLimitSecs === null) return;
      if (value === null) {
        // The server takes 1–3600 or null for "no limit".
        run("speakers.set_default_limit", { limit_secs: null }, "limit");
      } else run("speakers.set_default_limit", { limit_secs: value }, "limit");
    },
  });
  const limitLabel = h("label", { class: "inline-label" }, h("span"), limitSelect);
  const chairRow = h("div", { class: "button-row chair-floor" }, grantNext, limitLabel);

  const el = h(
    "section",
    { class: "panel speakers-panel", dataset: { testid: "speakers" } },
    heading,
    speaking,
    noSpeaker,
    requestButton,
    chairRow,
    queueTitle,
    queue,
    queueEmpty,
  );

  function name(userId) {
    return displayName(model.state, userId) ?? t("person.unknown", { id: userId });
  }

  function render() {
    const state = model.state;
    const agenda = state.agenda;
    const role = model.you?.role;
    const chair = role === "chair";
    const itemId = agenda.currentId;
    el.hidden = itemId === null;
    if (el.hidden) return;
    const live = model.connection === "live";
    const speech = agenda.speech;
    setText(heading, t("speakers.title"));

    speaking.hidden = speech === null;
    noSpeaker.hidden = speech !== null;
    setText(noSpeaker, t("speakers.nobody"));
    if (speech) {
      setText(speakerName, t("speakers.speaking", { name: name(speech.user_id) }));
      endButton.hidden = !(chair || speech.user_id === model.you?.user_id);
      setText(endButton, t("speakers.end"));
      endButton.disabled = !live || state.status !== "live" || model.busy.has("floor");
    }

    const entries = agenda.queues[itemId] ?? [];
    const mine = entries.some((r) => r.user_id === model.you?.user_id);
    requestButton.hidden = !SPEAKERS.has(role) || state.status === "ended";
    requestButton.dataset.queued = String(mine);
    requestButton.className = `btn ${mine ? "btn-secondary" : "btn-primary"} btn-large btn-block`;
    setText(requestButton, mine ? t("speakers.withdraw") : t("speakers.request"));
    requestButton.disabled =
      !live || model.busy.has("request") || speech?.user_id === model.you?.user_id;

    chairRow.hidden = !chair || state.status !== "live";
    setText(grantNext, t("speakers.grantNext"));
    grantNext.disabled = !live || entries.length === 0 || model.busy.has("floor");
    setText(limitLabel.firstChild, t("speakers.limit"));
    if (document.activeElement !== limitSelect) {
      replaceChildren(
        limitSelect,
        LIMIT_CHOICES.map((secs) =>
          h(
            "option",
            { value: secs === null ? "" : String(secs) },
            secs === null ? t("speakers.noLimit") : t("agenda.minutes", { count: secs / 60 }),
          ),
        ),
      );
      const current = agenda.defaultLimitSecs;
      if (current !== null && !LIMIT_CHOICES.includes(current)) {
        limitSelect.append(h("option", { value: String(current) }, formatDuration(current)));
      }
      limitSelect.value = current === null ? "" : String(current);
    }
    limitSelect.disabled = !live || model.busy.has("limit");

    setText(queueTitle, t("speakers.queue", { count: entries.length }));
    queueEmpty.hidden = entries.length > 0;
    setText(queueEmpty, t("speakers.queueEmpty"));
    replaceChildren(
      queue,
      entries.map((entry, index) =>
        h(
          "li",
          { class: "queue-row", dataset: { testid: "queue-entry", userId: String(entry.user_id) } },
          h("span", { class: "queue-place" }, String(index + 1)),
          h(
            "span",
            { class: "queue-name" },
            name(entry.user_id),
            entry.user_id === model.you?.user_id
              ? h("span", { class: "you-chip" }, t("room.you"))
              : null,
          ),
          chair && state.status === "live"
            ? h(
                "button",
                {
                  type: "button",
                  class: "btn btn-small btn-secondary",
                  dataset: { testid: "grant" },
                  disabled: !live || model.busy.has("floor"),
                  onclick: () => run("speakers.grant", { user_id: entry.user_id }, "floor"),
                },
                t("speakers.grant"),
              )
            : null,
          chair && entry.user_id !== model.you?.user_id
            ? h(
                "button",
                {
                  type: "button",
                  class: "btn btn-small btn-quiet",
                  dataset: { testid: "remove-request" },
                  disabled: !live,
                  "aria-label": t("speakers.removeFor", { name: name(entry.user_id) }),
                  onclick: () => run("speakers.withdraw", { user_id: entry.user_id }, "floor"),
                },
                "✕",
              )
            : null,
        ),
      ),
    );
    tick(Date.now());
  }

  function tick(nowMs) {
    const speech = model?.state?.agenda.speech;
    if (!speech) return;
    const secs = Math.max(0, Math.floor((nowMs - Date.parse(speech.started_at)) / 1000));
    const limit = speech.limit_secs;
    if (limit) {
      const left = limit - secs;
      setText(
        speechTimer,
        left >= 0
          ? t("speakers.left", { time: formatDuration(left) })
          : t("speakers.over", { time: formatDuration(-left) }),
      );
      speechTimer.dataset.over = String(left < 0);
    } else {
      setText(speechTimer, formatDuration(secs));
      speechTimer.dataset.over = "false";
    }
  }

  function update(nextModel) {
    model = nextModel;
    if (model.state === null) {
      el.hidden = true;
      return;
    }
    render();
  }

  return { el, update, tick };
}
