/**
 * The visits table (SPEC section 1): person_id, place_id, start (epoch seconds or ISO-8601), optional
 * end or dwell_s. Streamed batch by batch into typed columns (no per-record objects), one chunk of
 * columns per batch, which the graph build reads as they are (nothing is concatenated). Unknown persons,
 * unknown places (when a places table was given), unparseable times, intervals that end before they
 * start and visits longer than MAX_VISIT_SECONDS are errors naming file, rows and column; with
 * dropInvalid they are dropped and counted by reason.
 */
import { Type } from 'apache-arrow';
import { openTable, type BatchColumn } from './table-source.js';
import { decodeIds, decodeTimes, decodeNumbers, isMissingCell, plainArrowValues } from './column-decode.js';
import type { IdIndex } from './id-index.js';
import { RowProblems } from './errors.js';
import { requireColumns, tableOptions, type LoadOptions } from './load-entities.js';

/**
 * The longest visit accepted: 366 days. A visit occupies every bin it touches, so one visit of 10^12 s
 * (a unit mistake, a placeholder end time) would ask for more bins than a run can index; no real stay
 * at one place is longer than a year.
 */
export const MAX_VISIT_SECONDS = 366 * 86_400;
const TOO_LONG = `visit longer than 366 days (end - start > ${MAX_VISIT_SECONDS} s)`;
const DAY = 86_400;

/** Visits as columns (dense person and place indices, epoch seconds; end NaN = the start's bin only). */
export interface VisitArrays {
  person: Int32Array;
  place: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

export interface VisitColumns {
  /** the kept visits, one chunk per input batch (end NaN = only the bin of start) */
  chunks: VisitArrays[];
  /** kept visits over all chunks */
  rows: number;
  rowsRead: number;
  dropped: Record<string, number>;
}

export interface VisitLoadOptions extends LoadOptions {
  /** true when places come from a places table (then an unknown place is an error); else new places are added */
  placesFixed: boolean;
  /** progress: share of the file read, and rows read so far */
  onProgress?: (fraction: number, rows: number) => void;
}

/** All chunks as one set of columns (a copy; for tests and small inputs). */
export function concatVisitChunks(chunks: readonly VisitArrays[]): VisitArrays {
  const n = chunks.reduce((a, c) => a + c.person.length, 0);
  const out: VisitArrays = { person: new Int32Array(n), place: new Int32Array(n), start: new Float64Array(n), end: new Float64Array(n) };
  let at = 0;
  for (const c of chunks) {
    out.person.set(c.person, at);
    out.place.set(c.place, at);
    out.start.set(c.start, at);
    out.end.set(c.end, at);
    at += c.person.length;
  }
  return out;
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

export async function loadVisits(file: string, persons: IdIndex, places: IdIndex, options: VisitLoadOptions): Promise<VisitColumns> {
  const problems = new RowProblems(file, options.dropInvalid ?? false);
  const source = await openTable(file, tableOptions(options, problems));
  requireColumns(file, source.names, ['person_id', 'place_id', 'start']);
  const hasEnd = source.has('end');
  const hasDwell = !hasEnd && source.has('dwell_s');
  const chunks: VisitArrays[] = [];
  let rows = 0;
  let rowsRead = 0;
  // for warnings: the time of day (UTC) shared by every start so far (NaN once two differ), and the
  // visits longer than a day
  let timeOfDay: number | undefined;
  let longVisits = 0;
  let longest = 0;
  for await (const batch of source.batches()) {
    const n = batch.length;
    rowsRead += n;
    const personCol = batch.column('person_id');
    const placeCol = batch.column('place_id');
    const startCol = batch.column('start');
    const endCol = hasEnd ? batch.column('end') : hasDwell ? batch.column('dwell_s') : null;

    // Arrow int32 ids and float64 times without nulls are used where they lie in the batch's buffer:
    // times as they are, ids replaced in place by their dense indices (each cell is read, then written).
    // Any column sharing bytes with another is copied instead, so no write can change another column.
    const plainStart = plainArrowValues(startCol, Type.Float, Float64Array);
    const plainEnd = endCol === null ? null : plainArrowValues(endCol, Type.Float, Float64Array);
    const plainPerson = plainArrowValues(personCol, Type.Int, Int32Array);
    const plainPlace = plainArrowValues(placeCol, Type.Int, Int32Array);
    const views = [plainPerson, plainPlace, plainStart, plainEnd];
    const alone = (v: ArrayBufferView | null): boolean => v !== null && views.every((o) => o === v || o === null || !overlaps(v, o));
    const s = plainStart ?? decodedTimes(startCol, n);
    const e = alone(plainEnd) ? plainEnd! : endCol === null ? new Float64Array(n).fill(NaN) : hasEnd ? decodedTimes(endCol, n) : decodedNumbers(endCol, n);
    const p = decodedIds(personCol, n, persons, false, alone(plainPerson) ? plainPerson : null);
    const q = decodedIds(placeCol, n, places, !options.placesFixed, alone(plainPlace) ? plainPlace : null);

    // Fast scan: the first row that is not plainly valid (usually none, and then nothing is rewritten).
    const first = firstDoubtfulRow(p, q, s, e, endCol === null ? 'none' : hasEnd ? 'end' : 'dwell');
    if (hasDwell) for (let i = 0; i < first; i++) e[i] += s[i];
    let w = first;
    for (let i = first; i < n; i++) {
      if (p[i] < 0) {
        problems.add(isMissingCell(personCol, i) ? 'missing id' : 'unknown person', 'person_id', batch.rowNumber(i));
        continue;
      }
      if (q[i] < 0) {
        problems.add(isMissingCell(placeCol, i) ? 'missing id' : 'unknown place', 'place_id', batch.rowNumber(i));
        continue;
      }
      const t0 = s[i];
      if (!Number.isFinite(t0)) {
        problems.add('unparseable time', 'start', batch.rowNumber(i));
        continue;
      }
      let t1 = NaN;
      if (endCol !== null) {
        const v = e[i];
        if (Number.isNaN(v) && !isMissingCell(endCol, i)) {
          problems.add(hasEnd ? 'unparseable time' : 'dwell_s is not a number', hasEnd ? 'end' : 'dwell_s', batch.rowNumber(i));
          continue;
        }
        if (!Number.isNaN(v)) {
          t1 = hasEnd ? v : t0 + v;
          if (!(t1 >= t0) || !Number.isFinite(t1)) {
            problems.add(hasEnd ? 'end before start' : 'negative or infinite dwell_s', hasEnd ? 'end' : 'dwell_s', batch.rowNumber(i));
            continue;
          }
          if (t1 - t0 > MAX_VISIT_SECONDS) {
            problems.add(TOO_LONG, hasEnd ? 'end' : 'dwell_s', batch.rowNumber(i));
            continue;
          }
        }
      }
      if (w !== i) {
        p[w] = p[i];
        q[w] = q[i];
        s[w] = t0;
      }
      e[w] = t1;
      w++;
    }
    problems.throwIfFatal();
    for (let i = 0; i < w && !Number.isNaN(timeOfDay); i++) {
      const t = ((s[i] % DAY) + DAY) % DAY;
      if (timeOfDay === undefined) timeOfDay = t;
      else if (t !== timeOfDay) timeOfDay = NaN;
    }
    if (endCol !== null) {
      for (let i = 0; i < w; i++) {
        const d = e[i] - s[i];
        if (d > DAY) {
          longVisits++;
          if (d > longest) longest = d;
        }
      }
    }
    if (w > 0) chunks.push(w === n ? { person: p, place: q, start: s, end: e } : { person: p.subarray(0, w), place: q.subarray(0, w), start: s.subarray(0, w), end: e.subarray(0, w) });
    rows += w;
    options.onProgress?.(source.progress(), rowsRead);
  }
  if (options.onWarning) {
    if (rows > 1 && timeOfDay !== undefined && !Number.isNaN(timeOfDay)) {
      options.onWarning(`${file}: every visit starts at the same time of day (${clock(timeOfDay)} UTC): the times look like dates without a time of day, so everyone at a place on one day shares one bin`);
    }
    if (longVisits > 0) {
      options.onWarning(`${file}: ${longVisits} visit${longVisits === 1 ? ' lasts' : 's last'} longer than a day (the longest ${(longest / DAY).toFixed(1)} days) in column "${hasEnd ? 'end' : 'dwell_s'}": a visit counts in every bin it touches; check that ${hasEnd ? 'end is a time' : 'dwell_s is in seconds'}`);
    }
  }
  return { chunks, rows, rowsRead, dropped: problems.dropCounts() };
}

/** Seconds after midnight as hh:mm:ss. */
function clock(seconds: number): string {
  const two = (x: number) => String(Math.floor(x)).padStart(2, '0');
  return `${two(seconds / 3600)}:${two((seconds % 3600) / 60)}:${two(seconds % 60)}`;
}

/**
 * Index of the first row whose ids are not both known, whose start is not finite, or whose end (or
 * start + dwell) is not a finite time at or after the start and within MAX_VISIT_SECONDS of it; n when
 * every row passes. Such a row may
 * still be valid (an empty end cell): the caller's full check decides from there.
 */
function firstDoubtfulRow(p: Int32Array, q: Int32Array, s: Float64Array, e: Float64Array, end: 'none' | 'end' | 'dwell'): number {
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const t0 = s[i];
    if (p[i] < 0 || q[i] < 0 || t0 - t0 !== 0) return i;
    if (end === 'none') continue;
    const t1 = end === 'end' ? e[i] : t0 + e[i];
    if (!(t1 >= t0) || t1 - t1 !== 0 || t1 - t0 > MAX_VISIT_SECONDS) return i;
  }
  return n;
}

/** Dense ids of a batch column, written over `inPlace` (the column's own int32 values) when given. */
function decodedIds(col: BatchColumn, n: number, index: IdIndex, insert: boolean, inPlace: Int32Array | null): Int32Array {
  if (inPlace !== null) {
    index.internIntegersMany(inPlace, 0, n, insert, inPlace, 0);
    return inPlace;
  }
  const out = new Int32Array(n);
  decodeIds(col, n, index, insert, out, 0);
  return out;
}

function decodedTimes(col: BatchColumn, n: number): Float64Array {
  const out = new Float64Array(n);
  decodeTimes(col, n, out, 0);
  return out;
}

function decodedNumbers(col: BatchColumn, n: number): Float64Array {
  const out = new Float64Array(n);
  decodeNumbers(col, n, out, 0);
  return out;
}
