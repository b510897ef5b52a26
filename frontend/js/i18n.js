// The strings table (vi, en) and locale-aware formatting. Every text the UI shows comes
// from here: views call t(key, params) and never write user-facing text themselves.
// Vietnamese is the default; the choice is remembered in localStorage.

const STORAGE_KEY = "ecabinet.lang";
export const DEFAULT_LANG = "vi";
export const LANGUAGES = ["vi", "en"];

// Meetings are held in Vietnam: times are shown in its time zone on every device, so a
// tablet set to another zone still shows the time printed on the invitation.
export const DISPLAY_TIME_ZONE = "Asia/Ho_Chi_Minh";
const LOCALES = { vi: "vi-VN", en: "en-GB" };

export const STRINGS = {
  vi: {
    "app.name": "E-cabinet",
    "app.tagline": "Phòng họp không giấy",
    "app.loading": "Đang tải…",
    "format.dateTime": "{date}, lúc {time}",
    "lang.switch": "Ngôn ngữ",
    "lang.vi": "VI",
    "lang.en": "EN",
    "lang.vi.name": "Tiếng Việt",
    "lang.en.name": "English",
    "header.signedInAs": "Đang đăng nhập: {name}",
    "header.signOut": "Đăng xuất",

    "login.title": "Đăng nhập",
    "login.intro": "Dùng tài khoản do quản trị viên hệ thống cấp.",
    "login.username": "Tên đăng nhập",
    "login.password": "Mật khẩu",
    "login.submit": "Đăng nhập",
    "login.busy": "Đang đăng nhập…",
    "login.missing": "Vui lòng nhập tên đăng nhập và mật khẩu.",
    "login.sessionEnded": "Phiên đăng nhập của bạn đã kết thúc. Vui lòng đăng nhập lại.",

    "meetings.title": "Phiên họp của tôi",
    "meetings.refresh": "Làm mới",
    "meetings.loading": "Đang tải danh sách phiên họp…",
    "meetings.empty": "Bạn chưa có tên trong phiên họp nào.",
    "meetings.when": "Thời gian",
    "meetings.where": "Địa điểm",
    "meetings.myRole": "Vai trò của bạn",

    "status.scheduled": "Sắp diễn ra",
    "status.live": "Đang họp",
    "status.ended": "Đã kết thúc",

    "role.chair": "Chủ tọa",
    "role.clerk": "Thư ký",
    "role.member": "Thành viên",
    "role.observer": "Quan sát viên",

    "room.back": "Danh sách phiên họp",
    "room.loading": "Đang vào phòng họp…",
    "room.start": "Bắt đầu phiên họp",
    "room.end": "Kết thúc phiên họp",
    "room.chairControls": "Điều hành phiên họp",
    "room.checkIn": "Điểm danh",
    "room.checkOut": "Rời phiên họp",
    "room.myAttendance": "Điểm danh của bạn",
    "room.checkInFor": "Điểm danh cho {name}",
    "room.checkOutFor": "Ghi nhận {name} rời phiên họp",
    "room.checkInShort": "Điểm danh",
    "room.checkOutShort": "Rời họp",
    "room.roster": "Thành phần tham dự",
    "room.attendanceSummary": "Có mặt {present}/{total}",
    "room.you": "Bạn",
    "room.feed": "Diễn biến phiên họp",
    "room.feedEmpty": "Chưa có diễn biến mới kể từ khi bạn vào phòng họp.",
    "room.endConfirm.title": "Kết thúc phiên họp?",
    "room.endConfirm.body":
      "Sau khi kết thúc, phiên họp không thể mở lại và không thể điểm danh thêm.",
    "room.endConfirm.confirm": "Kết thúc phiên họp",
    "room.endConfirm.cancel": "Quay lại",

    "attendance.present": "Có mặt",
    "attendance.left": "Đã rời",
    "attendance.absent": "Chưa điểm danh",
    "attendance.presentSince": "Có mặt từ {time}",
    "attendance.leftAt": "Đã rời lúc {time}",

    "presence.online.one": "Đang trực tuyến trên {count} thiết bị",
    "presence.online.other": "Đang trực tuyến trên {count} thiết bị",
    "presence.offline": "Không trực tuyến",
    "presence.legendOnline": "Đang trực tuyến",
    "presence.legendOffline": "Chưa kết nối",

    "connection.connecting": "Đang kết nối…",
    "connection.live": "Đã kết nối",
    "connection.reconnecting": "Đang kết nối lại…",
    "connection.lostBanner":
      "Mất kết nối tới máy chủ — đang kết nối lại… Các thay đổi trong lúc này sẽ được cập nhật khi kết nối lại.",

    "event.meeting.started": "{actor} đã bắt đầu phiên họp.",
    "event.meeting.ended": "{actor} đã kết thúc phiên họp.",
    "event.attendance.checked_in.self": "{actor} đã điểm danh.",
    "event.attendance.checked_in.other": "{actor} đã điểm danh cho {target}.",
    "event.attendance.checked_out.self": "{actor} đã rời phiên họp.",
    "event.attendance.checked_out.other": "{actor} đã ghi nhận {target} rời phiên họp.",
    "event.unknown": "{actor}: {type}",
    "person.unknown": "Người dùng #{id}",
    "person.system": "Hệ thống",

    "route.notFound": "Không tìm thấy trang này.",

    "error.invalid": "Yêu cầu không hợp lệ.",
    "error.too-large": "Dữ liệu gửi lên quá lớn.",
    "error.unauthenticated": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "error.invalid-credentials": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "error.not-allowed": "Bạn không có quyền thực hiện thao tác này.",
    "error.not-found": "Không tìm thấy phiên họp, hoặc bạn không có tên trong thành phần tham dự.",
    "error.not-joined": "Chưa vào được phòng họp. Vui lòng thử lại.",
    "error.conflict": "Không thể thực hiện thao tác này ở trạng thái hiện tại của phiên họp.",
    "error.rate-limited": "Bạn đã thử quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.",
    "error.resync-required": "Đang tải lại dữ liệu phiên họp…",
    "error.double-vote": "Bạn đã biểu quyết rồi; lần biểu quyết này không được phép thay đổi.",
    "error.poll-closed": "Cuộc biểu quyết đã kết thúc hoặc đã bị hủy.",
    "error.not-eligible": "Bạn không thuộc danh sách biểu quyết của nội dung này.",
    "error.no-quorum": "Chưa đủ số thành viên có mặt theo quy định để biểu quyết.",
    "error.internal": "Máy chủ gặp lỗi; chưa có thay đổi nào được lưu.",
    "error.network": "Không kết nối được tới máy chủ. Vui lòng kiểm tra mạng.",
    "error.timeout": "Máy chủ chưa phản hồi. Vui lòng thử lại.",
  },
  en: {
    "app.name": "E-cabinet",
    "app.tagline": "Paperless meeting room",
    "app.loading": "Loading…",
    "format.dateTime": "{date}, {time}",
    "lang.switch": "Language",
    "lang.vi": "VI",
    "lang.en": "EN",
    "lang.vi.name": "Tiếng Việt",
    "lang.en.name": "English",
    "header.signedInAs": "Signed in as {name}",
    "header.signOut": "Sign out",

    "login.title": "Sign in",
    "login.intro": "Use the account your system administrator gave you.",
    "login.username": "User name",
    "login.password": "Password",
    "login.submit": "Sign in",
    "login.busy": "Signing in…",
    "login.missing": "Please enter your user name and password.",
    "login.sessionEnded": "Your session has ended. Please sign in again.",

    "meetings.title": "My meetings",
    "meetings.refresh": "Refresh",
    "meetings.loading": "Loading your meetings…",
    "meetings.empty": "You are not on the roster of any meeting yet.",
    "meetings.when": "Time",
    "meetings.where": "Place",
    "meetings.myRole": "Your role",

    "status.scheduled": "Scheduled",
    "status.live": "In session",
    "status.ended": "Ended",

    "role.chair": "Chair",
    "role.clerk": "Clerk",
    "role.member": "Member",
    "role.observer": "Observer",

    "room.back": "All meetings",
    "room.loading": "Entering the meeting room…",
    "room.start": "Start meeting",
    "room.end": "End meeting",
    "room.chairControls": "Chair controls",
    "room.checkIn": "Check in",
    "room.checkOut": "Check out",
    "room.myAttendance": "Your attendance",
    "room.checkInFor": "Check in {name}",
    "room.checkOutFor": "Check out {name}",
    "room.checkInShort": "Check in",
    "room.checkOutShort": "Check out",
    "room.roster": "Participants",
    "room.attendanceSummary": "Present {present} of {total}",
    "room.you": "You",
    "room.feed": "Meeting activity",
    "room.feedEmpty": "Nothing new has happened since you entered the room.",
    "room.endConfirm.title": "End the meeting?",
    "room.endConfirm.body":
      "Once ended, the meeting cannot be reopened and attendance can no longer be recorded.",
    "room.endConfirm.confirm": "End meeting",
    "room.endConfirm.cancel": "Go back",

    "attendance.present": "Present",
    "attendance.left": "Left",
    "attendance.absent": "Not checked in",
    "attendance.presentSince": "Present since {time}",
    "attendance.leftAt": "Left at {time}",

    "presence.online.one": "Online on {count} device",
    "presence.online.other": "Online on {count} devices",
    "presence.offline": "Not online",
    "presence.legendOnline": "Online now",
    "presence.legendOffline": "Not connected",

    "connection.connecting": "Connecting…",
    "connection.live": "Connected",
    "connection.reconnecting": "Reconnecting…",
    "connection.lostBanner":
      "Connection to the server lost — reconnecting… Changes made meanwhile will appear once the connection is back.",

    "event.meeting.started": "{actor} started the meeting.",
    "event.meeting.ended": "{actor} ended the meeting.",
    "event.attendance.checked_in.self": "{actor} checked in.",
    "event.attendance.checked_in.other": "{actor} checked in {target}.",
    "event.attendance.checked_out.self": "{actor} checked out.",
    "event.attendance.checked_out.other": "{actor} checked out {target}.",
    "event.unknown": "{actor}: {type}",
    "person.unknown": "User #{id}",
    "person.system": "System",

    "route.notFound": "This page does not exist.",

    "error.invalid": "The request was not valid.",
    "error.too-large": "What was sent is too large.",
    "error.unauthenticated": "Your session has expired. Please sign in again.",
    "error.invalid-credentials": "Wrong user name or password.",
    "error.not-allowed": "You are not allowed to do this.",
    "error.not-found": "The meeting does not exist, or you are not on its roster.",
    "error.not-joined": "Not in the meeting room yet. Please try again.",
    "error.conflict": "This is not possible in the meeting's current state.",
    "error.rate-limited": "Too many attempts. Please wait a few minutes and try again.",
    "error.resync-required": "Reloading the meeting…",
    "error.double-vote": "You have already voted, and this vote cannot be changed.",
    "error.poll-closed": "The vote is closed or was cancelled.",
    "error.not-eligible": "You are not among the voters of this poll.",
    "error.no-quorum": "Too few members are present: there is no quorum.",
    "error.internal": "The server failed; nothing was saved.",
    "error.network": "The server cannot be reached. Please check the network.",
    "error.timeout": "The server did not answer in time. Please try again.",
  },
};

let current = readStoredLang();
const listeners = new Set();

function readStoredLang() {
  try {
    const stored = window.localStorage.getItem(STORAGE_KEY);
    if (LANGUAGES.includes(stored)) return stored;
  } catch {
    // Storage may be disabled (private mode, policy): the default language serves.
  }
  return DEFAULT_LANG;
}

export function lang() {
  return current;
}

export function locale() {
  return LOCALES[current];
}

export function setLang(next) {
  if (!LANGUAGES.includes(next) || next === current) return;
  current = next;
  try {
    window.localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Not remembered, but still applied for this page.
  }
  for (const listener of listeners) listener(next);
}

/** Calls `listener(lang)` after every language change; returns the unsubscribe function. */
export function onLangChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key, params = {}) {
  const template = STRINGS[current][key] ?? STRINGS[DEFAULT_LANG][key];
  if (template === undefined) {
    console.warn(`i18n: no string for ${key}`);
    return key;
  }
  return template.replace(/\{(\w+)\}/g, (match, name) =>
    name in params ? String(params[name]) : match,
  );
}

/** A counted text: `key.one`, `key.other`, … chosen by the language's plural rules. */
export function tn(key, count, params = {}) {
  const category = new Intl.PluralRules(locale()).select(count);
  const table = STRINGS[current];
  const chosen = `${key}.${category}` in table ? `${key}.${category}` : `${key}.other`;
  return t(chosen, { ...params, count });
}

/** The translated message for an error code of the server (or `network`/`timeout`). */
export function errorText(code) {
  const key = `error.${code}`;
  return key in STRINGS[current] ? t(key) : t("error.internal");
}

function parseTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A meeting's date and time, e.g. "Thứ Năm, 26/11/2026, lúc 08:00". */
export function formatDateTime(value) {
  const date = parseTime(value);
  if (date === null) return String(value ?? "");
  const day = new Intl.DateTimeFormat(locale(), {
    timeZone: DISPLAY_TIME_ZONE,
    weekday: "long",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(date);
  const time = new Intl.DateTimeFormat(locale(), {
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(date);
  return t("format.dateTime", { date: day, time });
}

/** Compare people the Vietnamese way: by given name (the last word), then the full name. */
export function compareNames(a, b) {
  const collator = new Intl.Collator("vi", { sensitivity: "base", numeric: true });
  const given = (name) => name.trim().split(/\s+/).pop() ?? "";
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/** A time of day, hours and minutes ("08:05"). */
export function formatClock(value) {
  const date = parseTime(value);
  if (date === null) return String(value ?? "");
  return new Intl.DateTimeFormat(locale(), {
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(date);
}

/** A time of day with seconds, for the activity feed and attendance. */
export function formatTime(value) {
  const date = parseTime(value);
  if (date === null) return String(value ?? "");
  return new Intl.DateTimeFormat(locale(), {
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(date);
}
