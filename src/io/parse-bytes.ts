/**
 * Parsing numbers, times and canonical integers straight from UTF-8 bytes, so the CSV hot path creates
 * no strings. Decimal parsing takes Clinger's fast path (an integer mantissa below 2^53 divided or
 * multiplied by an exact power of ten is correctly rounded); anything else falls back to Number().
 */

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

/** Decode bytes[s, e) as a UTF-8 string. */
export function bytesToString(bytes: Uint8Array, s: number, e: number): string {
  if (e - s < 16) {
    let ascii = true;
    let out = '';
    for (let i = s; i < e; i++) {
      const c = bytes[i];
      if (c > 127) {
        ascii = false;
        break;
      }
      out += String.fromCharCode(c);
    }
    if (ascii) return out;
  }
  return utf8.decode(bytes.subarray(s, e));
}

/** bytes[from, to) as a number when every byte is a digit (and to - from <= 8, so it fits an int32), else NaN */
function digitRun(bytes: Uint8Array, from: number, to: number): number {
  let v = 0;
  for (let i = from; i < to; i++) {
    const d = bytes[i] - 48;
    if (d >>> 0 > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

/**
 * bytes[s, e) as a number when it is 1 to 15 plain digits (exact in a double), else NaN: the common
 * case of times and counts, small enough to inline in column loops. The last 8 digits and those before
 * them are two independent integer chains (each fits an int32), which halves the serial multiply-add
 * latency of one chain in doubles.
 */
export function parsePlainDigits(bytes: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 15) return NaN;
  const mid = e - 8 > s ? e - 8 : s;
  return digitRun(bytes, s, mid) * 1e8 + digitRun(bytes, mid, e);
}

/** the 4 ASCII digits of a little-endian word (first character in the low byte) as a number 0..9999 */
function fourDigits(word: number): number {
  const x = word & 0x0f0f0f0f;
  // bytes 0 and 2 become the two-digit numbers d0d1 and d2d3
  const pairs = Math.imul(x, 10) + (x >>> 8);
  return (pairs & 0xff) * 100 + ((pairs >>> 16) & 0xff);
}

/** True when all 4 bytes of the word are ASCII digits: high nibble 3, and still 3 after adding 6 */
function fourAreDigits(word: number): boolean {
  return ((word & 0xf0f0f0f0) | (((word + 0x06060606) & 0xf0f0f0f0) >>> 4)) === 0x33333333;
}

/**
 * parsePlainDigits for keys of 8 to 15 digits (epoch seconds have 10), with the last 8 digits read as
 * two words through `view` (a DataView of `bytes`) and checked and combined 4 at a time (SWAR). Same
 * result as parsePlainDigits for any input.
 */
export function parsePlainDigitsView(bytes: Uint8Array, view: DataView, s: number, e: number): number {
  const len = e - s;
  if (len < 8 || len > 15) return parsePlainDigits(bytes, s, e);
  const a = view.getInt32(e - 8, true);
  const b = view.getInt32(e - 4, true);
  if (!fourAreDigits(a) || !fourAreDigits(b)) return NaN;
  return digitRun(bytes, s, e - 8) * 1e8 + fourDigits(a) * 10000 + fourDigits(b);
}

/**
 * Parse bytes[s, e) as a finite or non-finite number the way Number() does for plain decimal text
 * (surrounding spaces allowed). Returns NaN for empty or unparseable text.
 */
export function parseNumberBytes(bytes: Uint8Array, s: number, e: number): number {
  // the common case first: plain digits (epoch seconds, counts, dwell)
  const plain = parsePlainDigits(bytes, s, e);
  if (plain === plain) return plain;
  while (s < e && bytes[s] === 32) s++;
  while (e > s && bytes[e - 1] === 32) e--;
  if (s === e) return NaN;
  let i = s;
  let negative = false;
  if (bytes[i] === 45) {
    negative = true;
    i++;
  } else if (bytes[i] === 43) i++;
  let mantissa = 0;
  let digits = 0;
  let scale = 0;
  let sawDigit = false;
  while (i < e) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) break;
    sawDigit = true;
    if (digits > 0 || d !== 0) digits++;
    mantissa = mantissa * 10 + d;
    i++;
  }
  if (i < e && bytes[i] === 46) {
    i++;
    while (i < e) {
      const d = bytes[i] - 48;
      if (d < 0 || d > 9) break;
      sawDigit = true;
      if (digits > 0 || d !== 0) digits++;
      mantissa = mantissa * 10 + d;
      scale++;
      i++;
    }
  }
  if (i === e && sawDigit && digits <= 15 && scale <= 22) {
    const v = scale === 0 ? mantissa : mantissa / POW10[scale];
    return negative ? -v : v;
  }
  // exponents, long mantissas, "Infinity", "NaN", hex: let the engine decide
  const text = latin1.decode(bytes.subarray(s, e));
  if (text === '' || /^0[xXbBoO]/.test(text.replace(/^[-+]/, ''))) return NaN;
  return Number(text);
}

/**
 * If bytes[s, e) is a canonical integer (optional '-', no leading zeros, at most 15 digits), return it;
 * otherwise return NaN. Ids that are canonical integers are keyed as numbers, so "42" in a CSV and 42 in an
 * Arrow Int64 column name the same person, while "042" stays a distinct string id.
 */
export function canonicalIntegerBytes(bytes: Uint8Array, s: number, e: number): number {
  let i = s;
  let negative = false;
  if (i < e && bytes[i] === 45) {
    negative = true;
    i++;
  }
  const len = e - i;
  if (len === 0 || len > 15) return NaN;
  if (bytes[i] === 48 && (len > 1 || negative)) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

/** The same rule for a JS string. */
export function canonicalIntegerString(text: string): number {
  const len = text.length;
  if (len === 0 || len > 16) return NaN;
  let i = 0;
  let negative = false;
  if (text.charCodeAt(0) === 45) {
    negative = true;
    i = 1;
  }
  const digits = len - i;
  if (digits === 0 || digits > 15) return NaN;
  if (text.charCodeAt(i) === 48 && (digits > 1 || negative)) return NaN;
  let v = 0;
  for (; i < len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return negative ? -v : v;
}

const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parse a time as epoch seconds: a plain number (epoch seconds) or ISO-8601
 * (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM]; no zone means UTC). Returns NaN when unparseable or when
 * the calendar fields are out of range (month 13, day 32, hour 25).
 */
export function parseTimeString(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  const c = t.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46) {
    if (!t.includes('-', 1) && !t.includes(':')) {
      const v = Number(t);
      return Number.isFinite(v) ? v : NaN;
    }
  }
  const m = ISO_8601.exec(t);
  if (!m) return NaN;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  const hour = m[4] === undefined ? 0 : +m[4];
  const minute = m[5] === undefined ? 0 : +m[5];
  const second = m[6] === undefined ? 0 : +m[6];
  const fraction = m[7] === undefined ? 0 : Number(m[7]);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return NaN;
  let ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (check.getUTCDate() !== day) return NaN; // e.g. 2021-02-30
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
    ms -= sign * offsetMinutes * 60_000;
  }
  return ms / 1000 + fraction;
}

/** Parse a time from bytes: the numeric fast path, else ISO-8601. */
export function parseTimeBytes(bytes: Uint8Array, s: number, e: number): number {
  const v = parseNumberBytes(bytes, s, e);
  if (!Number.isNaN(v)) return Number.isFinite(v) ? v : NaN;
  return parseTimeString(bytesToString(bytes, s, e));
}
