// @ts-check
// Every event the tablet applies is checked against the meeting's hash chain
// (docs/protocol.md, `hash` under "Server → client events"):
//
//   hash = SHA-256(prev_hash as 64 hex digits || canonical([seq, type, actor_id, at, data]))
//
// canonical is RFC 8785 under hash rule 2 (jcs.js) and Python's json.dumps under rule 1
// (legacy-canonical.js). The chain starts at the snapshot's `head_hash` (64 zeros at seq 0).
//
// Contract: reset() at every snapshot, then push() each applied event in seq order. Hashing
// is asynchronous (WebCrypto) and runs in order on a queue, never holding up rendering;
// onStatus is told once per drained burst. Outcomes per event:
// - verified: the recomputed hash is the event's `hash`;
// - unverifiable: its content cannot be recomputed here — a `redacted` event (another
//   person's private mark, data withheld), the first event after a snapshot without
//   `head_hash`, or under rule 1 an event whose whole numbers may have been floats; its
//   `hash` is taken as the next link and counted, never reported;
// - mismatch: anything else that differs. onMismatch is called once; the verifier then stops
//   for the life of this object (a later snapshot does not clear the alarm).

import { canonicalize } from "./jcs.js";
import { canonicalizeLegacy, hasWholeNumber } from "./legacy-canonical.js";

export const GENESIS_HASH = "0".repeat(64);
export const HASH_RULE_LEGACY = 1;
export const HASH_RULE_JCS = 2;
const HASH_FORM = /^[0-9a-f]{64}$/;
const encoder = new TextEncoder();

/** SHA-256 of `prevHash || text` (UTF-8) as 64 lowercase hex digits. */
export async function chainHash(prevHash, text) {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(prevHash + text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The canonical text of an event's hashed content under `rule` (1 or 2). */
export function eventText(event, rule, { wholeAsFloat = false } = {}) {
  const content = [event.seq, event.type, event.actor_id, event.at, event.data];
  if (rule === HASH_RULE_JCS) return canonicalize(content);
  if (!wholeAsFloat) return canonicalizeLegacy(content);
  // seq and actor_id are ints on the server; only `data` may hold floats.
  const head = canonicalizeLegacy(content.slice(0, 4)).slice(0, -1);
  return `${head},${canonicalizeLegacy(event.data, { wholeAsFloat: true })}]`;
}

/** "verified" | "unverifiable" | {computed}: what recomputing `event` after `prev` gives. */
export async function checkEvent(event, prev, rule) {
  if (event.type === "redacted" || prev === null) return "unverifiable";
  const computed = await chainHash(prev, eventText(event, rule));
  if (computed === event.hash) return "verified";
  if (rule === HASH_RULE_LEGACY && hasWholeNumber(event.data)) {
    const asFloats = await chainHash(prev, eventText(event, rule, { wholeAsFloat: true }));
    // 120 and 120.0 parse alike: neither reading matching proves nothing either way.
    return asFloats === event.hash ? "verified" : "unverifiable";
  }
  return { computed };
}

export function webCryptoAvailable() {
  return Boolean(globalThis.crypto?.subtle?.digest);
}

export class ChainVerifier {
  /** handlers: onStatus({state, seq, unverifiable, mismatch}), onMismatch({seq, expected,
   * computed}). state: "verifying" | "verified" | "mismatch" | "unsupported". */
  constructor(handlers) {
    this.handlers = handlers;
    this.supported = webCryptoAvailable(); // WebCrypto needs a secure context (HTTPS)
    this.generation = 0;
    this.queue = [];
    this.running = false;
    this.done = Promise.resolve(); // settles when the current run ends
    this.rule = HASH_RULE_LEGACY;
    this.seq = 0; // the last event checked (or the snapshot's seq)
    this.link = GENESIS_HASH; // that event's hash; null when not known
    this.unverifiable = 0;
    this.mismatch = null;
  }

  /** A snapshot at `seq`: the chain continues from `headHash` (the hash of event `seq`). */
  reset({ seq, headHash, rule }) {
    this.generation += 1;
    this.queue = [];
    this.seq = seq;
    this.link = seq === 0 ? GENESIS_HASH : HASH_FORM.test(headHash ?? "") ? headHash : null;
    this.rule = rule === HASH_RULE_JCS ? HASH_RULE_JCS : HASH_RULE_LEGACY;
    this.unverifiable = 0;
    this._report();
  }

  /** The next applied event (seq order); checked soon after, never before its predecessor. */
  push(event) {
    if (!this.supported || this.mismatch !== null) return;
    this.queue.push(event);
    if (!this.running) this._run();
  }

  /** Resolves when everything pushed so far has been checked. */
  async settled() {
    while (this.running) await this.done;
  }

  status() {
    let state = "verified";
    if (!this.supported) state = "unsupported";
    else if (this.mismatch !== null) state = "mismatch";
    else if (this.running || this.queue.length > 0) state = "verifying";
    return { state, seq: this.seq, unverifiable: this.unverifiable, mismatch: this.mismatch };
  }

  async _run() {
    this.running = true;
    let finish;
    this.done = new Promise((resolve) => (finish = resolve));
    try {
      while (this.queue.length > 0 && this.mismatch === null) {
        const generation = this.generation;
        const batch = this.queue;
        this.queue = [];
        for (const event of batch) {
          await this._check(event);
          if (generation !== this.generation || this.mismatch !== null) break;
        }
      }
    } catch (error) {
      console.warn("chain: an event could not be checked", error);
      this.queue = [];
    } finally {
      this.running = false;
      finish();
    }
    this._report();
  }

  async _check(event) {
    if (event.seq <= this.seq) return; // already checked
    const generation = this.generation;
    const prev = event.seq === this.seq + 1 ? this.link : null;
    const outcome = await checkEvent(event, prev, this.rule);
    if (generation !== this.generation) return; // a snapshot came meanwhile
    if (typeof outcome === "object") {
      this.mismatch = { seq: event.seq, expected: String(event.hash), computed: outcome.computed };
      this.handlers.onMismatch?.(this.mismatch);
      return;
    }
    if (outcome === "unverifiable") this.unverifiable += 1;
    this.seq = event.seq;
    this.link = HASH_FORM.test(event.hash ?? "") ? event.hash : null;
  }

  _report() {
    this.handlers.onStatus?.(this.status());
  }
}
