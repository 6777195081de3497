/**
 * Random draws the city generator needs beyond uniform and normal (src/math/random.ts): gamma, Poisson,
 * log-normal, and sampling an index from a cumulative weight table. All take an Rng, so the same seed
 * gives the same draws.
 */
import type { Rng } from '../math/random.js';

/**
 * Gamma(shape, scale = 1) by Marsaglia & Tsang (2000), "A simple method for generating gamma variables",
 * ACM TOMS 26(3): d = shape - 1/3, c = 1/sqrt(9d); accept v = (1 + c z)^3 when
 * log u < z^2/2 + d - d v + d log v. Shapes below 1 use Gamma(shape + 1) * u^(1/shape).
 */
export function gammaDraw(rng: Rng, shape: number): number {
  if (!(shape > 0)) throw new RangeError(`gamma shape must be positive, got ${shape}`);
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return gammaDraw(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let z: number;
    let v: number;
    do {
      z = rng.normal();
      v = 1 + c * z;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * z * z * z * z) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * Poisson(mean) by Knuth's product-of-uniforms method (TAOCP vol. 2, 3.4.1): count uniforms until their
 * product falls below exp(-mean). Large means are split into chunks of at most 30 (a sum of independent
 * Poissons is Poisson), so exp(-mean) never underflows.
 */
export function poissonDraw(rng: Rng, mean: number): number {
  if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`Poisson mean must be finite and >= 0, got ${mean}`);
  let total = 0;
  let remaining = mean;
  while (remaining > 0) {
    const chunk = Math.min(remaining, 30);
    remaining -= chunk;
    const limit = Math.exp(-chunk);
    let product = rng.next();
    while (product > limit) {
      total++;
      product *= rng.next();
    }
  }
  return total;
}

/** Cumulative sums of weights (in place into `out`, which is returned); out[n-1] is the total. */
export function cumulativeWeights(weights: ArrayLike<number>, out: Float64Array = new Float64Array(weights.length)): Float64Array {
  let s = 0;
  for (let i = 0; i < weights.length; i++) {
    s += weights[i];
    out[i] = s;
  }
  return out;
}

/**
 * Index k drawn with probability w_k / sum(w) from the first n entries of a cumulative table
 * (binary search for the first cum[k] > u * total). Requires a positive total.
 */
export function sampleCumulative(rng: Rng, cum: Float64Array, n: number = cum.length): number {
  const target = rng.next() * cum[n - 1];
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
