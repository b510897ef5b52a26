// @ts-check
// The agenda on the client: the snapshot form read back, and the fold of agenda events.
// Mirrors agenda/_wire.py (state_from_wire) and agenda/_fold_items.py, _flow.py,
// _speakers.py on the server. Pure: no DOM, no clock. Numbers ("1", "1.2") are derived
// from the order, as on the server, never stored.

export const AGENDA_EVENT_TYPES = new Set([
  "agenda.item_added",
  "agenda.item_updated",
  "agenda.item_moved",
  "agenda.item_removed",
  "agenda.item_status_changed",
  "agenda.document_attached",
  "agenda.document_detached",
  "agenda.current_changed",
  "speakers.requested",
  "speakers.withdrawn",
  "speakers.granted",
  "speakers.ended",
  "speakers.default_limit_set",
]);

export const ITEM_KINDS = ["information", "discussion", "decision"];
export const ITEM_STATUSES = ["pending", "done", "deferred", "withdrawn"];
export const DEPTH_MAX = 3;

// (from -> allowed targets), as agenda/_lifecycle.py STATUS_MOVES.
export const STATUS_MOVES = {
  pending: ["done", "deferred", "withdrawn"],
  done: ["pending", "deferred"],
  deferred: ["pending", "withdrawn"],
  withdrawn: ["pending"],
};
export const CURRENT_STATUSES = new Set(["pending", "done"]);

const ROOT = "root";
const key = (parentId) => (parentId === null || parentId === undefined ? ROOT : String(parentId));

export function emptyAgenda() {
  return {
    items: {},
    children: {},
    nextItemId: 1,
    currentId: null,
    speech: null,
    queues: {},
    defaultLimitSecs: null,
  };
}

/** The agenda from a snapshot (`state.agenda`); items arrive in numbering order. */
export function agendaFromWire(wire) {
  if (!wire) return emptyAgenda();
  const items = {};
  const children = {};
  for (const raw of wire.items ?? []) {
    items[raw.id] = {
      id: raw.id,
      title: raw.title,
      kind: raw.kind,
      description: raw.description ?? "",
      planned_minutes: raw.planned_minutes ?? null,
      presenter_id: raw.presenter_id ?? null,
      document_ids: [...(raw.document_ids ?? [])],
      status: raw.status,
      parent_id: raw.parent_id ?? null,
      visits: (raw.visits ?? []).map((v) => ({ started_at: v.started_at, ended_at: v.ended_at })),
      speeches: (raw.speeches ?? []).map((s) => ({ ...s })),
    };
    const k = key(raw.parent_id);
    children[k] = [...(children[k] ?? []), raw.id];
  }
  const queues = {};
  for (const [itemId, queue] of Object.entries(wire.queues ?? {})) {
    queues[itemId] = queue.map((r) => ({ user_id: r.user_id, requested_at: r.requested_at }));
  }
  const speech = wire.speech
    ? {
        user_id: wire.speech.user_id,
        started_at: wire.speech.started_at,
        limit_secs: wire.speech.limit_secs ?? null,
      }
    : null;
  return {
    items,
    children,
    nextItemId: wire.next_item_id ?? 1,
    currentId: wire.current_item_id ?? null,
    speech,
    queues,
    defaultLimitSecs: wire.default_limit_secs ?? null,
  };
}

function withSiblings(children, parentId, ids) {
  const next = { ...children };
  if (ids.length > 0) next[key(parentId)] = ids;
  else delete next[key(parentId)];
  return next;
}

function detached(agenda, item) {
  const siblings = (agenda.children[key(item.parent_id)] ?? []).filter((id) => id !== item.id);
  return withSiblings(agenda.children, item.parent_id, siblings);
}

function withItem(agenda, item) {
  return { ...agenda, items: { ...agenda.items, [item.id]: item } };
}

function withoutRequest(queues, itemId, userId) {
  const next = { ...queues };
  const kept = (next[itemId] ?? []).filter((r) => r.user_id !== userId);
  delete next[itemId];
  if (kept.length > 0) next[itemId] = kept;
  return next;
}

function itemOf(agenda, id) {
  const item = agenda.items[id];
  if (item === undefined) throw new Error(`agenda: no item ${id}`);
  return item;
}

/** Fold one agenda event (type in AGENDA_EVENT_TYPES). Throws when the log and state disagree. */
export function applyAgendaEvent(agenda, type, data, at) {
  switch (type) {
    case "agenda.item_added": {
      if (data.item_id !== agenda.nextItemId) {
        throw new Error(`agenda: item ${data.item_id} added, expected ${agenda.nextItemId}`);
      }
      const item = {
        id: data.item_id,
        title: data.title,
        kind: data.kind,
        description: data.description ?? "",
        planned_minutes: data.planned_minutes ?? null,
        presenter_id: data.presenter_id ?? null,
        document_ids: [...(data.document_ids ?? [])],
        status: "pending",
        parent_id: data.parent_id ?? null,
        visits: [],
        speeches: [],
      };
      const siblings = [...(agenda.children[key(item.parent_id)] ?? [])];
      siblings.splice(data.position, 0, item.id);
      return {
        ...withItem(agenda, item),
        children: withSiblings(agenda.children, item.parent_id, siblings),
        nextItemId: item.id + 1,
      };
    }
    case "agenda.item_updated": {
      const { item_id: itemId, ...changes } = data;
      if ("document_ids" in changes) changes.document_ids = [...changes.document_ids];
      return withItem(agenda, { ...itemOf(agenda, itemId), ...changes });
    }
    case "agenda.item_moved": {
      const item = itemOf(agenda, data.item_id);
      const parentId = data.parent_id ?? null;
      const children = detached(agenda, item);
      const siblings = [...(children[key(parentId)] ?? [])];
      siblings.splice(data.position, 0, item.id);
      return {
        ...withItem(agenda, { ...item, parent_id: parentId }),
        children: withSiblings(children, parentId, siblings),
      };
    }
    case "agenda.item_removed": {
      const item = itemOf(agenda, data.item_id);
      const items = { ...agenda.items };
      delete items[item.id];
      const queues = { ...agenda.queues };
      delete queues[item.id];
      return { ...agenda, items, children: detached(agenda, item), queues };
    }
    case "agenda.item_status_changed":
      return withItem(agenda, { ...itemOf(agenda, data.item_id), status: data.status });
    case "agenda.document_attached": {
      const item = itemOf(agenda, data.item_id);
      return withItem(agenda, { ...item, document_ids: [...item.document_ids, data.document_id] });
    }
    case "agenda.document_detached": {
      const item = itemOf(agenda, data.item_id);
      const kept = item.document_ids.filter((d) => d !== data.document_id);
      return withItem(agenda, { ...item, document_ids: kept });
    }
    case "agenda.current_changed": {
      const items = { ...agenda.items };
      if (agenda.currentId !== null) {
        const left = itemOf(agenda, agenda.currentId);
        const visits = [...left.visits];
        visits[visits.length - 1] = { ...visits[visits.length - 1], ended_at: at };
        items[left.id] = { ...left, visits };
      }
      const target = data.item_id ?? null;
      if (target !== null) {
        const item = itemOf({ items }, target);
        items[target] = { ...item, visits: [...item.visits, { started_at: at, ended_at: null }] };
      }
      return { ...agenda, items, currentId: target };
    }
    case "speakers.requested": {
      const queue = [
        ...(agenda.queues[data.item_id] ?? []),
        { user_id: data.user_id, requested_at: at },
      ];
      return { ...agenda, queues: { ...agenda.queues, [data.item_id]: queue } };
    }
    case "speakers.withdrawn":
      return { ...agenda, queues: withoutRequest(agenda.queues, data.item_id, data.user_id) };
    case "speakers.granted":
      return {
        ...agenda,
        queues: withoutRequest(agenda.queues, data.item_id, data.user_id),
        speech: { user_id: data.user_id, started_at: at, limit_secs: data.limit_secs ?? null },
      };
    case "speakers.ended": {
      if (agenda.speech === null) throw new Error("agenda: speakers.ended while nobody speaks");
      const item = itemOf(agenda, data.item_id);
      const done = { ...agenda.speech, ended_at: at, duration_secs: data.duration_secs };
      return {
        ...withItem(agenda, { ...item, speeches: [...item.speeches, done] }),
        speech: null,
      };
    }
    case "speakers.default_limit_set":
      return { ...agenda, defaultLimitSecs: data.limit_secs ?? null };
    default:
      return agenda;
  }
}

/** Item ids depth-first in numbering order. */
export function walk(agenda, parentId = null, out = []) {
  for (const child of agenda.children[key(parentId)] ?? []) {
    out.push(child);
    walk(agenda, child, out);
  }
  return out;
}

export function childrenOf(agenda, parentId) {
  return agenda.children[key(parentId)] ?? [];
}

/** The items in numbering order with their derived number, depth and position. */
export function agendaRows(agenda) {
  const rows = [];
  const visit = (parentId, prefix, depth) => {
    (agenda.children[key(parentId)] ?? []).forEach((id, index) => {
      const number = `${prefix}${index + 1}`;
      const item = agenda.items[id];
      rows.push({
        ...item,
        number,
        depth,
        position: index,
        is_current: id === agenda.currentId,
        spent_ms: spentMs(item),
      });
      visit(id, `${number}.`, depth + 1);
    });
  };
  visit(null, "", 1);
  return rows;
}

export function numbering(agenda) {
  return new Map(agendaRows(agenda).map((row) => [row.id, row.number]));
}

export function descendants(agenda, itemId) {
  return new Set(walk(agenda, itemId));
}

/** Levels in the subtree under `itemId` (1 for an item without sub-items). */
export function height(agenda, itemId) {
  const kids = agenda.children[key(itemId)] ?? [];
  return 1 + Math.max(0, ...kids.map((k) => height(agenda, k)));
}

function ms(iso) {
  return Date.parse(iso);
}

/** Time spent in closed visits, in milliseconds. */
export function spentMs(item) {
  let total = 0;
  for (const visit of item.visits) {
    if (visit.ended_at) total += Math.max(0, ms(visit.ended_at) - ms(visit.started_at));
  }
  return total;
}

export function currentSince(agenda) {
  if (agenda.currentId === null) return null;
  const visits = agenda.items[agenda.currentId]?.visits ?? [];
  return visits.length > 0 ? visits[visits.length - 1].started_at : null;
}

/** Seconds spent on an item by `nowMs` (closed visits plus the open one, if current). */
export function elapsedSecs(agenda, item, nowMs) {
  let total = spentMs(item);
  if (item.id === agenda.currentId) {
    const since = currentSince(agenda);
    if (since) total += Math.max(0, nowMs - ms(since));
  }
  return Math.floor(total / 1000);
}

/** Where an item may go (deferred/withdrawn cannot be current). */
export function eligibleIds(agenda) {
  return walk(agenda).filter((id) => CURRENT_STATUSES.has(agenda.items[id].status));
}

export function hasNext(agenda) {
  const order = walk(agenda);
  const eligible = new Set(eligibleIds(agenda));
  const start = agenda.currentId === null ? 0 : order.indexOf(agenda.currentId) + 1;
  return order.slice(start).some((id) => eligible.has(id));
}

export function hasPrevious(agenda) {
  if (agenda.currentId === null) return false;
  const order = walk(agenda);
  const eligible = new Set(eligibleIds(agenda));
  return order.slice(0, order.indexOf(agenda.currentId)).some((id) => eligible.has(id));
}
