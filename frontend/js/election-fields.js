// @ts-check
// The chair's poll form, for an election or a confidence vote: the names (one per line,
// stored in Unicode NFC), the seats of an election, the "low" flag of a confidence vote.
// Both are always secret: choosing either ticks "secret" and locks it.

import { h } from "./dom.js";
import { t } from "./i18n.js";
import { CONFIDENCE, ELECTION, isSpecial } from "./elections.js";

const NAMES_MAX = 50;
const PRESENT_OR_CAST = ["simple", "two_thirds_present"];

export function specialKindOptions() {
  return [ELECTION, CONFIDENCE].map((kind) => h("option", { value: kind }, t(`poll.kind.${kind}`)));
}

function labelled(text, control, testid) {
  return h(
    "label",
    { class: "field grow", dataset: { testid } },
    h("span", { class: "field-label" }, text),
    control,
  );
}

/** The fields, hidden until `show(kind)` names one of the two kinds. */
export function specialFields({ secret, allowChange, majority = null }) {
  const names = h("textarea", {
    class: "input textarea",
    rows: "5",
    dataset: { testid: "poll-names" },
  });
  const seats = h("input", {
    type: "number",
    class: "input",
    min: "1",
    max: String(NAMES_MAX),
    value: "1",
    dataset: { testid: "poll-seats" },
  });
  const lowFlag = h(
    "select",
    { class: "select", dataset: { testid: "poll-low-flag" } },
    ["more_than_half", "two_thirds"].map((flag) =>
      h("option", { value: flag }, t(`confidence.lowFlag.${flag}`)),
    ),
  );
  const namesLabel = h("span", { class: "field-label" });
  const seatsField = labelled(t("election.seats"), seats, "field-seats");
  const flagField = labelled(t("confidence.lowFlag"), lowFlag, "field-low-flag");
  const el = h(
    "div",
    { hidden: true, dataset: { testid: "special-fields" } },
    h(
      "div",
      { class: "field-row" },
      h("label", { class: "field grow", dataset: { testid: "field-names" } }, namesLabel, names),
      seatsField,
      flagField,
    ),
    h("p", { class: "field-hint" }, t("election.secretAlways")),
  );
  let wasSecret = null;

  function show(kind) {
    const special = isSpecial({ kind });
    el.hidden = !special;
    if (special) {
      namesLabel.textContent = t(kind === ELECTION ? "election.candidates" : "confidence.persons");
      seatsField.hidden = kind !== ELECTION;
      flagField.hidden = kind !== CONFIDENCE;
      if (wasSecret === null) wasSecret = secret.checked;
      secret.checked = true;
      allowChange.checked = false;
    } else if (wasSecret !== null) {
      secret.checked = wasSecret;
      wasSecret = null;
    }
    secret.disabled = special;
    allowChange.disabled = special || secret.checked;
    // An election counts against everyone summoned: rules of those present or of the
    // votes cast are not offered (the server refuses them).
    for (const option of majority?.options ?? []) {
      option.disabled = kind === ELECTION && PRESENT_OR_CAST.includes(option.value);
    }
    if (majority?.selectedOptions[0]?.disabled) {
      majority.selectedIndex = 0; // the committee's rule
      majority.dispatchEvent(new Event("change"));
    }
  }

  /** `{data}` to merge into poll.create, or `{error}` (a string key). */
  function payload(kind) {
    const list = names.value
      .split("\n")
      .map((s) => s.trim().normalize("NFC"))
      .filter(Boolean);
    if (list.length < 1 || list.length > NAMES_MAX || new Set(list).size !== list.length) {
      return { error: "election.namesInvalid" };
    }
    const data = { options: list, secret: true, allow_change: false };
    if (kind === ELECTION) {
      const n = Number(seats.value);
      if (!Number.isInteger(n) || n < 1 || n > list.length) return { error: "election.seatsInvalid" };
      data.max_choices = n;
    } else {
      data.low_flag = lowFlag.value;
    }
    return { data };
  }

  return { el, show, payload };
}
