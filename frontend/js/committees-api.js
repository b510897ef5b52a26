// @ts-check
// The committee endpoints of the back office (docs/protocol.md, "Committees in the back
// office"). Errors are ApiError with the server's code and message.

import { send } from "./api.js";

const committee = (id) => `/api/committees/${encodeURIComponent(id)}`;

export const PREVIEW_PATH = "/api/committees/minutes-preview";
// The header texts of a profile that the preview draws (ecabinet/minutes/profile.py).
const PREVIEW_FIELDS = ["layout", "superior_body", "official_name", "abbreviation", "place"];

export const committeesApi = {
  /** → {committees, kinds}: every committee for an administrator, those one clerks else. */
  list: () => send("GET", "/api/committees"),
  /** {name, kind, quorum, member_ids, profile} → {committee}; all or nothing. */
  create: (body) => send("POST", "/api/committees", { json: body }),
  /** Some of {name, kind, quorum, member_ids, profile} → {committee}; all or nothing. */
  edit: (id, changes) => send("PATCH", committee(id), { json: changes }),
  /** The whole minutes profile (a committee's clerk may save it too) → {profile}. */
  saveProfile: (id, profile) => send("PUT", `${committee(id)}/minutes-profile`, { json: profile }),
};

/** The address of the preview page for a committee's name, kind and profile (unsaved). */
export function previewUrl(name, kind, profile) {
  const query = new URLSearchParams();
  if (name) query.set("name", name);
  query.set("kind", kind);
  for (const key of PREVIEW_FIELDS) {
    if (profile[key]) query.set(key, profile[key]);
  }
  return `${PREVIEW_PATH}?${query}`;
}
