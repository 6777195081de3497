/**
 * Naive exposure segregation (SPEC section 3): the Pearson correlation, over persons, of a person's own
 * standardised SES x_i with the mean SES of the persons they encountered, ybar_i,
 *
 *     r = sum (x_i - xbar)(ybar_i - mean ybar) / sqrt( sum (x_i - xbar)^2 sum (ybar_i - mean ybar)^2 ),
 *
 * every person weighted equally. This is Jargowsky's neighbourhood sorting index applied to encounters
 * (Nilforoshan et al. 2023, Methods). It is biased toward 0 when persons have few encounters, because
 * ybar_i carries sampling noise sigma^2 / n_i; the mixed model (reml.ts) removes that noise.
 */
import { pearson } from '../math/stats.js';

/**
 * Pearson correlation of x_i with ybar_i over persons; NaN when either is constant or fewer than 2
 * persons. With `copies`, person i counts copies[i] times (frequency weights, as in a bootstrap resample):
 * every sum above runs over the repeated persons.
 */
export function naiveExposure(x: ArrayLike<number>, ybar: ArrayLike<number>, copies?: ArrayLike<number> | null): number {
  if (!copies) return pearson(x, ybar);
  const P = x.length;
  if (ybar.length !== P || copies.length !== P) throw new RangeError('naiveExposure: lengths differ');
  let w = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < P; i++) {
    w += copies[i];
    sx += copies[i] * x[i];
    sy += copies[i] * ybar[i];
  }
  if (!(w >= 2)) return NaN;
  const mx = sx / w;
  const my = sy / w;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < P; i++) {
    const c = copies[i];
    if (c === 0) continue;
    const dx = x[i] - mx;
    const dy = ybar[i] - my;
    sxy += c * dx * dy;
    sxx += c * dx * dx;
    syy += c * dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}
