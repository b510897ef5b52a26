// @ts-check
// Entry point: who is signed in, which view is shown, and the language of the page.
// Views are created per route and destroyed on leaving it; each gets a small context
// (the user, navigation, sign-out) instead of reaching for globals.

import { createCommitteesView } from "./admin-committees.js";
import { createMeetingsAdminView } from "./admin-meetings.js";
import { createPeopleView } from "./admin-people.js";
import { api, ApiError } from "./api.js";
import { createHeader } from "./header.js";
import { errorText, lang, onLangChange, t } from "./i18n.js";
import { createDisplayView } from "./display-view.js";
import { createLoginView } from "./login-view.js";
import { createMeetingsView } from "./meetings-view.js";
import { createMessageView } from "./message-view.js";
import { clearNotices, initNotices, notify } from "./notices.js";
import { createRoomView } from "./room-view.js";
import { DEFAULT_ROUTE, navigate, onRoute } from "./router.js";

const viewRoot = document.getElementById("view");
const headerRoot = document.getElementById("app-header");
initNotices(document.getElementById("notices"));

let user = null; // {id, username, display_name, is_admin} once signed in
let view = null; // the mounted view: {el, render(), destroy()}
let afterSignIn = DEFAULT_ROUTE; // where to go once signed in

const header = createHeader({ onSignOut: signOut });
headerRoot.append(header.el);

function applyLanguage() {
  document.documentElement.lang = lang();
  document.title = t("app.name");
  header.render();
  view?.render();
}

const context = {
  get user() {
    return user;
  },
  navigate,
  signedIn(nextUser) {
    user = nextUser;
    header.setUser(user);
    const target = afterSignIn;
    afterSignIn = DEFAULT_ROUTE;
    navigate(target, { replace: true });
  },
  /** The session is gone (expired, ended elsewhere): back to sign-in, with a word why. */
  sessionEnded() {
    if (user === null) return;
    user = null;
    header.setUser(null);
    afterSignIn = window.location.hash || DEFAULT_ROUTE;
    notify(t("login.sessionEnded"), "info");
    navigate("#/login", { replace: true });
  },
  /** Handle an API failure the same way everywhere: 401 → sign-in, else a notice. */
  apiFailed(error) {
    if (error instanceof ApiError && error.code === "unauthenticated") context.sessionEnded();
    else notify(errorText(error instanceof ApiError ? error.code : "internal"), "error");
  },
};

async function signOut() {
  try {
    await api.logout();
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "unauthenticated")) {
      context.apiFailed(error);
      return;
    }
  }
  user = null;
  header.setUser(null);
  clearNotices();
  navigate("#/login", { replace: true });
}

function mount(nextView) {
  view?.destroy();
  view = nextView;
  viewRoot.replaceChildren(view.el);
  view.render();
}

function show(route) {
  if (route.name === "display") {
    // The projector signs in with its link, not as a person (display-view.js).
    mount(createDisplayView(context, route.params.meetingId));
    return;
  }
  if (user === null && route.name !== "login") {
    afterSignIn = route.name === "not-found" ? DEFAULT_ROUTE : route.hash;
    navigate("#/login", { replace: true });
    return;
  }
  if (user !== null && route.name === "login") {
    navigate(DEFAULT_ROUTE, { replace: true });
    return;
  }
  switch (route.name) {
    case "login":
      mount(createLoginView(context));
      break;
    case "meetings":
      mount(createMeetingsView(context));
      break;
    case "room":
      mount(createRoomView(context, route.params.meetingId));
      break;
    case "adminPeople":
      mount(user.is_admin ? createPeopleView(context) : createMessageView(context, "admin.onlyAdmins"));
      break;
    case "adminMeetings":
      // Administrators, and committees' clerks for their committees (the view asks).
      mount(createMeetingsAdminView(context));
      break;
    case "adminCommittees":
      // Administrators, and committees' clerks for their minutes profiles (the view asks).
      mount(createCommitteesView(context));
      break;
    default:
      mount(createMessageView(context, "route.notFound"));
  }
}

async function boot() {
  applyLanguage();
  onLangChange(applyLanguage);
  try {
    user = (await api.me()).user;
  } catch (error) {
    if (!(error instanceof ApiError && error.code === "unauthenticated")) {
      notify(errorText(error instanceof ApiError ? error.code : "internal"), "error");
    }
    user = null;
  }
  header.setUser(user);
  const run = onRoute(show);
  run();
}

boot();
