import { describe, it, expect } from 'vitest';
import { canonicalIntegerBytes, parseNumberBytes, parsePlainDigits, parsePlainDigitsView, parseTimeBytes } from '../../src/io/parse-bytes.js';
import { createRng } from '../../src/math/random.js';

const encoder = new TextEncoder();

/** text placed inside a larger buffer (bytes around it must not be read) */
function field(text: string): { bytes: Uint8Array; s: number; e: number } {
  const inner = encoder.encode(text);
  const bytes = new Uint8Array(inner.length + 6).fill(55); // '7' on both sides
  bytes.set(inner, 3);
  return { bytes, s: 3, e: 3 + inner.length };
}

/**
 * Number()'s reading of decimal text, except that empty (or blank) text is NaN instead of 0 and radix
 * prefixes (0x, 0b, 0o) are not decimal text
 */
function reference(text: string): number {
  return text.trim() === '' || /^\s*[-+]?0[xXbBoO]/.test(text) ? NaN : Number(text);
}

describe('parseNumberBytes', () => {
  it('reads plain digit strings of every length 1..17 exactly as Number() does', () => {
    const rng = createRng(21);
    for (let len = 1; len <= 17; len++) {
      for (let k = 0; k < 300; k++) {
        let text = '';
        for (let c = 0; c < len; c++) text += String(rng.int(10));
        const { bytes, s, e } = field(text);
        expect(parseNumberBytes(bytes, s, e)).toBe(Number(text));
      }
    }
    // the boundaries of the two 8-digit halves and of exact doubles
    for (const text of ['0', '9', '99999999', '100000000', '999999999999999', '1000000000000000', '9007199254740993', '00000001547860623']) {
      const { bytes, s, e } = field(text);
      expect(parseNumberBytes(bytes, s, e)).toBe(Number(text));
    }
  });

  it('reads signs, decimals, exponents, spaces and rejects garbage like Number()', () => {
    const cases = ['-12', '+7', '3.25', '-0.5', '.5', '5.', '1e3', '2.5E-3', ' 42 ', '1547860623.5', '12a', 'a12', '1-2', '--1', '', '   ', '1 2', 'Infinity', '-Infinity', 'NaN', '123456789012345678901', '0.1234567890123456789'];
    for (const text of cases) {
      const { bytes, s, e } = field(text);
      const got = parseNumberBytes(bytes, s, e);
      expect(Object.is(got, reference(text)) || (Number.isNaN(got) && Number.isNaN(reference(text))), text).toBe(true);
    }
    // hexadecimal and other radix prefixes are not decimal text
    for (const text of ['0x10', '0b1', '-0o7']) {
      const { bytes, s, e } = field(text);
      expect(parseNumberBytes(bytes, s, e)).toBeNaN();
    }
  });

  it('agrees with Number() on random digit strings with one non-digit at any position', () => {
    const rng = createRng(22);
    const others = ['.', '-', 'x', ' ', '/', ':'];
    for (let k = 0; k < 3000; k++) {
      const len = 2 + rng.int(14);
      const chars: string[] = [];
      for (let c = 0; c < len; c++) chars.push(String(rng.int(10)));
      chars[rng.int(len)] = others[rng.int(others.length)];
      const text = chars.join('');
      const { bytes, s, e } = field(text);
      const got = parseNumberBytes(bytes, s, e);
      const want = reference(text);
      if (Number.isNaN(want)) expect(got, text).toBeNaN();
      else expect(got, text).toBe(want);
    }
  });
});

describe('parseTimeBytes and canonicalIntegerBytes', () => {
  it('reads epoch seconds as numbers and ISO-8601 text as epoch seconds', () => {
    const t = field('1547860623');
    expect(parseTimeBytes(t.bytes, t.s, t.e)).toBe(1547860623);
    const iso = field('2019-01-19T01:17:03Z');
    expect(parseTimeBytes(iso.bytes, iso.s, iso.e)).toBe(1547860623);
    const bad = field('yesterday');
    expect(parseTimeBytes(bad.bytes, bad.s, bad.e)).toBeNaN();
  });

  it('keys canonical integers only (no leading zeros or signs other than one minus)', () => {
    const cases: Array<[string, number]> = [['42', 42], ['-7', -7], ['0', 0], ['042', NaN], ['-0', NaN], ['+4', NaN], ['4.0', NaN], ['', NaN], ['-', NaN], ['123456789012345', 123456789012345], ['1234567890123456', NaN]];
    for (const [text, want] of cases) {
      const { bytes, s, e } = field(text);
      const got = canonicalIntegerBytes(bytes, s, e);
      if (Number.isNaN(want)) expect(got, text).toBeNaN();
      else expect(got, text).toBe(want);
    }
  });
});

describe('parsePlainDigits and its word-at-a-time form', () => {
  it('agree with each other and with Number() on digit strings of 0..17 characters with any one byte changed', () => {
    const rng = createRng(23);
    const replacements = [0x2f, 0x3a, 0x20, 0x2e, 0x2d, 0x00, 0xff, 0xb0, 0x39, 0x30, 0x36, 0x41];
    for (let k = 0; k < 20000; k++) {
      const len = rng.int(18);
      const chars = Array.from({ length: len }, () => 48 + rng.int(10));
      if (len > 0 && rng.next() < 0.5) chars[rng.int(len)] = replacements[rng.int(replacements.length)];
      const bytes = new Uint8Array(len + 8).fill(0x35);
      bytes.set(chars, 4);
      const view = new DataView(bytes.buffer);
      const text = String.fromCharCode(...chars);
      const plain = /^[0-9]{1,15}$/.test(text) ? Number(text) : NaN;
      const a = parsePlainDigits(bytes, 4, 4 + len);
      const b = parsePlainDigitsView(bytes, view, 4, 4 + len);
      if (Number.isNaN(plain)) {
        expect(a, text).toBeNaN();
        expect(b, text).toBeNaN();
      } else {
        expect(a, text).toBe(plain);
        expect(b, text).toBe(plain);
      }
    }
  });
});
