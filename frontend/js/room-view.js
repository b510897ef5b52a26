// @ts-check
// The meeting room: composes the header, the chair's controls, the person's own
// attendance, the agenda and the floor, the document viewer (follow-the-presenter), the
// votes, the roster and the activity feed around one RoomLink. The link owns the state;
// this view keeps only what is about the screen (busy buttons, presence, timers).

import { createAgendaPanel } from "./agenda-panel.js";
import { api } from "./api.js";
import { ChainVerifier } from "./chain-verifier.js";
import { createChairControls } from "./chair-controls.js";
import { createDisplayLinkButton } from "./display-link-dialog.js";
import { h, setText } from "./dom.js";
import { createEventFeed } from "./event-feed.js";
import { errorText, t } from "./i18n.js";
import { sameInputs } from "./keyed.js";
import { createMinutesPanel } from "./minutes-panel.js";
import { createMyAttendance } from "./my-attendance.js";
import { notify } from "./notices.js";
import { createPollsPanel } from "./polls-panel.js";
import { createRoomDrawer } from "./room-drawer.js";
import { createRoomHeader } from "./room-header.js";
import { RoomLink } from "./room-link.js";
import { createRosterPanel } from "./roster-panel.js";
import { DEFAULT_ROUTE } from "./router.js";
import { createSpeakersPanel } from "./speakers-panel.js";
import { createViewerPanel } from "./viewer-panel.js";
import { createVoteSheet } from "./vote-sheet.js";

const TICK_MS = 1000; // item and speech timers

export function createRoomView(context, meetingId) {
  /** @type {import("../types/room").RoomModel} */
  const model = {
    state: null,
    you: null,
    presence: new Map(), // user_id -> [device labels]
    connection: "connecting",
    busy: new Set(), // keys of commands waiting for their ack
    busyVersion: 0, // counts changes of `busy` (a Set changes in place)
    forced: 0, // counts full redraws (a language switch): panels drop what they cached
    fatal: null, // an error code that ends this view (not-found, not-allowed)
    chain: null, // the hash chain's check of what this tablet applied (chain-verifier.js)
    chainReport: null, // "sent" | "failed" once a mismatch was reported to the server
  };

  const header = createRoomHeader();
  const chair = createChairControls({ run, closePoll: (pollId) => polls.closePoll(pollId) });
  const mine = createMyAttendance({ run });
  const roster = createRosterPanel({ run });
  const feed = createEventFeed();
  const agenda = createAgendaPanel({ run });
  const speakers = createSpeakersPanel({ run });
  // The link is created below; the panels that talk to it directly get it through this.
  const linkProxy = {
    command: (type, data) => link.command(type, data),
    sendEphemeral: (kind, data) => link.sendEphemeral(kind, data),
  };
  const viewer = createViewerPanel({ run, link: linkProxy, meetingId });
  // The chair closes a poll from their own vote sheet too, through the same confirmation.
  const sheet = createVoteSheet({
    link: linkProxy,
    meetingId,
    closePoll: (pollId) => polls.closePoll(pollId),
  });
  const polls = createPollsPanel({
    run,
    meetingId,
    openSheet: (pollId) => sheet.openFor(pollId),
    // Not logged, not acknowledged: a nudge to the tablets that still have a vote to cast.
    remind: (pollId) => linkProxy.sendEphemeral("remind", { poll_id: pollId }),
  });
  const minutes = createMinutesPanel({ run, meetingId });
  const fatalText = h("p", {
    class: "message-text",
    role: "alert",
    dataset: { testid: "room-error" },
  });
  const fatalBack = h("a", { class: "btn btn-secondary", href: DEFAULT_ROUTE });
  const fatalPanel = h("div", { class: "panel room-fatal", hidden: true }, fatalText, fatalBack);

  // The document owns the main area; everything else is in the drawer (room-drawer.js).
  // Who presents goes up with the chair's controls: the lines above the page stay few.
  const presenterBox = viewer.el.querySelector(".presenter-box");
  const drawer = createRoomDrawer({
    head: [
      header.el,
      h("div", { class: "room-actions" }, mine.el, createDisplayLinkButton(meetingId).el),
      chair.el,
      presenterBox,
    ],
    sections: [
      { key: "agenda", el: agenda.el },
      { key: "speakers", el: speakers.el },
      { key: "polls", el: polls.el },
      { key: "roster", el: roster.el },
      { key: "minutes", el: minutes.el },
      { key: "feed", el: feed.el },
    ],
    document: viewer.el,
  });
  const el = h(
    "section",
    { class: "page page-room", dataset: { testid: "room" } },
    header.banners,
    fatalPanel,
    h(
      "div",
      { class: "room-layout", dataset: { drawer: "open" } },
      // First in reading order: the meeting's title (h1), one's own controls, the tabs
      // (whose first leads to the document); on screen the document is on the left.
      drawer.el,
      h("div", { class: "room-main" }, viewer.el),
    ),
  );

  // Checks every applied event against the hash chain, off the rendering path; only the
  // header shows what it finds, and the server hears of a mismatch (once per view).
  const verifier = new ChainVerifier({
    onStatus(status) {
      model.chain = status;
      header.update(model);
    },
    async onMismatch(mismatch) {
      try {
        await api.reportChainMismatch(meetingId, mismatch);
        model.chainReport = "sent";
      } catch {
        model.chainReport = "failed";
      }
      header.update(model);
    },
  });

  const link = new RoomLink(meetingId, {
    /** @param {any} state @param {{reset?: boolean, chain?: any}} [how] */
    onState(state, { reset, chain } = {}) {
      if (reset) viewer.reset();
      if (reset && chain) verifier.reset(chain);
      model.state = state;
      model.you = link.you;
      render({ feed: false });
    },
    onEvent(event, state, before) {
      verifier.push(event);
      // Marks show on the page itself; another person's private mark (`redacted`) is
      // nobody else's business, not even that it happened.
      if (event.type === "redacted" || event.type.startsWith("annotation.")) return;
      feed.add(event, state, before);
    },
    onEphemeral(payload) {
      if (payload?.kind === "remind") sheet.remind(payload.data?.poll_id, payload.user_id);
      else viewer.onEphemeral(payload);
    },
    onPresence(people) {
      model.presence = new Map(people.map((p) => [p.user_id, p.devices ?? []]));
      // Only the roster shows who is connected: someone joining must not redraw the
      // agenda under a chair's finger in the middle of a drag.
      roster.update(model);
    },
    onConnection(status) {
      model.connection = status;
      if (status !== "live") model.presence = new Map(); // presence resumes with the join
      render({ feed: false });
    },
    onFatal(code) {
      model.fatal = code;
      link.stop();
      render({ feed: false });
    },
    onSessionEnded() {
      context.sessionEnded();
    },
  });

  /** Send a command; `key` marks which button waits. Errors show as a notice. Resolves to
   * the ack (null when the same button is still waiting). */
  async function run(type, data, key) {
    if (model.busy.has(key)) return null;
    model.busy.add(key);
    model.busyVersion += 1;
    render({ feed: false });
    try {
      const ack = await link.command(type, data);
      if (!ack.ok) {
        const code = ack.error?.code ?? "internal";
        if (code === "unauthenticated") context.sessionEnded();
        else notify(errorText(code, ack.error?.data), "error");
      }
      return ack;
    } finally {
      model.busy.delete(key);
      model.busyVersion += 1;
      render({ feed: false });
    }
  }

  // What each costly panel was last drawn from: a panel whose inputs (compared by identity;
  // the folds keep an unchanged slice of the state identical) are the same is not redrawn.
  const drawnFrom = new Map();
  function changed(panel, inputs) {
    if (sameInputs(drawnFrom.get(panel), inputs)) return false;
    drawnFrom.set(panel, inputs);
    return true;
  }

  /** Draw the room. The link calls this at most once per animation frame; with `force`
   * (a call from outside, e.g. a language switch) every panel is drawn again. */
  function render({ feed: fullFeed = true, force = fullFeed } = {}) {
    const counted = /** @type {any} */ (window);
    counted.__renders = (counted.__renders ?? 0) + 1; // read by the e2e tests
    if (force) model.forced += 1;
    fatalPanel.hidden = model.fatal === null;
    if (model.fatal !== null) {
      setText(fatalText, errorText(model.fatal));
      setText(fatalBack, t("room.back"));
      model.state = null;
    }
    el.dataset.connection = model.connection;
    header.update(model);
    chair.update(model);
    mine.update(model);
    feed.update(model, { full: fullFeed });
    const s = model.state;
    const common = [
      s === null,
      model.connection,
      model.busyVersion,
      model.you,
      model.fatal,
      model.forced,
    ];
    const people = [s?.roster, s?.attendance, s?.status];
    if (changed("roster", [...common, ...people, model.presence])) roster.update(model);
    if (changed("agenda", [...common, ...people, s?.agenda])) agenda.update(model);
    if (changed("speakers", [...common, ...people, s?.agenda])) speakers.update(model);
    const shown = [s?.agenda, s?.documents, s?.presenting, s?.annotations];
    if (changed("viewer", [...common, ...people, ...shown])) viewer.update(model);
    if (changed("polls", [...common, ...people, s?.agenda, s?.voting])) polls.update(model);
    const minutesFrom = [s?.agenda, s?.voting, s?.minutes];
    if (changed("minutes", [...common, ...people, ...minutesFrom])) minutes.update(model);
    if (changed("sheet", [...common, ...people, s?.voting])) sheet.update(model);
    drawer.render();
  }

  const ticker = setInterval(() => {
    const now = Date.now();
    agenda.tick(now);
    speakers.tick(now);
  }, TICK_MS);

  drawer.watch(el);
  link.start();
  return {
    el,
    render,
    destroy() {
      clearInterval(ticker);
      drawer.destroy();
      link.stop();
      viewer.destroy();
      sheet.destroy();
      minutes.destroy();
    },
  };
}
