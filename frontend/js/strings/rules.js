// @ts-check
// The words of voting rules, vi and en: committee kinds, what a committee's rule is, what a
// poll needs to pass, the count of a closed poll, a missing quorum. Merged into i18n.js.
// Counted texts have `.one`/`.other` forms (tn()); Vietnamese gives both the same text.
export const STRINGS = {
  vi: {
    "committee.kind.party": "cấp ủy, ban thường vụ Đảng",
    "committee.kind.peoples_committee": "Ủy ban nhân dân",
    "committee.kind.peoples_council": "Hội đồng nhân dân",
    "committee.kind.other": "cơ quan, tổ chức",

    "rule.majority.simple": "quá nửa số phiếu tán thành và không tán thành",
    "rule.majority.absolute": "quá nửa tổng số thành viên",
    "rule.majority.two_thirds_present": "ít nhất 2/3 số thành viên có mặt",
    "rule.majority.two_thirds_members": "ít nhất 2/3 tổng số thành viên",
    "rule.quorum.none": "không yêu cầu số thành viên có mặt",
    "rule.quorum.count.one": "ít nhất {count} thành viên",
    "rule.quorum.count.other": "ít nhất {count} thành viên",
    "rule.quorum.moreThanHalf": "quá nửa tổng số thành viên",
    "rule.quorum.moreThan": "quá {num}/{den} tổng số thành viên",
    "rule.quorum.atLeast": "ít nhất {num}/{den} tổng số thành viên",

    "poll.majority.committee": "Theo quy định: {rule}",
    "poll.quorum.committee": "Theo quy định: {rule}",
    "poll.committeeRule":
      "Quy định của {kind}: thông qua khi {majority} tán thành; chỉ biểu quyết khi có mặt {quorum}.",
    "poll.committeeRuleUnknown": "Áp dụng quy định của cơ quan về biểu quyết.",
    "poll.simpleWarning":
      "Chỉ tính phiếu tán thành và không tán thành: phiếu không biểu quyết và thành viên vắng mặt không được tính, nên chỉ vài phiếu cũng có thể thông qua.",

    "poll.needsLabel": "Điều kiện thông qua",
    "poll.votesYes.one": "{count} phiếu tán thành",
    "poll.votesYes.other": "{count} phiếu tán thành",
    "poll.votesOption.one": "{count} phiếu",
    "poll.votesOption.other": "{count} phiếu",
    "poll.allMembers.one": "{count} thành viên",
    "poll.allMembers.other": "{count} thành viên",
    "poll.memberCount.one": "{count} thành viên",
    "poll.memberCount.other": "{count} thành viên",
    "poll.needs.members": "cần ít nhất {votes} trên tổng số {members}",
    "poll.needs.present": "cần ít nhất {votes} trên {members} có mặt khi mở biểu quyết",
    "poll.needs.presentLater": "cần {share} số phiếu tán thành trên số thành viên có mặt khi mở biểu quyết",
    "rule.share.two_thirds_present": "ít nhất 2/3",
    "poll.needs.cast": "cần ít nhất {votes} trên {ballots} tán thành và không tán thành",
    "poll.ballotsCast.one": "{count} phiếu",
    "poll.ballotsCast.other": "{count} phiếu",
    "poll.needs.castOptions": "cần ít nhất {votes} trên {ballots} có chọn phương án",
    "poll.needs.castLater":
      "cần số phiếu tán thành nhiều hơn số phiếu không tán thành; phiếu không biểu quyết và thành viên vắng mặt không được tính",
    "poll.needs.eachOption": "mỗi phương án {text}",

    "poll.count.yes": "Tán thành {count}",
    "poll.count.no": "Không tán thành {count}",
    "poll.count.abstain": "Không biểu quyết {count}",
    "poll.count.blank": "Không chọn phương án {count}",
    "poll.count.didNotVote": "Không tham gia biểu quyết {count}",
    "poll.count.absent": "Vắng mặt {count}",
    "poll.notVoted": "Không tham gia biểu quyết: {names}",

    "poll.closeConfirm.named":
      "Chưa biểu quyết ({count}): {names}. Khi kết thúc, họ được ghi là không tham gia biểu quyết.",
    "poll.closeConfirm.secret.one":
      "Còn {count} thành viên chưa bỏ phiếu. Khi kết thúc, họ được ghi là không tham gia biểu quyết.",
    "poll.closeConfirm.secret.other":
      "Còn {count} thành viên chưa bỏ phiếu. Khi kết thúc, họ được ghi là không tham gia biểu quyết.",
    "poll.closeConfirm.everyone": "Mọi thành viên có quyền biểu quyết đã biểu quyết.",

    "error.no-quorum.numbers":
      "Chưa đủ số thành viên theo quy định: có mặt {present}, được ủy quyền {represented}, cần ít nhất {required}.",
  },
  en: {
    "committee.kind.party": "Party committee",
    "committee.kind.peoples_committee": "People's Committee",
    "committee.kind.peoples_council": "People's Council",
    "committee.kind.other": "Committee",

    "rule.majority.simple": "more than half of the votes for and against",
    "rule.majority.absolute": "more than half of all members",
    "rule.majority.two_thirds_present": "at least two thirds of the members present",
    "rule.majority.two_thirds_members": "at least two thirds of all members",
    "rule.quorum.none": "no quorum",
    "rule.quorum.count.one": "at least {count} member",
    "rule.quorum.count.other": "at least {count} members",
    "rule.quorum.moreThanHalf": "more than half of all members",
    "rule.quorum.moreThan": "more than {num}/{den} of all members",
    "rule.quorum.atLeast": "at least {num}/{den} of all members",

    "poll.majority.committee": "The rule: {rule}",
    "poll.quorum.committee": "The rule: {rule}",
    "poll.committeeRule":
      "{kind}: adopted when {majority} vote in favour; votes only with {quorum} present.",
    "poll.committeeRuleUnknown": "The committee's voting rules apply.",
    "poll.simpleWarning":
      "Only votes for and against count: abstentions and absent members do not, so a few votes can adopt.",

    "poll.needsLabel": "To pass",
    "poll.votesYes.one": "{count} vote in favour",
    "poll.votesYes.other": "{count} votes in favour",
    "poll.votesOption.one": "{count} vote",
    "poll.votesOption.other": "{count} votes",
    "poll.allMembers.one": "the {count} member",
    "poll.allMembers.other": "all {count} members",
    "poll.memberCount.one": "{count} member",
    "poll.memberCount.other": "{count} members",
    "poll.needs.members": "needs at least {votes} out of {members}",
    "poll.needs.present": "needs at least {votes} out of the {members} present when the vote opened",
    "poll.needs.presentLater":
      "needs votes in favour from {share} of the members present when the vote opens",
    "rule.share.two_thirds_present": "at least two thirds",
    "poll.needs.cast": "needs at least {votes} out of the {ballots} for and against",
    "poll.ballotsCast.one": "{count} vote",
    "poll.ballotsCast.other": "{count} votes",
    "poll.needs.castOptions": "needs at least {votes} out of the {ballots} that chose an option",
    "poll.needs.castLater":
      "needs more votes in favour than against; abstentions and absent members do not count",
    "poll.needs.eachOption": "each option {text}",

    "poll.count.yes": "In favour {count}",
    "poll.count.no": "Against {count}",
    "poll.count.abstain": "Abstained {count}",
    "poll.count.blank": "No option chosen {count}",
    "poll.count.didNotVote": "Did not vote {count}",
    "poll.count.absent": "Absent {count}",
    "poll.notVoted": "Did not vote: {names}",

    "poll.closeConfirm.named":
      "Not voted yet ({count}): {names}. Once closed, they are recorded as not having voted.",
    "poll.closeConfirm.secret.one":
      "{count} member has not voted yet. Once closed, they are recorded as not having voted.",
    "poll.closeConfirm.secret.other":
      "{count} members have not voted yet. Once closed, they are recorded as not having voted.",
    "poll.closeConfirm.everyone": "Every member entitled to vote has voted.",

    "error.no-quorum.numbers":
      "No quorum: {present} present, {represented} represented by proxy, at least {required} required.",
  },
};
