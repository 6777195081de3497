/**
 * Roberto's divergence index and its within/between decomposition.
 *
 * Roberto, E. (2016), "The Divergence Index: A Decomposable Measure of Segregation and Inequality",
 * arXiv:1508.01167: for unit i with group proportions p_ik and the region's proportions P_k, the unit's
 * divergence is the Kullback-Leibler divergence D_i = sum_k p_ik log(p_ik / P_k) (0 log 0 = 0), and the
 * divergence index is the population-weighted sum D = sum_i (t_i / T) D_i. D equals the mutual information
 * index M of Theil & Finizza / Mora & Ruiz-Castillo (2011) (as used by Elbers' R package `segregation`).
 * Across places r of a region (city and suburbs, states, districts), D splits exactly into
 *   D = sum_r (T_r / T) D_r + sum_r (T_r / T) KL(p_r || P)
 * (within: each place's own divergence index against the place's composition; between: each place's
 * divergence from the region), as in Roberto (2016, section on decomposition) and the Othering &
 * Belonging Institute's technical appendix.
 */
import type { CountMatrix } from './composition.js';
import { groupTotals, unitTotals } from './composition.js';
import { logIn, relativeEntropyTerm, shannonEntropy, type LogBase } from './log-base.js';

/** Regional proportions P_k = N_k / T. */
export function regionalProportions(m: CountMatrix): Float64Array {
  const g = groupTotals(m);
  let T = 0;
  for (let k = 0; k < g.length; k++) T += g[k];
  return g.map((v) => v / T);
}

/**
 * Kullback-Leibler divergence KL(p || q) = sum_k p_k log_b(p_k / q_k), 0 log(0 / q) = 0. Infinite when
 * some p_k > 0 has q_k = 0 (cannot happen when q is the region containing p).
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>, base: LogBase = Math.E): number {
  let d = 0;
  for (let k = 0; k < p.length; k++) d += relativeEntropyTerm(p[k], q[k], base);
  return d;
}

/**
 * Local divergence D_i = sum_k p_ik log_b(p_ik / P_k) of each unit against the whole region (Roberto
 * 2016). NaN for an empty unit. A unit holding one group k only has D_i = log_b(1 / P_k).
 */
export function divergencePerUnit(m: CountMatrix, base: LogBase = Math.E): Float64Array {
  const P = regionalProportions(m);
  const t = unitTotals(m);
  const d = new Float64Array(m.nUnits);
  for (let i = 0; i < m.nUnits; i++) {
    if (!(t[i] > 0)) {
      d[i] = NaN;
      continue;
    }
    let s = 0;
    for (let k = 0; k < m.nGroups; k++) s += relativeEntropyTerm(m.counts[i * m.nGroups + k] / t[i], P[k], base);
    d[i] = s;
  }
  return d;
}

/**
 * Divergence index D = sum_i (t_i / T) D_i (Roberto 2016), equal to the mutual information index
 * M = sum_i sum_k (n_ik / T) log(n_ik T / (t_i N_k)) (Mora & Ruiz-Castillo 2011; Elbers'
 * `mutual_total`). 0 for a region with one unit or one group.
 */
export function divergenceIndex(m: CountMatrix, base: LogBase = Math.E): number {
  const g = groupTotals(m);
  const t = unitTotals(m);
  let T = 0;
  for (let k = 0; k < g.length; k++) T += g[k];
  if (!(T > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < m.nUnits; i++) {
    if (!(t[i] > 0)) continue;
    for (let k = 0; k < m.nGroups; k++) {
      const n = m.counts[i * m.nGroups + k];
      if (n > 0) s += n * logIn((n * T) / (t[i] * g[k]), base);
    }
  }
  return s / T;
}

/** One place's part of the decomposition. */
export interface RegionPart {
  /** T_r */
  population: number;
  /** T_r / T */
  weight: number;
  /** D_r: the place's own divergence index (its units against the place's composition) */
  divergence: number;
  /** KL(p_r || P): the place's composition against the whole region */
  divergenceFromRegion: number;
  /** weight * divergence: the place's within term */
  withinContribution: number;
  /** weight * divergenceFromRegion: the place's between term */
  betweenContribution: number;
  /** withinContribution / D */
  withinShare: number;
  /** betweenContribution / D */
  betweenShare: number;
  /** E_r: entropy of the place's group composition */
  entropy: number;
  /** H_r = D_r / E_r (Elbers' within-category H; 0 when E_r = 0, as `mutual_within` does) */
  theilH: number;
  /** E_r / E (Elbers' `ent_ratio`) */
  entropyRatio: number;
}

export interface DivergenceDecomposition {
  /** D (= M) of the whole region */
  total: number;
  /** sum_r (T_r / T) D_r */
  within: number;
  /** sum_r (T_r / T) KL(p_r || P) = M between places */
  between: number;
  withinShare: number;
  betweenShare: number;
  /** E: entropy of the whole region */
  entropy: number;
  /** H = D / E and its parts: H = between / E + sum_r weight_r (E_r / E) H_r */
  theilH: number;
  theilHWithin: number;
  theilHBetween: number;
  regions: RegionPart[];
}

/**
 * Within/between decomposition of the divergence index (= M) across places: regionOfUnit[i] in
 * [0, nRegions) is the place of unit i. D = within + between exactly (Roberto 2016; Theil 1972 for
 * entropy; Elbers' `mutual_within` gives the same per-place M, p, H and ent_ratio).
 */
export function decomposeDivergence(m: CountMatrix, regionOfUnit: ArrayLike<number>, nRegions: number, base: LogBase = Math.E): DivergenceDecomposition {
  if (regionOfUnit.length !== m.nUnits) throw new RangeError(`decomposeDivergence: ${regionOfUnit.length} regions for ${m.nUnits} units`);
  const K = m.nGroups;
  const t = unitTotals(m);
  const regionCounts = new Float64Array(nRegions * K);
  const unitsOf: number[][] = Array.from({ length: nRegions }, () => []);
  for (let i = 0; i < m.nUnits; i++) {
    const r = regionOfUnit[i];
    if (!(r >= 0 && r < nRegions)) throw new RangeError(`decomposeDivergence: unit ${i} has region ${r}, outside [0, ${nRegions})`);
    unitsOf[r].push(i);
    for (let k = 0; k < K; k++) regionCounts[r * K + k] += m.counts[i * K + k];
  }
  const P = regionalProportions(m);
  let T = 0;
  for (let i = 0; i < m.nUnits; i++) T += t[i];
  const total = divergenceIndex(m, base);
  const E = shannonEntropy(P, base);
  const regions: RegionPart[] = [];
  let within = 0;
  let between = 0;
  for (let r = 0; r < nRegions; r++) {
    let Tr = 0;
    for (let k = 0; k < K; k++) Tr += regionCounts[r * K + k];
    const pr = new Float64Array(K);
    for (let k = 0; k < K; k++) pr[k] = Tr > 0 ? regionCounts[r * K + k] / Tr : 0;
    const sub = new Float64Array(unitsOf[r].length * K);
    unitsOf[r].forEach((i, j) => sub.set(m.counts.subarray(i * K, (i + 1) * K), j * K));
    const Dr = Tr > 0 ? divergenceIndex({ nUnits: unitsOf[r].length, nGroups: K, counts: sub }, base) : NaN;
    const fromRegion = Tr > 0 ? klDivergence(pr, P, base) : NaN;
    const weight = Tr / T;
    const w = Tr > 0 ? weight * Dr : 0;
    const b = Tr > 0 ? weight * fromRegion : 0;
    within += w;
    between += b;
    const Er = shannonEntropy(pr, base);
    const Hr = Er > 0 ? Dr / Er : 0;
    regions.push({
      population: Tr,
      weight,
      divergence: Dr,
      divergenceFromRegion: fromRegion,
      withinContribution: w,
      betweenContribution: b,
      withinShare: w / total,
      betweenShare: b / total,
      entropy: Er,
      theilH: Hr,
      entropyRatio: Er / E,
    });
  }
  return {
    total,
    within,
    between,
    withinShare: within / total,
    betweenShare: between / total,
    entropy: E,
    theilH: total / E,
    theilHWithin: within / E,
    theilHBetween: between / E,
    regions,
  };
}
