// @ts-check
// Small labels shared by the views: a meeting's status and a person's role.

import { h, setText } from "./dom.js";
import { t } from "./i18n.js";

export const STATUSES = ["scheduled", "live", "ended"];

export function statusBadge() {
  const el = h("span", { class: "badge", dataset: { testid: "status" } });
  return {
    el,
    update(status) {
      el.className = `badge badge-${STATUSES.includes(status) ? status : "scheduled"}`;
      el.dataset.status = status;
      setText(el, t(`status.${status}`));
    },
  };
}

export function roleText(role) {
  return t(`role.${role}`);
}
