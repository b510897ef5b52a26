// @ts-check
// The strings table (vi, en) and locale-aware formatting. Every text the UI shows comes
// from here: views call t(key, params) and never write user-facing text themselves.
// Vietnamese is the default; the choice is remembered in localStorage.

import { STRINGS as ADMIN_STRINGS } from "./strings/admin.js";
import { STRINGS as ANNOTATION_STRINGS } from "./strings/annotations.js";
import { STRINGS as COMMITTEE_STRINGS } from "./strings/committees.js";
import { STRINGS as DISPLAY_STRINGS } from "./strings/display.js";
import { STRINGS as ELECTION_STRINGS } from "./strings/elections.js";
import { STRINGS as INTEGRITY_STRINGS } from "./strings/integrity.js";
import { STRINGS as MEETINGS_ADMIN_STRINGS } from "./strings/meetings-admin.js";
import { STRINGS as MINUTES_STRINGS } from "./strings/minutes.js";
import { STRINGS as PAPER_STRINGS } from "./strings/paper.js";
import { STRINGS as RULES_STRINGS } from "./strings/rules.js";
import { STRINGS as VOTE_ROOM_STRINGS } from "./strings/vote-room.js";

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
    "room.endConfirm.undiscussed": "Còn {count} nội dung chưa được thảo luận:",
    "room.drawer.nav": "Các phần của phòng họp",
    "room.drawer.toggle": "Thu gọn các phần",
    "room.drawer.show": "Mở các phần",
    "room.drawer.document": "Tài liệu",
    "room.drawer.agenda": "Chương trình",
    "room.drawer.speakers": "Phát biểu",
    "room.drawer.polls": "Biểu quyết",
    "room.drawer.roster": "Thành phần",
    "room.drawer.minutes": "Biên bản",
    "room.drawer.feed": "Diễn biến",
    "room.quick.pollNone": "Chưa có biểu quyết",

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

    "dialog.cancel": "Hủy",
    "dialog.back": "Quay lại",
    "dialog.save": "Lưu",
    "duration.hours": "{h}:{mm}:{ss}",
    "duration.minutes": "{m}:{ss}",

    "agenda.title": "Chương trình nghị sự",
    "agenda.current": "Đang thảo luận",
    "agenda.noCurrent": "Chưa bắt đầu nội dung nào",
    "agenda.elapsed": "Thời gian",
    "agenda.previous": "Nội dung trước",
    "agenda.next": "Nội dung tiếp theo",
    "agenda.start": "Bắt đầu nội dung đầu tiên",
    "agenda.clear": "Tạm dừng nội dung",
    "agenda.takeUp": "Thảo luận",
    "agenda.empty": "Chương trình nghị sự chưa có nội dung nào.",
    "agenda.editStart": "Sửa chương trình",
    "agenda.editDone": "Xong",
    "agenda.edit": "Sửa",
    "agenda.editItem": "Sửa nội dung {title}",
    "agenda.add": "Thêm nội dung",
    "agenda.addTitle": "Thêm nội dung vào chương trình",
    "agenda.addConfirm": "Thêm",
    "agenda.editTitle": "Sửa nội dung {number}",
    "agenda.remove": "Xóa nội dung",
    "agenda.dragHandle": "Kéo để sắp xếp: {title}",
    "agenda.dragHint":
      "Giữ và kéo biểu tượng ⠿ để đổi thứ tự; thả vào giữa một nội dung để đưa vào làm mục con.",
    "agenda.minutes": "{count} phút",
    "agenda.kind.information": "Thông tin",
    "agenda.kind.discussion": "Thảo luận",
    "agenda.kind.decision": "Quyết định",
    "agenda.status.pending": "Chưa xong",
    "agenda.status.done": "Đã xong",
    "agenda.status.deferred": "Hoãn",
    "agenda.status.withdrawn": "Rút khỏi chương trình",
    "agenda.field.title": "Tên nội dung",
    "agenda.field.kind": "Loại",
    "agenda.field.minutes": "Thời gian dự kiến (phút)",
    "agenda.field.description": "Mô tả",
    "agenda.field.status": "Trạng thái",
    "agenda.field.parent": "Thuộc mục",
    "agenda.field.topLevel": "(Mục chính)",
    "agenda.field.titleMissing": "Vui lòng nhập tên nội dung.",
    "agenda.field.minutesInvalid": "Thời gian dự kiến là số phút từ 1 đến 600.",
    "agenda.move.label": "Vị trí",
    "agenda.move.up": "↑ Lên",
    "agenda.move.down": "↓ Xuống",
    "agenda.move.indent": "→ Làm mục con",
    "agenda.move.outdent": "← Ra ngoài",

    "speakers.title": "Phát biểu",
    "speakers.nobody": "Chưa có ai đang phát biểu.",
    "speakers.speaking": "Đang phát biểu: {name}",
    "speakers.end": "Kết thúc phát biểu",
    "speakers.request": "Xin phát biểu",
    "speakers.withdraw": "Rút đăng ký phát biểu",
    "speakers.grantNext": "Mời người tiếp theo",
    "speakers.grant": "Mời phát biểu",
    "speakers.removeFor": "Bỏ {name} khỏi danh sách",
    "speakers.limit": "Thời gian tối đa",
    "speakers.noLimit": "Không giới hạn",
    "speakers.queue": "Danh sách đăng ký ({count})",
    "speakers.queueEmpty": "Chưa có ai đăng ký phát biểu.",
    "speakers.left": "Còn {time}",
    "speakers.over": "Quá {time}",

    "viewer.title": "Tài liệu",
    "viewer.presenter": "Người trình bày: {name}",
    "viewer.noPresenter": "Chưa có người trình bày",
    "viewer.choosePresenter": "Người trình bày",
    "viewer.presenterNone": "(Chủ tọa điều khiển)",
    "viewer.youPresent": "Bạn đang trình bày — mọi máy đang theo trang của bạn",
    "viewer.chairDriving": "Bạn đang điều khiển trang chung",
    "viewer.following": "Đang theo người trình bày",
    "viewer.private": "Đang xem riêng",
    "viewer.nothingShared": "Chưa có tài liệu nào được trình bày",
    "viewer.backToPresenter": "Về trang người trình bày",
    "viewer.documents": "Tài liệu phiên họp ({count})",
    "viewer.itemDocuments": "Của nội dung {number}",
    "viewer.otherDocuments": "Tài liệu khác",
    "viewer.currentItem": "Đang thảo luận: {item}",
    "viewer.noDocuments": "Chưa có tài liệu nào.",
    "viewer.pickDocument": "Chọn một tài liệu để xem.",
    "viewer.loadFailed": "Không mở được tài liệu này.",
    "viewer.pages": "{count} trang",
    "viewer.version": "phiên bản {version}",
    "viewer.pageOf": "Trang {page}/{count}",
    "viewer.prevPage": "Trang trước",
    "viewer.nextPage": "Trang sau",
    "viewer.zoomIn": "Phóng to",
    "viewer.zoomOut": "Thu nhỏ",
    "viewer.fitWidth": "Vừa chiều rộng",
    "viewer.download": "Tải xuống",
    "viewer.downloadHint": "Bản tải xuống có đóng dấu tên của bạn",
    "viewer.upload": "Tải lên tài liệu PDF",
    "viewer.uploadFor": "Thuộc nội dung",
    "viewer.wholeMeeting": "(Cả phiên họp)",
    "viewer.uploading": "Đang tải lên “{name}”…",
    "viewer.uploaded": "Đã tải lên “{name}”.",
    "viewer.newVersion": "Tải lên phiên bản mới",
    "viewer.newVersionAvailable": "Đã có phiên bản mới ({version}) của tài liệu này.",
    "viewer.openNewVersion": "Mở phiên bản mới",

    "poll.panelTitle": "Biểu quyết",
    "poll.new": "Tạo biểu quyết",
    "poll.newTitle": "Tạo biểu quyết mới",
    "poll.create": "Tạo biểu quyết",
    "poll.empty": "Chưa có nội dung biểu quyết.",
    "poll.emptyChair":
      "Chưa có nội dung biểu quyết. Tạo biểu quyết cho nội dung đang thảo luận, rồi mở để các thành viên biểu quyết.",
    "poll.defaultTitle": "Biểu quyết thông qua: {title}",
    "poll.title": "Nội dung biểu quyết",
    "poll.titleMissing": "Vui lòng nhập nội dung biểu quyết.",
    "poll.kind": "Hình thức",
    "poll.kind.yes_no_abstain": "Tán thành / Không tán thành / Không biểu quyết",
    "poll.kind.options": "Chọn trong các phương án",
    "poll.options": "Các phương án (mỗi dòng một phương án)",
    "poll.optionsInvalid": "Cần ít nhất 2 phương án, không trùng nhau.",
    "poll.maxChoices": "Số phương án được chọn",
    "poll.maxInvalid": "Số phương án được chọn phải từ 1 đến số phương án.",
    "poll.secret": "Bỏ phiếu kín",
    "poll.allowChange": "Cho phép thay đổi biểu quyết đến khi kết thúc",
    "poll.majority": "Điều kiện thông qua",
    "poll.majority.simple": "Quá nửa số phiếu tán thành và không tán thành",
    "poll.majority.absolute": "Quá nửa tổng số thành viên",
    "poll.majority.two_thirds_present": "Ít nhất 2/3 số thành viên có mặt",
    "poll.majority.two_thirds_members": "Ít nhất 2/3 tổng số thành viên",
    "poll.quorum": "Số thành viên tối thiểu có mặt",
    "poll.quorum.none": "Không yêu cầu",
    "poll.quorum.half": "Quá nửa tổng số thành viên",
    "poll.quorum.two_thirds": "Ít nhất 2/3 tổng số thành viên",
    "poll.forItem": "Gắn với nội dung đang thảo luận: {title}",
    "poll.secretShort": "Bỏ phiếu kín",
    "poll.namedShort": "Biểu quyết công khai",
    "poll.status.draft": "Chưa mở",
    "poll.status.open": "Đang biểu quyết",
    "poll.status.closed": "Đã kết thúc",
    "poll.status.cancelled": "Đã hủy",
    "poll.open": "Mở biểu quyết",
    "poll.close": "Kết thúc biểu quyết",
    "poll.cancel": "Hủy biểu quyết",
    "poll.closeConfirm.title": "Kết thúc biểu quyết?",
    "poll.closeConfirm.body":
      "Kết quả biểu quyết “{title}” sẽ được công bố ngay; sau đó không ai biểu quyết được nữa.",
    "poll.cancelConfirm.title": "Hủy biểu quyết?",
    "poll.cancelConfirm.body": "Các phiếu đã bỏ sẽ không được kiểm và không được công bố.",
    "poll.voteNow": "Biểu quyết",
    "poll.changeVote": "Thay đổi biểu quyết",
    "poll.participation": "{voted}/{total} đã biểu quyết",
    "poll.notYet": "Chưa biểu quyết: {names}",
    "poll.youVoted": "Bạn đã biểu quyết.",
    "poll.youNotVoted": "Bạn chưa biểu quyết.",
    "poll.youRecused": "Bạn không tham gia biểu quyết này.",
    "poll.adopted": "Thông qua",
    "poll.rejected": "Không thông qua",
    "poll.elected": "Được chọn: {names}",
    "poll.noneElected": "Không phương án nào đạt",
    "poll.neededShort": "cần {count}",
    "poll.ballots": "Biểu quyết của từng thành viên",
    "poll.receipts": "Danh sách mã phiếu đã kiểm ({count})",
    "poll.receiptFound": "Mã phiếu {receipt} ({who}) có trong danh sách đã kiểm.",
    "poll.receiptMissing": "Không thấy mã phiếu {receipt} ({who}) trong danh sách đã kiểm.",

    "vote.yourVote": "Biểu quyết của bạn",
    "vote.proxyFor": "Biểu quyết thay {name} (ủy quyền)",
    "vote.choice.yes": "Tán thành",
    "vote.choice.no": "Không tán thành",
    "vote.choice.abstain": "Không biểu quyết",
    "vote.choice.blank": "Không chọn phương án nào",
    "vote.continue": "Tiếp tục",
    "vote.later": "Để sau",
    "vote.confirmQuestion": "Bạn xác nhận biểu quyết:",
    "vote.final": "Sau khi xác nhận, biểu quyết không thể thay đổi.",
    "vote.canChange": "Bạn có thể thay đổi biểu quyết cho đến khi chủ tọa kết thúc.",
    "vote.back": "Chọn lại",
    "vote.confirm": "Xác nhận biểu quyết",
    "vote.sending": "Đang gửi…",
    "vote.recorded": "Biểu quyết của bạn đã được ghi nhận.",
    "vote.receiptIntro": "Mã phiếu của bạn:",
    "vote.receiptKeep":
      "Mã này chỉ hiện một lần và được lưu trên máy này. Khi kết thúc, bạn tìm thấy mã trong danh sách phiếu đã kiểm — không ai biết bạn đã chọn gì.",
    "vote.nextProxy": "Tiếp: biểu quyết thay {name}",
    "vote.close": "Đóng",
    "vote.pollClosed": "Biểu quyết này đã kết thúc.",

    "event.document.added": "{actor} đã tải lên tài liệu “{title}”.",
    "event.document.added.version":
      "{actor} đã tải lên phiên bản {version} của tài liệu “{title}”.",
    "event.presenter.changed.none": "{actor} đã dừng phần trình bày.",
    "event.presenter.changed.self": "{actor} bắt đầu trình bày.",
    "event.presenter.changed.other": "{actor} đã mời {target} trình bày.",
    "event.presenter.view_changed": "{actor} chuyển tới trang {page} của “{title}”.",
    "event.agenda.item_added": "{actor} đã thêm nội dung {item}.",
    "event.agenda.item_updated": "{actor} đã sửa nội dung {item}.",
    "event.agenda.item_moved": "{actor} đã chuyển nội dung thành mục {item}.",
    "event.agenda.item_removed": "{actor} đã xóa nội dung “{title}”.",
    "event.agenda.item_status_changed": "{actor} đã đánh dấu nội dung {item}: {status}.",
    "event.agenda.document_attached": "{actor} đã gắn tài liệu “{document}” vào nội dung {item}.",
    "event.agenda.document_detached": "{actor} đã gỡ tài liệu “{document}” khỏi nội dung {item}.",
    "event.agenda.current_changed": "{actor} chuyển sang nội dung {item}.",
    "event.agenda.current_changed.none": "{actor} đã tạm dừng nội dung đang thảo luận.",
    "event.speakers.requested.self": "{target} xin phát biểu.",
    "event.speakers.requested.other": "{actor} đã ghi tên {target} vào danh sách phát biểu.",
    "event.speakers.withdrawn.self": "{target} đã rút đăng ký phát biểu.",
    "event.speakers.withdrawn.other": "{actor} đã bỏ {target} khỏi danh sách phát biểu.",
    "event.speakers.granted": "{actor} mời {target} phát biểu.",
    "event.speakers.ended": "{target} đã phát biểu xong ({duration}).",
    "event.speakers.default_limit_set": "{actor} đặt thời gian phát biểu tối đa {limit}.",
    "event.speakers.default_limit_set.none": "{actor} bỏ giới hạn thời gian phát biểu.",
    "event.poll.created": "{actor} đã tạo biểu quyết “{title}”.",
    "event.poll.updated": "{actor} đã sửa biểu quyết “{title}”.",
    "event.poll.opened": "{actor} đã mở biểu quyết “{title}”.",
    "event.poll.closed": "{actor} đã kết thúc biểu quyết “{title}”: {outcome}.",
    "event.poll.cancelled": "{actor} đã hủy biểu quyết “{title}”.",
    "event.poll.recused.self": "{target} không tham gia biểu quyết “{title}”.",
    "event.poll.recused.other": "{actor} ghi nhận {target} không tham gia biểu quyết “{title}”.",
    "event.proxy.granted": "{actor} ghi nhận {holder} biểu quyết thay {grantor} (ủy quyền).",
    "event.proxy.revoked": "{actor} đã thu hồi ủy quyền biểu quyết của {grantor}.",
    "event.vote.cast": "{target} đã biểu quyết: {choice}.",
    "event.vote.cast.recast": "{target} đã thay đổi biểu quyết: {choice}.",
    "event.vote.cast.proxy": "{actor} đã biểu quyết thay {target}: {choice}.",
    "event.vote.participated": "{target} đã bỏ phiếu kín.",
    "event.vote.participated.proxy": "{actor} đã bỏ phiếu kín thay {target}.",
    "event.minutes.note_set": "{actor} đã ghi chép cho nội dung {item}.",
    "event.minutes.note_set.general": "{actor} đã ghi chép chung cho phiên họp.",
    "event.minutes.absence_set": "{actor} đã ghi lý do vắng mặt của {target}.",
    "event.minutes.absence_cleared": "{actor} đã xóa lý do vắng mặt của {target}.",
    "event.minutes.decision_recorded": "{actor} đã ghi kết luận số {number}.",
    "event.minutes.decision_updated": "{actor} đã sửa kết luận số {number}.",
    "event.minutes.decision_removed": "{actor} đã xóa kết luận số {number}.",
    "event.minutes.generated": "{actor} đã lập dự thảo biên bản (bản {version}).",
    "event.minutes.signed": "{actor} đã ký biên bản (bản {version}).",
    "event.minutes.signed.final": "{actor} đã ký biên bản (bản {version}); biên bản đã hoàn tất.",
    "item.unknown": "#{id}",

    "route.notFound": "Không tìm thấy trang này.",

    "error.invalid": "Yêu cầu không hợp lệ.",
    "error.too-large": "Dữ liệu gửi lên quá lớn.",
    "error.unauthenticated": "Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại.",
    "error.invalid-credentials": "Tên đăng nhập hoặc mật khẩu không đúng.",
    "error.not-allowed": "Bạn không có quyền thực hiện thao tác này.",
    "error.not-found": "Không tìm thấy phiên họp, hoặc bạn không có tên trong thành phần tham dự.",
    "error.roster-removed": "Bạn không còn có tên trong thành phần tham dự phiên họp này.",
    "error.not-joined": "Chưa vào được phòng họp. Vui lòng thử lại.",
    "error.conflict": "Không thể thực hiện thao tác này ở trạng thái hiện tại của phiên họp.",
    "error.rate-limited": "Bạn đã thử quá nhiều lần. Vui lòng đợi vài phút rồi thử lại.",
    "minutes.sign.secret": "Mật khẩu đăng nhập (hoặc mã PIN của token ký số)",
    "minutes.sign.secret.hint": "Mỗi lần ký số đều phải nhập lại.",
    "minutes.sign.secret.wrong": "Mật khẩu hoặc mã PIN không đúng.",
    "minutes.sign.secret.paused":
      "Đã nhập sai quá nhiều lần; việc ký tạm dừng để token không bị khóa. Vui lòng thử lại sau ít phút.",
    "error.resync-required": "Đang tải lại dữ liệu phiên họp…",
    "error.double-vote": "Bạn đã biểu quyết rồi; lần biểu quyết này không được phép thay đổi.",
    "error.poll-closed": "Cuộc biểu quyết đã kết thúc hoặc đã bị hủy.",
    "error.not-eligible": "Bạn không thuộc danh sách biểu quyết của nội dung này.",
    "error.no-quorum": "Chưa đủ số thành viên có mặt theo quy định để biểu quyết.",
    "error.quota-exceeded": "Dung lượng tài liệu của phiên họp đã đầy; tệp chưa được lưu.",
    "error.busy": "Máy chủ đang kiểm tra nhiều tệp khác; vui lòng gửi lại sau vài giây.",
    "error.idempotency-key-reused": "Yêu cầu này đã được dùng cho một tệp khác; tệp chưa được lưu.",
    "error.too-many-connections": "Bạn đang mở phòng họp trên quá nhiều thiết bị. Hãy đóng bớt một thiết bị rồi thử lại.",
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
    "room.endConfirm.undiscussed": "{count} item(s) never discussed:",
    "room.drawer.nav": "Parts of the meeting room",
    "room.drawer.toggle": "Collapse the panels",
    "room.drawer.show": "Show the panels",
    "room.drawer.document": "Document",
    "room.drawer.agenda": "Agenda",
    "room.drawer.speakers": "Speakers",
    "room.drawer.polls": "Votes",
    "room.drawer.roster": "Attendees",
    "room.drawer.minutes": "Minutes",
    "room.drawer.feed": "Activity",
    "room.quick.pollNone": "No vote prepared",

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

    "dialog.cancel": "Cancel",
    "dialog.back": "Go back",
    "dialog.save": "Save",
    "duration.hours": "{h}:{mm}:{ss}",
    "duration.minutes": "{m}:{ss}",

    "agenda.title": "Agenda",
    "agenda.current": "Now discussing",
    "agenda.noCurrent": "No item taken up yet",
    "agenda.elapsed": "Time",
    "agenda.previous": "Previous item",
    "agenda.next": "Next item",
    "agenda.start": "Take up the first item",
    "agenda.clear": "Pause the item",
    "agenda.takeUp": "Take up",
    "agenda.empty": "The agenda has no items yet.",
    "agenda.editStart": "Edit agenda",
    "agenda.editDone": "Done",
    "agenda.edit": "Edit",
    "agenda.editItem": "Edit item {title}",
    "agenda.add": "Add item",
    "agenda.addTitle": "Add an agenda item",
    "agenda.addConfirm": "Add",
    "agenda.editTitle": "Edit item {number}",
    "agenda.remove": "Delete item",
    "agenda.dragHandle": "Drag to reorder: {title}",
    "agenda.dragHint":
      "Hold and drag ⠿ to reorder; drop onto the middle of an item to make it a sub-item.",
    "agenda.minutes": "{count} min",
    "agenda.kind.information": "Information",
    "agenda.kind.discussion": "Discussion",
    "agenda.kind.decision": "Decision",
    "agenda.status.pending": "Pending",
    "agenda.status.done": "Done",
    "agenda.status.deferred": "Deferred",
    "agenda.status.withdrawn": "Withdrawn",
    "agenda.field.title": "Title",
    "agenda.field.kind": "Kind",
    "agenda.field.minutes": "Planned time (minutes)",
    "agenda.field.description": "Description",
    "agenda.field.status": "Status",
    "agenda.field.parent": "Under",
    "agenda.field.topLevel": "(Top level)",
    "agenda.field.titleMissing": "Please enter a title.",
    "agenda.field.minutesInvalid": "The planned time is a number of minutes from 1 to 600.",
    "agenda.move.label": "Position",
    "agenda.move.up": "↑ Up",
    "agenda.move.down": "↓ Down",
    "agenda.move.indent": "→ Make sub-item",
    "agenda.move.outdent": "← Move out",

    "speakers.title": "Speakers",
    "speakers.nobody": "Nobody has the floor.",
    "speakers.speaking": "Speaking: {name}",
    "speakers.end": "End speech",
    "speakers.request": "Request to speak",
    "speakers.withdraw": "Withdraw my request",
    "speakers.grantNext": "Give the floor to the next",
    "speakers.grant": "Give the floor",
    "speakers.removeFor": "Take {name} off the list",
    "speakers.limit": "Time limit",
    "speakers.noLimit": "No limit",
    "speakers.queue": "Waiting to speak ({count})",
    "speakers.queueEmpty": "Nobody has asked to speak.",
    "speakers.left": "{time} left",
    "speakers.over": "{time} over",

    "viewer.title": "Documents",
    "viewer.presenter": "Presenter: {name}",
    "viewer.noPresenter": "Nobody is presenting",
    "viewer.choosePresenter": "Presenter",
    "viewer.presenterNone": "(Chair leads)",
    "viewer.youPresent": "You are presenting — every tablet follows your page",
    "viewer.chairDriving": "You lead the shared page",
    "viewer.following": "Following the presenter",
    "viewer.private": "Browsing privately",
    "viewer.nothingShared": "Nothing is being presented",
    "viewer.backToPresenter": "Back to presenter",
    "viewer.documents": "Meeting documents ({count})",
    "viewer.itemDocuments": "For item {number}",
    "viewer.otherDocuments": "Other documents",
    "viewer.currentItem": "Now discussing: {item}",
    "viewer.noDocuments": "No documents yet.",
    "viewer.pickDocument": "Choose a document to read.",
    "viewer.loadFailed": "This document could not be opened.",
    "viewer.pages": "{count} pages",
    "viewer.version": "version {version}",
    "viewer.pageOf": "Page {page} of {count}",
    "viewer.prevPage": "Previous page",
    "viewer.nextPage": "Next page",
    "viewer.zoomIn": "Zoom in",
    "viewer.zoomOut": "Zoom out",
    "viewer.fitWidth": "Fit width",
    "viewer.download": "Download",
    "viewer.downloadHint": "The download is stamped with your name",
    "viewer.upload": "Upload a PDF",
    "viewer.uploadFor": "For item",
    "viewer.wholeMeeting": "(Whole meeting)",
    "viewer.uploading": "Uploading “{name}”…",
    "viewer.uploaded": "Uploaded “{name}”.",
    "viewer.newVersion": "Upload a new version",
    "viewer.newVersionAvailable": "A new version ({version}) of this document is available.",
    "viewer.openNewVersion": "Open the new version",

    "poll.panelTitle": "Votes",
    "poll.new": "New vote",
    "poll.newTitle": "New vote",
    "poll.create": "Create vote",
    "poll.empty": "No votes yet.",
    "poll.emptyChair":
      "No votes yet. Create one for the item under discussion, then open it for the members.",
    "poll.defaultTitle": "Approval of: {title}",
    "poll.title": "Question",
    "poll.titleMissing": "Please enter the question.",
    "poll.kind": "Kind",
    "poll.kind.yes_no_abstain": "In favour / Against / Abstain",
    "poll.kind.options": "Choose among options",
    "poll.options": "Options (one per line)",
    "poll.optionsInvalid": "At least 2 options, all different.",
    "poll.maxChoices": "Options to choose",
    "poll.maxInvalid": "Options to choose must be from 1 to the number of options.",
    "poll.secret": "Secret ballot",
    "poll.allowChange": "Voters may change their vote until it closes",
    "poll.majority": "Passes with",
    "poll.majority.simple": "More than half of the votes for and against",
    "poll.majority.absolute": "More than half of all members",
    "poll.majority.two_thirds_present": "At least two thirds of members present",
    "poll.majority.two_thirds_members": "At least two thirds of all members",
    "poll.quorum": "Quorum",
    "poll.quorum.none": "None",
    "poll.quorum.half": "More than half of all members",
    "poll.quorum.two_thirds": "At least two thirds of all members",
    "poll.forItem": "For the item under discussion: {title}",
    "poll.secretShort": "Secret ballot",
    "poll.namedShort": "Named vote",
    "poll.status.draft": "Not open",
    "poll.status.open": "Voting",
    "poll.status.closed": "Closed",
    "poll.status.cancelled": "Cancelled",
    "poll.open": "Open the vote",
    "poll.close": "Close the vote",
    "poll.cancel": "Cancel the vote",
    "poll.closeConfirm.title": "Close the vote?",
    "poll.closeConfirm.body":
      "The result of “{title}” is published at once; nobody can vote after that.",
    "poll.cancelConfirm.title": "Cancel the vote?",
    "poll.cancelConfirm.body": "The ballots cast are never counted or published.",
    "poll.voteNow": "Vote",
    "poll.changeVote": "Change my vote",
    "poll.participation": "{voted} of {total} voted",
    "poll.notYet": "Not voted yet: {names}",
    "poll.youVoted": "You have voted.",
    "poll.youNotVoted": "You have not voted yet.",
    "poll.youRecused": "You do not take part in this vote.",
    "poll.adopted": "Adopted",
    "poll.rejected": "Not adopted",
    "poll.elected": "Chosen: {names}",
    "poll.noneElected": "No option reached the threshold",
    "poll.neededShort": "{count} needed",
    "poll.ballots": "How each member voted",
    "poll.receipts": "Receipts of counted ballots ({count})",
    "poll.receiptFound": "Receipt {receipt} ({who}) is in the list of counted ballots.",
    "poll.receiptMissing": "Receipt {receipt} ({who}) is not in the list of counted ballots.",

    "vote.yourVote": "Your vote",
    "vote.proxyFor": "Voting for {name} (proxy)",
    "vote.choice.yes": "In favour",
    "vote.choice.no": "Against",
    "vote.choice.abstain": "Abstain",
    "vote.choice.blank": "None of the options",
    "vote.continue": "Continue",
    "vote.later": "Later",
    "vote.confirmQuestion": "Please confirm your vote:",
    "vote.final": "Once confirmed, the vote cannot be changed.",
    "vote.canChange": "You may change your vote until the chair closes it.",
    "vote.back": "Choose again",
    "vote.confirm": "Confirm my vote",
    "vote.sending": "Sending…",
    "vote.recorded": "Your vote has been recorded.",
    "vote.receiptIntro": "Your ballot receipt:",
    "vote.receiptKeep":
      "It is shown only once and kept on this tablet. When the vote closes you will find it in the list of counted ballots — nobody can tell what you chose.",
    "vote.nextProxy": "Next: vote for {name}",
    "vote.close": "Close",
    "vote.pollClosed": "This vote has closed.",

    "event.document.added": "{actor} uploaded the document “{title}”.",
    "event.document.added.version": "{actor} uploaded version {version} of “{title}”.",
    "event.presenter.changed.none": "{actor} ended the presentation.",
    "event.presenter.changed.self": "{actor} started presenting.",
    "event.presenter.changed.other": "{actor} asked {target} to present.",
    "event.presenter.view_changed": "{actor} moved to page {page} of “{title}”.",
    "event.agenda.item_added": "{actor} added item {item}.",
    "event.agenda.item_updated": "{actor} edited item {item}.",
    "event.agenda.item_moved": "{actor} moved an item: now {item}.",
    "event.agenda.item_removed": "{actor} deleted the item “{title}”.",
    "event.agenda.item_status_changed": "{actor} marked item {item}: {status}.",
    "event.agenda.document_attached": "{actor} attached “{document}” to item {item}.",
    "event.agenda.document_detached": "{actor} detached “{document}” from item {item}.",
    "event.agenda.current_changed": "{actor} took up item {item}.",
    "event.agenda.current_changed.none": "{actor} paused the item under discussion.",
    "event.speakers.requested.self": "{target} asked to speak.",
    "event.speakers.requested.other": "{actor} put {target} on the list of speakers.",
    "event.speakers.withdrawn.self": "{target} withdrew the request to speak.",
    "event.speakers.withdrawn.other": "{actor} took {target} off the list of speakers.",
    "event.speakers.granted": "{actor} gave the floor to {target}.",
    "event.speakers.ended": "{target} finished speaking ({duration}).",
    "event.speakers.default_limit_set": "{actor} set the speaking time limit to {limit}.",
    "event.speakers.default_limit_set.none": "{actor} removed the speaking time limit.",
    "event.poll.created": "{actor} created the vote “{title}”.",
    "event.poll.updated": "{actor} edited the vote “{title}”.",
    "event.poll.opened": "{actor} opened the vote “{title}”.",
    "event.poll.closed": "{actor} closed the vote “{title}”: {outcome}.",
    "event.poll.cancelled": "{actor} cancelled the vote “{title}”.",
    "event.poll.recused.self": "{target} does not take part in the vote “{title}”.",
    "event.poll.recused.other":
      "{actor} recorded that {target} does not take part in the vote “{title}”.",
    "event.proxy.granted": "{actor} recorded that {holder} votes for {grantor} (proxy).",
    "event.proxy.revoked": "{actor} ended the proxy for {grantor}.",
    "event.vote.cast": "{target} voted: {choice}.",
    "event.vote.cast.recast": "{target} changed their vote: {choice}.",
    "event.vote.cast.proxy": "{actor} voted for {target}: {choice}.",
    "event.vote.participated": "{target} cast a secret ballot.",
    "event.vote.participated.proxy": "{actor} cast a secret ballot for {target}.",
    "event.minutes.note_set": "{actor} wrote the note of item {item}.",
    "event.minutes.note_set.general": "{actor} wrote the meeting's general note.",
    "event.minutes.absence_set": "{actor} recorded why {target} is absent.",
    "event.minutes.absence_cleared": "{actor} cleared the reason for {target}'s absence.",
    "event.minutes.decision_recorded": "{actor} recorded decision {number}.",
    "event.minutes.decision_updated": "{actor} edited decision {number}.",
    "event.minutes.decision_removed": "{actor} removed decision {number}.",
    "event.minutes.generated": "{actor} drew up draft minutes (version {version}).",
    "event.minutes.signed": "{actor} signed the minutes (version {version}).",
    "event.minutes.signed.final": "{actor} signed the minutes (version {version}); they are final.",
    "item.unknown": "#{id}",

    "route.notFound": "This page does not exist.",

    "error.invalid": "The request was not valid.",
    "error.too-large": "What was sent is too large.",
    "error.unauthenticated": "Your session has expired. Please sign in again.",
    "error.invalid-credentials": "Wrong user name or password.",
    "error.not-allowed": "You are not allowed to do this.",
    "error.not-found": "The meeting does not exist, or you are not on its roster.",
    "error.roster-removed": "You are no longer on this meeting's roster.",
    "error.not-joined": "Not in the meeting room yet. Please try again.",
    "error.conflict": "This is not possible in the meeting's current state.",
    "error.rate-limited": "Too many attempts. Please wait a few minutes and try again.",
    "minutes.sign.secret": "Your password (or your signing token's PIN)",
    "minutes.sign.secret.hint": "Every signature asks for it again.",
    "minutes.sign.secret.wrong": "Wrong password or PIN.",
    "minutes.sign.secret.paused":
      "Too many wrong tries; signing is paused so that the token does not lock. Please try again in a few minutes.",
    "error.resync-required": "Reloading the meeting…",
    "error.double-vote": "You have already voted, and this vote cannot be changed.",
    "error.poll-closed": "The vote is closed or was cancelled.",
    "error.not-eligible": "You are not among the voters of this poll.",
    "error.no-quorum": "Too few members are present: there is no quorum.",
    "error.quota-exceeded": "The meeting's document storage is full; the file was not saved.",
    "error.busy": "The server is checking other files; send this one again in a few seconds.",
    "error.idempotency-key-reused": "This request was already used for another file; the file was not saved.",
    "error.too-many-connections": "You have the meeting open on too many devices. Close one and try again.",
    "error.internal": "The server failed; nothing was saved.",
    "error.network": "The server cannot be reached. Please check the network.",
    "error.timeout": "The server did not answer in time. Please try again.",
  },
};

// Larger features keep their strings in their own module (./strings/), merged here.
for (const part of [
  ADMIN_STRINGS,
  ANNOTATION_STRINGS,
  COMMITTEE_STRINGS,
  DISPLAY_STRINGS,
  ELECTION_STRINGS,
  INTEGRITY_STRINGS,
  MEETINGS_ADMIN_STRINGS,
  MINUTES_STRINGS,
  PAPER_STRINGS,
  RULES_STRINGS,
  VOTE_ROOM_STRINGS,
]) {
  for (const language of LANGUAGES) Object.assign(STRINGS[language], part[language]);
}

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

/** The translated message for an error code of the server (or `network`/`timeout`); with
 * the error's `data`, the numbers some codes carry (a missing quorum's). */
export function errorText(code, data = null) {
  const numbered = `error.${code}.numbers`;
  if (data && numbered in STRINGS[current]) return t(numbered, data);
  const key = `error.${code}`;
  return key in STRINGS[current] ? t(key) : t("error.internal");
}

function parseTime(value) {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

const dateFormats = new Map(); // made once per language and options: making one is costly

/** An Intl.DateTimeFormat for the current language (the activity feed formats every event). */
function dateFormat(options) {
  const key = `${locale()}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale(), options);
    dateFormats.set(key, format);
  }
  return format;
}

/** A meeting's date and time, e.g. "Thứ Năm, 26/11/2026, lúc 08:00". */
export function formatDateTime(value) {
  const date = parseTime(value);
  if (date === null) return String(value ?? "");
  const day = dateFormat({
    timeZone: DISPLAY_TIME_ZONE,
    weekday: "long",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
  }).format(date);
  const time = dateFormat({
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  }).format(date);
  return t("format.dateTime", { date: day, time });
}

let collator = null; // compareNames's, made on first use

/** Compare people the Vietnamese way: by given name (the last word), then the full name. */
export function compareNames(a, b) {
  // One collator for every comparison: making one is costly (a sort of 500 names made ~9 000).
  collator ??= new Intl.Collator("vi", { sensitivity: "base", numeric: true });
  const given = (name) => name.trim().split(/\s+/).pop() ?? "";
  return collator.compare(given(a), given(b)) || collator.compare(a, b);
}

/** A duration in whole seconds as "m:ss" or "h:mm:ss". */
export function formatDuration(totalSecs) {
  const secs = Math.max(0, Math.floor(totalSecs));
  const h = Math.floor(secs / 3600);
  const m = Math.floor((secs % 3600) / 60);
  const ss = String(secs % 60).padStart(2, "0");
  if (h > 0) return t("duration.hours", { h, mm: String(m).padStart(2, "0"), ss });
  return t("duration.minutes", { m, ss });
}

/** A time of day, hours and minutes ("08:05"). */
export function formatClock(value) {
  const date = parseTime(value);
  if (date === null) return String(value ?? "");
  return dateFormat({
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
  return dateFormat({
    timeZone: DISPLAY_TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(date);
}
