// The administrator's people endpoints (docs/protocol.md, "HTTP API" and "Importing
// people"). Errors are ApiError with the server's code; `data` carries a refusal's details
// (an import's rows, or why a file was refused).

import { ApiError } from "./api.js";

export async function send(method, path, { json, csv, encoding } = {}) {
  const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (csv !== undefined) {
    init.headers["Content-Type"] = "text/csv";
    init.body = csv;
  }
  const url = encoding ? `${path}?encoding=${encodeURIComponent(encoding)}` : path;
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (response.status === 204) return null;
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = payload?.error ?? {};
    const fallback = response.status === 401 ? "unauthenticated" : "internal";
    const failure = new ApiError(response.status, error.code ?? fallback, error.message ?? "");
    failure.data = error.data ?? null;
    throw failure;
  }
  return payload;
}

const user = (id) => `/api/users/${encodeURIComponent(id)}`;

export const peopleApi = {
  list: () => send("GET", "/api/users"),
  /** {username, display_name, title, unit, is_admin} → {user, password} (generated). */
  create: (person) => send("POST", "/api/users", { json: person }),
  edit: (id, changes) => send("PATCH", user(id), { json: changes }),
  setActive: (id, active) => send("PUT", `${user(id)}/active`, { json: { active } }),
  resetPassword: (id) => send("POST", `${user(id)}/password-reset`, { json: {} }),
  endSessions: (id) => send("DELETE", `${user(id)}/sessions`),
  /** `file`: a File or Blob, sent as it is (the server decodes it). */
  previewImport: (file, encoding) =>
    send("POST", "/api/users/import/preview", { csv: file, encoding }),
  importPeople: (file, encoding) => send("POST", "/api/users/import", { csv: file, encoding }),
};
