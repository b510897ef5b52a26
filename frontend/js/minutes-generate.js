// @ts-check
// The clerk's "generate the minutes" after the meeting: language (Vietnamese in the
// committee's layout by default, or English), the number, and the progress of the job
// the server runs (reading → rendering → recording; docs/protocol.md) until the new
// draft version arrives. Each generation is a new version.

import { followJob, startGeneration } from "./minutes-api.js";
import { h, setText } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { notify } from "./notices.js";
import { latestVersion } from "./minutes-state.js";

const NUMBER_PATTERN = /^[0-9A-Za-z./-]{0,20}$/;
const RENDER_SHARE = [0.1, 0.9]; // the part of the bar the drawing step fills
const TICK_MS = 200;

/** 0–1 for the progress bar: steps done, and within the drawing step the time it took last. */
export function jobFraction(job, nowElapsed = job.stage_elapsed_secs) {
  if (!job || job.state !== "running") return job?.state === "done" ? 1 : 0;
  if (job.stage === "reading") return 0.05;
  if (job.stage === "recording") return 0.95;
  const expected = job.expected_render_secs ?? 3;
  const within = Math.min(0.97, nowElapsed / Math.max(0.2, expected));
  return RENDER_SHARE[0] + (RENDER_SHARE[1] - RENDER_SHARE[0]) * within;
}

/** @param {{meetingId: number | string, onFinished?: (job: any) => void}} options */
export function createMinutesGenerate({ meetingId, onFinished }) {
  let model = null;
  let defaultLayout = "state"; // the committee's (from the list), used for Vietnamese
  let job = null; // the job being followed
  let jobSeenAt = 0; // performance.now() of its last answer
  let starting = false;
  let destroyed = false;
  let ticker = null;

  const heading = h("h3", { class: "minutes-subtitle" });
  const languageLabel = h("span", { class: "field-label" });
  const language = h(
    "select",
    { class: "select", dataset: { testid: "minutes-language" } },
    h("option", { value: "vi" }),
    h("option", { value: "en" }),
  );
  const numberLabel = h("span", { class: "field-label" });
  const number = h("input", {
    class: "input",
    type: "text",
    maxlength: "20",
    inputmode: "text",
    autocomplete: "off",
    dataset: { testid: "minutes-number" },
    oninput: () => paint(),
  });
  const numberError = h("p", { class: "form-error", role: "alert", hidden: true });
  const submit = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "minutes-generate" },
    onclick: () => start(),
  });
  const bar = h("progress", { class: "minutes-progress-bar", max: "100", value: "0" });
  const stage = h("p", {
    class: "minutes-progress-stage",
    dataset: { testid: "minutes-progress-stage" },
  });
  const progress = h(
    "div",
    {
      class: "minutes-progress",
      role: "status",
      hidden: true,
      dataset: { testid: "minutes-progress" },
    },
    stage,
    bar,
  );
  const el = h(
    "div",
    { class: "minutes-generate", dataset: { testid: "minutes-generate-box" } },
    heading,
    h(
      "div",
      { class: "field-row" },
      h("label", { class: "field" }, languageLabel, language),
      h("label", { class: "field" }, numberLabel, number),
    ),
    numberError,
    h("div", { class: "button-row" }, submit),
    progress,
  );

  function chosenLayout() {
    if (language.value === "en") return "en";
    return defaultLayout === "en" ? "state" : defaultLayout;
  }

  async function start() {
    if (starting || job) return;
    const typed = number.value.trim();
    if (!NUMBER_PATTERN.test(typed)) return;
    starting = true;
    paint();
    try {
      follow(await startGeneration(meetingId, { layout: chosenLayout(), number: typed }));
    } catch (error) {
      notify(t("minutes.progress.failed", { reason: errorText(error.code) }), "error");
    } finally {
      starting = false;
      paint();
    }
  }

  /** Follow a running job (one this tablet started, or one found running on opening). */
  async function follow(found) {
    if (!found || (job && job.id === found.id)) return;
    job = found;
    jobSeenAt = performance.now();
    clearInterval(ticker);
    ticker = setInterval(paintProgress, TICK_MS);
    paint();
    let finished = null;
    try {
      finished = await followJob(meetingId, found.id, {
        onProgress(next) {
          job = next;
          jobSeenAt = performance.now();
          paintProgress();
        },
        isCancelled: () => destroyed,
      });
    } catch (error) {
      // Another worker may hold the job (not-found): the version still arrives as an event.
      if (error.code !== "not-found") {
        notify(t("minutes.progress.failed", { reason: errorText(error.code) }), "error");
      }
    }
    clearInterval(ticker);
    job = null;
    if (destroyed) return;
    if (finished?.state === "done") {
      notify(t("minutes.progress.done", { version: finished.version }));
      onFinished?.(finished);
    } else if (finished?.state === "failed") {
      const reason = errorText(finished.error?.code ?? "internal"); // in the tablet's language
      notify(t("minutes.progress.failed", { reason }), "error");
    }
    paint();
  }

  function paintProgress() {
    progress.hidden = !(job || starting);
    if (progress.hidden) return;
    if (!job) {
      setText(stage, t("minutes.progress.starting"));
      bar.value = 2;
      progress.dataset.stage = "starting";
      return;
    }
    const since = (performance.now() - jobSeenAt) / 1000;
    const elapsed = (job.stage_elapsed_secs ?? 0) + since;
    const step = t("minutes.progress.step", { step: job.step, steps: job.steps });
    const attempt =
      job.attempt > 1 ? ` (${t("minutes.progress.attempt", { attempt: job.attempt })})` : "";
    setText(stage, `${step}: ${t(`minutes.progress.${job.stage}`)}${attempt}`);
    progress.dataset.stage = job.stage;
    bar.value = Math.round(100 * jobFraction(job, elapsed));
  }

  function paint() {
    if (!model?.state) return;
    const latest = latestVersion(model.state.minutes);
    setText(heading, t("minutes.generate.title"));
    setText(languageLabel, t("minutes.generate.language"));
    setText(language.options[0], t("minutes.generate.vi"));
    setText(language.options[1], t("minutes.generate.en"));
    setText(numberLabel, t("minutes.generate.number"));
    number.placeholder = t("minutes.generate.numberHint");
    const valid = NUMBER_PATTERN.test(number.value.trim());
    numberError.hidden = valid;
    setText(numberError, t("minutes.generate.numberInvalid"));
    const label = !latest
      ? "minutes.generate.submit"
      : latest.status === "final"
        ? "minutes.generate.correction"
        : "minutes.generate.again";
    setText(submit, t(label));
    submit.disabled = !valid || starting || job !== null || model.connection !== "live";
    language.disabled = number.disabled = starting || job !== null;
    paintProgress();
  }

  return {
    el,
    follow,
    /** The list's answer: the committee's layout, and the job running (if any). */
    setInfo({ layout, job: running, latest }) {
      if (layout) defaultLayout = layout;
      const base = latest?.layout ?? defaultLayout;
      language.value = base === "en" ? "en" : "vi";
      if (latest?.number && !number.value) number.value = latest.number;
      if (running) follow(running);
      paint();
    },
    update(nextModel) {
      model = nextModel;
      el.hidden = !model.state || model.you?.role !== "clerk" || model.state.status !== "ended";
      if (!el.hidden) paint();
    },
    destroy() {
      destroyed = true;
      clearInterval(ticker);
    },
  };
}
