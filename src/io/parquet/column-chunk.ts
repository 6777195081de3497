/**
 * A streaming reader for one flat Parquet column chunk: pages are read from the file one at a time,
 * decompressed and decoded straight into typed arrays, with no object per value. It covers what the
 * common writers (pyarrow, parquet-mr, Spark, DuckDB, hyparquet-writer) put in a flat table of ids,
 * times and numbers:
 *   - physical types INT32, INT64, FLOAT, DOUBLE, BYTE_ARRAY; REQUIRED or OPTIONAL (nulls);
 *   - data pages v1 and v2, dictionary pages, PLAIN and PLAIN_DICTIONARY / RLE_DICTIONARY values,
 *     RLE definition levels;
 *   - codecs UNCOMPRESSED, SNAPPY and GZIP.
 * Anything else (nested or repeated columns, BOOLEAN, INT96, FIXED_LEN_BYTE_ARRAY, DECIMAL, unsigned
 * or DATE annotations, DELTA_* or BYTE_STREAM_SPLIT encodings, other codecs) raises
 * ParquetUnsupported, and the caller reads that column with the general reader instead.
 * Format: https://parquet.apache.org/docs/file-format/
 */
import { readSync } from 'node:fs';
import { decompressPage, SUPPORTED_CODECS } from './codecs.js';
import { readThriftStruct, ThriftTruncated, type ThriftStruct } from './thrift-compact.js';
import { decodeRleHybrid } from './rle-hybrid.js';

/** A column (or page) this reader does not decode; the general reader takes over. */
export class ParquetUnsupported extends Error {}

/** A malformed page or chunk. */
export class ParquetCorrupt extends Error {}

/** The parts of hyparquet's schema element and column metadata this reader needs. */
export interface ChunkDescription {
  type: string;
  repetition_type?: string;
  converted_type?: string;
  logical_type?: { type: string; unit?: string; isSigned?: boolean };
  num_children?: number;
  codec: string;
  data_page_offset: bigint | number;
  dictionary_page_offset?: bigint | number;
  total_compressed_size: bigint | number;
  num_values: bigint | number;
}

export type TimeUnit = 'MILLIS' | 'MICROS' | 'NANOS';

/** How the values of a chunk come out. */
export type ValueKind =
  | { kind: 'bytes' }
  | { kind: 'int32' }
  | { kind: 'int64'; timeUnit: TimeUnit | null }
  | { kind: 'float32' }
  | { kind: 'float64' };

/** n rows of a byte-array column: row i is bytes[starts[i], ends[i]); a null is an empty range. */
export interface ByteSlice {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  /** present when some rows come from dictionary-encoded pages (see DictionaryRows) */
  dictionary?: DictionaryRows;
}

/**
 * Which dictionary entry each row of a slice is: `entries` is the same object for every slice read
 * from one column chunk (one dictionary page), so a reader can map each entry once, and
 * entryOfRow[i] is row i's entry, or -1 for a PLAIN value or a null.
 */
export interface DictionaryRows {
  entries: ByteSlice;
  entryOfRow: Int32Array;
}

export type NumberArray = Int32Array | BigInt64Array | Float32Array | Float64Array;

/** n rows of a numeric column; valid (a bitmap, LSB first, Arrow's layout) is null when no row is null. */
export interface NumberSlice {
  values: NumberArray;
  valid: Uint8Array | null;
}

const PAGE_DATA = 0;
const PAGE_INDEX = 1;
const PAGE_DICTIONARY = 2;
const PAGE_DATA_V2 = 3;
const ENC_PLAIN = 0;
const ENC_PLAIN_DICTIONARY = 2;
const ENC_RLE = 3;
const ENC_RLE_DICTIONARY = 8;

/** The value kind of a schema element, or a ParquetUnsupported error saying why there is none. */
export function valueKindOf(e: ChunkDescription): ValueKind {
  if ((e.num_children ?? 0) > 0 || e.repetition_type === 'REPEATED') throw new ParquetUnsupported('nested or repeated column');
  const logical = e.logical_type?.type;
  const converted = e.converted_type;
  switch (e.type) {
    case 'BYTE_ARRAY':
      if (converted !== undefined && converted !== 'UTF8' && converted !== 'ENUM' && converted !== 'JSON') throw new ParquetUnsupported(`BYTE_ARRAY as ${converted}`);
      if (logical !== undefined && logical !== 'STRING' && logical !== 'ENUM' && logical !== 'JSON') throw new ParquetUnsupported(`BYTE_ARRAY as ${logical}`);
      return { kind: 'bytes' };
    case 'INT32':
      if (converted !== undefined && converted !== 'INT_8' && converted !== 'INT_16' && converted !== 'INT_32') throw new ParquetUnsupported(`INT32 as ${converted}`);
      if (logical !== undefined && !(logical === 'INTEGER' && e.logical_type?.isSigned !== false)) throw new ParquetUnsupported(`INT32 as ${logical}`);
      return { kind: 'int32' };
    case 'INT64': {
      if (logical === 'TIMESTAMP') return { kind: 'int64', timeUnit: timeUnitOf(e.logical_type?.unit) };
      if (converted === 'TIMESTAMP_MILLIS') return { kind: 'int64', timeUnit: 'MILLIS' };
      if (converted === 'TIMESTAMP_MICROS') return { kind: 'int64', timeUnit: 'MICROS' };
      if (converted !== undefined && converted !== 'INT_64') throw new ParquetUnsupported(`INT64 as ${converted}`);
      if (logical !== undefined && !(logical === 'INTEGER' && e.logical_type?.isSigned !== false)) throw new ParquetUnsupported(`INT64 as ${logical}`);
      return { kind: 'int64', timeUnit: null };
    }
    case 'FLOAT':
      return { kind: 'float32' };
    case 'DOUBLE':
      return { kind: 'float64' };
    default:
      throw new ParquetUnsupported(`physical type ${e.type}`);
  }
}

function timeUnitOf(unit: string | undefined): TimeUnit {
  if (unit === 'MILLIS' || unit === 'MICROS' || unit === 'NANOS') return unit;
  throw new ParquetUnsupported(`timestamp unit ${String(unit)}`);
}

/** bytes per PLAIN value of a fixed-width kind */
function widthOf(kind: ValueKind): number {
  return kind.kind === 'int32' || kind.kind === 'float32' ? 4 : 8;
}

function newNumbers(kind: ValueKind, n: number): NumberArray {
  switch (kind.kind) {
    case 'int32':
      return new Int32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'float32':
      return new Float32Array(n);
    default:
      return new Float64Array(n);
  }
}

/** Bytes of a file read at given positions (synchronous; the reader holds one page at a time). */
export interface PositionalFile {
  readonly fd: number;
}

/** bytes [position, position + length) of the file, into `into` when it is long enough, else a new array */
function readAt(file: PositionalFile, position: number, length: number, into?: Uint8Array): Uint8Array {
  const out = into !== undefined && into.length >= length ? into.subarray(0, length) : new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(file.fd, out, got, length - got, position + got);
    if (n === 0) throw new ParquetCorrupt(`file ends at byte ${position + got}, inside a page`);
    got += n;
  }
  return out;
}

/** A page's values once decoded: where they are and how many rows they cover. */
interface PageState {
  rows: number;
  /** rows of this page already handed out */
  row: number;
  /** definition level per row (0 = null), or null when every row has a value */
  levels: Int32Array | null;
  /** PLAIN values: the uncompressed page and the position of the next value */
  plain: Uint8Array | null;
  plainPos: number;
  /** dictionary indices of the page's non-null values, and the next one */
  indices: Int32Array | null;
  index: number;
}

export class ColumnChunkReader {
  private readonly kind: ValueKind;
  private readonly maxDefinition: number;
  private readonly codec: string;
  private position: number;
  private readonly end: number;
  private readonly totalRows: number;
  private rowsDone = 0;
  private page: PageState | null = null;
  /** the dictionary page's values: raw PLAIN bytes with per-entry ranges (bytes), or numbers */
  private dictBytes: ByteSlice | null = null;
  private dictNumbers: NumberArray | null = null;
  /** where compressed page bodies are read (reused page after page) */
  private bodyBuffer = new Uint8Array(0);

  constructor(
    private readonly file: PositionalFile,
    description: ChunkDescription,
  ) {
    this.kind = valueKindOf(description);
    this.maxDefinition = description.repetition_type === 'OPTIONAL' ? 1 : 0;
    this.codec = description.codec;
    if (!SUPPORTED_CODECS.includes(this.codec)) throw new ParquetUnsupported(`codec ${this.codec}`);
    const data = Number(description.data_page_offset);
    const dict = description.dictionary_page_offset === undefined ? 0 : Number(description.dictionary_page_offset);
    // a dictionary page, when there is one, comes first; some writers record offset 0 for "none"
    this.position = dict > 0 && dict < data ? dict : data;
    this.end = this.position + Number(description.total_compressed_size);
    this.totalRows = Number(description.num_values);
  }

  get kindOfValues(): ValueKind {
    return this.kind;
  }

  /** Rows handed out so far. */
  get rowsRead(): number {
    return this.rowsDone;
  }

  /** Skip n rows (decoding the pages they are on). */
  skip(n: number): void {
    if (this.kind.kind === 'bytes') this.readBytes(n);
    else this.readNumbers(n);
  }

  /** The next n rows of a byte-array column, their bytes copied into one buffer. */
  readBytes(n: number): ByteSlice {
    if (this.kind.kind !== 'bytes') throw new Error('readBytes on a numeric column');
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const parts: Uint8Array[] = [];
    let partBytes = 0;
    /** the dictionary's base in the output buffer, once copied there */
    let dictBase = -1;
    let entryOfRow: Int32Array | null = null;
    let filled = 0;
    while (filled < n) {
      const page = this.currentPage();
      const take = Math.min(n - filled, page.rows - page.row);
      const levels = page.levels;
      if (page.plain !== null) {
        // each value is a 4-byte length and its bytes; the span they cover is copied to the output once,
        // at partBytes, so page position p is output position p + shift
        const body = page.plain;
        const from = page.plainPos;
        const shift = partBytes - from;
        let p = from;
        for (let i = 0; i < take; i++) {
          if (levels !== null && levels[page.row + i] === 0) {
            starts[filled + i] = ends[filled + i] = 0;
            continue;
          }
          if (p + 4 > body.length) throw new ParquetCorrupt('a BYTE_ARRAY value runs past its page');
          const len = int32At(body, p);
          if (len < 0 || p + 4 + len > body.length) throw new ParquetCorrupt('a BYTE_ARRAY value runs past its page');
          starts[filled + i] = p + 4 + shift;
          ends[filled + i] = p + 4 + len + shift;
          p += 4 + len;
        }
        parts.push(body.subarray(from, p));
        partBytes += p - from;
        page.plainPos = p;
      } else {
        const dict = this.dictBytes;
        const indices = page.indices;
        if (dict === null || indices === null) throw new ParquetCorrupt('a dictionary-encoded page without a dictionary page');
        if (dictBase < 0) {
          dictBase = partBytes;
          parts.push(dict.bytes);
          partBytes += dict.bytes.length;
          entryOfRow = new Int32Array(n).fill(-1);
        }
        const ds = dict.starts;
        const de = dict.ends;
        const size = ds.length;
        for (let i = 0; i < take; i++) {
          if (levels !== null && levels[page.row + i] === 0) {
            starts[filled + i] = ends[filled + i] = 0;
            continue;
          }
          const d = indices[page.index++];
          if (!(d >= 0 && d < size)) throw new ParquetCorrupt(`dictionary index ${d} outside a dictionary of ${size}`);
          starts[filled + i] = ds[d] + dictBase;
          ends[filled + i] = de[d] + dictBase;
          entryOfRow![filled + i] = d;
        }
      }
      page.row += take;
      filled += take;
      this.rowsDone += take;
    }
    const bytes = parts.length === 1 ? parts[0] : concatBytes(parts, partBytes);
    return entryOfRow === null ? { bytes, starts, ends } : { bytes, starts, ends, dictionary: { entries: this.dictBytes!, entryOfRow } };
  }

  /** The next n rows of a numeric column. */
  readNumbers(n: number): NumberSlice {
    if (this.kind.kind === 'bytes') throw new Error('readNumbers on a byte-array column');
    const values = newNumbers(this.kind, n);
    const width = widthOf(this.kind);
    const outBytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    let valid: Uint8Array | null = null;
    let filled = 0;
    while (filled < n) {
      const page = this.currentPage();
      const take = Math.min(n - filled, page.rows - page.row);
      const levels = page.levels;
      if (levels !== null && valid === null) {
        for (let i = 0; i < take; i++) {
          if (levels[page.row + i] === 0) {
            valid = new Uint8Array((n + 7) >>> 3).fill(0xff);
            break;
          }
        }
      }
      if (page.plain !== null) {
        const body = page.plain;
        if (levels === null) {
          // no nulls: the page's bytes are the values (little-endian, as typed arrays are here)
          const bytes = take * width;
          if (page.plainPos + bytes > body.length) throw new ParquetCorrupt('PLAIN values run past their page');
          outBytes.set(body.subarray(page.plainPos, page.plainPos + bytes), filled * width);
          page.plainPos += bytes;
        } else {
          let p = page.plainPos;
          for (let i = 0; i < take; i++) {
            const at = filled + i;
            if (levels[page.row + i] === 0) {
              valid![at >>> 3] &= ~(1 << (at & 7));
              continue;
            }
            if (p + width > body.length) throw new ParquetCorrupt('PLAIN values run past their page');
            outBytes.set(body.subarray(p, p + width), at * width);
            p += width;
          }
          page.plainPos = p;
        }
      } else {
        const dict = this.dictNumbers;
        const indices = page.indices;
        if (dict === null || indices === null) throw new ParquetCorrupt('a dictionary-encoded page without a dictionary page');
        const size = dict.length;
        for (let i = 0; i < take; i++) {
          const at = filled + i;
          if (levels !== null && levels[page.row + i] === 0) {
            valid![at >>> 3] &= ~(1 << (at & 7));
            continue;
          }
          const d = indices[page.index++];
          if (!(d >= 0 && d < size)) throw new ParquetCorrupt(`dictionary index ${d} outside a dictionary of ${size}`);
          values[at] = dict[d];
        }
      }
      page.row += take;
      filled += take;
      this.rowsDone += take;
    }
    return { values, valid };
  }

  /** The page holding the next row, reading pages (and the dictionary) as needed. */
  private currentPage(): PageState {
    while (this.page === null || this.page.row >= this.page.rows) {
      if (this.rowsDone >= this.totalRows) throw new ParquetCorrupt(`the chunk holds ${this.totalRows} rows; more were asked for`);
      if (this.position >= this.end) throw new ParquetCorrupt(`the chunk's pages end after ${this.rowsDone} of ${this.totalRows} rows`);
      this.page = this.readPage();
    }
    return this.page;
  }

  /** Read the next page; a dictionary or index page is consumed and null returned. */
  private readPage(): PageState | null {
    const { header, headerEnd } = this.readHeader();
    const type = header[1] as number;
    const uncompressedSize = header[2] as number;
    const compressedSize = header[3] as number;
    if (!(compressedSize >= 0) || headerEnd + compressedSize > this.end) throw new ParquetCorrupt('a page runs past its column chunk');
    // a compressed body is only read to be decompressed, so one buffer serves every page; an uncompressed
    // one is the page's data while the page is in use, so it gets its own
    let body: Uint8Array;
    if (this.codec === 'UNCOMPRESSED') body = readAt(this.file, headerEnd, compressedSize);
    else {
      if (this.bodyBuffer.length < compressedSize) this.bodyBuffer = new Uint8Array(Math.max(compressedSize, 2 * this.bodyBuffer.length));
      body = readAt(this.file, headerEnd, compressedSize, this.bodyBuffer);
    }
    this.position = headerEnd + compressedSize;
    if (type === PAGE_INDEX) return null;
    if (type === PAGE_DICTIONARY) {
      const h = header[7] as ThriftStruct | undefined;
      if (h === undefined) throw new ParquetCorrupt('a dictionary page without its header');
      const encoding = h[2] as number;
      if (encoding !== ENC_PLAIN && encoding !== ENC_PLAIN_DICTIONARY) throw new ParquetUnsupported(`dictionary encoding ${encoding}`);
      this.readDictionary(decompressPage(this.codec, body, uncompressedSize), h[1] as number);
      return null;
    }
    if (type === PAGE_DATA) return this.dataPageV1(header[5] as ThriftStruct, decompressPage(this.codec, body, uncompressedSize));
    if (type === PAGE_DATA_V2) return this.dataPageV2(header[8] as ThriftStruct, body, uncompressedSize);
    throw new ParquetUnsupported(`page type ${type}`);
  }

  /** Parse the page header at this.position, reading more of the file when it is long. */
  private readHeader(): { header: ThriftStruct; headerEnd: number } {
    for (let want = 256; ; want *= 4) {
      const length = Math.min(want, this.end - this.position);
      const bytes = readAt(this.file, this.position, length);
      try {
        const { value, end } = readThriftStruct(bytes, 0);
        return { header: value, headerEnd: this.position + end };
      } catch (e) {
        if (!(e instanceof ThriftTruncated)) throw new ParquetCorrupt(`unreadable page header (${(e as Error).message})`);
        if (length === this.end - this.position) throw new ParquetCorrupt('a page header runs past its column chunk');
      }
    }
  }

  private readDictionary(body: Uint8Array, count: number): void {
    if (this.kind.kind === 'bytes') {
      const starts = new Int32Array(count);
      const ends = new Int32Array(count);
      let p = 0;
      for (let i = 0; i < count; i++) {
        if (p + 4 > body.length) throw new ParquetCorrupt('the dictionary page ends inside a value');
        const len = int32At(body, p);
        if (len < 0 || p + 4 + len > body.length) throw new ParquetCorrupt('the dictionary page ends inside a value');
        starts[i] = p + 4;
        ends[i] = p + 4 + len;
        p += 4 + len;
      }
      this.dictBytes = { bytes: body, starts, ends };
      return;
    }
    const width = widthOf(this.kind);
    if (count * width > body.length) throw new ParquetCorrupt('the dictionary page ends inside a value');
    const values = newNumbers(this.kind, count);
    new Uint8Array(values.buffer).set(body.subarray(0, count * width));
    this.dictNumbers = values;
  }

  private dataPageV1(h: ThriftStruct | undefined, page: Uint8Array): PageState {
    if (h === undefined) throw new ParquetCorrupt('a data page without its header');
    const rows = h[1] as number;
    const encoding = h[2] as number;
    let pos = 0;
    let levels: Int32Array | null = null;
    let nonNull = rows;
    if (this.maxDefinition > 0) {
      if ((h[3] as number) !== ENC_RLE) throw new ParquetUnsupported(`definition level encoding ${String(h[3])}`);
      if (pos + 4 > page.length) throw new ParquetCorrupt('a data page ends inside its definition levels');
      const length = int32At(page, pos);
      pos += 4;
      if (length < 0 || pos + length > page.length) throw new ParquetCorrupt('a data page ends inside its definition levels');
      ({ levels, nonNull } = this.definitionLevels(page, pos, pos + length, rows));
      pos += length;
    }
    return this.pageValues(page.subarray(pos), encoding, rows, nonNull, levels);
  }

  private dataPageV2(h: ThriftStruct | undefined, body: Uint8Array, uncompressedSize: number): PageState {
    if (h === undefined) throw new ParquetCorrupt('a data page v2 without its header');
    const rows = h[3] as number;
    const encoding = h[4] as number;
    const defLength = (h[5] as number) ?? 0;
    const repLength = (h[6] as number) ?? 0;
    const compressed = h[7] === undefined ? true : (h[7] as boolean);
    if (repLength !== 0) throw new ParquetUnsupported('repetition levels');
    if (defLength < 0 || defLength > body.length) throw new ParquetCorrupt('a data page v2 ends inside its definition levels');
    let levels: Int32Array | null = null;
    let nonNull = rows;
    if (this.maxDefinition > 0 && defLength > 0) ({ levels, nonNull } = this.definitionLevels(body, 0, defLength, rows));
    const valuesCompressed = body.subarray(defLength);
    // values stored uncompressed in a compressed chunk lie in the reused body buffer: copied out
    const values = compressed ? decompressPage(this.codec, valuesCompressed, uncompressedSize - defLength) : this.codec === 'UNCOMPRESSED' ? valuesCompressed : valuesCompressed.slice();
    return this.pageValues(values, encoding, rows, nonNull, levels);
  }

  /** Definition levels of a page (max level 1); null when every row has a value. */
  private definitionLevels(bytes: Uint8Array, from: number, to: number, rows: number): { levels: Int32Array | null; nonNull: number } {
    const levels = new Int32Array(rows);
    decodeRleHybrid(bytes, from, to, 1, levels, rows);
    let nonNull = 0;
    for (let i = 0; i < rows; i++) nonNull += levels[i];
    return { levels: nonNull === rows ? null : levels, nonNull };
  }

  private pageValues(values: Uint8Array, encoding: number, rows: number, nonNull: number, levels: Int32Array | null): PageState {
    const state: PageState = { rows, row: 0, levels, plain: null, plainPos: 0, indices: null, index: 0 };
    if (encoding === ENC_PLAIN) {
      state.plain = values;
      return state;
    }
    if (encoding === ENC_PLAIN_DICTIONARY || encoding === ENC_RLE_DICTIONARY) {
      const indices = new Int32Array(nonNull);
      if (nonNull > 0) {
        if (values.length < 1) throw new ParquetCorrupt('a dictionary-encoded page without its bit width');
        const width = values[0];
        if (width > 32) throw new ParquetCorrupt(`dictionary index bit width ${width}`);
        decodeRleHybrid(values, 1, values.length, width, indices, nonNull);
      }
      state.indices = indices;
      return state;
    }
    throw new ParquetUnsupported(`value encoding ${encoding}`);
  }
}

/** The little-endian int32 at bytes[p .. p + 3] (BYTE_ARRAY lengths, v1 level lengths). */
function int32At(bytes: Uint8Array, p: number): number {
  return bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
}

function concatBytes(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
