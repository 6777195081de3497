/**
 * Derivative-free search for a noisy, expensive loss (calibration of a city's laws, `calibrate --fit`):
 * a Latin hypercube to spread the first evaluations over the box, then Nelder-Mead from the best of
 * them. Both work in the unit cube [0, 1]^d; the caller maps it to the parameters' ranges.
 */
import type { Rng } from './random.js';

/**
 * A Latin hypercube sample of n points in [0, 1]^d (McKay, Beckman and Conover 1979): along every
 * dimension the n strata [k / n, (k + 1) / n) hold exactly one point each, placed uniformly within its
 * stratum; the strata are paired across dimensions by independent random permutations.
 */
export function latinHypercube(n: number, d: number, rng: Rng): Float64Array[] {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`latinHypercube: n must be an integer >= 1, got ${n}`);
  if (!(Number.isInteger(d) && d >= 1)) throw new RangeError(`latinHypercube: d must be an integer >= 1, got ${d}`);
  const points = Array.from({ length: n }, () => new Float64Array(d));
  const order = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    for (let k = 0; k < n; k++) order[k] = k;
    for (let k = n - 1; k > 0; k--) {
      const r = rng.int(k + 1);
      const t = order[k];
      order[k] = order[r];
      order[r] = t;
    }
    for (let i = 0; i < n; i++) points[i][j] = (order[i] + rng.next()) / n;
  }
  return points;
}

export interface NelderMeadOptions {
  /** Largest number of loss evaluations (the initial simplex included). */
  readonly maxEvaluations: number;
  /** Edge of the initial simplex along each axis (unit-cube scale). */
  readonly step?: number;
  /** Stop when the simplex's losses span less than this (max - min)... */
  readonly lossTolerance?: number;
  /** ...and its vertices are within this of the best along every axis. */
  readonly pointTolerance?: number;
  /** Keep the points in [lower, upper] on every axis (projection onto the box); default unbounded. */
  readonly lower?: number;
  readonly upper?: number;
}

export interface NelderMeadResult {
  readonly best: Float64Array;
  readonly loss: number;
  readonly evaluations: number;
  /** true when the tolerances were met before the budget ran out */
  readonly converged: boolean;
}

/**
 * Minimise f from x0 by the Nelder-Mead simplex method (Nelder and Mead 1965, with the standard
 * coefficients of Lagarias et al. 1998: reflection 1, expansion 2, contraction 1/2, shrink 1/2). The
 * initial simplex is x0 and x0 + step e_j (- step e_j where that leaves the box). Points outside
 * [lower, upper] are projected onto the box before f sees them, and their distance outside is added
 * to the loss. f may be async (a simulation); it is
 * called one point at a time, in a fixed order, so a seeded f gives a reproducible path.
 */
export async function nelderMead(f: (x: Float64Array) => number | Promise<number>, x0: ArrayLike<number>, options: NelderMeadOptions): Promise<NelderMeadResult> {
  const d = x0.length;
  const { maxEvaluations, step = 0.1, lossTolerance = 1e-8, pointTolerance = 1e-8, lower = -Infinity, upper = Infinity } = options;
  if (d < 1) throw new RangeError('nelderMead: x0 is empty');
  let evaluations = 0;
  const clamp = (x: Float64Array) => {
    for (let j = 0; j < d; j++) x[j] = Math.min(upper, Math.max(lower, x[j]));
    return x;
  };
  // The simplex itself may leave the box (projecting its vertices would collapse it onto a face); f
  // sees the projection, plus the distance outside, so the best vertex ends up on the box.
  const evaluate = async (x: Float64Array) => {
    evaluations++;
    let outside = 0;
    for (let j = 0; j < d; j++) outside += Math.max(0, lower - x[j], x[j] - upper);
    const v = await f(clamp(Float64Array.from(x)));
    return Number.isNaN(v) ? Infinity : v + outside;
  };
  const simplex: Float64Array[] = [clamp(Float64Array.from(x0))];
  for (let j = 0; j < d; j++) {
    const v = Float64Array.from(simplex[0]);
    v[j] = v[j] + step <= upper ? v[j] + step : v[j] - step;
    simplex.push(v);
  }
  const losses: number[] = [];
  for (const v of simplex) {
    if (evaluations >= maxEvaluations) break;
    losses.push(await evaluate(v));
  }
  if (losses.length < simplex.length) {
    const i = argmin(losses);
    return { best: clamp(simplex[i]), loss: losses[i], evaluations, converged: false };
  }
  const combine = (a: Float64Array, b: Float64Array, t: number) => {
    // a + t (a - b): reflection (t = 1), expansion (2), outside (1/2) and inside (-1/2) contraction
    const x = new Float64Array(d);
    for (let j = 0; j < d; j++) x[j] = a[j] + t * (a[j] - b[j]);
    return x;
  };
  while (evaluations < maxEvaluations) {
    const order = losses.map((_, i) => i).sort((a, b) => losses[a] - losses[b] || a - b);
    const sorted = order.map((i) => simplex[i]);
    const sortedLoss = order.map((i) => losses[i]);
    simplex.splice(0, simplex.length, ...sorted);
    losses.splice(0, losses.length, ...sortedLoss);
    let spread = 0;
    for (let i = 1; i <= d; i++) for (let j = 0; j < d; j++) spread = Math.max(spread, Math.abs(simplex[i][j] - simplex[0][j]));
    if (losses[d] - losses[0] <= lossTolerance && spread <= pointTolerance) return { best: clamp(simplex[0]), loss: losses[0], evaluations, converged: true };
    const centroid = new Float64Array(d);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) centroid[j] += simplex[i][j] / d;
    const worst = simplex[d];
    const xr = combine(centroid, worst, 1);
    const fr = await evaluate(xr);
    if (fr < losses[0]) {
      if (evaluations >= maxEvaluations) {
        replace(d, xr, fr);
        break;
      }
      const xe = combine(centroid, worst, 2);
      const fe = await evaluate(xe);
      if (fe < fr) replace(d, xe, fe);
      else replace(d, xr, fr);
    } else if (fr < losses[d - 1]) {
      replace(d, xr, fr);
    } else {
      if (evaluations >= maxEvaluations) break;
      const outside = fr < losses[d];
      const xc = combine(centroid, worst, outside ? 0.5 : -0.5);
      const fc = await evaluate(xc);
      if (fc < (outside ? fr : losses[d])) {
        replace(d, xc, fc);
      } else {
        for (let i = 1; i <= d && evaluations < maxEvaluations; i++) {
          const x = new Float64Array(d);
          for (let j = 0; j < d; j++) x[j] = simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]);
          replace(i, x, await evaluate(x));
        }
      }
    }
  }
  const i = argmin(losses);
  return { best: clamp(simplex[i]), loss: losses[i], evaluations, converged: false };

  function replace(i: number, x: Float64Array, v: number): void {
    simplex[i] = x;
    losses[i] = v;
  }
}

function argmin(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] < values[best]) best = i;
  return best;
}
