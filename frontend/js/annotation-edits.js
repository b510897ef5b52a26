// @ts-check
// Changing one's own marks: erasing, the mark's dialog (share, make private, delete, edit a
// note's text with the version it was read at) and undo / redo. Every change is a command;
// the screen changes when its event arrives. A refusal is told (a `conflict`: the mark was
// changed meanwhile on another device — the newer version is on its way as an event).

import { commandFor } from "./annotation-history.js";
import { markDialog } from "./annotation-dialog.js";
import { drawingOf } from "./annotation-state.js";
import { t } from "./i18n.js";
import { notify } from "./notices.js";

/**
 * ctx: link, history, items() (the fold's marks), me(), canWrite(), create(data) → id,
 * refused(ack), ownerName(userId), render().
 */
export function createEdits({
  link,
  history,
  items,
  me,
  canWrite,
  create,
  refused,
  ownerName,
  render,
}) {
  const inFlight = new Set(); // marks being deleted

  async function erase(id) {
    const mark = items()[id];
    if (!mark || mark.owner_id !== me() || inFlight.has(id) || !canWrite()) return;
    inFlight.add(id);
    try {
      const ack = await link.command("annotation.delete", {
        annotation_id: id,
        version: mark.version,
      });
      if (ack?.ok)
        history.record({ op: "delete", id, drawing: drawingOf(mark), shared: mark.shared });
      else refused(ack);
    } finally {
      inFlight.delete(id);
      render();
    }
  }

  async function openMark(id) {
    const mark = items()[id];
    if (!mark) return;
    const mine = mark.owner_id === me();
    const owner = ownerName(mark.owner_id);
    const answer = await markDialog({ mark, mine, owner });
    if (!answer || !mine) return;
    const current = items()[id];
    if (!current) {
      notify(t("ann.gone"), "error");
      return;
    }
    if (answer.action === "delete") {
      await erase(id);
    } else if (answer.action === "share") {
      const ack = await link.command("annotation.share", {
        annotation_id: id,
        shared: answer.shared,
      });
      if (ack?.ok) {
        history.record({ op: "share", id, from: current.shared, to: answer.shared });
        notify(t(answer.shared ? "ann.nowShared" : "ann.nowPrivate"));
      } else refused(ack);
    } else if (answer.action === "save" && answer.text !== current.text) {
      // The version the text was read from: a change made meanwhile elsewhere is a conflict.
      const ack = await link.command("annotation.update", {
        annotation_id: id,
        version: mark.version,
        text: answer.text,
      });
      if (ack?.ok)
        history.record({
          op: "update",
          id,
          before: { text: mark.text },
          after: { text: answer.text },
        });
      else refused(ack);
    }
    render();
  }

  async function step(direction) {
    const entry = direction === "undo" ? history.takeUndo() : history.takeRedo();
    if (!entry) return;
    const command = commandFor(entry, direction, items()[entry.id]?.version ?? 1);
    let ok = false;
    if (command.creates) {
      const id = await create(command.data);
      if (id !== null) {
        history.remap(entry.id, id);
        ok = true;
      }
    } else {
      const ack = await link.command(command.type, command.data);
      ok = Boolean(ack?.ok);
      if (!ok) {
        refused(ack);
        if (ack?.error?.code === "not-found") {
          render();
          return; // the mark is gone (deleted on another tablet): nothing to undo
        }
      }
    }
    history.settle(entry, direction, ok);
    render();
  }

  return { erase, openMark, step };
}
