/**
 * CSV output (RFC 4180), written atomically. Numbers print in the shortest form that reads back to the
 * same double (JavaScript's Number#toString); NaN and null print as empty cells.
 */
import type { ColumnTable } from './column-table.js';
import { tableRowCount } from './column-table.js';
import { openAtomicStream } from './atomic.js';

/** Quote a text cell when it holds a delimiter, quote or newline. */
export function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function formatCell(values: ColumnTable['columns'][number]['values'], i: number): string {
  const v = values[i];
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isNaN(v) ? '' : String(v);
  return csvCell(v);
}

/** Serialize rows [from, to) of a table (no header). */
export function formatCsvRows(table: ColumnTable, from: number, to: number): string {
  const cols = table.columns;
  let out = '';
  for (let i = from; i < to; i++) {
    for (let c = 0; c < cols.length; c++) {
      if (c > 0) out += ',';
      out += formatCell(cols[c].values, i);
    }
    out += '\n';
  }
  return out;
}

/** Write a table as CSV (header + rows), atomically, streaming in blocks of rows. */
export async function writeCsv(path: string, table: ColumnTable): Promise<void> {
  const out = openAtomicStream(path);
  try {
    await out.write(table.columns.map((c) => csvCell(c.name)).join(',') + '\n');
    const n = tableRowCount(table);
    const block = 50_000;
    for (let s = 0; s < n; s += block) await out.write(formatCsvRows(table, s, Math.min(n, s + block)));
    await out.commit();
  } catch (e) {
    out.abort();
    throw e;
  }
}
