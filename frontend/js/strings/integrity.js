// @ts-check
// The words of the hash-chain check in the room's header (chain-status.js), vi and en.
// Merged into i18n.js.
export const STRINGS = {
  vi: {
    "chain.verified": "Diễn biến phiên họp đã kiểm chứng đến #{seq}",
    "chain.verifiedTitle":
      "Máy này đã tự tính lại chuỗi băm của từng sự kiện nhận được và thấy khớp với máy chủ.",
    "chain.unverifiable.one":
      "{count} sự kiện không thể tính lại trên máy này (ghi chú riêng của người khác hoặc dữ liệu cũ); các sự kiện còn lại đều khớp.",
    "chain.unverifiable.other":
      "{count} sự kiện không thể tính lại trên máy này (ghi chú riêng của người khác hoặc dữ liệu cũ); các sự kiện còn lại đều khớp.",
    "chain.mismatch":
      "Cảnh báo: dữ liệu phiên họp máy này nhận được không khớp với chuỗi kiểm chứng (sự kiện #{seq}). Đừng dựa vào nội dung trên màn hình cho đến khi quản trị viên kiểm tra.",
    "chain.reported": "Đã báo cho máy chủ.",
    "chain.reportFailed": "Chưa báo được cho máy chủ; hãy báo ngay cho thư ký phiên họp.",
  },
  en: {
    "chain.verified": "Record verified to #{seq}",
    "chain.verifiedTitle":
      "This tablet recomputed the hash chain of every event it received; all match the server.",
    "chain.unverifiable.one":
      "{count} event could not be recomputed here (another person's private note, or older data); all others match.",
    "chain.unverifiable.other":
      "{count} events could not be recomputed here (other people's private notes, or older data); all others match.",
    "chain.mismatch":
      "Warning: the meeting data this tablet received does not match its hash chain (event #{seq}). Do not rely on what this screen shows until an administrator has checked it.",
    "chain.reported": "The server has been told.",
    "chain.reportFailed": "The server could not be told; tell the meeting's clerk now.",
  },
};
