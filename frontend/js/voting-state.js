// @ts-check
// Polls and proxies on the client: the snapshot read back and the fold of voting events,
// mirroring voting/_lifecycle.py and voting/_wire.py. Pure: no DOM, no clock. The viewer's
// own block (whose votes they cast, which are cast, which they may cast now) is derived
// here for any state, as the server's `you` block is in the snapshot. What a poll needs to
// pass (`requirement`) is the server's: copied from the events that carry it, never computed.

export const VOTING_EVENT_TYPES = new Set([
  "poll.created",
  "poll.updated",
  "poll.opened",
  "poll.closed",
  "poll.cancelled",
  "poll.recused",
  "proxy.granted",
  "proxy.revoked",
  "vote.cast",
  "vote.participated",
  "vote.paper_marked",
  "poll.paper_tallied",
]);

export const MAJORITY_RULES = ["simple", "absolute", "two_thirds_present", "two_thirds_members"];

// (status, event type) -> status, as voting.LIFECYCLE.
const LIFECYCLE = {
  "draft:poll.updated": "draft",
  "draft:poll.recused": "draft",
  "draft:poll.opened": "open",
  "draft:poll.cancelled": "cancelled",
  "open:poll.recused": "open",
  "open:vote.cast": "open",
  "open:vote.participated": "open",
  "open:vote.paper_marked": "open",
  "open:poll.paper_tallied": "open",
  "open:poll.closed": "closed",
  "open:poll.cancelled": "cancelled",
};

const SPEC_FIELDS = [
  "title",
  "kind",
  "options",
  "min_choices",
  "max_choices",
  "secret",
  "allow_change",
  "majority",
  "quorum",
  "deadline",
  "item_id",
];

function spec(data) {
  const out = {};
  for (const field of SPEC_FIELDS) out[field] = data[field] ?? null;
  out.options = [...(data.options ?? [])];
  // A confidence vote's low-confidence flag (PollSpec.to_wire sends it for that kind only).
  if (data.kind === "confidence") out.low_flag = data.low_flag ?? null;
  return out;
}

export function emptyVoting() {
  return { polls: {}, proxies: {} };
}

export function votingFromWire(wire) {
  if (!wire) return emptyVoting();
  const polls = {};
  for (const raw of wire.polls ?? []) {
    polls[raw.id] = {
      id: raw.id,
      ...spec(raw),
      status: raw.status,
      created_at: raw.created_at ?? null,
      opened_at: raw.opened_at ?? null,
      ended_at: raw.ended_at ?? null,
      cancel_reason: raw.cancel_reason ?? null,
      members: [...(raw.members ?? [])],
      eligible: [...(raw.eligible ?? [])],
      proxies: proxyMap(raw.proxies),
      recused: [...(raw.recused ?? [])],
      voted: [...(raw.voted ?? [])],
      votes: Object.fromEntries((raw.votes ?? []).map((v) => [v.voter_id, v.choice])),
      ...clerkFromWire(raw),
      requirement: raw.requirement ?? null,
      result: raw.result ?? null,
      receipts: [...(raw.receipts ?? [])],
    };
  }
  return { polls, proxies: proxyMap(wire.proxies) };
}

// Members without a device (voting/_clerk.py): votes the clerk recorded (voter -> clerk),
// members given a paper ballot, and the paper tally.
function clerkFromWire(raw) {
  const recorded = (raw.votes ?? []).filter((v) => v.recorded_by != null);
  return {
    recorded: Object.fromEntries(recorded.map((v) => [v.voter_id, v.recorded_by])),
    paper_voters: [...(raw.paper_voters ?? [])],
    paper_tally: raw.paper_tally ?? null,
  };
}

function proxyMap(list) {
  return Object.fromEntries((list ?? []).map((p) => [p.grantor_id, p.holder_id]));
}

const addId = (list, id) => (list.includes(id) ? list : [...list, id].sort((a, b) => a - b));

// An event logged before the server decided requirements carries none: keep the last one.
const requirementOf = (data, before) => data.requirement ?? before;

function pollEvent(poll, type, data, at) {
  switch (type) {
    case "poll.updated":
      return { ...poll, ...spec(data), requirement: requirementOf(data, poll.requirement) };
    case "poll.opened":
      return {
        ...poll,
        opened_at: at,
        members: [...data.members],
        eligible: [...data.eligible],
        proxies: proxyMap(data.proxies),
        requirement: requirementOf(data, poll.requirement),
      };
    case "poll.recused":
      return {
        ...poll,
        recused: addId(poll.recused, data.user_id),
        requirement: requirementOf(data, poll.requirement),
      };
    case "vote.cast": {
      // The clerk's record carries recorded_by; the member's own recast clears it.
      const recorded = { ...poll.recorded };
      delete recorded[data.voter_id];
      if (data.recorded_by != null) recorded[data.voter_id] = data.recorded_by;
      return {
        ...poll,
        votes: { ...poll.votes, [data.voter_id]: data.choice },
        recorded,
        voted: addId(poll.voted, data.voter_id),
      };
    }
    case "vote.paper_marked":
      return { ...poll, paper_voters: addId(poll.paper_voters, data.voter_id) };
    case "poll.paper_tallied": {
      const { poll_id: _pollId, ...tally } = data;
      return { ...poll, paper_tally: tally };
    }
    case "vote.participated":
      return { ...poll, voted: addId(poll.voted, data.voter_id) };
    case "poll.closed":
      // The result settles the requirement: the base the count used and what it needed.
      return {
        ...poll,
        ended_at: at,
        result: data.result,
        receipts: [...(data.receipts ?? [])],
        requirement: {
          base_kind: data.result.majority.base,
          base: data.result.base,
          needed: data.result.needed,
        },
      };
    case "poll.cancelled":
      return { ...poll, ended_at: at, cancel_reason: data.reason ?? null };
    default:
      return poll;
  }
}

/** Fold one voting event; throws when the log and the state disagree. */
export function applyVotingEvent(voting, type, data, at) {
  if (type === "proxy.granted") {
    return { ...voting, proxies: { ...voting.proxies, [data.grantor_id]: data.holder_id } };
  }
  if (type === "proxy.revoked") {
    const proxies = { ...voting.proxies };
    delete proxies[data.grantor_id];
    return { ...voting, proxies };
  }
  if (type === "poll.created") {
    const poll = {
      id: data.poll_id,
      ...spec(data),
      status: "draft",
      created_at: at,
      opened_at: null,
      ended_at: null,
      cancel_reason: null,
      members: [],
      eligible: [],
      proxies: {},
      recused: [],
      voted: [],
      votes: {},
      recorded: {},
      paper_voters: [],
      paper_tally: null,
      requirement: requirementOf(data, null),
      result: null,
      receipts: [],
    };
    return { ...voting, polls: { ...voting.polls, [poll.id]: poll } };
  }
  if (!VOTING_EVENT_TYPES.has(type)) return voting;
  const before = voting.polls[data.poll_id];
  if (before === undefined) throw new Error(`voting: no poll ${data.poll_id}`);
  const status = LIFECYCLE[`${before.status}:${type}`];
  if (status === undefined) throw new Error(`voting: ${type} on a ${before.status} poll`);
  const after = { ...pollEvent(before, type, data, at), status };
  return { ...voting, polls: { ...voting.polls, [after.id]: after } };
}

/** Polls, newest first. */
export function pollList(voting) {
  return Object.values(voting.polls).sort((a, b) => b.id - a.id);
}

/** The viewer's block, as voting/_wire.py `_you`. */
export function youIn(poll, viewer) {
  const proxies = poll.proxies ?? {};
  const inPerson = poll.eligible.includes(viewer) && !(String(viewer) in proxies);
  const held = Object.entries(proxies)
    .filter(([, holder]) => holder === viewer)
    .map(([grantor]) => Number(grantor))
    .sort((a, b) => a - b);
  // A member given a paper ballot votes on paper, not through this block (`paper`).
  const paperVoters = poll.paper_voters ?? [];
  const votesFor = [...(inPerson ? [viewer] : []), ...held].filter(
    (v) => !poll.recused.includes(v) && !paperVoters.includes(v),
  );
  // Once the paper tally is entered, tablet voting has ended (voting/_clerk.py).
  const open = poll.status === "open" && (poll.paper_tally ?? null) === null;
  return {
    recused: poll.recused.includes(viewer),
    votes_for: votesFor,
    voted_for: votesFor.filter((v) => poll.voted.includes(v)),
    can_vote_for: votesFor.filter((v) => open && (!poll.voted.includes(v) || poll.allow_change)),
    paper: paperVoters.includes(viewer),
  };
}

/** Voters counted in a poll (eligible at open, not recused). */
export function countingVoters(poll) {
  return poll.eligible.filter((v) => !poll.recused.includes(v));
}

/** Whether a cast would come too late by the client's clock. */
export function pastDeadline(poll, nowMs) {
  return poll.deadline !== null && nowMs >= Date.parse(poll.deadline);
}
