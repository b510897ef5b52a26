// @ts-check
// The chair's buttons, all on screen without scrolling (they sit at the top of the room's
// drawer): start a scheduled meeting, end a live one (after a confirmation that names the
// items never discussed), take up the next item, open or close the vote at hand, and give
// the floor to the next in the queue. The same commands stay in their panels; these are
// the shortcuts a chair needs while the document fills the screen.

import { hasNext, walk } from "./agenda-state.js";
import { confirmDialog } from "./confirm-dialog.js";
import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { numberOfItem } from "./meeting-state.js";
import { pollList } from "./voting-state.js";

/** The poll the chair acts on: an open one first, else the newest draft (of the current
 * item if it has one). */
export function pollAtHand(state) {
  const polls = pollList(state.voting);
  const open = polls.find((p) => p.status === "open");
  if (open) return open;
  const drafts = polls.filter((p) => p.status === "draft");
  const currentId = state.agenda.currentId;
  return drafts.find((p) => p.item_id !== null && p.item_id === currentId) ?? drafts[0] ?? null;
}

/** Items still pending that were never the current item, numbered as the agenda shows them. */
export function undiscussedItems(state) {
  const agenda = state.agenda;
  return walk(agenda)
    .map((id) => agenda.items[id])
    .filter((item) => item.status === "pending" && item.visits.length === 0)
    .map((item) => `${numberOfItem(state, item.id)}. ${item.title}`);
}

export function createChairControls({ run, closePoll }) {
  let model = null;
  const heading = h("h2", { class: "panel-title visually-hidden" });
  const button = (testid, style, onclick) =>
    h("button", { type: "button", class: `btn ${style}`, dataset: { testid }, onclick });
  const start = button("start-meeting", "btn-primary", () => run("meeting.start", {}, "meeting"));
  const end = button("end-meeting", "btn-danger", () => confirmEnd());
  const next = button("quick-next", "btn-primary", () => run("agenda.next", {}, "agenda-nav"));
  const poll = button("quick-poll", "btn-secondary", () => togglePoll());
  const grant = button("quick-grant", "btn-secondary", () =>
    run("speakers.grant", {}, "floor"),
  );
  const el = h(
    "section",
    { class: "chair-controls", dataset: { testid: "chair-controls" } },
    heading,
    h("div", { class: "button-row chair-quick" }, next, poll, grant, start, end),
  );

  async function confirmEnd() {
    const never = model?.state ? undiscussedItems(model.state) : [];
    const sure = await confirmDialog({
      title: t("room.endConfirm.title"),
      body: t("room.endConfirm.body"),
      listTitle: t("room.endConfirm.undiscussed", { count: never.length }),
      list: never,
      confirm: t("room.endConfirm.confirm"),
      cancel: t("room.endConfirm.cancel"),
      danger: true,
    });
    if (sure) run("meeting.end", {}, "meeting");
  }

  function togglePoll() {
    const target = model?.state ? pollAtHand(model.state) : null;
    if (target === null) return;
    if (target.status === "open") closePoll(target.id);
    else run("poll.open", { poll_id: target.id }, `poll:${target.id}`);
  }

  function update(nextModel) {
    model = nextModel;
    el.hidden = model.you?.role !== "chair" || model.state === null;
    if (el.hidden) return;
    const state = model.state;
    const connected = model.connection === "live";
    const live = connected && state.status === "live";
    setText(heading, t("room.chairControls"));
    setText(start, t("room.start"));
    setText(end, t("room.end"));
    start.hidden = state.status !== "scheduled";
    end.hidden = state.status !== "live";
    const ready = connected && !model.busy.has("meeting");
    start.disabled = !(ready && state.status === "scheduled");
    end.disabled = !(ready && state.status === "live");
    for (const quick of [next, poll, grant]) quick.hidden = state.status !== "live";

    setText(next, `${t("agenda.next")} ›`);
    next.disabled = !live || !hasNext(state.agenda) || model.busy.has("agenda-nav");

    const target = pollAtHand(state);
    setText(
      poll,
      target === null
        ? t("room.quick.pollNone")
        : t(target.status === "open" ? "poll.close" : "poll.open"),
    );
    poll.classList.toggle("btn-primary", target?.status === "open");
    poll.classList.toggle("btn-secondary", target?.status !== "open");
    poll.title = target?.title ?? "";
    poll.disabled = !live || target === null || model.busy.has(`poll:${target.id}`);

    const itemId = state.agenda.currentId;
    const queue = itemId === null ? [] : (state.agenda.queues[itemId] ?? []);
    setText(grant, t("speakers.grantNext"));
    grant.disabled = !live || queue.length === 0 || model.busy.has("floor");
  }

  return { el, update };
}
