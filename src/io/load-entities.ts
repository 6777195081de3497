/**
 * Tables of uniquely identified entities (persons, places): an id column plus typed columns. Row
 * problems (missing or duplicate id, non-finite required numbers, non-integer codes) are errors naming
 * file, rows and column, or with dropInvalid drops counted by reason. Entity i is the i-th kept row.
 */
import { openTable, type OpenTableOptions } from './table-source.js';
import { decodeIds, decodeNumbers } from './column-decode.js';
import { IdIndex } from './id-index.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { InputError, RowProblems } from './errors.js';

/** A text column as dense codes (-1 = missing) and the distinct values in code order. */
export interface CodedColumn {
  codes: Int32Array;
  names: string[];
}

export interface LoadOptions {
  /** logical column name -> file column name */
  remap?: Record<string, string>;
  dropInvalid?: boolean;
  chunkBytes?: number;
  batchRows?: number;
  /** CSV field delimiter (default ",") */
  delimiter?: string;
  /** where suspicious-but-valid input is reported (warnings; nothing is dropped or changed) */
  onWarning?: (message: string) => void;
}

/** What a loader passes on to openTable. */
export function tableOptions(options: LoadOptions, problems: RowProblems): OpenTableOptions {
  return { remap: options.remap, chunkBytes: options.chunkBytes, batchRows: options.batchRows, delimiter: options.delimiter, onWarning: options.onWarning, problems };
}

/**
 * Warn about text values whose bytes were not UTF-8: the decoder replaced them with U+FFFD, so names
 * (MSA titles, county names) would not match and print garbled.
 */
export function warnReplacedBytes(file: string, column: string, names: readonly string[], onWarning: ((message: string) => void) | undefined): void {
  if (!onWarning) return;
  const replaced = names.filter((n) => n.includes('\uFFFD'));
  if (replaced.length === 0) return;
  onWarning(`${file}: ${replaced.length} distinct value${replaced.length === 1 ? '' : 's'} of column "${column}" had bytes that are not UTF-8, replaced by U+FFFD (e.g. "${replaced[0]}"): save the file as UTF-8`);
}

export interface EntitySpec {
  /** e.g. 'person_id' */
  id: string;
  /** required columns that must hold finite numbers */
  finite?: string[];
  /** optional numeric columns (missing -> NaN) */
  numbers?: string[];
  /** optional non-negative integer columns (missing -> -1), e.g. county_fips */
  integers?: string[];
  /** optional text columns, coded */
  texts?: string[];
}

export interface EntityTable {
  file: string;
  count: number;
  ids: IdIndex;
  /** finite and optional numeric columns present in the file */
  numbers: Record<string, Float64Array>;
  integers: Record<string, Int32Array>;
  texts: Record<string, CodedColumn>;
  rowsRead: number;
  dropped: Record<string, number>;
}

/** Throw an InputError naming the file and the first required column it lacks. */
export function requireColumns(file: string, names: string[], required: string[]): void {
  for (const r of required) {
    if (!names.includes(r)) throw new InputError(`${file}: missing column "${r}" (columns present: ${names.join(', ')})`, file, [], r, 'missing column');
  }
}

export async function loadEntityTable(file: string, spec: EntitySpec, options: LoadOptions = {}): Promise<EntityTable> {
  const problems = new RowProblems(file, options.dropInvalid ?? false);
  const source = await openTable(file, tableOptions(options, problems));
  const finite = spec.finite ?? [];
  requireColumns(file, source.names, [spec.id, ...finite]);
  const numberCols = [...finite, ...(spec.numbers ?? []).filter((c) => source.has(c))];
  const integerCols = (spec.integers ?? []).filter((c) => source.has(c));
  const textCols = (spec.texts ?? []).filter((c) => source.has(c));
  const ids = new IdIndex();
  const taken = new GrowableInt32(); // per dense id: 1 once a kept row has it
  const keptId = new GrowableInt32(); // per kept row: its dense id
  const numbers = new Map(numberCols.map((c) => [c, new GrowableFloat64()]));
  const integers = new Map(integerCols.map((c) => [c, new GrowableInt32()]));
  const texts = new Map(textCols.map((c) => [c, { index: new IdIndex(), codes: new GrowableInt32() }]));
  let rowsRead = 0;
  let idScratch = new Int32Array(0);
  let keep = new Uint8Array(0);
  const decoded = new Map<string, Float64Array>();

  for await (const batch of source.batches()) {
    const n = batch.length;
    rowsRead += n;
    if (idScratch.length < n) {
      idScratch = new Int32Array(n);
      keep = new Uint8Array(n);
      for (const c of [...numberCols, ...integerCols]) decoded.set(c, new Float64Array(n));
    }
    for (const c of [...numberCols, ...integerCols]) decodeNumbers(batch.column(c), n, decoded.get(c)!, 0);
    decodeIds(batch.column(spec.id), n, ids, true, idScratch, 0);
    while (taken.length < ids.size) taken.push(0);
    for (let i = 0; i < n; i++) {
      keep[i] = 0;
      const id = idScratch[i];
      const row = batch.rowNumber(i);
      if (id < 0) {
        problems.add('missing id', spec.id, row);
        continue;
      }
      if (taken.data[id] === 1) {
        problems.add('duplicate id', spec.id, row);
        continue;
      }
      let ok = true;
      for (const c of finite) {
        if (!Number.isFinite(decoded.get(c)![i])) {
          problems.add(`non-finite ${c === 'ses' ? 'SES' : 'number'}`, c, row);
          ok = false;
          break;
        }
      }
      for (const c of integerCols) {
        const v = decoded.get(c)![i];
        if (ok && !Number.isNaN(v) && !(Number.isInteger(v) && v >= 0 && v < 2 ** 31)) {
          problems.add('not a non-negative integer', c, row);
          ok = false;
        }
      }
      if (!ok) continue;
      keep[i] = 1;
      taken.data[id] = 1;
      keptId.push(id);
    }
    problems.throwIfFatal();
    for (const c of numberCols) {
      const src = decoded.get(c)!;
      const out = numbers.get(c)!;
      for (let i = 0; i < n; i++) if (keep[i]) out.push(src[i]);
    }
    for (const c of integerCols) {
      const src = decoded.get(c)!;
      const out = integers.get(c)!;
      for (let i = 0; i < n; i++) if (keep[i]) out.push(Number.isNaN(src[i]) ? -1 : src[i]);
    }
    for (const [c, t] of texts) {
      decodeIds(batch.column(c), n, t.index, true, idScratch, 0);
      for (let i = 0; i < n; i++) if (keep[i]) t.codes.push(idScratch[i]);
    }
  }

  // Dense ids must follow kept-row order; ids of dropped rows can leave holes, so re-index then.
  const kept = keptId.finish();
  let identity = kept.length === ids.size;
  for (let k = 0; identity && k < kept.length; k++) identity = kept[k] === k;
  let entityIds = ids;
  if (!identity) {
    entityIds = new IdIndex();
    for (let k = 0; k < kept.length; k++) entityIds.intern(ids.idOf(kept[k]), true);
  }
  const textColumns = Object.fromEntries([...texts].map(([c, t]) => [c, { codes: t.codes.finish(), names: t.index.idsAsStrings() }]));
  for (const [c, t] of Object.entries(textColumns)) warnReplacedBytes(file, options.remap?.[c] ?? c, t.names, options.onWarning);
  return {
    file,
    count: kept.length,
    ids: entityIds,
    numbers: Object.fromEntries([...numbers].map(([c, g]) => [c, g.finish()])),
    integers: Object.fromEntries([...integers].map(([c, g]) => [c, g.finish()])),
    texts: textColumns,
    rowsRead,
    dropped: problems.dropCounts(),
  };
}
