// @ts-check
// The chair's controls on the chair's own vote sheet, so that a modal sheet never stands
// between the chair and closing a poll: how many of the counting voters voted so far, and
// "close the vote" without voting.
//
// Contract: show(model, poll) draws the bar for the chair while the poll is open and hides
// it otherwise; it touches the DOM only when what it shows changed (count, busy, language),
// so a burst of votes does not rebuild a button under the chair's finger.

import { h, replaceChildren } from "./dom.js";
import { lang, t, tn } from "./i18n.js";
import { countingVoters } from "./voting-state.js";

/**
 * @param {object} options
 * @param {((pollId: number) => Promise<boolean>) | null} options.closePoll asks, closes,
 *   resolves to true once closed; null where this tablet cannot close polls
 * @param {() => void} options.onClosed the poll was closed from the bar
 */
export function createVoteChairBar({ closePoll, onClosed }) {
  let shownKey = null; // what the bar shows: redraw only on a change
  const el = h("div", {
    class: "sheet-chair",
    hidden: true,
    dataset: { testid: "vote-chair" },
  });

  /** @param {import("../types/room.js").RoomModel} model @param {any} poll */
  function show(model, poll) {
    const shown = closePoll !== null && model.you?.role === "chair" && poll.status === "open";
    const voters = shown ? countingVoters(poll) : [];
    const voted = poll.voted.filter((v) => voters.includes(v)).length;
    const busy = model.connection !== "live" || model.busy?.has(`poll:${poll.id}`);
    const key = shown ? `${poll.id}:${voted}/${voters.length}:${busy}:${lang()}` : null;
    if (key === shownKey) return;
    shownKey = key;
    el.hidden = !shown;
    if (!shown) return replaceChildren(el);
    const closeButton = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary",
        dataset: { testid: "vote-chair-close" },
        disabled: busy,
        onclick: async () => {
          if (await closePoll(poll.id)) onClosed();
        },
      },
      t("poll.close"),
    );
    replaceChildren(
      el,
      h(
        "div",
        { class: "sheet-chair-text" },
        h("strong", {}, t("vote.chair.title")),
        h(
          "span",
          { dataset: { testid: "vote-chair-count" } },
          tn("vote.chair.participation", voters.length, { voted }),
        ),
        h("span", { class: "muted" }, t("vote.chair.hint")),
      ),
      closeButton,
    );
  }

  return { el, show };
}
