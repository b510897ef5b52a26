// @ts-check
// A poll's result as a horizontal bar chart in SVG (no library): one bar per answer, the
// number at its end, and a dashed line at the number of votes needed to pass; and the
// verdict in one sentence, from the server's result: the votes in favour, the base the rule
// counts against, the number needed, and whether the proposal passed.

import { h } from "./dom.js";
import { t, tn } from "./i18n.js";
import { isSpecial, specialResult } from "./elections.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 640;
const LABEL_W = 190;
const BAR_H = 30;
const GAP = 14;
const PAD = 10;
const VALUE_W = 56;

function node(tag, attrs = {}, text = null) {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  if (text !== null) el.textContent = text;
  return el;
}

/** The bars of a result: [{label, value, kind}] (kind: yes/no/abstain/option/winner). */
export function resultBars(poll) {
  const result = poll.result;
  if (poll.kind === "yes_no_abstain") {
    return [
      { label: t("vote.choice.yes"), value: result.counts[0] ?? 0, kind: "yes" },
      { label: t("vote.choice.no"), value: result.counts[1] ?? 0, kind: "no" },
      { label: t("vote.choice.abstain"), value: result.abstentions, kind: "abstain" },
    ];
  }
  return [
    ...poll.options.map((label, index) => ({
      label,
      value: result.counts[index] ?? 0,
      kind: result.winners.includes(index) ? "winner" : "option",
    })),
    { label: t("vote.choice.blank"), value: result.abstentions, kind: "abstain" },
  ];
}

export function resultChart(poll) {
  if (isSpecial(poll)) return specialResult(poll); // a table: votes and shares, flags
  const bars = resultBars(poll);
  const result = poll.result;
  const height = PAD * 2 + bars.length * BAR_H + (bars.length - 1) * GAP + 22;
  const scaleMax = Math.max(1, result.base, result.needed, ...bars.map((b) => b.value));
  const plotW = WIDTH - LABEL_W - VALUE_W - PAD;
  const svg = node("svg", {
    viewBox: `0 0 ${WIDTH} ${height}`,
    class: "result-chart",
    role: "img",
    "aria-label": bars.map((b) => `${b.label}: ${b.value}`).join(", "),
    "data-testid": "poll-chart",
  });
  bars.forEach((bar, index) => {
    const y = PAD + index * (BAR_H + GAP);
    svg.append(
      node(
        "text",
        { x: LABEL_W - 10, y: y + BAR_H / 2 + 6, "text-anchor": "end", class: "chart-label" },
        truncate(bar.label, 22),
      ),
    );
    svg.append(
      node("rect", { x: LABEL_W, y, width: plotW, height: BAR_H, rx: 6, class: "chart-track" }),
    );
    const w = Math.round((bar.value / scaleMax) * plotW);
    if (w > 0)
      svg.append(
        node("rect", {
          x: LABEL_W,
          y,
          width: w,
          height: BAR_H,
          rx: 6,
          class: `chart-bar bar-${bar.kind}`,
        }),
      );
    svg.append(
      node(
        "text",
        {
          x: LABEL_W + plotW + 10,
          y: y + BAR_H / 2 + 6,
          class: "chart-value",
          "data-kind": bar.kind,
        },
        String(bar.value),
      ),
    );
  });
  if (result.needed > 0) {
    const x = LABEL_W + Math.round((result.needed / scaleMax) * plotW);
    const bottom = PAD + bars.length * BAR_H + (bars.length - 1) * GAP;
    svg.append(node("line", { x1: x, y1: PAD - 4, x2: x, y2: bottom + 4, class: "chart-needed" }));
    svg.append(
      node(
        "text",
        { x, y: bottom + 20, "text-anchor": "middle", class: "chart-needed-label" },
        t("poll.neededShort", { count: result.needed }),
      ),
    );
  }
  return svg;
}

function truncate(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "1 phiếu tán thành trên tổng số 9 thành viên: cần ít nhất 5, chưa đạt." for a
 * yes/no/abstain poll (null for an options poll: its winners say it). */
export function resultVerdict(poll) {
  const result = poll.result;
  if (poll.kind !== "yes_no_abstain" || !result) return null; // its outcome says it
  const text = t(result.adopted ? "poll.verdict.adopted" : "poll.verdict.rejected", {
    yes: tn("poll.verdict.yes", result.counts[0] ?? 0),
    base: tn(`poll.verdict.base.${result.majority.base}`, result.base),
    needed: result.needed,
  });
  return h(
    "p",
    {
      class: `poll-verdict ${result.adopted ? "is-adopted" : "is-rejected"}`,
      dataset: { testid: "poll-verdict" },
    },
    text,
  );
}
