// @ts-check
// Hash rule 1 of the event log: the text Python's json.dumps(value, ensure_ascii=False,
// sort_keys=True, separators=(",", ":")) writes (docs/protocol.md, `hash` under "Server →
// client events"). Contract: for a parsed value, canonicalizeLegacy(value) is that text
// whenever the server's value had no whole-number floats; with `wholeAsFloat` every whole
// number inside is written as Python writes a float ("120.0"). JSON.parse makes 120 and 120.0
// the same number, so an event whose data mixes both cannot be reproduced here (the verifier
// calls it unverifiable).

/** Python's json.dumps text of `value` (see above). */
export function canonicalizeLegacy(value, { wholeAsFloat = false } = {}) {
  const parts = [];
  write(value, parts, wholeAsFloat);
  return parts.join("");
}

/** Whether `value` holds a whole number anywhere (the only numbers rule 1 may hide). */
export function hasWholeNumber(value) {
  if (typeof value === "number") return Number.isInteger(value);
  if (value === null || typeof value !== "object") return false;
  return Object.values(value).some(hasWholeNumber);
}

function write(value, parts, wholeAsFloat) {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("NaN and infinity are not JSON");
    parts.push(Number.isInteger(value) && !wholeAsFloat ? String(value) : pythonFloat(value));
  } else if (Array.isArray(value)) {
    parts.push("[");
    value.forEach((item, index) => {
      if (index > 0) parts.push(",");
      write(item, parts, wholeAsFloat);
    });
    parts.push("]");
  } else if (value !== null && typeof value === "object") {
    parts.push("{");
    sortedByCodePoint(Object.keys(value)).forEach((name, index) => {
      if (index > 0) parts.push(",");
      parts.push(JSON.stringify(name), ":");
      write(value[name], parts, wholeAsFloat);
    });
    parts.push("}");
  } else {
    // null, booleans and strings: Python escapes the same characters JSON.stringify does.
    parts.push(JSON.stringify(value));
  }
}

// Python sorts by code point; UTF-16 order differs only where a surrogate pair meets
// U+E000–U+FFFF, so the plain sort serves unless a name holds a surrogate.
function sortedByCodePoint(names) {
  names.sort();
  if (!names.some((name) => /[\ud800-\udfff]/.test(name))) return names;
  const points = (name) => Array.from(name, (c) => c.codePointAt(0));
  return names.sort((a, b) => {
    const [x, y] = [points(a), points(b)];
    for (let i = 0; i < Math.min(x.length, y.length); i += 1) if (x[i] !== y[i]) return x[i] - y[i];
    return x.length - y.length;
  });
}

/** repr(float(x)) as Python writes it: shortest digits, exponent below 1e-4 and from 1e16. */
export function pythonFloat(x) {
  if (Object.is(x, -0)) return "-0.0";
  const [mantissa, exponentText] = x.toExponential().split("e"); // the shortest digits
  const exponent = Number(exponentText);
  const digits = mantissa.replace("-", "").replace(".", "");
  const sign = x < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const lead = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const power = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${lead}e${exponent < 0 ? "-" : "+"}${power}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  if (digits.length <= exponent + 1) {
    return `${sign}${digits}${"0".repeat(exponent + 1 - digits.length)}.0`;
  }
  return `${sign}${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
}
