// @ts-check
// The minutes part of the meeting state and its fold, mirroring ecabinet/minutes/state.py:
// notes per agenda item (key "general" for the meeting's note), absences with reasons,
// decisions, and the versions of the signed minutes. Pure: no DOM, no clock.

export const MINUTES_EVENT_TYPES = new Set([
  "minutes.note_set",
  "minutes.absence_set",
  "minutes.decision_recorded",
  "minutes.decision_updated",
  "minutes.decision_removed",
  "minutes.generated",
  "minutes.signed",
]);

// A version's lifecycle (VERSION_MOVES on the server): who signs which status, and after.
export const VERSION_MOVES = Object.freeze({
  draft: { role: "clerk", after: "clerk-signed" },
  "clerk-signed": { role: "chair", after: "final" },
});
export const VERSION_STATUSES = ["draft", "clerk-signed", "final"];

export const GENERAL = "general"; // the notes' key for the meeting's general note

export function noteKey(itemId) {
  return itemId === null || itemId === undefined ? GENERAL : String(itemId);
}

/** The minutes sub-state from a snapshot's `state.minutes` (absent: empty). */
export function minutesFromWire(wire) {
  const notes = {};
  for (const note of wire?.notes ?? []) {
    notes[noteKey(note.item_id)] = { text: note.text, updatedAt: note.updated_at ?? null };
  }
  const absences = {};
  for (const absence of wire?.absences ?? []) absences[String(absence.user_id)] = absence.reason;
  const decisions = {};
  for (const d of wire?.decisions ?? []) decisions[d.id] = { ...d };
  const versions = {};
  for (const v of wire?.versions ?? []) {
    versions[v.version] = { ...v, signatures: [...v.signatures] };
  }
  return { notes, absences, decisions, versions };
}

function fail(message) {
  throw new Error(`minutes event does not fit: ${message}`);
}

/** Fold one minutes.* event (the caller checked the type); throws when it does not fit. */
export function applyMinutesEvent(minutes, type, data, at, actorId) {
  switch (type) {
    case "minutes.note_set": {
      const notes = { ...minutes.notes };
      const key = noteKey(data.item_id);
      if (data.text) notes[key] = { text: data.text, updatedAt: at, updatedBy: actorId };
      else delete notes[key];
      return { ...minutes, notes };
    }
    case "minutes.absence_set": {
      const absences = { ...minutes.absences };
      if (data.reason === null) delete absences[String(data.user_id)];
      else absences[String(data.user_id)] = data.reason;
      return { ...minutes, absences };
    }
    case "minutes.decision_recorded": {
      const decision = {
        id: data.decision_id,
        item_id: data.item_id ?? null,
        text: data.text,
        poll_id: data.poll_id ?? null,
        recorded_at: at,
        recorded_by: actorId,
        updated_at: null,
      };
      return { ...minutes, decisions: { ...minutes.decisions, [decision.id]: decision } };
    }
    case "minutes.decision_updated": {
      const before = minutes.decisions[data.decision_id] ?? fail("no such decision");
      const after = {
        ...before,
        item_id: data.item_id ?? null,
        text: data.text,
        poll_id: data.poll_id ?? null,
        updated_at: at,
      };
      return { ...minutes, decisions: { ...minutes.decisions, [after.id]: after } };
    }
    case "minutes.decision_removed": {
      if (!minutes.decisions[data.decision_id]) fail("no such decision");
      const decisions = { ...minutes.decisions };
      delete decisions[data.decision_id];
      return { ...minutes, decisions };
    }
    case "minutes.generated": {
      const version = {
        version: data.version,
        status: "draft",
        sha256: data.sha256,
        draft_sha256: data.sha256,
        size: data.size,
        pages: data.pages,
        head_seq: data.head_seq,
        head_hash: data.head_hash,
        layout: data.layout,
        number: data.number,
        generated_at: at,
        generated_by: actorId,
        replaces: data.replaces ?? null,
        signatures: [],
      };
      return { ...minutes, versions: { ...minutes.versions, [version.version]: version } };
    }
    case "minutes.signed": {
      const before = minutes.versions[data.version] ?? fail("no such version");
      const move = VERSION_MOVES[before.status];
      if (!move || move.role !== data.role || move.after !== data.status) fail("no such move");
      const after = {
        ...before,
        sha256: data.sha256,
        size: data.size,
        status: data.status,
        signatures: [
          ...before.signatures,
          { role: data.role, user_id: actorId, at, sha256: data.sha256 },
        ],
      };
      return { ...minutes, versions: { ...minutes.versions, [after.version]: after } };
    }
    default:
      return minutes;
  }
}

// --- reading the state ---------------------------------------------------------------

/** Versions, newest first. */
export function versionList(minutes) {
  return Object.values(minutes.versions).sort((a, b) => b.version - a.version);
}

export function latestVersion(minutes) {
  return versionList(minutes)[0] ?? null;
}

/** Whether `role` signs `version` now: the newest version, its status's turn. */
export function canSign(minutes, version, role) {
  const latest = latestVersion(minutes);
  if (!latest || latest.version !== version.version) return false;
  return VERSION_MOVES[version.status]?.role === role;
}

/** Decisions of an agenda item (null: those of no item), in the order recorded. */
export function decisionsOf(minutes, itemId) {
  return Object.values(minutes.decisions)
    .filter((d) => (d.item_id ?? null) === (itemId ?? null))
    .sort((a, b) => a.id - b.id);
}

export function noteOf(minutes, itemId) {
  return minutes.notes[noteKey(itemId)] ?? null;
}
