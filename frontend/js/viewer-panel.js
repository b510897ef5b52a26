// The document viewer and follow-the-presenter.
//
// Who drives the shared view: the presenter; when nobody presents, the chair. The driver's
// page, zoom and visible region go out as `ephemeral` views while they move (about ten a
// second) and as one `presenter.view` command once the view has settled (SETTLE_MS after
// the last change). Everyone else follows by default: the view from the snapshot, from
// `presenter.view_changed` events and from ephemeral views. Paging, zooming or scrolling
// away makes the tablet "browse privately" until the person taps "Back to presenter".

import { createAnnotations } from "./annotation-controller.js";
import { documentUrl, uploadDocument } from "./documents-api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { agendaRows } from "./agenda-state.js";
import { displayName, documentList, latestVersion, numberOfItem } from "./meeting-state.js";
import { notify } from "./notices.js";
import { PdfView, ZOOM_MAX, ZOOM_MIN, clampZoom } from "./pdf-view.js";

const EPHEMERAL_EVERY_MS = 100; // ≤ 10 a second (the server allows 30)
const SETTLE_MS = 400;
const ZOOM_STEP = 1.25;
const EDITORS = new Set(["chair", "clerk"]);

export function createViewerPanel({ run, link, meetingId }) {
  let model = null;
  let following = true; // not driving: show the presenter's view
  let sharedView = null; // the newest presenter view known (event or ephemeral)
  let lastEventView = null; // JSON of state.presenting.view last seen
  let shown = null; // {docId, page, zoom} on screen
  let applying = null; // the view being applied; `queued` is the next one
  let queued = null;
  let ephemeralTimer = null;
  let lastEphemeralAt = 0;
  let settleTimer = null;
  let wasDriving = null;
  let appliedKey = null; // the last view applied while following
  let uploading = false;

  const pdf = new PdfView({
    onChange: () => userMoved(),
    onError: (error) => {
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
    openDocument: (docId) => openDocument(docId, { user: true }),
  });

  // --- elements -----------------------------------------------------------------------
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
  const currentLine = h("p", { class: "viewer-current", dataset: { testid: "viewer-current" } });
  const followBadge = h("span", { class: "follow-badge", dataset: { testid: "follow-state" } });
  const backButton = h("button", {
    type: "button",
    class: "btn btn-primary",
    dataset: { testid: "back-to-presenter" },
    onclick: () => backToPresenter(),
  });
  const followBar = h("div", { class: "follow-bar" }, followBadge, backButton);

  const docsHeading = h("h3", { class: "subhead" });
  const itemHeading = h("h4", { class: "doc-group" });
  const itemDocs = h("div", { class: "doc-list", dataset: { testid: "item-documents" } });
  const allHeading = h("h4", { class: "doc-group" });
  const allDocs = h("div", { class: "doc-list", dataset: { testid: "all-documents" } });
  const docsEmpty = h("p", { class: "muted" });

  const uploadInput = h("input", {
    type: "file",
    accept: "application/pdf,.pdf",
    hidden: true,
    dataset: { testid: "upload-input" },
    onchange: () => startUpload(),
  });
  const uploadItem = h("select", { class: "select", dataset: { testid: "upload-item" } });
  const uploadItemLabel = h("label", { class: "inline-label" }, h("span"), uploadItem);
  const uploadButton = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid: "upload" },
    onclick: () => {
      uploadInput.dataset.replaces = "";
      uploadInput.click();
    },
  });
  const replaceButton = h("button", {
    type: "button",
    class: "btn btn-small btn-secondary",
    dataset: { testid: "upload-new-version" },
    onclick: () => {
      uploadInput.dataset.replaces = String(shown?.docId ?? "");
      uploadInput.click();
    },
  });
  const progress = h("progress", {
    class: "upload-progress",
    max: "100",
    value: "0",
    hidden: true,
  });
  const progressText = h("span", { class: "upload-text", dataset: { testid: "upload-status" } });
  const uploadRow = h(
    "div",
    { class: "upload-row" },
    uploadItemLabel,
    uploadButton,
    replaceButton,
    uploadInput,
    progress,
    progressText,
  );

  const newVersionText = h("span");
  const newVersionButton = h("button", {
    type: "button",
    class: "btn btn-small btn-primary",
    dataset: { testid: "open-new-version" },
    onclick: () => {
      const doc = shown && latestVersion(model.state, shown.docId);
      if (doc) openDocument(doc.id, { user: true });
    },
  });
  const newVersion = h(
    "div",
    {
      class: "banner banner-info doc-banner",
      role: "status",
      dataset: { testid: "new-version" },
      hidden: true,
    },
    newVersionText,
    newVersionButton,
  );

  const docTitle = h("p", { class: "doc-title", dataset: { testid: "doc-title" } });
  const prevButton = toolButton("viewer-prev", "‹", () => userPage(-1));
  const nextButton = toolButton("viewer-next", "›", () => userPage(1));
  const pageText = h("span", { class: "page-text", dataset: { testid: "page-indicator" } });
  const zoomOut = toolButton("zoom-out", "−", () => userZoom(pdf.zoom / ZOOM_STEP));
  const zoomIn = toolButton("zoom-in", "+", () => userZoom(pdf.zoom * ZOOM_STEP));
  const zoomText = h("span", { class: "zoom-text", dataset: { testid: "zoom" } });
  const fitButton = h("button", {
    type: "button",
    class: "btn btn-small btn-secondary",
    dataset: { testid: "fit-width" },
    onclick: () => userFitWidth(),
  });
  const download = h("a", {
    class: "btn btn-small btn-secondary",
    dataset: { testid: "download" },
    rel: "noopener",
  });
  const toolbar = h(
    "div",
    { class: "viewer-toolbar", role: "toolbar" },
    h("div", { class: "tool-group" }, prevButton, pageText, nextButton),
    h("div", { class: "tool-group" }, zoomOut, zoomText, zoomIn, fitButton),
    h("div", { class: "tool-group" }, download),
  );
  const emptyText = h("p", { class: "viewer-empty", dataset: { testid: "viewer-empty" } });
  const stage = h("div", { class: "viewer-stage" }, pdf.el, emptyText);

  const el = h(
    "section",
    { class: "panel viewer-panel", dataset: { testid: "viewer" } },
    h(
      "div",
      { class: "panel-head viewer-head" },
      heading,
      h("div", { class: "presenter-box" }, presenterText, presenterLabel),
    ),
    currentLine,
    followBar,
    h(
      "details",
      { class: "doc-picker", open: true, dataset: { testid: "doc-picker" } },
      h("summary", { class: "doc-picker-summary" }, docsHeading),
      itemHeading,
      itemDocs,
      allHeading,
      allDocs,
      docsEmpty,
      uploadRow,
    ),
    newVersion,
    docTitle,
    toolbar,
    annotations.noticeEl,
    annotations.toolbarEl,
    stage,
  );

  function picker() {
    return el.querySelector(".doc-picker");
  }

  function toolButton(testid, symbol, onclick) {
    return h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-secondary tool-button",
        dataset: { testid },
        onclick,
      },
      symbol,
    );
  }

  // --- who drives ---------------------------------------------------------------------
  function me() {
    return model?.you?.user_id ?? null;
  }

  function isDriving() {
    if (!model?.state || !model.you) return false;
    const presenter = model.state.presenting.presenterId;
    if (presenter !== null) return presenter === me();
    return model.you.role === "chair";
  }

  function canShare() {
    return model?.connection === "live" && model.state?.status !== "ended";
  }

  // --- following ----------------------------------------------------------------------
  function fromEphemeral(payload) {
    if (payload?.kind === "ink") annotations.onEphemeral(payload);
    if (payload?.kind !== "view" || !model?.state) return;
    const view = payload.data;
    if (!view || typeof view.document_id !== "number") return;
    sharedView = { ...view };
    if (!isDriving() && following) applyView(sharedView);
  }

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

  async function showView(view) {
    const doc = model.state.documents[view.document_id];
    if (!doc) return;
    if (shown?.docId !== doc.id) await loadDocument(doc);
    if (pdf.key !== doc.id) return;
    await pdf.show(view.page, { zoom: view.zoom, region: view.region });
    shown = { docId: doc.id, page: pdf.pageNumber, zoom: pdf.zoom };
    renderToolbar();
  }

  async function loadDocument(doc) {
    emptyText.hidden = true;
    picker().open = false; // the page gets the room; the list is one tap away
    shown = { docId: doc.id, page: 1, zoom: pdf.zoom };
    renderAll();
    await pdf.open(doc.id, documentUrl(meetingId, doc.id));
  }

  function backToPresenter() {
    following = true;
    renderAll();
    if (sharedView) applyView(sharedView);
  }

  function breakAway() {
    if (isDriving() || !sharedView || !following) return;
    following = false;
    appliedKey = null;
    renderAll();
  }

  // --- the person acting --------------------------------------------------------------
  function userMoved() {
    if (!pdf.doc) return;
    shown = { docId: pdf.key, page: pdf.pageNumber, zoom: pdf.zoom };
    if (isDriving()) share();
    else breakAway();
    renderToolbar();
  }

  async function openDocument(docId, { user = false } = {}) {
    const doc = model.state.documents[docId];
    if (!doc) return;
    if (user && !isDriving()) breakAway();
    try {
      await loadDocument(doc);
      const zoom = await pdf.fitWidthZoom(1);
      await pdf.show(1, { zoom });
    } catch {
      return;
    }
    userMoved();
  }

  async function userPage(delta) {
    if (!pdf.doc) return;
    await pdf.show(pdf.pageNumber + delta, { zoom: pdf.zoom });
    userMoved();
  }

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

  function currentShared() {
    if (!pdf.doc || pdf.key === null) return null;
    return { document_id: pdf.key, ...pdf.currentView() };
  }

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
      if (!ack.ok && ack.error?.code !== "not-allowed") notify(errorText(ack.error?.code), "error");
    }, SETTLE_MS);
  }

  // --- upload -------------------------------------------------------------------------
  async function startUpload() {
    const file = uploadInput.files?.[0];
    uploadInput.value = "";
    if (!file || uploading) return;
    const replaces = uploadInput.dataset.replaces ? Number(uploadInput.dataset.replaces) : null;
    const itemId = replaces === null && uploadItem.value ? Number(uploadItem.value) : null;
    uploading = true;
    progress.hidden = false;
    progress.value = 0;
    setText(progressText, t("viewer.uploading", { name: file.name }));
    renderAll();
    try {
      await uploadDocument(meetingId, file, {
        // A new version keeps the title members know it by.
        title: replaces !== null ? (model.state.documents[replaces]?.title ?? null) : null,
        itemId,
        replacesId: replaces,
        onProgress: (fraction) => {
          progress.value = Math.round(fraction * 100);
        },
      });
      setText(progressText, t("viewer.uploaded", { name: file.name }));
    } catch (error) {
      setText(progressText, "");
      notify(errorText(error.code ?? "internal"), "error");
    } finally {
      uploading = false;
      progress.hidden = true;
      renderAll();
    }
  }

  // --- rendering ----------------------------------------------------------------------
  function docButton(doc) {
    const open = shown?.docId === doc.id;
    return h(
      "button",
      {
        type: "button",
        class: `doc-button${open ? " is-open" : ""}`,
        dataset: { testid: "document", documentId: String(doc.id) },
        "aria-pressed": String(open),
        onclick: () => openDocument(doc.id, { user: true }),
      },
      h("span", { class: "doc-name" }, doc.title),
      h(
        "span",
        { class: "doc-meta" },
        t("viewer.pages", { count: doc.pages }),
        doc.version > 1 ? ` · ${t("viewer.version", { version: doc.version })}` : "",
      ),
    );
  }

  function renderDocs() {
    const state = model.state;
    const current = documentList(state).filter((d) => d.replaced_by === null);
    const item =
      state.agenda.currentId !== null ? state.agenda.items[state.agenda.currentId] : null;
    const forItem = item
      ? current.filter((d) => d.item_id === item.id || item.document_ids.includes(d.id))
      : [];
    const others = current.filter((d) => !forItem.includes(d));
    setText(docsHeading, t("viewer.documents", { count: current.length }));
    replaceChildren(itemDocs, forItem.map(docButton));
    itemDocs.hidden = forItem.length === 0;
    itemHeading.hidden = forItem.length === 0;
    if (item)
      setText(
        itemHeading,
        t("viewer.itemDocuments", { number: numberOfItem(state, item.id) ?? "" }),
      );
    allHeading.hidden = forItem.length === 0 || others.length === 0;
    setText(allHeading, t("viewer.otherDocuments"));
    replaceChildren(allDocs, others.map(docButton));
    docsEmpty.hidden = current.length > 0;
    setText(docsEmpty, t("viewer.noDocuments"));

    const editor = EDITORS.has(model.you?.role);
    uploadRow.hidden = !editor || state.status === "ended";
    setText(uploadButton, t("viewer.upload"));
    uploadButton.disabled = uploading || model.connection !== "live";
    setText(uploadItemLabel.firstChild, t("viewer.uploadFor"));
    if (document.activeElement === uploadItem) return; // keep the list steady while it is used
    const chosen =
      uploadItem.value || (state.agenda.currentId !== null ? String(state.agenda.currentId) : "");
    replaceChildren(
      uploadItem,
      h("option", { value: "" }, t("viewer.wholeMeeting")),
      agendaRows(state.agenda).map((row) =>
        h("option", { value: String(row.id) }, `${row.number}. ${row.title}`),
      ),
    );
    uploadItem.value = chosen;
    if (uploadItem.value !== chosen) uploadItem.value = "";
  }

  function renderPresenter() {
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
    presenterText.hidden = chair;
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

  function renderCurrent() {
    const agenda = model.state.agenda;
    const item = agenda.currentId !== null ? agenda.items[agenda.currentId] : null;
    currentLine.hidden = item === null;
    if (item)
      setText(
        currentLine,
        t("viewer.currentItem", { item: `${numberOfItem(model.state, item.id)}. ${item.title}` }),
      );
  }

  function renderFollow() {
    const driving = isDriving();
    el.dataset.follow = driving ? "driving" : following ? "following" : "private";
    const hasShared = sharedView !== null;
    followBar.dataset.state = el.dataset.follow;
    if (driving)
      setText(
        followBadge,
        t(
          model.state.presenting.presenterId === null ? "viewer.chairDriving" : "viewer.youPresent",
        ),
      );
    else if (!hasShared) setText(followBadge, t("viewer.nothingShared"));
    else if (following) setText(followBadge, t("viewer.following"));
    else setText(followBadge, t("viewer.private"));
    backButton.hidden = driving || following || !hasShared;
    setText(backButton, t("viewer.backToPresenter"));
  }

  function renderToolbar() {
    if (!model?.state) return;
    const doc = shown ? model.state.documents[shown.docId] : null;
    const open = Boolean(doc) && pdf.doc !== null;
    toolbar.hidden = !doc;
    docTitle.hidden = !doc;
    if (doc)
      setText(
        docTitle,
        doc.version > 1
          ? `${doc.title} (${t("viewer.version", { version: doc.version })})`
          : doc.title,
      );
    setText(
      pageText,
      open ? t("viewer.pageOf", { page: pdf.pageNumber, count: pdf.pageCount }) : "",
    );
    setText(zoomText, `${pdf.zoom}%`);
    prevButton.disabled = !open || pdf.pageNumber <= 1;
    nextButton.disabled = !open || pdf.pageNumber >= pdf.pageCount;
    zoomOut.disabled = !open || pdf.zoom <= ZOOM_MIN;
    zoomIn.disabled = !open || pdf.zoom >= ZOOM_MAX;
    fitButton.disabled = !open;
    prevButton.setAttribute("aria-label", t("viewer.prevPage"));
    nextButton.setAttribute("aria-label", t("viewer.nextPage"));
    zoomOut.setAttribute("aria-label", t("viewer.zoomOut"));
    zoomIn.setAttribute("aria-label", t("viewer.zoomIn"));
    setText(fitButton, t("viewer.fitWidth"));
    setText(download, t("viewer.download"));
    setText(replaceButton, t("viewer.newVersion"));
    replaceButton.hidden =
      !doc ||
      !EDITORS.has(model.you?.role) ||
      model.state.status === "ended" ||
      doc.replaced_by !== null;
    replaceButton.disabled = uploading || model.connection !== "live";
    if (doc) {
      download.setAttribute("href", documentUrl(meetingId, doc.id, { watermark: true }));
      download.setAttribute("download", doc.filename);
      download.setAttribute("title", t("viewer.downloadHint"));
    }
    const latest = doc ? latestVersion(model.state, doc.id) : null;
    newVersion.hidden = !latest || latest.id === doc.id;
    if (!newVersion.hidden) {
      setText(newVersionText, t("viewer.newVersionAvailable", { version: latest.version }));
      setText(newVersionButton, t("viewer.openNewVersion"));
    }
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
    renderPresenter();
    renderCurrent();
    renderFollow();
    renderDocs();
    renderToolbar();
  }

  function update(nextModel) {
    model = nextModel;
    el.hidden = model.state === null;
    if (el.hidden) return;
    const driving = isDriving();
    const eventView = model.state.presenting.view;
    const eventKey = JSON.stringify(eventView);
    if (eventKey !== lastEventView) {
      lastEventView = eventKey;
      if (eventView) {
        sharedView = { ...eventView };
        if (!driving && following) applyView(sharedView);
      }
    }
    if (driving && shown === null && sharedView && !applying) {
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
    if (isDriving()) share();
    else if (following && sharedView) {
      appliedKey = null;
      applyView(sharedView);
    }
  });
  resizeObserver.observe(pdf.el);

  /** A fresh snapshot (first join, or a resync): land on the presenter's view. */
  function reset() {
    following = true;
    lastEventView = null;
    appliedKey = null;
    annotations.reset();
  }

  return {
    el,
    update,
    reset,
    onEphemeral: fromEphemeral,
    destroy() {
      resizeObserver.disconnect();
      clearTimeout(ephemeralTimer);
      clearTimeout(settleTimer);
      annotations.destroy();
      pdf.destroy();
    },
  };
}
