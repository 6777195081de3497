/**
 * Exact discrete samplers for the count-based inference (random relabelling of persons, bootstrap of
 * counts), cheap for large counts: each draw inverts the distribution function starting at the mode and
 * stepping outward, alternately down and up, with the pmf ratio recurrences, so it costs O(sd) steps
 * instead of O(n) coin flips (Kemp 1986 "mode-centred inversion"; Devroye 1986, Non-Uniform Random Variate
 * Generation, X.4 for the idea). All draws come from a seeded Rng (src/math/random.ts).
 */
import type { Rng } from '../math/random.js';

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Gamma(x) for x > 0 by the Lanczos approximation (g = 7, n = 9; relative error ~1e-15). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** ln C(n, k) = lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1). */
export function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Inversion from the mode: u ~ U(0,1) is spent on pmf(mode), pmf(mode-1), pmf(mode+1), ... until it is
 * used up. `up(k)` = pmf(k+1)/pmf(k), `down(k)` = pmf(k-1)/pmf(k).
 */
function invertFromMode(rng: Rng, mode: number, pmfMode: number, lo: number, hi: number, up: (k: number) => number, down: (k: number) => number): number {
  for (;;) {
    let u = rng.next() - pmfMode;
    if (u < 0) return mode;
    let kl = mode;
    let kh = mode;
    let pl = pmfMode;
    let ph = pmfMode;
    while (kl > lo || kh < hi) {
      if (kl > lo) {
        pl *= down(kl);
        kl--;
        u -= pl;
        if (u < 0) return kl;
      }
      if (kh < hi) {
        ph *= up(kh);
        kh++;
        u -= ph;
        if (u < 0) return kh;
      }
    }
    // u exceeded the total mass by rounding (probability ~1e-15): draw again
  }
}

/** Binomial(n, p) draw, n a non-negative integer. */
export function binomial(rng: Rng, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logPmf = logChoose(n, mode) + mode * Math.log(p) + (n - mode) * Math.log(q);
  const r = p / q;
  return invertFromMode(
    rng,
    mode,
    Math.exp(logPmf),
    0,
    n,
    (k) => ((n - k) / (k + 1)) * r,
    (k) => k / ((n - k + 1) * r),
  );
}

/**
 * Hypergeometric draw: the number of marked items among `draws` taken without replacement from a
 * population of `total` items of which `marked` are marked.
 */
export function hypergeometric(rng: Rng, total: number, marked: number, draws: number): number {
  if (draws <= 0 || marked <= 0) return 0;
  if (draws >= total) return marked;
  if (marked >= total) return draws;
  const lo = Math.max(0, draws - (total - marked));
  const hi = Math.min(draws, marked);
  if (lo === hi) return lo;
  const mode = Math.min(hi, Math.max(lo, Math.floor(((draws + 1) * (marked + 1)) / (total + 2))));
  const logPmf = logChoose(marked, mode) + logChoose(total - marked, draws - mode) - logChoose(total, draws);
  const other = total - marked;
  return invertFromMode(
    rng,
    mode,
    Math.exp(logPmf),
    lo,
    hi,
    (k) => ((marked - k) * (draws - k)) / ((k + 1) * (other - draws + k + 1)),
    (k) => (k * (other - draws + k)) / ((marked - k + 1) * (draws - k + 1)),
  );
}

/**
 * Multinomial(n, weights / sum(weights)) draw over cells, by conditional binomials:
 * n_c ~ Binomial(n - sum_{c'<c} n_c', w_c / sum_{c'>=c} w_c'). Tail sums are precomputed, so the last
 * cell with weight takes exactly the remainder.
 */
export function multinomial(rng: Rng, n: number, weights: ArrayLike<number>): Float64Array {
  const C = weights.length;
  const tail = new Float64Array(C + 1);
  for (let c = C - 1; c >= 0; c--) tail[c] = tail[c + 1] + weights[c];
  const out = new Float64Array(C);
  let left = n;
  for (let c = 0; c < C && left > 0; c++) {
    if (!(weights[c] > 0)) continue;
    const k = weights[c] >= tail[c] ? left : binomial(rng, left, weights[c] / tail[c]);
    out[c] = k;
    left -= k;
  }
  return out;
}

/**
 * Random relabelling of persons across units with the unit totals and group totals fixed (a uniformly
 * random permutation of the group labels of all persons; pysal/segregation's `person_permutation`):
 * unit i receives its t_i persons drawn without replacement from the pool, group by group as conditional
 * hypergeometrics. Counts must be whole numbers. Returns the new n x K count matrix.
 */
export function permuteLabels(rng: Rng, counts: Float64Array, nUnits: number, nGroups: number): Float64Array {
  const pool = new Float64Array(nGroups);
  const t = new Float64Array(nUnits);
  for (let i = 0; i < nUnits; i++) {
    for (let k = 0; k < nGroups; k++) {
      pool[k] += counts[i * nGroups + k];
      t[i] += counts[i * nGroups + k];
    }
  }
  let poolTotal = 0;
  for (let k = 0; k < nGroups; k++) poolTotal += pool[k];
  const out = new Float64Array(counts.length);
  for (let i = 0; i < nUnits; i++) {
    let need = t[i];
    let rest = poolTotal;
    for (let k = 0; k < nGroups && need > 0; k++) {
      const x = k === nGroups - 1 ? need : hypergeometric(rng, rest, pool[k], need);
      out[i * nGroups + k] = x;
      rest -= pool[k];
      pool[k] -= x;
      need -= x;
      poolTotal -= x;
    }
  }
  return out;
}
