// @ts-check
// Above the page: the document's title, the "newer version" banner, and the toolbar —
// previous / next page, zoom out / in, fit width, download (the copy watermarked with the
// reader's name).
//
// Contract: render(model, doc, open) shows `doc` (null: nothing on screen) with the page and
// zoom of `pdf`; `open` says the file is loaded, without it every button is disabled. The
// buttons only call back (onPage, onZoom, onFitWidth, onOpenNewest): what a move means
// (sharing it, or browsing privately) is the viewer's business.

import { documentUrl } from "./documents-api.js";
import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { latestVersion } from "./meeting-state.js";
import { ZOOM_MAX, ZOOM_MIN } from "./pdf-view.js";

const ZOOM_STEP = 1.25;

/**
 * @param {object} options
 * @param {number} options.meetingId
 * @param {{zoom: number, pageNumber: number, pageCount: number}} options.pdf the page view
 * @param {(delta: number) => void} options.onPage
 * @param {(zoom: number) => void} options.onZoom
 * @param {() => void} options.onFitWidth
 * @param {() => void} options.onOpenNewest open the newest version of the document shown
 */
export function createViewerToolbar({ meetingId, pdf, onPage, onZoom, onFitWidth, onOpenNewest }) {
  const newVersionText = h("span");
  const newVersionButton = h("button", {
    type: "button",
    class: "btn btn-small btn-primary",
    dataset: { testid: "open-new-version" },
    onclick: onOpenNewest,
  });
  const banner = h(
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

  const title = h("p", { class: "doc-title", dataset: { testid: "doc-title" } });
  const prevButton = toolButton("viewer-prev", "‹", () => onPage(-1));
  const nextButton = toolButton("viewer-next", "›", () => onPage(1));
  const pageText = h("span", { class: "page-text", dataset: { testid: "page-indicator" } });
  const zoomOut = toolButton("zoom-out", "−", () => onZoom(pdf.zoom / ZOOM_STEP));
  const zoomIn = toolButton("zoom-in", "+", () => onZoom(pdf.zoom * ZOOM_STEP));
  const zoomText = h("span", { class: "zoom-text", dataset: { testid: "zoom" } });
  const fitButton = h("button", {
    type: "button",
    class: "btn btn-small btn-secondary",
    dataset: { testid: "fit-width" },
    onclick: () => onFitWidth(),
  });
  const download = h("a", {
    class: "btn btn-small btn-secondary",
    dataset: { testid: "download" },
    rel: "noopener",
  });
  const el = h(
    "div",
    { class: "viewer-toolbar", role: "toolbar" },
    h("div", { class: "tool-group" }, prevButton, pageText, nextButton),
    h("div", { class: "tool-group" }, zoomOut, zoomText, zoomIn, fitButton),
    h("div", { class: "tool-group" }, download),
  );

  /**
   * @param {import("../types/room.js").RoomModel} model
   * @param {import("../types/room.js").MeetingDocument | null} doc
   * @param {boolean} open
   */
  function render(model, doc, open) {
    el.hidden = !doc;
    title.hidden = !doc;
    if (doc)
      setText(
        title,
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
    if (doc) {
      download.setAttribute("href", documentUrl(meetingId, doc.id, { watermark: true }));
      download.setAttribute("download", doc.filename);
      download.setAttribute("title", t("viewer.downloadHint"));
    }
    const latest = doc ? latestVersion(model.state, doc.id) : null;
    banner.hidden = !latest || latest.id === doc.id;
    if (!banner.hidden) {
      setText(newVersionText, t("viewer.newVersionAvailable", { version: latest.version }));
      setText(newVersionButton, t("viewer.openNewVersion"));
    }
  }

  return { el, titleEl: title, bannerEl: banner, render };
}

/** @param {string} testid @param {string} symbol @param {() => void} onclick */
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
