// @ts-check
// The words for members without a device, vi and en: the clerk records a named vote for a
// present member, gives paper ballots in a secret poll and enters the paper tally of the
// ballot-counting board (Ban kiểm phiếu). Merged into i18n.js. Counted texts have
// `.one`/`.other` forms (tn()); Vietnamese gives both the same text.
export const STRINGS = {
  vi: {
    "clerk.record": "Ghi nhận biểu quyết thay",
    "clerk.record.title": "Ghi nhận biểu quyết của thành viên",
    "clerk.record.intro":
      "Dành cho thành viên có mặt nhưng không dùng được máy tính bảng. Chọn thành viên, hỏi ý kiến của thành viên và ghi nhận đúng lựa chọn đó.",
    "clerk.record.member": "Thành viên (có mặt, chưa biểu quyết)",
    "clerk.record.choice": "Lựa chọn của thành viên",
    "clerk.record.none": "Mọi thành viên có mặt đã biểu quyết.",
    "clerk.record.summary": "Ghi nhận cho {name}: {choice}.",
    "clerk.record.pick": "Chọn thành viên và lựa chọn để ghi nhận.",
    "clerk.record.confirm": "Ghi nhận",
    "clerk.recordedMark": "(thư ký ghi nhận)",
    "clerk.recordedList": "Thư ký ghi nhận biểu quyết của: {names}.",
    "clerk.yours": "Thư ký đã ghi nhận biểu quyết của bạn: {choice}.",

    "paper.mark": "Phát phiếu giấy",
    "paper.mark.title": "Phát phiếu giấy",
    "paper.mark.intro":
      "Thành viên nhận phiếu giấy bỏ phiếu trên giấy, không bỏ phiếu trên máy tính bảng trong cuộc biểu quyết này. Phiếu giấy do Ban kiểm phiếu kiểm và chỉ được nhập dưới dạng tổng số.",
    "paper.mark.member": "Thành viên (có mặt, chưa bỏ phiếu)",
    "paper.mark.none": "Không còn thành viên có mặt nào chưa bỏ phiếu.",
    "paper.mark.summary": "Phát phiếu giấy cho {name}.",
    "paper.mark.pick": "Chọn thành viên nhận phiếu giấy.",
    "paper.mark.confirm": "Phát phiếu",

    "paper.tally": "Nhập kết quả kiểm phiếu giấy",
    "paper.tally.title": "Kết quả kiểm phiếu giấy",
    "paper.tally.intro":
      "Theo biên bản của Ban kiểm phiếu. Chỉ nhập tổng số, không ghi tên người bỏ phiếu. Sau khi lưu, việc bỏ phiếu trên máy tính bảng kết thúc.",
    "paper.issued": "Số phiếu phát ra",
    "paper.returned": "Số phiếu thu vào",
    "paper.valid": "Số phiếu hợp lệ",
    "paper.invalid": "Số phiếu không hợp lệ",
    "paper.countsHeading": "Số phiếu hợp lệ theo từng lựa chọn",
    "paper.check.issued.one": "Số phiếu phát ra phải bằng số thành viên nhận phiếu giấy ({count}).",
    "paper.check.issued.other": "Số phiếu phát ra phải bằng số thành viên nhận phiếu giấy ({count}).",
    "paper.check.returned": "Số phiếu thu vào không được lớn hơn số phiếu phát ra.",
    "paper.check.validInvalid":
      "Số phiếu hợp lệ cộng số phiếu không hợp lệ phải bằng số phiếu thu vào.",
    "paper.check.counts": "Tổng số phiếu theo từng lựa chọn phải bằng số phiếu hợp lệ.",
    "paper.check.person": "Ba mức tín nhiệm của {name} cộng lại phải bằng số phiếu hợp lệ.",
    "paper.check.kept":
      "Số phiếu giữ tên một người không được lớn hơn số phiếu hợp lệ có giữ tên.",
    "paper.check.seats.one":
      "Mỗi phiếu hợp lệ có giữ tên giữ từ 1 đến {count} tên: tổng số tên được giữ chưa khớp.",
    "paper.check.seats.other":
      "Mỗi phiếu hợp lệ có giữ tên giữ từ 1 đến {count} tên: tổng số tên được giữ chưa khớp.",
    "paper.check.number": "Mỗi ô là một số nguyên không âm.",
    "paper.check.ok": "Các số đã khớp.",
    "paper.tally.confirm": "Lưu kết quả",

    "paper.status.voters.one": "Phiếu giấy: {count} thành viên ({names}).",
    "paper.status.voters.other": "Phiếu giấy: {count} thành viên ({names}).",
    "paper.status.pending":
      "Chưa nhập kết quả kiểm phiếu giấy — cần nhập trước khi kết thúc biểu quyết.",
    "paper.status.entered":
      "Đã nhập kết quả kiểm phiếu giấy: phát ra {issued}, thu vào {returned}, hợp lệ {valid}, không hợp lệ {invalid}. Việc bỏ phiếu trên máy tính bảng đã kết thúc.",
    "paper.result":
      "Phiếu giấy (đã tính vào kết quả): phát ra {issued}, thu vào {returned}, hợp lệ {valid}, không hợp lệ {invalid}.",
    "paper.yours":
      "Bạn bỏ phiếu giấy trong cuộc biểu quyết này; Ban kiểm phiếu kiểm phiếu của bạn.",
    "paper.tabletEnded": "Phiếu giấy đã được kiểm: việc bỏ phiếu trên máy tính bảng đã kết thúc.",
    "paper.closeMissing": "Chưa nhập kết quả kiểm phiếu giấy: chưa thể kết thúc biểu quyết.",

    "event.vote.cast.recorded": "{actor} đã ghi nhận biểu quyết của {target}: {choice}.",
    "event.vote.paper_marked": "{actor} đã phát phiếu giấy cho {target} (“{title}”).",
    "event.poll.paper_tallied":
      "{actor} đã nhập kết quả kiểm phiếu giấy “{title}”: phát ra {issued}, thu vào {returned}, hợp lệ {valid}, không hợp lệ {invalid}.",

    "error.paper-ballot":
      "Thành viên này bỏ phiếu giấy trong cuộc biểu quyết này, không bỏ phiếu trên máy tính bảng.",
    "error.paper-tally-missing":
      "Có thành viên bỏ phiếu giấy: hãy nhập kết quả kiểm phiếu giấy trước khi kết thúc biểu quyết.",
  },
  en: {
    "clerk.record": "Record a vote for a member",
    "clerk.record.title": "Record a member's vote",
    "clerk.record.intro":
      "For a member who is present without a working tablet. Pick the member, ask for their choice and record exactly that.",
    "clerk.record.member": "Member (present, not yet voted)",
    "clerk.record.choice": "The member's choice",
    "clerk.record.none": "Every member present has voted.",
    "clerk.record.summary": "Record for {name}: {choice}.",
    "clerk.record.pick": "Pick a member and a choice to record.",
    "clerk.record.confirm": "Record",
    "clerk.recordedMark": "(recorded by the clerk)",
    "clerk.recordedList": "Votes recorded by the clerk: {names}.",
    "clerk.yours": "The clerk recorded your vote: {choice}.",

    "paper.mark": "Give a paper ballot",
    "paper.mark.title": "Give a paper ballot",
    "paper.mark.intro":
      "A member given a paper ballot votes on paper, not on a tablet, in this poll. The ballot-counting board counts the paper ballots; only their totals are entered.",
    "paper.mark.member": "Member (present, not yet voted)",
    "paper.mark.none": "Every member present has voted.",
    "paper.mark.summary": "Give {name} a paper ballot.",
    "paper.mark.pick": "Pick the member who votes on paper.",
    "paper.mark.confirm": "Give ballot",

    "paper.tally": "Enter the paper tally",
    "paper.tally.title": "Paper ballot tally",
    "paper.tally.intro":
      "As the ballot-counting board's report says. Totals only, no voter's name. Once saved, voting on tablets ends.",
    "paper.issued": "Ballots issued",
    "paper.returned": "Ballots returned",
    "paper.valid": "Valid ballots",
    "paper.invalid": "Invalid ballots",
    "paper.countsHeading": "Valid ballots per choice",
    "paper.check.issued.one": "Ballots issued must equal the members voting on paper ({count}).",
    "paper.check.issued.other": "Ballots issued must equal the members voting on paper ({count}).",
    "paper.check.returned": "No more ballots can be returned than were issued.",
    "paper.check.validInvalid": "Valid and invalid ballots must add up to those returned.",
    "paper.check.counts": "The counts per choice must add up to the valid ballots.",
    "paper.check.person": "The three levels of {name} must add up to the valid ballots.",
    "paper.check.kept": "No name can be kept on more ballots than the valid ballots keeping names.",
    "paper.check.seats.one":
      "Each valid ballot keeping names keeps 1 to {count} name: the names kept do not add up.",
    "paper.check.seats.other":
      "Each valid ballot keeping names keeps 1 to {count} names: the names kept do not add up.",
    "paper.check.number": "Each box takes a whole number, 0 or more.",
    "paper.check.ok": "The numbers add up.",
    "paper.tally.confirm": "Save the tally",

    "paper.status.voters.one": "Paper ballot: {count} member ({names}).",
    "paper.status.voters.other": "Paper ballots: {count} members ({names}).",
    "paper.status.pending": "The paper tally is not entered yet — it must be before the poll closes.",
    "paper.status.entered":
      "Paper tally entered: {issued} issued, {returned} returned, {valid} valid, {invalid} invalid. Voting on tablets has ended.",
    "paper.result":
      "Paper ballots (counted in the result): {issued} issued, {returned} returned, {valid} valid, {invalid} invalid.",
    "paper.yours": "You vote on paper in this poll; the ballot-counting board counts your ballot.",
    "paper.tabletEnded": "The paper ballots are counted: voting on tablets has ended.",
    "paper.closeMissing": "The paper tally is not entered: the poll cannot close yet.",

    "event.vote.cast.recorded": "{actor} recorded {target}'s vote: {choice}.",
    "event.vote.paper_marked": "{actor} gave {target} a paper ballot (“{title}”).",
    "event.poll.paper_tallied":
      "{actor} entered the paper tally of “{title}”: {issued} issued, {returned} returned, {valid} valid, {invalid} invalid.",

    "error.paper-ballot": "This member votes on paper in this poll, not on a tablet.",
    "error.paper-tally-missing":
      "Members vote on paper: enter the paper tally before closing the poll.",
  },
};
