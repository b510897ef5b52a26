// The JSON API over fetch: the session is the HttpOnly cookie; errors become ApiError
// with the server's stable code (or `network` when the server cannot be reached).

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

async function request(method, path, body) {
  const init = {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
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
    throw new ApiError(response.status, error.code ?? fallback, error.message ?? "");
  }
  return payload;
}

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
