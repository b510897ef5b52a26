// @ts-check
// The room's title block (at the top of the drawer): committee, title, time and place,
// status, connection state, the hash chain's check (chain-status.js); and, apart
// (`banners`, above the room), the banners shown while the connection is lost or when an
// event does not match the chain.

import { statusBadge } from "./badges.js";
import { createChainStatus } from "./chain-status.js";
import { h, setText } from "./dom.js";
import { formatDateTime, t } from "./i18n.js";
import { DEFAULT_ROUTE } from "./router.js";

export function createRoomHeader() {
  const back = h("a", {
    class: "btn btn-quiet back-link",
    href: DEFAULT_ROUTE,
    dataset: { testid: "back" },
  });
  const committee = h("p", { class: "room-committee" });
  const title = h("h1", { class: "room-title", dataset: { testid: "room-title" } });
  const when = h("span", { class: "room-fact" });
  const where = h("span", { class: "room-fact" });
  const badge = statusBadge();
  const chain = createChainStatus();
  const connectionText = h("span", { class: "connection-text" });
  const connection = h(
    "span",
    { class: "connection", role: "status", dataset: { testid: "connection" } },
    h("span", { class: "connection-dot", "aria-hidden": "true" }),
    connectionText,
  );
  const banner = h("div", {
    class: "banner banner-warning",
    role: "alert",
    dataset: { testid: "reconnecting-banner" },
    hidden: true,
  });
  const el = h(
    "div",
    { class: "room-header" },
    h("div", { class: "room-header-bar" }, back, badge.el, connection),
    h(
      "div",
      { class: "room-heading-text" },
      committee,
      title,
      h("p", { class: "room-facts" }, when, where),
      chain.el,
    ),
  );
  // Above the whole room, not in the drawer: a lost connection or a broken chain concerns
  // the document too.
  const banners = h("div", { class: "room-banners" }, banner, chain.alert);

  function update(model) {
    setText(back, `← ${t("room.back")}`);
    const meeting = model.state?.meeting;
    setText(committee, meeting?.committee_name ?? "");
    setText(title, meeting?.title ?? (model.fatal === null ? t("room.loading") : ""));
    setText(when, meeting ? formatDateTime(meeting.scheduled_at) : "");
    setText(where, meeting?.location ?? "");
    where.hidden = !meeting?.location;
    badge.el.hidden = !model.state;
    if (model.state) badge.update(model.state.status);
    connection.hidden = model.fatal !== null;
    connection.dataset.state = model.connection;
    setText(connectionText, t(`connection.${model.connection}`));
    banner.hidden = model.connection !== "reconnecting";
    setText(banner, t("connection.lostBanner"));
    chain.update(model.fatal === null ? model.chain : null, model.chainReport);
  }

  return { el, banners, update };
}
