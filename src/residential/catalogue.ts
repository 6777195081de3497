/**
 * The catalogue of global residential indices computed for one composition (SPEC section 7): the
 * single-group indices of each focal group against the rest of its units, the multigroup indices over the
 * listed groups, and, with geometry, the spatial single-group indices. One evaluator computes them all
 * from a count matrix, so the inference (inference.ts) can recompute the same list on every replicate.
 *
 * Matrix layout: the K listed groups, optionally followed by one "rest" column (persons of the unit total
 * in none of the listed groups, e.g. TOT_POP - HISP_ - ...). Single-group indices compare group k with
 * t_i - n_ik where t_i is the row total including the rest (pysal's group vs total_pop); multigroup
 * indices use the K listed groups only (pysal's `groups=`).
 */
import type { CountMatrix } from './composition.js';
import { groupColumn, unitTotals } from './composition.js';
import type { LogBase } from './log-base.js';
import type { IndexEvaluator, SegregationDirection } from './inference.js';
import { atkinson, correlationRatio, dissimilarity, gini, interaction, isolation, theilEntropyIndex, wardCorrected } from './single-group.js';
import {
  diversity,
  multigroupDissimilarity,
  multigroupGini,
  multigroupTheilH,
  mutualInformation,
  normalisedDiversity,
  normalisedExposure,
  relativeDiversity,
  simpsonConcentration,
  simpsonInteraction,
  squaredCoefficientOfVariation,
} from './multigroup.js';
import { divergenceIndex } from './divergence.js';
import type { UnitGeometry } from './geometry.js';
import { absoluteCentralization, absoluteClustering, delta, proximityKernel, regionCentre, spatialProximity, type CentreMethod, type ProximityKernel } from './spatial.js';

export type IndexFamily = 'single-group' | 'multigroup' | 'spatial';

export interface IndexSpec {
  /** snake_case index name, e.g. "dissimilarity", "mutual_information" */
  name: string;
  family: IndexFamily;
  /** the focal group of a single-group or spatial index; null for multigroup */
  group: string | null;
  /** +1: larger is more segregated; -1: smaller is; 0: depends on composition only */
  direction: SegregationDirection;
  /** log base the value depends on, or null when base-free */
  logBase: LogBase | null;
}

export interface CatalogueOptions {
  /** log base of M, the divergence index and the entropy (default e) */
  base?: LogBase;
  /** groups (indices into groupNames) that get single-group rows; default all */
  focalGroups?: readonly number[];
  /** the matrix has a trailing rest column (see the module comment) */
  hasRestColumn?: boolean;
  /** unit areas and centroids, for the spatial indices */
  geometry?: UnitGeometry;
  /** centre for absolute centralization (default the mean of the centroids, as pysal) */
  centre?: CentreMethod | readonly [number, number];
  /** proximity kernel parameters for absolute clustering and spatial proximity (default 0.6, 0.5) */
  alpha?: number;
  beta?: number;
  /** Atkinson's b (default 0.5) */
  atkinsonB?: number;
  /** add the Cutler/Glaeser/Vigdor ward-to-tract corrected dissimilarity and isolation */
  wardCorrection?: boolean;
}

export interface IndexCatalogue {
  specs: IndexSpec[];
  /** values of all specs, in order; the matrix has the layout of the module comment */
  evaluate: IndexEvaluator;
  /** values of all specs for the K listed groups with single-group indices against a separate total
   * column t_i (which may overlap the groups, e.g. Hispanic of any race against race groups) */
  evaluateWithTotals: (m: CountMatrix, totals: Float64Array) => Float64Array;
}

interface Entry {
  spec: IndexSpec;
  value: (ctx: Context) => number;
}

interface Context {
  multi: CountMatrix;
  totals: Float64Array;
  column: (k: number) => Float64Array;
}

/** Build the catalogue for groups `groupNames` (see CatalogueOptions). */
export function indexCatalogue(groupNames: readonly string[], options: CatalogueOptions = {}): IndexCatalogue {
  const base = options.base ?? Math.E;
  const K = groupNames.length;
  const focal = options.focalGroups ?? groupNames.map((_, k) => k);
  const b = options.atkinsonB ?? 0.5;
  const entries: Entry[] = [];
  const add = (name: string, family: IndexFamily, group: string | null, direction: SegregationDirection, logBase: LogBase | null, value: (c: Context) => number) =>
    entries.push({ spec: { name, family, group, direction, logBase }, value });

  for (const k of focal) {
    const g = groupNames[k];
    add('dissimilarity', 'single-group', g, 1, null, (c) => dissimilarity(c.column(k), c.totals));
    add('isolation', 'single-group', g, 1, null, (c) => isolation(c.column(k), c.totals));
    add('interaction', 'single-group', g, -1, null, (c) => interaction(c.column(k), c.totals));
    add('atkinson', 'single-group', g, 1, null, (c) => atkinson(c.column(k), c.totals, b));
    add('gini', 'single-group', g, 1, null, (c) => gini(c.column(k), c.totals));
    add('theil_h', 'single-group', g, 1, null, (c) => theilEntropyIndex(c.column(k), c.totals));
    add('correlation_ratio', 'single-group', g, 1, null, (c) => correlationRatio(c.column(k), c.totals));
    if (options.wardCorrection) {
      add('dissimilarity_ward_corrected', 'single-group', g, 1, null, (c) => wardCorrected('dissimilarity', dissimilarity(c.column(k), c.totals)));
      add('isolation_ward_corrected', 'single-group', g, 1, null, (c) => wardCorrected('isolation', isolation(c.column(k), c.totals)));
    }
  }
  add('multigroup_dissimilarity', 'multigroup', null, 1, null, (c) => multigroupDissimilarity(c.multi));
  add('multigroup_gini', 'multigroup', null, 1, null, (c) => multigroupGini(c.multi));
  add('multigroup_theil_h', 'multigroup', null, 1, null, (c) => multigroupTheilH(c.multi));
  add('mutual_information', 'multigroup', null, 1, base, (c) => mutualInformation(c.multi, base));
  add('divergence_index', 'multigroup', null, 1, base, (c) => divergenceIndex(c.multi, base));
  add('normalised_exposure', 'multigroup', null, 1, null, (c) => normalisedExposure(c.multi));
  add('relative_diversity', 'multigroup', null, 1, null, (c) => relativeDiversity(c.multi));
  add('squared_coefficient_of_variation', 'multigroup', null, 1, null, (c) => squaredCoefficientOfVariation(c.multi));
  add('simpson_concentration', 'multigroup', null, 0, null, (c) => simpsonConcentration(c.multi));
  add('simpson_interaction', 'multigroup', null, 0, null, (c) => simpsonInteraction(c.multi));
  add('entropy', 'multigroup', null, 0, base, (c) => diversity(c.multi, base));
  add('entropy_normalised', 'multigroup', null, 0, null, (c) => normalisedDiversity(c.multi));

  const geometry = options.geometry;
  if (geometry) {
    let kernel: ProximityKernel | undefined;
    const getKernel = () => (kernel ??= proximityKernel(geometry, options.alpha ?? 0.6, options.beta ?? 0.5));
    for (const k of focal) {
      const g = groupNames[k];
      add('delta', 'spatial', g, 1, null, (c) => delta(c.column(k), geometry.area));
      add('absolute_centralization', 'spatial', g, 1, null, (c) => absoluteCentralization(c.column(k), geometry, regionCentre(geometry, c.totals, options.centre ?? 'mean')));
      add('absolute_clustering', 'spatial', g, 1, null, (c) => absoluteClustering(c.column(k), c.totals, getKernel()));
      add('spatial_proximity', 'spatial', g, 1, null, (c) => spatialProximity(c.column(k), c.totals, getKernel()));
    }
  }

  const run = (m: CountMatrix, multi: CountMatrix, totals: Float64Array): Float64Array => {
    const columns = new Map<number, Float64Array>();
    const ctx: Context = {
      multi,
      totals,
      column: (k) => {
        let c = columns.get(k);
        if (!c) columns.set(k, (c = groupColumn(m, k)));
        return c;
      },
    };
    return Float64Array.from(entries, (e) => e.value(ctx));
  };
  const evaluate = (m: CountMatrix): Float64Array => {
    const expected = K + (options.hasRestColumn ? 1 : 0);
    if (m.nGroups !== expected) throw new RangeError(`catalogue: matrix has ${m.nGroups} groups, expected ${expected}`);
    let multi: CountMatrix = m;
    if (options.hasRestColumn) {
      const counts = new Float64Array(m.nUnits * K);
      for (let i = 0; i < m.nUnits; i++) counts.set(m.counts.subarray(i * m.nGroups, i * m.nGroups + K), i * K);
      multi = { nUnits: m.nUnits, nGroups: K, counts };
    }
    return run(m, multi, unitTotals(m));
  };
  const evaluateWithTotals = (m: CountMatrix, totals: Float64Array): Float64Array => {
    if (m.nGroups !== K) throw new RangeError(`catalogue: matrix has ${m.nGroups} groups, expected ${K}`);
    return run(m, m, totals);
  };
  return { specs: entries.map((e) => e.spec), evaluate, evaluateWithTotals };
}

/**
 * The matrix with a trailing rest column r_i = max(0, t_i - sum_k n_ik) from a unit-total column. The
 * listed groups must be disjoint parts of the total: a unit whose groups add up to more than its total by
 * more than `tolerance` x t_i (default 1e-9; shares rounded to 4 decimals need the share tolerance) is
 * reported by id in the thrown RangeError's message.
 */
export function withRestColumn(m: CountMatrix, totals: Float64Array, unitIds?: readonly string[], tolerance = 1e-9): CountMatrix {
  const K = m.nGroups;
  const counts = new Float64Array(m.nUnits * (K + 1));
  const over: string[] = [];
  for (let i = 0; i < m.nUnits; i++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      counts[i * (K + 1) + k] = m.counts[i * K + k];
      s += m.counts[i * K + k];
    }
    let rest = totals[i] - s;
    if (rest < 0) {
      if (rest < -tolerance * Math.max(1, totals[i])) over.push(unitIds ? unitIds[i] : String(i));
      rest = 0;
    }
    counts[i * (K + 1) + K] = rest;
  }
  if (over.length) {
    throw new RangeError(`the listed groups add up to more than the unit total in unit${over.length === 1 ? '' : 's'} ${over.slice(0, 10).map((u) => `"${u}"`).join(', ')}${over.length > 10 ? ` (and ${over.length - 10} more)` : ''}: the groups overlap`);
  }
  return { nUnits: m.nUnits, nGroups: K + 1, counts };
}
