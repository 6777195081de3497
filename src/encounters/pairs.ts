/**
 * Partner lists from pair-encounter records (the paper's own input form). Each row is a co-presence of
 * persons a and b, optionally at a place and time. The same statistics as from the equivalent visits:
 * - weighted: a pair's weight is its number of distinct (place, time bin) co-presences (rows without
 *   place or time each count once);
 * - distinct: each pair once, if it met on at least minDays distinct days: the pair's day count is the
 *   largest `days` value of its rows when that column is given, else the number of distinct days of its
 *   rows' times, else 1.
 * Same-home pairs are excluded with homeOf.
 */
import { MAX_ENDPOINTS, tooManyEndpoints, type PartnerLists } from './person-stats.js';
import type { PairColumns } from '../io/load-encounters.js';

export interface PairOptions {
  mode: 'distinct' | 'weighted';
  binSeconds: number;
  minDays?: number;
  homeOf?: Int32Array | null;
  dayOffsetSeconds?: number;
}

export function partnerListsFromPairs(pairs: Pick<PairColumns, 'a' | 'b' | 'place' | 'time' | 'days'>, nPersons: number, options: PairOptions): PartnerLists {
  const m = pairs.a.length;
  const homeOf = options.homeOf ?? null;
  const minDays = options.minDays ?? 1;
  const dayOffset = options.dayOffsetSeconds ?? 0;
  // endpoints: row r gives (a -> b) and (b -> a); CSR by person
  if (2 * m > MAX_ENDPOINTS) throw tooManyEndpoints(2 * m);
  const counts = new Int32Array(nPersons + 1);
  for (let r = 0; r < m; r++) {
    counts[pairs.a[r] + 1]++;
    counts[pairs.b[r] + 1]++;
  }
  for (let i = 0; i < nPersons; i++) counts[i + 1] += counts[i];
  const cursor = counts.slice(0, nPersons);
  const endPartner = new Int32Array(2 * m);
  const endRow = new Int32Array(2 * m);
  for (let r = 0; r < m; r++) {
    let k = cursor[pairs.a[r]]++;
    endPartner[k] = pairs.b[r];
    endRow[k] = r;
    k = cursor[pairs.b[r]]++;
    endPartner[k] = pairs.a[r];
    endRow[k] = r;
  }
  const binOf = (r: number) => (pairs.time === null || Number.isNaN(pairs.time[r]) ? NaN : Math.floor(pairs.time[r] / options.binSeconds));
  const placeOf = (r: number) => (pairs.place === null ? -1 : pairs.place[r]);
  const dayOf = (r: number) => (pairs.time === null || Number.isNaN(pairs.time[r]) ? NaN : Math.floor((pairs.time[r] + dayOffset) / 86400));

  const offsets = new Int32Array(nPersons + 1);
  const outPartners: number[] = [];
  const outWeights: number[] = [];
  const idx: number[] = [];
  for (let i = 0; i < nPersons; i++) {
    idx.length = 0;
    for (let k = counts[i]; k < counts[i + 1]; k++) {
      const j = endPartner[k];
      if (homeOf !== null && homeOf[i] >= 0 && homeOf[j] === homeOf[i]) continue;
      idx.push(k);
    }
    // sort endpoints by (partner, place, bin, row) so duplicates are adjacent
    idx.sort((x, y) => {
      const d = endPartner[x] - endPartner[y];
      if (d !== 0) return d;
      const rx = endRow[x];
      const ry = endRow[y];
      const dq = placeOf(rx) - placeOf(ry);
      if (dq !== 0) return dq;
      const bx = binOf(rx);
      const by = binOf(ry);
      if (bx !== by) return Number.isNaN(bx) ? 1 : Number.isNaN(by) ? -1 : bx - by;
      return rx - ry;
    });
    let s = 0;
    while (s < idx.length) {
      const j = endPartner[idx[s]];
      let e = s;
      while (e < idx.length && endPartner[idx[e]] === j) e++;
      if (options.mode === 'weighted') {
        // distinct (place, bin) co-presences; rows without place and time count once each
        let w = 0;
        for (let x = s; x < e; x++) {
          const r = endRow[idx[x]];
          if (x === s) {
            w++;
            continue;
          }
          const rp = endRow[idx[x - 1]];
          const b = binOf(r);
          const same = !Number.isNaN(b) && placeOf(r) === placeOf(rp) && b === binOf(rp);
          if (!same) w++;
        }
        outPartners.push(j);
        outWeights.push(w);
      } else {
        let dayCount = 1;
        if (minDays > 1) {
          if (pairs.days !== null) {
            dayCount = 0;
            for (let x = s; x < e; x++) {
              const v = pairs.days[endRow[idx[x]]];
              if (v > dayCount) dayCount = v;
            }
          } else if (pairs.time !== null) {
            const seen = new Set<number>();
            for (let x = s; x < e; x++) {
              const dd = dayOf(endRow[idx[x]]);
              if (!Number.isNaN(dd)) seen.add(dd);
            }
            dayCount = Math.max(1, seen.size);
          }
        }
        if (dayCount >= minDays) outPartners.push(j);
      }
      s = e;
    }
    offsets[i + 1] = outPartners.length;
  }
  return {
    nPersons,
    offsets,
    partners: Int32Array.from(outPartners),
    weights: options.mode === 'weighted' ? Float64Array.from(outWeights) : null,
  };
}
