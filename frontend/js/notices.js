// @ts-check
// Short messages at the bottom of the screen (command refused, signed out, …).

import { h } from "./dom.js";

const NOTICE_SECS = 6; // long enough to read a sentence on a tablet

let container = null;

export function initNotices(el) {
  container = el;
}

/** Show `text` for a few seconds; kind is "info" or "error". */
export function notify(text, kind = "info") {
  if (container === null) return;
  const notice = h(
    "div",
    { class: `notice notice-${kind}`, role: kind === "error" ? "alert" : "status" },
    text,
  );
  container.append(notice);
  setTimeout(() => notice.remove(), NOTICE_SECS * 1000);
}

export function clearNotices() {
  container?.replaceChildren();
}
