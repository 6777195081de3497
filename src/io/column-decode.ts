/**
 * Column decoders: numbers, times, ids and strings from any batch column (CSV bytes, Arrow vectors,
 * Parquet values) into caller-owned typed arrays. Missing cells decode to NaN (numbers, times) or -1
 * (ids); callers decide whether that is an error.
 */
import { Type, type Data, type Vector } from 'apache-arrow';
import type { BatchColumn } from './table-source.js';
import type { DictionaryRows } from './parquet/column-chunk.js';
import type { IdIndex } from './id-index.js';
import { bytesToString, parseNumberBytes, parsePlainDigitsView, parseTimeBytes, parseTimeString } from './parse-bytes.js';

/** True when cell i is empty / null. */
export function isMissingCell(col: BatchColumn, i: number): boolean {
  switch (col.kind) {
    case 'bytes': {
      const k = i * col.data.stride + col.index;
      return col.data.ends[k] <= col.data.starts[k];
    }
    case 'arrow':
      return !col.vector.isValid(i);
    case 'values': {
      const v = col.values[i];
      return v === null || v === undefined || v === '' || (v instanceof Uint8Array && v.length === 0);
    }
  }
}

/** a dictionary entry not yet mapped to a dense index (decodeIds) */
const UNMAPPED = -2;
/** a dictionary entry whose first row is being looked up (internDictionaryRows) */
const PENDING = -3;

function isValidAt(data: Data, i: number): boolean {
  if (data.nullCount === 0 || !data.nullBitmap || data.nullBitmap.length === 0) return true;
  const j = data.offset + i;
  return (data.nullBitmap[j >> 3] & (1 << (j & 7))) !== 0;
}

/** The validity bitmap of a chunk, or null when it has no nulls (read once per chunk, not per row). */
function nullsOf(data: Data): Uint8Array | null {
  return data.nullCount > 0 && data.nullBitmap && data.nullBitmap.length > 0 ? data.nullBitmap : null;
}

/**
 * The values of an Arrow column that has one chunk, no nulls, Arrow type `typeId` and values stored as
 * `kind` (Int32Array for 32-bit integers, Float64Array for doubles): a view of the batch's own buffer,
 * no copy. Otherwise null (the caller decodes into an array of its own).
 */
export function plainArrowValues<T extends Int32Array | Float64Array>(col: BatchColumn, typeId: Type.Int | Type.Float, kind: { new (n: number): T }): T | null {
  if (col.kind !== 'arrow' || col.vector.data.length !== 1) return null;
  const data = col.vector.data[0];
  if (data.type.typeId !== typeId || nullsOf(data) !== null || !(data.values instanceof kind)) return null;
  return (data.values as T).subarray(data.offset, data.offset + data.length) as T;
}

/** Copy a numeric chunk into out (nulls -> NaN), one tight loop per array kind. */
function copyNumericChunk(values: ArrayLike<number>, start: number, length: number, nulls: Uint8Array | null, out: Float64Array, at: number): void {
  if (nulls === null && (values instanceof Float64Array || values instanceof Float32Array || values instanceof Int32Array)) {
    // a typed source converts inside TypedArray.prototype.set (no per-element call through ArrayLike)
    out.set(values.subarray(start, start + length), at);
    return;
  }
  if (nulls === null) {
    for (let i = 0; i < length; i++) out[at + i] = values[start + i];
    return;
  }
  for (let i = 0; i < length; i++) {
    const j = start + i;
    out[at + i] = (nulls[j >> 3] & (1 << (j & 7))) !== 0 ? values[j] : NaN;
  }
}

function copyBigIntChunk(values: BigInt64Array | BigUint64Array, start: number, length: number, nulls: Uint8Array | null, divisor: number, out: Float64Array, at: number): void {
  for (let i = 0; i < length; i++) {
    const j = start + i;
    out[at + i] = nulls === null || (nulls[j >> 3] & (1 << (j & 7))) !== 0 ? Number(values[j]) / divisor : NaN;
  }
}

/** Visit every Data chunk of a vector with the row offset where it starts. */
function forEachChunk(vector: Vector, fn: (data: Data, rowOffset: number) => void): void {
  let offset = 0;
  for (const data of vector.data) {
    fn(data, offset);
    offset += data.length;
  }
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return v.trim() === '' ? NaN : Number(v);
  if (v instanceof Date) return v.getTime() / 1000;
  if (v instanceof Uint8Array) return parseNumberBytes(v, 0, v.length);
  return NaN;
}

/** Decode numbers of rows [0, n) into out[offset...]; missing or unparseable cells give NaN. */
export function decodeNumbers(col: BatchColumn, n: number, out: Float64Array, offset: number): void {
  if (col.kind === 'bytes') {
    const { bytes, starts, ends, stride } = col.data;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0, k = col.index; i < n; i++, k += stride) {
      const v = parsePlainDigitsView(bytes, view, starts[k], ends[k]);
      out[offset + i] = v === v ? v : parseNumberBytes(bytes, starts[k], ends[k]);
    }
    return;
  }
  if (col.kind === 'values') {
    const v = col.values;
    for (let i = 0; i < n; i++) out[offset + i] = toNumber(v[i]);
    return;
  }
  forEachChunk(col.vector, (data, row) => {
    const t = data.type.typeId;
    if ((t === Type.Int || t === Type.Float) && (data.type as { precision?: number }).precision !== 0) {
      const values = data.values as unknown;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) copyBigIntChunk(values, data.offset, data.length, nullsOf(data), 1, out, offset + row);
      else copyNumericChunk(values as ArrayLike<number>, data.offset, data.length, nullsOf(data), out, offset + row);
      return;
    }
    for (let i = 0; i < data.length; i++) out[offset + row + i] = toNumber(col.vector.get(row + i));
  });
}

const ARROW_TIME_DIVISOR: Record<number, number> = { 0: 1, 1: 1e3, 2: 1e6, 3: 1e9 }; // TimeUnit SECOND..NANOSECOND

/** Decode times as epoch seconds (numbers, ISO-8601 text, Arrow timestamps/dates); NaN when unparseable. */
export function decodeTimes(col: BatchColumn, n: number, out: Float64Array, offset: number): void {
  if (col.kind === 'bytes') {
    const { bytes, starts, ends, stride } = col.data;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0, k = col.index; i < n; i++, k += stride) {
      // plain digits inline; anything else (ISO-8601, decimals, blanks) through the full parser
      const v = parsePlainDigitsView(bytes, view, starts[k], ends[k]);
      out[offset + i] = v === v ? v : parseTimeBytes(bytes, starts[k], ends[k]);
    }
    return;
  }
  if (col.kind === 'values') {
    const v = col.values;
    for (let i = 0; i < n; i++) {
      const x = v[i];
      out[offset + i] = typeof x === 'string' ? parseTimeString(x) : x instanceof Uint8Array ? parseTimeBytes(x, 0, x.length) : toNumber(x);
    }
    return;
  }
  forEachChunk(col.vector, (data, row) => {
    const t = data.type.typeId;
    if (t === Type.Timestamp) {
      const divisor = ARROW_TIME_DIVISOR[(data.type as unknown as { unit: number }).unit] ?? 1;
      copyBigIntChunk(data.values as unknown as BigInt64Array, data.offset, data.length, nullsOf(data), divisor, out, offset + row);
      return;
    }
    if (t === Type.Date) {
      for (let i = 0; i < data.length; i++) {
        const v = col.vector.get(row + i) as Date | number | null;
        out[offset + row + i] = v === null ? NaN : typeof v === 'number' ? v / 1000 : v.getTime() / 1000;
      }
      return;
    }
    if (t === Type.Utf8 || t === Type.LargeUtf8 || t === Type.Dictionary) {
      for (let i = 0; i < data.length; i++) {
        const v = col.vector.get(row + i) as string | null;
        out[offset + row + i] = v === null ? NaN : parseTimeString(v);
      }
      return;
    }
    if (t === Type.Int || t === Type.Float) {
      const values = data.values as unknown;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) copyBigIntChunk(values, data.offset, data.length, nullsOf(data), 1, out, offset + row);
      else copyNumericChunk(values as ArrayLike<number>, data.offset, data.length, nullsOf(data), out, offset + row);
      return;
    }
    for (let i = 0; i < data.length; i++) out[offset + row + i] = toNumber(col.vector.get(row + i));
  });
}

/**
 * Map ids of rows [0, n) to dense indices via `index` (inserting new ids when `insert`); missing cells
 * and, without insert, unknown ids give -1.
 */
export function decodeIds(col: BatchColumn, n: number, index: IdIndex, insert: boolean, out: Int32Array, offset: number): void {
  if (col.kind === 'bytes') {
    const { bytes, starts, ends, stride, dictionary } = col.data;
    if (dictionary !== undefined && stride === 1 && col.index === 0) internDictionaryRows(bytes, starts, ends, dictionary, n, index, insert, out, offset);
    else index.internBytesMany(bytes, starts, ends, stride, col.index, 0, n, insert, out, offset);
    return;
  }
  if (col.kind === 'values') {
    const v = col.values;
    if (allTextOrNull(v, n)) {
      internTextBlocks(v as ArrayLike<string | Uint8Array | null>, n, index, insert, out, offset);
      return;
    }
    for (let i = 0; i < n; i++) {
      const x = v[i];
      if (x instanceof Uint8Array) out[offset + i] = x.length === 0 ? -1 : index.internBytes(x, 0, x.length, insert);
      else out[offset + i] = x === null || x === undefined || x === '' ? -1 : index.intern(x as string | number | bigint, insert);
    }
    return;
  }
  forEachChunk(col.vector, (data, row) => {
    const t = data.type.typeId;
    if (t === Type.Int) {
      const values = data.values as unknown;
      const nulls = nullsOf(data);
      const at = offset + row;
      if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
        internBigIntegers(values, data.offset, data.length, nulls, index, insert, out, at);
      } else {
        const ints = values as Int32Array;
        if (nulls === null && ints instanceof Int32Array) {
          index.internIntegersMany(ints, data.offset, data.length, insert, out, at);
          return;
        }
        for (let i = 0; i < data.length; i++) {
          const j = data.offset + i;
          out[at + i] = nulls === null || (nulls[j >> 3] & (1 << (j & 7))) !== 0 ? index.internInteger(ints[j], insert) : -1;
        }
      }
      return;
    }
    const text = t === Type.Utf8 || t === Type.Binary || t === Type.LargeUtf8 || t === Type.LargeBinary;
    if (text && data.valueOffsets && (data.values as unknown as Uint8Array).length < 2 ** 31) {
      const bytes = data.values as unknown as Uint8Array;
      // large_string (pandas with pyarrow strings, Polars) has 64-bit offsets; under 2^31 (a values
      // buffer under 2 GiB) they are their low words, every other int32 of the same buffer
      const valueOffsets = data.valueOffsets as unknown as Int32Array | BigInt64Array;
      const step = valueOffsets instanceof BigInt64Array ? 2 : 1;
      const offs = step === 2 ? new Int32Array(valueOffsets.buffer, valueOffsets.byteOffset, 2 * valueOffsets.length) : (valueOffsets as Int32Array);
      const nulls = nullsOf(data);
      if (nulls === null) {
        index.internBytesMany(bytes, offs, offs, step, step * data.offset, step, data.length, insert, out, offset + row);
        return;
      }
      // with nulls, one by one: a null slot's bytes must never be looked up (or inserted) as an id
      for (let i = 0; i < data.length; i++) {
        const j = data.offset + i;
        out[offset + row + i] = (nulls[j >> 3] & (1 << (j & 7))) !== 0 ? index.internBytes(bytes, offs[step * j], offs[step * (j + 1)], insert) : -1;
      }
      return;
    }
    if (t === Type.Dictionary && data.dictionary) {
      // each dictionary entry is mapped once, when a row first uses it: ids then enter the index in
      // order of first appearance, as from plain text, and an entry no row uses is never inserted
      const dict = data.dictionary;
      const mapped = new Int32Array(dict.length).fill(UNMAPPED);
      const keys = data.values as unknown as ArrayLike<number>;
      for (let i = 0; i < data.length; i++) {
        if (!isValidAt(data, i)) {
          out[offset + row + i] = -1;
          continue;
        }
        const d = Number(keys[data.offset + i]);
        if (!(d >= 0 && d < mapped.length)) {
          // an index outside the dictionary (a damaged file): no id, so the row is reported
          out[offset + row + i] = -1;
          continue;
        }
        if (mapped[d] === UNMAPPED) {
          const v = dict.get(d);
          mapped[d] = v === null ? -1 : index.intern(v as string | number, insert);
        }
        out[offset + row + i] = mapped[d];
      }
      return;
    }
    for (let i = 0; i < data.length; i++) {
      const v = col.vector.get(row + i);
      out[offset + row + i] = v === null || v === undefined ? -1 : index.intern(v as string | number | bigint, insert);
    }
  });
}

/** 64-bit ids looked at together by internBigIntegers */
const BIGINT_BLOCK = 4096;
const bigintLowWords = new Int32Array(BIGINT_BLOCK);

/**
 * decodeIds for 64-bit integer ids (pandas and pyarrow write integer ids as int64), rows
 * [from, from + n) of values into out[at ..]. A block whose ids all lie within int32 (the usual case)
 * goes through internIntegersMany from the ids' low words (little-endian: word 2j is the low half of
 * value j, word 2j + 1 its high half, which must then equal the sign of the low one). Any other block is
 * mapped id by id through IdIndex.intern, which keys ids up to 1e15 as numbers and larger ones by their
 * decimal text, as a CSV spells them: as doubles, ids past 2^53 would round together.
 */
function internBigIntegers(values: BigInt64Array | BigUint64Array, from: number, n: number, nulls: Uint8Array | null, index: IdIndex, insert: boolean, out: Int32Array, at: number): void {
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
  const unsigned = values instanceof BigUint64Array;
  for (let b0 = 0; b0 < n; b0 += BIGINT_BLOCK) {
    const b1 = Math.min(n, b0 + BIGINT_BLOCK);
    let small = nulls === null;
    for (let i = b0; small && i < b1; i++) {
      const j = from + i;
      const lo = words[2 * j];
      if (words[2 * j + 1] !== lo >> 31 || (unsigned && lo < 0)) small = false;
      else bigintLowWords[i - b0] = lo;
    }
    if (small) {
      index.internIntegersMany(bigintLowWords, 0, b1 - b0, insert, out, at + b0);
      continue;
    }
    for (let i = b0; i < b1; i++) {
      const j = from + i;
      out[at + i] = nulls === null || (nulls[j >> 3] & (1 << (j & 7))) !== 0 ? index.intern(values[j], insert) : -1;
    }
  }
}

/** per dictionary (one Parquet column chunk) and id index: the dense index of each entry, or UNMAPPED */
const dictionaryMemos = new WeakMap<object, WeakMap<IdIndex, Int32Array>>();

/**
 * decodeIds for text rows from dictionary-encoded Parquet pages: each dictionary entry is looked up
 * once, at the first row that uses it, and every later row of the column chunk reads the entry's dense
 * index from a memo instead of hashing its bytes again. The first rows of the batch's new entries (and
 * any PLAIN rows: a writer's fallback after a full dictionary) are looked up together, in row order,
 * by internBytesMany, so ids enter the index in order of first appearance as from PLAIN pages. A lookup
 * that finds no id is not remembered (the index may gain it later).
 */
function internDictionaryRows(bytes: Uint8Array, starts: Int32Array, ends: Int32Array, dictionary: DictionaryRows, n: number, index: IdIndex, insert: boolean, out: Int32Array, offset: number): void {
  let byIndex = dictionaryMemos.get(dictionary.entries);
  if (byIndex === undefined) {
    byIndex = new WeakMap();
    dictionaryMemos.set(dictionary.entries, byIndex);
  }
  let memo = byIndex.get(index);
  if (memo === undefined) {
    memo = new Int32Array(dictionary.entries.starts.length).fill(UNMAPPED);
    byIndex.set(index, memo);
  }
  const entryOfRow = dictionary.entryOfRow;
  // 1: the rows to look up: the first row of each entry not yet mapped (marked PENDING), and PLAIN rows
  const lookup = new Int32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const d = entryOfRow[i];
    if (d < 0 || memo[d] === UNMAPPED) {
      if (d >= 0) memo[d] = PENDING;
      lookup[m++] = i;
    }
  }
  // 2: look them up together
  const found = new Int32Array(m);
  if (m > 0) {
    const s = new Int32Array(m);
    const e = new Int32Array(m);
    for (let k = 0; k < m; k++) {
      s[k] = starts[lookup[k]];
      e[k] = ends[lookup[k]];
    }
    index.internBytesMany(bytes, s, e, 1, 0, 0, m, insert, found, 0);
    for (let k = 0; k < m; k++) {
      const d = entryOfRow[lookup[k]];
      if (d >= 0) memo[d] = found[k];
    }
  }
  // 3: every row from the memo (an unknown entry reads -1 here)
  for (let i = 0, k = 0; i < n; i++) {
    const d = entryOfRow[i];
    if (k < m && lookup[k] === i) out[offset + i] = found[k++];
    else out[offset + i] = memo[d];
  }
  // an unknown entry is looked up again in a later batch
  for (let k = 0; k < m; k++) {
    const d = entryOfRow[lookup[k]];
    if (d >= 0 && found[k] < 0) memo[d] = UNMAPPED;
  }
}

function allTextOrNull(v: ArrayLike<unknown>, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'string' && !(x instanceof Uint8Array) && x !== null && x !== undefined) return false;
  }
  return true;
}

const utf8Encoder = new TextEncoder();
const STRING_BLOCK = 1 << 14;
let blockBytes = new Uint8Array(1 << 20);
const blockStarts = new Int32Array(STRING_BLOCK);
const blockEnds = new Int32Array(STRING_BLOCK);

/**
 * Ids given as JS strings or byte arrays (Parquet text, Arrow dictionaries): copied (strings encoded) a
 * block at a time into one scratch buffer, then looked up together with the batched byte lookup (same
 * ids as one by one).
 */
function internTextBlocks(v: ArrayLike<string | Uint8Array | null>, n: number, index: IdIndex, insert: boolean, out: Int32Array, offset: number): void {
  for (let b0 = 0; b0 < n; b0 += STRING_BLOCK) {
    const b1 = Math.min(n, b0 + STRING_BLOCK);
    let pos = 0;
    for (let i = b0; i < b1; i++) {
      const x = v[i];
      const k = i - b0;
      blockStarts[k] = pos;
      if (x === null || x === undefined || x.length === 0) {
        blockEnds[k] = pos;
        continue;
      }
      if (pos + 3 * x.length > blockBytes.length) {
        const grown = new Uint8Array(Math.max(blockBytes.length * 2, pos + 3 * x.length));
        grown.set(blockBytes.subarray(0, pos));
        blockBytes = grown;
      }
      if (x instanceof Uint8Array) {
        blockBytes.set(x, pos);
        pos += x.length;
        blockEnds[k] = pos;
        continue;
      }
      // ASCII is copied code unit by code unit (no view object per string); anything else is encoded
      const len = x.length;
      let ascii = true;
      for (let c = 0; c < len; c++) {
        const code = x.charCodeAt(c);
        if (code > 127) {
          ascii = false;
          break;
        }
        blockBytes[pos + c] = code;
      }
      pos += ascii ? len : utf8Encoder.encodeInto(x, blockBytes.subarray(pos)).written;
      blockEnds[k] = pos;
    }
    index.internBytesMany(blockBytes, blockStarts, blockEnds, 1, 0, 0, b1 - b0, insert, out, offset + b0);
  }
}

/** Decode cells as strings (null for missing). For small tables and text columns, not hot paths. */
export function decodeStrings(col: BatchColumn, n: number): Array<string | null> {
  const out = new Array<string | null>(n);
  if (col.kind === 'bytes') {
    const { bytes, starts, ends, stride } = col.data;
    for (let i = 0, k = col.index; i < n; i++, k += stride) out[i] = ends[k] > starts[k] ? bytesToString(bytes, starts[k], ends[k]) : null;
    return out;
  }
  for (let i = 0; i < n; i++) {
    const v = col.kind === 'values' ? col.values[i] : col.vector.get(i);
    out[i] = v === null || v === undefined ? null : typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? bytesToString(v, 0, v.length) : String(v);
  }
  return out;
}
