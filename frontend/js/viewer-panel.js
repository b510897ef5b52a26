// @ts-check
// The document viewer: one page of a meeting document (pdf-view.js) with its annotations,
// composed of the presenter bar (presenter-bar.js), the document list and upload
// (document-picker.js), the title and toolbar (viewer-toolbar.js), and follow-the-presenter
// (presenter-follow.js): the driver's moves are shared, everyone else follows them until
// they page, zoom or scroll away and browse privately.
//
// Contract: {el, update(model), reset(), onEphemeral(payload), destroy()}. update() redraws
// from the room's model and follows a newly stored presenter view; reset() is called on a
// fresh snapshot; onEphemeral() takes the room's ephemeral messages (`view`, `ink`).

import { createAnnotations } from "./annotation-controller.js";
import { createDocumentPicker } from "./document-picker.js";
import { documentUrl } from "./documents-api.js";
import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { documentList, latestVersion } from "./meeting-state.js";
import { PdfView, clampZoom } from "./pdf-view.js";
import { createPresenterBar } from "./presenter-bar.js";
import { createPresenterFollow } from "./presenter-follow.js";
import { createViewerToolbar } from "./viewer-toolbar.js";

/** @typedef {import("../types/room.js").RoomModel} RoomModel */
/** @typedef {import("../types/room.js").SharedView} SharedView */

/**
 * @param {object} options
 * @param {import("../types/room.js").RunCommand} options.run
 * @param {any} options.link the room's link (room-link.js)
 * @param {number} options.meetingId
 */
export function createViewerPanel({ run, link, meetingId }) {
  /** @type {RoomModel | null} */
  let model = null;
  /** @type {{docId: number, page: number, zoom: number} | null} the document on screen */
  let shown = null;

  const pdf = new PdfView({
    onChange: () => userMoved(),
    onError: (/** @type {unknown} */ error) => {
      console.warn("pdf", error);
      setText(emptyText, t("viewer.loadFailed"));
      emptyText.hidden = false;
    },
    onRendered: () => renderToolbar(),
  });
  const annotations = createAnnotations({
    link,
    meetingId,
    pdf,
    openDocument: (/** @type {number} */ docId) => openDocument(docId, { user: true }),
  });
  const follow = createPresenterFollow({
    pdf,
    link,
    isDriving,
    canShare,
    showView,
    onChange: () => renderAll(),
  });
  const presenterBar = createPresenterBar({ run, onBack: () => follow.backToPresenter() });
  const picker = createDocumentPicker({
    meetingId,
    openDocument: (docId) => openDocument(docId, { user: true }),
    shownDocId: () => shown?.docId ?? null,
    model: () => model,
    onUploading: () => renderAll(),
  });
  const toolbar = createViewerToolbar({
    meetingId,
    pdf,
    onPage: (delta) => userPage(delta),
    onZoom: (zoom) => userZoom(zoom),
    onFitWidth: () => userFitWidth(),
    onOpenNewest: () => {
      const doc = shown && latestVersion(model.state, shown.docId);
      if (doc) openDocument(doc.id, { user: true });
    },
  });

  const emptyText = h("p", { class: "viewer-empty", dataset: { testid: "viewer-empty" } });
  const stage = h("div", { class: "viewer-stage" }, pdf.el, emptyText);
  const el = h(
    "section",
    { class: "panel viewer-panel", dataset: { testid: "viewer" } },
    presenterBar.headEl,
    presenterBar.currentEl,
    presenterBar.followEl,
    picker.el,
    toolbar.bannerEl,
    toolbar.titleEl,
    toolbar.el,
    annotations.noticeEl,
    annotations.toolbarEl,
    stage,
  );

  // --- who drives ---------------------------------------------------------------------
  function isDriving() {
    if (!model?.state || !model.you) return false;
    const presenter = model.state.presenting.presenterId;
    if (presenter !== null) return presenter === (model.you.user_id ?? null);
    return model.you.role === "chair";
  }

  function canShare() {
    return model?.connection === "live" && model.state?.status !== "ended";
  }

  // --- showing a document -------------------------------------------------------------
  /** Show a shared view (following): open its document if needed, then its page and region.
   * @param {SharedView} view */
  async function showView(view) {
    const doc = model.state.documents[view.document_id];
    if (!doc) return;
    if (shown?.docId !== doc.id) await loadDocument(doc);
    if (pdf.key !== doc.id) return;
    await pdf.show(view.page, { zoom: view.zoom, region: view.region });
    shown = { docId: doc.id, page: pdf.pageNumber, zoom: pdf.zoom };
    renderToolbar();
  }

  /** @param {import("../types/room.js").MeetingDocument} doc */
  async function loadDocument(doc) {
    emptyText.hidden = true;
    picker.close(); // the page gets the room; the list is one tap away
    shown = { docId: doc.id, page: 1, zoom: pdf.zoom };
    renderAll();
    await pdf.open(doc.id, documentUrl(meetingId, doc.id));
  }

  // --- the person acting --------------------------------------------------------------
  function userMoved() {
    if (!pdf.doc) return;
    shown = { docId: pdf.key, page: pdf.pageNumber, zoom: pdf.zoom };
    if (isDriving()) follow.share();
    else follow.breakAway();
    renderToolbar();
  }

  /** @param {number} docId @param {{user?: boolean}} [options] user: a person's tap */
  async function openDocument(docId, { user = false } = {}) {
    const doc = model.state.documents[docId];
    if (!doc) return;
    if (user && !isDriving()) follow.breakAway();
    try {
      await loadDocument(doc);
      const zoom = await pdf.fitWidthZoom(1);
      await pdf.show(1, { zoom });
    } catch {
      return;
    }
    userMoved();
  }

  /** @param {number} delta */
  async function userPage(delta) {
    if (!pdf.doc) return;
    await pdf.show(pdf.pageNumber + delta, { zoom: pdf.zoom });
    userMoved();
  }

  /** @param {number} zoom */
  async function userZoom(zoom) {
    if (!pdf.doc) return;
    await pdf.show(pdf.pageNumber, { zoom: clampZoom(zoom), place: "keep" });
    userMoved();
  }

  async function userFitWidth() {
    if (!pdf.doc) return;
    const zoom = await pdf.fitWidthZoom();
    await pdf.show(pdf.pageNumber, { zoom });
    userMoved();
  }

  // --- rendering ----------------------------------------------------------------------
  function renderToolbar() {
    if (!model?.state) return;
    const doc = shown ? model.state.documents[shown.docId] : null;
    const open = Boolean(doc) && pdf.doc !== null;
    toolbar.render(model, doc, open);
    picker.showReplace(model, doc);
    pdf.el.hidden = !doc;
    if (!doc) {
      emptyText.hidden = false;
      setText(
        emptyText,
        t(documentList(model.state).length === 0 ? "viewer.noDocuments" : "viewer.pickDocument"),
      );
    } else if (open) emptyText.hidden = true;
    annotations.update(model, open && pdf.key === doc.id ? doc.id : null);
  }

  function renderAll() {
    if (!model?.state) return;
    const mode = isDriving() ? "driving" : follow.following ? "following" : "private";
    el.dataset.follow = mode;
    presenterBar.render(model, mode, follow.hasShared);
    picker.update(model, shown?.docId ?? null);
    renderToolbar();
  }

  /** @param {RoomModel} nextModel */
  function update(nextModel) {
    model = nextModel;
    el.hidden = model.state === null;
    if (el.hidden) return;
    follow.fromState(model.state.presenting.view, isDriving(), () => shown === null);
    renderAll();
  }

  // A rotated tablet or a resized window: a follower fits the presenter's region again;
  // the presenter's visible region changed, so it is shared again.
  let lastWidth = 0;
  let lastHeight = 0;
  const resizeObserver = new ResizeObserver(() => {
    const { clientWidth, clientHeight } = pdf.el;
    if (clientWidth === 0 || (clientWidth === lastWidth && clientHeight === lastHeight)) return;
    const first = lastWidth === 0;
    lastWidth = clientWidth;
    lastHeight = clientHeight;
    if (first || !pdf.doc || !model?.state) return;
    follow.resized();
  });
  resizeObserver.observe(pdf.el);

  /** An ephemeral message of the room: a presenter's view, or live ink.
   * @param {{kind?: string, data?: any} | null} payload */
  function onEphemeral(payload) {
    if (payload?.kind === "ink") annotations.onEphemeral(payload);
    if (payload?.kind !== "view" || !model?.state) return;
    const view = payload.data;
    if (!view || typeof view.document_id !== "number") return;
    follow.fromEphemeral(view);
  }

  /** A fresh snapshot (first join, or a resync): land on the presenter's view. */
  function reset() {
    follow.reset();
    annotations.reset();
  }

  return {
    el,
    update,
    reset,
    onEphemeral,
    destroy() {
      resizeObserver.disconnect();
      follow.destroy();
      annotations.destroy();
      pdf.destroy();
    },
  };
}
