// @ts-check
// The administrator's people endpoints (docs/protocol.md, "HTTP API" and "Importing
// people"). Errors are ApiError with the server's code; `data` carries a refusal's details
// (an import's rows, or why a file was refused).

import { send as sendJson } from "./api.js";

/** api.js's `send`, with the CSV's `encoding` as a query parameter. */
/** @param {string} method @param {string} path
 * @param {{json?: unknown, csv?: BodyInit, encoding?: string}} [body] */
export function send(method, path, { json, csv, encoding } = {}) {
  const url = encoding ? `${path}?encoding=${encodeURIComponent(encoding)}` : path;
  return sendJson(method, url, { json, csv });
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
