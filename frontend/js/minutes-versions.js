// @ts-check
// The versions of the signed minutes: for each, its state (draft → signed by the clerk →
// final, as a three-step line), facts, signatures, and what this person may do with it —
// preview, download, sign (the clerk a draft, the chair a clerk-signed version; only the
// newest), verify. Members and observers see final versions only. Live: versions and
// signatures arrive as events.

import { h, replaceChildren, setText } from "./dom.js";
import { errorText, formatClock, lang, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { minutesFileUrl, signMinutes, verifyPdf, verifyVersion } from "./minutes-api.js";
import { openMinutesPreview } from "./minutes-preview.js";
import { VERSION_MOVES, canSign, latestVersion, versionList } from "./minutes-state.js";
import { verdictView } from "./minutes-verify.js";
import { notify } from "./notices.js";

const EDITORS = new Set(["clerk", "chair"]);
const STEPS = [
  ["draft", "minutes.step.draft"],
  ["clerk-signed", "minutes.step.clerk"],
  ["final", "minutes.step.chair"],
];

/** The versions a role sees: everything for chair and clerk, final ones for the others. */
export function visibleVersions(minutes, role) {
  const all = versionList(minutes);
  return EDITORS.has(role) ? all : all.filter((v) => v.status === "final");
}

// Refusals of the typed password or PIN: the dialog stays open and says why.
const SECRET_REFUSALS = {
  "invalid-credentials": "minutes.sign.secret.wrong",
  "rate-limited": "minutes.sign.secret.paused",
};

/**
 * The confirmation of a signature, which asks for the password (or the token PIN) every
 * time: "Ký số" is never one tap. `attempt(secret)` signs; a wrong password keeps the
 * dialog open with the reason. Resolves to true once signed, false when cancelled; other
 * refusals reject (the dialog closes).
 */
function signDialog({ title, body, attempt }) {
  return new Promise((resolve, reject) => {
    const secret = h("input", {
      type: "password",
      class: "input",
      required: true,
      maxlength: "256",
      autocomplete: "current-password",
      dataset: { testid: "sign-secret" },
    });
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const cancel = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "dialog-cancel" } },
      t("minutes.sign.confirm.cancel"),
    );
    const confirm = h(
      "button",
      { type: "submit", class: "btn btn-primary", dataset: { testid: "dialog-confirm" } },
      t("minutes.sign.confirm.confirm"),
    );
    const form = h(
      "form",
      { method: "dialog" },
      h("p", { class: "dialog-body" }, body),
      h(
        "label",
        { class: "field" },
        h("span", { class: "field-label" }, t("minutes.sign.secret")),
        secret,
        h("span", { class: "field-hint" }, t("minutes.sign.secret.hint")),
      ),
      problem,
      h("div", { class: "dialog-actions" }, cancel, confirm),
    );
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "sign-title", dataset: { testid: "sign-dialog" } },
      h("h2", { class: "dialog-title", id: "sign-title" }, title),
      form,
    );
    /** @type {{signed: boolean, error?: any}} */
    let outcome = { signed: false };
    cancel.addEventListener("click", () => dialog.close());
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!secret.value) return;
      confirm.disabled = cancel.disabled = secret.disabled = true;
      setText(confirm, t("minutes.sign.busy"));
      try {
        await attempt(secret.value);
        outcome = { signed: true };
        dialog.close();
      } catch (error) {
        const reason = SECRET_REFUSALS[error.code];
        if (!reason) {
          outcome = { signed: false, error };
          dialog.close();
          return;
        }
        problem.hidden = false;
        setText(problem, t(reason));
        confirm.disabled = cancel.disabled = secret.disabled = false;
        setText(confirm, t("minutes.sign.confirm.confirm"));
        secret.value = "";
        secret.focus();
      }
    });
    dialog.addEventListener("cancel", (event) => {
      if (confirm.disabled) event.preventDefault(); // not while the signature is being made
    });
    dialog.addEventListener("close", () => {
      secret.value = "";
      dialog.remove();
      if (outcome.error) reject(outcome.error);
      else resolve(outcome.signed);
    });
    document.body.append(dialog);
    dialog.showModal();
    secret.focus();
  });
}

export function createMinutesVersions({ meetingId }) {
  let model = null;
  let painted = null; // what the list was drawn from, to skip needless redraws
  const busy = new Set(); // "sign:<v>", "verify:<v>"
  const verdicts = new Map(); // version -> {sha256, verdict}
  let fileVerdict = null; // {name, verdict} of a file chosen on the device

  const heading = h("h3", { class: "minutes-subtitle" });
  const empty = h("p", { class: "muted", dataset: { testid: "minutes-versions-empty" } });
  const list = h("ol", { class: "minutes-versions", dataset: { testid: "minutes-versions" } });
  const picker = h("input", {
    type: "file",
    accept: "application/pdf,.pdf",
    class: "visually-hidden",
    dataset: { testid: "minutes-verify-file-input" },
    onchange: () => verifyChosenFile(),
  });
  const pickLabel = h("span", {});
  const pick = h(
    "label",
    {
      class: "btn btn-secondary btn-small minutes-verify-file",
      dataset: { testid: "minutes-verify-file" },
    },
    pickLabel,
    picker,
  );
  const fileResult = h("div", { class: "minutes-file-verdict" });
  const el = h(
    "div",
    { class: "minutes-versions-box" },
    heading,
    empty,
    list,
    h("div", { class: "button-row" }, pick),
    fileResult,
  );

  function redraw() {
    painted = null;
    paint();
  }

  async function sign(version) {
    const role = model.you.role;
    busy.add(`sign:${version.version}`);
    redraw();
    try {
      const signed = await signDialog({
        title: t("minutes.sign.confirm.title", { version: version.version }),
        body: t(`minutes.sign.confirm.${role}`),
        attempt: (secret) => signMinutes(meetingId, version.version, secret),
      });
      if (signed) notify(t("minutes.sign.done", { version: version.version }));
    } catch (error) {
      notify(errorText(error.code), "error");
    } finally {
      busy.delete(`sign:${version.version}`);
      redraw();
    }
  }

  async function verify(version) {
    busy.add(`verify:${version.version}`);
    redraw();
    try {
      const verdict = await verifyVersion(meetingId, version.version);
      verdicts.set(version.version, { sha256: version.sha256, verdict });
    } catch (error) {
      notify(errorText(error.code), "error");
    } finally {
      busy.delete(`verify:${version.version}`);
      redraw();
    }
  }

  async function verifyChosenFile() {
    const file = picker.files?.[0];
    picker.value = "";
    if (!file) return;
    busy.add("verify:file");
    redraw();
    try {
      fileVerdict = { name: file.name, verdict: await verifyPdf(file) };
    } catch (error) {
      notify(errorText(error.code), "error");
    } finally {
      busy.delete("verify:file");
      redraw();
    }
  }

  function stepper(version) {
    const reached = STEPS.findIndex(([status]) => status === version.status);
    return h(
      "ol",
      { class: "minutes-steps", "aria-hidden": "true" },
      STEPS.map(([, key], index) =>
        h("li", { class: index <= reached ? "is-done" : "is-todo" }, t(key)),
      ),
    );
  }

  function row(version, newest) {
    const role = model.you.role;
    const url = minutesFileUrl(meetingId, version.version);
    const live = model.connection === "live";
    const facts = [
      t("minutes.version.facts", {
        pages: version.pages,
        size: Math.max(1, Math.round(version.size / 1024)),
        time: formatClock(version.generated_at),
      }),
      t(`minutes.version.layout.${version.layout}`),
    ];
    if (version.number) facts.push(t("minutes.version.number", { number: version.number }));
    if (version.replaces) facts.push(t("minutes.version.replaces", { version: version.replaces }));
    const signed = version.signatures.map((s) =>
      h(
        "li",
        {},
        t(`minutes.version.signed.${s.role}`, {
          name: displayName(model.state, s.user_id) ?? "",
          time: formatClock(s.at),
        }),
      ),
    );
    const actions = [];
    const button = (label, testid, onclick, cls = "btn-secondary", disabled = false) =>
      h(
        "button",
        { type: "button", class: `btn btn-small ${cls}`, dataset: { testid }, disabled, onclick },
        label,
      );
    actions.push(
      button(t("minutes.preview"), "minutes-preview-open", () =>
        openMinutesPreview({ url, version: version.version, status: version.status }),
      ),
    );
    const stem = `bien-ban-${meetingId}-v${version.version}-${version.status}.pdf`;
    actions.push(
      h(
        "a",
        {
          class: `btn btn-small ${version.status === "final" ? "btn-primary" : "btn-secondary"}`,
          href: url,
          download: stem,
          dataset: { testid: "minutes-download" },
        },
        t("minutes.download"),
      ),
    );
    if (canSign(model.state.minutes, version, role)) {
      const signing = busy.has(`sign:${version.version}`);
      actions.push(
        button(
          signing ? t("minutes.sign.busy") : t(`minutes.sign.${role}`),
          "minutes-sign",
          () => sign(version),
          "btn-primary",
          signing || !live,
        ),
      );
    }
    if (version.status !== "draft") {
      const checking = busy.has(`verify:${version.version}`);
      actions.push(
        button(
          checking ? t("minutes.verify.busy") : t("minutes.verify"),
          "minutes-verify",
          () => verify(version),
          "btn-secondary",
          checking,
        ),
      );
    }
    let waiting = null;
    if (newest && version.status !== "final" && !canSign(model.state.minutes, version, role)) {
      const next = VERSION_MOVES[version.status]?.role;
      waiting = t(next === "clerk" ? "minutes.version.waitClerk" : "minutes.version.waitChair");
    }
    const verdict = verdicts.get(version.version);
    return h(
      "li",
      {
        class: `minutes-version is-${version.status}`,
        dataset: {
          testid: "minutes-version",
          version: String(version.version),
          status: version.status,
        },
      },
      h(
        "div",
        { class: "minutes-version-head" },
        h(
          "span",
          { class: "minutes-version-title" },
          t("minutes.version.title", { version: version.version }),
        ),
        h(
          "span",
          {
            class: `badge minutes-badge is-${version.status}`,
            dataset: { testid: "minutes-version-status" },
          },
          t(`minutes.status.${version.status}`),
        ),
      ),
      newest ? stepper(version) : h("p", { class: "muted" }, t("minutes.version.older")),
      h("p", { class: "minutes-version-facts muted" }, facts.join(" · ")),
      signed.length ? h("ul", { class: "minutes-signatures" }, signed) : null,
      waiting
        ? h("p", { class: "minutes-waiting", dataset: { testid: "minutes-waiting" } }, waiting)
        : null,
      h("div", { class: "button-row minutes-version-actions" }, actions),
      verdict && verdict.sha256 === version.sha256 ? verdictView(verdict.verdict) : null,
    );
  }

  function paint() {
    if (!model?.state) return;
    const role = model.you?.role;
    const versions = visibleVersions(model.state.minutes, role);
    const key = JSON.stringify([
      versions,
      [...busy],
      [...verdicts.keys()],
      model.connection,
      model.state.status,
      lang(),
      role,
      fileVerdict?.name ?? null,
    ]);
    if (key === painted) return;
    painted = key;
    setText(heading, t("minutes.versions.title"));
    const editor = EDITORS.has(role);
    empty.hidden = versions.length > 0;
    const waitEnd = model.state.status !== "ended" && versions.length === 0;
    setText(
      empty,
      t(
        waitEnd
          ? "minutes.versions.waitEnd"
          : editor
            ? "minutes.versions.emptyEditor"
            : "minutes.versions.emptyMember",
      ),
    );
    const newest = latestVersion(model.state.minutes)?.version;
    replaceChildren(list, versions.map((v) => row(v, v.version === newest)));
    pick.hidden = model.state.status !== "ended" && versions.length === 0;
    setText(pickLabel, t(busy.has("verify:file") ? "minutes.verify.busy" : "minutes.verify.file"));
    const chosen = fileVerdict
      ? verdictView(fileVerdict.verdict, { fileName: fileVerdict.name })
      : null;
    replaceChildren(fileResult, chosen);
  }

  return {
    el,
    update(nextModel) {
      model = nextModel;
      el.hidden = !model.state;
      paint();
    },
  };
}
