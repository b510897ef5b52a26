// @ts-check
// The top of the vote sheet: the poll's title; whose vote this is (one's own or a proxy's)
// with the poll's kind and rule; what the poll needs to pass, in the server's numbers; "the
// chair reminds you to vote"; and, without a connection, why the sheet waits.
//
// Contract: each show…() sets its line from its arguments alone, hiding it when there is
// nothing to say; the sheet decides when (see vote-sheet.js).

import { h, replaceChildren, setText } from "./dom.js";
import { t } from "./i18n.js";
import { ruleName } from "./elections.js";
import { requirementText } from "./poll-rules.js";

export const SHEET_TITLE_ID = "vote-sheet-title";

export function createVoteSheetHead() {
  const title = h("h2", {
    class: "dialog-title sheet-title",
    id: SHEET_TITLE_ID,
    dataset: { testid: "vote-title" },
  });
  const subtitle = h("p", { class: "sheet-subtitle", dataset: { testid: "vote-for" } });
  const needs = h("p", { class: "sheet-needs", dataset: { testid: "vote-needs" } });
  // The chair or the clerk reminded this tablet to vote (an ephemeral `remind`).
  const reminder = h("p", {
    class: "sheet-reminder",
    role: "status",
    hidden: true,
    dataset: { testid: "vote-reminder" },
  });
  // Without a connection: why the sheet waits (the banner of the room is behind it).
  const offline = h("div", {
    class: "sheet-offline",
    role: "status",
    hidden: true,
    dataset: { testid: "vote-offline" },
  });

  return {
    elements: [title, subtitle, needs, reminder, offline],

    /** @param {any} poll @param {string | null} proxyName whose vote it is; null: one's own */
    showTitle(poll, proxyName) {
      setText(title, poll.title);
      const facts = [t(poll.secret ? "poll.secretShort" : "poll.namedShort"), ruleName(poll)];
      setText(
        subtitle,
        proxyName === null
          ? `${t("vote.yourVote")} · ${facts.join(" · ")}`
          : `${t("vote.proxyFor", { name: proxyName })} · ${facts.join(" · ")}`,
      );
    },

    /** What the poll needs to pass; a recusal while the sheet is open may change it.
     * @param {any} poll */
    showNeeds(poll) {
      const needed = requirementText(poll);
      needs.hidden = needed === null;
      setText(needs, needed === null ? "" : `${t("poll.needsLabel")}: ${needed}`);
    },

    /** @param {string | null} byName who reminded this voter; null: no reminder shown */
    showReminder(byName) {
      reminder.hidden = byName === null;
      setText(reminder, byName === null ? "" : t("vote.reminder", { name: byName }));
    },

    /** @param {"choose" | "sending" | null} waiting what waits for the connection; null:
     * nothing (connected, or no vote to send) */
    showOffline(waiting) {
      offline.hidden = waiting === null;
      if (waiting === null) return replaceChildren(offline);
      replaceChildren(
        offline,
        h("strong", { class: "sheet-offline-title" }, t("vote.offline.title")),
        h("span", {}, t(waiting === "sending" ? "vote.offline.sending" : "vote.offline.choose")),
      );
    },
  };
}
