// @ts-check
// The meeting state on the client, and the fold that mirrors the server's rules
// (ecabinet/meetings/rules.py): apply(state, event) -> new state, pure, no DOM.
// State only changes here, only from a snapshot or from events in seq order. The agenda
// and voting folds live in their own modules; documents and the presenter's view here.

import { AGENDA_EVENT_TYPES, agendaFromWire, applyAgendaEvent, numbering } from "./agenda-state.js";
import { MINUTES_EVENT_TYPES, applyMinutesEvent, minutesFromWire } from "./minutes-state.js";
import { VOTING_EVENT_TYPES, applyVotingEvent, votingFromWire } from "./voting-state.js";
import {
  ANNOTATION_EVENT_TYPES,
  annotationsFromWire,
  applyAnnotationEvent,
} from "./annotation-state.js";

/** The room's state from a join snapshot: {seq, meeting, roster, status, …, attendance}. */
export function fromSnapshot(snapshot) {
  const { meeting, roster, state } = snapshot;
  return Object.freeze({
    seq: state.seq,
    meeting: { ...meeting, status: state.status, last_seq: state.seq },
    roster: roster.map((person) => ({ ...person })),
    status: state.status,
    startedAt: state.started_at,
    endedAt: state.ended_at,
    attendance: normalizeAttendance(state.attendance),
    agenda: agendaFromWire(state.agenda),
    documents: documentsFromWire(state.documents),
    presenting: {
      presenterId: state.presenting?.presenter_id ?? null,
      view: state.presenting?.view ?? null,
    },
    voting: votingFromWire(state.voting),
    minutes: minutesFromWire(state.minutes),
    annotations: annotationsFromWire(state.annotations),
  });
}

function documentsFromWire(list) {
  const documents = {};
  for (const doc of list ?? []) documents[doc.id] = { ...doc };
  return documents;
}

function addDocument(documents, event) {
  const data = event.data;
  const doc = {
    id: data.document_id,
    title: data.title,
    filename: data.filename,
    pages: data.pages,
    sha256: data.sha256,
    size: data.size,
    version: data.version,
    item_id: data.item_id ?? null,
    added_at: event.at,
    added_by: event.actor_id ?? null,
    replaces_id: data.replaces_id ?? null,
    replaced_by: null,
  };
  const next = { ...documents, [doc.id]: doc };
  if (doc.replaces_id !== null && next[doc.replaces_id]) {
    next[doc.replaces_id] = { ...next[doc.replaces_id], replaced_by: doc.id };
  }
  return next;
}

function normalizeAttendance(wire) {
  const attendance = {};
  for (const [userId, record] of Object.entries(wire ?? {})) {
    attendance[userId] = {
      status: record.status,
      checkedInAt: record.checked_in_at,
      leftAt: record.left_at ?? null,
    };
  }
  return attendance;
}

/**
 * Fold one event into the state. The caller guarantees event.seq === state.seq + 1.
 * Unknown event types only advance seq, as on the server, so that events of domains this
 * client does not know yet pass through. Throws when an event does not fit the state (the
 * caller then loads a fresh snapshot).
 */
export function applyEvent(state, event) {
  const next = { ...state, seq: event.seq };
  switch (event.type) {
    case "meeting.started":
      next.status = "live";
      next.startedAt = event.at;
      break;
    case "meeting.ended":
      next.status = "ended";
      next.endedAt = event.at;
      break;
    case "meeting.cancelled": // the back office, before the start (docs/protocol.md)
      next.status = "cancelled";
      next.meeting = { ...state.meeting, cancel_reason: event.data.reason };
      break;
    case "meeting.published": // the snapshot's `meeting.published` after it (repo.py)
      next.meeting = { ...state.meeting, published: true };
      break;
    case "meeting.rescheduled":
      next.meeting = {
        ...state.meeting,
        title: event.data.title,
        location: event.data.location,
        scheduled_at: event.data.scheduled_at,
      };
      break;
    case "roster.changed":
      next.roster = event.data.roster.map((entry) => ({ ...entry }));
      break;
    case "attendance.checked_in":
      next.attendance = {
        ...state.attendance,
        [String(event.data.user_id)]: { status: "present", checkedInAt: event.at, leftAt: null },
      };
      break;
    case "attendance.checked_out": {
      const key = String(event.data.user_id);
      const before = state.attendance[key] ?? { checkedInAt: null };
      next.attendance = {
        ...state.attendance,
        [key]: { ...before, status: "left", leftAt: event.at },
      };
      break;
    }
    case "document.added":
      next.documents = addDocument(state.documents, event);
      break;
    case "presenter.changed":
      next.presenting = { ...state.presenting, presenterId: event.data.user_id ?? null };
      break;
    case "presenter.view_changed":
      next.presenting = { ...state.presenting, view: { ...event.data } };
      break;
    default:
      if (AGENDA_EVENT_TYPES.has(event.type)) {
        next.agenda = applyAgendaEvent(state.agenda, event.type, event.data, event.at);
      } else if (VOTING_EVENT_TYPES.has(event.type)) {
        next.voting = applyVotingEvent(state.voting, event.type, event.data, event.at);
      } else if (MINUTES_EVENT_TYPES.has(event.type)) {
        next.minutes = applyMinutesEvent(
          state.minutes,
          event.type,
          event.data,
          event.at,
          event.actor_id ?? null,
        );
      } else if (ANNOTATION_EVENT_TYPES.has(event.type)) {
        next.annotations = applyAnnotationEvent(
          state.annotations,
          event.type,
          event.data,
          event.seq,
        );
      }
      break;
  }
  next.meeting = { ...next.meeting, status: next.status, last_seq: event.seq };
  return Object.freeze(next);
}

/** A roster member's attendance: "present", "left" or "absent" (never checked in). */
export function attendanceOf(state, userId) {
  return state.attendance[String(userId)] ?? null;
}

export function countPresent(state) {
  return state.roster.filter((p) => attendanceOf(state, p.user_id)?.status === "present").length;
}

export function displayName(state, userId) {
  return state.roster.find((p) => p.user_id === userId)?.display_name ?? null;
}

export function documentList(state) {
  return Object.values(state.documents).sort((a, b) => a.id - b.id);
}

/** The newest version of a document (following replaced_by). */
export function latestVersion(state, documentId) {
  let doc = state.documents[documentId];
  const seen = new Set();
  while (doc?.replaced_by && !seen.has(doc.id)) {
    seen.add(doc.id);
    doc = state.documents[doc.replaced_by] ?? doc;
  }
  return doc ?? null;
}

export function roleOf(state, userId) {
  return state.roster.find((p) => p.user_id === userId)?.role ?? null;
}

/** An agenda item's number ("1.2"), or null when it is gone. */
export function numberOfItem(state, itemId) {
  return numbering(state.agenda).get(itemId) ?? null;
}
