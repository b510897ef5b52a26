// @ts-check
// The marks over the rendered PDF page: an SVG of highlights and ink (stored, being drawn
// by others, being drawn here) and note markers, placed with the pdf.js viewport of the
// page as rendered. It also reads the pen: strokes, eraser sweeps, taps for a note, taps
// on one's own marks. What to draw comes in `draw()`; what the person did goes out
// through the handlers. The SVG's viewBox is the viewport's size, so a zoom stretches the
// marks along with the page until the page is rendered again.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { centrePath, inkPath, rectToScreen, toPdf, toScreen } from "./annotation-geometry.js";

const SVG = "http://www.w3.org/2000/svg";
const HIGHLIGHT_OPACITY = 0.35; // as in the exported copy
const HIT_WIDTH_PX = 18; // a thin line is still easy to tap
const NOTE_MARK_PX = 44;

function svg(tag, attrs = {}) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  return el;
}

/**
 * handlers: strokeStart(), strokePoint([x, y, p?]) (PDF), strokeEnd(points), erase(id),
 * noteAt([x, y]), markTap(id, {x, y}) (client coordinates), noteTap(id).
 */
export function createAnnotationLayer(handlers) {
  /** @type {(id: number) => string} the display name of a mark's author */
  let nameOf = (id) => String(id);
  const highlights = svg("g", { class: "ann-highlights" });
  const inks = svg("g", { class: "ann-inks" });
  const live = svg("g", { class: "ann-live" });
  const drawing = svg("path", { class: "ann-drawing", "data-testid": "ann-drawing" });
  const surface = svg("svg", { class: "ann-svg", preserveAspectRatio: "none" });
  surface.append(highlights, inks, live, drawing);
  const notes = h("div", { class: "ann-notes" });
  const el = h("div", { class: "ann-layer", dataset: { testid: "ann-layer", tool: "none" } });
  el.append(surface, notes);

  let viewport = null;
  let gesture = null; // {pointerId, points, color, width} while drawing
  let erasing = null; // pointerId while the eraser is down
  let tool = "none";
  let pen = { color: "#d32f2f", width: 2 };
  const pathCache = new Map(); // "id:version:scale:rotation" -> d

  function pdfPoint(event) {
    const box = el.getBoundingClientRect();
    const sx = viewport.width / (box.width || 1);
    const sy = viewport.height / (box.height || 1);
    return toPdf(viewport, (event.clientX - box.left) * sx, (event.clientY - box.top) * sy);
  }

  function inputPoint(event) {
    const point = pdfPoint(event);
    // Pressure only where the device measures it (a pen); a finger or mouse reports a
    // constant, and perfect-freehand then derives the width from the speed instead.
    if (event.pointerType === "pen" && event.pressure > 0) {
      point.push(Math.round(Math.min(1, event.pressure) * 100) / 100);
    }
    return point;
  }

  function eraseAt(event) {
    for (const target of document.elementsFromPoint(event.clientX, event.clientY)) {
      const mark = /** @type {HTMLElement | SVGElement | null} */ (
        target.closest?.("[data-annotation-id]")
      );
      if (mark && el.contains(mark) && mark.classList.contains("is-mine")) {
        handlers.erase(Number(mark.dataset.annotationId));
        return;
      }
    }
  }


  el.addEventListener("pointerdown", (event) => {
    if (!viewport || event.button > 0) return;
    if (tool === "ink") {
      event.preventDefault();
      el.setPointerCapture(event.pointerId);
      gesture = { pointerId: event.pointerId, points: [inputPoint(event)] };
      handlers.strokeStart();
      handlers.strokePoint(gesture.points[0]);
      drawGesture();
    } else if (tool === "eraser") {
      event.preventDefault();
      el.setPointerCapture(event.pointerId);
      erasing = event.pointerId;
      eraseAt(event);
    }
  });
  el.addEventListener("pointermove", (event) => {
    if (gesture && event.pointerId === gesture.pointerId) {
      const events = event.getCoalescedEvents?.() ?? [event];
      for (const one of events.length ? events : [event]) {
        const point = inputPoint(one);
        const last = gesture.points[gesture.points.length - 1];
        if (last && last[0] === point[0] && last[1] === point[1]) continue;
        gesture.points.push(point);
        handlers.strokePoint(point);
      }
      drawGesture();
    } else if (erasing === event.pointerId) {
      eraseAt(event);
    }
  });
  const finish = (event) => {
    if (gesture && event.pointerId === gesture.pointerId) {
      const { points } = gesture;
      gesture = null;
      handlers.strokeEnd(points);
    } else if (erasing === event.pointerId) {
      erasing = null;
    }
  };
  el.addEventListener("pointerup", finish);
  el.addEventListener("pointercancel", finish);
  el.addEventListener("click", (event) => {
    if (tool === "note" && viewport && event.target === el) handlers.noteAt(pdfPoint(event));
  });

  function drawGesture() {
    const d =
      gesture && viewport ? inkPath(viewport, gesture.points, pen.width, { complete: false }) : "";
    drawing.setAttribute("d", d);
    drawing.setAttribute("fill", pen.color);
  }

  function inkD(mark) {
    const key = `${mark.annotation_id}:${mark.version}:${viewport.scale}:${viewport.rotation}`;
    let d = pathCache.get(key);
    if (d === undefined) {
      d = inkPath(viewport, mark.points, mark.width ?? 2);
      pathCache.set(key, d);
      if (pathCache.size > 2000) pathCache.delete(pathCache.keys().next().value);
    }
    return d;
  }

  function markAttrs(mark, me) {
    const mine = mark.owner_id === me;
    return {
      class: `ann-mark${mine ? " is-mine" : ""}${mark.shared ? " is-shared" : ""}`,
      "data-annotation-id": mark.annotation_id,
      "data-testid": `ann-${mark.kind}`,
      "data-shared": String(mark.shared),
    };
  }

  /**
   * A shared mark says whose it is, at its start (screen point [x, y]): the author's name
   * for the others, "you (shared)" for its owner; a private mark carries no label, so the
   * owner tells the two apart at a glance.
   */
  function authorLabel(group, mark, me, at) {
    if (!mark.shared) return;
    const mine = mark.owner_id === me;
    const text = mine ? t("ann.sharedMine") : nameOf(mark.owner_id);
    const label = svg("text", { class: "ann-author", x: at[0], y: Math.max(12, at[1] - 6), "data-testid": "ann-author" });
    label.textContent = text;
    const title = svg("title");
    title.textContent = mine ? text : t("ann.sharedBy", { name: text });
    group.append(title, label);
  }

  function tapTarget(group, mark, me) {
    if (mark.owner_id !== me) return;
    group.addEventListener("click", (event) => {
      if (tool === "none")
        handlers.markTap(mark.annotation_id, { x: event.clientX, y: event.clientY });
    });
  }

  function drawInk(mark, me) {
    const group = svg("g", markAttrs(mark, me));
    group.append(
      svg("path", {
        class: "ann-hit",
        d: centrePath(viewport, mark.points),
        "stroke-width": HIT_WIDTH_PX,
      }),
      svg("path", { class: "ann-ink", d: inkD(mark), fill: mark.color }),
    );
    if (mark.points.length) authorLabel(group, mark, me, toScreen(viewport, mark.points[0][0], mark.points[0][1]));
    tapTarget(group, mark, me);
    return group;
  }

  function drawHighlight(mark, me) {
    const group = svg("g", markAttrs(mark, me));
    for (const rect of mark.rects) {
      const r = rectToScreen(viewport, rect);
      group.append(
        svg("rect", {
          x: r.x,
          y: r.y,
          width: r.width,
          height: r.height,
          fill: mark.color,
          "fill-opacity": HIGHLIGHT_OPACITY,
        }),
      );
    }
    if (mark.rects.length) {
      const first = rectToScreen(viewport, mark.rects[0]);
      authorLabel(group, mark, me, [first.x, first.y]);
    }
    tapTarget(group, mark, me);
    return group;
  }

  function drawNote(mark, me) {
    const [x, y] = toScreen(viewport, mark.anchor[0], mark.anchor[1]);
    // The anchor is the marker's bottom-left corner, as in the exported copy.
    const left = (x / viewport.width) * 100;
    const top = ((y - NOTE_MARK_PX) / viewport.height) * 100;
    const button = h("button", {
      type: "button",
      class: `ann-note${mark.owner_id === me ? " is-mine" : ""}${mark.shared ? " is-shared" : ""}`,
      dataset: {
        testid: "ann-note",
        annotationId: String(mark.annotation_id),
        shared: String(mark.shared),
      },
      "aria-label": mark.text,
      title: mark.text,
      onclick: (event) => {
        event.stopPropagation();
        if (tool === "eraser" && mark.owner_id === me) handlers.erase(mark.annotation_id);
        else handlers.noteTap(mark.annotation_id);
      },
    });
    button.textContent = "✎";
    // Through the CSSOM: the page's CSP refuses style attributes.
    button.style.left = `${left}%`;
    button.style.top = `${top}%`;
    button.style.setProperty("--note-color", mark.color);
    return button;
  }

  /** Draw the page: {viewport, marks, live, pending, me, nameOf}. */
  function draw(scene) {
    viewport = scene.viewport;
    if (!viewport) {
      highlights.replaceChildren();
      inks.replaceChildren();
      live.replaceChildren();
      notes.replaceChildren();
      return;
    }
    surface.setAttribute("viewBox", `0 0 ${viewport.width} ${viewport.height}`);
    const me = scene.me;
    nameOf = scene.nameOf ?? ((id) => String(id));
    highlights.replaceChildren(
      ...scene.marks.filter((m) => m.kind === "highlight").map((m) => drawHighlight(m, me)),
    );
    inks.replaceChildren(...scene.marks.filter((m) => m.kind === "ink").map((m) => drawInk(m, me)));
    notes.replaceChildren(
      ...scene.marks.filter((m) => m.kind === "note").map((m) => drawNote(m, me)),
    );
    drawLive(scene.live, scene.pending);
    drawGesture();
  }

  /** Strokes still on their way: the others' (live) and this tablet's not yet stored. */
  function drawLive(strokes, pending = []) {
    if (!viewport) return;
    const paths = [];
    for (const stroke of strokes) {
      paths.push(
        svg("path", {
          class: "ann-live-stroke",
          "data-testid": "ann-live-stroke",
          d: inkPath(viewport, stroke.points, stroke.width ?? 2, { complete: false }),
          fill: stroke.color,
        }),
      );
    }
    for (const stroke of pending) {
      paths.push(
        svg("path", {
          class: "ann-pending-stroke",
          d: inkPath(viewport, stroke.points, stroke.width),
          fill: stroke.color,
        }),
      );
    }
    live.replaceChildren(...paths);
  }

  return {
    el,
    draw,
    drawLive,
    setTool(next) {
      tool = next;
      el.dataset.tool = next;
    },
    setPen(next) {
      pen = next;
    },
    drawing: () => gesture !== null,
  };
}
