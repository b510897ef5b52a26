// @ts-check
// The sign-in page: user name and password, errors by their server code.

import { api, ApiError } from "./api.js";
import { h, setText } from "./dom.js";
import { errorText, t } from "./i18n.js";

export function createLoginView(context) {
  const title = h("h1", { class: "page-title" });
  const intro = h("p", { class: "login-intro" });
  const usernameLabel = h("label", { for: "login-username" });
  const username = h("input", {
    id: "login-username",
    name: "username",
    type: "text",
    autocomplete: "username",
    autocapitalize: "none",
    autocorrect: "off",
    spellcheck: "false",
    required: true,
    maxlength: "64",
  });
  const passwordLabel = h("label", { for: "login-password" });
  const password = h("input", {
    id: "login-password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
    maxlength: "256",
  });
  const error = h("p", { class: "form-error", role: "alert", dataset: { testid: "login-error" } });
  const submit = h("button", { type: "submit", class: "btn btn-primary btn-block" });
  const form = h(
    "form",
    { class: "login-form", novalidate: true, onsubmit: (e) => onSubmit(e) },
    h("div", { class: "field" }, usernameLabel, username),
    h("div", { class: "field" }, passwordLabel, password),
    error,
    submit,
  );
  const el = h(
    "section",
    { class: "page page-login" },
    h("div", { class: "card login-card" }, title, intro, form),
  );

  let busy = false;
  let errorCode = null; // kept as a code so that a language switch re-translates it

  function render() {
    setText(title, t("login.title"));
    setText(intro, t("login.intro"));
    setText(usernameLabel, t("login.username"));
    setText(passwordLabel, t("login.password"));
    setText(submit, busy ? t("login.busy") : t("login.submit"));
    submit.disabled = busy;
    setText(
      error,
      errorCode === null ? "" : errorCode === "missing" ? t("login.missing") : errorText(errorCode),
    );
    error.hidden = errorCode === null;
  }

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    const name = username.value.trim();
    if (name === "" || password.value === "") {
      errorCode = "missing";
      render();
      (name === "" ? username : password).focus();
      return;
    }
    busy = true;
    errorCode = null;
    render();
    try {
      const { user } = await api.login(name, password.value);
      password.value = "";
      context.signedIn(user);
    } catch (err) {
      errorCode = err instanceof ApiError ? err.code : "internal";
      busy = false;
      render();
      password.select();
    }
  }

  setTimeout(() => username.focus(), 0);
  return { el, render, destroy() {} };
}
