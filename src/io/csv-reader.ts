/**
 * Streaming CSV (RFC 4180: quoted fields, "" escapes, newlines inside quotes, CRLF, optional BOM;
 * gzip detected by its magic bytes). The file is read in chunks and tokenized in place into field
 * offsets: a batch is the chunk's bytes plus Int32Array starts/ends per (row, column). No string or
 * object is created per record; decoders (column-decode.ts) read numbers and ids straight from bytes.
 */
import { createReadStream, openSync, readSync, closeSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';
import { bytesToString } from './parse-bytes.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

export interface CsvBatchData {
  bytes: Uint8Array;
  /** field (row r, column c) spans bytes[starts[r * stride + c], ends[r * stride + c]) */
  starts: Int32Array;
  ends: Int32Array;
  stride: number;
  rows: number;
  /** number of fields each row actually had (rows whose count differs from stride are malformed) */
  fieldCounts: Int32Array;
  /** 1-based data row number of the first row */
  firstRow: number;
}

export function isGzipFile(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const n = readSync(fd, b, 0, 2, 0);
    return n === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's bytes, chunk by chunk, appended to what the tokenizer left over: `extend(pending)` returns
 * pending followed by about chunkBytes more bytes, or null at the end of the file. The bytes a batch
 * was made of stay valid until the batch after next is read.
 */
interface ByteChunks {
  extend(pending: Uint8Array): Promise<Uint8Array | null>;
  /** bytes of the file (compressed, for gzip) read so far */
  fileBytesRead(): number;
  close(): void;
}

/**
 * A plain file is read synchronously into two buffers used in turn (no fresh memory per chunk, no
 * wait on the I/O thread pool); a gzip file is streamed through zlib.
 */
function openByteChunks(path: string, chunkBytes: number): ByteChunks {
  if (isGzipFile(path)) return gzipChunks(path, chunkBytes);
  const fd = openSync(path, 'r');
  const buffers = [new Uint8Array(0), new Uint8Array(0)];
  let turn = 0;
  let position = 0;
  let open = true;
  return {
    async extend(pending) {
      turn ^= 1;
      if (buffers[turn].length < pending.length + chunkBytes) buffers[turn] = new Uint8Array(Math.max(2 * chunkBytes, pending.length + chunkBytes));
      const target = buffers[turn];
      target.set(pending, 0);
      const got = readSync(fd, target, pending.length, chunkBytes, position);
      position += got;
      return got === 0 ? null : target.subarray(0, pending.length + got);
    },
    fileBytesRead: () => position,
    close() {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

function gzipChunks(path: string, chunkBytes: number): ByteChunks {
  const raw = createReadStream(path, { highWaterMark: chunkBytes });
  const gunzip = createGunzip({ chunkSize: Math.max(64, Math.min(chunkBytes, 1 << 20)) });
  raw.on('error', (e) => gunzip.destroy(e));
  const iterator = raw.pipe(gunzip)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    async extend(pending) {
      let r: IteratorResult<Buffer>;
      try {
        r = await iterator.next();
      } catch (e) {
        throw gzipError(path, e);
      }
      if (r.done) return null;
      const merged = new Uint8Array(pending.length + r.value.length);
      merged.set(pending, 0);
      merged.set(r.value, pending.length);
      return merged;
    },
    fileBytesRead: () => raw.bytesRead,
    close: () => gunzip.destroy(),
  };
}

/**
 * A zlib error as an InputError naming the file: a gzip stream that ends before its trailer is a
 * truncated file (an interrupted download or copy); anything else is corrupt data. System errors on
 * reading the file are left as they are.
 */
function gzipError(path: string, e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string' || !code.startsWith('Z_')) return e;
  const what = code === 'Z_BUF_ERROR' ? 'the gzip data ends early: the file is truncated (an interrupted download or copy?)' : `the gzip data is corrupt (${(e as Error).message})`;
  return new InputError(`${path}: ${what}`, path);
}

class FieldBuffers {
  starts = new Int32Array(1 << 16);
  ends = new Int32Array(1 << 16);
  counts = new Int32Array(1 << 12);
  ensure(rows: number, stride: number): void {
    const need = (rows + 1) * stride;
    if (need > this.starts.length) {
      const n = Math.max(need, this.starts.length * 2);
      const s = new Int32Array(n);
      s.set(this.starts);
      const e = new Int32Array(n);
      e.set(this.ends);
      this.starts = s;
      this.ends = e;
    }
    if (rows + 1 > this.counts.length) {
      const c = new Int32Array(Math.max(rows + 1, this.counts.length * 2));
      c.set(this.counts);
      this.counts = c;
    }
  }
}

interface TokenizeResult {
  rows: number;
  /** bytes of an incomplete last record to carry into the next chunk (unmodified), or null */
  carry: Uint8Array | null;
}

/**
 * Tokenize complete records of buf[from, buf.length). With `final`, the last record may lack a newline.
 * Quoted fields with "" escapes are unescaped in place; if the record then turns out to be incomplete,
 * an unmodified copy of it is carried instead.
 */
function tokenize(buf: Uint8Array, from: number, final: boolean, stride: number, delimiter: number, out: FieldBuffers, file: string, rowBase: number): TokenizeResult {
  const n = buf.length;
  let pos = from;
  let rows = 0;
  // Unquoted fields are scanned a word at a time where the buffer allows: a word is skipped whole when
  // none of its bytes is below lowest = max(delimiter, LF) + 1, tested for all 4 bytes at once with
  // (w - lowest * 0x01010101) & ~w & 0x80808080, which is non-zero whenever some byte is below lowest
  // (exact for lowest <= 128; "determine if a word has a byte less than n", Bit Twiddling Hacks).
  const lowest = Math.max(delimiter, LF) + 1;
  const words = buf.byteOffset % 4 === 0 && lowest <= 128 ? new Int32Array(buf.buffer, buf.byteOffset, n >>> 2) : null;
  const wordCount = n >>> 2;
  const lowWord = Math.imul(lowest, 0x01010101);
  // the field buffers, re-read only when ensure() grows them
  let starts = out.starts;
  let ends = out.ends;
  let counts = out.counts;
  while (pos < n) {
    const recordStart = pos;
    let pristine: Uint8Array | null = null;
    // skip blank lines
    if (buf[pos] === LF) {
      pos++;
      continue;
    }
    if (buf[pos] === CR && pos + 1 < n && buf[pos + 1] === LF) {
      pos += 2;
      continue;
    }
    if ((rows + 1) * stride > starts.length || rows + 1 > counts.length) {
      out.ensure(rows, stride);
      starts = out.starts;
      ends = out.ends;
      counts = out.counts;
    }
    const base = rows * stride;
    let field = 0;
    let incomplete = false;
    for (;;) {
      let fs: number;
      let fe: number;
      if (pos < n && buf[pos] === QUOTE) {
        pos++;
        fs = pos;
        let w = pos;
        let closed = false;
        while (pos < n) {
          const c = buf[pos];
          if (c === QUOTE) {
            if (pos + 1 < n && buf[pos + 1] === QUOTE) {
              if (pristine === null) pristine = buf.slice(recordStart);
              buf[w++] = QUOTE;
              pos += 2;
              continue;
            }
            if (pos + 1 >= n && !final) break; // cannot tell "" from a closing quote yet
            closed = true;
            pos++;
            break;
          }
          if (w !== pos) buf[w] = c;
          w++;
          pos++;
        }
        if (!closed) {
          if (!final) {
            incomplete = true;
            break;
          }
          throw new InputError(`${file}: unterminated quoted field at row ${rowBase + rows}`, file, [rowBase + rows]);
        }
        fe = w;
        // tolerate stray bytes between the closing quote and the delimiter (e.g. a CR)
        while (pos < n && buf[pos] !== delimiter && buf[pos] !== LF) pos++;
        if (pos >= n && !final) {
          incomplete = true;
          break;
        }
      } else {
        fs = pos;
        if (words !== null) {
          // to a 4-byte boundary, then whole words while none of their bytes can be a delimiter or LF
          while (pos < n && (pos & 3) !== 0) {
            const c = buf[pos];
            if (c === delimiter || c === LF) break;
            pos++;
          }
          if ((pos & 3) === 0) {
            let w = pos >>> 2;
            while (w < wordCount && ((words[w] - lowWord) & ~words[w] & 0x80808080) === 0) w++;
            pos = w << 2;
          }
        }
        while (pos < n) {
          const c = buf[pos];
          if (c === delimiter || c === LF) break;
          pos++;
        }
        if (pos >= n && !final) {
          incomplete = true;
          break;
        }
        fe = pos;
        if (fe > fs && buf[fe - 1] === CR) fe--;
      }
      if (field < stride) {
        starts[base + field] = fs;
        ends[base + field] = fe;
      }
      field++;
      if (pos < n && buf[pos] === delimiter) {
        pos++;
        if (pos >= n && !final) {
          incomplete = true;
          break;
        }
        continue;
      }
      if (pos < n) pos++; // the LF
      break;
    }
    if (incomplete) return { rows, carry: pristine ?? buf.subarray(recordStart) };
    for (let f = field; f < stride; f++) {
      starts[base + f] = 0;
      ends[base + f] = 0;
    }
    counts[rows] = field;
    rows++;
  }
  return { rows, carry: null };
}

export interface CsvOpenOptions {
  /** approximate bytes per chunk (and so per batch); default 8 MiB */
  chunkBytes?: number;
  delimiter?: string;
}

export interface CsvFile {
  readonly names: string[];
  batches(): AsyncGenerator<CsvBatchData>;
  /** bytes of the file (compressed, for gzip) read so far */
  fileBytesRead(): number;
}

/** Open a CSV file: reads the header now, streams batches of records on demand. */
export async function openCsv(file: string, options: CsvOpenOptions = {}): Promise<CsvFile> {
  const chunkBytes = options.chunkBytes ?? 8 << 20;
  const delimiter = (options.delimiter ?? ',').charCodeAt(0);
  const chunks = openByteChunks(file, chunkBytes);
  const fileBytesRead = () => chunks.fileBytesRead();
  const fields = new FieldBuffers();

  let pending: Uint8Array = new Uint8Array(0);
  let ended = false;
  async function pull(): Promise<boolean> {
    const next = await chunks.extend(pending);
    if (next === null) {
      ended = true;
      return false;
    }
    pending = next;
    return true;
  }

  // header: read until the first complete record
  let names: string[] | null = null;
  for (;;) {
    const more = await pull();
    let from = 0;
    if (pending.length >= 3 && pending[0] === 0xef && pending[1] === 0xbb && pending[2] === 0xbf) from = 3;
    const headerFields = new FieldBuffers();
    const stride = 1 << 12;
    const res = tokenizeHeader(pending, from, !more, stride, delimiter, headerFields, file);
    if (res !== null) {
      names = res.names;
      pending = pending.subarray(res.end);
      break;
    }
    if (!more) break;
  }
  if (names === null || names.length === 0) {
    chunks.close();
    throw new InputError(`${file}: empty file (no header row)`, file);
  }
  const headerNames = names;
  const stride = headerNames.length;

  async function* batches(): AsyncGenerator<CsvBatchData> {
    let firstRow = 1;
    try {
      while (!ended || pending.length > 0) {
        if (!ended && pending.length < chunkBytes / 2) {
          await pull();
          if (!ended) continue;
        }
        const buf = pending;
        const res = tokenize(buf, 0, ended, stride, delimiter, fields, file, firstRow);
        pending = res.carry === null ? new Uint8Array(0) : res.carry;
        if (res.rows > 0) {
          yield {
            bytes: buf,
            starts: fields.starts,
            ends: fields.ends,
            stride,
            rows: res.rows,
            fieldCounts: fields.counts,
            firstRow,
          };
          firstRow += res.rows;
        } else if (ended) {
          break;
        } else if (res.carry !== null) {
          // a single record larger than the chunk: read more before trying again
          await pull();
        }
      }
    } finally {
      chunks.close();
    }
  }
  return { names: headerNames, batches, fileBytesRead };
}

function tokenizeHeader(buf: Uint8Array, from: number, final: boolean, stride: number, delimiter: number, out: FieldBuffers, file: string): { names: string[]; end: number } | null {
  // find the end of the first record by tokenizing a copy (the header is small)
  const copy = buf.slice(from);
  let endOfRecord = -1;
  let inQuotes = false;
  for (let i = 0; i < copy.length; i++) {
    const c = copy[i];
    if (c === QUOTE) inQuotes = !inQuotes;
    else if (c === LF && !inQuotes) {
      endOfRecord = i + 1;
      break;
    }
  }
  if (endOfRecord < 0 && !final) return null;
  const record = endOfRecord < 0 ? copy : copy.subarray(0, endOfRecord);
  const res = tokenize(record, 0, true, stride, delimiter, out, file, 0);
  if (res.rows === 0) return null;
  const count = Math.min(out.counts[0], stride);
  const names: string[] = [];
  for (let c = 0; c < count; c++) names.push(bytesToString(record, out.starts[c], out.ends[c]).trim());
  return { names, end: from + (endOfRecord < 0 ? copy.length : endOfRecord) };
}
