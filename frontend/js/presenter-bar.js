// @ts-check
// The viewer's head: its title, who presents (the chair chooses from the roster), the
// current agenda item, and the follow state — "you present", "the chair leads", "following
// the presenter", "browsing privately" with "Back to presenter", or nothing shared yet.
//
// Contract: render(model, mode, hasShared) draws it; `mode` is "driving", "following" or
// "private" (the viewer decides it). Choosing a presenter sends `presenter.set` through
// `run` (busy key "presenter"); "Back to presenter" calls onBack.

import { h, replaceChildren, setText } from "./dom.js";
import { t } from "./i18n.js";
import { displayName, numberOfItem } from "./meeting-state.js";

/** @typedef {"driving" | "following" | "private"} FollowMode */

/**
 * @param {object} options
 * @param {import("../types/room.js").RunCommand} options.run
 * @param {() => void} options.onBack
 */
export function createPresenterBar({ run, onBack }) {
  const heading = h("h2", { class: "panel-title" });
  const presenterText = h("span", {
    class: "presenter-text",
    dataset: { testid: "presenter-name" },
  });
  const presenterSelect = h("select", {
    class: "select",
    dataset: { testid: "presenter-select" },
    onchange: () => {
      const value = presenterSelect.value;
      run("presenter.set", { user_id: value === "" ? null : Number(value) }, "presenter");
    },
  });
  const presenterLabel = h("label", { class: "inline-label" }, h("span"), presenterSelect);
  const headEl = h(
    "div",
    { class: "panel-head viewer-head" },
    heading,
    h("div", { class: "presenter-box" }, presenterText, presenterLabel),
  );
  const currentEl = h("p", { class: "viewer-current", dataset: { testid: "viewer-current" } });
  const followBadge = h("span", { class: "follow-badge", dataset: { testid: "follow-state" } });
  const backButton = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "back-to-presenter" },
    onclick: () => onBack(),
  });
  const followEl = h("div", { class: "follow-bar" }, followBadge, backButton);

  /** @param {import("../types/room.js").RoomModel} model */
  function renderPresenter(model) {
    const state = model.state;
    const presenter = state.presenting.presenterId;
    setText(heading, t("viewer.title"));
    setText(
      presenterText,
      presenter === null
        ? t("viewer.noPresenter")
        : t("viewer.presenter", {
            name: displayName(state, presenter) ?? t("person.unknown", { id: presenter }),
          }),
    );
    const chair = model.you?.role === "chair";
    presenterLabel.hidden = !chair;
    // One wording for who presents: the follow bar says it when nobody was named.
    presenterText.hidden = chair || presenter === null || state.status === "ended";
    if (chair) {
      setText(presenterLabel.firstChild, t("viewer.choosePresenter"));
      const people = state.roster.filter((p) => p.role !== "observer");
      const options = [
        h("option", { value: "" }, t("viewer.presenterNone")),
        ...people.map((p) => h("option", { value: String(p.user_id) }, p.display_name)),
      ];
      if (
        presenterSelect.options.length !== options.length ||
        document.activeElement !== presenterSelect
      ) {
        replaceChildren(presenterSelect, options);
      }
      presenterSelect.value = presenter === null ? "" : String(presenter);
      presenterSelect.disabled =
        model.connection !== "live" || state.status === "ended" || model.busy.has("presenter");
    }
  }

  /** @param {import("../types/room.js").RoomModel} model */
  function renderCurrent(model) {
    const agenda = model.state.agenda;
    const item = agenda.currentId !== null ? agenda.items[agenda.currentId] : null;
    currentEl.hidden = item === null;
    if (item)
      setText(
        currentEl,
        t("viewer.currentItem", { item: `${numberOfItem(model.state, item.id)}. ${item.title}` }),
      );
  }

  /** @param {import("../types/room.js").RoomModel} model @param {FollowMode} mode
   * @param {boolean} hasShared */
  function renderFollow(model, mode, hasShared) {
    followEl.dataset.state = mode;
    followEl.hidden = model.state.status === "ended"; // nobody presents any more
    if (mode === "driving")
      setText(
        followBadge,
        t(
          model.state.presenting.presenterId === null ? "viewer.chairDriving" : "viewer.youPresent",
        ),
      );
    else if (!hasShared) setText(followBadge, t("viewer.nothingShared"));
    else if (mode === "following") setText(followBadge, t("viewer.following"));
    else setText(followBadge, t("viewer.private"));
    backButton.hidden = mode !== "private" || !hasShared;
    setText(backButton, t("viewer.backToPresenter"));
  }

  return {
    headEl,
    currentEl,
    followEl,
    /** @param {import("../types/room.js").RoomModel} model @param {FollowMode} mode
     * @param {boolean} hasShared */
    render(model, mode, hasShared) {
      renderPresenter(model);
      renderCurrent(model);
      renderFollow(model, mode, hasShared);
    },
  };
}
