// @ts-check
// Annotations in the viewer: ties the tools, the layer over the page, live ink and the
// commands together. State arrives only through the room's model (the fold); the screen
// shows a stroke of one's own as drawn until its `annotation.created` replaces it, and
// nothing else changes before the server says so.
//
// Created by the viewer panel with its PdfView; `update(model, documentId)` after every
// change of the model or of the page on screen, `onEphemeral` for `ink` messages.

import { markDialog } from "./annotation-dialog.js";
import { createEdits } from "./annotation-edits.js";
import { History } from "./annotation-history.js";
import { selectionRects } from "./annotation-geometry.js";
import { createAnnotationLayer } from "./annotation-layer.js";
import { LiveSender, LiveStrokes } from "./annotation-live.js";
import { markCreatedAt, marksOnPage } from "./annotation-state.js";
import { PALETTES, WIDTHS, createAnnotationToolbar } from "./annotation-toolbar.js";
import { createVersionNotice } from "./annotation-versions.js";
import { errorText, t } from "./i18n.js";
import { displayName } from "./meeting-state.js";
import { notify } from "./notices.js";

const INK_POINTS_MAX = 2500; // keeps one stroke's command well under the 64 KiB limit
const PRUNE_EVERY_MS = 2000;
const LINE_SHARE_MAX = 0.1; // a highlighted box taller than this share of the page is no line

function thin(points) {
  if (points.length <= INK_POINTS_MAX) return points;
  const step = points.length / INK_POINTS_MAX;
  const out = [];
  for (let i = 0; i < INK_POINTS_MAX - 1; i += 1) out.push(points[Math.floor(i * step)]);
  out.push(points[points.length - 1]);
  return out;
}

export function createAnnotations({ link, meetingId, pdf, openDocument }) {
  let model = null;
  let documentId = null;
  let tool = "none";
  let marking = false; // the tools are open
  const colors = { ink: PALETTES.ink[0], highlight: PALETTES.highlight[0], note: PALETTES.note[0] };
  let width = WIDTHS[1];
  let sharedChoice = null; // null: the default (shared for the presenter)
  let includeShared = false;
  let selectionReady = false;
  const history = new History();
  const pending = []; // this tablet's strokes sent and not yet stored
  const seqWaiters = []; // {seq, resolve}
  const live = new LiveStrokes();
  const sender = new LiveSender((data) => link.sendEphemeral("ink", data));
  let stroke = null; // {document_id, page, shared} of the stroke being drawn

  const layer = createAnnotationLayer({
    strokeStart() {
      const shared = isShared();
      stroke = { document_id: documentId, page: pdf.pageNumber, shared };
      if (shared)
        sender.begin({ document_id: documentId, page: pdf.pageNumber, color: colors.ink, width });
    },
    strokePoint(point) {
      if (stroke?.shared) sender.add(point);
    },
    strokeEnd(points) {
      sender.end();
      const drawn = stroke;
      stroke = null;
      if (drawn && points.length > 0) void finishStroke(drawn, points);
    },
    erase: (id) => void edits.erase(id),
    noteAt: (point) => void newNote(point),
    markTap: (id) => void edits.openMark(id),
    noteTap: (id) => void edits.openMark(id),
  });
  pdf.pageEl.append(layer.el);

  function setTool(next) {
    tool = next;
    layer.setTool(next);
    pdf.pageEl.dataset.annTool = next;
  }

  const toolbar = createAnnotationToolbar({
    marking(open) {
      marking = open;
      setTool(open ? "ink" : "none");
      render();
    },
    tool(next) {
      setTool(next);
      render();
    },
    color(hex) {
      if (tool in colors) colors[tool] = hex;
      render();
    },
    width(points) {
      width = points;
      render();
    },
    shared(value) {
      sharedChoice = value;
      render();
    },
    undo: () => void edits.step("undo"),
    redo: () => void edits.step("redo"),
    applyHighlight: () => void highlightSelection(),
    includeShared(value) {
      includeShared = value;
      render();
    },
  });

  const versions = createVersionNotice({ openDocument });
  const edits = createEdits({
    link,
    history,
    items,
    me,
    canWrite,
    create,
    refused,
    ownerName: (id) => displayName(model.state, id) ?? t("person.unknown", { id }),
    render: () => render(),
  });

  // --- who and what -------------------------------------------------------------------
  function me() {
    return model?.you?.user_id ?? null;
  }

  function items() {
    return model?.state?.annotations ?? {};
  }

  function isShared() {
    if (sharedChoice !== null) return sharedChoice;
    return model?.state?.presenting.presenterId === me();
  }

  function canWrite() {
    return model?.connection === "live" && documentId !== null && pdf.doc !== null;
  }

  function refused(ack) {
    const code = ack?.error?.code ?? "internal";
    notify(code === "conflict" ? t("ann.conflict") : errorText(code), "error");
  }

  /** Resolves once the model has folded the event at `seq`. */
  function whenSeq(seq) {
    if ((model?.state?.seq ?? 0) >= seq) return Promise.resolve();
    return new Promise((resolve) => seqWaiters.push({ seq, resolve }));
  }

  /** Send `annotation.create`; resolves to the new mark's id (null when refused). */
  async function create(data) {
    const ack = await link.command("annotation.create", data);
    if (!ack?.ok) {
      refused(ack);
      return null;
    }
    await whenSeq(ack.seq);
    return markCreatedAt(items(), ack.seq)?.annotation_id ?? null;
  }

  // --- drawing ------------------------------------------------------------------------
  async function finishStroke(drawn, points) {
    const entry = { ...drawn, points: thin(points), color: colors.ink, width };
    pending.push(entry);
    draw();
    const drawing = {
      document_id: entry.document_id,
      page: entry.page,
      kind: "ink",
      points: entry.points,
      color: entry.color,
      width: entry.width,
    };
    const id = await create({ ...drawing, shared: entry.shared });
    pending.splice(pending.indexOf(entry), 1);
    if (id !== null) history.record({ op: "create", id, drawing, shared: entry.shared });
    render();
  }

  async function newNote(anchor) {
    if (!canWrite()) return;
    const page = pdf.pageNumber;
    const docId = documentId;
    const answer = await markDialog({ mark: null, mine: true, kind: "note" });
    if (answer?.action !== "save") return;
    const drawing = {
      document_id: docId,
      page,
      kind: "note",
      text: answer.text,
      anchor,
      color: colors.note,
    };
    const shared = isShared();
    const id = await create({ ...drawing, shared });
    if (id !== null) history.record({ op: "create", id, drawing, shared });
    render();
  }

  /** The text selected on the page on screen, or null. */
  function pageSelection() {
    const selection = window.getSelection();
    const node = selection?.anchorNode;
    return selection && !selection.isCollapsed && node && pdf.pageEl.contains(node)
      ? selection
      : null;
  }

  async function highlightSelection() {
    const selection = pageSelection();
    if (!canWrite() || !selection || !pdf.viewport) return;
    const box = pdf.pageEl.getBoundingClientRect();
    const clientRects = [];
    for (let i = 0; i < selection.rangeCount; i += 1) {
      clientRects.push(...selection.getRangeAt(i).getClientRects());
    }
    const seen = new Set();
    // Lines of text, not the text layer's own boxes that a selection may sweep in.
    const tallest = (box.height * LINE_SHARE_MAX) / pdf.viewport.scale;
    const rects = selectionRects(pdf.viewport, clientRects, box).filter((r) => {
      const key = r.join();
      if (seen.has(key) || r[3] - r[1] > tallest) return false;
      seen.add(key);
      return true;
    });
    selection.removeAllRanges();
    selectionReady = false;
    if (rects.length === 0) return;
    const drawing = {
      document_id: documentId,
      page: pdf.pageNumber,
      kind: "highlight",
      rects,
      color: colors.highlight,
    };
    const shared = isShared();
    const id = await create({ ...drawing, shared });
    if (id !== null) history.record({ op: "create", id, drawing, shared });
    render();
  }

  function onSelectionChange() {
    const ready = pageSelection() !== null;
    if (ready !== selectionReady) {
      selectionReady = ready;
      render();
    }
  }
  document.addEventListener("selectionchange", onSelectionChange);
  // With a mouse, letting go of a selection highlights it at once; on a touch screen the
  // selection is adjusted with its handles first, then "Highlight" is tapped.
  pdf.pageEl.addEventListener("pointerup", (event) => {
    if (tool === "highlight" && event.pointerType === "mouse") {
      setTimeout(() => void highlightSelection(), 0);
    }
  });

  // --- live ink of the others ---------------------------------------------------------
  function onEphemeral(payload) {
    if (payload?.kind !== "ink" || payload.user_id === me()) return;
    const extended = live.receive(payload.user_id, payload.data);
    if (extended && extended.document_id === documentId && extended.page === pdf.pageNumber)
      drawLive();
  }

  const pruner = setInterval(() => {
    if (live.prune()) drawLive();
  }, PRUNE_EVERY_MS);

  function drawLive() {
    layer.drawLive(live.onPage(documentId, pdf.pageNumber), pendingOnPage());
  }

  function pendingOnPage() {
    return pending.filter((p) => p.document_id === documentId && p.page === pdf.pageNumber);
  }

  // --- rendering ----------------------------------------------------------------------
  let drawn = null; // what the layer shows: [marks, document, page, viewport, viewer]

  function draw() {
    const visible = documentId !== null && pdf.viewport && pdf.key === documentId;
    if (!visible) {
      drawn = null;
      layer.draw({ viewport: null });
      return;
    }
    layer.setPen({ color: colors.ink, width });
    // The room re-renders on every event; the page's marks change only with their own.
    const scene = [items(), documentId, pdf.pageNumber, pdf.viewport, me()];
    if (drawn && scene.every((part, i) => part === drawn[i])) {
      drawLive();
      return;
    }
    drawn = scene;
    const marks = marksOnPage(items(), documentId, pdf.pageNumber, me());
    for (const mark of marks) live.settle(mark);
    layer.draw({
      viewport: pdf.viewport,
      marks,
      me: me(),
      nameOf: (id) => displayName(model.state, id) ?? t("person.unknown", { id }),
      live: live.onPage(documentId, pdf.pageNumber),
      pending: pendingOnPage(),
    });
  }

  function downloadHref() {
    if (documentId === null) return "";
    const base = `/api/meetings/${encodeURIComponent(meetingId)}/documents/${encodeURIComponent(documentId)}/annotated`;
    return includeShared ? `${base}?shared=1` : base;
  }

  function render() {
    if (!model?.state) return;
    const open = documentId !== null && pdf.doc !== null;
    const doc = documentId !== null ? model.state.documents[documentId] : null;
    toolbar.update({
      visible: open,
      marking,
      enabled: canWrite(),
      tool,
      palette: PALETTES[tool] ?? [],
      color: colors[tool],
      width,
      shared: isShared(),
      canUndo: history.canUndo(),
      canRedo: history.canRedo(),
      selectionReady,
      downloadHref: downloadHref(),
      downloadName: doc ? `${doc.filename.replace(/\.pdf$/i, "")} (ghi chu).pdf` : "",
      includeShared,
      hint: tool === "highlight" ? t("ann.hint.highlight") : "",
    });
    versions.banner(model.state, items(), me(), documentId);
    draw();
  }

  function update(nextModel, docId) {
    model = nextModel;
    documentId = docId;
    if (!model?.state) return;
    if (model.connection !== "live") live.clear();
    versions.watch(model.state, items(), me());
    for (let i = seqWaiters.length - 1; i >= 0; i -= 1) {
      if (model.state.seq >= seqWaiters[i].seq) {
        seqWaiters[i].resolve();
        seqWaiters.splice(i, 1);
      }
    }
    if (!layer.drawing()) render();
  }

  return {
    toolbarEl: toolbar.el,
    noticeEl: versions.el,
    update,
    onEphemeral,
    /** A fresh snapshot: forget what was seen of the versions (no notice for old news). */
    reset() {
      versions.reset();
    },
    destroy() {
      clearInterval(pruner);
      sender.end();
      document.removeEventListener("selectionchange", onSelectionChange);
      for (const waiter of seqWaiters) waiter.resolve();
    },
  };
}
