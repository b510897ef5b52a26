// @ts-check
// Follow-the-presenter: who drives the shared view, and how the others follow it.
//
// The driver is the presenter; when nobody presents, the chair. The driver's page, zoom and
// visible region go out as `ephemeral` views while they move (at most one every
// EPHEMERAL_EVERY_MS) and as one `presenter.view` command once the view has settled
// (SETTLE_MS after the last change). Everyone else follows by default: the view from the
// snapshot, from `presenter.view_changed` events and from ephemeral views. Moving away
// ("breakAway") makes the tablet browse privately until backToPresenter().
//
// Contract: views to follow are applied one at a time through `showView` (async); a view
// arriving meanwhile replaces any queued one, and the same view is not applied twice in a
// row. `onChange` is called whenever `following` changes, so the panel redraws its state.

import { errorText } from "./i18n.js";
import { notify } from "./notices.js";

const EPHEMERAL_EVERY_MS = 100; // ≤ 10 a second (the server allows 30)
const SETTLE_MS = 400;

/** @typedef {import("../types/room.js").SharedView} SharedView */
/** The part of pdf-view.js used here; currentView() is its page, zoom and visible region.
 * @typedef {{doc: unknown, key: number | null, currentView(): Omit<SharedView, "document_id">}}
 *   PageView */

/**
 * @param {object} options
 * @param {PageView} options.pdf
 * @param {import("../types/room.js").CommandLink} options.link
 * @param {() => boolean} options.isDriving this tablet drives the shared view
 * @param {() => boolean} options.canShare connected, and the meeting not ended
 * @param {(view: SharedView) => Promise<void>} options.showView open and show a view
 * @param {() => void} options.onChange `following` changed
 */
export function createPresenterFollow({ pdf, link, isDriving, canShare, showView, onChange }) {
  let following = true; // not driving: show the presenter's view
  /** @type {SharedView | null} the newest presenter view known (event or ephemeral) */
  let sharedView = null;
  let lastEventView = null; // JSON of state.presenting.view last seen
  /** @type {SharedView | null} the view being applied; `queued` is the next one */
  let applying = null;
  /** @type {SharedView | null} */
  let queued = null;
  let appliedKey = null; // the last view applied while following
  let wasDriving = null;
  let ephemeralTimer = null;
  let lastEphemeralAt = 0;
  let settleTimer = null;

  /** @param {SharedView} view */
  function applyView(view) {
    const key = JSON.stringify([view.document_id, view.page, view.zoom, view.region]);
    if (key === appliedKey && pdf.key === view.document_id) return;
    appliedKey = key;
    queued = view;
    if (applying) return;
    void drainViews();
  }

  async function drainViews() {
    while (queued) {
      const view = queued;
      queued = null;
      applying = view;
      try {
        await showView(view);
      } catch (error) {
        console.warn("follow", error);
      }
      applying = null;
    }
  }

  /** The view on this tablet, as the driver shares it; null without an open document. */
  function currentShared() {
    if (!pdf.doc || pdf.key === null) return null;
    return { document_id: pdf.key, ...pdf.currentView() };
  }

  /** The driver's view changed: send it (throttled), then store it once it settles. */
  function share() {
    if (!canShare()) return;
    const now = performance.now();
    const wait = Math.max(0, lastEphemeralAt + EPHEMERAL_EVERY_MS - now);
    if (ephemeralTimer === null) {
      ephemeralTimer = setTimeout(() => {
        ephemeralTimer = null;
        lastEphemeralAt = performance.now();
        const view = currentShared();
        if (view && isDriving()) link.sendEphemeral("view", view);
      }, wait);
    }
    clearTimeout(settleTimer);
    settleTimer = setTimeout(async () => {
      settleTimer = null;
      const view = currentShared();
      if (!view || !isDriving() || !canShare()) return;
      sharedView = view;
      const ack = await link.command("presenter.view", view);
      if (!ack.ok && ack.error?.code !== "not-allowed") {
        notify(errorText(ack.error?.code), "error");
      }
    }, SETTLE_MS);
  }

  return {
    get following() {
      return following;
    },
    get hasShared() {
      return sharedView !== null;
    },

    /** An ephemeral `view` from the driver. @param {SharedView} view */
    fromEphemeral(view) {
      sharedView = { ...view };
      if (!isDriving() && following) applyView(sharedView);
    },

    /** The room's state changed: the stored view (`state.presenting.view`) and who drives.
     * @param {SharedView | null} eventView @param {boolean} driving
     * @param {() => boolean} nothingShown no document is on screen yet */
    fromState(eventView, driving, nothingShown) {
      const eventKey = JSON.stringify(eventView);
      if (eventKey !== lastEventView) {
        lastEventView = eventKey;
        if (eventView) {
          sharedView = { ...eventView };
          if (!driving && following) applyView(sharedView);
        }
      }
      if (driving && nothingShown() && sharedView && !applying) {
        // The presenter's own tablet, reloaded: continue where the shared view is.
        applyView(sharedView);
      }
      if (wasDriving !== driving) {
        // Someone else now presents: follow them from here; becoming the driver keeps the page.
        if (wasDriving === true && !driving) {
          following = true;
          if (sharedView) applyView(sharedView);
        }
        wasDriving = driving;
      }
    },

    backToPresenter() {
      following = true;
      onChange();
      if (sharedView) applyView(sharedView);
    },

    /** The person moved away from the shared view (not the driver): browse privately. */
    breakAway() {
      if (isDriving() || !sharedView || !following) return;
      following = false;
      appliedKey = null;
      onChange();
    },

    share,

    /** The page area changed size: the driver's visible region changed, so share it again;
     * a follower fits the presenter's region again. */
    resized() {
      if (isDriving()) share();
      else if (following && sharedView) {
        appliedKey = null;
        applyView(sharedView);
      }
    },

    /** A fresh snapshot (first join, or a resync): land on the presenter's view. */
    reset() {
      following = true;
      lastEventView = null;
      appliedKey = null;
    },

    destroy() {
      clearTimeout(ephemeralTimer);
      clearTimeout(settleTimer);
    },
  };
}
