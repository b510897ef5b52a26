// @ts-check
// What a tablet keeps about its votes: the receipt of a secret ballot (shown once by the
// server, so kept in localStorage per meeting, poll and voter), that a vote was cast from
// this tablet (localStorage: a vote the log shows without this mark was cast from another
// device), and a half-filled choice (sessionStorage, so that it survives a reconnect or a
// reload of this tab, not more). Nothing here is sent anywhere: an offline tablet does not
// queue a vote; it keeps the choice and sends it when the person confirms again online.

const RECEIPT = (meetingId, pollId, voterId) =>
  `ecabinet.receipt.${meetingId}.${pollId}.${voterId}`;
const DRAFT = (meetingId, pollId, voterId) =>
  `ecabinet.voteDraft.${meetingId}.${pollId}.${voterId}`;
const CAST_HERE = (meetingId, pollId, voterId) =>
  `ecabinet.castHere.${meetingId}.${pollId}.${voterId}`;
const DISMISSED = (meetingId, pollId) => `ecabinet.voteSheetLater.${meetingId}.${pollId}`;

function read(storage, key) {
  try {
    const raw = storage.getItem(key);
    return raw === null ? null : JSON.parse(raw);
  } catch {
    return null;
  }
}

function write(storage, key, value) {
  try {
    if (value === null) storage.removeItem(key);
    else storage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or disabled: the value lives only on screen.
  }
}

export const voteStorage = {
  receipt: (m, p, v) => read(window.localStorage, RECEIPT(m, p, v)),
  saveReceipt: (m, p, v, receipt) => write(window.localStorage, RECEIPT(m, p, v), receipt),
  castHere: (m, p, v) => read(window.localStorage, CAST_HERE(m, p, v)) === true,
  setCastHere: (m, p, v, value) =>
    write(window.localStorage, CAST_HERE(m, p, v), value ? true : null),
  draft: (m, p, v) => read(window.sessionStorage, DRAFT(m, p, v)),
  saveDraft: (m, p, v, draft) => write(window.sessionStorage, DRAFT(m, p, v), draft),
  dismissed: (m, p) => read(window.sessionStorage, DISMISSED(m, p)) === true,
  setDismissed: (m, p, value) => write(window.sessionStorage, DISMISSED(m, p), value ? true : null),
};
