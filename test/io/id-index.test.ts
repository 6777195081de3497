import { describe, it, expect } from 'vitest';
import { IdIndex } from '../../src/io/id-index.js';
import { createRng } from '../../src/math/random.js';

describe('IdIndex', () => {
  it('gives every distinct id one dense index in order of first appearance, across dense, sparse, negative and text ids', () => {
    const ids = new IdIndex();
    const rng = createRng(5);
    const reference = new Map<string, number>();
    const keys: Array<string | number> = [];
    for (let k = 0; k < 200_000; k++) {
      const r = rng.next();
      const key = r < 0.5 ? rng.int(60_000) : r < 0.7 ? 1e9 + rng.int(1e6) : r < 0.8 ? -rng.int(1000) : `id-${rng.int(30_000)}`;
      keys.push(key);
      const canonical = String(key);
      if (!reference.has(canonical)) reference.set(canonical, reference.size);
      const idx = typeof key === 'number' ? ids.internInteger(key, true) : ids.internString(key, true);
      expect(idx).toBe(reference.get(canonical));
    }
    expect(ids.size).toBe(reference.size);
    for (const [canonical, idx] of reference) expect(String(ids.idOf(idx))).toBe(canonical);
    // lookups without insert: known ids found, unknown ones -1, and nothing added
    expect(ids.internInteger(59_999 + 100_000, false)).toBe(-1);
    expect(ids.internString('id-unknown', false)).toBe(-1);
    expect(ids.internString(String(keys[7]), false)).toBe(reference.get(String(keys[7])));
    const bytes = new TextEncoder().encode(`x,${keys[11]},y`);
    expect(ids.internBytes(bytes, 2, bytes.length - 2, false)).toBe(reference.get(String(keys[11])));
    expect(ids.size).toBe(reference.size);
  });

  it('looks up many CSV-style fields at once exactly as one by one (empty fields -1, inserts across a rehash)', () => {
    const rng = createRng(8);
    const text: string[] = [];
    for (let k = 0; k < 5000; k++) {
      const r = rng.next();
      text.push(r < 0.1 ? '' : r < 0.4 ? String(rng.int(3000)) : r < 0.45 ? `0${rng.int(50)}` : `name-${rng.int(2500)}`);
    }
    const encoder = new TextEncoder();
    const parts = text.map((t) => encoder.encode(t));
    const bytes = new Uint8Array(parts.reduce((a, p) => a + p.length + 1, 0));
    const starts = new Int32Array(text.length * 2);
    const ends = new Int32Array(text.length * 2);
    let pos = 0;
    parts.forEach((p, k) => {
      bytes.set(p, pos);
      starts[2 * k + 1] = pos; // second column of a 2-column table
      ends[2 * k + 1] = pos + p.length;
      pos += p.length + 1;
    });
    const one = new IdIndex();
    const expected = parts.map((p, k) => (p.length === 0 ? -1 : one.internBytes(bytes, starts[2 * k + 1], ends[2 * k + 1], true)));
    const many = new IdIndex();
    const out = new Int32Array(text.length + 3).fill(-7);
    many.internBytesMany(bytes, starts, ends, 2, 1, 0, text.length, true, out, 3);
    expect(Array.from(out.subarray(3))).toEqual(expected);
    expect(many.size).toBe(one.size);
    const again = new Int32Array(text.length);
    many.internBytesMany(bytes, starts, ends, 2, 1, 0, text.length, false, again, 0);
    expect(Array.from(again)).toEqual(expected);
  });

  it('tells apart text ids that share their first 20 bytes (held in the slot) or differ in length only', () => {
    // lengths 1..60 around the 20 bytes a slot holds; many share a 20-byte prefix and differ in the tail
    const rng = createRng(13);
    const prefix = 'p'.repeat(19);
    const keys: string[] = [];
    for (let k = 0; k < 20_000; k++) {
      const r = rng.next();
      const tail = String(rng.int(3000));
      keys.push(r < 0.3 ? `${prefix}${tail}` : r < 0.5 ? `${prefix}q${tail}` : r < 0.6 ? `${prefix}${'x'.repeat(rng.int(4))}` : r < 0.7 ? `k${tail}\u0000`.slice(0, 1 + rng.int(6)) : `${'z'.repeat(rng.int(40))}-${tail}`);
    }
    const reference = new Map<string, number>();
    const one = new IdIndex();
    for (const key of keys) {
      if (!reference.has(key)) reference.set(key, reference.size);
      expect(one.internString(key, true)).toBe(reference.get(key));
    }
    for (const [key, idx] of reference) expect(String(one.idOf(idx))).toBe(key); // "-493" is an integer id
    // the same through the batched lookup, as Arrow utf8 offsets
    const { bytes, offsets } = utf8Offsets(keys);
    const many = new IdIndex();
    const out = new Int32Array(keys.length);
    many.internBytesMany(bytes, offsets, offsets, 1, 0, 1, keys.length, true, out, 0);
    expect(Array.from(out)).toEqual(keys.map((key) => reference.get(key)));
    expect(one.internString(`${prefix}q`, false)).toBe(reference.get(`${prefix}q`) ?? -1);
    expect(one.internString(`${prefix}9999`, false)).toBe(-1);
  });

  it('ids given as JS strings (Parquet text) map like the same ids as bytes, in blocks, non-ASCII included', async () => {
    const { decodeIds } = await import('../../src/io/column-decode.js');
    const values: Array<string | null> = [];
    for (let k = 0; k < 40_000; k++) values.push(k % 7 === 0 ? null : k % 5 === 0 ? `Zürich-${k % 300}` : k % 3 === 0 ? String(k % 1000) : `p-${k % 900}`);
    const batched = new IdIndex();
    const out = new Int32Array(values.length);
    decodeIds({ kind: 'values', values }, values.length, batched, true, out, 0);
    const single = new IdIndex();
    const expected = values.map((x) => (x === null ? -1 : single.intern(x, true)));
    expect(Array.from(out)).toEqual(expected);
    expect(batched.idOf(out[5])).toBe('Zürich-5');
  });
  it('finds ids inserted one by one when looked up in bulk far from the buffer end, where words are read whole', () => {
    // internString hashes byte by byte; internBytesMany reads 4-byte words where 20 bytes remain in the
    // buffer. Both must give the same slot contents for every key length 1..40.
    const rng = createRng(17);
    const keys: string[] = [];
    for (let len = 1; len <= 40; len++) for (let k = 0; k < 50; k++) keys.push(Array.from({ length: len }, () => 'abcxyz-_Z'[rng.int(9)]).join(''));
    const one = new IdIndex();
    const expected = keys.map((key) => one.internString(key, true));
    const { bytes, offsets } = utf8Offsets(keys, 64); // 64 bytes of padding after the last key
    const out = new Int32Array(keys.length);
    one.internBytesMany(bytes, offsets, offsets, 1, 0, 1, keys.length, false, out, 0);
    expect(Array.from(out)).toEqual(expected);
    // and the other way round: inserted in bulk, found one by one
    const many = new IdIndex();
    many.internBytesMany(bytes, offsets, offsets, 1, 0, 1, keys.length, true, out, 0);
    expect(keys.map((key) => many.internString(key, false))).toEqual(Array.from(out));
  });

  it('runs of one id (a file ordered by person) and neighbours that differ only past the slot, with one hash, resolve as a Map of the strings does', () => {
    // runs of one id, broken by neighbours that differ only past the 20 bytes a slot holds, by one
    // byte of length, by an integer id or by an empty cell; looked up with and without inserting
    const rng = createRng(23);
    const prefix = 'q'.repeat(20);
    // two tails past the slot's 20 bytes whose FNV-1a hashes collide, so the two keys have one hash and
    // one length: only the bytes tell them apart
    const [tailA, tailB] = fnvCollision();
    const pool = [`${prefix}`, `${prefix}a`, `${prefix}b`, `${prefix}ab`, `${prefix}${tailA}`, `${prefix}${tailB}`, 'person-1', 'person-10', 'person-1x', 'person-1\u0000', '7', '', 'Zürich', `${prefix.slice(1)}`];
    const keys: string[] = [];
    while (keys.length < 20_000) {
      const key = pool[rng.int(pool.length)];
      for (let r = 1 + rng.int(4); r > 0; r--) keys.push(key);
    }
    const { bytes, offsets } = utf8Offsets(keys);
    // the reference: a Map of the keys as strings, in order of first appearance, 'person-1' known before
    const reference = new Map<string, number>([['person-1', 0]]);
    const unknownFirst = keys.map((key) => (key === 'person-1' ? 0 : -1));
    const expected = keys.map((key) => {
      if (key === '') return -1;
      if (!reference.has(key)) reference.set(key, reference.size);
      return reference.get(key)!;
    });
    const many = new IdIndex();
    many.internString('person-1', true);
    const out = new Int32Array(keys.length);
    many.internBytesMany(bytes, offsets, offsets, 1, 0, 1, keys.length, false, out, 0);
    expect(Array.from(out)).toEqual(unknownFirst);
    many.internBytesMany(bytes, offsets, offsets, 1, 0, 1, keys.length, true, out, 0);
    expect(Array.from(out)).toEqual(expected);
    expect(many.size).toBe(reference.size);
    // one by one, through the byte-by-byte hash
    const one = new IdIndex();
    one.internString('person-1', true);
    expect(keys.map((key) => (key === '' ? -1 : one.internString(key, true)))).toEqual(expected);
  });
});

/**
 * Two different 4-letter tails with the same 32-bit FNV-1a hash (the id index's tail hash), found by a
 * search over [A-Za-z0-9]^4; the hash is recomputed here, so the test fails if they ever stop colliding.
 */
function fnvCollision(): [string, string] {
  const fnv = (text: string): number => {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h;
  };
  const pair: [string, string] = ['l9On', 'H8aa'];
  expect(fnv(pair[0])).toBe(fnv(pair[1]));
  return pair;
}

/**
 * Keys as an Arrow utf8 column: their UTF-8 bytes end to end and offsets[k] .. offsets[k + 1] of key k,
 * with `padding` bytes of 'z' after the last key.
 */
function utf8Offsets(keys: string[], padding = 0): { bytes: Uint8Array; offsets: Int32Array } {
  const encoder = new TextEncoder();
  const parts = keys.map((t) => encoder.encode(t));
  const offsets = new Int32Array(keys.length + 1);
  parts.forEach((p, k) => (offsets[k + 1] = offsets[k] + p.length));
  const bytes = new Uint8Array(offsets[keys.length] + padding).fill(0x7a);
  parts.forEach((p, k) => bytes.set(p, offsets[k]));
  return { bytes, offsets };
}
