// @ts-check
// Meeting documents over HTTP: the file's address (optionally a copy watermarked with the
// reader's name) and the upload (the raw PDF body, with progress).

import { ApiError } from "./api.js";

/** @param {number} meetingId @param {number} documentId
 * @param {{watermark?: boolean}} [options] */
export function documentUrl(meetingId, documentId, { watermark = false } = {}) {
  const base = `/api/meetings/${encodeURIComponent(meetingId)}/documents/${encodeURIComponent(documentId)}/file`;
  return watermark ? `${base}?watermark=1` : base;
}

/**
 * Upload a PDF; resolves to {document, seq}. `onProgress(fraction)` follows the bytes sent
 * (XMLHttpRequest, since fetch cannot report upload progress). Failures become ApiError.
 * @param {number} meetingId
 * @param {File} file
 * @param {object} [options]
 * @param {string | null} [options.title]
 * @param {number | null} [options.itemId]
 * @param {number | null} [options.replacesId]
 * @param {(fraction: number) => void} [options.onProgress]
 * @returns {Promise<any>}
 */
export function uploadDocument(
  meetingId,
  file,
  { title = null, itemId = null, replacesId = null, onProgress } = {},
) {
  const query = new URLSearchParams();
  if (title) query.set("title", title);
  if (itemId !== null) query.set("item_id", String(itemId));
  if (replacesId !== null) query.set("replaces_id", String(replacesId));
  const url = `/api/meetings/${encodeURIComponent(meetingId)}/documents${query.size ? `?${query}` : ""}`;
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/pdf");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-File-Name", encodeURIComponent(file.name));
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress?.(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      let payload;
      try {
        payload = JSON.parse(xhr.responseText);
      } catch {
        payload = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress?.(1);
        resolve(payload);
        return;
      }
      const fallback =
        xhr.status === 401 ? "unauthenticated" : xhr.status === 413 ? "too-large" : "internal";
      reject(
        new ApiError(xhr.status, payload?.error?.code ?? fallback, payload?.error?.message ?? ""),
      );
    });
    xhr.addEventListener("error", () => reject(new ApiError(0, "network", "")));
    xhr.addEventListener("abort", () => reject(new ApiError(0, "network", "")));
    xhr.send(file);
  });
}
