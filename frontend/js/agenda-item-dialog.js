// @ts-check
// The form for adding or editing an agenda item, on a modal <dialog>: title, kind, planned
// minutes, description, status (only the moves the lifecycle allows), and for an existing
// item the move buttons (up, down, into the item above, out of its parent) and removal.

import {
  DEPTH_MAX,
  ITEM_KINDS,
  STATUS_MOVES,
  agendaRows,
  childrenOf,
  height,
} from "./agenda-state.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

const TITLE_MAX = 300;
const DESCRIPTION_MAX = 5000;

function field(labelText, control, testid) {
  return h(
    "label",
    { class: "field", dataset: { testid } },
    h("span", { class: "field-label" }, labelText),
    control,
  );
}

/** The {parent_id, position} of a move button, or null when the move is impossible. */
export function moveOf(agenda, item, direction) {
  const parentId = item.parent_id ?? null;
  const siblings = childrenOf(agenda, parentId);
  const index = siblings.indexOf(item.id);
  const depth = agendaRows(agenda).find((r) => r.id === item.id)?.depth ?? 1;
  switch (direction) {
    case "up":
      return index > 0 ? { parent_id: parentId, position: index - 1 } : null;
    case "down":
      return index < siblings.length - 1 ? { parent_id: parentId, position: index + 1 } : null;
    case "indent": {
      if (index === 0) return null;
      const newParent = siblings[index - 1];
      if (depth + height(agenda, item.id) > DEPTH_MAX) return null;
      return { parent_id: newParent, position: childrenOf(agenda, newParent).length };
    }
    case "outdent": {
      if (parentId === null) return null;
      const parent = agenda.items[parentId];
      const grand = parent.parent_id ?? null;
      const position = childrenOf(agenda, grand).indexOf(parentId) + 1;
      return { parent_id: grand, position };
    }
    default:
      return null;
  }
}

/**
 * mode "add" | "edit"; resolves to null (cancelled) or the values
 * {title, kind, description, planned_minutes, status, parent_id} — or {action: "move", move}
 * / {action: "remove"} for those buttons.
 */
export function openItemDialog({ mode, model, item = null }) {
  const agenda = model.state.agenda;
  return new Promise((resolve) => {
    let answer = null;
    const title = h("input", {
      type: "text",
      class: "input",
      required: true,
      maxlength: String(TITLE_MAX),
      value: item?.title ?? "",
      dataset: { testid: "item-title-input" },
    });
    const kind = h(
      "select",
      { class: "select", dataset: { testid: "item-kind" } },
      ITEM_KINDS.map((k) =>
        h(
          "option",
          { value: k, selected: (item?.kind ?? "discussion") === k },
          t(`agenda.kind.${k}`),
        ),
      ),
    );
    const minutes = h("input", {
      type: "number",
      class: "input",
      min: "1",
      max: "600",
      inputmode: "numeric",
      value: item?.planned_minutes ? String(item.planned_minutes) : "",
      dataset: { testid: "item-minutes" },
    });
    const description = h("textarea", {
      class: "input textarea",
      rows: "3",
      maxlength: String(DESCRIPTION_MAX),
    });
    description.value = item?.description ?? "";
    const fields = [
      field(t("agenda.field.title"), title, "field-title"),
      h(
        "div",
        { class: "field-row" },
        field(t("agenda.field.kind"), kind, "field-kind"),
        field(t("agenda.field.minutes"), minutes, "field-minutes"),
      ),
      field(t("agenda.field.description"), description, "field-description"),
    ];

    let status = null;
    let parent = null;
    if (mode === "edit") {
      const allowed = [item.status, ...(STATUS_MOVES[item.status] ?? [])].filter(
        (s) => !(item.is_current && (s === "deferred" || s === "withdrawn")),
      );
      status = h(
        "select",
        { class: "select", dataset: { testid: "item-status-select" } },
        allowed.map((s) =>
          h("option", { value: s, selected: s === item.status }, t(`agenda.status.${s}`)),
        ),
      );
      fields.push(field(t("agenda.field.status"), status, "field-status"));
    } else {
      parent = h(
        "select",
        { class: "select", dataset: { testid: "item-parent" } },
        h("option", { value: "" }, t("agenda.field.topLevel")),
        agendaRows(agenda)
          .filter((r) => r.depth < DEPTH_MAX)
          .map((r) => h("option", { value: String(r.id) }, `${r.number}. ${r.title}`)),
      );
      fields.push(field(t("agenda.field.parent"), parent, "field-parent"));
    }

    const error = h("p", { class: "form-error", role: "alert", hidden: true });
    const moveButtons =
      mode === "edit"
        ? ["up", "down", "indent", "outdent"].map((direction) => {
            const move = moveOf(agenda, item, direction);
            return h(
              "button",
              {
                type: "button",
                class: "btn btn-small btn-secondary",
                dataset: { testid: `item-move-${direction}` },
                disabled: move === null,
                onclick: () => {
                  answer = { action: "move", move };
                  dialog.close();
                },
              },
              t(`agenda.move.${direction}`),
            );
          })
        : [];
    const everCurrent = item ? item.visits.length > 0 : false;
    const hasChildren = item ? childrenOf(agenda, item.id).length > 0 : false;
    const remove =
      mode === "edit" && !everCurrent && !hasChildren
        ? h(
            "button",
            {
              type: "button",
              class: "btn btn-small btn-danger",
              dataset: { testid: "item-remove" },
              onclick: () => {
                answer = { action: "remove" };
                dialog.close();
              },
            },
            t("agenda.remove"),
          )
        : null;
    const cancel = h(
      "button",
      {
        type: "button",
        class: "btn btn-secondary",
        dataset: { testid: "dialog-cancel" },
        onclick: () => dialog.close(),
      },
      t("dialog.cancel"),
    );
    const save = h(
      "button",
      { type: "submit", class: "btn btn-primary", dataset: { testid: "dialog-confirm" } },
      mode === "add" ? t("agenda.addConfirm") : t("dialog.save"),
    );
    const form = h(
      "form",
      {
        class: "dialog-form",
        method: "dialog",
        novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          const text = title.value.trim();
          const planned = minutes.value.trim() === "" ? null : Number(minutes.value);
          if (!text) {
            error.textContent = t("agenda.field.titleMissing");
            error.hidden = false;
            title.focus();
            return;
          }
          if (planned !== null && !(Number.isInteger(planned) && planned >= 1 && planned <= 600)) {
            error.textContent = t("agenda.field.minutesInvalid");
            error.hidden = false;
            minutes.focus();
            return;
          }
          answer = {
            title: text,
            kind: kind.value,
            description: description.value.trim(),
            planned_minutes: planned,
            status: status ? status.value : "pending",
            parent_id: parent && parent.value ? Number(parent.value) : null,
          };
          dialog.close();
        },
      },
      fields,
      moveButtons.length
        ? h(
            "div",
            { class: "move-row" },
            h("span", { class: "field-label" }, t("agenda.move.label")),
            moveButtons,
          )
        : null,
      error,
      h("div", { class: "dialog-actions" }, remove, h("span", { class: "spacer" }), cancel, save),
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog dialog-wide",
        "aria-labelledby": "item-dialog-title",
        dataset: { testid: "item-dialog" },
      },
      h(
        "h2",
        { class: "dialog-title", id: "item-dialog-title" },
        mode === "add" ? t("agenda.addTitle") : t("agenda.editTitle", { number: item.number }),
      ),
      form,
    );
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(answer);
    });
    document.body.append(dialog);
    dialog.showModal();
    title.focus();
  });
}
