// @ts-check
// The signed minutes over HTTP (docs/protocol.md, "HTTP API"): the versions, a generation
// as a job polled for its progress, signing, the file's address and the verification
// verdict on a PDF. Failures become ApiError with the server's code.

import { ApiError, send } from "./api.js";

const JOB_POLL_MS = 300; // how often a running generation is asked how far it is

function base(meetingId) {
  return `/api/meetings/${encodeURIComponent(meetingId)}/minutes`;
}

export function minutesFileUrl(meetingId, version) {
  return `${base(meetingId)}/${encodeURIComponent(version)}/file`;
}

/** {versions, layout?, job?}: chair and clerk also get the committee's layout and the job. */
export function listMinutes(meetingId) {
  return send("GET", base(meetingId));
}

/** Start a generation; resolves to the job (202) — or the one already running. */
export async function startGeneration(meetingId, { layout = null, number = null } = {}) {
  const body = {};
  if (layout) body.layout = layout;
  if (number !== null) body.number = number;
  const answer = await send("POST", base(meetingId), {
    json: body,
    headers: { Prefer: "respond-async" },
  });
  return answer.job;
}

/**
 * Poll a job until it ends; `onProgress(job)` after each answer. Resolves to the finished
 * job (state done or failed); `isCancelled()` stops the polling (resolves to null).
 */
export async function followJob(meetingId, jobId, { onProgress, isCancelled = () => false }) {
  const path = `${base(meetingId)}/jobs/${encodeURIComponent(jobId)}`;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, JOB_POLL_MS));
    if (isCancelled()) return null;
    const { job } = await send("GET", path, { headers: { "Cache-Control": "no-store" } });
    onProgress?.(job);
    if (job.state !== "running") return job;
  }
}

/** Sign as the person's role; `secret` is their password, or their token's PIN: every
 * signature asks again (docs/signing.md). */
export function signMinutes(meetingId, version, secret) {
  return send("POST", `${base(meetingId)}/${encodeURIComponent(version)}/sign`, {
    json: { secret },
  });
}

/** The verdict of `ecabinet minutes verify` on a PDF (a Blob or File). */
export function verifyPdf(blob) {
  return send("POST", "/api/minutes/verify", {
    body: blob,
    headers: { "Content-Type": "application/pdf" },
  });
}

/** Fetch a version's file and have the server verify it. */
export async function verifyVersion(meetingId, version) {
  let response;
  try {
    response = await fetch(minutesFileUrl(meetingId, version), { credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (!response.ok) {
    const code = response.status === 404 ? "not-found" : "internal";
    throw new ApiError(response.status, code, "");
  }
  return verifyPdf(await response.blob());
}
