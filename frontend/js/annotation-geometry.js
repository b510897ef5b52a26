// @ts-check
// From PDF page coordinates (points, origin bottom left — what is stored) to the page on
// screen and back, through the pdf.js viewport of the page as rendered, so a mark lands on
// the same words at any zoom and rotation. Also the ink outline (perfect-freehand) as an
// SVG path. Pure: no DOM.

import { getStroke } from "../vendor/perfect-freehand/index.mjs";

const round2 = (v) => Math.round(v * 100) / 100;

/** A point on the page element (CSS px from its top left) → PDF points, rounded to 0.01. */
export function toPdf(viewport, x, y) {
  const [px, py] = viewport.convertToPdfPoint(x, y);
  return [round2(px), round2(py)];
}

/** PDF points → CSS px on the page element. */
export function toScreen(viewport, x, y) {
  return viewport.convertToViewportPoint(x, y);
}

/** A rectangle on the page element {left, top, right, bottom} → [x0, y0, x1, y1] in PDF. */
export function rectToPdf(viewport, { left, top, right, bottom }) {
  const [ax, ay] = toPdf(viewport, left, top);
  const [bx, by] = toPdf(viewport, right, bottom);
  return [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
}

/** [x0, y0, x1, y1] in PDF → {x, y, width, height} on the page element. */
export function rectToScreen(viewport, [x0, y0, x1, y1]) {
  const [ax, ay] = toScreen(viewport, x0, y0);
  const [bx, by] = toScreen(viewport, x1, y1);
  return {
    x: Math.min(ax, bx),
    y: Math.min(ay, by),
    width: Math.abs(bx - ax),
    height: Math.abs(by - ay),
  };
}

/**
 * The outline of an ink stroke as an SVG path, in CSS px of the page element. `points` are
 * the raw PDF points ([x, y] or [x, y, pressure]); `width` is in PDF points. Without real
 * pressure, perfect-freehand derives it from the speed of the line.
 */
export function inkPath(viewport, points, width, { complete = true } = {}) {
  if (points.length === 0) return "";
  const hasPressure = points.every((p) => p.length === 3);
  const screen = points.map((p) => {
    const [x, y] = toScreen(viewport, p[0], p[1]);
    return hasPressure ? [x, y, p[2]] : [x, y];
  });
  const outline = getStroke(screen, {
    // The stroke is `width` points wide at middle pressure, as the exported copy draws it.
    size: Math.max(1, width * viewport.scale),
    thinning: 0.5,
    smoothing: 0.5,
    streamline: 0.4,
    simulatePressure: !hasPressure,
    last: complete,
  });
  return outlinePath(outline);
}

/** A closed path through the outline's points, smoothed with quadratic curves. */
function outlinePath(outline) {
  if (outline.length < 2) return "";
  const f = (v) => v.toFixed(2);
  const [first] = outline;
  const parts = [`M${f(first[0])},${f(first[1])}`, "Q"];
  for (let i = 0; i < outline.length; i += 1) {
    const [x0, y0] = outline[i];
    const [x1, y1] = outline[(i + 1) % outline.length];
    parts.push(`${f(x0)},${f(y0)} ${f((x0 + x1) / 2)},${f((y0 + y1) / 2)}`);
  }
  parts.push("Z");
  return parts.join(" ");
}

/** A plain polyline through the points (the eraser's and the tap target's path). */
export function centrePath(viewport, points) {
  return points
    .map((p, i) => {
      const [x, y] = toScreen(viewport, p[0], p[1]);
      return `${i === 0 ? "M" : "L"}${x.toFixed(2)},${y.toFixed(2)}`;
    })
    .join(" ");
}

/**
 * The text boxes of a selection on the page, in PDF coordinates: the selection's client
 * rectangles that fall on the page element (`pageBox` its client rectangle), without
 * slivers, and at most `limit` of them.
 */
export function selectionRects(viewport, clientRects, pageBox, limit = 200) {
  const out = [];
  for (const r of clientRects) {
    if (r.width < 1 || r.height < 1) continue;
    const left = Math.max(0, r.left - pageBox.left);
    const top = Math.max(0, r.top - pageBox.top);
    const right = Math.min(pageBox.width, r.right - pageBox.left);
    const bottom = Math.min(pageBox.height, r.bottom - pageBox.top);
    if (right - left < 1 || bottom - top < 1) continue;
    const rect = rectToPdf(viewport, { left, top, right, bottom });
    if (rect[2] > rect[0] && rect[3] > rect[1]) out.push(rect);
    if (out.length === limit) break;
  }
  return out;
}
