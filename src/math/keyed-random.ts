/**
 * Keyed randomness: a uniform draw that is a pure function of (seed, a stream label, the stable key of
 * a record, a draw number), never of iteration order or thread. A scenario's choice for a visit depends
 * on the visit itself (its person id, place id, start and end) and not on where it sits in the file, so
 * a shuffled input gives the same rewritten visits as a multiset.
 *
 * Construction (32-bit integer arithmetic with Math.imul, as murmur3):
 *  - a key has two independent 32-bit lanes (lane 1 and lane 2 are hashed from the same words with
 *    different seeds), so two distinct records share all their draws only with probability ~2^-64;
 *  - words are absorbed with murmur3's block step (Appleby, MurmurHash3 x86_32: k *= c1; k = rotl(k, 15);
 *    k *= c2; h ^= k; h = rotl(h, 13); h = 5 h + 0xe6546b64) and finalised with its fmix32;
 *  - a draw d of key (a, b): a' = fmix(absorb(a, d)), b' = fmix(absorb(b, d ^ 0x9e3779b9)), then two
 *    Feistel rounds a'' = a' ^ fmix(b'), b'' = fmix(b' + a'') (a bijection on 64 bits, so distinct keys
 *    give distinct 64-bit outputs) and u = (a'' >>> 5 * 2^26 + b'' >>> 6) / 2^53, a uniform double in
 *    [0, 1) with 53 random bits.
 * Strings are hashed over their UTF-16 code units (ids as text: a numeric id 42 and the text "42" are the
 * same id, as the loaders treat them).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
/** lane seeds: any two distinct odd constants */
export const LANE_1 = 0x2545f491;
export const LANE_2 = 0x6c8e9cf5;

/** murmur3's block step: absorb the 32-bit word k into the state h. */
export function absorb(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** murmur3's finaliser: every input bit reaches every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** 32-bit hash of a string's UTF-16 code units (two per word) with a lane seed. */
export function hashString(s: string, lane: number): number {
  let h = lane;
  const n = s.length;
  let i = 0;
  for (; i + 1 < n; i += 2) h = absorb(h, s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16));
  if (i < n) h = absorb(h, s.charCodeAt(i));
  return fmix32(h ^ n);
}

const f64 = new Float64Array(1);
const f64Words = new Int32Array(f64.buffer);

/**
 * The two 32-bit words of a double into out[at], out[at + 1], every NaN as one canonical NaN and -0 as
 * 0 (equal times give equal keys).
 */
export function float64Words(x: number, out: Int32Array, at: number): void {
  if (x !== x) {
    out[at] = 0x7ff80000;
    out[at + 1] = 0;
    return;
  }
  f64[0] = x === 0 ? 0 : x;
  out[at] = f64Words[0];
  out[at + 1] = f64Words[1];
}

/** A two-lane key: both lanes of a record, finalised. */
export interface Key2 {
  a: number;
  b: number;
}

/** The key of a stream: (seed, labels...), e.g. streamKey(seed, 'intervention', 2). */
export function streamKey(seed: number | string, ...labels: Array<number | string>): Key2 {
  const text = [String(seed), ...labels.map(String)].join('\u0000');
  return { a: hashString(text, LANE_1), b: hashString(text, LANE_2) };
}

/** The i-th uniform double in [0, 1) of the key (a, b) (see the module comment). */
export function keyedUniform(a: number, b: number, draw: number): number {
  let x = fmix32(absorb(a, draw));
  let y = fmix32(absorb(b, draw ^ 0x9e3779b9));
  x ^= fmix32(y);
  y = fmix32((y + x) | 0);
  return ((x >>> 5) * 67108864 + (y >>> 6)) / 9007199254740992;
}

/** Anything that maps dense indices to stable ids (an IdIndex). */
export interface IdSource {
  readonly size: number;
  idOf(i: number): string | number;
}

/** Both lanes of the hash of every id's text, in dense order. */
export function idHashes(ids: IdSource): { a: Int32Array; b: Int32Array } {
  const a = new Int32Array(ids.size);
  const b = new Int32Array(ids.size);
  for (let i = 0; i < ids.size; i++) {
    const text = String(ids.idOf(i));
    a[i] = hashString(text, LANE_1);
    b[i] = hashString(text, LANE_2);
  }
  return { a, b };
}
