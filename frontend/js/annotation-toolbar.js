// @ts-check
// The annotation tools above the page: browse / pen / highlight / note / eraser, colour and
// width, private or shared for new marks, undo and redo, and the annotated copy's download.
// It only shows what `update(view)` says and reports taps; the controller decides.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";

export const TOOLS = ["none", "ink", "highlight", "note", "eraser"];
const TOOL_ICONS = { none: "☝", ink: "✎", highlight: "▍", note: "🗒", eraser: "⌫" };
export const PALETTES = {
  ink: ["#d32f2f", "#1565c0", "#2e7d32", "#212121"],
  highlight: ["#ffeb3b", "#a5d6a7", "#f8bbd0", "#81d4fa"],
  note: ["#fbc02d", "#81d4fa", "#a5d6a7", "#f8bbd0"],
};
export const WIDTHS = [1, 2, 4, 8]; // points

/** handlers: marking(open), tool(name), color(hex), width(points), shared(bool), undo(),
 * redo(), applyHighlight(), includeShared(bool) */
export function createAnnotationToolbar(handlers) {
  const markingButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-secondary ann-marking",
      dataset: { testid: "ann-marking" },
      onclick: () => handlers.marking(markingButton.getAttribute("aria-pressed") !== "true"),
    },
    h("span", { class: "ann-tool-icon", "aria-hidden": "true" }, "✎"),
    h("span"),
  );
  const toolButtons = TOOLS.map((tool) =>
    h(
      "button",
      {
        type: "button",
        class: "btn btn-small btn-secondary ann-tool",
        dataset: { testid: `ann-tool-${tool}`, tool },
        onclick: () => handlers.tool(tool),
      },
      h("span", { class: "ann-tool-icon", "aria-hidden": "true" }, TOOL_ICONS[tool]),
      h("span", { class: "ann-tool-label" }),
    ),
  );
  const swatches = h("div", { class: "ann-swatches", role: "group" });
  const widthSelect = h("select", {
    class: "select ann-width",
    dataset: { testid: "ann-width" },
    onchange: () => handlers.width(Number(widthSelect.value)),
  });
  const widthLabel = h(
    "label",
    { class: "ann-width-label" },
    h("span", { class: "sr-only" }),
    widthSelect,
  );
  const sharedButton = h("button", {
    type: "button",
    class: "btn btn-small ann-shared",
    dataset: { testid: "ann-shared" },
    onclick: () => handlers.shared(sharedButton.getAttribute("aria-pressed") !== "true"),
  });
  const undoButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-secondary tool-button",
      dataset: { testid: "ann-undo" },
      onclick: () => handlers.undo(),
    },
    "↶",
  );
  const redoButton = h(
    "button",
    {
      type: "button",
      class: "btn btn-small btn-secondary tool-button",
      dataset: { testid: "ann-redo" },
      onclick: () => handlers.redo(),
    },
    "↷",
  );
  const applyHighlight = h("button", {
    type: "button",
    class: "btn btn-small btn-primary",
    dataset: { testid: "ann-apply-highlight" },
    // Keep the text selection: a tap on a button would otherwise clear it first.
    onpointerdown: (event) => event.preventDefault(),
    onclick: () => handlers.applyHighlight(),
  });
  const download = h("a", {
    class: "btn btn-small btn-secondary",
    dataset: { testid: "ann-download" },
    rel: "noopener",
  });
  const includeShared = h("input", {
    type: "checkbox",
    dataset: { testid: "ann-include-shared" },
    onchange: () => handlers.includeShared(includeShared.checked),
  });
  const includeLabel = h("label", { class: "ann-include" }, includeShared, h("span"));
  const hint = h("p", { class: "ann-hint muted", dataset: { testid: "ann-hint" } });

  const tools = h(
    "div",
    { class: "ann-row ann-tools-row", dataset: { testid: "ann-tools" } },
    h("div", { class: "ann-tools", role: "group" }, toolButtons),
    swatches,
    widthLabel,
    sharedButton,
    h("div", { class: "tool-group" }, undoButton, redoButton),
    applyHighlight,
    hint,
  );
  const el = h(
    "div",
    { class: "ann-toolbar", role: "toolbar", dataset: { testid: "ann-toolbar" } },
    h(
      "div",
      { class: "ann-row ann-head" },
      markingButton,
      h("div", { class: "ann-export" }, download, includeLabel),
    ),
    tools,
  );

  let paletteKey = "";

  function renderSwatches(palette, color) {
    const key = palette.join();
    if (key !== paletteKey) {
      paletteKey = key;
      swatches.replaceChildren(
        ...palette.map((hex) => {
          const swatch = h("button", {
            type: "button",
            class: "ann-swatch",
            dataset: { testid: "ann-color", color: hex },
            onclick: () => handlers.color(hex),
          });
          swatch.style.setProperty("--swatch", hex);
          return swatch;
        }),
      );
    }
    for (const swatch of /** @type {HTMLCollectionOf<HTMLElement>} */ (swatches.children)) {
      swatch.setAttribute("aria-pressed", String(swatch.dataset.color === color));
      swatch.setAttribute("aria-label", t("ann.color", { color: swatch.dataset.color }));
    }
  }

  /** view: {visible, marking, enabled, tool, palette, color, width, shared, canUndo, canRedo,
   * selectionReady, downloadHref, downloadName, includeShared, hint} */
  function update(view) {
    el.hidden = !view.visible;
    if (!view.visible) return;
    markingButton.setAttribute("aria-pressed", String(view.marking));
    markingButton.classList.toggle("btn-primary", view.marking);
    markingButton.classList.toggle("btn-secondary", !view.marking);
    setText(markingButton.lastChild, t(view.marking ? "ann.markingDone" : "ann.marking"));
    tools.hidden = !view.marking;
    for (const button of toolButtons) {
      const tool = button.dataset.tool;
      button.setAttribute("aria-pressed", String(tool === view.tool));
      button.classList.toggle("btn-primary", tool === view.tool);
      button.classList.toggle("btn-secondary", tool !== view.tool);
      setText(button.lastChild, t(`ann.tool.${tool}`));
      button.disabled = !view.enabled && tool !== "none";
    }
    const drawing = view.tool !== "none" && view.tool !== "eraser";
    swatches.hidden = !drawing;
    if (drawing) renderSwatches(view.palette, view.color);
    widthLabel.hidden = view.tool !== "ink";
    setText(widthLabel.firstChild, t("ann.width"));
    if (widthSelect.options.length !== WIDTHS.length) {
      widthSelect.replaceChildren(
        ...WIDTHS.map((w) => h("option", { value: String(w) }, t("ann.widthValue", { width: w }))),
      );
    } else {
      WIDTHS.forEach((w, i) => setText(widthSelect.options[i], t("ann.widthValue", { width: w })));
    }
    widthSelect.value = String(view.width);
    sharedButton.hidden = !drawing;
    sharedButton.setAttribute("aria-pressed", String(view.shared));
    sharedButton.classList.toggle("is-shared", view.shared);
    setText(sharedButton, t(view.shared ? "ann.newShared" : "ann.newPrivate"));
    sharedButton.title = t("ann.sharedHint");
    undoButton.disabled = !view.enabled || !view.canUndo;
    redoButton.disabled = !view.enabled || !view.canRedo;
    undoButton.setAttribute("aria-label", t("ann.undo"));
    redoButton.setAttribute("aria-label", t("ann.redo"));
    undoButton.title = t("ann.undo");
    redoButton.title = t("ann.redo");
    applyHighlight.hidden = view.tool !== "highlight";
    applyHighlight.disabled = !view.enabled || !view.selectionReady;
    setText(applyHighlight, t("ann.applyHighlight"));
    setText(download, t("ann.download"));
    download.setAttribute("href", view.downloadHref);
    download.setAttribute("download", view.downloadName);
    includeShared.checked = view.includeShared;
    setText(includeLabel.lastChild, t("ann.includeShared"));
    setText(hint, view.hint);
    hint.hidden = view.hint === "";
  }

  return { el, update };
}
