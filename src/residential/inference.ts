/**
 * Inference for residential indices from counts, seeded and reproducible (replicate r draws from its own
 * stream deriveSeed(seed, kind, r), so results do not depend on evaluation order).
 *
 *  - Permutation null (pysal/segregation's `person_permutation`: random allocation of persons to units):
 *    persons' group labels are shuffled across units, unit and group totals fixed, and every index is
 *    recomputed. One-sided p-value in the direction of more segregation,
 *    (1 + #{null at least as segregated}) / (R + 1) (Davison & Hinkley 1997, Bootstrap Methods and their
 *    Application, section 4.3; pysal reports #{null > observed} / R instead).
 *  - Bootstrap of counts (Elbers' R package `segregation`, `se = TRUE`): the N persons are redrawn as one
 *    multinomial over the unit x group cells with probabilities n_ik / N. With b_r the replicate values
 *    and est the estimate, the debiased replicates are 2 est - b_r; reported are their mean (the
 *    bias-corrected estimate), standard deviation (se), type-7 quantiles (CI) and bias = est - mean.
 */
import type { CountMatrix } from './composition.js';
import { hasIntegerCounts } from './composition.js';
import { createRng, deriveSeed } from '../math/random.js';
import { mean, deviation, quantileSorted } from '../math/stats.js';
import { multinomial, permuteLabels } from './sampling.js';

/** Values of a fixed list of indices for a count matrix. */
export type IndexEvaluator = (m: CountMatrix) => Float64Array;

/** Per index: +1 if larger values mean more segregation, -1 if smaller do, 0 if the index does not depend
 * on where persons live (composition-only, e.g. the region's entropy): no p-value. */
export type SegregationDirection = 1 | -1 | 0;

export interface PermutationResult {
  permutations: number;
  observed: Float64Array;
  pValue: Float64Array;
  nullMean: Float64Array;
  /** quantiles of the null distribution at (1 - level) / 2 and (1 + level) / 2 */
  nullLow: Float64Array;
  nullHigh: Float64Array;
}

function requireIntegers(m: CountMatrix, what: string): void {
  if (!hasIntegerCounts(m)) throw new RangeError(`${what} needs whole-number counts (round them first, e.g. roundCounts)`);
}

function collect(R: number, nIdx: number, draw: (r: number) => Float64Array): Float64Array[] {
  const perIndex = Array.from({ length: nIdx }, () => new Float64Array(R));
  for (let r = 0; r < R; r++) {
    const v = draw(r);
    for (let j = 0; j < nIdx; j++) perIndex[j][r] = v[j];
  }
  return perIndex;
}

function finiteSorted(v: Float64Array): Float64Array {
  return v.filter((x) => Number.isFinite(x)).sort();
}

/**
 * Permutation test of every index returned by `evaluate` (see the module comment). `direction[j]` says
 * which tail is "more segregated" for index j. Null values that are NaN are dropped for that index.
 */
export function permutationTest(
  m: CountMatrix,
  evaluate: IndexEvaluator,
  direction: readonly SegregationDirection[],
  options: { permutations: number; seed: number | string; level?: number; onProgress?: (done: number) => void },
): PermutationResult {
  requireIntegers(m, 'permutationTest');
  const R = options.permutations;
  const level = options.level ?? 0.95;
  const observed = evaluate(m);
  const nIdx = observed.length;
  const nulls = collect(R, nIdx, (r) => {
    const rng = createRng(deriveSeed(options.seed, 'permutation', r));
    const v = evaluate({ nUnits: m.nUnits, nGroups: m.nGroups, counts: permuteLabels(rng, m.counts, m.nUnits, m.nGroups) });
    options.onProgress?.(r + 1);
    return v;
  });
  const out: PermutationResult = {
    permutations: R,
    observed,
    pValue: new Float64Array(nIdx),
    nullMean: new Float64Array(nIdx),
    nullLow: new Float64Array(nIdx),
    nullHigh: new Float64Array(nIdx),
  };
  for (let j = 0; j < nIdx; j++) {
    const s = finiteSorted(nulls[j]);
    out.nullMean[j] = s.length ? mean(s) : NaN;
    out.nullLow[j] = quantileSorted(s, (1 - level) / 2);
    out.nullHigh[j] = quantileSorted(s, (1 + level) / 2);
    const obs = observed[j];
    if (direction[j] === 0 || !Number.isFinite(obs) || s.length === 0) {
      out.pValue[j] = NaN;
      continue;
    }
    const tol = 1e-12 * Math.max(1, Math.abs(obs));
    let extreme = 0;
    for (const v of s) if (direction[j] > 0 ? v >= obs - tol : v <= obs + tol) extreme++;
    out.pValue[j] = (1 + extreme) / (1 + s.length);
  }
  return out;
}

export interface BootstrapResult {
  replicates: number;
  estimate: Float64Array;
  /** mean of the debiased replicates 2 est - b_r */
  biasCorrected: Float64Array;
  /** standard deviation of the replicates (n - 1) */
  se: Float64Array;
  ciLow: Float64Array;
  ciHigh: Float64Array;
  /** est - biasCorrected (= mean(b_r) - est) */
  bias: Float64Array;
}

/**
 * Bootstrap of counts with Elbers' bias correction (see the module comment): each replicate redraws the
 * N = sum n_ik persons as Multinomial(N, n_ik / N) over the cells. Replicate values that are NaN are
 * dropped for that index.
 */
export function bootstrapCounts(
  m: CountMatrix,
  evaluate: IndexEvaluator,
  options: { replicates: number; seed: number | string; level?: number; onProgress?: (done: number) => void },
): BootstrapResult {
  requireIntegers(m, 'bootstrapCounts');
  const B = options.replicates;
  const level = options.level ?? 0.95;
  const estimate = evaluate(m);
  const nIdx = estimate.length;
  let N = 0;
  for (let c = 0; c < m.counts.length; c++) N += m.counts[c];
  const boots = collect(B, nIdx, (b) => {
    const rng = createRng(deriveSeed(options.seed, 'bootstrap', b));
    const v = evaluate({ nUnits: m.nUnits, nGroups: m.nGroups, counts: multinomial(rng, N, m.counts) });
    options.onProgress?.(b + 1);
    return v;
  });
  const out: BootstrapResult = {
    replicates: B,
    estimate,
    biasCorrected: new Float64Array(nIdx),
    se: new Float64Array(nIdx),
    ciLow: new Float64Array(nIdx),
    ciHigh: new Float64Array(nIdx),
    bias: new Float64Array(nIdx),
  };
  for (let j = 0; j < nIdx; j++) {
    const debiased = finiteSorted(boots[j].map((b) => 2 * estimate[j] - b));
    out.biasCorrected[j] = debiased.length ? mean(debiased) : NaN;
    out.se[j] = deviation(debiased);
    out.ciLow[j] = quantileSorted(debiased, (1 - level) / 2);
    out.ciHigh[j] = quantileSorted(debiased, (1 + level) / 2);
    out.bias[j] = estimate[j] - out.biasCorrected[j];
  }
  return out;
}
