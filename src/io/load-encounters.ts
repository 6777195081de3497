/**
 * The pair-encounters table (SPEC section 1): person_a, person_b; optional place_id, time, days.
 * Unknown persons and unparseable times are errors naming file, rows and column (or dropped and
 * counted with dropInvalid); self-pairs are always dropped and counted.
 */
import { openTable } from './table-source.js';
import { decodeIds, decodeNumbers, decodeTimes, isMissingCell } from './column-decode.js';
import type { IdIndex } from './id-index.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { RowProblems } from './errors.js';
import { requireColumns, tableOptions, type LoadOptions } from './load-entities.js';

export interface PairColumns {
  a: Int32Array;
  b: Int32Array;
  /** place code or -1 */
  place: Int32Array | null;
  /** epoch seconds or NaN */
  time: Float64Array | null;
  /** days the pair met (as given) or NaN */
  days: Float64Array | null;
  rowsRead: number;
  dropped: Record<string, number>;
}

export async function loadEncounters(file: string, persons: IdIndex, places: IdIndex, options: LoadOptions & { placesFixed: boolean; onProgress?: (fraction: number, rows: number) => void }): Promise<PairColumns> {
  const problems = new RowProblems(file, options.dropInvalid ?? false);
  const source = await openTable(file, tableOptions(options, problems));
  requireColumns(file, source.names, ['person_a', 'person_b']);
  const selfPairs = new RowProblems(file, true);
  const hasPlace = source.has('place_id');
  const hasTime = source.has('time');
  const hasDays = source.has('days');
  const a = new GrowableInt32();
  const b = new GrowableInt32();
  const place = hasPlace ? new GrowableInt32() : null;
  const time = hasTime ? new GrowableFloat64() : null;
  const days = hasDays ? new GrowableFloat64() : null;
  let rowsRead = 0;
  let pa = new Int32Array(0);
  let pb = new Int32Array(0);
  let pq = new Int32Array(0);
  let t = new Float64Array(0);
  let d = new Float64Array(0);
  for await (const batch of source.batches()) {
    const n = batch.length;
    rowsRead += n;
    if (pa.length < n) {
      pa = new Int32Array(n);
      pb = new Int32Array(n);
      pq = new Int32Array(n);
      t = new Float64Array(n);
      d = new Float64Array(n);
    }
    const colA = batch.column('person_a');
    const colB = batch.column('person_b');
    decodeIds(colA, n, persons, false, pa, 0);
    decodeIds(colB, n, persons, false, pb, 0);
    if (hasPlace) decodeIds(batch.column('place_id'), n, places, !options.placesFixed, pq, 0);
    if (hasTime) decodeTimes(batch.column('time'), n, t, 0);
    if (hasDays) decodeNumbers(batch.column('days'), n, d, 0);
    for (let i = 0; i < n; i++) {
      const row = batch.rowNumber(i);
      if (pa[i] < 0) {
        problems.add(isMissingCell(colA, i) ? 'missing id' : 'unknown person', 'person_a', row);
        continue;
      }
      if (pb[i] < 0) {
        problems.add(isMissingCell(colB, i) ? 'missing id' : 'unknown person', 'person_b', row);
        continue;
      }
      if (hasPlace && pq[i] < 0 && !isMissingCell(batch.column('place_id'), i)) {
        problems.add('unknown place', 'place_id', row);
        continue;
      }
      if (hasTime && Number.isNaN(t[i]) && !isMissingCell(batch.column('time'), i)) {
        problems.add('unparseable time', 'time', row);
        continue;
      }
      if (hasDays && !isMissingCell(batch.column('days'), i) && !(d[i] >= 0)) {
        problems.add('days is not a non-negative number', 'days', row);
        continue;
      }
      if (pa[i] === pb[i]) {
        selfPairs.add('self-pair', 'person_b', row);
        continue;
      }
      a.push(pa[i]);
      b.push(pb[i]);
      place?.push(pq[i]);
      time?.push(t[i]);
      days?.push(d[i]);
    }
    problems.throwIfFatal();
    options.onProgress?.(source.progress(), rowsRead);
  }
  return {
    a: a.finish(),
    b: b.finish(),
    place: place ? place.finish() : null,
    time: time ? time.finish() : null,
    days: days ? days.finish() : null,
    rowsRead,
    dropped: { ...problems.dropCounts(), ...selfPairs.dropCounts() },
  };
}
