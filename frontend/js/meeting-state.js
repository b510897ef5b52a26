// The meeting state on the client, and the fold that mirrors the server's rules
// (ecabinet/meetings/rules.py): apply(state, event) -> new state, pure, no DOM.
// State only changes here, only from a snapshot or from events in seq order.

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
  });
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
 * Unknown event types only advance seq, as on the server, so that events of other
 * domains (agenda, voting) pass through a client that does not know them yet.
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
    default:
      break;
  }
  next.meeting = { ...state.meeting, status: next.status, last_seq: event.seq };
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
