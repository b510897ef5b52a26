// The meeting room: composes the header, the chair's controls, the person's own
// attendance, the roster and the activity feed around one RoomLink. The link owns the
// state; this view keeps only what is about the screen (busy buttons, presence).

import { createChairControls } from "./chair-controls.js";
import { h, setText } from "./dom.js";
import { createEventFeed } from "./event-feed.js";
import { errorText, t } from "./i18n.js";
import { createMyAttendance } from "./my-attendance.js";
import { notify } from "./notices.js";
import { createRoomHeader } from "./room-header.js";
import { RoomLink } from "./room-link.js";
import { createRosterPanel } from "./roster-panel.js";
import { DEFAULT_ROUTE } from "./router.js";

export function createRoomView(context, meetingId) {
  const model = {
    state: null,
    you: null,
    presence: new Map(), // user_id -> [device labels]
    connection: "connecting",
    busy: new Set(), // keys of commands waiting for their ack
    fatal: null, // an error code that ends this view (not-found, not-allowed)
  };

  const header = createRoomHeader();
  const chair = createChairControls({ run });
  const mine = createMyAttendance({ run });
  const roster = createRosterPanel({ run });
  const feed = createEventFeed();
  const fatalText = h("p", {
    class: "message-text",
    role: "alert",
    dataset: { testid: "room-error" },
  });
  const fatalBack = h("a", { class: "btn btn-secondary", href: DEFAULT_ROUTE });
  const fatalPanel = h("div", { class: "panel room-fatal", hidden: true }, fatalText, fatalBack);

  const el = h(
    "section",
    { class: "page page-room", dataset: { testid: "room" } },
    header.el,
    fatalPanel,
    h("div", { class: "room-actions" }, mine.el, chair.el),
    h("div", { class: "room-columns" }, roster.el, feed.el),
  );

  const link = new RoomLink(meetingId, {
    onState(state) {
      model.state = state;
      model.you = link.you;
      render({ feed: false });
    },
    onEvent(event, state) {
      feed.add(event, state);
    },
    onPresence(people) {
      model.presence = new Map(people.map((p) => [p.user_id, p.devices ?? []]));
      render({ feed: false });
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

  /** Send a command; `key` marks which button waits. Errors show as a notice. */
  async function run(type, data, key) {
    if (model.busy.has(key)) return;
    model.busy.add(key);
    render({ feed: false });
    try {
      const ack = await link.command(type, data);
      if (!ack.ok) {
        const code = ack.error?.code ?? "internal";
        if (code === "unauthenticated") context.sessionEnded();
        else notify(errorText(code), "error");
      }
    } finally {
      model.busy.delete(key);
      render({ feed: false });
    }
  }

  function render({ feed: fullFeed = true } = {}) {
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
    roster.update(model);
    feed.update(model, { full: fullFeed });
  }

  link.start();
  return {
    el,
    render,
    destroy() {
      link.stop();
    },
  };
}
