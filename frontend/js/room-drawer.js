// @ts-check
// The room's drawer: beside the document in landscape, under it in portrait (its head
// then sits at the bottom of the screen, like a sheet's handle). The head holds what must
// never need scrolling (the meeting's title and state, one's own attendance, the chair's
// controls); under it, one tab per panel (kept on screen while the panels scroll): a tap
// brings that panel into view. Every panel stays in
// the page (only scrolled to), so nothing a person was typing is thrown away. The toggle
// folds the panels away; the document then takes the whole width.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";

/** `sections`: [{key, el}] in tab order; `document` is the main area's element; `head`:
 * the elements of the drawer's head. */
export function createRoomDrawer({ head, sections, document: documentEl }) {
  let open = true;
  // The arrow is what shows; the words are what a screen reader says.
  const toggleArrow = h("span", { "aria-hidden": "true" });
  const toggleText = h("span", { class: "visually-hidden" });
  const toggle = h(
    "button",
    {
      type: "button",
      class: "btn btn-quiet drawer-toggle",
      "aria-expanded": "true",
      dataset: { testid: "drawer-toggle" },
      onclick: () => setOpen(!open),
    },
    toggleArrow,
    toggleText,
  );
  const body = h(
    "div",
    { class: "drawer-body", dataset: { testid: "drawer-body" } },
    sections.map((s) => s.el),
  );
  body.id = "room-drawer-body";
  toggle.setAttribute("aria-controls", body.id);
  const tabs = [{ key: "document", el: documentEl }, ...sections].map(({ key, el }) =>
    h("button", {
      type: "button",
      class: "btn btn-quiet drawer-tab",
      dataset: { testid: `drawer-tab-${key}`, key },
      onclick: () => show(el),
    }),
  );
  const nav = h("nav", { class: "drawer-tabs" }, tabs);
  const headEl = h("div", { class: "drawer-head" }, head);
  const tabRow = h("div", { class: "drawer-tab-row" }, nav, toggle);
  const el = h(
    "aside",
    { class: "room-drawer", dataset: { testid: "room-drawer", open: "true" } },
    headEl,
    tabRow,
    body,
  );

  // The page's height is what is left between the controls above it and the drawer's head
  // (below it in portrait): app.css reads these lengths from the room's element.
  let observer = null;
  function watch(roomEl) {
    const lengths = new Map();
    const set = (name, px) => {
      const value = `${Math.round(px)}px`;
      if (lengths.get(name) === value) return;
      lengths.set(name, value);
      roomEl.style.setProperty(name, value);
    };
    const measure = () => {
      const appHeader = window.document.getElementById("app-header");
      set("--app-header-h", appHeader?.offsetHeight ?? 0);
      set("--drawer-head-h", headEl.offsetHeight + tabRow.offsetHeight);
      set("--drawer-tabs-h", tabRow.offsetHeight);
      const stage = documentEl.querySelector(".viewer-stage");
      const main = documentEl.parentElement;
      if (stage && main) {
        set("--stage-top", stage.getBoundingClientRect().top + window.scrollY + main.scrollTop);
      }
    };
    observer = new ResizeObserver(measure);
    for (const target of [headEl, tabRow, documentEl, roomEl]) observer.observe(target);
  }

  function setOpen(value) {
    open = value;
    el.dataset.open = String(open);
    el.closest(".room-layout")?.setAttribute("data-drawer", open ? "open" : "closed");
    toggle.setAttribute("aria-expanded", String(open));
    render();
  }

  function show(target) {
    if (target !== documentEl && !open) setOpen(true);
    target.scrollIntoView({ block: "start" });
    const focusable = target.querySelector("h2, h1") ?? target;
    if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
    focusable.focus({ preventScroll: true });
  }

  function render() {
    setText(toggleArrow, open ? "⟩" : "⟨");
    setText(toggleText, t(open ? "room.drawer.toggle" : "room.drawer.show"));
    nav.setAttribute("aria-label", t("room.drawer.nav"));
    for (const [index, tab] of tabs.entries()) {
      setText(tab, t(`room.drawer.${tab.dataset.key}`));
      // A panel this person does not see (yet) has no tab either.
      tab.hidden = index > 0 && sections[index - 1].el.hidden;
    }
  }

  render();
  /** Called after each drawing of the room: the tabs follow the panels shown. */
  return { el, render, watch, destroy: () => observer?.disconnect() };
}
