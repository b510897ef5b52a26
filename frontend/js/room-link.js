// @ts-check
// One meeting room's live link: the socket, the join (snapshot or replay), the seq-ordered
// event stream and commands with acks. It owns the state; views only receive it.
//
// Ordering contract (docs/protocol.md): events are applied strictly in seq order. An event
// at or below the current seq is a duplicate and ignored; one beyond seq + 1 is held back
// and, if the gap does not fill within GAP_GRACE_MS, the room is joined again with
// last_seq so that the server replays what is missing (or sends a fresh snapshot).

import { io } from "../vendor/socket.io-client/socket.io.esm.min.js";
import { applyEvent, fromSnapshot } from "./meeting-state.js";

const ACK_TIMEOUT_MS = 10_000;
// Events of several workers may arrive slightly out of order, and the server may hold a
// secret poll's participation events back for up to a second: a head beacon ahead of us
// is a gap only after this long.
const GAP_GRACE_MS = 1500;
const COMMAND_ATTEMPTS = 3;
const RECONNECT_DELAY_MS = 500; // first retry after a lost connection, doubling…
const RECONNECT_DELAY_MAX_MS = 5000; // …up to this, so a returning network is used soon
const JOIN_WAIT_MS = 30_000; // how long a command waits for the room to be joined again
// Events are folded as they come, but the view hears of the new state once per animation
// frame (a burst of 500 ballots is one redraw per frame, not 500). A hidden page gets no
// frames: it hears at least this often.
const STATE_FALLBACK_MS = 250;

export function deviceLabel() {
  const coarse = window.matchMedia?.("(pointer: coarse)").matches;
  if (!coarse) return "desktop";
  return Math.min(window.screen.width, window.screen.height) >= 600 ? "tablet" : "phone";
}

/** A command id for retries: 32 hex digits (crypto.randomUUID needs a secure context). */
export function newCommandId() {
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export class RoomLink {
  /**
   * handlers: onState(state, {reset, chain}) — at most once per animation frame for events,
   * at once for a snapshot —, onEvent(event, state, before) — every event —, onPresence(people),
   * onEphemeral({user_id, kind, data}), onConnection("connecting"|"live"|"reconnecting"),
   * onFatal(code), onSessionEnded()
   */
  constructor(meetingId, handlers) {
    this.meetingId = meetingId;
    this.handlers = handlers;
    this.state = null;
    this.you = null;
    this.joined = false;
    this.joining = false;
    this.rejoinWanted = false;
    this.forceSnapshot = false;
    this.pending = new Map(); // seq -> event held back until the gap before it is filled
    this.headSeq = null; // the newest log head the server announced (`head` messages)
    this.people = new Map(); // user_id -> {user_id, display_name, devices}: who is connected
    this.presenceVersions = new Map(); // user_id -> version of their latest presence change
    this.presenceFloor = 0; // the join list's version: any older change is ignored
    this.gapTimer = null;
    this.joinWaiters = [];
    this.everJoined = false;
    this.sessionEnded = false;
    this.stopped = false;
    this.frame = null; // a pending once-per-frame onState: {raf, timer}
    this.onOffline = () => this._goOffline();
  }

  start() {
    const socket = io({
      transports: ["websocket"],
      auth: { device: deviceLabel() },
      reconnectionDelay: RECONNECT_DELAY_MS,
      reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    });
    this.socket = socket;
    this._connection("connecting");
    socket.on("connect", () => this._join());
    socket.on("disconnect", (reason) => this._onDisconnect(reason));
    socket.on("connect_error", (err) => this._onConnectError(err));
    socket.on("event", (event) => this._onEvent(event));
    socket.on("events", (batch) => {
      if (batch?.meeting_id !== this.meetingId || !Array.isArray(batch.events)) return;
      for (const event of batch.events) this._onEvent(event);
    });
    socket.on("presence", (payload) => {
      if (payload?.meeting_id !== this.meetingId || !Array.isArray(payload.changes)) return;
      for (const person of payload.changes) this._onPerson(person);
      this.handlers.onPresence([...this.people.values()]);
    });
    socket.on("ephemeral", (payload) => {
      if (payload?.meeting_id === this.meetingId && this.joined)
        this.handlers.onEphemeral?.(payload);
    });
    socket.on("head", (payload) => this._onHead(payload));
    socket.on("session-ended", () => this._sessionEnded());
    // Taken off this meeting's roster (docs/protocol.md `roster-removed`): the server has
    // already taken the socket out of the meeting; the room ends here, nothing is retried.
    socket.on("roster-removed", (payload) => {
      if (payload?.meeting_id !== this.meetingId || this.stopped) return;
      this.stop();
      this.handlers.onFatal("roster-removed");
    });
    window.addEventListener("offline", this.onOffline);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("offline", this.onOffline);
    clearTimeout(this.gapTimer);
    this._cancelFrame();
    this._settleWaiters(false);
    this.socket?.disconnect();
  }

  /** Send a command; resolves to the ack ({ok, seq} or {ok: false, error: {code}}). */
  async command(type, data = {}) {
    const envelope = { id: newCommandId(), type, data };
    for (let attempt = 1; attempt <= COMMAND_ATTEMPTS; attempt += 1) {
      if (!(await this._whenJoined())) return failure("timeout");
      let ack;
      try {
        ack = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck("cmd", envelope);
      } catch {
        continue; // no ack in time: send again with the same id (the server deduplicates)
      }
      if (!ack?.ok && ack?.error?.code === "not-joined") {
        this.joined = false;
        this._join();
        continue;
      }
      return ack ?? failure("internal");
    }
    return failure("timeout");
  }

  /** A throw-away signal to the others (a view while scrolling); dropped when not joined. */
  sendEphemeral(kind, data) {
    if (!this.joined || this.stopped) return;
    this.socket.volatile.emit("ephemeral", { kind, data });
  }

  // --- connection -------------------------------------------------------------------

  _connection(status) {
    if (!this.stopped) this.handlers.onConnection(status);
  }

  _onDisconnect(reason) {
    this.joined = false;
    if (this.stopped) return;
    this._connection(this.everJoined ? "reconnecting" : "connecting");
    // The server closed the socket (its session ended, or a restart): connect again; a
    // refused handshake then says whether the session is still valid.
    if (reason === "io server disconnect" && !this.sessionEnded) this.socket.connect();
  }

  _onConnectError(err) {
    if (this.stopped) return;
    if (err?.data?.code === "unauthenticated") {
      this._sessionEnded();
      return;
    }
    if (err?.data?.code) {
      // Refused by the server (not a network failure): socket.io does not retry these.
      this.handlers.onFatal(err.data.code);
      return;
    }
    this._connection(this.everJoined ? "reconnecting" : "connecting");
  }

  _sessionEnded() {
    if (this.sessionEnded) return;
    this.sessionEnded = true;
    this.stop();
    this.handlers.onSessionEnded();
  }

  // The device reports that it lost the network: a half-open websocket may take the
  // ping timeout (tens of seconds) to notice, so close it now and show it at once.
  // socket.io's manager then retries with backoff (at most RECONNECT_DELAY_MAX_MS apart).
  _goOffline() {
    if (this.stopped) return;
    this.joined = false;
    this._connection(this.everJoined ? "reconnecting" : "connecting");
    this.socket.io.engine?.close();
  }

  // --- join and ordering --------------------------------------------------------------

  async _join() {
    if (this.joining) {
      this.rejoinWanted = true;
      return;
    }
    this.joining = true;
    try {
      do {
        this.rejoinWanted = false;
        if (this.stopped || !this.socket.connected) return;
        const lastSeq = this.state && !this.forceSnapshot ? this.state.seq : null;
        let ack;
        try {
          ack = await this.socket
            .timeout(ACK_TIMEOUT_MS)
            .emitWithAck("join", { meeting_id: this.meetingId, last_seq: lastSeq });
        } catch {
          this.rejoinWanted = this.socket.connected;
          continue;
        }
        if (this.stopped) return;
        if (!ack?.ok) {
          if (ack?.error?.code === "resync-required") {
            this.forceSnapshot = true;
            this.rejoinWanted = true;
            continue;
          }
          this.handlers.onFatal(ack?.error?.code ?? "internal");
          return;
        }
        this.forceSnapshot = false;
        this.you = ack.you;
        this.people = new Map((ack.presence ?? []).map((person) => [person.user_id, person]));
        // Presence versions (docs/protocol.md `presence`): older changes are ignored.
        this.presenceFloor = Number(ack.presence_version) || 0;
        this.presenceVersions = new Map((ack.presence ?? []).map((p) => [p.user_id, p.version]));
        this.handlers.onPresence([...this.people.values()]);
        if (ack.mode === "snapshot") {
          this.state = fromSnapshot(ack.snapshot);
          this._cancelFrame(); // the snapshot's state is shown now, in place of any pending
          this.handlers.onState(this.state, { reset: true, chain: chainStart(ack.snapshot) });
        } else {
          for (const event of ack.events ?? []) this._accept(event);
        }
        this.joined = true;
        this.everJoined = true;
        this._connection("live");
        if (this._drain()) this.rejoinWanted = true;
      } while (this.rejoinWanted);
    } finally {
      this.joining = false;
      if (this.joined) this._settleWaiters(true);
    }
  }

  _onEvent(event) {
    if (event?.meeting_id !== this.meetingId || !Number.isInteger(event.seq)) return;
    if (this.state === null || this.joining) {
      this.pending.set(event.seq, event); // applied after the join answers
      return;
    }
    this._accept(event);
    if (this._drain()) this._scheduleGapFill();
  }

  /** One person's devices changed (none: they left); the join answer had everyone. */
  _onPerson(person) {
    if (!Number.isInteger(person?.user_id)) return;
    // The latest change wins, whichever worker's message arrives last.
    const version = Number(person.version) || 0;
    const held = this.presenceVersions.get(person.user_id) ?? this.presenceFloor;
    if (version < held) return;
    this.presenceVersions.set(person.user_id, version);
    if (person.devices?.length) this.people.set(person.user_id, person);
    else this.people.delete(person.user_id);
  }

  /** Apply `event` if it is the next one; hold it back if it is ahead; drop it if old. */
  _accept(event) {
    if (event.seq <= this.state.seq) return;
    if (event.seq > this.state.seq + 1) {
      this.pending.set(event.seq, event);
      return;
    }
    const before = this.state;
    try {
      this.state = applyEvent(this.state, event);
    } catch (error) {
      // The event does not fit this state (a fold this client got wrong): load a snapshot.
      console.warn("resync: event", event.seq, event.type, error);
      this.pending.clear();
      this.forceSnapshot = true;
      if (this.joining) this.rejoinWanted = true;
      else this._join();
      return;
    }
    this.handlers.onEvent(event, this.state, before);
    this._stateChanged();
  }

  /** The state changed: tell the view once, at the next animation frame. */
  _stateChanged() {
    if (this.frame !== null || this.stopped) return;
    const flush = () => this.flushState();
    this.frame = {
      raf: window.requestAnimationFrame(flush),
      timer: setTimeout(flush, STATE_FALLBACK_MS),
    };
  }

  /** Hand a pending state change to the view now (also what the next frame does). */
  flushState() {
    if (this.frame === null) return;
    this._cancelFrame();
    if (!this.stopped && this.state !== null) this.handlers.onState(this.state, { reset: false });
  }

  _cancelFrame() {
    if (this.frame === null) return;
    window.cancelAnimationFrame(this.frame.raf);
    clearTimeout(this.frame.timer);
    this.frame = null;
  }

  /** Apply held-back events that now follow; returns true while a gap remains. */
  _drain() {
    for (;;) {
      const next = this.pending.get(this.state.seq + 1);
      if (next === undefined) break;
      this.pending.delete(next.seq);
      this._accept(next);
    }
    for (const seq of this.pending.keys()) {
      if (seq <= this.state.seq) this.pending.delete(seq);
    }
    const headAhead = (this.headSeq ?? 0) > this.state.seq;
    if (this.pending.size === 0 && !headAhead && this.gapTimer !== null) {
      clearTimeout(this.gapTimer);
      this.gapTimer = null;
    }
    return this.pending.size > 0;
  }

  /** The log's head from the server: events above our seq that never came are a gap too. */
  _onHead(payload) {
    if (payload?.meeting_id !== this.meetingId || !Number.isInteger(payload.seq)) return;
    this.headSeq = Math.max(this.headSeq ?? 0, payload.seq);
    if (this.state !== null && !this.joining && this.headSeq > this.state.seq) {
      this._scheduleGapFill();
    }
  }

  _scheduleGapFill() {
    if (this.gapTimer !== null) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null;
      if (this.state === null) return;
      const held = this._drain();
      if (held || (this.headSeq ?? 0) > this.state.seq) this._join();
    }, GAP_GRACE_MS);
  }

  _whenJoined() {
    if (this.joined) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter = { resolve, timer: null };
      waiter.timer = setTimeout(() => {
        this.joinWaiters = this.joinWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, JOIN_WAIT_MS);
      this.joinWaiters.push(waiter);
    });
  }

  _settleWaiters(joined) {
    const waiters = this.joinWaiters;
    this.joinWaiters = [];
    for (const waiter of waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(joined);
    }
  }
}

/** Where a snapshot's hash chain stands: {seq, headHash, rule} (chain-verifier.js). A
 * snapshot without `hash_rule` comes from a server that knows only rule 1. */
function chainStart(snapshot) {
  return {
    seq: snapshot.state.seq,
    headHash: snapshot.head_hash ?? null,
    rule: snapshot.hash_rule ?? snapshot.meeting?.hash_rule ?? 1,
  };
}

function failure(code) {
  return { ok: false, error: { code, message: "" } };
}
