// @ts-check
// RFC 8785, the JSON Canonicalization Scheme (JCS): the text hash rule 2 of the event log is
// computed over (docs/protocol.md, `hash` under "Server → client events"). Contract: for any
// value JSON.parse returns, canonicalize(value) is the exact text the server hashed — object
// members sorted by the UTF-16 code units of their names, no white space, strings and numbers
// written as ECMAScript's JSON.stringify writes them (RFC 8785 §3.2.2 takes its forms from it).

/** The JCS text of `value`; throws TypeError for what JSON cannot hold (NaN, undefined…). */
export function canonicalize(value) {
  const parts = [];
  write(value, parts);
  return parts.join("");
}

function write(value, parts) {
  if (value === null || typeof value === "boolean" || typeof value === "string") {
    parts.push(JSON.stringify(value));
  } else if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("JCS: NaN and infinity are not JSON");
    parts.push(JSON.stringify(value)); // -0 becomes "0", as RFC 8785 §3.2.2.3 says
  } else if (Array.isArray(value)) {
    parts.push("[");
    value.forEach((item, index) => {
      if (index > 0) parts.push(",");
      write(item, parts);
    });
    parts.push("]");
  } else if (typeof value === "object") {
    // Array.prototype.sort compares strings by UTF-16 code units: exactly RFC 8785 §3.2.3.
    const names = Object.keys(value).sort();
    parts.push("{");
    names.forEach((name, index) => {
      if (index > 0) parts.push(",");
      parts.push(JSON.stringify(name), ":");
      write(value[name], parts);
    });
    parts.push("}");
  } else {
    throw new TypeError(`JCS: a ${typeof value} is not JSON`);
  }
}
