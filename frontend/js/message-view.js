// @ts-check
// A page that only says something (unknown address), with a way back to the meetings.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";
import { DEFAULT_ROUTE } from "./router.js";

export function createMessageView(_context, key) {
  const text = h("p", { class: "message-text" });
  const back = h("a", { class: "btn btn-secondary", href: DEFAULT_ROUTE });
  const el = h("section", { class: "page page-message" }, text, back);
  return {
    el,
    render() {
      setText(text, t(key));
      setText(back, t("room.back"));
    },
    destroy() {},
  };
}
