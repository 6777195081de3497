/**
 * One streaming interface over CSV (.csv, .csv.gz), Arrow IPC (file or stream) and Parquet: a table
 * source yields batches of rows whose columns are read by the decoders in column-decode.ts. Logical
 * column names can be remapped to the file's names (`--col ses=rent_zestimate`).
 */
import { createReadStream, openSync, readSync, closeSync, fstatSync, statSync } from 'node:fs';
import { RecordBatchReader, makeData, makeVector, Float32, Float64, Int32, Int64, TimestampMicrosecond, TimestampMillisecond, TimestampNanosecond, type DataType, type RecordBatch, type Vector } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema, type FileMetaData } from 'hyparquet';
import { hyparquetCompressors, SUPPORTED_CODECS } from './parquet/codecs.js';
import { openCsv, isGzipFile, type CsvBatchData } from './csv-reader.js';
import { InputError, RowProblems, UsageError } from './errors.js';
import { ColumnChunkReader, ParquetCorrupt, ParquetUnsupported, valueKindOf, type ChunkDescription, type DictionaryRows, type NumberSlice, type ValueKind } from './parquet/column-chunk.js';

export type TableFormat = 'csv' | 'arrow' | 'parquet';

/**
 * Cells given as byte ranges: cell (row r, column c) is bytes[starts[r * stride + c], ends[r * stride + c]),
 * an empty range being a missing cell (CSV fields; Parquet byte arrays, stride 1).
 */
export interface ByteFields {
  readonly bytes: Uint8Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly stride: number;
  /** Parquet text from dictionary-encoded pages: each row's dictionary entry (decodeIds maps each entry once) */
  readonly dictionary?: DictionaryRows;
}

/** A column of one batch: byte fields (CSV, Parquet text), an Arrow vector, or plain values (Parquet's general reader). */
export type BatchColumn =
  | { readonly kind: 'bytes'; readonly data: ByteFields; readonly index: number }
  | { readonly kind: 'arrow'; readonly vector: Vector }
  | { readonly kind: 'values'; readonly values: ArrayLike<unknown> };

export interface Batch {
  readonly length: number;
  /** 1-based data row number (header excluded) of row i of the batch */
  rowNumber(i: number): number;
  /** the column with this logical name (after remapping); throws if the table lacks it */
  column(name: string): BatchColumn;
  has(name: string): boolean;
}

export interface TableSource {
  readonly file: string;
  readonly format: TableFormat;
  /** logical column names available (remapped names replace the file's) */
  readonly names: string[];
  has(name: string): boolean;
  batches(): AsyncGenerator<Batch>;
  /** share of the input consumed so far by batches(), in [0, 1] (for progress bars) */
  progress(): number;
}

export interface OpenTableOptions {
  format?: TableFormat;
  /** logical name -> file column name */
  remap?: Record<string, string>;
  /** CSV chunk size in bytes (tests use a small one to exercise batch boundaries) */
  chunkBytes?: number;
  /** Parquet rows per batch (at most one row group is decoded at a time) */
  batchRows?: number;
  /**
   * Where a CSV row with the wrong number of fields is reported (the loader's, so it is dropped and
   * counted with --drop-invalid); without it such a row is an InputError naming the rows.
   */
  problems?: RowProblems;
  /** CSV field delimiter, one character (default ",") */
  delimiter?: string;
  /** where suspicious-but-valid input is reported (e.g. a header that looks delimited by another character) */
  onWarning?: (message: string) => void;
}

/** Detect a table's format from its name and magic bytes. */
export function detectFormat(file: string): TableFormat {
  let head: Buffer;
  try {
    const fd = openSync(file, 'r');
    head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    closeSync(fd);
  } catch (e) {
    throw new InputError(`${file}: cannot read (${(e as Error).message})`, file);
  }
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet';
  if (head.subarray(0, 6).toString('latin1') === 'ARROW1') return 'arrow';
  // Arrow IPC stream: continuation marker 0xFFFFFFFF then a metadata length
  if (head.readUInt32LE(0) === 0xffffffff) return 'arrow';
  if (/\.(arrow|arrows|feather|ipc)$/i.test(file)) return 'arrow';
  if (/\.parquet$/i.test(file)) return 'parquet';
  return 'csv';
}

function makeResolver(file: string, fileNames: string[], remap: Record<string, string>) {
  const logicalToFile = new Map<string, string>();
  for (const n of fileNames) logicalToFile.set(n, n);
  for (const [logical, actual] of Object.entries(remap)) {
    if (!fileNames.includes(actual)) {
      throw new InputError(`${file}: --col ${logical}=${actual}: no column "${actual}" (columns: ${fileNames.join(', ')})`, file, [], actual);
    }
    logicalToFile.set(logical, actual);
  }
  const names = [...logicalToFile.keys()];
  // a header may repeat a name (a careless join); that is only an error when the column is asked for,
  // since the reader could not tell which of them is meant
  const positions = new Map<string, number[]>();
  fileNames.forEach((n, k) => positions.set(n, [...(positions.get(n) ?? []), k + 1]));
  return {
    names,
    fileName(logical: string): string | undefined {
      const actual = logicalToFile.get(logical);
      const at = actual === undefined ? undefined : positions.get(actual);
      if (at !== undefined && at.length > 1) {
        throw new InputError(`${file}: column "${actual}" appears ${at.length} times in the header (columns ${at.join(', ')}); rename all but one`, file, [], actual);
      }
      return actual;
    },
  };
}

/** Open any supported table for streaming. */
export async function openTable(file: string, options: OpenTableOptions = {}): Promise<TableSource> {
  try {
    statSync(file);
  } catch {
    throw new InputError(`${file}: no such file`, file);
  }
  const format = options.format ?? detectFormat(file);
  const remap = options.remap ?? {};
  if (format === 'csv') return openCsvSource(file, remap, options);
  if (format === 'arrow') return openArrowSource(file, remap);
  if (format === 'parquet') return openParquetSource(file, remap, options);
  throw new UsageError(`unknown format ${String(format)}`);
}

function missingColumn(file: string, name: string, names: string[]): InputError {
  return new InputError(`${file}: missing column "${name}" (columns present: ${names.join(', ')})`, file, [], name, 'missing column');
}

async function openCsvSource(file: string, remap: Record<string, string>, options: OpenTableOptions): Promise<TableSource> {
  const delimiter = options.delimiter ?? ',';
  const csv = await openCsv(file, { chunkBytes: options.chunkBytes, delimiter });
  const other = otherDelimiter(csv.names, delimiter);
  if (other !== null) {
    options.onWarning?.(`${file}: the header is one column, "${csv.names[0]}", that contains ${describeDelimiter(other)}: the file looks ${delimiterName(other)}-delimited (did you mean --delimiter ${other === '\t' ? 'tab' : `'${other}'`}?)`);
  }
  const resolver = makeResolver(file, csv.names, remap);
  const indexOf = (logical: string) => {
    const actual = resolver.fileName(logical);
    return actual === undefined ? -1 : csv.names.indexOf(actual);
  };
  const size = statSync(file).size;
  return {
    file,
    format: 'csv',
    names: resolver.names,
    has: (n) => indexOf(n) >= 0,
    progress: () => (size > 0 ? Math.min(1, csv.fileBytesRead() / size) : 1),
    async *batches() {
      const problems = options.problems ?? new RowProblems(file, false);
      const expected = csv.names.length;
      for await (const data of csv.batches()) {
        const first = data.firstRow;
        const kept = dropMalformedRows(data, expected, problems);
        if (data.rows === 0) continue;
        yield {
          length: data.rows,
          rowNumber: kept === null ? (i) => first + i : (i) => first + kept[i],
          has: (n) => indexOf(n) >= 0,
          column(name) {
            const index = indexOf(name);
            if (index < 0) throw missingColumn(file, name, resolver.names);
            return { kind: 'bytes', data, index };
          },
        };
      }
    },
  };
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter a one-column header seems to use instead of `delimiter` (the most frequent of , ; tab |), or null. */
function otherDelimiter(names: string[], delimiter: string): string | null {
  if (names.length !== 1) return null;
  let best: string | null = null;
  let bestCount = 0;
  for (const d of DELIMITERS) {
    if (d === delimiter) continue;
    const count = names[0].split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

function delimiterName(d: string): string {
  return d === ';' ? 'semicolon' : d === '\t' ? 'tab' : d === '|' ? 'pipe' : 'comma';
}

function describeDelimiter(d: string): string {
  return d === '\t' ? 'tabs' : `"${d}"`;
}

/**
 * Rows whose number of fields differs from the header's are reported to `problems` (which throws
 * unless rows are being dropped) and removed from the batch in place. Returns, when rows were removed,
 * each kept row's index in the original batch (for row numbers), else null.
 */
function dropMalformedRows(data: CsvBatchData, expected: number, problems: RowProblems): Int32Array | null {
  let bad = 0;
  for (let r = 0; r < data.rows; r++) if (data.fieldCounts[r] !== expected) bad++;
  if (bad === 0) return null;
  for (let r = 0; r < data.rows; r++) {
    if (data.fieldCounts[r] !== expected) problems.add(`wrong number of fields (expected ${expected}, the header's)`, undefined, data.firstRow + r);
  }
  problems.throwIfFatal();
  const kept = new Int32Array(data.rows - bad);
  let w = 0;
  for (let r = 0; r < data.rows; r++) {
    if (data.fieldCounts[r] !== expected) continue;
    if (w !== r) {
      data.starts.copyWithin(w * data.stride, r * data.stride, (r + 1) * data.stride);
      data.ends.copyWithin(w * data.stride, r * data.stride, (r + 1) * data.stride);
    }
    kept[w++] = r;
  }
  data.rows = w;
  return kept;
}

/**
 * What apache-arrow needs of a FileHandle (fd, stat, read at a position, close), with synchronous reads.
 * The reader fetches an IPC file one message at a time; awaiting each read on the I/O thread pool left
 * this thread idle between record batches (about a fifth of the time on a file of 65,536-row batches).
 */
function syncReadHandle(file: string) {
  const fd = openSync(file, 'r');
  let open = true;
  return {
    fd,
    stat: async () => fstatSync(fd),
    read: async (buffer: Uint8Array, offset: number, length: number, position: number) => ({ bytesRead: readSync(fd, buffer, offset, length, position), buffer }),
    close: async () => {
      if (open) closeSync(fd);
      open = false;
    },
  };
}

async function openArrowSource(file: string, remap: Record<string, string>): Promise<TableSource> {
  const isFileFormat = (() => {
    const fd = openSync(file, 'r');
    const b = Buffer.alloc(6);
    readSync(fd, b, 0, 6, 0);
    closeSync(fd);
    return b.toString('latin1') === 'ARROW1';
  })();
  if (isGzipFile(file)) throw new InputError(`${file}: gzip-compressed Arrow is not supported; decompress it or use CSV.gz`, file);
  const kind = isFileFormat ? 'Arrow IPC file' : 'Arrow IPC stream';
  // apache-arrow reads a stream cut at a message boundary as a shorter stream: the end-of-stream marker tells
  if (!isFileFormat && !endsWithEndOfStream(file)) {
    throw new InputError(`${file}: the ${kind} ends without its end-of-stream marker: the file is truncated (or its writer was not closed)`, file);
  }
  /** what apache-arrow throws on a truncated or corrupt file (a RangeError, a TypeError on a missing footer) */
  const unreadable = (e: unknown) => (e instanceof InputError ? e : new InputError(`${file}: not a readable ${kind}: the file is truncated or corrupt (${(e as Error).message})`, file));
  const openReader = async () => {
    // The file format is read through a random-access handle (batch by batch, never the whole file);
    // the stream format is read sequentially.
    const input = isFileFormat ? syncReadHandle(file) : createReadStream(file);
    try {
      const reader = (await (RecordBatchReader.from as (x: unknown) => unknown)(input)) as RecordBatchReader;
      await reader.open();
      return reader;
    } catch (e) {
      throw unreadable(e);
    }
  };
  const probe = await openReader();
  const fileNames = probe.schema.fields.map((f: { name: string }) => f.name);
  await probe.cancel();
  const resolver = makeResolver(file, fileNames, remap);
  const totalBatches = isFileFormat ? ((probe as unknown as { numRecordBatches?: number }).numRecordBatches ?? 0) : 0;
  let batchesDone = 0;
  let finished = false;
  return {
    file,
    format: 'arrow',
    names: resolver.names,
    has: (n) => resolver.fileName(n) !== undefined,
    progress: () => (finished ? 1 : totalBatches > 0 ? batchesDone / totalBatches : 0),
    async *batches() {
      const reader = await openReader();
      batchesDone = 0;
      finished = false;
      let first = 1;
      try {
        for await (const batch of reader as AsyncIterable<RecordBatch>) {
          batchesDone++;
          const start = first;
          first += batch.numRows;
          if (batch.numRows === 0) continue;
          yield {
            length: batch.numRows,
            rowNumber: (i) => start + i,
            has: (n) => resolver.fileName(n) !== undefined,
            column(name) {
              const actual = resolver.fileName(name);
              const vector = actual === undefined ? null : batch.getChild(actual);
              if (!vector) throw missingColumn(file, name, resolver.names);
              return { kind: 'arrow', vector };
            },
          };
        }
        finished = true;
      } catch (e) {
        // only the reader's own errors arrive here (a consumer's error ends the generator at its yield)
        throw unreadable(e);
      } finally {
        // closes the file also when the consumer stops early (an input error in a batch)
        await reader.cancel();
      }
    },
  };
}

/** Whether an Arrow IPC stream file ends with the end-of-stream marker (0xFFFFFFFF, then a zero length). */
function endsWithEndOfStream(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size < 8) return false;
    const tail = Buffer.alloc(8);
    readSync(fd, tail, 0, 8, size - 8);
    return tail.readUInt32LE(0) === 0xffffffff && tail.readUInt32LE(4) === 0;
  } finally {
    closeSync(fd);
  }
}

/** The physical data behind a Parquet column's numbers, as the Arrow type the decoders read. */
function arrowTypeOf(kind: ValueKind): DataType {
  switch (kind.kind) {
    case 'int32':
      return new Int32();
    case 'int64':
      return kind.timeUnit === 'MILLIS' ? new TimestampMillisecond() : kind.timeUnit === 'MICROS' ? new TimestampMicrosecond() : kind.timeUnit === 'NANOS' ? new TimestampNanosecond() : new Int64();
    case 'float32':
      return new Float32();
    default:
      return new Float64();
  }
}

function numbersAsVector(kind: ValueKind, slice: NumberSlice, n: number): Vector {
  let nullCount = 0;
  if (slice.valid !== null) for (let i = 0; i < n; i++) if ((slice.valid[i >>> 3] & (1 << (i & 7))) === 0) nullCount++;
  return makeVector(makeData({ type: arrowTypeOf(kind), length: n, data: slice.values, nullBitmap: nullCount > 0 ? slice.valid! : undefined, nullCount } as never));
}

/** encodings the page reader decodes (values, dictionary indices and levels) */
const PAGE_READER_ENCODINGS = new Set(['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED']);

/**
 * Parquet: flat columns of the common kinds are read page by page into typed arrays
 * (parquet/column-chunk.ts), lazily, only when a batch asks for them; any other column is read by
 * hyparquet, slice by slice.
 */
async function openParquetSource(file: string, remap: Record<string, string>, options: OpenTableOptions): Promise<TableSource> {
  let buffer;
  let metadata: FileMetaData;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new InputError(`${file}: not a readable Parquet file (${(e as Error).message})`, file);
  }
  const topLevel = parquetSchema(metadata).children;
  const fileNames = topLevel.map((c) => c.element.name);
  const resolver = makeResolver(file, fileNames, remap);
  const totalRows = Number(metadata.num_rows);
  const batchRows = options.batchRows ?? 1 << 20;
  // batch boundaries: row groups, split further when larger than batchRows
  const bounds: Array<{ group: number; groupStart: number; rowStart: number; rowEnd: number }> = [];
  let offset = 0;
  metadata.row_groups.forEach((rg, group) => {
    const n = Number(rg.num_rows);
    for (let s = 0; s < n; s += batchRows) bounds.push({ group, groupStart: offset, rowStart: offset + s, rowEnd: offset + Math.min(n, s + batchRows) });
    offset += n;
  });
  if (offset !== totalRows) throw new InputError(`${file}: row groups hold ${offset} rows but the footer says ${totalRows}`, file);

  /** per column and row group: the chunk's description for the page reader, or null when hyparquet reads it */
  const chunkOf = (name: string, group: number): ChunkDescription | null => {
    const node = topLevel.find((c) => c.element.name === name);
    const chunk = metadata.row_groups[group].columns.find((c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name);
    if (node === undefined || chunk?.meta_data === undefined || chunk.file_path) return null;
    const meta = chunk.meta_data;
    const description: ChunkDescription = { ...(node.element as unknown as ChunkDescription), num_children: node.children.length, codec: meta.codec, data_page_offset: meta.data_page_offset, dictionary_page_offset: meta.dictionary_page_offset, total_compressed_size: meta.total_compressed_size, num_values: meta.num_values };
    try {
      valueKindOf(description);
    } catch (e) {
      if (e instanceof ParquetUnsupported) return null;
      throw e;
    }
    if (!meta.encodings.every((e) => PAGE_READER_ENCODINGS.has(e)) || !SUPPORTED_CODECS.includes(meta.codec)) return null;
    // definition levels of a nullable column in the old BIT_PACKED encoding only: left to hyparquet
    if (description.repetition_type === 'OPTIONAL' && meta.encodings.includes('BIT_PACKED') && !meta.encodings.includes('RLE')) return null;
    return description;
  };

  let rowsDone = 0;
  return {
    file,
    format: 'parquet',
    names: resolver.names,
    has: (n) => resolver.fileName(n) !== undefined,
    progress: () => (totalRows > 0 ? rowsDone / totalRows : 1),
    async *batches() {
      rowsDone = 0;
      const fd = openSync(file, 'r');
      try {
        let group = -1;
        let readers = new Map<string, ColumnChunkReader>();
        /** this row group's chunk descriptions; null: read by hyparquet */
        let described = new Map<string, ChunkDescription | null>();
        let general: string[] = [];
        for (const { group: g, groupStart, rowStart, rowEnd } of bounds) {
          rowsDone = rowStart;
          if (g !== group) {
            group = g;
            readers = new Map();
            described = new Map(fileNames.map((name) => [name, chunkOf(name, g)]));
            general = fileNames.filter((name) => described.get(name) === null);
          }
          const length = rowEnd - rowStart;
          const columns = new Map<string, BatchColumn>();
          if (general.length > 0) {
            for (const [name, values] of await readGeneralColumns(file, buffer, metadata, general, rowStart, rowEnd)) columns.set(name, { kind: 'values', values });
          }
          const start = rowStart + 1;
          const readFast = (name: string): BatchColumn => {
            let reader = readers.get(name);
            try {
              if (reader === undefined) {
                reader = new ColumnChunkReader({ fd }, described.get(name)!);
                readers.set(name, reader);
              }
              const from = rowStart - groupStart;
              if (reader.rowsRead < from) reader.skip(from - reader.rowsRead);
              const kind = reader.kindOfValues;
              if (kind.kind === 'bytes') return { kind: 'bytes', data: { ...reader.readBytes(length), stride: 1 }, index: 0 };
              return { kind: 'arrow', vector: numbersAsVector(kind, reader.readNumbers(length), length) };
            } catch (e) {
              if (e instanceof ParquetCorrupt || e instanceof ParquetUnsupported) {
                throw new InputError(`${file}: row group ${g}, column "${name}": ${e instanceof ParquetUnsupported ? 'unsupported Parquet feature: ' : ''}${e.message}`, file, [], name);
              }
              throw e;
            }
          };
          yield {
            length,
            rowNumber: (i) => start + i,
            has: (n) => resolver.fileName(n) !== undefined,
            column(name) {
              const actual = resolver.fileName(name);
              if (actual === undefined) throw missingColumn(file, name, resolver.names);
              let col = columns.get(actual);
              if (col === undefined) {
                col = readFast(actual);
                columns.set(actual, col);
              }
              return col;
            },
          };
        }
        rowsDone = totalRows;
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Columns the page reader does not take, for rows [rowStart, rowEnd), read by hyparquet. */
async function readGeneralColumns(file: string, buffer: Parameters<typeof parquetRead>[0]['file'], metadata: FileMetaData, names: string[], rowStart: number, rowEnd: number): Promise<Map<string, ArrayLike<unknown>>> {
  const chunks = new Map<string, ArrayLike<unknown>>();
  try {
    await parquetRead({
      file: buffer,
      metadata,
      columns: names,
      rowStart,
      rowEnd,
      compressors: hyparquetCompressors,
      // text stays bytes, STRING-annotated or not: ids are interned from the bytes and other text is
      // decoded where it is used (hyparquet would otherwise build a JS string per value, and the id
      // index would encode it back)
      utf8: false,
      parsers: { stringFromBytes: (bytes: Uint8Array) => bytes as unknown as string },
      onChunk: (chunk) => {
        // chunks may cover more than the slice: cut to [rowStart, rowEnd)
        const from = rowStart - chunk.rowStart;
        const to = rowEnd - chunk.rowStart;
        const data = chunk.columnData as ArrayLike<unknown> & { subarray?: (a: number, b: number) => ArrayLike<unknown> };
        const part = from === 0 && to === data.length ? data : data.subarray ? data.subarray(from, to) : Array.prototype.slice.call(data, from, to);
        const prev = chunks.get(chunk.columnName);
        chunks.set(chunk.columnName, prev === undefined ? part : concatValues(prev, part));
      },
    });
  } catch (e) {
    throw new InputError(`${file}: cannot read rows ${rowStart + 1}-${rowEnd} of columns ${names.join(', ')} (${(e as Error).message})`, file);
  }
  return chunks;
}

function concatValues(a: ArrayLike<unknown>, b: ArrayLike<unknown>): ArrayLike<unknown> {
  const out = new Array(a.length + b.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i];
  for (let i = 0; i < b.length; i++) out[a.length + i] = b[i];
  return out;
}
