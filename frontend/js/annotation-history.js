// @ts-check
// Undo and redo of the person's own marks on this tablet. Pure bookkeeping: each step says
// which commands undo and redo it; the caller sends them. A mark created again (undoing a
// delete, redoing a create) gets a new id from the server: `remap` carries it through the
// whole history so older steps still point at the mark.
//
// Steps: {op: "create"|"delete", id, drawing, shared}, {op: "update", id, before, after},
// {op: "share", id, from, to}.

const HISTORY_MAX = 100;

export class History {
  constructor() {
    this.done = [];
    this.undone = [];
  }

  record(step) {
    this.done.push(step);
    if (this.done.length > HISTORY_MAX) this.done.shift();
    this.undone = [];
  }

  canUndo() {
    return this.done.length > 0;
  }

  canRedo() {
    return this.undone.length > 0;
  }

  /** The step to undo, taken off the stack; give it back with `settle`. */
  takeUndo() {
    return this.done.pop() ?? null;
  }

  takeRedo() {
    return this.undone.pop() ?? null;
  }

  /** After trying `step` in `direction` ("undo"|"redo"): where it goes next. */
  settle(step, direction, ok) {
    const forward = direction === "undo" ? this.undone : this.done;
    const back = direction === "undo" ? this.done : this.undone;
    (ok ? forward : back).push(step);
  }

  remap(oldId, newId) {
    for (const step of [...this.done, ...this.undone]) {
      if (step.id === oldId) step.id = newId;
    }
  }

  /** Forget steps about a mark that is gone for good (deleted elsewhere). */
  forget(id) {
    const keep = (step) => step.id !== id || step.op === "delete";
    this.done = this.done.filter(keep);
    this.undone = this.undone.filter(keep);
  }
}

/** What sends `step` backwards ("undo") or forwards ("redo"): {type, data} or a create. */
export function commandFor(step, direction, currentVersion) {
  const undo = direction === "undo";
  switch (step.op) {
    case "create":
    case "delete": {
      const removing = (step.op === "create") === undo;
      if (removing) {
        return {
          type: "annotation.delete",
          data: { annotation_id: step.id, version: currentVersion },
        };
      }
      return {
        type: "annotation.create",
        data: { ...step.drawing, shared: step.shared },
        creates: true,
      };
    }
    case "update":
      return {
        type: "annotation.update",
        data: {
          annotation_id: step.id,
          version: currentVersion,
          ...(undo ? step.before : step.after),
        },
      };
    case "share":
      return {
        type: "annotation.share",
        data: { annotation_id: step.id, shared: undo ? step.from : step.to },
      };
    default:
      return null;
  }
}
