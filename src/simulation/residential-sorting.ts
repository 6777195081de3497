/**
 * Households, their SES, and where they live. SES is rent-like (log-normal). The tracts of an MSA are
 * ordered by a smooth random spatial field; households are ranked by a sorting score that mixes their
 * SES with noise, and filled into tracts in field order. The residential sorting strength s sets the mix,
 * so the SES distribution itself never changes with s: only who lives where.
 */
import type { Rng } from '../math/random.js';
import { sampleCumulative, cumulativeWeights } from './distributions.js';
import { standardiseInPlace } from './standardise.js';

/**
 * A smooth random field over points: f_t = sum_u exp(-d_tu^2 / (2 l^2)) g_u with g_u ~ N(0, 1) i.i.d.
 * (white noise convolved with a Gaussian kernel of length scale l; terms beyond 4 l are dropped),
 * then standardised to mean 0, sd 1 over the points.
 */
export function smoothRandomField(x: Float64Array, y: Float64Array, lengthScale: number, rng: Rng): Float64Array {
  const n = x.length;
  const g = new Float64Array(n);
  for (let i = 0; i < n; i++) g[i] = rng.normal();
  const f = new Float64Array(n);
  const cutoff2 = 16 * lengthScale * lengthScale;
  const inv2l2 = 1 / (2 * lengthScale * lengthScale);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let u = 0; u < n; u++) {
      const dx = x[t] - x[u];
      const dy = y[t] - y[u];
      const d2 = dx * dx + dy * dy;
      if (d2 <= cutoff2) s += Math.exp(-d2 * inv2l2) * g[u];
    }
    f[t] = s;
  }
  return standardiseInPlace(f);
}

export interface Households {
  /** Persons per household (1-4); sizes sum exactly to the requested population. */
  readonly size: Int32Array;
  /** Standard normal score of each household's log SES: z = (ln ses - ln median) / log_sd. */
  readonly z: Float64Array;
  /** SES (rent-like), median * exp(log_sd * z), rounded to cents. */
  readonly ses: Float64Array;
}

/**
 * Draw households until `population` persons exist (the last household is cut to fit). Size k+1 with
 * probability sizeShares[k]; SES log-normal: ses = median * exp(logSd * z), z ~ N(0, 1).
 */
export function drawHouseholds(population: number, sizeShares: readonly number[], median: number, logSd: number, rng: Rng): Households {
  const sizeCum = cumulativeWeights(sizeShares);
  const sizes: number[] = [];
  let persons = 0;
  while (persons < population) {
    const k = Math.min(sampleCumulative(rng, sizeCum) + 1, population - persons);
    sizes.push(k);
    persons += k;
  }
  const n = sizes.length;
  const z = new Float64Array(n);
  const ses = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    z[h] = rng.normal();
    ses[h] = Math.round(median * Math.exp(logSd * z[h]) * 100) / 100;
  }
  return { size: Int32Array.from(sizes), z, ses };
}

/**
 * Sorting score of each household: sqrt(s) z_h + sqrt(1 - s) e_h with e_h ~ N(0, 1), so
 * corr(score, z) = sqrt(s). s = 0: homes independent of SES; s = 1: homes ordered exactly by SES.
 */
export function sortingScores(z: Float64Array, sorting: number, rng: Rng): Float64Array {
  const a = Math.sqrt(sorting);
  const b = Math.sqrt(1 - sorting);
  const out = new Float64Array(z.length);
  for (let h = 0; h < z.length; h++) out[h] = a * z[h] + b * rng.normal();
  return out;
}

/**
 * Assign households to tracts: households in decreasing score, tracts in decreasing field value, each
 * household goes to the tract whose capacity range (cumulative persons, in field order) contains its first
 * member. Tract populations then match capacities up to one household. Returns the tract of each household.
 */
export function fillTractsBySortingScore(score: Float64Array, size: Int32Array, field: Float64Array, capacity: Int32Array): Int32Array {
  const nH = score.length;
  const nT = field.length;
  const hOrder = Array.from({ length: nH }, (_, h) => h).sort((a, b) => score[b] - score[a] || a - b);
  const tOrder = Array.from({ length: nT }, (_, t) => t).sort((a, b) => field[b] - field[a] || a - b);
  const tract = new Int32Array(nH);
  let t = 0;
  let filledBefore = 0; // persons placed before tract tOrder[t]
  let placed = 0;
  for (const h of hOrder) {
    while (t < nT - 1 && placed >= filledBefore + capacity[tOrder[t]]) {
      filledBefore += capacity[tOrder[t]];
      t++;
    }
    tract[h] = tOrder[t];
    placed += size[h];
  }
  return tract;
}
