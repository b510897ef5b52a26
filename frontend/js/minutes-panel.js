// @ts-check
// The minutes in the meeting room. Chair and clerk keep notes, decisions and absences
// (minutes-keeper.js) during and after the meeting; after it the clerk generates versions
// (minutes-generate.js); everyone on the roster sees the versions they may see, signs when
// it is their turn, downloads and verifies (minutes-versions.js). Members and observers
// see the panel once the meeting has ended.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { listMinutes } from "./minutes-api.js";
import { createMinutesGenerate } from "./minutes-generate.js";
import { createMinutesKeeper, keepsMinutes } from "./minutes-keeper.js";
import { latestVersion } from "./minutes-state.js";
import { createMinutesVersions } from "./minutes-versions.js";

export function createMinutesPanel({ run, meetingId }) {
  let asked = false; // the list (layout, running job) is asked once the meeting has ended

  const heading = h("h2", { class: "panel-title" });
  const keeper = createMinutesKeeper({ run });
  const generate = createMinutesGenerate({ meetingId });
  const versions = createMinutesVersions({ meetingId });
  const after = h("div", { class: "minutes-after" }, generate.el, versions.el);
  const columns = h("div", { class: "minutes-columns" }, keeper.el, after);
  const el = h(
    "section",
    { class: "panel minutes-panel", dataset: { testid: "minutes" } },
    heading,
    columns,
  );

  async function askServer(model) {
    asked = true;
    try {
      const answer = await listMinutes(meetingId);
      generate.setInfo({ ...answer, latest: latestVersion(model.state.minutes) });
    } catch {
      asked = false; // asked again on the next change
    }
  }

  return {
    el,
    update(model) {
      const role = model.you?.role;
      const editor = keepsMinutes(model.you);
      const ended = model.state?.status === "ended";
      el.hidden = !model.state || (!editor && !ended);
      if (el.hidden) return;
      el.dataset.status = model.state.status;
      setText(heading, t("minutes.title"));
      keeper.update(model);
      generate.update(model);
      versions.update(model);
      // During the meeting only the keeping; after it the versions come first.
      after.hidden = !ended && Object.keys(model.state.minutes.versions).length === 0;
      columns.classList.toggle("is-solo", Boolean(after.hidden || keeper.el.hidden));
      if (ended && role === "clerk" && !asked && model.connection === "live") askServer(model);
    },
    destroy() {
      keeper.destroy();
      generate.destroy();
    },
  };
}
