/**
 * An in-memory table as named columns: the exchange format between the computations (which produce
 * typed arrays) and the writers (CSV, Arrow IPC, Parquet). Numbers are Float64Array (NaN = missing) or
 * Int32Array; text is an array of strings (null = missing).
 */
export type ColumnValues = Float64Array | Int32Array | Array<string | null>;

export interface Column {
  readonly name: string;
  readonly values: ColumnValues;
}

export interface ColumnTable {
  readonly columns: readonly Column[];
}

export function tableRowCount(table: ColumnTable): number {
  return table.columns.length === 0 ? 0 : table.columns[0].values.length;
}

/** Build a table, checking that all columns have the same length. */
export function columnTable(columns: Column[]): ColumnTable {
  const n = columns.length === 0 ? 0 : columns[0].values.length;
  for (const c of columns) {
    if (c.values.length !== n) throw new RangeError(`column "${c.name}" has ${c.values.length} rows, expected ${n}`);
  }
  return { columns };
}

/** One object per row, keyed by column name (NaN and missing text become null), e.g. for JSON output. */
export function tableRows(table: ColumnTable): Array<Record<string, number | string | null>> {
  const n = tableRowCount(table);
  const rows: Array<Record<string, number | string | null>> = Array.from({ length: n }, () => ({}));
  for (const { name, values } of table.columns) {
    for (let i = 0; i < n; i++) {
      const v = values[i];
      rows[i][name] = typeof v === 'number' && !Number.isFinite(v) ? null : v;
    }
  }
  return rows;
}
