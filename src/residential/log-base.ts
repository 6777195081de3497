/**
 * Logarithms in a chosen base for the entropy-based indices (natural log by default; Roberto (2016)
 * reports the divergence index in base 2). Convention throughout: 0 log 0 = 0 and 0 log(0 / q) = 0,
 * the limits of p log p and p log(p / q) as p -> 0 (Cover & Thomas, Elements of Information Theory, 2.1).
 */

/** Natural log (e) or bits (2). Any base > 1 works. */
export type LogBase = number;

/** log_b(v) = ln(v) / ln(b). */
export function logIn(v: number, base: LogBase = Math.E): number {
  return base === Math.E ? Math.log(v) : Math.log(v) / Math.log(base);
}

/** p log_b(p / q), with the term 0 when p = 0 (the log(0) convention). */
export function relativeEntropyTerm(p: number, q: number, base: LogBase = Math.E): number {
  return p > 0 ? p * logIn(p / q, base) : 0;
}

/** Shannon entropy E = -sum_k p_k log_b p_k of a proportion vector, 0 log 0 = 0 (Theil 1972). */
export function shannonEntropy(p: ArrayLike<number>, base: LogBase = Math.E): number {
  let e = 0;
  for (let k = 0; k < p.length; k++) if (p[k] > 0) e -= p[k] * logIn(p[k], base);
  return e;
}
