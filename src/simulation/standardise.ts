/** Standardisation of a score vector, shared by the SES field and place prices. */
import { deviation, mean } from '../math/stats.js';

/**
 * v <- (v - mean(v)) / sd(v) in place (sd with n - 1), all zeros when there is no spread (n < 2 or
 * sd ~ 0): a constant score carries no ordering. Returns v.
 */
export function standardiseInPlace(v: Float64Array): Float64Array {
  const m = mean(v);
  const sd = v.length > 1 ? deviation(v) : 0;
  for (let i = 0; i < v.length; i++) v[i] = sd > 1e-12 ? (v[i] - m) / sd : 0;
  return v;
}
