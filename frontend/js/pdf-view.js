// @ts-check
// One PDF page at a time with pdf.js: canvas plus a text layer (selectable text), page
// navigation, zoom, fit width, and the visible region in PDF page coordinates both ways
// (read it to send the presenter's view; show it to follow the presenter).
//
// Security: pdf.js runs with isEvalSupported: false (this build has no eval path at all,
// and the page's CSP forbids eval anyway); its worker is a module served from /static.

import * as pdfjs from "../vendor/pdfjs-dist/pdf.min.mjs";
import { h } from "./dom.js";

pdfjs.GlobalWorkerOptions.workerSrc = "/static/vendor/pdfjs-dist/pdf.worker.min.mjs";

export const ZOOM_MIN = 25; // percent; the server accepts 10–800
export const ZOOM_MAX = 400;
const CSS_UNITS = pdfjs.PixelsPerInch.PDF_TO_CSS_UNITS; // 96/72: zoom 100 % = actual size
const DOCUMENT_CACHE = 4; // opened documents kept (switching back is instant)
const SCROLL_SLACK_PX = 2;

export function clampZoom(zoom) {
  return Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, Math.round(zoom)));
}

/**
 * handlers: onChange({reason}) after the person scrolls, zooms or pages (not after a
 * programmatic change), onError(error), onRendered({documentKey, page}).
 */
export class PdfView {
  constructor(handlers) {
    this.handlers = handlers;
    this.canvas = h("canvas", { class: "pdf-canvas", "aria-hidden": "true" });
    this.textLayer = h("div", { class: "textLayer" });
    this.pageEl = h(
      "div",
      { class: "page pdf-page", dataset: { testid: "pdf-page" } },
      h("div", { class: "canvasWrapper" }, this.canvas),
      this.textLayer,
    );
    this.viewerEl = h("div", { class: "pdfViewer pdf-sheet" }, this.pageEl);
    this.el = h(
      "div",
      { class: "pdf-scroll", tabindex: "0", dataset: { testid: "pdf-scroll" } },
      this.viewerEl,
    );
    this.documents = new Map(); // key -> {loading: Promise<PDFDocumentProxy>}
    this.doc = null; // the open PDFDocumentProxy
    this.key = null; // the open document's key (the document id)
    this.pageNumber = 1;
    this.pageCount = 0;
    this.zoom = 100;
    this.page = null; // PDFPageProxy of pageNumber
    this.viewport = null;
    this.renderTask = null;
    this.textTask = null;
    this.generation = 0; // bumps on every layout; stale renders give up
    this.expectedScroll = null;
    this.el.addEventListener("scroll", () => this._onScroll(), { passive: true });
  }

  /** Open (or switch to) a document; resolves once its page count is known. */
  async open(key, url) {
    if (this.key === key && this.doc) return;
    let entry = this.documents.get(key);
    if (!entry) {
      const task = pdfjs.getDocument({
        url,
        isEvalSupported: false,
        enableXfa: false,
        disableAutoFetch: true,
        withCredentials: false,
      });
      entry = { task, loading: task.promise };
      this.documents.set(key, entry);
      while (this.documents.size > DOCUMENT_CACHE) {
        const [oldKey, old] = this.documents.entries().next().value;
        if (oldKey === this.key) break;
        this.documents.delete(oldKey);
        old.task.destroy();
      }
    }
    this.key = key;
    this.doc = null;
    try {
      const doc = await entry.loading;
      if (this.key !== key) return;
      this.doc = doc;
      this.pageCount = doc.numPages;
    } catch (error) {
      this.documents.delete(key);
      if (this.key === key) {
        this.key = null;
        this.handlers.onError?.(error);
      }
      throw error;
    }
  }

  close() {
    this.key = null;
    this.doc = null;
    this.page = null;
    this.pageCount = 0;
    this.generation += 1;
    this.renderTask?.cancel();
    this.textTask?.cancel();
    const ctx = this.canvas.getContext("2d");
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    this.textLayer.replaceChildren();
  }

  destroy() {
    this.close();
    for (const entry of this.documents.values()) entry.task.destroy();
    this.documents.clear();
  }

  /** The zoom at which the page's width fills the scroll area. */
  async fitWidthZoom(pageNumber = this.pageNumber) {
    if (!this.doc) return this.zoom;
    const page = await this.doc.getPage(pageNumber);
    const width = page.getViewport({ scale: CSS_UNITS }).width;
    const room = this.el.clientWidth - 2 * this._marginPx();
    return clampZoom((room / width) * 100);
  }

  /**
   * Show `pageNumber` at `zoom`; `place` says where to scroll: {top: true} (the top of the
   * page), {region: [x0, y0, x1, y1]} (fit and centre that part of the page), or
   * {keep: true} (keep the centre of what is visible). Programmatic: no onChange.
   */
  async show(pageNumber, { zoom = this.zoom, region = null, place = "top" } = {}) {
    if (!this.doc) return;
    const number = Math.min(Math.max(1, pageNumber), this.pageCount);
    const generation = ++this.generation;
    const page = await this.doc.getPage(number);
    if (generation !== this.generation) return;
    let nextZoom = clampZoom(zoom);
    if (region) nextZoom = this._zoomForRegion(page, region);
    const centre = place === "keep" && number === this.pageNumber ? this._centreFraction() : null;
    this.page = page;
    this.pageNumber = number;
    this.zoom = nextZoom;
    this.viewport = page.getViewport({ scale: (nextZoom / 100) * CSS_UNITS });
    this._layout();
    if (region) this._scrollToRegion(region);
    else if (centre) this._scrollToFraction(centre);
    else this._scrollTo(0, 0);
    await this._render(generation);
  }

  /** The view as the presenter sends it: page, zoom and the visible region in PDF points. */
  currentView() {
    return { page: this.pageNumber, zoom: this.zoom, region: this.visibleRegion() };
  }

  visibleRegion() {
    if (!this.viewport) return null;
    const scroller = this.el.getBoundingClientRect();
    const page = this.pageEl.getBoundingClientRect();
    const left = Math.max(0, scroller.left + this.el.clientLeft - page.left);
    const top = Math.max(0, scroller.top + this.el.clientTop - page.top);
    const right = Math.min(
      page.width,
      scroller.left + this.el.clientLeft + this.el.clientWidth - page.left,
    );
    const bottom = Math.min(
      page.height,
      scroller.top + this.el.clientTop + this.el.clientHeight - page.top,
    );
    if (right - left < 1 || bottom - top < 1) return null;
    const [ax, ay] = this.viewport.convertToPdfPoint(left, top);
    const [bx, by] = this.viewport.convertToPdfPoint(right, bottom);
    const round = (v) => Math.round(v * 100) / 100;
    return [
      round(Math.min(ax, bx)),
      round(Math.min(ay, by)),
      round(Math.max(ax, bx)),
      round(Math.max(ay, by)),
    ];
  }

  // --- internals -------------------------------------------------------------------

  _marginPx() {
    return 12;
  }

  _zoomForRegion(page, region) {
    const base = page.getViewport({ scale: CSS_UNITS });
    const [ax, ay] = base.convertToViewportPoint(region[0], region[1]);
    const [bx, by] = base.convertToViewportPoint(region[2], region[3]);
    const width = Math.abs(bx - ax);
    const height = Math.abs(by - ay);
    if (width < 1 || height < 1) return this.zoom;
    const fit = Math.min(this.el.clientWidth / width, this.el.clientHeight / height);
    return clampZoom(fit * 100);
  }

  _layout() {
    const { width, height } = this.viewport;
    this.viewerEl.style.setProperty("--scale-factor", String(this.viewport.scale));
    this.pageEl.style.width = `${Math.floor(width)}px`;
    this.pageEl.style.height = `${Math.floor(height)}px`;
    this.pageEl.dataset.pageNumber = String(this.pageNumber);
    this.el.dataset.page = String(this.pageNumber);
    this.el.dataset.zoom = String(this.zoom);
  }

  _pageOffset() {
    // The page's top-left inside the scrolled content.
    return { x: this.pageEl.offsetLeft, y: this.pageEl.offsetTop };
  }

  _scrollTo(left, top) {
    const maxLeft = Math.max(0, this.el.scrollWidth - this.el.clientWidth);
    const maxTop = Math.max(0, this.el.scrollHeight - this.el.clientHeight);
    const x = Math.round(Math.min(maxLeft, Math.max(0, left)));
    const y = Math.round(Math.min(maxTop, Math.max(0, top)));
    if (Math.abs(this.el.scrollLeft - x) < 1 && Math.abs(this.el.scrollTop - y) < 1) {
      this.expectedScroll = null;
      return;
    }
    this.expectedScroll = { x, y };
    this.el.scrollLeft = x;
    this.el.scrollTop = y;
  }

  _scrollToRegion(region) {
    const [ax, ay] = this.viewport.convertToViewportPoint(region[0], region[3]);
    const [bx, by] = this.viewport.convertToViewportPoint(region[2], region[1]);
    const { x, y } = this._pageOffset();
    const width = Math.abs(bx - ax);
    const height = Math.abs(by - ay);
    const left = x + Math.min(ax, bx) - Math.max(0, (this.el.clientWidth - width) / 2);
    const top = y + Math.min(ay, by) - Math.max(0, (this.el.clientHeight - height) / 2);
    this._scrollTo(left, top);
  }

  _centreFraction() {
    const { x, y } = this._pageOffset();
    const width = this.pageEl.offsetWidth || 1;
    const height = this.pageEl.offsetHeight || 1;
    return {
      fx: (this.el.scrollLeft + this.el.clientWidth / 2 - x) / width,
      fy: (this.el.scrollTop + this.el.clientHeight / 2 - y) / height,
    };
  }

  _scrollToFraction({ fx, fy }) {
    const { x, y } = this._pageOffset();
    this._scrollTo(
      x + fx * this.pageEl.offsetWidth - this.el.clientWidth / 2,
      y + fy * this.pageEl.offsetHeight - this.el.clientHeight / 2,
    );
  }

  _onScroll() {
    const expected = this.expectedScroll;
    if (
      expected &&
      Math.abs(this.el.scrollLeft - expected.x) <= SCROLL_SLACK_PX &&
      Math.abs(this.el.scrollTop - expected.y) <= SCROLL_SLACK_PX
    ) {
      return; // our own scrolling
    }
    this.expectedScroll = null;
    this.handlers.onChange?.({ reason: "scroll" });
  }

  async _render(generation) {
    this.renderTask?.cancel();
    this.textTask?.cancel();
    const page = this.page;
    const viewport = this.viewport;
    const ratio = window.devicePixelRatio || 1;
    const canvas = document.createElement("canvas");
    canvas.className = "pdf-canvas";
    canvas.setAttribute("aria-hidden", "true");
    canvas.width = Math.floor(viewport.width * ratio);
    canvas.height = Math.floor(viewport.height * ratio);
    const task = page.render({
      canvasContext: canvas.getContext("2d"),
      viewport,
      transform: ratio === 1 ? null : [ratio, 0, 0, ratio, 0, 0],
    });
    this.renderTask = task;
    try {
      await task.promise;
    } catch (error) {
      if (error?.name === "RenderingCancelledException" || generation !== this.generation) return;
      this.handlers.onError?.(error);
      return;
    }
    if (generation !== this.generation) return;
    // Swap in the finished canvas at once, so the old page stays until the new one is ready.
    this.canvas.replaceWith(canvas);
    this.canvas = canvas;
    const textLayer = h("div", { class: "textLayer", dataset: { testid: "pdf-text" } });
    // The options' type is inferred from pdf.js's minified build, which makes every option
    // look required; its own type declarations are not vendored.
    const text = new pdfjs.TextLayer(
      /** @type {any} */ ({
        textContentSource: page.streamTextContent(),
        container: textLayer,
        viewport,
      }),
    );
    this.textTask = text;
    try {
      await text.render();
    } catch {
      return; // cancelled by a newer render; the canvas is there either way
    }
    if (generation !== this.generation) return;
    this.textLayer.replaceWith(textLayer);
    this.textLayer = textLayer;
    this.el.dataset.rendered = `${this.key}:${this.pageNumber}:${this.zoom}`;
    this.handlers.onRendered?.({ documentKey: this.key, page: this.pageNumber });
  }
}
