/**
 * Residential indices per area from a mobility run's persons (home tract + SES), and the comparison of
 * each residential index with exposure segregation (ES) and the bridging index (BI) across areas
 * (SPEC section 7: "how far everyday exposure differs from where people sleep").
 */
import { countPersons, sesQuantileGroups } from './composition.js';
import { dissimilarity, isolation } from './single-group.js';
import { multigroupDissimilarity, multigroupTheilH, mutualInformation } from './multigroup.js';
import { neighbourhoodSortingIndex } from './nsi.js';
import type { LogBase } from './log-base.js';
import { pearson, spearman } from '../math/stats.js';
import { columnTable, type ColumnTable } from '../io/column-table.js';

export interface AreaResidentialInput {
  /** area of each person in [0, nAreas), -1 = none */
  areaOfPerson: Int32Array;
  nAreas: number;
  /** home tract of each person in [0, nTracts), -1 = unknown (the person is left out) */
  tractOfPerson: Int32Array;
  nTracts: number;
  /** SES of each person (non-finite: left out) */
  ses: Float64Array;
  /** the median splitting low from high per area; default the median (type 7) of the area's persons
   * used here. Pass the ES/BI median of SPEC section 4 to use exactly BI's split. */
  areaMedian?: Float64Array;
  /** log base of the divergence index (default e) */
  base?: LogBase;
}

export interface AreaResidentialIndices {
  /** index names, one per entry of `values` */
  names: string[];
  /** one Float64Array per index, length nAreas (NaN: area without persons) */
  values: Float64Array[];
  /** persons used per area (with a tract and finite SES) */
  nPersons: Float64Array;
  /** distinct home tracts per area */
  nTracts: Float64Array;
}

/** Names of the per-area residential indices, in output order. */
export const AREA_RESIDENTIAL_INDEX_NAMES = [
  'res_dissimilarity_low',
  'res_isolation_low',
  'res_multigroup_dissimilarity_q4',
  'res_theil_h_q4',
  'res_divergence_q4',
  'res_nsi',
] as const;

/**
 * Per area, over the area's persons with a home tract and a finite SES (tracts as units):
 *  - res_dissimilarity_low, res_isolation_low: dissimilarity and isolation of the low group of the
 *    median split (low: ses < area median, as BI in SPEC section 4) against the area's persons;
 *  - res_multigroup_dissimilarity_q4, res_theil_h_q4, res_divergence_q4: multigroup dissimilarity,
 *    Theil's H and Roberto's divergence (= M) over the area's SES quartiles (cut at type-7 quantiles;
 *    ses at a cut goes up);
 *  - res_nsi: Jargowsky's neighbourhood sorting index on continuous SES by home tract.
 * O(persons log persons) overall: persons are bucketed by area, tracts renumbered per area.
 */
export function residentialIndicesByArea(input: AreaResidentialInput): AreaResidentialIndices {
  const { areaOfPerson, nAreas, tractOfPerson, nTracts, ses } = input;
  const nP = areaOfPerson.length;
  if (tractOfPerson.length !== nP || ses.length !== nP) throw new RangeError('residentialIndicesByArea: areaOfPerson, tractOfPerson and ses differ in length');
  // bucket persons by area (counting sort)
  const start = new Int32Array(nAreas + 1);
  const usable = (p: number) => areaOfPerson[p] >= 0 && areaOfPerson[p] < nAreas && tractOfPerson[p] >= 0 && tractOfPerson[p] < nTracts && Number.isFinite(ses[p]);
  for (let p = 0; p < nP; p++) if (usable(p)) start[areaOfPerson[p] + 1]++;
  for (let a = 0; a < nAreas; a++) start[a + 1] += start[a];
  const order = new Int32Array(start[nAreas]);
  const fill = start.slice(0, nAreas);
  for (let p = 0; p < nP; p++) if (usable(p)) order[fill[areaOfPerson[p]]++] = p;

  const values = AREA_RESIDENTIAL_INDEX_NAMES.map(() => new Float64Array(nAreas).fill(NaN));
  const nPersons = new Float64Array(nAreas);
  const nTractsOut = new Float64Array(nAreas);
  const localTract = new Int32Array(nTracts).fill(-1);
  for (let a = 0; a < nAreas; a++) {
    const n = start[a + 1] - start[a];
    nPersons[a] = n;
    if (n === 0) continue;
    const members = order.subarray(start[a], start[a + 1]);
    const unitOf = new Int32Array(n);
    const areaSes = new Float64Array(n);
    let nLocal = 0;
    for (let j = 0; j < n; j++) {
      const p = members[j];
      const t = tractOfPerson[p];
      if (localTract[t] < 0) localTract[t] = nLocal++;
      unitOf[j] = localTract[t];
      areaSes[j] = ses[p];
    }
    for (let j = 0; j < n; j++) localTract[tractOfPerson[members[j]]] = -1;
    nTractsOut[a] = nLocal;

    const m = input.areaMedian ? input.areaMedian[a] : NaN;
    const split = Number.isFinite(m) ? Int32Array.from(areaSes, (s) => (s < m ? 0 : 1)) : sesQuantileGroups(areaSes, 2).groups;
    const two = countPersons(unitOf, nLocal, split, 2);
    const low = new Float64Array(nLocal);
    const tot = new Float64Array(nLocal);
    for (let i = 0; i < nLocal; i++) {
      low[i] = two.counts[i * 2];
      tot[i] = two.counts[i * 2] + two.counts[i * 2 + 1];
    }
    values[0][a] = dissimilarity(low, tot);
    values[1][a] = isolation(low, tot);
    const quart = countPersons(unitOf, nLocal, sesQuantileGroups(areaSes, 4).groups, 4);
    values[2][a] = multigroupDissimilarity(quart);
    values[3][a] = multigroupTheilH(quart);
    values[4][a] = mutualInformation(quart, input.base ?? Math.E);
    values[5][a] = neighbourhoodSortingIndex(areaSes, unitOf, nLocal);
  }
  return { names: [...AREA_RESIDENTIAL_INDEX_NAMES], values, nPersons, nTracts: nTractsOut };
}

/** correlationSkippingNaN, with NaN correlations over fewer than MIN_AREAS_FOR_CORRELATION areas. */
function reportedCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): { n: number; pearson: number; spearman: number } {
  const c = correlationSkippingNaN(x, y);
  return c.n >= MIN_AREAS_FOR_CORRELATION ? c : { n: c.n, pearson: NaN, spearman: NaN };
}

/** Pearson and Spearman correlation over the pairs where both values are finite, and their number. */
export function correlationSkippingNaN(x: ArrayLike<number>, y: ArrayLike<number>): { n: number; pearson: number; spearman: number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i]) && Number.isFinite(y[i])) {
      xs.push(x[i]);
      ys.push(y[i]);
    }
  }
  return { n: xs.length, pearson: pearson(xs, ys), spearman: spearman(xs, ys) };
}

/**
 * Fewest areas for which comparison.csv reports a correlation: over 2 areas r is always +-1, and over 3
 * or 4 a single area decides its sign; below this n the correlations are left empty.
 */
export const MIN_AREAS_FOR_CORRELATION = 5;

/**
 * comparison.csv: one row per residential index with its correlation across areas with ES and with BI
 * (Pearson r, Spearman rho on average ranks, and n, the areas where both are finite; empty below
 * MIN_AREAS_FOR_CORRELATION areas). Columns: index, n_es, pearson_es, spearman_es, n_bi, pearson_bi,
 * spearman_bi.
 */
export function comparisonTable(es: Float64Array, bi: Float64Array, indices: { names: readonly string[]; values: readonly Float64Array[] }): ColumnTable {
  const k = indices.names.length;
  const cols = {
    n_es: new Int32Array(k),
    pearson_es: new Float64Array(k),
    spearman_es: new Float64Array(k),
    n_bi: new Int32Array(k),
    pearson_bi: new Float64Array(k),
    spearman_bi: new Float64Array(k),
  };
  for (let j = 0; j < k; j++) {
    const v = indices.values[j];
    if (v.length !== es.length || v.length !== bi.length) throw new RangeError(`comparisonTable: index ${indices.names[j]} has ${v.length} areas, ES ${es.length}, BI ${bi.length}`);
    const e = reportedCorrelation(v, es);
    const b = reportedCorrelation(v, bi);
    cols.n_es[j] = e.n;
    cols.pearson_es[j] = e.pearson;
    cols.spearman_es[j] = e.spearman;
    cols.n_bi[j] = b.n;
    cols.pearson_bi[j] = b.pearson;
    cols.spearman_bi[j] = b.spearman;
  }
  return columnTable([
    { name: 'index', values: [...indices.names] },
    ...Object.entries(cols).map(([name, values]) => ({ name, values })),
  ]);
}
