// @ts-check
// Annotations in the client's fold: a transcription of ecabinet/annotations/rules.py
// `apply`, pure, no DOM. The snapshot holds the shared marks and the viewer's own; events
// of another person's private mark arrive as `redacted` and never reach this module.
//
// A mark: {annotation_id, owner_id, document_id, page, kind, shared, version, createdSeq,
// …drawing} where drawing is points/color/width (ink), rects/color (highlight) or
// text/anchor/color (note), all in PDF page coordinates. `createdSeq` is the seq of its
// `annotation.created` event (null from a snapshot): it ties a command's ack to its mark.

export const ANNOTATION_EVENT_TYPES = new Set([
  "annotation.created",
  "annotation.updated",
  "annotation.deleted",
  "annotation.shared",
]);

const CONTROL_FIELDS = new Set(["annotation_id", "owner_id", "shared", "version"]);

/** {annotation_id: mark} from the snapshot: the JSON text of the list of marks (sent as
 * text so that the server encodes each mark once; docs/protocol.md). */
export function annotationsFromWire(wire) {
  const list = typeof wire === "string" ? JSON.parse(wire) : (wire ?? []);
  const items = {};
  for (const mark of list) items[mark.annotation_id] = { ...mark, createdSeq: null };
  return items;
}

/** Fold one annotation event (`seq` is the event's). Unknown ids are left alone: a mark
 * the viewer never saw (made private before it joined) has nothing to change. */
export function applyAnnotationEvent(items, type, data, seq) {
  const id = data.annotation_id;
  if (type === "annotation.created") {
    return { ...items, [id]: { ...data, createdSeq: seq } };
  }
  const before = items[id];
  if (type === "annotation.shared" && data.shared && data.kind) {
    // Shared with everyone: the whole mark comes with it.
    return {
      ...items,
      [id]: { ...(before ?? {}), ...data, createdSeq: before?.createdSeq ?? seq },
    };
  }
  if (before === undefined) return items;
  if (type === "annotation.deleted") {
    const next = { ...items };
    delete next[id];
    return next;
  }
  if (type === "annotation.shared") {
    // Unshared: the owner keeps it; everyone else no longer sees it (visibleMarks).
    return { ...items, [id]: { ...before, shared: data.shared } };
  }
  const changes = {};
  for (const [name, value] of Object.entries(data)) {
    if (!CONTROL_FIELDS.has(name)) changes[name] = value;
  }
  return { ...items, [id]: { ...before, ...changes, version: data.version } };
}

/** What `viewerId` may see: shared marks and their own. */
export function isVisible(mark, viewerId) {
  return mark.shared || mark.owner_id === viewerId;
}

/** The visible marks of one page of one document, oldest first (drawing order). */
export function marksOnPage(items, documentId, page, viewerId) {
  return Object.values(items)
    .filter((m) => m.document_id === documentId && m.page === page && isVisible(m, viewerId))
    .sort((a, b) => a.annotation_id - b.annotation_id);
}

/** How many visible marks each document has (for the notice on a replaced version). */
export function countByDocument(items, viewerId, { own = false } = {}) {
  const counts = new Map();
  for (const mark of Object.values(items)) {
    if (!isVisible(mark, viewerId) || (own && mark.owner_id !== viewerId)) continue;
    counts.set(mark.document_id, (counts.get(mark.document_id) ?? 0) + 1);
  }
  return counts;
}

/** The mark created by the event at `seq`, once the state has folded it. */
export function markCreatedAt(items, seq) {
  return Object.values(items).find((m) => m.createdSeq === seq) ?? null;
}

/** The drawing fields of a mark (what `annotation.create` needs besides the control ones). */
export function drawingOf(mark) {
  const fields = { document_id: mark.document_id, page: mark.page, kind: mark.kind };
  for (const name of ["points", "color", "width", "rects", "text", "anchor"]) {
    if (mark[name] !== undefined) fields[name] = mark[name];
  }
  return fields;
}
