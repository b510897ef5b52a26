// @ts-check
// The words of the room around a vote, vi and en: a vote recorded here or from another
// device, a sheet waiting for the network, the chair's controls on the sheet, the verdict
// of a result. Merged into i18n.js. Counted texts have `.one`/`.other` forms (tn()).
export const STRINGS = {
  vi: {
    "vote.recorded.mine.here.named": "Bạn đã biểu quyết: {choice}.",
    "vote.recorded.mine.here.secret": "Bạn đã bỏ phiếu.",
    "vote.recorded.mine.elsewhere.named":
      "Biểu quyết của bạn đã được ghi nhận từ một thiết bị khác: {choice}.",
    "vote.recorded.mine.elsewhere.secret":
      "Phiếu của bạn đã được ghi nhận từ một thiết bị khác. Mã phiếu chỉ có trên thiết bị đó.",
    "vote.recorded.proxy.here.named": "Đã biểu quyết thay {name}: {choice}.",
    "vote.recorded.proxy.here.secret": "Đã bỏ phiếu thay {name}.",
    "vote.recorded.proxy.elsewhere.named":
      "Biểu quyết thay {name} đã được ghi nhận từ một thiết bị khác: {choice}.",
    "vote.recorded.proxy.elsewhere.secret":
      "Phiếu thay {name} đã được ghi nhận từ một thiết bị khác.",
    "vote.recorded.mine.clerk.named": "Thư ký đã ghi nhận biểu quyết của bạn: {choice}.",
    "vote.recorded.mine.clerk.secret": "Thư ký đã ghi nhận phiếu của bạn.",
    "vote.recorded.proxy.clerk.named": "Thư ký đã ghi nhận biểu quyết của {name}: {choice}.",
    "vote.recorded.proxy.clerk.secret": "Thư ký đã ghi nhận phiếu của {name}.",

    "vote.offline.choose":
      "Mất kết nối tới máy chủ — chưa gửi được phiếu. Lựa chọn của bạn được giữ trên máy này; khi có mạng lại, bấm “Xác nhận biểu quyết” để gửi.",
    "vote.offline.sending":
      "Mất kết nối tới máy chủ — phiếu sẽ được gửi khi có mạng lại. Nếu mạng không trở lại trong 30 giây, phiếu không được gửi và bạn có thể gửi lại.",
    "vote.offline.title": "Đang chờ kết nối",
    "poll.youDidNotVote": "Biểu quyết đã kết thúc khi bạn chưa biểu quyết.",
    "vote.reminder": "{name} nhắc bạn biểu quyết.",
    "poll.remind": "Nhắc người chưa biểu quyết",
    "poll.reminded": "Đã gửi lời nhắc",

    "vote.pickUpTo.one": "Chọn tối đa {count} phương án.",
    "vote.pickUpTo.other": "Chọn tối đa {count} phương án.",

    "vote.chair.title": "Điều hành (chủ tọa)",
    "vote.chair.participation.one": "{voted}/{count} thành viên đã biểu quyết",
    "vote.chair.participation.other": "{voted}/{count} thành viên đã biểu quyết",
    "vote.chair.hint": "Chủ tọa có thể kết thúc biểu quyết mà không cần biểu quyết trước.",

    "poll.verdict.adopted": "{yes} trên {base}: cần ít nhất {needed}, đã đạt.",
    "poll.verdict.rejected": "{yes} trên {base}: cần ít nhất {needed}, chưa đạt.",
    "poll.verdict.yes.one": "{count} phiếu tán thành",
    "poll.verdict.yes.other": "{count} phiếu tán thành",
    "poll.verdict.base.members.one": "tổng số {count} thành viên",
    "poll.verdict.base.members.other": "tổng số {count} thành viên",
    "poll.verdict.base.present.one": "{count} thành viên có mặt",
    "poll.verdict.base.present.other": "{count} thành viên có mặt",
    "poll.verdict.base.cast.one": "{count} phiếu tán thành và không tán thành",
    "poll.verdict.base.cast.other": "{count} phiếu tán thành và không tán thành",
  },
  en: {
    "vote.recorded.mine.here.named": "You voted: {choice}.",
    "vote.recorded.mine.here.secret": "You have cast your ballot.",
    "vote.recorded.mine.elsewhere.named":
      "Your vote was recorded from another device: {choice}.",
    "vote.recorded.mine.elsewhere.secret":
      "Your ballot was recorded from another device. Its receipt is only on that device.",
    "vote.recorded.proxy.here.named": "Voted for {name}: {choice}.",
    "vote.recorded.proxy.here.secret": "Ballot cast for {name}.",
    "vote.recorded.proxy.elsewhere.named":
      "The vote for {name} was recorded from another device: {choice}.",
    "vote.recorded.proxy.elsewhere.secret":
      "The ballot for {name} was recorded from another device.",
    "vote.recorded.mine.clerk.named": "The clerk recorded your vote: {choice}.",
    "vote.recorded.mine.clerk.secret": "The clerk recorded your ballot.",
    "vote.recorded.proxy.clerk.named": "The clerk recorded the vote of {name}: {choice}.",
    "vote.recorded.proxy.clerk.secret": "The clerk recorded the ballot of {name}.",

    "vote.offline.choose":
      "No connection to the server — your vote has not been sent. Your choice is kept on this tablet; when the network is back, press “Confirm my vote” to send it.",
    "vote.offline.sending":
      "No connection to the server — your vote will be sent when the network is back. If it is not back within 30 seconds, the vote is not sent and you can send it again.",
    "vote.offline.title": "Waiting for the network",
    "poll.youDidNotVote": "The vote closed before you voted.",
    "vote.reminder": "{name} reminds you to vote.",
    "poll.remind": "Remind those who have not voted",
    "poll.reminded": "Reminder sent",

    "vote.pickUpTo.one": "Choose up to {count} option.",
    "vote.pickUpTo.other": "Choose up to {count} options.",

    "vote.chair.title": "Chairing",
    "vote.chair.participation.one": "{voted} of {count} member voted",
    "vote.chair.participation.other": "{voted} of {count} members voted",
    "vote.chair.hint": "The chair may close the vote without voting first.",

    "poll.verdict.adopted": "{yes} out of {base}: at least {needed} needed, reached.",
    "poll.verdict.rejected": "{yes} out of {base}: at least {needed} needed, not reached.",
    "poll.verdict.yes.one": "{count} vote in favour",
    "poll.verdict.yes.other": "{count} votes in favour",
    "poll.verdict.base.members.one": "the {count} member",
    "poll.verdict.base.members.other": "all {count} members",
    "poll.verdict.base.present.one": "the {count} member present",
    "poll.verdict.base.present.other": "the {count} members present",
    "poll.verdict.base.cast.one": "{count} vote for or against",
    "poll.verdict.base.cast.other": "{count} votes for and against",
  },
};
