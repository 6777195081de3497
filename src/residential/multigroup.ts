/**
 * Multigroup residential segregation and diversity indices on a units x groups count matrix.
 * Notation: n_ik counts, t_i = sum_k n_ik, T = sum_i t_i, p_ik = n_ik / t_i (0 for an empty unit, which
 * then carries no weight), P_k = N_k / T, I = sum_k P_k (1 - P_k) (Simpson's interaction). Definitions
 * follow Reardon & Firebaugh (2002), "Measures of multigroup segregation", Sociological Methodology
 * 32: 33-67, and agree with pysal/segregation (checked against its Sacramento tests, EXPECTED.md).
 * Groups absent from the whole region are dropped first (K = groups present); with fewer than two groups
 * present the segregation indices are NaN.
 */
import type { CountMatrix } from './composition.js';
import { dropAbsentGroups, groupTotals, unitTotals } from './composition.js';
import { divergenceIndex, regionalProportions } from './divergence.js';
import { shannonEntropy, type LogBase } from './log-base.js';
import { sumWeightedAbsoluteDifferences } from './single-group.js';

interface Prepared {
  m: CountMatrix;
  t: Float64Array;
  T: number;
  P: Float64Array;
  K: number;
}

function prepare(matrix: CountMatrix): Prepared {
  const m = dropAbsentGroups(matrix).matrix;
  const t = unitTotals(m);
  const P = regionalProportions(m);
  let T = 0;
  for (let i = 0; i < t.length; i++) T += t[i];
  return { m, t, T, P, K: m.nGroups };
}

function simpson(P: Float64Array): number {
  let s = 0;
  for (let k = 0; k < P.length; k++) s += P[k] * (1 - P[k]);
  return s;
}

/** sum_i sum_k t_i f(p_ik - P_k, k), the common core of the squared-deviation indices. */
function weightedSquaredDeviation(d: Prepared, scale: (k: number) => number): number {
  const { m, t, P, K } = d;
  let s = 0;
  for (let i = 0; i < m.nUnits; i++) {
    if (!(t[i] > 0)) continue;
    for (let k = 0; k < K; k++) {
      const dev = m.counts[i * K + k] / t[i] - P[k];
      s += t[i] * dev * dev * scale(k);
    }
  }
  return s;
}

/**
 * Multigroup dissimilarity D = sum_i sum_k t_i |p_ik - P_k| / (2 T I) (Sakoda 1981, "A generalized index
 * of dissimilarity", Demography 18(2); Reardon & Firebaugh 2002).
 */
export function multigroupDissimilarity(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  let s = 0;
  for (let i = 0; i < d.m.nUnits; i++) {
    if (!(d.t[i] > 0)) continue;
    for (let k = 0; k < d.K; k++) s += d.t[i] * Math.abs(d.m.counts[i * d.K + k] / d.t[i] - d.P[k]);
  }
  return s / (2 * d.T * simpson(d.P));
}

/**
 * Multigroup Gini G = sum_k sum_i sum_j t_i t_j |p_ik - p_jk| / (2 T^2 I) (Reardon & Firebaugh 2002)
 * in O(K n log n).
 */
export function multigroupGini(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  const p = new Float64Array(d.m.nUnits);
  let s = 0;
  for (let k = 0; k < d.K; k++) {
    for (let i = 0; i < d.m.nUnits; i++) p[i] = d.t[i] > 0 ? d.m.counts[i * d.K + k] / d.t[i] : 0;
    s += sumWeightedAbsoluteDifferences(p, d.t);
  }
  return s / (2 * d.T * d.T * simpson(d.P));
}

/**
 * Mutual information index M = sum_i (t_i / T) sum_k p_ik log_b(p_ik / P_k) (Theil & Finizza 1971; Mora &
 * Ruiz-Castillo 2011), identical to Roberto's summed divergence index. Depends on the log base.
 */
export function mutualInformation(matrix: CountMatrix, base: LogBase = Math.E): number {
  return divergenceIndex(dropAbsentGroups(matrix).matrix, base);
}

/**
 * Multigroup Theil information index H = M / E, E = -sum_k P_k log P_k (Theil & Finizza 1971; Reardon &
 * Firebaugh 2002): the share of the region's diversity that lies between units. Base-free.
 */
export function multigroupTheilH(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  return divergenceIndex(d.m) / shannonEntropy(d.P);
}

/** Diversity (entropy) of the whole region E = -sum_k P_k log_b P_k (Theil 1972). */
export function diversity(matrix: CountMatrix, base: LogBase = Math.E): number {
  const g = groupTotals(matrix);
  if (!(g.some((v) => v > 0))) return NaN;
  return shannonEntropy(regionalProportions(matrix), base);
}

/** Normalised diversity E / ln K in [0, 1], K = groups present (pysal's `normalized=True`). Base-free. */
export function normalisedDiversity(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return d.K === 1 ? 0 : NaN;
  return shannonEntropy(d.P) / Math.log(d.K);
}

/** Simpson's concentration lambda = sum_k P_k^2: the chance two random residents share a group (Simpson 1949). */
export function simpsonConcentration(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (!(d.T > 0)) return NaN;
  let s = 0;
  for (let k = 0; k < d.K; k++) s += d.P[k] * d.P[k];
  return s;
}

/** Simpson's interaction I = sum_k P_k (1 - P_k) = 1 - lambda (Reardon & Firebaugh 2002). */
export function simpsonInteraction(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (!(d.T > 0)) return NaN;
  return simpson(d.P);
}

/**
 * Normalised exposure P = sum_i sum_k t_i (p_ik - P_k)^2 / ((1 - P_k) T) (James 1986; Reardon &
 * Firebaugh 2002).
 */
export function normalisedExposure(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  return weightedSquaredDeviation(d, (k) => 1 / (1 - d.P[k])) / d.T;
}

/**
 * Relative diversity R = sum_i sum_k t_i (p_ik - P_k)^2 / (T I) (Carlson 1992; Reardon & Firebaugh
 * 2002).
 */
export function relativeDiversity(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  return weightedSquaredDeviation(d, () => 1) / (d.T * simpson(d.P));
}

/**
 * Squared coefficient of variation C = sum_i sum_k t_i (p_ik - P_k)^2 / ((K - 1) T P_k) (Reardon &
 * Firebaugh 2002).
 */
export function squaredCoefficientOfVariation(matrix: CountMatrix): number {
  const d = prepare(matrix);
  if (d.K < 2) return NaN;
  return weightedSquaredDeviation(d, (k) => 1 / d.P[k]) / ((d.K - 1) * d.T);
}
