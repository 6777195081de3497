import type { ColumnTable, ColumnValues } from '../../src/io/column-table.js';

/** A column of a table by name (throws if absent). */
export function column(table: ColumnTable, name: string): ColumnValues {
  const c = table.columns.find((col) => col.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
}
