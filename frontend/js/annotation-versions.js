// @ts-check
// Marks stay on the document version they were made on. This tells the person so: a
// notice when a document they marked gets a new version, and a banner on the open
// document — on an old version, that its marks stay with it; on a new one, how many marks
// are on an earlier version, with a button to open that version.

import { countByDocument } from "./annotation-state.js";
import { h, setText } from "./dom.js";
import { t, tn } from "./i18n.js";
import { notify } from "./notices.js";

/** openDocument(documentId) opens another version in the viewer. */
export function createVersionNotice({ openDocument }) {
  let seen = null; // documentId -> replaced_by at the last update (null: nothing seen yet)
  const text = h("span");
  const button = h("button", {
    type: "button",
    class: "btn btn-small btn-secondary",
    dataset: { testid: "ann-open-version" },
  });
  const el = h(
    "div",
    {
      class: "banner banner-info ann-notice",
      role: "status",
      dataset: { testid: "ann-version-notice" },
      hidden: true,
    },
    text,
    button,
  );

  /** A document the person marked was replaced since the last update: say so once. */
  function watch(state, items, me) {
    const now = new Map(Object.values(state.documents).map((d) => [d.id, d.replaced_by]));
    if (seen !== null) {
      const own = countByDocument(items, me, { own: true });
      for (const [id, replacedBy] of now) {
        if (replacedBy !== null && seen.get(id) === null && (own.get(id) ?? 0) > 0) {
          const doc = state.documents[id];
          notify(t("ann.newVersionNotice", { title: doc.title, version: doc.version }));
        }
      }
    }
    seen = now;
  }

  function banner(state, items, me, documentId) {
    el.hidden = true;
    const doc = documentId !== null ? state.documents[documentId] : null;
    if (!doc) return;
    const counts = countByDocument(items, me);
    if (doc.replaced_by !== null && (counts.get(doc.id) ?? 0) > 0) {
      el.hidden = false;
      setText(text, tn("ann.staysOnVersion", counts.get(doc.id), { version: doc.version }));
      button.hidden = true;
      return;
    }
    for (let old = state.documents[doc.replaces_id]; old; old = state.documents[old.replaces_id]) {
      const count = counts.get(old.id) ?? 0;
      if (count === 0) continue;
      el.hidden = false;
      setText(text, tn("ann.onOlderVersion", count, { version: old.version }));
      button.hidden = false;
      setText(button, t("ann.openVersion", { version: old.version }));
      button.onclick = () => openDocument(old.id);
      return;
    }
  }

  return {
    el,
    watch,
    banner,
    /** A fresh snapshot: what it shows is not news. */
    reset() {
      seen = null;
    },
  };
}
