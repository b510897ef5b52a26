// @ts-check
// Hash routes: #/login, #/meetings, #/meetings/<id>, #/admin/people. Anything else is
// "not-found".

const ROUTES = [
  { name: "login", pattern: /^#\/login$/ },
  { name: "meetings", pattern: /^#\/meetings$/ },
  { name: "room", pattern: /^#\/meetings\/([1-9]\d{0,15})$/, params: ["meetingId"] },
  { name: "adminPeople", pattern: /^#\/admin\/people$/ },
  { name: "adminMeetings", pattern: /^#\/admin\/meetings$/ },
  { name: "adminCommittees", pattern: /^#\/admin\/committees$/ },
  // The room display (projector); `?key=` is a display link's token (display-view.js).
  { name: "display", pattern: /^#\/display\/([1-9]\d{0,15})(?:\?[^#]*)?$/, params: ["meetingId"] },
];

export const PEOPLE_ROUTE = "#/admin/people";
export const MEETINGS_ADMIN_ROUTE = "#/admin/meetings";

export const COMMITTEES_ROUTE = "#/admin/committees";

export const DEFAULT_ROUTE = "#/meetings";

export function parseRoute(hash) {
  const value = hash === "" || hash === "#" || hash === "#/" ? DEFAULT_ROUTE : hash;
  for (const route of ROUTES) {
    const match = route.pattern.exec(value);
    if (match) {
      const params = {};
      (route.params ?? []).forEach((name, i) => {
        params[name] = Number(match[i + 1]);
      });
      return { name: route.name, hash: value, params };
    }
  }
  return { name: "not-found", hash: value, params: {} };
}

export function meetingHash(meetingId) {
  return `#/meetings/${meetingId}`;
}

/** Go to `hash`; `onRoute` runs through the hashchange listener (or now, if unchanged). */
export function navigate(hash, { replace = false } = {}) {
  if (window.location.hash === hash) {
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else if (replace) {
    window.history.replaceState(null, "", hash);
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  } else {
    window.location.hash = hash;
  }
}

export function onRoute(handler) {
  const run = () => handler(parseRoute(window.location.hash));
  window.addEventListener("hashchange", run);
  return run;
}
