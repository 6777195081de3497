/**
 * Write a ColumnTable as CSV, Arrow IPC (file format) or Parquet, atomically. Float64Array columns
 * become float64, Int32Array int32, text columns utf8 (nullable). The bytes depend only on the table,
 * so the same data always gives the same file.
 */
import { Table, Utf8, makeData, makeVector, tableToIPC, type Vector } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnTable } from './column-table.js';
import { writeCsv } from './csv-writer.js';
import { writeFileAtomic } from './atomic.js';
import type { TableFormat } from './table-source.js';

export const FORMAT_EXTENSION: Record<TableFormat, string> = { csv: 'csv', arrow: 'arrow', parquet: 'parquet' };

function arrowVector(values: ColumnTable['columns'][number]['values']): Vector {
  if (values instanceof Float64Array) return makeVector(values);
  if (values instanceof Int32Array) return makeVector(values);
  return utf8Vector(values);
}

/** Distinct texts whose UTF-8 bytes are kept for reuse (text columns repeat a few names over many rows). */
const ENCODED_CACHE = 1 << 16;

/**
 * A Utf8 vector of texts (null = missing): the offsets, bytes and validity bitmap written directly, each
 * distinct text encoded once, the same data apache-arrow's vectorFromArray builds (and so the same file
 * bytes) at a fraction of its time (person-stats.arrow has a million rows per text column).
 */
export function utf8Vector(values: ReadonlyArray<string | null>): Vector {
  const n = values.length;
  const encoder = new TextEncoder();
  const cache = new Map<string, Uint8Array>();
  const encoded: Array<Uint8Array | null> = new Array(n);
  let bytes = 0;
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null) {
      nulls++;
      encoded[i] = null;
      continue;
    }
    let e = cache.get(v);
    if (e === undefined) {
      e = encoder.encode(v);
      if (cache.size < ENCODED_CACHE) cache.set(v, e);
    }
    encoded[i] = e;
    bytes += e.length;
  }
  const valueOffsets = new Int32Array(n + 1);
  const data = new Uint8Array(bytes);
  // the builder's bitmap is a whole number of 64-byte blocks, and an Arrow file holds it whole
  const nullBitmap = nulls > 0 ? new Uint8Array(64 * Math.max(1, Math.ceil(((n + 7) >> 3) / 64))) : undefined;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const e = encoded[i];
    if (e !== null) {
      data.set(e, at);
      at += e.length;
      if (nullBitmap) nullBitmap[i >> 3] |= 1 << (i & 7);
    }
    valueOffsets[i + 1] = at;
  }
  return makeVector(makeData({ type: new Utf8(), length: n, nullCount: nulls, nullBitmap, valueOffsets, data }));
}

/** Arrow IPC bytes of a table (file format). */
export function tableToArrowIpc(table: ColumnTable): Uint8Array {
  const vectors: Record<string, Vector> = {};
  for (const c of table.columns) vectors[c.name] = arrowVector(c.values);
  return tableToIPC(new Table(vectors), 'file');
}

/** Parquet bytes of a table (snappy, one row group per 100k rows). */
export function tableToParquet(table: ColumnTable): Uint8Array {
  const columnData = table.columns.map((c) => {
    if (c.values instanceof Float64Array) return { name: c.name, data: c.values, type: 'DOUBLE' as const, nullable: false };
    if (c.values instanceof Int32Array) return { name: c.name, data: c.values, type: 'INT32' as const, nullable: false };
    return { name: c.name, data: c.values, type: 'STRING' as const };
  });
  return new Uint8Array(parquetWriteBuffer({ columnData, createdBy: 'mobiseg' }));
}

export async function writeTable(path: string, table: ColumnTable, format: TableFormat): Promise<void> {
  if (format === 'csv') return writeCsv(path, table);
  if (format === 'arrow') return writeFileAtomic(path, tableToArrowIpc(table));
  if (format === 'parquet') return writeFileAtomic(path, tableToParquet(table));
  throw new Error(`unknown format ${String(format)}`);
}
