// @ts-check
// A modal question with two answers, on the native <dialog> (focus trap, Esc = cancel).

import { h } from "./dom.js";

/** Resolves to true when the person confirms. Texts are already translated. `extra`
 * ({label, done, testid, onclick}): a third button that acts without answering (e.g.
 * "remind those who have not voted"); once pressed it shows `done` and is off. `listTitle`
 * and `list` (strings): a warning with the things the person should know about first. */
export function confirmDialog({
  title,
  body,
  confirm,
  cancel,
  danger = false,
  extra = null,
  listTitle = "",
  list = [],
}) {
  return new Promise((resolve) => {
    const cancelButton = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "dialog-cancel" } },
      cancel,
    );
    const confirmButton = h(
      "button",
      {
        type: "button",
        class: `btn ${danger ? "btn-danger" : "btn-primary"}`,
        dataset: { testid: "dialog-confirm" },
      },
      confirm,
    );
    const extraButton = extra
      ? h(
          "button",
          {
            type: "button",
            class: "btn btn-secondary",
            dataset: { testid: extra.testid ?? "dialog-extra" },
            onclick: (event) => {
              extra.onclick();
              event.currentTarget.textContent = extra.done;
              event.currentTarget.disabled = true;
              cancelButton.focus();
            },
          },
          extra.label,
        )
      : null;
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "dialog-title" },
      h("h2", { class: "dialog-title", id: "dialog-title" }, title),
      h("p", { class: "dialog-body" }, body),
      list.length > 0
        ? h(
            "div",
            { class: "dialog-warning", role: "note", dataset: { testid: "dialog-list" } },
            h("p", { class: "dialog-warning-title" }, listTitle),
            h("ul", {}, list.map((text) => h("li", {}, text))),
          )
        : null,
      extraButton ? h("div", { class: "dialog-aside" }, extraButton) : null,
      h("div", { class: "dialog-actions" }, cancelButton, confirmButton),
    );
    let answer = false;
    cancelButton.addEventListener("click", () => dialog.close());
    confirmButton.addEventListener("click", () => {
      answer = true;
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancelButton.focus();
  });
}
