// @ts-check
// Votes in the meeting: the chair creates a poll (from the current item), opens and closes
// it; everyone sees what it needs to pass (the server's numbers, from the moment it is
// created), live participation ("37 / 42 voted"; for a named poll who has not voted yet),
// the result with its chart, the count (abstentions, those who did not vote and the absent
// apart) and whether it passed under the rule. A secret poll shows totals only, and the list
// of counted receipts, where a member finds their own.

import {
  clerkActions,
  clerkNotes,
  clerkResultLines,
  paperCloseNote,
  recordedMark,
} from "./clerk-poll-tools.js";
import { confirmDialog } from "./confirm-dialog.js";
import { h, setText } from "./dom.js";
import { compareNames, t, tn } from "./i18n.js";
import { displayName, numberOfItem } from "./meeting-state.js";
import { openPollDialog } from "./poll-dialog.js";
import { requirementText } from "./poll-rules.js";
import { resultChart, resultVerdict } from "./result-chart.js";
import { blankCount, isSpecial, ruleName, specialVerdict } from "./elections.js";
import { keyedCache, sameInputs, syncChildren } from "./keyed.js";
import { voteStorage } from "./vote-storage.js";
import { countingVoters, pollList, youIn } from "./voting-state.js";
import { recordedText } from "./your-vote.js";

const BY_NAME = new Intl.Collator("vi"); // as String#localeCompare(…, "vi")

export function createPollsPanel({ run, meetingId, openSheet, remind = null }) {
  let model = null;
  const openDetails = new Set(); // poll ids whose receipt / ballot lists are unfolded
  const cards = keyedCache(); // poll id -> its card, drawn again only when it changed
  let cardContext = null; // what every card depends on besides its poll
  let nameCache = { roster: null, byId: new Map() }; // display names, and the roster they are of

  const heading = h("h2", { class: "panel-title" });
  const create = h("button", {
    type: "button",
    class: "btn btn-primary btn-small",
    dataset: { testid: "poll-create" },
    onclick: async () => {
      const data = await openPollDialog({ model });
      if (data) run("poll.create", data, "poll-create");
    },
  });
  const list = h("div", { class: "poll-list", dataset: { testid: "poll-list" } });
  const empty = h("p", { class: "muted" });
  const el = h(
    "section",
    { class: "panel polls-panel", dataset: { testid: "polls" } },
    h("div", { class: "panel-head" }, heading, create),
    empty,
    list,
  );

  function name(userId) {
    if (nameCache.roster !== model.state.roster) {
      nameCache = {
        roster: model.state.roster,
        byId: new Map(model.state.roster.map((p) => [p.user_id, p.display_name])),
      };
    }
    const known = nameCache.byId.get(userId) ?? displayName(model.state, userId);
    return known ?? t("person.unknown", { id: userId });
  }

  function chairButton(poll, testid, label, onclick, cls = "btn-secondary") {
    return h(
      "button",
      {
        type: "button",
        class: `btn btn-small ${cls}`,
        dataset: { testid },
        disabled:
          model.connection !== "live" ||
          model.busy.has(`poll:${poll.id}`) ||
          model.state.status === "ended",
        onclick,
      },
      label,
    );
  }

  /** Voters counted in the poll who have no ballot yet (or, once closed, never had one); a
   * member given a paper ballot has one. */
  function notVoted(poll) {
    const has = new Set([...poll.voted, ...(poll.paper_voters ?? [])]);
    return countingVoters(poll).filter((v) => !has.has(v));
  }

  /** Their names in the order of Vietnamese lists, as the minutes give them. */
  function sortedNames(ids) {
    return ids.map(name).sort(compareNames).join(", ");
  }

  function participation(poll) {
    const voters = countingVoters(poll);
    const counted = new Set(voters);
    const voted = poll.voted.filter((v) => counted.has(v)).length;
    const bar = h("progress", {
      class: "participation-bar",
      max: String(Math.max(1, voters.length)),
      value: String(voted),
    });
    const text = h(
      "p",
      { class: "participation", dataset: { testid: "poll-participation" } },
      t("poll.participation", { voted, total: voters.length }),
    );
    const parts = [text, bar];
    if (!poll.secret && poll.status === "open") {
      const missing = notVoted(poll);
      if (missing.length > 0) {
        parts.push(
          h(
            "p",
            { class: "missing", dataset: { testid: "poll-missing" } },
            t("poll.notYet", { names: missing.map(name).join(", ") }),
          ),
        );
      }
    }
    return h("div", { class: "participation-box" }, parts);
  }

  function ruleText(poll) {
    return `${ruleName(poll)} · ${t(poll.secret ? "poll.secretShort" : "poll.namedShort")}`;
  }

  function needsLine(poll) {
    const text = requirementText(poll);
    if (text === null) return null;
    return h(
      "p",
      { class: "poll-needs", dataset: { testid: "poll-needs" } },
      h("span", { class: "poll-needs-label" }, `${t("poll.needsLabel")}: `),
      text,
    );
  }

  /** The count as the server published it: each answer, then who did not vote and who
   * was absent (never lumped with abstentions). */
  function countText(poll) {
    const r = poll.result;
    const parts =
      poll.kind === "yes_no_abstain"
        ? [
            t("poll.count.yes", { count: r.counts[0] }),
            t("poll.count.no", { count: r.counts[1] }),
            t("poll.count.abstain", { count: r.abstentions }),
          ]
        : isSpecial(poll)
          ? blankCount(poll)
          : [t("poll.count.blank", { count: r.abstentions })];
    parts.push(t("poll.count.didNotVote", { count: r.did_not_vote }));
    if (r.absent) parts.push(t("poll.count.absent", { count: r.absent }));
    return parts.join(" · ");
  }

  /** Asks first (who has not voted yet), then closes; true once the poll is closed. Also
   * the chair's vote sheet closes a poll through this. */
  async function closePoll(pollId) {
    const poll = model?.state?.voting.polls[pollId];
    if (!poll || poll.status !== "open") return false;
    const sure = await confirmDialog({
      title: t("poll.closeConfirm.title"),
      body: `${t("poll.closeConfirm.body", { title: poll.title })} ${closeQuestion(poll)}${paperCloseNote(poll)}`,
      confirm: t("poll.close"),
      cancel: t("dialog.cancel"),
      // Reminding shows a notice on the tablets that still have a vote to cast.
      extra:
        remind && notVoted(poll).length > 0 && model.connection === "live"
          ? {
              label: t("poll.remind"),
              done: t("poll.reminded"),
              testid: "poll-remind",
              onclick: () => remind(poll.id),
            }
          : null,
    });
    if (!sure) return false;
    const ack = await run("poll.close", { poll_id: poll.id }, `poll:${poll.id}`);
    return ack?.ok === true;
  }

  function closeQuestion(poll) {
    const missing = notVoted(poll);
    if (missing.length === 0) return t("poll.closeConfirm.everyone");
    if (poll.secret) return tn("poll.closeConfirm.secret", missing.length);
    return t("poll.closeConfirm.named", { count: missing.length, names: sortedNames(missing) });
  }

  function resultBlock(poll) {
    const r = poll.result;
    const adopted = r.adopted;
    const outcome = isSpecial(poll)
      ? specialVerdict(poll)
      : poll.kind === "yes_no_abstain"
        ? t(adopted ? "poll.adopted" : "poll.rejected")
        : r.winners.length
          ? t("poll.elected", { names: r.winners.map((i) => poll.options[i]).join(", ") })
          : t("poll.noneElected");
    const parts = [
      h(
        "p",
        {
          class: `poll-outcome ${adopted ? "is-adopted" : "is-rejected"}`,
          dataset: { testid: "poll-outcome", adopted: String(adopted) },
        },
        outcome,
      ),
      resultVerdict(poll),
      resultChart(poll),
      h("p", { class: "result-facts", dataset: { testid: "poll-numbers" } }, countText(poll)),
      clerkResultLines(poll, { name }),
    ];
    const missing = notVoted(poll);
    if (!poll.secret && missing.length > 0) {
      parts.push(
        h(
          "p",
          { class: "result-facts", dataset: { testid: "poll-not-voted" } },
          t("poll.notVoted", { names: sortedNames(missing) }),
        ),
      );
    }
    if (!poll.secret && Object.keys(poll.votes).length > 0) {
      parts.push(
        details(
          poll,
          "ballots",
          t("poll.ballots"),
          h(
            "ul",
            { class: "ballot-list", dataset: { testid: "poll-ballots" } },
            Object.entries(poll.votes)
              .map(([voter, choice]) => [Number(voter), choice])
              .map(([voter, choice]) => [voter, choice, name(voter)])
              .sort((a, b) => BY_NAME.compare(a[2], b[2]))
              .map(([voter, choice]) =>
                h(
                  "li",
                  {},
                  h("span", {}, name(voter)),
                  h("span", { class: "ballot-choice" }, choiceText(poll, choice)),
                  recordedMark(poll, voter),
                ),
              ),
          ),
        ),
      );
    }
    if (poll.secret) parts.push(receiptsBlock(poll));
    return h("div", { class: "poll-result" }, parts);
  }

  function receiptsBlock(poll) {
    const you = youIn(poll, model.you.user_id);
    const mine = you.votes_for
      .map((voter) => ({ voter, receipt: voteStorage.receipt(meetingId, poll.id, voter) }))
      .filter((entry) => entry.receipt);
    const checks = mine.map(({ voter, receipt }) => {
      const found = poll.receipts.includes(receipt);
      return h(
        "p",
        {
          class: `receipt-check ${found ? "is-found" : "is-missing"}`,
          dataset: { testid: "receipt-check", found: String(found) },
        },
        t(found ? "poll.receiptFound" : "poll.receiptMissing", {
          receipt,
          who: voter === model.you.user_id ? t("room.you") : name(voter),
        }),
      );
    });
    const codes = h(
      "ol",
      { class: "receipt-list", dataset: { testid: "poll-receipts" } },
      poll.receipts.map((code) =>
        h(
          "li",
          {
            class: mine.some((m) => m.receipt === code) ? "is-mine" : "",
            dataset: { receipt: code },
          },
          code,
        ),
      ),
    );
    return h(
      "div",
      { class: "receipts" },
      checks,
      details(poll, "receipts", t("poll.receipts", { count: poll.receipts.length }), codes),
    );
  }

  function details(poll, kind, label, content) {
    const id = `${poll.id}:${kind}`;
    const el = h(
      "details",
      { class: "poll-details", open: openDetails.has(id), dataset: { testid: `details-${kind}` } },
      h("summary", {}, label),
      content,
    );
    el.addEventListener("toggle", () => (el.open ? openDetails.add(id) : openDetails.delete(id)));
    return el;
  }

  function choiceText(poll, choice) {
    if (typeof choice === "string") return t(`vote.choice.${choice}`);
    if (choice.length === 0) return t("vote.choice.blank");
    return choice.map((i) => poll.options[i]).join(", ");
  }

  function card(poll) {
    const chair = model.you?.role === "chair";
    const you = youIn(poll, model.you?.user_id);
    const live = model.state.status === "live";
    const itemNumber = poll.item_id !== null ? numberOfItem(model.state, poll.item_id) : null;
    const actions = [];
    if (chair && poll.status === "draft") {
      actions.push(
        chairButton(
          poll,
          "poll-open",
          t("poll.open"),
          () => run("poll.open", { poll_id: poll.id }, `poll:${poll.id}`),
          "btn-primary",
        ),
      );
    }
    if (chair && poll.status === "open") {
      actions.push(
        chairButton(
          poll,
          "poll-close",
          t("poll.close"),
          () => closePoll(poll.id),
          "btn-primary",
        ),
      );
    }
    if (chair && (poll.status === "draft" || poll.status === "open")) {
      actions.push(
        chairButton(poll, "poll-cancel", t("poll.cancel"), async () => {
          const sure = await confirmDialog({
            title: t("poll.cancelConfirm.title"),
            body: t("poll.cancelConfirm.body"),
            confirm: t("poll.cancel"),
            cancel: t("dialog.back"),
            danger: true,
          });
          if (sure) run("poll.cancel", { poll_id: poll.id }, `poll:${poll.id}`);
        }),
      );
    }
    actions.push(...clerkActions(poll, { model, run, name }));
    if (poll.status === "open" && you.can_vote_for.length > 0 && live) {
      const pending = you.can_vote_for.some((v) => !you.voted_for.includes(v));
      if (pending || poll.allow_change) {
        actions.unshift(
          h(
            "button",
            {
              type: "button",
              class: "btn btn-primary btn-small",
              dataset: { testid: "poll-vote" },
              onclick: () => openSheet(poll.id),
            },
            pending ? t("poll.voteNow") : t("poll.changeVote"),
          ),
        );
      }
    }
    let yourState = null;
    if (you.votes_for.length > 0 && poll.status !== "draft") {
      const all = you.voted_for.length === you.votes_for.length;
      yourState = h(
        "p",
        { class: `your-vote ${all ? "is-done" : ""}`, dataset: { testid: "poll-your-vote" } },
        all
          ? yourVotes(poll, you)
          : t(poll.status === "open" ? "poll.youNotVoted" : "poll.youDidNotVote"),
      );
    } else if (you.recused) {
      yourState = h("p", { class: "your-vote" }, t("poll.youRecused"));
    }
    return h(
      "article",
      {
        class: `poll-card status-${poll.status}`,
        dataset: { testid: "poll", pollId: String(poll.id), status: poll.status },
      },
      h(
        "div",
        { class: "poll-head" },
        h(
          "div",
          { class: "poll-heading" },
          h("h3", { class: "poll-title" }, itemNumber ? `${itemNumber}. ` : "", poll.title),
          h("p", { class: "poll-meta" }, ruleText(poll)),
          needsLine(poll),
        ),
        h(
          "span",
          { class: `poll-status status-${poll.status}`, dataset: { testid: "poll-status" } },
          t(`poll.status.${poll.status}`),
        ),
      ),
      poll.status === "open" || poll.status === "closed" ? participation(poll) : null,
      yourState,
      clerkNotes(poll, { model, name }),
      poll.status === "closed" && poll.result ? resultBlock(poll) : null,
      poll.status === "cancelled" && poll.cancel_reason
        ? h("p", { class: "muted" }, poll.cancel_reason)
        : null,
      actions.length ? h("div", { class: "button-row poll-actions" }, actions) : null,
    );
  }

  function update(nextModel) {
    model = nextModel;
    el.hidden = model.state === null;
    if (el.hidden) return;
    const polls = pollList(model.state.voting);
    const chair = model.you?.role === "chair";
    setText(heading, t("poll.panelTitle"));
    create.hidden = !chair || model.state.status === "ended";
    setText(create, `+ ${t("poll.new")}`);
    create.disabled = model.connection !== "live" || model.busy.has("poll-create");
    empty.hidden = polls.length > 0;
    setText(empty, chair ? t("poll.emptyChair") : t("poll.empty"));
    // A card is drawn again only when its poll (kept identical by the fold while nothing
    // happens to it), what this tablet stored about its votes, or the room around it changed.
    const context = [
      model.connection,
      [...model.busy].join("|"),
      model.you,
      model.state.status,
      model.state.agenda,
      model.state.roster,
      model.state.attendance,
      model.forced,
    ];
    if (!sameInputs(context, cardContext)) cards.clear();
    cardContext = context;
    syncChildren(
      list,
      polls.map((poll) => cards.get(poll.id, [poll, storedKey(poll)], () => card(poll))),
    );
    cards.sweep();
  }

  /** What this tablet keeps about its votes in the poll (receipts, cast here). */
  function storedKey(poll) {
    const you = youIn(poll, model.you?.user_id);
    if (you.votes_for.length === 0) return "";
    const stored = (voter) => [
      voteStorage.receipt(meetingId, poll.id, voter),
      voteStorage.castHere(meetingId, poll.id, voter),
    ];
    return JSON.stringify(you.votes_for.map(stored));
  }

  /** The viewer's recorded votes: the choice (named polls), and whether from this tablet. */
  function yourVotes(poll, you) {
    const lines = you.votes_for.map((voter) =>
      recordedText(poll, voter, model.you.user_id, meetingId, name),
    );
    return lines.includes(null) ? t("poll.youVoted") : lines.join(" ");
  }

  return { el, update, closePoll };
}
