/**
 * How many rows a table holds, learnt before reading it: exact from a Parquet footer (num_rows) or
 * from the record batch headers of an Arrow IPC file or stream (each message's metadata is read, its
 * body skipped), estimated for CSV from the file size and the bytes per row of the first MiB (for
 * gzip, with the compression ratio of that first MiB). For deciding, before loading, whether an input
 * fits in memory.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { Message, MessageHeader } from 'apache-arrow';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { isGzipFile } from './csv-reader.js';
import { detectFormat } from './table-source.js';

export interface RowCount {
  /** NaN when the file cannot be read far enough to tell */
  rows: number;
  /** false for an estimate (CSV) */
  exact: boolean;
}

const SAMPLE_BYTES = 1 << 20;

/**
 * The rows of a table file. A file whose footer or headers cannot be read (truncated, corrupt) gives
 * NaN: deciding about memory is not the place to diagnose it, the reader names the problem.
 */
export async function countRows(file: string): Promise<RowCount> {
  const format = detectFormat(file);
  try {
    if (format === 'parquet') {
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      return { rows: Number(metadata.num_rows), exact: true };
    }
    if (format === 'arrow') return { rows: arrowRows(file), exact: true };
    return { rows: csvRowEstimate(file), exact: false };
  } catch {
    return { rows: NaN, exact: false };
  }
}

/** Rows of an Arrow IPC file or stream: the lengths of its record batches, from their headers. */
function arrowRows(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(8);
    readSync(fd, head, 0, 8, 0);
    // the file format starts with "ARROW1" and two bytes of padding, then the stream's messages
    let pos = head.subarray(0, 6).toString('latin1') === 'ARROW1' ? 8 : 0;
    let rows = 0;
    const prefix = Buffer.alloc(8);
    while (pos + 4 <= size) {
      readSync(fd, prefix, 0, 8, pos);
      // a message: 0xFFFFFFFF and the metadata length (or, in old streams, the length alone)
      const continued = prefix.readUInt32LE(0) === 0xffffffff;
      const length = continued ? prefix.readInt32LE(4) : prefix.readInt32LE(0);
      if (length <= 0) break;
      const start = pos + (continued ? 8 : 4);
      const meta = Buffer.alloc(length);
      readSync(fd, meta, 0, length, start);
      const message = Message.decode(meta);
      if (message.headerType === MessageHeader.RecordBatch) rows += Number((message.header() as { length: number | bigint }).length);
      pos = start + length + Number(message.bodyLength);
    }
    return rows;
  } finally {
    closeSync(fd);
  }
}

/** Data rows of a CSV file (header excluded), estimated from its first MiB. */
function csvRowEstimate(file: string): number {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const raw = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    readSync(fd, raw, 0, raw.length, 0);
    // a gzip sample decompresses as far as it goes; its ratio stands for the whole file
    const sample = isGzipFile(file) ? gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }) : raw;
    let lines = 0;
    for (let k = 0; k < sample.length; k++) if (sample[k] === 10) lines++;
    if (lines === 0) return 0;
    const wholeSample = raw.length === size;
    if (wholeSample) return Math.max(0, lines - 1 + (sample[sample.length - 1] === 10 ? 0 : 1));
    const textBytes = size * (sample.length / raw.length);
    return Math.round(textBytes / (sample.length / lines)) - 1;
  }
  finally {
    closeSync(fd);
  }
}
