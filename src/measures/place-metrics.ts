/**
 * Per-place metrics from the bipartite person-place graph (SPEC section 5): visitors, visits, mean and
 * sd of visitor SES, SES entropy over deciles, and Moro et al.'s place segregation over SES quartiles.
 *
 * Reference distribution. Deciles and quartiles are cut on the SES of the persons of the place's area
 * (its MSA): the place's own `msa` when the places table gives one that persons also live in, else the
 * modal home MSA of its distinct visitors (see `assignPlaceAreas`). An area with no resident persons
 * (or a place with no area at all) uses all persons. Every visitor of a place, wherever they live, is
 * classed against the cuts of the place's area.
 *
 * Classes. With type-7 quantiles c_1 <= ... <= c_{K-1} at k / K (R's default, `quantileSorted`), a
 * value v is in class #{k : v >= c_k} (0-based): a value equal to a cut goes up, the convention of the
 * bridging index (high if ses >= median). Ties in SES can make classes unequal in size.
 *
 * All functions are pure, on the CSR arrays of `BipartiteGraph`, O(visits) with stamp arrays (no
 * per-place objects).
 */
import type { BipartiteGraph } from '../graph/bipartite.js';
import { columnTable, type Column, type ColumnTable } from '../io/column-table.js';
import { quantileSorted } from '../math/stats.js';

/** Number of SES classes for the entropy (deciles) and for Moro's segregation (quartiles). */
export const ENTROPY_CLASSES = 10;
export const SEGREGATION_CLASSES = 4;

export interface PlaceAreaAssignment {
  /** area of each place (index into the caller's area labels), -1 = none */
  area: Int32Array;
  /** 1 where the area was taken from the visitors (the place had no usable area of its own) */
  fromVisitors: Uint8Array;
}

/**
 * The area of every place: `placeArea[q]` when given and >= 0 and the area has at least one resident
 * person (`personArea`), else the modal area of the place's distinct visitors (ties: the smallest area
 * index, i.e. the first label in sorted order), else -1 (no visitor has an area).
 */
export function assignPlaceAreas(g: BipartiteGraph, personArea: Int32Array, nAreas: number, placeArea: Int32Array | null): PlaceAreaAssignment {
  const residents = new Int32Array(nAreas);
  for (let i = 0; i < personArea.length; i++) if (personArea[i] >= 0) residents[personArea[i]]++;
  const area = new Int32Array(g.nPlaces).fill(-1);
  const fromVisitors = new Uint8Array(g.nPlaces);
  const seen = new Int32Array(g.nPersons).fill(-1);
  const votes = new Int32Array(nAreas);
  const touched: number[] = [];
  for (let q = 0; q < g.nPlaces; q++) {
    if (placeArea && placeArea[q] >= 0 && residents[placeArea[q]] > 0) {
      area[q] = placeArea[q];
      continue;
    }
    touched.length = 0;
    for (let r = g.placeOffsets[q]; r < g.placeOffsets[q + 1]; r++) {
      const i = g.placePerson[r];
      if (seen[i] === q) continue;
      seen[i] = q;
      const a = personArea[i];
      if (a < 0) continue;
      if (votes[a]++ === 0) touched.push(a);
    }
    let best = -1;
    for (const a of touched) if (best < 0 || votes[a] > votes[best] || (votes[a] === votes[best] && a < best)) best = a;
    for (const a of touched) votes[a] = 0;
    area[q] = best;
    fromVisitors[q] = best >= 0 ? 1 : 0;
  }
  return { area, fromVisitors };
}

/**
 * Class cut points per area: row a (a = 0 .. nAreas - 1) holds the nClasses - 1 type-7 quantiles of the
 * SES of the persons with personArea = a, at probabilities k / nClasses (k = 1 .. nClasses - 1); row
 * nAreas holds those of all persons and is also used for an area without residents.
 * Returns a flat Float64Array of (nAreas + 1) * (nClasses - 1) values.
 */
export function areaClassCuts(ses: Float64Array, personArea: Int32Array, nAreas: number, nClasses: number): Float64Array {
  const nCuts = nClasses - 1;
  const cuts = new Float64Array((nAreas + 1) * nCuts);
  const offsets = new Int32Array(nAreas + 1);
  for (let i = 0; i < personArea.length; i++) if (personArea[i] >= 0) offsets[personArea[i] + 1]++;
  for (let a = 0; a < nAreas; a++) offsets[a + 1] += offsets[a];
  const cursor = offsets.slice(0, nAreas);
  const byArea = new Float64Array(offsets[nAreas]);
  for (let i = 0; i < personArea.length; i++) if (personArea[i] >= 0) byArea[cursor[personArea[i]]++] = ses[i];
  const all = Float64Array.from(ses).sort();
  const fill = (row: number, sorted: Float64Array): void => {
    for (let k = 1; k <= nCuts; k++) cuts[row * nCuts + k - 1] = quantileSorted(sorted, k / nClasses);
  };
  for (let a = 0; a < nAreas; a++) {
    const values = byArea.subarray(offsets[a], offsets[a + 1]);
    fill(a, values.length > 0 ? values.sort() : all);
  }
  fill(nAreas, all);
  return cuts;
}

/** Class of value v against the cuts row `row` (nCuts values): #{k : v >= cut_k}, 0 .. nCuts. */
export function classOf(v: number, cuts: Float64Array, row: number, nCuts: number): number {
  let c = 0;
  const base = row * nCuts;
  while (c < nCuts && v >= cuts[base + c]) c++;
  return c;
}

/**
 * Shannon entropy H = -sum_k p_k ln p_k (natural log, 0 ln 0 = 0) of a distribution given as counts
 * (p_k = counts_k / sum counts). NaN when the counts sum to 0. Shannon (1948).
 */
export function shannonEntropy(counts: ArrayLike<number>): number {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  if (!(total > 0)) return NaN;
  let h = 0;
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] > 0) {
      const p = counts[k] / total;
      h -= p * Math.log(p);
    }
  }
  return h;
}

/**
 * Moro et al.'s place segregation (Moro, Calacci, Dong & Pentland, "Mobility patterns are associated
 * with experienced income segregation in large US cities", Nature Communications 12, 4633, 2021):
 *   S = (2/3) sum_{q=1..4} |tau_q - 1/4|
 * with tau_q the share of the place's visit time spent by persons of SES quartile q. S = 0 when the four
 * quartiles share the time equally, 1 when one quartile has all of it. For K classes the same
 * normalisation (the maximum of sum |tau - 1/K| is 2 (K - 1) / K) gives S = K / (2 (K - 1)) sum_k
 * |tau_k - 1/K|, which is (2/3) sum for K = 4. NaN when the shares are NaN (no visit time).
 */
export function moroSegregation(shares: ArrayLike<number>): number {
  const K = shares.length;
  let s = 0;
  for (let k = 0; k < K; k++) s += Math.abs(shares[k] - 1 / K);
  return (K / (2 * (K - 1))) * s;
}

export interface PlaceVisitorSes {
  /** distinct persons who visited the place */
  visitors: Int32Array;
  /** visit records at the place */
  visits: Int32Array;
  /** mean SES over distinct visitors (NaN without visitors) */
  sesMean: Float64Array;
  /** sample sd (n - 1) of SES over distinct visitors (NaN with fewer than 2) */
  sesSd: Float64Array;
}

/**
 * Visitors, visits and the mean and sample sd (n - 1 denominator, two passes) of the SES of each
 * place's distinct visitors: mean = sum ses_i / n, sd = sqrt(sum (ses_i - mean)^2 / (n - 1)).
 */
export function placeVisitorSes(g: BipartiteGraph, ses: Float64Array): PlaceVisitorSes {
  const visitors = new Int32Array(g.nPlaces);
  const visits = new Int32Array(g.nPlaces);
  const sesMean = new Float64Array(g.nPlaces);
  const sesSd = new Float64Array(g.nPlaces);
  const seen = new Int32Array(g.nPersons).fill(-1);
  for (let q = 0; q < g.nPlaces; q++) {
    const from = g.placeOffsets[q];
    const to = g.placeOffsets[q + 1];
    visits[q] = to - from;
    let n = 0;
    let sum = 0;
    for (let r = from; r < to; r++) {
      const i = g.placePerson[r];
      if (seen[i] === q) continue;
      seen[i] = q;
      n++;
      sum += ses[i];
    }
    visitors[q] = n;
    const m = n > 0 ? sum / n : NaN;
    sesMean[q] = m;
    if (n < 2) {
      sesSd[q] = NaN;
      continue;
    }
    // second pass over the same distinct visitors: mark them with -(q + 2) to see each once again
    let ss = 0;
    for (let r = from; r < to; r++) {
      const i = g.placePerson[r];
      if (seen[i] !== q) continue;
      seen[i] = -(q + 2);
      const d = ses[i] - m;
      ss += d * d;
    }
    sesSd[q] = Math.sqrt(ss / (n - 1));
  }
  return { visitors, visits, sesMean, sesSd };
}

/**
 * SES entropy of each place: the Shannon entropy (natural log) of its distinct visitors' distribution
 * over the nClasses SES classes (deciles by default) of the place's area, and the same divided by
 * ln(nClasses) (0 = all visitors in one class, 1 = visitors spread evenly). NaN without visitors.
 * `cuts` from `areaClassCuts(..., nClasses)`; placeArea -1 uses the all-persons row.
 */
export function placeClassEntropy(g: BipartiteGraph, ses: Float64Array, placeArea: Int32Array, cuts: Float64Array, nClasses: number): { entropy: Float64Array; normalised: Float64Array } {
  const nCuts = nClasses - 1;
  const allRow = cuts.length / nCuts - 1;
  const entropy = new Float64Array(g.nPlaces);
  const normalised = new Float64Array(g.nPlaces);
  const seen = new Int32Array(g.nPersons).fill(-1);
  const counts = new Float64Array(nClasses);
  const lnK = Math.log(nClasses);
  for (let q = 0; q < g.nPlaces; q++) {
    counts.fill(0);
    const row = placeArea[q] >= 0 ? placeArea[q] : allRow;
    for (let r = g.placeOffsets[q]; r < g.placeOffsets[q + 1]; r++) {
      const i = g.placePerson[r];
      if (seen[i] === q) continue;
      seen[i] = q;
      counts[classOf(ses[i], cuts, row, nCuts)]++;
    }
    const h = shannonEntropy(counts);
    entropy[q] = h;
    normalised[q] = h / lnK;
  }
  return { entropy, normalised };
}

/**
 * Share of each place's visit time by SES class of the visitor (quartiles by default, against the
 * place's area): tau_{q,k} = sum of visit time of class-k visitors / total visit time at q. The visit
 * time of a record is end - start in seconds; a record without an end counts one bin (`binSeconds`),
 * the time SPEC section 2 gives it. Returns nPlaces * nClasses shares, row-major (NaN rows for places
 * with no visit time).
 */
export function placeClassTimeShares(g: BipartiteGraph, ses: Float64Array, placeArea: Int32Array, cuts: Float64Array, nClasses: number, binSeconds: number): Float64Array {
  const nCuts = nClasses - 1;
  const allRow = cuts.length / nCuts - 1;
  const shares = new Float64Array(g.nPlaces * nClasses);
  for (let q = 0; q < g.nPlaces; q++) {
    const row = placeArea[q] >= 0 ? placeArea[q] : allRow;
    const base = q * nClasses;
    let total = 0;
    for (let r = g.placeOffsets[q]; r < g.placeOffsets[q + 1]; r++) {
      const end = g.placeTimes[2 * r + 1];
      const t = Number.isNaN(end) ? binSeconds : end - g.placeTimes[2 * r];
      shares[base + classOf(ses[g.placePerson[r]], cuts, row, nCuts)] += t;
      total += t;
    }
    for (let k = 0; k < nClasses; k++) shares[base + k] = total > 0 ? shares[base + k] / total : NaN;
  }
  return shares;
}

export interface PlaceMetrics extends PlaceVisitorSes {
  /** Shannon entropy (ln) over SES deciles of distinct visitors */
  sesEntropy: Float64Array;
  /** sesEntropy / ln 10 */
  sesEntropyNormalised: Float64Array;
  /** Moro et al. 2021 S over SES quartiles of visit time */
  segregation: Float64Array;
  /** visit-time shares of quartiles 1..4, nPlaces * 4 row-major */
  quartileTimeShares: Float64Array;
}

/**
 * All per-place metrics. `placeArea` from `assignPlaceAreas`; `personArea` and `nAreas` define the
 * reference distribution of each area (persons with area -1 only enter the all-persons row).
 */
export function placeMetrics(g: BipartiteGraph, ses: Float64Array, personArea: Int32Array, nAreas: number, placeArea: Int32Array, binSeconds: number): PlaceMetrics {
  const base = placeVisitorSes(g, ses);
  const deciles = areaClassCuts(ses, personArea, nAreas, ENTROPY_CLASSES);
  const { entropy, normalised } = placeClassEntropy(g, ses, placeArea, deciles, ENTROPY_CLASSES);
  const quartiles = areaClassCuts(ses, personArea, nAreas, SEGREGATION_CLASSES);
  const shares = placeClassTimeShares(g, ses, placeArea, quartiles, SEGREGATION_CLASSES, binSeconds);
  const segregation = new Float64Array(g.nPlaces);
  for (let q = 0; q < g.nPlaces; q++) segregation[q] = moroSegregation(shares.subarray(q * SEGREGATION_CLASSES, (q + 1) * SEGREGATION_CLASSES));
  return { ...base, sesEntropy: entropy, sesEntropyNormalised: normalised, segregation, quartileTimeShares: shares };
}

export interface PlaceTableLabels {
  /** place ids in dense order (numbers when all ids are integers) */
  ids: Float64Array | string[];
  /** category per place (null = missing), when the places table has one */
  category?: Array<string | null> | null;
  /** the area (MSA) used for each place (null = none) and where it came from, when there are areas */
  msa?: Array<string | null> | null;
  msaSource?: Array<string | null> | null;
}

/**
 * The places.csv table: place_id, category and msa (+ msa_source) when present, then visitors, visits,
 * ses_mean, ses_sd, ses_entropy, ses_entropy_norm, segregation, time_share_q1..q4, then `extra`
 * columns (e.g. community and participation from the communities stage).
 */
export function placeMetricsTable(labels: PlaceTableLabels, m: PlaceMetrics, extra: Column[] = []): ColumnTable {
  const n = m.visitors.length;
  const share = (k: number): Float64Array => Float64Array.from({ length: n }, (_, q) => m.quartileTimeShares[q * SEGREGATION_CLASSES + k]);
  return columnTable([
    { name: 'place_id', values: labels.ids },
    ...(labels.category ? [{ name: 'category', values: labels.category }] : []),
    ...(labels.msa ? [{ name: 'msa', values: labels.msa }] : []),
    ...(labels.msa && labels.msaSource ? [{ name: 'msa_source', values: labels.msaSource }] : []),
    { name: 'visitors', values: m.visitors },
    { name: 'visits', values: m.visits },
    { name: 'ses_mean', values: m.sesMean },
    { name: 'ses_sd', values: m.sesSd },
    { name: 'ses_entropy', values: m.sesEntropy },
    { name: 'ses_entropy_norm', values: m.sesEntropyNormalised },
    { name: 'segregation', values: m.segregation },
    ...Array.from({ length: SEGREGATION_CLASSES }, (_, k) => ({ name: `time_share_q${k + 1}`, values: share(k) })),
    ...extra,
  ]);
}
