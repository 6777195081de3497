/**
 * Dense integer ids for input ids. Ids that are canonical integers are keyed as numbers, anything else
 * by its UTF-8 bytes; both kinds share one dense index space 0..size-1 in order of first appearance.
 * Lookups from CSV or Parquet bytes hash the bytes in place and match them inside the hash slot (or
 * against a byte pool past 20 bytes), so no string is created per record; the open-addressing tables
 * live in typed arrays. Small non-negative integer
 * ids (the usual dense ids of large data sets) go to a direct-address table instead of the hash.
 */
import { bytesToString, canonicalIntegerBytes, canonicalIntegerString } from './parse-bytes.js';

const EMPTY = -1;
/** ints per hash slot, and key bytes held in a slot (see IdIndex.slots) */
const SLOT = 8;
const INLINE_BYTES = 20;
/** ids looked up together by internBytesMany */
const ID_BLOCK = 512;

/**
 * Hash of a text key from its packed first INLINE_BYTES bytes (words[at .. at + 4], little-endian,
 * zero-padded), its length and a hash of any bytes beyond: a multilinear sum with odd constants, whose
 * five products do not wait on each other (a multiply chain would), then murmur3's finaliser so that
 * every input bit reaches the low bits used as the slot.
 */
function hashPacked(words: Int32Array, at: number, len: number, tail: number): number {
  let h = (Math.imul(words[at], 0x9e3779b1) + Math.imul(words[at + 1], 0x85ebca77) + Math.imul(words[at + 2], 0xc2b2ae3d) + Math.imul(words[at + 3], 0x27d4eb2f) + Math.imul(words[at + 4], 0x165667b1) + Math.imul(len ^ tail, 0xd3a2646d)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** FNV-1a over bytes[from, e): the part of a key beyond its first INLINE_BYTES bytes (0 when none) */
function tailHash(bytes: Uint8Array, from: number, e: number): number {
  let h = 0;
  if (from < e) {
    h = 0x811c9dc5;
    for (let i = from; i < e; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  }
  return h;
}

/**
 * Pack the text key bytes[s, e) into words[at .. at + 4] (its first INLINE_BYTES bytes, little-endian,
 * zero-padded) and return its hash (hashPacked).
 */
function hashAndPack(bytes: Uint8Array, s: number, e: number, words: Int32Array, at: number): number {
  let i = s;
  for (let w = 0; w < 5; w++) {
    let word = 0;
    const wordEnd = Math.min(e, i + 4);
    for (let shift = 0; i < wordEnd; i++, shift += 8) word |= bytes[i] << shift;
    words[at + w] = word;
  }
  return hashPacked(words, at, e - s, tailHash(bytes, s + INLINE_BYTES, e));
}

/** masks keeping the first 0..3 bytes of a little-endian word */
const PARTIAL_WORD = new Int32Array([0, 0xff, 0xffff, 0xffffff]);

/**
 * hashAndPack for a key whose first INLINE_BYTES bytes from s lie inside the buffer (s + 20 <=
 * bytes.length): the words are read whole through `view` (a DataView of the same bytes) and masked
 * past the key's end. Same hash and words as hashAndPack.
 */
function hashAndPackWhole(bytes: Uint8Array, view: DataView, s: number, e: number, words: Int32Array, at: number): number {
  const len = e - s;
  for (let w = 0; w < 5; w++) {
    const left = len - 4 * w;
    words[at + w] = left >= 4 ? view.getInt32(s + 4 * w, true) : left > 0 ? view.getInt32(s + 4 * w, true) & PARTIAL_WORD[left] : 0;
  }
  return hashPacked(words, at, len, tailHash(bytes, s + INLINE_BYTES, e));
}

/** True when bytes[s, e) may spell a canonical integer (it starts with a digit or a minus sign). */
function mayBeInteger(bytes: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  const c = bytes[s];
  return (c - 48) >>> 0 < 10 || c === 45;
}
/** integer ids below this may live in the direct-address table (64 MiB at most) */
const MAX_DIRECT = 1 << 24;
const encoder = new TextEncoder();

function hashInteger(v: number): number {
  const lo = v >>> 0;
  const hi = Math.floor(v / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** slot tables at least this large are placed on a cache-line boundary (see newSlotTable) */
const ALIGN_FROM_BYTES = 1 << 20;
const WASM_PAGE = 65536;
/** the WebAssembly global, typed for the one use made of it (the project's TypeScript libs omit it) */
const wasmMemory = (globalThis as unknown as { WebAssembly: { Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer } } }).WebAssembly.Memory;

/**
 * An empty slot table of n ints. A large one lives in a WebAssembly.Memory, whose buffer starts on a
 * page boundary, so every pair of 32-byte slots is exactly one 64-byte cache line. (An ArrayBuffer of
 * this size comes from malloc, 16 bytes past a page boundary under glibc: half the slots would then
 * straddle two lines, and a random lookup would wait on two misses instead of one.) Tables beyond 1 GiB
 * stay in an ArrayBuffer (a wasm32 memory tops out at 4 GiB).
 */
function newSlotTable(n: number): Int32Array<ArrayBuffer> {
  const bytes = 4 * n;
  if (bytes >= ALIGN_FROM_BYTES && bytes <= 1 << 30) {
    const memory = new wasmMemory({ initial: Math.ceil(bytes / WASM_PAGE) });
    return new Int32Array(memory.buffer, 0, n).fill(EMPTY);
  }
  return new Int32Array(n).fill(EMPTY);
}

export class IdIndex {
  /** per entry: the integer key (NaN for string keys) */
  private intKey = new Float64Array(1024);
  /** per entry: start and length of the string key in the byte pool (-1 for integer keys) */
  private strStart = new Int32Array(1024);
  private strLen = new Int32Array(1024);
  private entryHash = new Int32Array(1024);
  private pool = new Uint8Array(1 << 16);
  private poolUsed = 0;
  /**
   * Open addressing, SLOT = 8 ints (32 bytes, half a cache line) a slot:
   *   [entry, hash, key length (-1 for an integer key), the key's first 20 bytes packed in 5 ints].
   * A text id of up to 20 bytes (most ids: "person-123456", place keys) is matched in the slot alone,
   * one cache miss on a large table; a longer one also compares its remaining bytes in the pool.
   */
  private slots = new Int32Array(SLOT * 2048).fill(EMPTY);
  private mask = 2047;
  private count = 0;
  /** entries held in the hash table (the rest are in the direct table) */
  private hashed = 0;
  private scratch = new Uint8Array(256);
  /** while entry idx has the integer key consecutiveBase + idx for every idx: that base; else NaN */
  private consecutiveBase = NaN;
  /** direct[v] = dense index of integer id v (or -1), for 0 <= v < direct.length */
  private direct = new Int32Array(0);

  /** Number of distinct ids. */
  get size(): number {
    return this.count;
  }

  /** Dense index of the integer id `v`, inserting it when `insert`; -1 if absent and not inserted. */
  internInteger(v: number, insert: boolean): number {
    if (v >= 0 && v < this.direct.length) {
      const d = this.direct[v];
      if (d >= 0) return d;
    }
    const h = hashInteger(v);
    let slot = h & this.mask;
    for (;;) {
      const e = this.slots[SLOT * slot];
      if (e === EMPTY) break;
      if (this.slots[SLOT * slot + 1] === h && this.slots[SLOT * slot + 2] < 0 && this.intKey[e] === v) return e;
      slot = (slot + 1) & this.mask;
    }
    if (!insert) return -1;
    if (v >= 0 && v < MAX_DIRECT && (v < this.direct.length || this.growDirect(v))) {
      const idx = this.addEntry(-1, h, v, -1, 0);
      this.direct[v] = idx;
      return idx;
    }
    return this.addEntry(slot, h, v, -1, 0);
  }

  /**
   * Dense indices of the integer ids values[from .. from + n) into out[at ..]: the same results as n calls
   * of internInteger, in a loop that reads the direct table inline and calls out only on a miss.
   */
  internIntegersMany(values: Int32Array, from: number, n: number, insert: boolean, out: Int32Array, at: number): void {
    let direct = this.direct;
    // ids that are consecutive integers in order of appearance (a persons table sorted by id) map by
    // subtraction, without reading a table
    let base = this.consecutiveBase;
    let count = this.count;
    for (let i = 0; i < n; i++) {
      const v = values[from + i];
      let d = v - base;
      if (!(d >= 0 && d < count)) {
        d = v >= 0 && v < direct.length ? direct[v] : -1;
        if (d < 0) {
          d = this.internInteger(v, insert);
          direct = this.direct;
          base = this.consecutiveBase;
          count = this.count;
        }
      }
      out[at + i] = d;
    }
  }

  /** Grow the direct table to hold v when ids look dense (v within a few times the count). */
  private growDirect(v: number): boolean {
    if (v > 4 * this.count + 65536) return false;
    let size = Math.max(1024, this.direct.length * 2);
    while (size <= v) size *= 2;
    const next = new Int32Array(Math.min(size, MAX_DIRECT)).fill(-1);
    next.set(this.direct);
    this.direct = next;
    return true;
  }

  /** Dense index of the id spelled by bytes[s, e). */
  internBytes(bytes: Uint8Array, s: number, e: number, insert: boolean): number {
    const asInt = canonicalIntegerBytes(bytes, s, e);
    if (!Number.isNaN(asInt)) return this.internInteger(asInt, insert);
    const words = this.keyWords;
    const h = hashAndPack(bytes, s, e, words, 0);
    const found = this.findText(bytes, s, e, h, words, 0);
    return found >= 0 || !insert ? found : this.insertText(bytes, s, e, h, words, 0);
  }

  /** scratch: the packed first bytes of one key */
  private readonly keyWords = new Int32Array(5);

  /**
   * Entry of the text key bytes[s, e) (hash h, packed words[at .. at + 4]), or -1. The slot holds the
   * length and first 20 bytes; only a longer key reads the pool.
   */
  private findText(bytes: Uint8Array, s: number, e: number, h: number, words: Int32Array, at: number): number {
    const slots = this.slots;
    const mask = this.mask;
    const len = e - s;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const base = SLOT * slot;
      const idx = slots[base];
      if (idx === EMPTY) return -1;
      if (
        slots[base + 1] === h &&
        slots[base + 2] === len &&
        slots[base + 3] === words[at] &&
        slots[base + 4] === words[at + 1] &&
        slots[base + 5] === words[at + 2] &&
        slots[base + 6] === words[at + 3] &&
        slots[base + 7] === words[at + 4] &&
        (len <= INLINE_BYTES || this.sameTail(idx, bytes, s, e))
      ) {
        return idx;
      }
    }
  }

  /** True when entry idx's key bytes after the first INLINE_BYTES equal bytes[s + INLINE_BYTES, e). */
  private sameTail(idx: number, bytes: Uint8Array, s: number, e: number): boolean {
    const p = this.strStart[idx] - s;
    for (let c = s + INLINE_BYTES; c < e; c++) if (this.pool[p + c] !== bytes[c]) return false;
    return true;
  }

  /** Add the text key bytes[s, e) (absent; hash h, packed words[at ..]) and return its entry. */
  private insertText(bytes: Uint8Array, s: number, e: number, h: number, words: Int32Array, at: number): number {
    const len = e - s;
    if (this.poolUsed + len > this.pool.length) {
      const grown = new Uint8Array(Math.max(this.pool.length * 2, this.poolUsed + len));
      grown.set(this.pool.subarray(0, this.poolUsed));
      this.pool = grown;
    }
    this.pool.set(bytes.subarray(s, e), this.poolUsed);
    const start = this.poolUsed;
    this.poolUsed += len;
    let slot = h & this.mask;
    while (this.slots[SLOT * slot] !== EMPTY) slot = (slot + 1) & this.mask;
    for (let w = 0; w < 5; w++) this.slots[SLOT * slot + 3 + w] = words[at + w];
    return this.addEntry(slot, h, NaN, start, len);
  }

  /**
   * Dense indices of n ids whose bytes are bytes[starts[k*stride + col], ends[k*stride + col + endShift])
   * (CSV fields: endShift 0; Arrow offsets: starts = ends = valueOffsets, stride 1, endShift 1), into
   * out[at + k]; empty ids give -1. Same results as n calls of internBytes, faster on large tables: the
   * keys are hashed a block at a time and their slots and key bytes touched in tight loops whose loads
   * overlap, before each key is resolved.
   */
  internBytesMany(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, stride: number, col: number, endShift: number, n: number, insert: boolean, out: Int32Array, at: number): void {
    const hashes = this.blockHashes;
    const ints = this.blockInts;
    const words = this.blockWords;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const wholeUntil = bytes.length - INLINE_BYTES;
    let touched = 0;
    for (let b0 = 0; b0 < n; b0 += ID_BLOCK) {
      const b1 = Math.min(n, b0 + ID_BLOCK);
      // A: integer ids parsed; other ids hashed and their first bytes packed
      let integers = 0;
      for (let k = b0; k < b1; k++) {
        const j = k * stride + col;
        const s = starts[j];
        const e = ends[j + endShift];
        const v = mayBeInteger(bytes, s, e) ? canonicalIntegerBytes(bytes, s, e) : NaN;
        ints[k - b0] = v;
        if (v === v) integers++;
        else hashes[k - b0] = s <= wholeUntil ? hashAndPackWhole(bytes, view, s, e, words, 5 * (k - b0)) : hashAndPack(bytes, s, e, words, 5 * (k - b0));
      }
      // B: touch the direct-table entry or the hash slot of each id (independent loads overlap). A probe
      // may go on to the next slot, on the next cache line when the slot is the second of its line, so
      // the slot and the end of the next slot are both touched (one line for a first slot; see newSlotTable).
      let slots = this.slots;
      let mask = this.mask;
      const lastWord = slots.length - 1;
      const direct = this.direct;
      for (let k = 0; k < b1 - b0; k++) {
        const v = ints[k];
        if (integers === 0 || v !== v) {
          const q = SLOT * (hashes[k] & mask);
          touched ^= slots[q + 1] ^ slots[(q + 2 * SLOT - 1) & lastWord];
        } else if (v >= 0 && v < direct.length) touched ^= direct[v];
      }
      // C: resolve, now that the slots are cached; absent keys are inserted when asked
      let known = this.direct;
      for (let k = b0; k < b1; k++) {
        const j = k * stride + col;
        const s = starts[j];
        const e = ends[j + endShift];
        if (e <= s) {
          out[at + k] = -1;
          continue;
        }
        const v = ints[k - b0];
        if (integers > 0 && v === v) {
          const d = v >= 0 && v < known.length ? known[v] : -1;
          if (d >= 0) out[at + k] = d;
          else {
            out[at + k] = this.internInteger(v, insert);
            known = this.direct;
          }
          continue;
        }
        const h = hashes[k - b0];
        const w = 5 * (k - b0);
        const len = e - s;
        let found = -1;
        if (len <= INLINE_BYTES) {
          // findText's probe, inline (this loop is the hot path): the slot alone decides
          for (let slot = h & mask; ; slot = (slot + 1) & mask) {
            const base = SLOT * slot;
            const idx = slots[base];
            if (idx === EMPTY) break;
            if (slots[base + 1] === h && slots[base + 2] === len && slots[base + 3] === words[w] && slots[base + 4] === words[w + 1] && slots[base + 5] === words[w + 2] && slots[base + 6] === words[w + 3] && slots[base + 7] === words[w + 4]) {
              found = idx;
              break;
            }
          }
        } else {
          found = this.findText(bytes, s, e, h, words, w);
        }
        if (found < 0 && insert) {
          found = this.insertText(bytes, s, e, h, words, w);
          // an insert may have rehashed
          slots = this.slots;
          mask = this.mask;
        }
        out[at + k] = found;
      }
    }
    this.sink ^= touched;
  }

  private readonly blockHashes = new Int32Array(ID_BLOCK);
  private readonly blockInts = new Float64Array(ID_BLOCK);
  private readonly blockWords = new Int32Array(5 * ID_BLOCK);
  /** keeps the touching loads observable so the compiler cannot drop them */
  private sink = 0;

  /** Dense index of a JS id (number or string). */
  intern(id: string | number | bigint, insert: boolean): number {
    if (typeof id === 'number') {
      if (Number.isInteger(id) && Math.abs(id) < 1e15) return this.internInteger(id, insert);
      return this.internString(String(id), insert);
    }
    if (typeof id === 'bigint') {
      const n = Number(id);
      if (Math.abs(n) < 1e15) return this.internInteger(n, insert);
      return this.internString(id.toString(), insert);
    }
    return this.internString(id, insert);
  }

  internString(text: string, insert: boolean): number {
    const asInt = canonicalIntegerString(text);
    if (!Number.isNaN(asInt)) return this.internInteger(asInt, insert);
    if (this.scratch.length < text.length * 3) this.scratch = new Uint8Array(text.length * 3);
    const { written } = encoder.encodeInto(text, this.scratch);
    return this.internBytes(this.scratch, 0, written, insert);
  }

  /** The input id of dense index i (a number for integer ids, else the string). */
  idOf(i: number): string | number {
    if (this.strStart[i] < 0) return this.intKey[i];
    return bytesToString(this.pool, this.strStart[i], this.strStart[i] + this.strLen[i]);
  }

  /** All ids as strings, in dense order (for writing). */
  idsAsStrings(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = String(this.idOf(i));
    return out;
  }

  /** True when every id is an integer (writers then emit an integer column). */
  allIntegers(): boolean {
    for (let i = 0; i < this.count; i++) if (this.strStart[i] >= 0) return false;
    return true;
  }

  private addEntry(slot: number, h: number, intKey: number, start: number, len: number): number {
    const idx = this.count++;
    this.consecutiveBase = idx === 0 ? intKey : intKey === this.consecutiveBase + idx ? this.consecutiveBase : NaN;
    if (idx >= this.intKey.length) this.growEntries();
    this.intKey[idx] = intKey;
    this.strStart[idx] = start;
    this.strLen[idx] = len;
    this.entryHash[idx] = h;
    if (slot >= 0) {
      // the key words of a text key are already in the slot (insertText); an integer key has none
      this.slots[SLOT * slot] = idx;
      this.slots[SLOT * slot + 1] = h;
      this.slots[SLOT * slot + 2] = start < 0 ? -1 : len;
      this.hashed++;
      if (this.hashed * 2 > this.mask) this.rehash();
    }
    return idx;
  }

  private growEntries(): void {
    const n = this.intKey.length * 2;
    const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.intKey = grow(this.intKey, (k) => new Float64Array(k));
    this.strStart = grow(this.strStart, (k) => new Int32Array(k));
    this.strLen = grow(this.strLen, (k) => new Int32Array(k));
    this.entryHash = grow(this.entryHash, (k) => new Int32Array(k));
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const slots = newSlotTable(SLOT * size);
    this.mask = size - 1;
    for (let idx = 0; idx < this.count; idx++) {
      const text = this.strStart[idx] >= 0;
      if (!text && this.intKey[idx] >= 0 && this.intKey[idx] < this.direct.length && this.direct[this.intKey[idx]] === idx) continue;
      const h = this.entryHash[idx];
      let slot = h & this.mask;
      while (slots[SLOT * slot] !== EMPTY) slot = (slot + 1) & this.mask;
      const base = SLOT * slot;
      slots[base] = idx;
      slots[base + 1] = h;
      if (text) {
        const start = this.strStart[idx];
        const len = this.strLen[idx];
        slots[base + 2] = len;
        hashAndPack(this.pool, start, start + len, slots, base + 3);
      } else {
        slots[base + 2] = -1;
        slots.fill(0, base + 3, base + SLOT);
      }
    }
    this.slots = slots;
  }
}
