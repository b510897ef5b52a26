// The annotations screens' strings, vi and en; merged into the table of i18n.js.
export const STRINGS = {
  vi: {},
  en: {},
};
