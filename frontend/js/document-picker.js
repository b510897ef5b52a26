// @ts-check
// The viewer's list of documents and, for the chair and the clerk, the upload: the current
// item's documents first, then the others; a new document for the whole meeting or for an
// agenda item; a new version of the document on screen (it keeps the title members know).
//
// Contract: {el, update(model, shownDocId), showReplace(model, doc), close()}. Only the
// newest version of each document is listed. A tap on a document calls openDocument(id).
// While an upload runs, the upload buttons are disabled and `onUploading` is called at its
// start and end so the viewer redraws them. The item list is left alone while it has focus.

import { agendaRows } from "./agenda-state.js";
import { uploadDocument } from "./documents-api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { documentList, numberOfItem } from "./meeting-state.js";
import { notify } from "./notices.js";

const EDITORS = new Set(["chair", "clerk"]);

/** @typedef {import("../types/room.js").RoomModel} RoomModel */
/** @typedef {import("../types/room.js").MeetingDocument} MeetingDocument */

/**
 * @param {object} options
 * @param {number} options.meetingId
 * @param {(docId: number) => void} options.openDocument
 * @param {() => number | null} options.shownDocId the document on screen (the one replaced)
 * @param {() => RoomModel} options.model
 * @param {() => void} options.onUploading an upload started or ended
 */
export function createDocumentPicker({ meetingId, openDocument, shownDocId, model, onUploading }) {
  let uploading = false;

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
      uploadInput.dataset.replaces = String(shownDocId() ?? "");
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

  const el = h(
    "details",
    { class: "doc-picker", open: true, dataset: { testid: "doc-picker" } },
    h("summary", { class: "doc-picker-summary" }, docsHeading),
    itemHeading,
    itemDocs,
    allHeading,
    allDocs,
    docsEmpty,
    uploadRow,
  );

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
    onUploading();
    try {
      await uploadDocument(meetingId, file, {
        // A new version keeps the title members know it by.
        title: replaces !== null ? (model().state.documents[replaces]?.title ?? null) : null,
        itemId,
        replacesId: replaces,
        onProgress: (/** @type {number} */ fraction) => {
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
      onUploading();
    }
  }

  /** @param {MeetingDocument} doc @param {number | null} openId */
  function docButton(doc, openId) {
    const open = openId === doc.id;
    return h(
      "button",
      {
        type: "button",
        class: `doc-button${open ? " is-open" : ""}`,
        dataset: { testid: "document", documentId: String(doc.id) },
        "aria-pressed": String(open),
        onclick: () => openDocument(doc.id),
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

  /** @param {RoomModel} room @param {number | null} openId the document on screen */
  function update(room, openId) {
    const state = room.state;
    const current = documentList(state).filter((d) => d.replaced_by === null);
    const item =
      state.agenda.currentId !== null ? state.agenda.items[state.agenda.currentId] : null;
    const forItem = item
      ? current.filter((d) => d.item_id === item.id || item.document_ids.includes(d.id))
      : [];
    const others = current.filter((d) => !forItem.includes(d));
    const button = (/** @type {MeetingDocument} */ doc) => docButton(doc, openId);
    setText(docsHeading, t("viewer.documents", { count: current.length }));
    replaceChildren(itemDocs, forItem.map(button));
    itemDocs.hidden = forItem.length === 0;
    itemHeading.hidden = forItem.length === 0;
    if (item)
      setText(
        itemHeading,
        t("viewer.itemDocuments", { number: numberOfItem(state, item.id) ?? "" }),
      );
    allHeading.hidden = forItem.length === 0 || others.length === 0;
    setText(allHeading, t("viewer.otherDocuments"));
    replaceChildren(allDocs, others.map(button));
    docsEmpty.hidden = current.length > 0;
    setText(docsEmpty, t("viewer.noDocuments"));

    const editor = EDITORS.has(room.you?.role);
    uploadRow.hidden = !editor || state.status === "ended";
    setText(uploadButton, t("viewer.upload"));
    uploadButton.disabled = uploading || room.connection !== "live";
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

  /** "New version" of the document on screen: for an editor, while the meeting is not
   * over and the document is the newest version. @param {RoomModel} room
   * @param {MeetingDocument | null} doc */
  function showReplace(room, doc) {
    setText(replaceButton, t("viewer.newVersion"));
    replaceButton.hidden =
      !doc ||
      !EDITORS.has(room.you?.role) ||
      room.state.status === "ended" ||
      doc.replaced_by !== null;
    replaceButton.disabled = uploading || room.connection !== "live";
  }

  return {
    el,
    update,
    showReplace,
    /** Fold the list away: the page gets the room; the list is one tap away. */
    close() {
      el.open = false;
    },
  };
}
