// @ts-check
// A committee's dialog, in three tabs: general (name, kind with its statutory rule in words,
// quorum), members (a picker of people with their titles; the committee's clerks) and the
// minutes profile with its live header preview (committee-profile.js).
//
// An administrator edits everything and saves it in one request (created or changed whole,
// or not at all); a committee's clerk sees the rest and saves the minutes profile only.

import { ApiError } from "./api.js";
import { folded } from "./admin-people.js";
import { createProfileEditor } from "./committee-profile.js";
import { committeesApi } from "./committees-api.js";
import { h, replaceChildren, setText } from "./dom.js";
import { compareNames, errorText, t, tn } from "./i18n.js";
import { majorityText, quorumText } from "./poll-rules.js";

export const KINDS = ["peoples_committee", "peoples_council", "party", "other"];
const NAME_MAX = 300; // ecabinet/meetings/committees.py
const TABS = ["general", "members", "minutes"];

// The quorum settings offered, beside "the kind's default" and a fixed count.
const PRESETS = {
  moreThanHalf: { kind: "fraction", fraction: [1, 2], strict: true },
  twoThirds: { kind: "fraction", fraction: [2, 3], strict: false },
  threeQuarters: { kind: "fraction", fraction: [3, 4], strict: false },
  none: { kind: "none" },
};

/** The same quorum setting (the server's JSON has its keys in another order). */
function sameQuorum(a, b) {
  if (a.kind !== b.kind) return false;
  if (a.kind === "count") return a.count === b.count;
  if (a.kind === "none") return true;
  return a.strict === b.strict && a.fraction[0] === b.fraction[0] && a.fraction[1] === b.fraction[1];
}

/** Whether `quorum` asks for at least as many members as `floor` whatever the membership:
 * only a fraction can (voting/_statute.py quorum_not_below). */
export function notBelow(quorum, floor) {
  if (!floor) return true;
  if (quorum.kind !== "fraction") return false;
  const [num, den] = quorum.fraction;
  const [fnum, fden] = floor.fraction;
  if (num * fden !== fnum * den) return num * fden > fnum * den;
  return quorum.strict || !floor.strict;
}

/** The kind's rule in words, the committee's with `quorum` (null: the kind's default). */
export function ruleWords(statute, quorum = null) {
  return {
    majority: majorityText(statute.majority),
    quorum: quorumText(quorum ?? statute.quorum),
  };
}

function labelled(key, control, { hint = null, testid = null } = {}) {
  const id = control.id || `committee-${key}`;
  control.id = id;
  const hintEl = hint ? h("span", { class: "field-hint", id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h(
    "div",
    { class: "field", dataset: { testid: testid ?? `field-${key}` } },
    h("label", { class: "field-label", for: id }, t(`committees.field.${key}`)),
    control,
    hintEl,
  );
}

/** The general tab: name, kind and quorum, with the rules they give in words. */
function generalTab(committee, kinds, editable) {
  const statutes = Object.fromEntries(kinds.map((k) => [k.kind, k]));
  const name = h("input", {
    type: "text",
    class: "input",
    maxlength: String(NAME_MAX),
    autocomplete: "off",
    required: true,
    disabled: !editable,
    dataset: { testid: "committee-name" },
  });
  name.value = committee?.name ?? "";
  const kind = h(
    "select",
    { class: "select", disabled: !editable, dataset: { testid: "committee-kind" } },
    KINDS.map((code) => h("option", { value: code }, t(`committees.kind.${code}`))),
  );
  kind.value = committee?.kind ?? "peoples_committee";
  const statute = h("p", { class: "kind-rule", dataset: { testid: "kind-rule" } });
  const basis = h("p", { class: "field-hint", dataset: { testid: "kind-basis" } });
  const quorum = h("select", {
    class: "select",
    disabled: !editable,
    dataset: { testid: "committee-quorum" },
  });
  const count = h("input", {
    type: "number",
    class: "input quorum-count",
    min: "1",
    step: "1",
    inputmode: "numeric",
    disabled: !editable,
    "aria-label": t("committees.field.quorumCount"),
    dataset: { testid: "committee-quorum-count" },
  });
  const countHint = h("span", { class: "field-hint" });
  const countRow = h("div", { class: "quorum-count-row" }, count, countHint);
  const applied = h("p", { class: "applied-rule", dataset: { testid: "applied-rule" } });
  // A stored setting that none of the presets is (e.g. 3/5) stays offered as it is.
  const stored = committee?.quorum ?? null;
  const custom =
    stored && stored.kind !== "count" && !Object.values(PRESETS).some((p) => sameQuorum(p, stored))
      ? stored
      : null;
  let memberCount = () => committee?.members.length ?? 0;

  function chosenQuorum() {
    switch (quorum.value) {
      case "default":
        return null;
      case "count":
        return { kind: "count", count: Number(count.value) };
      case "custom":
        return custom;
      default:
        return PRESETS[quorum.value];
    }
  }

  function fillQuorum(keep) {
    const s = statutes[kind.value];
    const options = [["default", t("committees.quorum.default", { rule: quorumText(s.quorum) })]];
    if (custom) options.push(["custom", t("committees.quorum.kept", { rule: quorumText(custom) })]);
    for (const key of ["moreThanHalf", "twoThirds", "threeQuarters", "none"]) {
      options.push([key, t(`committees.quorum.${key}`), PRESETS[key]]);
    }
    options.push(["count", t("committees.quorum.count"), { kind: "count", count: 1 }]);
    replaceChildren(
      quorum,
      options.map(([value, label, setting]) => {
        const below = setting && !notBelow(setting, s.quorum_floor);
        return h(
          "option",
          { value, disabled: below },
          below ? t("committees.quorum.belowStatute", { label }) : label,
        );
      }),
    );
    const wanted = [...quorum.options].find((o) => o.value === keep && !o.disabled);
    quorum.value = wanted ? keep : "default";
  }

  function describe() {
    const s = statutes[kind.value];
    setText(statute, t("committees.statute", ruleWords(s)));
    setText(basis, t(`committees.basis.${kind.value}`));
    countRow.hidden = quorum.value !== "count";
    const members = memberCount();
    const n = Number(count.value);
    setText(
      countHint,
      members && Number.isInteger(n) && n > 0
        ? t("committees.quorum.countHint", { members: tn("committees.members", members), count: n })
        : "",
    );
    const chosen = chosenQuorum();
    const valid = chosen === null || chosen.kind !== "count" || (Number.isInteger(n) && n > 0);
    setText(applied, valid ? t("committees.applied", ruleWords(s, chosen)) : "");
  }

  // The stored setting, as the select offers it.
  let initial = "default";
  if (stored?.kind === "count") {
    initial = "count";
    count.value = String(stored.count);
  } else if (custom) initial = "custom";
  else if (stored) {
    initial = Object.keys(PRESETS).find((key) => sameQuorum(PRESETS[key], stored)) ?? "default";
  }
  if (!count.value) count.value = "1";
  fillQuorum(initial);
  describe();
  kind.addEventListener("change", () => {
    fillQuorum(quorum.value);
    describe();
  });
  quorum.addEventListener("change", describe);
  count.addEventListener("input", describe);

  const el = h(
    "div",
    { class: "committee-general" },
    labelled("name", name, { hint: t("committees.field.nameHint") }),
    labelled("kind", kind),
    h("div", { class: "kind-explained" }, statute, basis),
    labelled("quorum", quorum),
    countRow,
    applied,
  );
  return {
    el,
    name,
    values() {
      return { name: name.value.trim(), kind: kind.value, quorum: chosenQuorum() };
    },
    problem() {
      const value = name.value.trim();
      if (!value || value.length > NAME_MAX) return [t("committees.invalid.name"), name];
      const chosen = chosenQuorum();
      if (chosen?.kind === "count" && !(Number.isInteger(chosen.count) && chosen.count > 0)) {
        return [t("committees.invalid.count"), count];
      }
      return null;
    },
    setMemberCount(getter) {
      memberCount = getter;
      describe();
    },
    refresh: describe,
  };
}

function personLine(person) {
  const detail = [person.title, person.unit].filter(Boolean).join(" · ");
  return [
    h("span", { class: "member-name" }, person.display_name),
    h("span", { class: "member-username mono" }, person.username),
    detail ? h("span", { class: "member-detail" }, detail) : null,
    person.is_active === false
      ? h("span", { class: "chip chip-off" }, t("committees.members.inactive"))
      : null,
  ];
}

/** The members tab: everyone (administrators: `people`, to pick from) or the list as it is
 * (a clerk: `people` null), and who the committee's clerks are. */
function membersTab(committee, people, onChange) {
  const chosen = new Set((committee?.members ?? []).map((m) => m.user_id));
  const clerks = committee?.clerks ?? [];
  const clerksBox = h(
    "section",
    { class: "clerks-box", "aria-labelledby": "clerks-title" },
    h("h3", { class: "clerks-title", id: "clerks-title" }, t("committees.clerks.title")),
    h(
      "p",
      { dataset: { testid: "committee-clerks" } },
      clerks.length ? clerks.map((c) => c.display_name).join(", ") : t("committees.clerks.none"),
    ),
    h("p", { class: "field-hint" }, t("committees.clerks.text")),
  );
  if (people === null) {
    const members = [...(committee?.members ?? [])].sort((a, b) =>
      compareNames(a.display_name, b.display_name),
    );
    const list = members.length
      ? h("ul", { class: "member-list" }, members.map((m) => h("li", {}, personLine(m))))
      : h("p", {}, t("committees.members.nobody"));
    return {
      el: h("div", { class: "committee-members" }, list, clerksBox),
      ids: () => [...chosen],
    };
  }

  // The members first (as the dialog opened: rows do not move while one picks), then the rest.
  const sorted = [...people].sort(
    (a, b) =>
      Number(chosen.has(b.id)) - Number(chosen.has(a.id)) ||
      compareNames(a.display_name, b.display_name),
  );
  const search = h("input", {
    type: "search",
    class: "input",
    id: "member-search",
    autocomplete: "off",
    placeholder: t("committees.members.search"),
    dataset: { testid: "member-search" },
  });
  const onlyChosen = h("input", { type: "checkbox", dataset: { testid: "members-only-chosen" } });
  const count = h("p", { class: "members-count", role: "status", dataset: { testid: "members-count" } });
  const list = h("ul", { class: "member-picker", dataset: { testid: "member-picker" } });
  const empty = h("p", { class: "members-empty", hidden: true }, t("committees.members.noMatch"));

  const rows = sorted.map((person) => {
    const box = h("input", {
      type: "checkbox",
      checked: chosen.has(person.id),
      dataset: { testid: "member-check" },
    });
    box.addEventListener("change", () => {
      if (box.checked) chosen.add(person.id);
      else chosen.delete(person.id);
      row.classList.toggle("is-chosen", box.checked);
      renderCount();
      onChange();
    });
    const row = h(
      "li",
      {
        class: chosen.has(person.id) ? "is-chosen" : "",
        dataset: { testid: "member-row", username: person.username },
      },
      h("label", { class: "check member-check" }, box, h("span", {}, personLine(person))),
    );
    const haystack = folded([person.display_name, person.username, person.title, person.unit].join(" "));
    return { person, row, haystack };
  });
  list.append(...rows.map((r) => r.row));

  function renderCount() {
    setText(count, tn("committees.members.chosen", chosen.size));
  }

  function filter() {
    const words = folded(search.value).split(/\s+/).filter(Boolean);
    let visible = 0;
    for (const { person, row, haystack } of rows) {
      const show =
        words.every((w) => haystack.includes(w)) && (!onlyChosen.checked || chosen.has(person.id));
      row.hidden = !show;
      visible += show ? 1 : 0;
    }
    empty.hidden = visible > 0;
  }

  search.addEventListener("input", filter);
  onlyChosen.addEventListener("change", filter);
  renderCount();
  const el = h(
    "div",
    { class: "committee-members" },
    h(
      "div",
      { class: "members-tools" },
      h("label", { class: "visually-hidden", for: "member-search" }, t("committees.members.search")),
      search,
      h("label", { class: "check" }, onlyChosen, h("span", {}, t("committees.members.onlyChosen"))),
    ),
    count,
    list,
    empty,
    h("p", { class: "field-hint" }, t("committees.members.hint")),
    clerksBox,
  );
  return { el, ids: () => sorted.filter((p) => chosen.has(p.id)).map((p) => p.id) };
}

/**
 * Add (`committee` null) or edit a committee. `kinds`: the statutes (GET /api/committees);
 * `people`: everyone, for an administrator's picker, or null for a clerk, who saves the
 * minutes profile only. The dialog saves through the API itself, so a refusal shows in
 * it; resolves to the saved committee, or null.
 */
export function committeeDialog({ committee = null, kinds, people = null, tab = "general" }) {
  const admin = people !== null;
  const editing = committee !== null;
  return new Promise((resolve) => {
    let saved = null;
    const general = generalTab(committee, kinds, admin);
    const members = membersTab(committee, people, () => general.refresh());
    general.setMemberCount(() => members.ids().length);
    const profile = createProfileEditor({
      profile: committee?.profile ?? { layout: "state", abbreviation: "BB", recipients: [] },
      committee: () => {
        const { name, kind } = general.values();
        return { name, kind };
      },
    });
    general.name.addEventListener("input", () => profile.refresh());
    general.el.addEventListener("change", () => profile.refresh({ immediately: true }));

    const panels = {
      general: general.el,
      members: members.el,
      minutes: profile.el,
    };
    const tabButtons = TABS.map((key) =>
      h(
        "button",
        {
          type: "button",
          role: "tab",
          class: "tab",
          id: `committee-tab-${key}`,
          "aria-controls": `committee-panel-${key}`,
          dataset: { testid: `committee-tab-${key}`, tab: key },
          onclick: () => select(key),
        },
        t(`committees.tab.${key}`),
      ),
    );
    const panelEls = TABS.map((key) =>
      h(
        "div",
        {
          role: "tabpanel",
          class: `tab-panel panel-${key}`,
          id: `committee-panel-${key}`,
          "aria-labelledby": `committee-tab-${key}`,
          dataset: { testid: `committee-panel-${key}` },
        },
        panels[key],
      ),
    );
    const tabList = h(
      "div",
      { class: "tabs", role: "tablist", "aria-label": t("committees.tabs") },
      tabButtons,
    );
    tabList.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const at = TABS.indexOf(current);
      const next = TABS[(at + step + TABS.length) % TABS.length];
      select(next);
      tabButtons[TABS.indexOf(next)].focus();
      event.preventDefault();
    });
    let current = tab;

    function select(key) {
      current = key;
      TABS.forEach((k, i) => {
        const on = k === key;
        tabButtons[i].setAttribute("aria-selected", String(on));
        tabButtons[i].tabIndex = on ? 0 : -1;
        panelEls[i].hidden = !on;
      });
      if (key === "minutes") profile.refresh({ immediately: true });
    }

    const problem = h("p", { class: "form-error", role: "alert", hidden: true });
    const save = h(
      "button",
      { type: "submit", class: "btn btn-primary", dataset: { testid: "committee-save" } },
      editing ? t("committees.save") : t("committees.create"),
    );
    const cancel = h(
      "button",
      { type: "button", class: "btn btn-secondary", dataset: { testid: "committee-cancel" } },
      t("committees.cancel"),
    );
    const title = editing
      ? admin
        ? t("committees.editTitle")
        : t("committees.profileOf", { name: committee.name })
      : t("committees.newTitle");
    const form = h(
      "form",
      { class: "dialog-form", method: "dialog", novalidate: true },
      h(
        "div",
        { class: "committee-dialog-head" },
        h("h2", { class: "dialog-title", id: "committee-dialog-title" }, title),
        editing && admin ? h("p", { class: "committee-dialog-name" }, committee.name) : null,
      ),
      tabList,
      h("div", { class: "tab-panels" }, panelEls),
      h("div", { class: "committee-dialog-foot" }, problem, h("div", { class: "dialog-actions" }, cancel, save)),
    );
    const dialog = h(
      "dialog",
      {
        class: "dialog committee-dialog",
        "aria-labelledby": "committee-dialog-title",
        dataset: { testid: "committee-dialog" },
      },
      form,
    );

    function show(text) {
      setText(problem, text);
      problem.hidden = !text;
    }
    form.addEventListener("input", () => show("")); // a message about what has just changed

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const local = admin ? general.problem() : null;
      if (local) {
        select("general");
        show(local[0]);
        local[1].focus();
        return;
      }
      const profileProblem = profile.problem();
      if (profileProblem) {
        select("minutes");
        show(profileProblem);
        return;
      }
      show("");
      save.disabled = true;
      try {
        if (!admin) {
          await committeesApi.saveProfile(committee.id, profile.value());
          saved = { ...committee, profile: profile.value() };
        } else {
          const body = {
            ...general.values(),
            member_ids: members.ids(),
            profile: profile.value(),
          };
          const answer = editing
            ? await committeesApi.edit(committee.id, body)
            : await committeesApi.create(body);
          saved = answer.committee;
        }
        dialog.close();
      } catch (error) {
        const code = error instanceof ApiError ? error.code : "internal";
        show(error.message ? `${errorText(code)} (${error.message})` : errorText(code));
      } finally {
        save.disabled = false;
      }
    });
    cancel.addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      profile.destroy();
      dialog.remove();
      resolve(saved);
    });
    document.body.append(dialog);
    select(admin ? tab : "minutes");
    dialog.showModal();
    if (admin && current === "general") general.name.focus();
    else tabButtons[TABS.indexOf(current)].focus();
  });
}
