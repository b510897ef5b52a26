// @ts-check
// The dialog for one mark, on the native <dialog>: a note's text (written, edited or
// read), and for one's own mark the choice to share it, make it private or delete it.
// Resolves to {action: "save", text} | {action: "share", shared} | {action: "delete"} | null.

import { h } from "./dom.js";
import { t } from "./i18n.js";

const NOTE_TEXT_MAX_CHARS = 2000; // as the server

/** mark: the mark (null for a new note); mine: the viewer owns it; owner: display name.
 * @param {{mark: any, mine: boolean, owner?: string, kind?: string}} options */
export function markDialog({ mark, mine, owner, kind = mark?.kind ?? "note" }) {
  return new Promise((resolve) => {
    let answer = null;
    const isNote = kind === "note";
    const editable = isNote && (mark === null || mine);
    const text = h("textarea", {
      class: "input ann-note-text",
      rows: "5",
      maxlength: String(NOTE_TEXT_MAX_CHARS),
      dataset: { testid: "ann-note-input" },
      "aria-label": t("ann.noteText"),
    });
    text.value = mark?.text ?? "";
    const reading = h(
      "p",
      { class: "ann-note-read", dataset: { testid: "ann-note-read" } },
      mark?.text ?? "",
    );
    const close = (value) => {
      answer = value;
      dialog.close();
    };
    const button = (testid, label, cls, onclick) =>
      h("button", { type: "button", class: `btn ${cls}`, dataset: { testid }, onclick }, label);
    const actions = [
      button("ann-dialog-close", t(editable ? "ann.cancel" : "ann.close"), "btn-secondary", () =>
        close(null),
      ),
    ];
    if (mark && mine) {
      actions.unshift(
        button("ann-dialog-delete", t("ann.delete"), "btn-danger", () =>
          close({ action: "delete" }),
        ),
        button(
          "ann-dialog-share",
          t(mark.shared ? "ann.makePrivate" : "ann.share"),
          "btn-secondary",
          () => close({ action: "share", shared: !mark.shared }),
        ),
      );
    }
    if (editable) {
      actions.push(
        button("ann-dialog-save", t("ann.save"), "btn-primary", () => {
          const value = text.value.trim();
          if (value) close({ action: "save", text: value });
          else text.focus();
        }),
      );
    }
    const title = mark === null ? t("ann.newNote") : t(`ann.kind.${kind}`);
    const status =
      mark === null
        ? null
        : h(
            "p",
            { class: "muted", dataset: { testid: "ann-dialog-status" } },
            mine
              ? t(mark.shared ? "ann.yoursShared" : "ann.yoursPrivate")
              : t("ann.sharedBy", { name: owner }),
          );
    const dialog = h(
      "dialog",
      {
        class: "dialog ann-dialog",
        "aria-labelledby": "ann-dialog-title",
        dataset: { testid: "ann-dialog" },
      },
      h("h2", { class: "dialog-title", id: "ann-dialog-title" }, title),
      status,
      isNote ? (editable ? text : reading) : null,
      h("div", { class: "dialog-actions" }, actions),
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    if (editable) text.focus();
  });
}
