// The tablet's fold, run in Chromium for the fold parity test (test_fold_parity.py), and
// the projection of its state onto the server's snapshot form (`state` of a `join`
// answer, MeetingState.to_wire(viewer) in ecabinet/meetings/rules.py).
//
// The projection only renames and reshapes; it never computes what the state should
// hold, so a field the tablet lost or got wrong shows as a difference. What it leaves
// out, and why:
// - nothing of `meeting` and `roster` (the snapshot's parts beside `state`, which the
//   back office's events change): they are compared whole;
// - a note's `updatedBy` (the tablet keeps who wrote the note; the snapshot has no field);
// - an annotation's `createdSeq` (ties a command's ack to its mark) and the marks the
//   viewer may not see (another person's mark that was unshared stays, hidden);
// What it derives, as the server's snapshot derives it from the same state:
// - an agenda item's number, depth, position, current flag (agendaRows), first and last
//   visit times, whole seconds spent; the running speech's item, `ended_at` and
//   `duration_secs` (null while it runs);
// - each poll's `you` block (youIn, the tablet's own derivation, compared with the
//   server's).

import { agendaRows, currentSince } from "/js/agenda-state.js";
import { isVisible } from "/js/annotation-state.js";
import { applyEvent, fromSnapshot } from "/js/meeting-state.js";
import { youIn } from "/js/voting-state.js";

const byNumber = (a, b) => a - b;
const numericKeys = (object) => Object.keys(object).map(Number).sort(byNumber);

function attendanceToWire(attendance) {
  const out = {};
  for (const id of numericKeys(attendance)) {
    const record = attendance[id];
    out[String(id)] = {
      status: record.status,
      checked_in_at: record.checkedInAt,
      left_at: record.leftAt,
    };
  }
  return out;
}

function itemToWire(row) {
  const { spent_ms: spentMs, ...item } = row;
  return {
    ...item,
    first_current_at: item.visits.length > 0 ? item.visits[0].started_at : null,
    last_left_at: item.visits.length > 0 ? item.visits[item.visits.length - 1].ended_at : null,
    spent_secs: Math.floor(spentMs / 1000),
  };
}

function agendaToWire(agenda) {
  const queues = {};
  for (const id of numericKeys(agenda.queues)) queues[String(id)] = agenda.queues[id];
  return {
    items: agendaRows(agenda).map(itemToWire),
    next_item_id: agenda.nextItemId,
    current_item_id: agenda.currentId,
    current_since: currentSince(agenda),
    speech:
      agenda.speech === null
        ? null
        : { item_id: agenda.currentId, ended_at: null, duration_secs: null, ...agenda.speech },
    queues,
    default_limit_secs: agenda.defaultLimitSecs,
  };
}

function proxiesToWire(proxies) {
  return numericKeys(proxies).map((g) => ({ grantor_id: g, holder_id: proxies[g] }));
}

function pollToWire(poll, viewer) {
  const { votes, recorded, proxies, ...rest } = poll;
  return {
    ...rest,
    proxies: proxiesToWire(proxies),
    votes: numericKeys(votes).map((voter) => ({
      voter_id: voter,
      choice: votes[voter],
      ...(voter in recorded ? { recorded_by: recorded[voter] } : {}),
    })),
    you: youIn(poll, viewer),
  };
}

function minutesToWire(minutes) {
  const noteIds = Object.keys(minutes.notes)
    .map((key) => (key === "general" ? null : Number(key)))
    .sort((a, b) => (a ?? 0) - (b ?? 0));
  return {
    notes: noteIds.map((id) => {
      const note = minutes.notes[id === null ? "general" : String(id)];
      return { item_id: id, text: note.text, updated_at: note.updatedAt };
    }),
    absences: numericKeys(minutes.absences).map((id) => ({
      user_id: id,
      reason: minutes.absences[id],
    })),
    decisions: numericKeys(minutes.decisions).map((id) => minutes.decisions[id]),
    versions: numericKeys(minutes.versions).map((v) => minutes.versions[v]),
  };
}

/** The tablet's state as the server's snapshot `state` for `viewer`. */
export function toWire(state, viewer) {
  return {
    seq: state.seq,
    status: state.status,
    started_at: state.startedAt,
    ended_at: state.endedAt,
    attendance: attendanceToWire(state.attendance),
    agenda: agendaToWire(state.agenda),
    documents: numericKeys(state.documents).map((id) => state.documents[id]),
    presenting: { presenter_id: state.presenting.presenterId, view: state.presenting.view },
    voting: {
      proxies: proxiesToWire(state.voting.proxies),
      polls: numericKeys(state.voting.polls).map((id) => pollToWire(state.voting.polls[id], viewer)),
    },
    minutes: minutesToWire(state.minutes),
    annotations: Object.values(state.annotations)
      .filter((mark) => isVisible(mark, viewer))
      .sort((a, b) => a.annotation_id - b.annotation_id)
      .map(({ createdSeq: _seq, ...mark }) => mark),
  };
}

/** Each case: a snapshot, the events after it (as `viewer` receives them), folded as
 * room-link.js folds them; the tablet's meeting, roster and projected state, or the
 * error the fold threw. */
export function foldAll(cases) {
  return cases.map(({ snapshot, events, viewer }) => {
    try {
      let state = fromSnapshot(snapshot);
      for (const event of events) state = applyEvent(state, event);
      const { meeting, roster } = state;
      return { snapshot: JSON.parse(JSON.stringify({ meeting, roster, state: toWire(state, viewer) })) };
    } catch (error) {
      return { error: String(error?.stack ?? error) };
    }
  });
}
