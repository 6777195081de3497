/**
 * The visits table (SPEC section 1): person_id, place_id, start (epoch seconds or ISO-8601), optional
 * end or dwell_s. Streamed into typed columns (no per-record objects). Unknown persons, unknown places
 * (when a places table was given), unparseable times and intervals that end before they start are
 * errors naming file, rows and column; with dropInvalid they are dropped and counted by reason.
 */
import { openTable } from './table-source.js';
import { decodeIds, decodeTimes, decodeNumbers, isMissingCell } from './column-decode.js';
import type { IdIndex } from './id-index.js';
import { GrowableFloat64, GrowableInt32 } from './growable.js';
import { RowProblems } from './errors.js';
import { requireColumns, type LoadOptions } from './load-entities.js';

export interface VisitColumns {
  person: Int32Array;
  place: Int32Array;
  /** epoch seconds */
  start: Float64Array;
  /** epoch seconds, exclusive; NaN = only the bin of start */
  end: Float64Array;
  rowsRead: number;
  dropped: Record<string, number>;
}

export interface VisitLoadOptions extends LoadOptions {
  /** true when places come from a places table (then an unknown place is an error); else new places are added */
  placesFixed: boolean;
  /** progress: share of the file read, and rows read so far */
  onProgress?: (fraction: number, rows: number) => void;
}

export async function loadVisits(file: string, persons: IdIndex, places: IdIndex, options: VisitLoadOptions): Promise<VisitColumns> {
  const problems = new RowProblems(file, options.dropInvalid ?? false);
  const source = await openTable(file, { remap: options.remap, chunkBytes: options.chunkBytes, batchRows: options.batchRows, problems });
  requireColumns(file, source.names, ['person_id', 'place_id', 'start']);
  const hasEnd = source.has('end');
  const hasDwell = !hasEnd && source.has('dwell_s');
  const person = new GrowableInt32();
  const place = new GrowableInt32();
  const start = new GrowableFloat64();
  const end = new GrowableFloat64();
  let rowsRead = 0;
  for await (const batch of source.batches()) {
    const n = batch.length;
    rowsRead += n;
    const personCol = batch.column('person_id');
    const placeCol = batch.column('place_id');
    const endCol = hasEnd ? batch.column('end') : hasDwell ? batch.column('dwell_s') : null;
    // decode straight into the column buffers after the rows kept so far; invalid rows are compacted out
    person.reserve(n);
    place.reserve(n);
    start.reserve(n);
    end.reserve(n);
    const at = person.length;
    const p = person.data;
    const q = place.data;
    const s = start.data;
    const e = end.data;
    decodeIds(personCol, n, persons, false, p, at);
    decodeIds(placeCol, n, places, !options.placesFixed, q, at);
    decodeTimes(batch.column('start'), n, s, at);
    if (hasEnd) decodeTimes(endCol!, n, e, at);
    else if (hasDwell) decodeNumbers(endCol!, n, e, at);
    let w = at;
    for (let i = 0; i < n; i++) {
      const k = at + i;
      if (p[k] < 0) {
        problems.add(isMissingCell(personCol, i) ? 'missing id' : 'unknown person', 'person_id', batch.rowNumber(i));
        continue;
      }
      if (q[k] < 0) {
        problems.add(isMissingCell(placeCol, i) ? 'missing id' : 'unknown place', 'place_id', batch.rowNumber(i));
        continue;
      }
      const t0 = s[k];
      if (!Number.isFinite(t0)) {
        problems.add('unparseable time', 'start', batch.rowNumber(i));
        continue;
      }
      let t1 = NaN;
      if (endCol !== null) {
        const v = e[k];
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
        }
      }
      if (w !== k) {
        p[w] = p[k];
        q[w] = q[k];
        s[w] = t0;
      }
      e[w] = t1;
      w++;
    }
    person.length = place.length = start.length = end.length = w;
    problems.throwIfFatal();
    options.onProgress?.(source.progress(), rowsRead);
  }
  return { person: person.finish(), place: place.finish(), start: start.finish(), end: end.finish(), rowsRead, dropped: problems.dropCounts() };
}
