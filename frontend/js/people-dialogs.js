// @ts-check
// The dialogs of the people back office: a person's form (add or edit, with the account's
// actions when editing) and the one-time display of a generated password.

import { ApiError } from "./api.js";
import { h, setText } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { peopleApi } from "./people-api.js";

const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;
const TEXT_MAX = 200; // full name, title, unit (ecabinet/auth/users.py)

function field(labelText, control, testid, hint = null) {
  return h(
    "label",
    { class: "field", dataset: { testid } },
    h("span", { class: "field-label" }, labelText),
    control,
    hint ? h("span", { class: "field-hint" }, hint) : null,
  );
}

function input(value, testid, extra = {}) {
  return h("input", {
    type: "text",
    class: "input",
    maxlength: String(TEXT_MAX),
    value: value ?? "",
    dataset: { testid },
    ...extra,
  });
}

/** Copy `text`: the Clipboard API where the page is a secure context, else the old way
 * through a selected field (a LAN address over plain http has no Clipboard API). */
export async function copyText(text, fallbackField = null) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = fallbackField ?? h("textarea", { class: "copy-buffer", readonly: true });
    if (!fallbackField) {
      area.value = text;
      document.body.append(area);
    }
    area.select();
    const ok = document.execCommand("copy");
    if (!fallbackField) area.remove();
    return ok;
  }
}

function copyButton(getText, testid, label = t("people.copy"), fallbackField = null) {
  const button = h("button", {
    type: "button",
    class: "btn btn-secondary",
    dataset: { testid },
    onclick: async () => {
      if (await copyText(getText(), fallbackField)) setText(button, t("people.copied"));
    },
  });
  setText(button, label);
  return button;
}

/** Show a generated password once; resolves when the administrator closes the dialog.
 * @returns {Promise<void>} */
export function passwordDialog({ name, username, password }) {
  return new Promise((resolve) => {
    const value = h("input", {
      type: "text",
      class: "input password-value",
      readonly: true,
      value: password,
      "aria-label": t("people.password.password"),
      dataset: { testid: "new-password" },
    });
    const done = h(
      "button",
      { type: "button", class: "btn btn-primary", dataset: { testid: "password-done" } },
      t("people.password.done"),
    );
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "password-title", dataset: { testid: "password-dialog" } },
      h("h2", { class: "dialog-title", id: "password-title" }, t("people.password.title", { name })),
      h("p", { class: "once-warning", role: "note" }, t("people.password.once")),
      h(
        "dl",
        { class: "password-facts" },
        h("dt", {}, t("people.password.username")),
        h("dd", { class: "mono" }, username),
        h("dt", {}, t("people.password.password")),
        h("dd", { class: "password-row" }, value, copyButton(() => password, "copy-password", undefined, value)),
      ),
      h("div", { class: "dialog-actions" }, done),
    );
    done.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      value.value = "";
      dialog.remove();
      resolve();
    });
    document.body.append(dialog);
    dialog.showModal();
    value.focus();
    value.select();
  });
}

/**
 * Add (`person` null) or edit a person. The form saves through the API itself, so a
 * refusal shows in the dialog; resolves to {user, password?} once saved, or null.
 * Editing also offers the account's actions: `onAction(kind, person)` with kind
 * "reset" | "end" | "active", resolving to the person as they are afterwards (or null).
 */
export function personDialog({ person = null, selfId = null, onAction = null }) {
  const editing = person !== null;
  return new Promise((resolve) => {
    let answer = null;
    let current = person;
    const username = input(person?.username, "person-username", {
      maxlength: "64",
      autocapitalize: "none",
      autocomplete: "off",
      spellcheck: "false",
      required: !editing,
      disabled: editing,
    });
    const fullName = input(person?.display_name, "person-name", { required: true });
    const title = input(person?.title, "person-title");
    const unit = input(person?.unit, "person-unit");
    const isAdmin = h("input", { type: "checkbox", dataset: { testid: "person-admin" } });
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const save = h(
      "button",
      { type: "submit", class: "btn btn-primary", dataset: { testid: "person-save" } },
      editing ? t("people.save") : t("people.create"),
    );
    const cancel = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "person-cancel" } },
      editing ? t("people.close") : t("people.cancel"),
    );
    const accountButtons = [];
    let activeButton = null;
    if (editing && onAction) {
      const action = (kind, label, testid, danger = false) => {
        const button = h(
          "button",
          {
            type: "button",
            class: `btn ${danger ? "btn-danger-quiet" : "btn-secondary"}`,
            dataset: { testid },
            onclick: async () => {
              button.disabled = true;
              try {
                const after = await onAction(kind, current);
                if (after) current = after;
                renderActive();
              } finally {
                button.disabled = false;
              }
            },
          },
          label,
        );
        accountButtons.push(button);
        return button;
      };
      const own = person.id === selfId;
      const reset = action("reset", t("people.resetPassword"), "reset-password");
      reset.disabled = own;
      if (own) reset.title = t("people.ownAccount");
      action("end", t("people.endSessions"), "end-sessions");
      activeButton = action("active", "", "toggle-active", true);
      // The server refuses it too (conflict): an installation must keep an administrator.
      if (own && current.is_active) {
        activeButton.disabled = true;
        activeButton.title = t("people.ownAccountActive");
      }
    }
    function renderActive() {
      if (!activeButton) return;
      setText(activeButton, current.is_active ? t("people.deactivate") : t("people.reactivate"));
      activeButton.dataset.active = String(current.is_active);
    }
    renderActive();

    const form = h(
      "form",
      { class: "dialog-form", method: "dialog", novalidate: true },
      h("h2", { class: "dialog-title", id: "person-dialog-title" }, editing ? t("people.editTitle") : t("people.newTitle")),
      field(t("people.field.username"), username, "field-username", editing ? null : t("people.field.usernameHint")),
      field(t("people.field.fullName"), fullName, "field-name"),
      h(
        "div",
        { class: "field-row" },
        field(t("people.field.title"), title, "field-title"),
        field(t("people.field.unit"), unit, "field-unit"),
      ),
      editing
        ? null
        : h("label", { class: "check" }, isAdmin, h("span", {}, t("people.field.isAdmin"))),
      problem,
      h("div", { class: "dialog-actions" }, cancel, save),
      accountButtons.length
        ? h(
            "section",
            { class: "account-actions", "aria-labelledby": "account-title" },
            h("h3", { class: "account-title", id: "account-title" }, t("people.account")),
            h("div", { class: "account-buttons" }, accountButtons),
          )
        : null,
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog dialog-wide person-dialog",
        "aria-labelledby": "person-dialog-title",
        dataset: { testid: "person-dialog" },
      },
      form,
    );

    function show(text) {
      setText(problem, text);
      problem.hidden = !text;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = fullName.value.trim();
      const login = username.value.trim().toLowerCase();
      if (!editing && !USERNAME.test(login)) {
        show(t("people.invalid.username"));
        username.focus();
        return;
      }
      if (!name) {
        show(t("people.invalid.fullName"));
        fullName.focus();
        return;
      }
      show("");
      save.disabled = true;
      const details = { display_name: name, title: title.value, unit: unit.value };
      try {
        answer = editing
          ? await peopleApi.edit(person.id, details)
          : await peopleApi.create({ username: login, is_admin: isAdmin.checked, ...details });
        dialog.close();
      } catch (error) {
        const code = error instanceof ApiError ? error.code : "internal";
        const detail = error.message ? ` (${error.message})` : "";
        show(code === "conflict" ? t("people.taken") : `${errorText(code)}${detail}`);
      } finally {
        save.disabled = false;
      }
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer ?? (current !== person ? { user: current, accountOnly: true } : null));
    });
    document.body.append(dialog);
    dialog.showModal();
    (editing ? fullName : username).focus();
  });
}
