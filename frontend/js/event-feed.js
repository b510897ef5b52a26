// The live activity feed: each event as time, who and what, newest first, in the current
// language (entries keep the event, so a language switch re-renders them).

import { h, replaceChildren, setText } from "./dom.js";
import { formatTime, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";

const FEED_MAX_ENTRIES = 200; // older entries drop off; the log itself keeps everything

const ATTENDANCE_EVENTS = new Set(["attendance.checked_in", "attendance.checked_out"]);

function personName(state, userId) {
  if (userId === null || userId === undefined) return t("person.system");
  return displayName(state, userId) ?? t("person.unknown", { id: userId });
}

export function describeEvent(state, event) {
  const actor = personName(state, event.actor_id);
  if (event.type === "meeting.started" || event.type === "meeting.ended") {
    return t(`event.${event.type}`, { actor });
  }
  if (ATTENDANCE_EVENTS.has(event.type)) {
    const targetId = event.data?.user_id;
    const self = targetId === event.actor_id;
    return t(`event.${event.type}.${self ? "self" : "other"}`, {
      actor,
      target: personName(state, targetId),
    });
  }
  return t("event.unknown", { actor, type: event.type });
}

export function createEventFeed() {
  const heading = h("h2", { class: "panel-title" });
  const empty = h("p", { class: "feed-empty" });
  const list = h("ol", { class: "feed", dataset: { testid: "feed" }, reversed: true });
  const el = h("section", { class: "panel feed-panel" }, heading, empty, list);

  let entries = []; // newest first: {event}
  let lastModel = null;

  function entryElement(state, event) {
    return h(
      "li",
      {
        class: `feed-entry feed-${event.type.replace(/[^a-z]/g, "-")}`,
        dataset: { testid: "feed-entry", seq: String(event.seq) },
      },
      h("time", { class: "feed-time", datetime: event.at }, formatTime(event.at)),
      h("span", { class: "feed-text" }, describeEvent(state, event)),
    );
  }

  function add(event, state) {
    entries.unshift(event);
    if (entries.length > FEED_MAX_ENTRIES) entries = entries.slice(0, FEED_MAX_ENTRIES);
    list.prepend(entryElement(state, event));
    while (list.children.length > FEED_MAX_ENTRIES) list.lastElementChild.remove();
    empty.hidden = true;
  }

  function update(model, { full = false } = {}) {
    el.hidden = model.state === null;
    if (el.hidden) return;
    setText(heading, t("room.feed"));
    setText(empty, t("room.feedEmpty"));
    empty.hidden = entries.length > 0;
    if (full || lastModel === null)
      replaceChildren(
        list,
        entries.map((event) => entryElement(model.state, event)),
      );
    lastModel = model;
  }

  return { el, add, update };
}
