// @ts-check
// The room header's word on the hash chain (chain-verifier.js): "record verified to #N" in
// the header bar, and a loud alert under the header when an event does not match. Shows
// nothing where the tablet cannot check (no WebCrypto outside a secure context).

import { h, setText } from "./dom.js";
import { t, tn } from "./i18n.js";

export function createChainStatus() {
  const el = h("span", {
    class: "chain-status",
    role: "status",
    dataset: { testid: "chain-status" },
    hidden: true,
  });
  const alertText = h("span", { class: "chain-alert-text" });
  const reportText = h("span", { class: "chain-alert-report" });
  const alert = h(
    "div",
    { class: "banner banner-danger", role: "alert", dataset: { testid: "chain-alert" } },
    alertText,
    " ",
    reportText,
  );
  alert.hidden = true;

  /** chain: the verifier's status (or null before the first snapshot); report: null,
   * "sent" or "failed" — what became of telling the server about a mismatch. */
  function update(chain, report) {
    const state = chain?.state ?? "unsupported";
    el.hidden = state === "unsupported" || state === "mismatch";
    el.dataset.state = state;
    el.dataset.seq = String(chain?.seq ?? "");
    el.dataset.unverifiable = String(chain?.unverifiable ?? 0);
    if (!el.hidden) {
      setText(el, `✓ ${t("chain.verified", { seq: chain.seq })}`);
      el.title = chain.unverifiable
        ? tn("chain.unverifiable", chain.unverifiable)
        : t("chain.verifiedTitle");
    }
    alert.hidden = state !== "mismatch";
    if (!alert.hidden) {
      setText(alertText, t("chain.mismatch", { seq: chain.mismatch.seq }));
      const said = { sent: "chain.reported", failed: "chain.reportFailed" }[report];
      setText(reportText, said ? t(said) : "");
    }
  }

  return { el, alert, update };
}
