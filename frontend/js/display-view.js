// @ts-check
// The room display (projector), #/display/<meeting>[?key=…]: a read-only view for the big
// screen, legible from the back of the room. It signs in with a chair-issued link (the key
// is traded for an HttpOnly cookie and removed from the address at once, so that the
// projected address bar never shows it), then follows the meeting through the same
// RoomLink and folds as the tablets: no controls, nothing to click.
//
// The stage shows what happened last: a poll opened or closed (participation while open,
// never the choices; the result chart after close), a page presented, or the current item.
// Beside it: the item and its presenter, the speaker and their timer, the queue.

import { ApiError } from "./api.js";
import { currentSince } from "./agenda-state.js";
import { h, setText } from "./dom.js";
import { displayName, numberOfItem } from "./meeting-state.js";
import { PdfView, clampZoom } from "./pdf-view.js";
import { lang, t, tn, formatDuration, formatClock } from "./i18n.js";
import { resultChart, resultVerdict } from "./result-chart.js";
import { RoomLink } from "./room-link.js";
import { countingVoters } from "./voting-state.js";

const TICK_MS = 1000; // the clock and the speech timer
const QUEUE_SHOWN = 5; // names listed; the rest are counted
const WARN_SECS = 30; // a speech's last seconds are marked
const PAGE_CSS_UNITS = 96 / 72; // pdf.js: zoom 100 % = actual size
const PAGE_FRAME_PX = 72; // the sheet's padding, the page's border and a margin, around the page

/** Trade the link's key for the display cookie. Throws ApiError. */
async function openSession(key) {
  let response;
  try {
    response = await fetch("/api/display/session", {
      method: "POST",
      credentials: "same-origin",
      headers: { Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ token: key }),
    });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) {
    const payload = await response.json().catch(() => null);
    throw new ApiError(response.status, payload?.error?.code ?? "internal", "");
  }
}

function keyFromHash(hash) {
  const query = hash.split("?")[1] ?? "";
  return new URLSearchParams(query).get("key");
}

export function createDisplayView(_context, meetingId) {
  const model = {
    state: null,
    connection: "connecting",
    ended: null, // "ended" | "not-found": the link no longer works
    focus: null, // {kind: "poll", id} | {kind: "page"} | {kind: "item"}
  };

  const title = h("h1", { class: "display-title", dataset: { testid: "display-title" } });
  const subtitle = h("p", { class: "display-subtitle" });
  const connection = h("p", {
    class: "display-connection",
    role: "status",
    dataset: { testid: "display-connection" },
  });
  const clock = h("p", { class: "display-clock", dataset: { testid: "display-clock" } });
  const stage = h("section", { class: "display-stage", dataset: { testid: "display-stage" } });
  const itemCard = h("section", { class: "display-card", dataset: { testid: "display-item" } });
  const speakerCard = h("section", {
    class: "display-card",
    dataset: { testid: "display-speaker" },
  });
  const queueCard = h("section", { class: "display-card", dataset: { testid: "display-queue" } });
  const side = h("aside", { class: "display-side" }, itemCard, speakerCard, queueCard);
  const el = h(
    "div",
    { class: "display", dataset: { testid: "display" } },
    h(
      "header",
      { class: "display-top" },
      h("div", { class: "display-heading" }, title, subtitle),
      connection,
      clock,
    ),
    h("div", { class: "display-main" }, stage, side),
  );

  const pdf = new PdfView({ onError: () => showPageFailed() });
  const pageCaption = h("p", { class: "display-caption", dataset: { testid: "display-page" } });
  const pageBox = h("div", { class: "display-page" }, pdf.el);
  let shownView = null; // JSON of the view on screen
  let pageFailed = false;

  let link = null;
  const ticker = window.setInterval(tick, TICK_MS);
  const resize = new ResizeObserver(() => {
    shownView = null;
    if (model.focus?.kind === "page") showPage();
  });
  resize.observe(stage);
  document.body.classList.add("is-display");

  start();

  async function start() {
    const key = keyFromHash(window.location.hash);
    if (key) {
      // Off the address bar before anything else: it is projected.
      window.history.replaceState(null, "", `#/display/${meetingId}`);
      try {
        await openSession(key);
      } catch (error) {
        model.ended = error instanceof ApiError && error.code === "unauthenticated" ? "ended" : null;
        if (model.ended === null) model.ended = "not-found";
        render();
        return;
      }
    }
    link = new RoomLink(meetingId, {
      onState: (state, { reset }) => {
        model.state = state;
        if (reset) model.focus = defaultFocus(state);
        render();
      },
      onEvent: (event, state) => {
        model.focus = focusAfter(event, state) ?? model.focus;
      },
      onPresence: () => {},
      onEphemeral: () => {},
      onConnection: (status) => {
        model.connection = status;
        renderConnection();
      },
      onFatal: (code) => {
        model.ended = code === "not-found" ? "not-found" : "ended";
        render();
      },
      onSessionEnded: () => {
        model.ended = "ended";
        render();
      },
    });
    link.start();
  }

  // --- what the stage shows ---------------------------------------------------------

  function defaultFocus(state) {
    const open = Object.values(state.voting.polls).find((p) => p.status === "open");
    if (open) return { kind: "poll", id: open.id };
    if (state.presenting.view) return { kind: "page" };
    return { kind: "item" };
  }

  function focusAfter(event, state) {
    switch (event.type) {
      case "poll.opened":
      case "poll.closed":
        return { kind: "poll", id: event.data.poll_id };
      case "poll.cancelled":
        return model.focus?.kind === "poll" && model.focus.id === event.data.poll_id
          ? defaultFocus(state)
          : null;
      case "presenter.view_changed":
        return state.presenting.view ? { kind: "page" } : defaultFocus(state);
      case "agenda.current_changed":
        return model.focus?.kind === "poll" && isOpen(state, model.focus.id)
          ? null
          : { kind: "item" };
      default:
        return null;
    }
  }

  function isOpen(state, pollId) {
    return state.voting.polls[pollId]?.status === "open";
  }

  // --- render -----------------------------------------------------------------------

  function render() {
    document.documentElement.lang = lang();
    if (model.ended) {
      renderEnded();
      return;
    }
    renderConnection();
    tick();
    const state = model.state;
    if (!state) return;
    setText(title, state.meeting.title ?? "");
    setText(subtitle, subtitleText(state));
    renderItem(state);
    renderSpeaker(state);
    renderQueue(state);
    renderStage(state);
  }

  function subtitleText(state) {
    const parts = [t(`display.status.${state.status}`)];
    if (state.meeting.location) parts.unshift(state.meeting.location);
    return parts.join(" · ");
  }

  function renderEnded() {
    link?.stop();
    pdf.close();
    el.replaceChildren(
      h(
        "div",
        { class: "display-ended", role: "alert", dataset: { testid: "display-ended" } },
        h("h1", {}, t(model.ended === "not-found" ? "display.notFound" : "display.ended")),
        h("p", {}, t("display.endedHint")),
      ),
    );
  }

  function renderConnection() {
    const status = model.connection === "live" ? "live" : model.connection;
    connection.className = `display-connection is-${status}`;
    setText(connection, t(`display.${status}`));
  }

  function tick() {
    setText(clock, formatClock(new Date()));
    if (model.state) renderTimer(model.state);
  }

  function itemLabel(state, item) {
    const number = numberOfItem(state, item.id);
    return number ? `${number}. ${item.title}` : item.title;
  }

  function renderItem(state) {
    const item = state.agenda.items[state.agenda.currentId] ?? null;
    itemCard.replaceChildren(h("h2", { class: "display-label" }, t("display.item")));
    if (!item) {
      itemCard.append(h("p", { class: "display-muted" }, t("display.noItem")));
      return;
    }
    itemCard.append(h("p", { class: "display-item-title" }, itemLabel(state, item)));
    const presenter = item.presenter_id === null ? null : displayName(state, item.presenter_id);
    if (presenter) itemCard.append(h("p", {}, t("display.presenter", { name: presenter })));
  }

  const speakerName = h("p", { class: "display-speaker-name" });
  const timer = h("p", { class: "display-timer", dataset: { testid: "display-timer" } });
  const timerNote = h("p", { class: "display-timer-note" });

  function renderSpeaker(state) {
    const speech = state.agenda.speech;
    speakerCard.replaceChildren(h("h2", { class: "display-label" }, t("display.speaker")));
    if (!speech) {
      speakerCard.append(h("p", { class: "display-muted" }, t("display.noSpeaker")));
      return;
    }
    setText(speakerName, displayName(state, speech.user_id) ?? "");
    speakerCard.append(speakerName, timer, timerNote);
    renderTimer(state);
  }

  function renderTimer(state) {
    const speech = state.agenda.speech;
    if (!speech) return;
    const elapsed = Math.max(0, (Date.now() - Date.parse(speech.started_at)) / 1000);
    setText(timer, formatDuration(elapsed));
    let note = "";
    let level = "normal";
    if (speech.limit_secs) {
      const left = speech.limit_secs - elapsed;
      note =
        left >= 0
          ? t("display.remaining", { time: formatDuration(left) })
          : t("display.overtime", { time: formatDuration(-left) });
      if (left < 0) level = "over";
      else if (left <= WARN_SECS) level = "warn";
    }
    timer.className = `display-timer is-${level}`;
    timerNote.className = `display-timer-note is-${level}`;
    setText(timerNote, note);
  }

  function renderQueue(state) {
    const queue = state.agenda.queues[state.agenda.currentId] ?? [];
    queueCard.replaceChildren(h("h2", { class: "display-label" }, t("display.queue")));
    if (queue.length === 0) {
      queueCard.append(h("p", { class: "display-muted" }, t("display.queueEmpty")));
      return;
    }
    const shown = queue.slice(0, QUEUE_SHOWN);
    queueCard.append(
      h(
        "ol",
        { class: "display-queue" },
        ...shown.map((r) => h("li", {}, displayName(state, r.user_id) ?? "")),
      ),
    );
    if (queue.length > shown.length) {
      const count = queue.length - shown.length;
      queueCard.append(h("p", { class: "display-muted" }, tn("display.queueMore", count)));
    }
  }

  function renderStage(state) {
    const focus = model.focus ?? defaultFocus(state);
    const poll = focus.kind === "poll" ? state.voting.polls[focus.id] : null;
    const kind = poll ? "poll" : focus.kind === "page" && state.presenting.view ? "page" : "item";
    el.dataset.stage = kind;
    if (kind !== "page") {
      shownView = null;
      pdf.close();
    }
    if (kind === "poll") stage.replaceChildren(pollStage(state, poll));
    else if (kind === "page") {
      if (stage.firstChild !== pageBox) stage.replaceChildren(pageBox, pageCaption);
      showPage();
    } else stage.replaceChildren(itemStage(state));
  }

  function itemStage(state) {
    const item = state.agenda.items[state.agenda.currentId] ?? null;
    if (!item) {
      return h(
        "div",
        { class: "display-hero", dataset: { testid: "display-hero" } },
        h("p", { class: "display-kicker" }, t(`display.status.${state.status}`)),
        h("p", { class: "display-hero-title" }, state.meeting.title ?? ""),
        state.meeting.scheduled_at
          ? h("p", { class: "display-hero-note" }, formatClock(state.meeting.scheduled_at))
          : "",
      );
    }
    const presenter = item.presenter_id === null ? null : displayName(state, item.presenter_id);
    const since = currentSince(state.agenda);
    return h(
      "div",
      { class: "display-hero", dataset: { testid: "display-hero" } },
      h("p", { class: "display-kicker" }, t("display.item")),
      h("p", { class: "display-hero-title" }, itemLabel(state, item)),
      presenter ? h("p", { class: "display-hero-note" }, t("display.presenter", { name: presenter })) : "",
      item.planned_minutes
        ? h(
            "p",
            { class: "display-hero-note display-muted" },
            [
              since ? t("display.since", { time: formatClock(since) }) : null,
              t("display.planned", { minutes: item.planned_minutes }),
            ]
              .filter(Boolean)
              .join(" · "),
          )
        : "",
    );
  }

  function pollStage(state, poll) {
    const kicker = h(
      "p",
      { class: "display-kicker" },
      poll.status === "open" ? t("display.poll.open") : t("display.poll.closed"),
      " · ",
      t(poll.secret ? "display.poll.secret" : "display.poll.named"),
    );
    const heading = h("p", { class: "display-poll-title" }, poll.title ?? "");
    if (poll.status === "closed" && poll.result) {
      return h(
        "div",
        { class: "display-poll is-closed", dataset: { testid: "display-result" } },
        kicker,
        heading,
        typeof poll.result.adopted === "boolean"
          ? h(
              "p",
              {
                class: `display-outcome ${poll.result.adopted ? "is-adopted" : "is-rejected"}`,
                dataset: { testid: "display-outcome" },
              },
              t(poll.result.adopted ? "display.poll.adopted" : "display.poll.rejected"),
            )
          : "",
        h("div", { class: "display-chart" }, resultChart(poll)),
        resultVerdict(poll) ?? "",
      );
    }
    // Open: who took part, counted; never a choice (named votes are in the state too).
    const total = countingVoters(poll).length;
    const voted = poll.voted.filter((v) => !poll.recused.includes(v)).length;
    const share = total > 0 ? Math.min(1, voted / total) : 0;
    return h(
      "div",
      { class: "display-poll is-open", dataset: { testid: "display-participation" } },
      kicker,
      heading,
      h("p", { class: "display-label" }, t("display.poll.participation")),
      h(
        "p",
        { class: "display-count", dataset: { testid: "display-count" } },
        t("display.poll.participationOf", { voted, total }),
      ),
      h(
        "div",
        {
          class: "display-meter",
          role: "progressbar",
          "aria-label": t("display.poll.participation"),
          "aria-valuemin": "0",
          "aria-valuemax": String(total),
          "aria-valuenow": String(voted),
        },
        meterFill(share),
      ),
      h("p", { class: "display-muted" }, t("display.poll.choicesHidden")),
    );
  }

  function meterFill(share) {
    const fill = h("div", { class: "display-meter-fill" });
    fill.style.width = `${Math.round(share * 100)}%`; // CSSOM: allowed by the page's CSP
    return fill;
  }

  async function showPage() {
    const state = model.state;
    const view = state?.presenting.view;
    if (!view) return;
    const key = JSON.stringify([view.document_id, view.page, stage.clientWidth, stage.clientHeight]);
    if (key === shownView) return;
    shownView = key;
    const doc = state.documents[view.document_id];
    const caption = [doc?.title ?? doc?.filename ?? ""];
    try {
      pageFailed = false;
      await pdf.open(view.document_id, `/api/display/documents/${view.document_id}/file`);
      if (shownView !== key) return;
      const page = await pdf.doc.getPage(view.page);
      const size = page.getViewport({ scale: PAGE_CSS_UNITS });
      const roomW = pageBox.clientWidth - PAGE_FRAME_PX;
      const roomH = pageBox.clientHeight - PAGE_FRAME_PX;
      let zoom = clampZoom(Math.min(roomW / size.width, roomH / size.height) * 100);
      await pdf.show(view.page, { zoom });
      // What pdf.js and the sheet add around the page is known only once it is laid out.
      const sheet = pdf.viewerEl.getBoundingClientRect();
      const over = Math.max(sheet.width / pageBox.clientWidth, sheet.height / pageBox.clientHeight);
      if (over > 1 && shownView === key) {
        zoom = clampZoom(zoom / over - 1);
        await pdf.show(view.page, { zoom });
      }
      caption.push(t("display.page", { page: view.page, pages: pdf.pageCount }));
      setText(pageCaption, caption.filter(Boolean).join(" · "));
    } catch {
      if (shownView === key) showPageFailed();
    }
  }

  function showPageFailed() {
    if (pageFailed) return;
    pageFailed = true;
    setText(pageCaption, t("display.pageFailed"));
  }

  return {
    el,
    render,
    destroy() {
      window.clearInterval(ticker);
      resize.disconnect();
      link?.stop();
      pdf.destroy();
      document.body.classList.remove("is-display");
    },
  };
}
