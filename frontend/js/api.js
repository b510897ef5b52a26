// @ts-check
// The JSON API over fetch: the session is the HttpOnly cookie; errors become ApiError
// with the server's stable code (or `network` when the server cannot be reached).

export class ApiError extends Error {
  /** @param {number} status HTTP status, 0 without an answer @param {string} code
   * @param {string} message */
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
    /** @type {any} a refusal's details, when the server gives them (`error.data`) */
    this.data = null;
  }
}

/** One call of the API: a JSON body (`json`), a CSV one (`csv`) or any other (`body`, its
 * Content-Type among `headers`); resolves to the answer's JSON (null for 204). A refusal is
 * an ApiError whose `data` carries its details.
 * @param {string} method @param {string} path
 * @param {{json?: unknown, csv?: BodyInit, body?: BodyInit, headers?: Record<string, string>}} [parts] */
export async function send(method, path, { json, csv, body, headers = {} } = {}) {
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", ...headers },
  };
  if (json !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (csv !== undefined) {
    init.headers["Content-Type"] = "text/csv";
    init.body = csv;
  } else if (body !== undefined) {
    init.body = body;
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, "network", "");
  }
  if (response.status === 204) return null;
  let payload;
  try {
    payload = await response.json();
  } catch {
    payload = null;
  }
  if (!response.ok) {
    const error = payload?.error ?? {};
    const fallback = response.status === 401 ? "unauthenticated" : "internal";
    const failure = new ApiError(response.status, error.code ?? fallback, error.message ?? "");
    // A refusal's details (people-import.js reads the rows of a refused file).
    failure.data = error.data ?? null;
    throw failure;
  }
  return payload;
}

const request = (method, path, body) => send(method, path, { json: body });

export const api = {
  login: (username, password) => request("POST", "/api/login", { username, password }),
  logout: () => request("POST", "/api/logout"),
  me: () => request("GET", "/api/me"),
  meetings: () => request("GET", "/api/meetings"),
  meeting: (id) => request("GET", `/api/meetings/${encodeURIComponent(id)}`),
  /** An event that does not match the hash chain: {seq, expected, computed} → null. */
  reportChainMismatch: (id, report) =>
    request("POST", `/api/meetings/${encodeURIComponent(id)}/integrity-reports`, report),
};
