// @ts-check
// Live shared ink: strokes on their way, before they are stored.
//
// The drawer's side (`LiveSender`) sends the points of a *shared* stroke as `ephemeral`
// `ink` messages while it is drawn, at most one per SEND_EVERY_MS (the server allows 30 a
// second per connection, shared with the presenter's view messages), each with the points
// since the previous one. A private stroke is never sent. The others' side (`LiveStrokes`)
// gathers what arrives, per drawer and stroke, until the stored mark replaces it.
// No DOM here; the clock is injected.

export const SEND_EVERY_MS = 50; // ≤ 20 a second, leaving room for view messages
export const POINTS_PER_MESSAGE = 200; // the server's limit
const STALE_MS = 5000; // a stroke without news this long (its drawer went away) is dropped

export function newStrokeId() {
  const bytes = new Uint8Array(8);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class LiveSender {
  /** send(data) sends one ephemeral ink message; now() gives milliseconds. */
  constructor(
    send,
    {
      now = () => performance.now(),
      schedule = (fn, ms) => window.setTimeout(fn, ms),
      cancel = (id) => window.clearTimeout(id),
    } = {},
  ) {
    this.send = send;
    this.now = now;
    this.schedule = schedule;
    this.cancel = cancel;
    this.stroke = null;
    this.pending = [];
    this.lastSentAt = -Infinity;
    this.timer = null;
  }

  /** A new stroke: {document_id, page, color, width}. */
  begin(meta) {
    this.flush();
    this.stroke = { ...meta, stroke: newStrokeId() };
    this.pending = [];
  }

  add(point) {
    if (!this.stroke) return;
    this.pending.push(point);
    const wait = this.lastSentAt + SEND_EVERY_MS - this.now();
    if (wait <= 0) this.flush();
    else if (this.timer === null) {
      this.timer = this.schedule(() => {
        this.timer = null;
        this.flush();
      }, wait);
    }
  }

  /** Send what is waiting (also at the end of the stroke, so the others see it whole). */
  flush() {
    if (this.timer !== null) {
      this.cancel(this.timer);
      this.timer = null;
    }
    if (!this.stroke || this.pending.length === 0) return;
    while (this.pending.length > 0) {
      const points = this.pending.splice(0, POINTS_PER_MESSAGE);
      this.send({ ...this.stroke, points });
    }
    this.lastSentAt = this.now();
  }

  end() {
    this.flush();
    this.stroke = null;
  }
}

export class LiveStrokes {
  constructor({ now = () => performance.now() } = {}) {
    this.now = now;
    this.strokes = new Map(); // "user:stroke" -> {userId, document_id, page, color, width, points, at}
  }

  /** An ephemeral ink message {user_id, data}; returns the stroke it extended. */
  receive(userId, data) {
    if (!data || !Array.isArray(data.points)) return null;
    const key = `${userId}:${data.stroke}`;
    let stroke = this.strokes.get(key);
    if (!stroke) {
      stroke = {
        key,
        userId,
        document_id: data.document_id,
        page: data.page,
        color: data.color,
        width: data.width,
        points: [],
        at: 0,
      };
      this.strokes.set(key, stroke);
    }
    stroke.points = stroke.points.concat(data.points);
    stroke.at = this.now();
    return stroke;
  }

  /** The stored mark arrived: drop the drawer's live stroke that it finishes. */
  settle(mark) {
    if (mark.kind !== "ink" || !mark.points?.length) return false;
    const [fx, fy] = mark.points[0];
    let dropped = false;
    for (const [key, stroke] of this.strokes) {
      const first = stroke.points[0];
      if (stroke.userId === mark.owner_id && first && first[0] === fx && first[1] === fy) {
        this.strokes.delete(key);
        dropped = true;
      }
    }
    return dropped;
  }

  /** Drop strokes whose drawer went quiet; returns whether any was dropped. */
  prune() {
    const limit = this.now() - STALE_MS;
    let dropped = false;
    for (const [key, stroke] of this.strokes) {
      if (stroke.at < limit) {
        this.strokes.delete(key);
        dropped = true;
      }
    }
    return dropped;
  }

  onPage(documentId, page) {
    return [...this.strokes.values()].filter(
      (s) => s.document_id === documentId && s.page === page,
    );
  }

  clear() {
    this.strokes.clear();
  }
}
