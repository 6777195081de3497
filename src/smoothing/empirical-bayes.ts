/**
 * Empirical-Bayes shrinkage of county estimates toward their group mean (state or MSA), the model-based
 * alternative to the k-nearest smoother (SPEC section 6).
 *
 * Model (normal-normal, Morris 1983 "Parametric empirical Bayes inference", JASA 78:47-55): within group g,
 * the raw estimate y_i = theta_i + e_i with sampling noise e_i ~ N(0, v_i) (v_i = bootstrap variance,
 * es_se^2) and true values theta_i ~ N(mu_g, tau2_g). Method-of-moments between-county ("signal")
 * variance, as in Chetty & Hendren (2018, QJE 133:1163-1228, Online Appendix: signal variance = variance
 * of the estimates minus the mean squared standard error):
 *
 *   mu_g   = mean(y_i : i in g)
 *   tau2_g = max(0, sum_i (y_i - mu_g)^2 / (n_g - 1) - mean(v_i : i in g))
 *   r_i    = tau2_g / (tau2_g + v_i)                     (reliability; r_i = 1 when v_i = 0)
 *   shrunk_i = mu_g + r_i (y_i - mu_g)                   (posterior mean of theta_i)
 *
 * Groups with fewer than two estimates carry no between-county information: their counties keep y_i
 * (r_i = 1) and are listed in `unshrunkGroups`.
 */
import { roundDecimal } from './knn.js';

export interface EmpiricalBayesInput {
  /** Raw estimates; NaN = no estimate (ignored, NaN out). */
  readonly raw: Float64Array | ArrayLike<number>;
  /** Sampling variance of each estimate (e.g. the bootstrap standard error squared). Must be finite >= 0 where raw is finite. */
  readonly variance: Float64Array | ArrayLike<number>;
  /** Group code of each county (e.g. the state, floor(fips / 1000), from {@link stateOfFips}). */
  readonly group: Int32Array | ArrayLike<number>;
  /** Decimals to round the shrunk values to (default 3, like the published smoothed column); null = none. */
  readonly round?: number | null;
}

export interface EmpiricalBayesGroup {
  readonly group: number;
  /** Counties with an estimate in the group. */
  readonly n: number;
  readonly mean: number;
  /** Method-of-moments between-county variance, truncated at 0 (NaN when n < 2). */
  readonly tau2: number;
}

export interface EmpiricalBayesResult {
  /** Shrunk estimates (NaN where raw is NaN). */
  readonly smoothed: Float64Array;
  /** r_i = tau2 / (tau2 + v_i), the weight kept on the county's own estimate (NaN where raw is NaN). */
  readonly reliability: Float64Array;
  readonly groups: readonly EmpiricalBayesGroup[];
  /** Groups with a single estimate, left unshrunk. */
  readonly unshrunkGroups: readonly number[];
}

/** The state of a county: its FIPS code without the last three digits, floor(fips / 1000). */
export function stateOfFips(fips: ArrayLike<number>): Int32Array {
  return Int32Array.from(fips as ArrayLike<number>, (f) => Math.floor(f / 1000));
}

/**
 * Empirical-Bayes shrinkage toward the group mean with a method-of-moments signal variance
 * (formulas in the module comment; Morris 1983, Chetty & Hendren 2018):
 * shrunk_i = mu_g + tau2_g / (tau2_g + v_i) * (y_i - mu_g).
 */
export function shrinkEmpiricalBayes(input: EmpiricalBayesInput): EmpiricalBayesResult {
  const { raw, variance, group } = input;
  const decimals = input.round === undefined ? 3 : input.round;
  const n = raw.length;
  if (variance.length !== n || group.length !== n) {
    throw new RangeError(`shrinkEmpiricalBayes: lengths differ (raw ${n}, variance ${variance.length}, group ${group.length})`);
  }
  for (let i = 0; i < n; i++) {
    if (Number.isFinite(raw[i]) && !(Number.isFinite(variance[i]) && variance[i] >= 0)) {
      throw new RangeError(`shrinkEmpiricalBayes: row ${i + 1} has an estimate but its variance is ${variance[i]}`);
    }
  }
  // Pass 1: group sums for the means; pass 2: squared deviations and mean variance.
  const stats = new Map<number, { n: number; sum: number; ss: number; sumV: number }>();
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(raw[i])) continue;
    let s = stats.get(group[i]);
    if (!s) stats.set(group[i], (s = { n: 0, sum: 0, ss: 0, sumV: 0 }));
    s.n++;
    s.sum += raw[i];
    s.sumV += variance[i];
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(raw[i])) continue;
    const s = stats.get(group[i])!;
    const d = raw[i] - s.sum / s.n;
    s.ss += d * d;
  }
  const groups: EmpiricalBayesGroup[] = [];
  const tau2Of = new Map<number, number>();
  const unshrunkGroups: number[] = [];
  for (const [g, s] of [...stats].sort((a, b) => a[0] - b[0])) {
    const tau2 = s.n < 2 ? NaN : Math.max(0, s.ss / (s.n - 1) - s.sumV / s.n);
    if (s.n < 2) unshrunkGroups.push(g);
    tau2Of.set(g, tau2);
    groups.push({ group: g, n: s.n, mean: s.sum / s.n, tau2 });
  }
  const smoothed = new Float64Array(n).fill(NaN);
  const reliability = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(raw[i])) continue;
    const s = stats.get(group[i])!;
    const tau2 = tau2Of.get(group[i])!;
    const mu = s.sum / s.n;
    const r = Number.isNaN(tau2) || variance[i] === 0 ? 1 : tau2 / (tau2 + variance[i]);
    const value = mu + r * (raw[i] - mu);
    reliability[i] = r;
    smoothed[i] = decimals === null ? value : roundDecimal(value, decimals);
  }
  return { smoothed, reliability, groups, unshrunkGroups };
}
