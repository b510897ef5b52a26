// @ts-check
// Keyed lists without a library: an element is kept while what it shows is unchanged
// (its inputs, compared by identity), and a list's DOM is touched only where it changed —
// so a redraw does not rebuild a whole list under a finger, nor lose an open <details>.

/** True when two input lists are equal element by element (Object.is).
 * @param {readonly unknown[] | null | undefined} a
 * @param {readonly unknown[] | null | undefined} b */
export function sameInputs(a, b) {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Elements by key, built again only when their inputs change; entries not asked for since
 * the previous `sweep()` are dropped by it.
 * @template [K=unknown] @template {Node} [E=HTMLElement] */
export function keyedCache() {
  /** @type {Map<K, {inputs: readonly unknown[], el: E, used: boolean}>} */
  const entries = new Map(); // key -> {inputs, el, used}
  return {
    /** @param {K} key @param {readonly unknown[]} inputs @param {() => E} build @returns {E} */
    get(key, inputs, build) {
      const hit = entries.get(key);
      if (hit && sameInputs(hit.inputs, inputs)) {
        hit.used = true;
        return hit.el;
      }
      const el = build();
      entries.set(key, { inputs, el, used: true });
      return el;
    },
    sweep() {
      for (const [key, entry] of entries) {
        if (entry.used) entry.used = false;
        else entries.delete(key);
      }
    },
    clear() {
      entries.clear();
    },
  };
}

/** Make `parent`'s children exactly `nodes`, in order, removing, moving or inserting only
 * where they differ (nodes already in place are not touched).
 * @param {Node} parent @param {readonly Node[]} nodes */
export function syncChildren(parent, nodes) {
  const wanted = new Set(nodes);
  for (const child of [...parent.childNodes]) if (!wanted.has(child)) child.remove();
  let cursor = parent.firstChild;
  for (const node of nodes) {
    if (node === cursor) cursor = cursor.nextSibling;
    else parent.insertBefore(node, cursor);
  }
}
