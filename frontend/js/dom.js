// @ts-check
// Building DOM without HTML strings: text always goes through textContent (or text
// nodes), so names and titles from the server can never become markup.

/**
 * A child of h() or replaceChildren(): a node, text, or a (nested) list of them; null,
 * undefined and false are skipped.
 * @typedef {Node | string | number | boolean | null | undefined | Child[]} Child
 */

/**
 * h("button", {class: "btn", type: "button", onclick: fn}, "child", otherNode)
 * Props: `class`, `text` (textContent), `dataset` (object), `on<event>` (listener),
 * boolean true/false (attribute present/absent), anything else an attribute.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [props]
 * @param {...Child} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") el.className = value;
    else if (name === "text") el.textContent = value;
    else if (name === "dataset") Object.assign(el.dataset, value);
    else if (name.startsWith("on") && typeof value === "function") {
      el.addEventListener(name.slice(2), value);
    } else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

/** @param {Element} el @param {Child[]} children */
function append(el, children) {
  for (const child of /** @type {unknown[]} */ (children).flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `el`. @param {Element} el @param {...Child} children */
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
}

/** Set `el.textContent` only when it changes (keeps focus and selection steady).
 * @param {Node} el @param {string} text */
export function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}
