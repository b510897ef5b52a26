// @ts-check
// Previewing a version of the minutes in the app's own pdf.js view (pdf-view.js), on a
// full-screen <dialog>: page by page, zoom, and a link to open the file in a new tab.
// The file is fetched by pdf.js from the same origin with the session cookie.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { PdfView, clampZoom } from "./pdf-view.js";

const ZOOM_STEP = 25; // percent

/** Open the preview of `version` (its file at `url`); resolves when it is closed.
 * @returns {Promise<void>} */
export function openMinutesPreview({ url, version, status }) {
  return new Promise((resolve) => {
    const view = new PdfView({ onError: () => showError() });
    const title = h("h2", {
      class: "dialog-title minutes-preview-title",
      id: "minutes-preview-title",
    });
    const pageText = h("span", {
      class: "minutes-preview-page",
      dataset: { testid: "minutes-preview-page" },
    });
    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const button = (label, testid, onclick) =>
      h(
        "button",
        { type: "button", class: "btn btn-secondary btn-small", dataset: { testid }, onclick },
        label,
      );
    const prev = button(t("minutes.previewDialog.prev"), "minutes-preview-prev", () => go(-1));
    const next = button(t("minutes.previewDialog.next"), "minutes-preview-next", () => go(1));
    const zoomOut = button("−", "minutes-preview-zoom-out", () => zoom(-ZOOM_STEP));
    const zoomIn = button("+", "minutes-preview-zoom-in", () => zoom(ZOOM_STEP));
    zoomOut.setAttribute("aria-label", t("minutes.previewDialog.zoomOut"));
    zoomIn.setAttribute("aria-label", t("minutes.previewDialog.zoomIn"));
    const close = h(
      "button",
      {
        type: "button",
        class: "btn btn-primary btn-small",
        dataset: { testid: "minutes-preview-close" },
      },
      t("minutes.previewDialog.close"),
    );
    const tab = h(
      "a",
      { class: "btn btn-secondary btn-small", href: url, target: "_blank", rel: "noopener" },
      t("minutes.openTab"),
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog minutes-preview",
        "aria-labelledby": "minutes-preview-title",
        dataset: { testid: "minutes-preview" },
      },
      h(
        "div",
        { class: "minutes-preview-bar" },
        title,
        h(
          "div",
          { class: "minutes-preview-tools" },
          prev,
          pageText,
          next,
          zoomOut,
          zoomIn,
          tab,
          close,
        ),
      ),
      error,
      h("div", { class: "minutes-preview-body" }, view.el),
    );
    const statusText = t(`minutes.status.${status}`);
    setText(title, t("minutes.previewDialog.title", { version, status: statusText }));

    function showError() {
      error.hidden = false;
      setText(error, t("minutes.previewDialog.error"));
    }

    function paint() {
      setText(
        pageText,
        t("minutes.previewDialog.page", { page: view.pageNumber, pages: view.pageCount || "…" }),
      );
      prev.disabled = view.pageNumber <= 1;
      next.disabled = view.pageNumber >= view.pageCount;
    }

    async function go(delta) {
      await view.show(view.pageNumber + delta);
      paint();
    }

    async function zoom(delta) {
      await view.show(view.pageNumber, { zoom: clampZoom(view.zoom + delta), place: "keep" });
      paint();
    }

    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      view.destroy();
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
    paint();
    view
      .open(url, url)
      .then(async () => {
        await view.show(1, { zoom: await view.fitWidthZoom(1) });
        paint();
      })
      .catch(() => showError());
  });
}
