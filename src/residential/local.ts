/**
 * Local (per-unit) indices: location quotients, local entropy, local divergence (divergencePerUnit in
 * divergence.ts), and percentile ranks of any per-unit value across the units of a run.
 */
import type { CountMatrix } from './composition.js';
import { groupTotals, unitTotals } from './composition.js';
import { logIn, type LogBase } from './log-base.js';
import { averageRanks } from '../math/stats.js';

/**
 * Location quotients LQ_ik = (n_ik / t_i) / (N_k / T): a group's share in the unit relative to its share
 * of the region (Isard 1960, Methods of Regional Analysis; pysal/segregation `MultiLocationQuotient`).
 * Row-major n x K; NaN for an empty unit or a group absent from the region.
 */
export function locationQuotients(m: CountMatrix): Float64Array {
  const t = unitTotals(m);
  const g = groupTotals(m);
  let T = 0;
  for (let k = 0; k < g.length; k++) T += g[k];
  const out = new Float64Array(m.counts.length);
  for (let i = 0; i < m.nUnits; i++) {
    for (let k = 0; k < m.nGroups; k++) {
      out[i * m.nGroups + k] = t[i] > 0 && g[k] > 0 ? m.counts[i * m.nGroups + k] / t[i] / (g[k] / T) : NaN;
    }
  }
  return out;
}

/**
 * Local entropy E_i = -sum_k p_ik log_b p_ik (0 log 0 = 0): the diversity of unit i (Theil 1972; pysal's
 * `MultiLocalDiversity`). A unit with one group has E_i = 0; an empty unit NaN.
 */
export function localEntropy(m: CountMatrix, base: LogBase = Math.E): Float64Array {
  const t = unitTotals(m);
  const out = new Float64Array(m.nUnits);
  for (let i = 0; i < m.nUnits; i++) {
    if (!(t[i] > 0)) {
      out[i] = NaN;
      continue;
    }
    let e = 0;
    for (let k = 0; k < m.nGroups; k++) {
      const p = m.counts[i * m.nGroups + k] / t[i];
      if (p > 0) e -= p * logIn(p, base);
    }
    out[i] = e;
  }
  return out;
}

/**
 * Normalised local entropy E_i / ln K in [0, 1], K = the number of groups listed (Reardon & O'Sullivan
 * 2004, eq. 6, individual-unit case; pysal's `MultiLocalEntropy`). Base-free.
 */
export function normalisedLocalEntropy(m: CountMatrix): Float64Array {
  const e = localEntropy(m);
  const lnK = Math.log(m.nGroups);
  return e.map((v) => (m.nGroups > 1 ? v / lnK : v === 0 ? 0 : NaN));
}

/**
 * Percentile rank of each value among the finite values, 100 * (average rank) / n: the smallest of n
 * distinct values gets 100 / n, the largest 100 (pandas' rank(pct=True) x 100; ties share their average
 * rank). NaN stays NaN and is not counted in n.
 */
export function percentileRanks(values: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) idx.push(i);
  const finite = Float64Array.from(idx, (i) => values[i]);
  const r = averageRanks(finite);
  const out = new Float64Array(values.length).fill(NaN);
  idx.forEach((i, j) => (out[i] = (100 * r[j]) / idx.length));
  return out;
}
