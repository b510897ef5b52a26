// @ts-check
// The verification verdict (POST /api/minutes/verify, the checks of `ecabinet minutes
// verify`) in words: valid and final, valid so far, or not valid; each signature, whether
// the file changed after the last one, the attached record, and the meeting's log.

import { h } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";

/** "ok-final" | "ok-partial" | "bad" */
export function verdictLevel(verdict) {
  if (!verdict.ok) return "bad";
  return verdict.final ? "ok-final" : "ok-partial";
}

function signatureLine(check) {
  const signer = check.signer_name || check.signer || check.field;
  if (check.ok) {
    const kind = t(`minutes.verify.kind.${check.certification ? "certification" : "approval"}`);
    const time = check.signed_at ? formatDateTime(check.signed_at) : "";
    return { ok: true, text: t("minutes.verify.sigOk", { signer, kind, time }) };
  }
  if (check.intact && check.valid) {
    return { ok: false, text: t("minutes.verify.sigUntrusted", { signer }) };
  }
  return { ok: false, text: t("minutes.verify.sigBad", { signer }) };
}

/** The verdict as a block; `fileName` names an uploaded file. */
export function verdictView(verdict, { fileName = null } = {}) {
  const level = verdictLevel(verdict);
  const headline = {
    "ok-final": t("minutes.verify.okFinal"),
    "ok-partial": t("minutes.verify.okPartial"),
    bad: t("minutes.verify.bad"),
  }[level];
  const lines = verdict.signatures.map(signatureLine);
  const last = verdict.signatures.at(-1);
  if (last) {
    const whole = last.coverage === "ENTIRE_FILE";
    const text = t(whole ? "minutes.verify.unchanged" : "minutes.verify.changed");
    lines.push({ ok: whole, text });
  }
  lines.push({
    ok: verdict.record_ok,
    text: t(verdict.record_ok ? "minutes.verify.recordOk" : "minutes.verify.recordBad"),
  });
  if (verdict.log_checked === true) {
    lines.push({ ok: true, text: t("minutes.verify.logOk", { seq: verdict.audit_seq }) });
  } else if (verdict.log_checked === false) {
    lines.push({ ok: false, text: t("minutes.verify.logBad") });
  } else {
    lines.push({ ok: null, text: t("minutes.verify.logUnknown") });
  }
  return h(
    "div",
    {
      class: `minutes-verdict is-${level}`,
      role: "status",
      dataset: { testid: "minutes-verdict", level },
    },
    fileName ? h("p", { class: "muted" }, t("minutes.verify.fileName", { name: fileName })) : null,
    h(
      "p",
      { class: "minutes-verdict-headline", dataset: { testid: "minutes-verdict-headline" } },
      headline,
    ),
    h(
      "ul",
      { class: "minutes-verdict-checks" },
      lines.map((line) =>
        h(
          "li",
          { class: line.ok === true ? "is-ok" : line.ok === false ? "is-bad" : "is-unknown" },
          line.text,
        ),
      ),
    ),
    verdict.problems.length
      ? h(
          "details",
          { class: "minutes-verdict-details" },
          h("summary", {}, t("minutes.verify.details")),
          h("ul", {}, verdict.problems.map((p) => h("li", {}, p))),
        )
      : null,
  );
}
