/**
 * Whole-table reading for small inputs (reference CSVs, county tables, tract counts): any format
 * openTable reads, gathered into columns of strings, converted to numbers on request with errors that
 * name the file, the rows and the column. Large inputs (visits, encounters) are streamed instead.
 */
import { openTable, type OpenTableOptions } from './table-source.js';
import { decodeStrings } from './column-decode.js';
import { InputError, describeRowProblem, MAX_REPORTED_ROWS } from './errors.js';

export interface SmallTable {
  readonly file: string;
  readonly nRows: number;
  readonly names: string[];
  has(name: string): boolean;
  /** cells as strings (missing cells as '') */
  text(name: string): string[];
  /** cells as numbers; non-numeric cells are an InputError, missing cells too unless allowMissing (then NaN) */
  numbers(name: string, options?: { allowMissing?: boolean }): Float64Array;
}

export async function readSmallTable(file: string, options: OpenTableOptions & { columns?: Record<string, string> } = {}): Promise<SmallTable> {
  const source = await openTable(file, { ...options, remap: options.remap ?? options.columns });
  const cells = new Map<string, string[]>();
  for (const name of source.names) cells.set(name, []);
  let nRows = 0;
  for await (const batch of source.batches()) {
    for (const name of source.names) {
      const values = decodeStrings(batch.column(name), batch.length);
      const target = cells.get(name)!;
      for (let i = 0; i < values.length; i++) target.push(values[i] ?? '');
    }
    nRows += batch.length;
  }
  return smallTableOf(file, source.names, cells, nRows);
}

/**
 * A SmallTable over columns of strings already in memory (what readSmallTable gathers; also a table
 * built by hand). `file` names the source in error messages.
 */
export function smallTableOf(file: string, names: string[], cells: ReadonlyMap<string, string[]>, nRows: number): SmallTable {
  const get = (name: string): string[] => {
    const c = cells.get(name);
    if (c === undefined) throw new InputError(`${file}: missing column "${name}" (columns present: ${names.join(', ')})`, file, [], name, 'missing column');
    return c;
  };
  return {
    file,
    nRows,
    names,
    has: (name) => cells.has(name),
    text: get,
    numbers(name, opts = {}) {
      const c = get(name);
      const out = new Float64Array(c.length);
      const bad: number[] = [];
      let badCount = 0;
      let reason = 'not a number';
      for (let i = 0; i < c.length; i++) {
        const t = c[i].trim();
        if (t === '' || t === 'NA' || t === 'NaN') {
          if (opts.allowMissing) {
            out[i] = NaN;
            continue;
          }
          reason = 'missing value';
        }
        const v = t === '' ? NaN : Number(t);
        if (Number.isNaN(v) && !(opts.allowMissing && (t === 'NA' || t === 'NaN'))) {
          badCount++;
          if (bad.length < MAX_REPORTED_ROWS) bad.push(i + 1);
          continue;
        }
        out[i] = v;
      }
      if (badCount > 0) throw new InputError(describeRowProblem(file, reason, name, bad, badCount), file, bad, name, reason);
      return out;
    },
  };
}
