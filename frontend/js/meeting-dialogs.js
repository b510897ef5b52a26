// @ts-check
// The dialogs of the meetings back office: a new meeting (details, roster, or a copy of an
// earlier meeting), and preparing one (details and reschedule, roster, the agenda with its
// documents, publish, cancel with a reason). Each saves through the API itself, so a
// refusal shows in the dialog and nothing of it is saved.

import { ApiError } from "./api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { DISPLAY_TIME_ZONE, errorText, t } from "./i18n.js";
import { send } from "./api.js";
import { uploadDocument } from "./documents-api.js";
import { createRosterEditor } from "./roster-editor.js";

const TITLE_MAX = 300;
const REASON_MAX = 500;
const OFFSET = "+07:00"; // times are entered in Vietnam's time (Asia/Ho_Chi_Minh, no DST)

const meeting = (id) => `/api/meetings/${encodeURIComponent(id)}`;

/** The meetings back office's endpoints (docs/protocol.md, "Meetings in the back office"). */
export const meetingsAdminApi = {
  /**
   * The meetings this person prepares (an administrator's every one, a committee clerk's
   * their committees'); filters: {committee_id?, status?, from?, to?} (empty ones left out).
   */
  list: (filters = {}) => {
    const given = [["scope", "planning"], ...Object.entries(filters).filter(([, v]) => v !== "" && v != null)];
    const text = new URLSearchParams(given).toString();
    return send("GET", `/api/meetings?${text}`);
  },
  committees: () => send("GET", "/api/committees"),
  people: () => send("GET", "/api/people"),
  plan: (id) => send("GET", `${meeting(id)}/plan`),
  create: (body) => send("POST", "/api/meetings", { json: body }),
  edit: (id, changes) => send("PATCH", meeting(id), { json: changes }),
  roster: (id, roster) => send("PUT", `${meeting(id)}/roster`, { json: { roster } }),
  publish: (id) => send("POST", `${meeting(id)}/publish`, { json: {} }),
  addItem: (id, item) => send("POST", `${meeting(id)}/agenda-items`, { json: item }),
  cancel: (id, reason) => send("POST", `${meeting(id)}/cancel`, { json: { reason } }),
};

/** "2026-12-10T08:00:00+07:00" → {date: "2026-12-10", time: "08:00"} in Vietnam's time. */
export function splitWhen(scheduledAt) {
  const moment = new Date(scheduledAt);
  if (Number.isNaN(moment.getTime())) return { date: "", time: "" };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", {
      timeZone: DISPLAY_TIME_ZONE,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(moment)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

export function joinWhen(date, time) {
  return `${date}T${time}:00${OFFSET}`;
}

function field(labelText, control, testid, hint = null) {
  return h(
    "label",
    { class: "field", dataset: { testid } },
    h("span", { class: "field-label" }, labelText),
    control,
    hint ? h("span", { class: "field-hint" }, hint) : null,
  );
}

function refusal(error) {
  const code = error instanceof ApiError ? error.code : "internal";
  if (code === "conflict" && /meets at/.test(error.message ?? "")) return t("mtgAdmin.overlap");
  return error.message ? `${errorText(code)} (${error.message})` : errorText(code);
}

/** Title, committee, date, time, place; `copyFrom` adds the "copy an earlier meeting" select. */
function detailsFields({ details = null, committees, earlier = null, disabled = false }) {
  const when = details ? splitWhen(details.scheduled_at) : { date: "", time: "08:00" };
  const title = h("input", {
    type: "text",
    class: "input",
    maxlength: String(TITLE_MAX),
    value: details?.title ?? "",
    required: true,
    disabled,
    dataset: { testid: "meeting-title" },
  });
  const committee = h(
    "select",
    { class: "input", disabled: disabled || details !== null, dataset: { testid: "meeting-committee" } },
    committees.map((c) => h("option", { value: String(c.id), selected: details?.committee_id === c.id }, c.name)),
  );
  const date = h("input", { type: "date", class: "input", value: when.date, disabled, dataset: { testid: "meeting-date" } });
  const time = h("input", { type: "time", class: "input", value: when.time, disabled, dataset: { testid: "meeting-time" } });
  const place = h("input", {
    type: "text",
    class: "input",
    maxlength: String(TITLE_MAX),
    value: details?.location ?? "",
    disabled,
    dataset: { testid: "meeting-place" },
  });
  const overlap = h("input", { type: "checkbox", disabled, dataset: { testid: "meeting-overlap" } });
  const copy = earlier
    ? h(
        "select",
        { class: "input", dataset: { testid: "meeting-copy" } },
        h("option", { value: "" }, t("mtgAdmin.field.noCopy")),
        earlier.map((m) => h("option", { value: String(m.id) }, `${m.title} (${splitWhen(m.scheduled_at).date})`)),
      )
    : null;
  const el = h(
    "div",
    { class: "meeting-fields" },
    field(t("mtgAdmin.field.title"), title, "field-meeting-title"),
    h(
      "div",
      { class: "field-row" },
      field(t("mtgAdmin.field.committee"), committee, "field-committee"),
      field(t("mtgAdmin.field.place"), place, "field-place"),
    ),
    h(
      "div",
      { class: "field-row" },
      field(t("mtgAdmin.field.date"), date, "field-date"),
      field(t("mtgAdmin.field.time"), time, "field-time"),
    ),
    copy ? field(t("mtgAdmin.field.copy"), copy, "field-copy") : null,
    h("label", { class: "check" }, overlap, h("span", {}, t("mtgAdmin.field.overlap"))),
  );
  return {
    el,
    copy,
    focus: () => title.focus(),
    /** The body's fields, or a problem to show (and the control to focus). */
    read() {
      if (!title.value.trim()) return { problem: t("mtgAdmin.invalid.title"), at: title };
      if (!date.value || !time.value) return { problem: t("mtgAdmin.invalid.when"), at: date.value ? time : date };
      return {
        body: {
          title: title.value.trim(),
          location: place.value.trim(),
          scheduled_at: joinWhen(date.value, time.value),
          committee_id: Number(committee.value),
          allow_overlap: overlap.checked,
        },
      };
    },
  };
}

function formDialog(testid, titleId, ...content) {
  return h(
    "dialog",
    { class: "dialog dialog-wide meeting-dialog", "aria-labelledby": titleId, dataset: { testid } },
    ...content,
  );
}

/** A new meeting: details, roster (or a copy of an earlier one). Resolves to the meeting or null. */
export function newMeetingDialog({ committees, people, earlier }) {
  return new Promise((resolve) => {
    let created = null;
    const details = detailsFields({ committees, earlier });
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const roster = createRosterEditor({ people, roster: [], onChange: () => show("") });
    const save = h("button", { type: "submit", class: "btn btn-primary", dataset: { testid: "meeting-create" } }, t("mtgAdmin.create"));
    const cancel = h("button", { type: "button", class: "btn btn-secondary", dataset: { testid: "meeting-cancel-dialog" } }, t("mtgAdmin.cancel"));
    const rosterSection = h(
      "section",
      { class: "meeting-section", "aria-labelledby": "new-roster-title" },
      h("h3", { class: "section-title", id: "new-roster-title" }, t("mtgAdmin.section.roster")),
      roster.el,
    );
    const form = h(
      "form",
      { class: "dialog-form", method: "dialog", novalidate: true },
      h("h2", { class: "dialog-title", id: "new-meeting-title" }, t("mtgAdmin.newTitle")),
      details.el,
      rosterSection,
      problem,
      h("div", { class: "dialog-actions" }, cancel, save),
    );
    const dialog = formDialog("new-meeting-dialog", "new-meeting-title", form);
    const copying = () => details.copy && details.copy.value !== "";
    details.copy?.addEventListener("change", () => {
      rosterSection.hidden = copying();
    });

    function show(text) {
      setText(problem, text);
      problem.hidden = !text;
    }

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const read = details.read();
      if (read.problem) {
        show(read.problem);
        read.at.focus();
        return;
      }
      /** @type {Record<string, unknown>} the new meeting's fields (docs/protocol.md) */
      const body = { ...read.body, published: false };
      if (copying()) body.copy_from = Number(details.copy.value);
      else {
        const wrong = roster.problem();
        if (wrong) {
          show(wrong);
          return;
        }
        body.roster = roster.entries();
      }
      show("");
      save.disabled = true;
      try {
        created = (await meetingsAdminApi.create(body)).meeting;
        dialog.close();
      } catch (error) {
        show(refusal(error));
      } finally {
        save.disabled = false;
      }
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(created);
    });
    document.body.append(dialog);
    dialog.showModal();
    details.focus();
  });
}

/**
 * The agenda with each item's documents (their current versions). For a meeting still being
 * prepared, `controls` gives an item's upload control (`upload(item)`) and a document's
 * "new version" control (`replace(document, item)`).
 */
function agendaList(plan, controls = null) {
  const items = plan.agenda?.items ?? [];
  const documents = new Map((plan.documents ?? []).map((d) => [d.id, d]));
  if (!items.length && !documents.size) return h("p", { class: "empty-note" }, t("mtgAdmin.agendaEmpty"));
  const docRow = (d, item) =>
    h(
      "li",
      { class: "plan-document", dataset: { testid: "plan-document", version: String(d.version ?? 1) } },
      h("span", { class: "plan-document-title", dataset: { testid: "plan-document-title" } }, d.title || d.filename),
      (d.version ?? 1) > 1 ? h("span", { class: "chip" }, t("mtgAdmin.version", { version: d.version })) : null,
      controls ? controls.replace(d, item) : null,
    );
  const docList = (ids, item = null) => {
    const shown = ids.map((id) => documents.get(id)).filter((d) => d && !d.replaced_by);
    return shown.length
      ? h("ul", { class: "agenda-docs" }, shown.map((d) => docRow(d, item)))
      : h("p", { class: "agenda-no-docs" }, t("mtgAdmin.noDocuments"));
  };
  // An item's documents: those uploaded for it and those attached to it (current versions).
  const current = [...documents.values()].filter((d) => !d.replaced_by);
  const ofItem = (item) => [
    ...new Set([...item.document_ids, ...current.filter((d) => d.item_id === item.id).map((d) => d.id)]),
  ];
  const attached = new Set(items.flatMap(ofItem));
  const loose = current.map((d) => d.id).filter((id) => !attached.has(id));
  return h(
    "ol",
    { class: "plan-agenda", dataset: { testid: "plan-agenda" } },
    items.map((item) =>
      h(
        "li",
        { class: `plan-item depth-${item.depth}`, dataset: { testid: "plan-item" } },
        h(
          "div",
          { class: "plan-item-head" },
          h("span", { class: "plan-item-number" }, item.number),
          h("span", { class: "plan-item-title" }, item.title),
          item.planned_minutes ? h("span", { class: "plan-item-minutes" }, t("mtgAdmin.minutes", { count: item.planned_minutes })) : null,
        ),
        docList(ofItem(item), item),
        controls ? controls.upload(item) : null,
      ),
    ),
    loose.length
      ? h("li", { class: "plan-item" }, h("div", { class: "plan-item-head" }, h("span", { class: "plan-item-title" }, t("mtgAdmin.otherDocuments"))), docList(loose))
      : null,
  );
}

/**
 * Prepare a meeting: details (reschedule), roster, agenda and documents, publish, cancel.
 * Resolves to true when anything was saved (the list reloads).
 */
export function prepareDialog({ meetingId, committees, people, confirm }) {
  return new Promise((resolve) => {
    let changed = false;
    const body = h("div", { class: "prepare-body" });
    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const close = h("button", { type: "button", class: "btn btn-secondary", dataset: { testid: "prepare-close" } }, t("mtgAdmin.close"));
    const heading = h("h2", { class: "dialog-title", id: "prepare-title" }, t("mtgAdmin.editTitle"));
    const dialog = formDialog("prepare-dialog", "prepare-title", h("div", { class: "dialog-form" }, heading, body, problem, h("div", { class: "dialog-actions" }, close)));

    function show(text) {
      setText(problem, text);
      problem.hidden = !text;
    }

    async function act(button, work, notice) {
      show("");
      button.disabled = true;
      try {
        await work();
        changed = true;
        await load();
        if (notice) setText(status, notice);
      } catch (error) {
        show(refusal(error));
      } finally {
        button.disabled = false;
      }
    }

    const status = h("p", { class: "prepare-status", role: "status", dataset: { testid: "prepare-status" } });

    function render(plan) {
      const m = plan.meeting;
      const editable = m.status === "scheduled";
      setText(heading, m.title);
      const details = detailsFields({ details: m, committees, disabled: !editable });
      const saveDetails = h("button", { type: "button", class: "btn btn-primary", disabled: !editable, dataset: { testid: "details-save" } }, t("mtgAdmin.save"));
      saveDetails.addEventListener("click", () => {
        const read = details.read();
        if (read.problem) {
          show(read.problem);
          read.at.focus();
          return;
        }
        const { committee_id: _c, ...changes } = read.body;
        act(saveDetails, () => meetingsAdminApi.edit(m.id, changes), t("mtgAdmin.saved"));
      });
      const roster = createRosterEditor({ people, roster: plan.roster, disabled: !editable, onChange: () => show("") });
      const saveRoster = h("button", { type: "button", class: "btn btn-primary", disabled: !editable, dataset: { testid: "roster-save" } }, t("rosterEd.save"));
      saveRoster.addEventListener("click", () => {
        const wrong = roster.problem();
        if (wrong) return show(wrong);
        return act(saveRoster, () => meetingsAdminApi.roster(m.id, roster.entries()), t("rosterEd.saved"));
      });
      const publish = h("button", { type: "button", class: "btn btn-primary", dataset: { testid: "meeting-publish" } }, t("mtgAdmin.publish"));
      publish.addEventListener("click", async () => {
        const yes = await confirm({
          title: t("mtgAdmin.confirmPublish.title"),
          body: t("mtgAdmin.confirmPublish.body", { title: m.title }),
          confirm: t("mtgAdmin.publish"),
          cancel: t("mtgAdmin.cancel"),
        });
        if (yes) act(publish, () => meetingsAdminApi.publish(m.id), t("mtgAdmin.publishedNotice", { title: m.title }));
      });
      const reason = h("textarea", { class: "input", maxlength: String(REASON_MAX), rows: "2", dataset: { testid: "cancel-reason" } });
      const cancelMeeting = h("button", { type: "button", class: "btn btn-danger-quiet", dataset: { testid: "meeting-cancel" } }, t("mtgAdmin.cancelMeeting"));
      cancelMeeting.addEventListener("click", async () => {
        if (!reason.value.trim()) {
          show(t("mtgAdmin.invalid.reason"));
          reason.focus();
          return;
        }
        const yes = await confirm({
          title: t("mtgAdmin.cancelTitle", { title: m.title }),
          body: reason.value.trim(),
          confirm: t("mtgAdmin.cancelConfirm"),
          cancel: t("mtgAdmin.keep"),
          danger: true,
        });
        if (yes) act(cancelMeeting, () => meetingsAdminApi.cancel(m.id, reason.value.trim()), t("mtgAdmin.cancelledNotice", { title: m.title }));
      });
      const itemTitle = h("input", { type: "text", class: "input", maxlength: String(TITLE_MAX), dataset: { testid: "item-title" } });
      const itemKind = h(
        "select",
        { class: "input", dataset: { testid: "item-kind" } },
        ["decision", "discussion", "information"].map((k) => h("option", { value: k }, t(`mtgAdmin.kind.${k}`))),
      );
      const itemMinutes = h("input", { type: "number", class: "input", min: "1", max: "600", inputmode: "numeric", dataset: { testid: "item-minutes" } });
      const addItem = h("button", { type: "button", class: "btn btn-secondary", dataset: { testid: "item-add" } }, t("mtgAdmin.addItem"));
      addItem.addEventListener("click", () => {
        if (!itemTitle.value.trim()) {
          show(t("mtgAdmin.invalid.itemTitle"));
          itemTitle.focus();
          return;
        }
        const item = { title: itemTitle.value.trim(), kind: itemKind.value };
        if (itemMinutes.value) item.planned_minutes = Number(itemMinutes.value);
        act(addItem, () => meetingsAdminApi.addItem(m.id, item), t("mtgAdmin.itemAdded"));
      });
      // A PDF chosen with a button; uploaded as the meeting's clerk would (the server checks
      // it like any upload): for an item, or as a document's new version.
      const pdfPicker = ({ text, label, testid, wrap, upload }) => {
        const input = h("input", { type: "file", accept: "application/pdf,.pdf", class: "visually-hidden", tabindex: "-1", "aria-label": label, dataset: { testid: `${testid}-file` } });
        const button = h("button", { type: "button", class: "btn btn-secondary", "aria-label": label, dataset: { testid } }, text);
        button.addEventListener("click", () => input.click());
        input.addEventListener("change", () => {
          const file = input.files?.[0];
          if (!file) return;
          const progress = (fraction) => setText(status, t("mtgAdmin.uploading", { name: file.name, percent: Math.round(fraction * 100) }));
          act(button, () => upload(file, progress), t("mtgAdmin.uploaded", { name: file.name }));
        });
        return h(wrap, { class: `${testid}-control` }, button, input);
      };
      const controls = {
        upload: (item) =>
          pdfPicker({
            text: t("mtgAdmin.upload"),
            label: t("mtgAdmin.uploadFor", { number: item.number, title: item.title }),
            testid: "item-upload",
            wrap: "div",
            upload: (file, onProgress) => uploadDocument(m.id, file, { itemId: item.id, onProgress }),
          }),
        replace: (d) =>
          pdfPicker({
            text: t("mtgAdmin.replace"),
            label: t("mtgAdmin.replaceFor", { title: d.title || d.filename }),
            testid: "document-replace",
            wrap: "span",
            upload: (file, onProgress) => uploadDocument(m.id, file, { replacesId: d.id, onProgress }),
          }),
      };
      const itemForm = editable
        ? h(
            "div",
            { class: "item-form" },
            h(
              "div",
              { class: "field-row" },
              field(t("mtgAdmin.item.title"), itemTitle, "field-item-title"),
              field(t("mtgAdmin.item.kind"), itemKind, "field-item-kind"),
              field(t("mtgAdmin.item.minutes"), itemMinutes, "field-item-minutes"),
            ),
            h("div", { class: "section-actions" }, addItem),
          )
        : null;
      const section = (id, title, ...content) =>
        h("section", { class: "meeting-section", "aria-labelledby": id }, h("h3", { class: "section-title", id }, title), ...content);
      const actions = [];
      if (m.status === "cancelled") {
        actions.push(h("p", { class: "cancelled-note", dataset: { testid: "cancelled-note" } }, t("mtgAdmin.cancelledReason", { reason: m.cancel_reason ?? "" })));
      } else if (m.published) {
        actions.push(h("p", { class: "published-note" }, t("mtgAdmin.publishedNote")));
      } else {
        actions.push(h("p", { class: "field-hint" }, t("mtgAdmin.publishHint")), h("div", { class: "section-actions" }, publish));
      }
      if (editable) {
        actions.push(field(t("mtgAdmin.cancelReason"), reason, "field-cancel-reason", t("mtgAdmin.cancelReasonHint")), h("div", { class: "section-actions" }, cancelMeeting));
      }
      replaceChildren(
        body,
        status,
        editable ? null : h("p", { class: "locked-note" }, t("mtgAdmin.locked", { status: t(`mtgAdmin.status.${m.status}`).toLowerCase() })),
        section("prep-details", t("mtgAdmin.section.details"), details.el, h("div", { class: "section-actions" }, saveDetails)),
        section("prep-roster", t("mtgAdmin.section.roster"), roster.el, h("div", { class: "section-actions" }, saveRoster)),
        section("prep-agenda", t("mtgAdmin.section.agenda"), h("p", { class: "field-hint" }, t("mtgAdmin.agendaHint")), agendaList(plan, editable ? controls : null), itemForm),
        section("prep-actions", t("mtgAdmin.section.actions"), ...actions),
      );
    }

    async function load() {
      try {
        render(await meetingsAdminApi.plan(meetingId));
      } catch (error) {
        show(refusal(error));
      }
    }

    close.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(changed);
    });
    document.body.append(dialog);
    dialog.showModal();
    close.focus();
    load();
  });
}
