// @ts-check
// A committee's minutes profile: the form (layout, header texts, code, place, the chair's
// "on behalf of", recipients) and a live preview of the minutes' header beside it.
//
// The preview is the server's own rendering (GET /api/committees/minutes-preview: the
// minutes' template, stylesheet and measured header), shown in a sandboxed frame that runs
// no script. Two frames take turns: the next preview loads in the hidden one and replaces
// the shown one when it has arrived, so typing never flashes an empty frame. Requests
// wait until typing pauses (PREVIEW_DEBOUNCE_MS).

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { previewUrl } from "./committees-api.js";

export const LAYOUTS = ["state", "party", "en"];
export const TEXT_MAX = 300; // each text of a profile (ecabinet/minutes/profile.py)
export const RECIPIENTS_MAX = 20;
const TEXTS = ["superior_body", "official_name", "abbreviation", "place", "chair_on_behalf"];
const MULTILINE = new Set(["superior_body", "official_name"]); // a line break is kept
const PREVIEW_DEBOUNCE_MS = 300;

function fieldBox(key, control, hintKey = null) {
  const id = `profile-${key}`;
  control.id = id;
  const hint = hintKey ? h("span", { class: "field-hint", id: `${id}-hint` }, t(hintKey)) : null;
  if (hint) control.setAttribute("aria-describedby", hint.id);
  return h(
    "div",
    { class: "field", dataset: { testid: `field-${key}` } },
    h("label", { class: "field-label", for: id }, t(`profile.${key}`)),
    control,
    hint,
  );
}

/** The recipients as the server takes them: one per non-empty line, trimmed. */
export function recipientLines(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * The profile form with its preview. `profile`: the stored one (the wire form);
 * `committee()`: {name, kind} as the dialog has them now, for the preview.
 * Returns {el, value(), problem(), refresh(), focus(), destroy()}.
 */
export function createProfileEditor({ profile, committee }) {
  const layout = h(
    "select",
    { class: "select", dataset: { testid: "profile-layout" } },
    LAYOUTS.map((code) =>
      h("option", { value: code, selected: code === profile.layout }, t(`profile.layout.${code}`)),
    ),
  );
  const texts = Object.fromEntries(
    TEXTS.map((key) => [
      key,
      MULTILINE.has(key)
        ? h("textarea", {
            class: "input textarea profile-text",
            rows: "2",
            maxlength: String(TEXT_MAX),
            dataset: { testid: `profile-${key}` },
          })
        : h("input", {
            type: "text",
            class: "input",
            maxlength: String(TEXT_MAX),
            autocomplete: "off",
            dataset: { testid: `profile-${key}` },
          }),
    ]),
  );
  for (const key of TEXTS) texts[key].value = profile[key] ?? "";
  const recipients = h("textarea", {
    class: "input textarea",
    rows: "4",
    dataset: { testid: "profile-recipients" },
  });
  recipients.value = (profile.recipients ?? []).join("\n");

  // The preview: two frames, one shown; the status line says when it is being redrawn.
  const frames = [0, 1].map((i) =>
    h("iframe", {
      class: "preview-frame",
      title: t("profile.preview.frame"),
      sandbox: "allow-same-origin",
      referrerpolicy: "no-referrer",
      hidden: i === 1,
      dataset: { testid: "profile-preview-frame", shown: String(i === 0) },
    }),
  );
  const viewport = h("div", { class: "preview-viewport" }, frames);
  const status = h("p", { class: "preview-status", role: "status", "aria-live": "polite" });
  const preview = h(
    "section",
    { class: "profile-preview", "aria-labelledby": "profile-preview-title" },
    h("h3", { class: "preview-title", id: "profile-preview-title" }, t("profile.preview")),
    viewport,
    status,
    h("p", { class: "field-hint" }, t("profile.preview.note")),
  );
  const form = h(
    "div",
    { class: "profile-form" },
    fieldBox("layout", layout),
    fieldBox("superior_body", texts.superior_body, "profile.superior_body.hint"),
    fieldBox("official_name", texts.official_name, "profile.official_name.hint"),
    h(
      "div",
      { class: "field-row" },
      fieldBox("abbreviation", texts.abbreviation, "profile.abbreviation.hint"),
      fieldBox("place", texts.place, "profile.place.hint"),
    ),
    fieldBox("chair_on_behalf", texts.chair_on_behalf, "profile.chair_on_behalf.hint"),
    fieldBox("recipients", recipients, "profile.recipients.hint"),
  );
  const el = h("div", { class: "profile-editor" }, form, preview);

  let shown = 0; // the index of the frame on screen
  let wanted = ""; // the address of the newest preview asked for
  let timer = null;
  let alive = true;

  function value() {
    const out = { layout: layout.value, recipients: recipientLines(recipients.value) };
    for (const key of TEXTS) out[key] = texts[key].value.trim();
    out.abbreviation ||= "BB";
    return out;
  }

  /** A message for what the server would refuse, or null. */
  function problem() {
    const lines = recipientLines(recipients.value);
    if (lines.length > RECIPIENTS_MAX || lines.some((line) => line.length > TEXT_MAX)) {
      return t("committees.invalid.recipients");
    }
    return null;
  }

  function fit() {
    const frame = frames[shown];
    const doc = frame.contentDocument;
    if (!doc?.body || viewport.clientWidth === 0) return; // not loaded, or its tab is hidden
    // The page's natural size (millimetres on the server's side), scaled to the room there is.
    const natural = doc.documentElement.scrollWidth;
    const height = doc.documentElement.scrollHeight;
    const scale = Math.min(1, viewport.clientWidth / natural);
    for (const f of frames) {
      f.style.width = `${natural}px`;
      f.style.height = `${height}px`;
      f.style.transform = `scale(${scale})`;
    }
    viewport.style.height = `${Math.ceil(height * scale)}px`;
  }

  function load() {
    timer = null;
    const { name, kind } = committee();
    const url = previewUrl(name, kind, value());
    if (url === wanted) return;
    wanted = url;
    const next = frames[1 - shown];
    setText(status, t("profile.preview.updating"));
    next.onload = () => {
      if (!alive || next.dataset.url !== wanted) return;
      const doc = next.contentDocument;
      if (!doc?.querySelector("table.head, .en-head")) {
        // Not a preview: the server refused (the frame holds its error) or the network did.
        let reason = doc?.body?.textContent ?? "";
        try {
          reason = JSON.parse(reason).error.message;
        } catch {
          // not JSON: keep the text as it is
        }
        setText(status, t("profile.preview.failed", { reason: reason.slice(0, 200) }));
        return;
      }
      frames[shown].hidden = true;
      frames[shown].dataset.shown = "false";
      next.hidden = false;
      next.dataset.shown = "true";
      shown = 1 - shown;
      fit();
      setText(status, "");
    };
    next.dataset.url = url;
    next.src = url;
  }

  /** Redraw the preview once typing pauses (now, with `immediately`). */
  function refresh({ immediately = false } = {}) {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(load, immediately ? 0 : PREVIEW_DEBOUNCE_MS);
  }

  form.addEventListener("input", () => refresh());
  layout.addEventListener("change", () => refresh({ immediately: true }));
  const resized = new ResizeObserver(() => fit());
  resized.observe(viewport);
  refresh({ immediately: true });

  return {
    el,
    value,
    problem,
    refresh,
    focus() {
      layout.focus();
    },
    destroy() {
      alive = false;
      if (timer !== null) clearTimeout(timer);
      resized.disconnect();
    },
  };
}
