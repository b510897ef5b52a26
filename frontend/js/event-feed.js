// @ts-check
// The live activity feed: each event as time, who and what, newest first, in the current
// language (entries keep the event and what it was about, so a language switch re-renders
// them). Consecutive page turns of the presenter are shown as one entry (the newest).

import { h, replaceChildren, setText } from "./dom.js";
import { formatDuration, formatTime, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { numbering } from "./agenda-state.js";

const FEED_MAX_ENTRIES = 200; // older entries drop off; the log itself keeps everything

const ATTENDANCE_EVENTS = new Set(["attendance.checked_in", "attendance.checked_out"]);

function personName(state, userId) {
  if (userId === null || userId === undefined) return t("person.system");
  return displayName(state, userId) ?? t("person.unknown", { id: userId });
}

/**
 * What an event is about, read when it arrives (from the state after it, or before it for
 * things it removes): item number and title, poll and document titles.
 */
export function eventContext(event, state, before = state) {
  const data = event.data ?? {};
  const context = {};
  if (data.item_id !== undefined && data.item_id !== null) {
    const item = state.agenda.items[data.item_id] ?? before.agenda.items[data.item_id];
    const number =
      numbering(state.agenda).get(data.item_id) ?? numbering(before.agenda).get(data.item_id);
    context.itemTitle = item?.title ?? null;
    context.itemNumber = number ?? null;
  }
  if (data.poll_id !== undefined)
    context.pollTitle = state.voting.polls[data.poll_id]?.title ?? null;
  if (data.document_id !== undefined) {
    context.documentTitle =
      state.documents[data.document_id]?.title ?? before.documents[data.document_id]?.title ?? null;
  }
  if (event.type === "poll.closed" || event.type === "vote.cast") {
    const poll = state.voting.polls[data.poll_id];
    context.options = poll?.options ?? [];
    context.kind = poll?.kind ?? "yes_no_abstain";
  }
  return context;
}

function itemLabel(context, data) {
  if (context.itemNumber && context.itemTitle) return `${context.itemNumber}. ${context.itemTitle}`;
  return context.itemTitle ?? t("item.unknown", { id: data.item_id });
}

function choiceLabel(context, choice) {
  if (typeof choice === "string") return t(`vote.choice.${choice}`);
  if (!Array.isArray(choice) || choice.length === 0) return t("vote.choice.blank");
  return choice.map((i) => context.options?.[i] ?? `#${i + 1}`).join(", ");
}

export function describeEvent(state, event, context = eventContext(event, state)) {
  const actor = personName(state, event.actor_id);
  const data = event.data ?? {};
  const type = event.type;
  const target = personName(state, data.user_id ?? data.voter_id);
  const self = (data.user_id ?? data.voter_id) === event.actor_id;
  const item = () => itemLabel(context, data);
  const title = context.pollTitle ?? context.documentTitle ?? "";
  switch (type) {
    case "meeting.started":
    case "meeting.ended":
      return t(`event.${type}`, { actor });
    case "attendance.checked_in":
    case "attendance.checked_out":
      return t(`event.${type}.${self ? "self" : "other"}`, { actor, target });
    case "document.added":
      return t(data.version > 1 ? "event.document.added.version" : "event.document.added", {
        actor,
        title: data.title,
        version: data.version,
      });
    case "presenter.changed":
      if (data.user_id === null || data.user_id === undefined)
        return t("event.presenter.changed.none", { actor });
      return t(`event.presenter.changed.${self ? "self" : "other"}`, { actor, target });
    case "presenter.view_changed":
      return t("event.presenter.view_changed", {
        actor,
        page: data.page,
        title: context.documentTitle ?? "",
      });
    case "agenda.item_added":
    case "agenda.item_updated":
    case "agenda.item_moved":
      return t(`event.${type}`, { actor, item: item() });
    case "agenda.item_removed":
      return t("event.agenda.item_removed", { actor, title: context.itemTitle ?? "" });
    case "agenda.item_status_changed":
      return t("event.agenda.item_status_changed", {
        actor,
        item: item(),
        status: t(`agenda.status.${data.status}`),
      });
    case "agenda.document_attached":
    case "agenda.document_detached":
      return t(`event.${type}`, { actor, item: item(), document: context.documentTitle ?? "" });
    case "agenda.current_changed":
      if (data.item_id === null) return t("event.agenda.current_changed.none", { actor });
      return t("event.agenda.current_changed", { actor, item: item() });
    case "speakers.requested":
    case "speakers.withdrawn":
      return t(`event.${type}.${self ? "self" : "other"}`, { actor, target });
    case "speakers.granted":
      return t("event.speakers.granted", { actor, target });
    case "speakers.ended":
      return t("event.speakers.ended", {
        actor,
        target,
        duration: formatDuration(data.duration_secs ?? 0),
      });
    case "speakers.default_limit_set":
      if (data.limit_secs === null) return t("event.speakers.default_limit_set.none", { actor });
      return t("event.speakers.default_limit_set", {
        actor,
        limit: formatDuration(data.limit_secs),
      });
    case "poll.created":
    case "poll.updated":
      return t(`event.${type}`, { actor, title: data.title });
    case "poll.opened":
    case "poll.cancelled":
      return t(`event.${type}`, { actor, title });
    case "poll.closed": {
      const result = data.result ?? {};
      let outcome;
      if (context.kind === "options") {
        outcome = result.winners?.length
          ? t("poll.elected", {
              names: result.winners.map((i) => context.options?.[i] ?? `#${i + 1}`).join(", "),
            })
          : t("poll.noneElected");
      } else outcome = t(result.adopted ? "poll.adopted" : "poll.rejected");
      return t("event.poll.closed", { actor, title, outcome });
    }
    case "poll.recused":
      return t(`event.poll.recused.${self ? "self" : "other"}`, { actor, target, title });
    case "proxy.granted":
    case "proxy.revoked":
      return t(`event.${type}`, {
        actor,
        holder: personName(state, data.holder_id),
        grantor: personName(state, data.grantor_id),
      });
    case "vote.cast": {
      const proxy = data.cast_by !== undefined && data.cast_by !== data.voter_id;
      const key = proxy
        ? "event.vote.cast.proxy"
        : data.recast
          ? "event.vote.cast.recast"
          : "event.vote.cast";
      const recorded = data.recorded_by != null; // by the clerk, for a member without a tablet
      return t(recorded ? "event.vote.cast.recorded" : key, {
        actor: personName(state, data.cast_by ?? event.actor_id),
        target,
        choice: choiceLabel(context, data.choice),
      });
    }
    case "minutes.note_set":
      if (data.item_id === null || data.item_id === undefined)
        return t("event.minutes.note_set.general", { actor });
      return t("event.minutes.note_set", { actor, item: item() });
    case "minutes.absence_set":
      return t(data.reason ? "event.minutes.absence_set" : "event.minutes.absence_cleared", {
        actor,
        target,
      });
    case "minutes.decision_recorded":
    case "minutes.decision_updated":
    case "minutes.decision_removed":
      return t(`event.${type}`, { actor, number: data.decision_id });
    case "minutes.generated":
      return t("event.minutes.generated", { actor, version: data.version });
    case "minutes.signed":
      return t(data.status === "final" ? "event.minutes.signed.final" : "event.minutes.signed", {
        actor,
        version: data.version,
      });
    case "vote.paper_marked":
      return t("event.vote.paper_marked", { actor, target, title });
    case "poll.paper_tallied":
      return t("event.poll.paper_tallied", { actor, title, ...data });
    case "vote.participated":
      return t(
        event.actor_id !== data.voter_id
          ? "event.vote.participated.proxy"
          : "event.vote.participated",
        { actor, target },
      );
    default:
      if (ATTENDANCE_EVENTS.has(type)) return t(`event.${type}.other`, { actor, target });
      return t("event.unknown", { actor, type });
  }
}

export function createEventFeed() {
  const heading = h("h2", { class: "panel-title" });
  const empty = h("p", { class: "feed-empty" });
  const list = h("ol", { class: "feed", dataset: { testid: "feed" }, reversed: true });
  const el = h("section", { class: "panel feed-panel" }, heading, empty, list);

  let entries = []; // newest first: {event, context}
  let lastModel = null;

  function entryElement(state, { event, context }) {
    return h(
      "li",
      {
        class: `feed-entry feed-${event.type.replace(/[^a-z]/g, "-")}`,
        dataset: { testid: "feed-entry", seq: String(event.seq), type: event.type },
      },
      h("time", { class: "feed-time", datetime: event.at }, formatTime(event.at)),
      h("span", { class: "feed-text" }, describeEvent(state, event, context)),
    );
  }

  function add(event, state, before = state) {
    const entry = { event, context: eventContext(event, state, before) };
    const newest = entries[0];
    if (
      event.type === "presenter.view_changed" &&
      newest?.event.type === "presenter.view_changed" &&
      newest.event.actor_id === event.actor_id
    ) {
      entries[0] = entry; // one entry for a run of page turns
      list.firstElementChild?.replaceWith(entryElement(state, entry));
      return;
    }
    entries.unshift(entry);
    if (entries.length > FEED_MAX_ENTRIES) entries = entries.slice(0, FEED_MAX_ENTRIES);
    list.prepend(entryElement(state, entry));
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
        entries.map((entry) => entryElement(model.state, entry)),
      );
    lastModel = model;
  }

  return { el, add, update };
}
