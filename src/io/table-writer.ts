/**
 * Write a ColumnTable as CSV, Arrow IPC (file format) or Parquet, atomically. Float64Array columns
 * become float64, Int32Array int32, text columns utf8 (nullable). The bytes depend only on the table,
 * so the same data always gives the same file.
 */
import { Table, Utf8, vectorFromArray, makeVector, tableToIPC, type Vector } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { ColumnTable } from './column-table.js';
import { writeCsv } from './csv-writer.js';
import { writeFileAtomic } from './atomic.js';
import type { TableFormat } from './table-source.js';

export const FORMAT_EXTENSION: Record<TableFormat, string> = { csv: 'csv', arrow: 'arrow', parquet: 'parquet' };

function arrowVector(values: ColumnTable['columns'][number]['values']): Vector {
  if (values instanceof Float64Array) return makeVector(values);
  if (values instanceof Int32Array) return makeVector(values);
  return vectorFromArray(values as Array<string | null>, new Utf8());
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
