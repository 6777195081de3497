/**
 * Descriptive statistics on numeric arrays (d3-array style: pure functions, NaN-aware where stated).
 * Every function accepts any ArrayLike<number> (Float64Array, number[]).
 */

/** Arithmetic mean, sum(x) / n. NaN for an empty array. */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/** Sample variance with the n - 1 denominator, sum((x - mean)^2) / (n - 1) (two-pass). NaN for n < 2. */
export function variance(x: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    s += d * d;
  }
  return s / (n - 1);
}

/** Sample standard deviation, sqrt(variance(x)) with the n - 1 denominator. */
export function deviation(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Pearson correlation r = sum(dx dy) / sqrt(sum(dx^2) sum(dy^2)). NaN if either side is constant or n < 2. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: lengths differ (${n} vs ${y.length})`);
  if (n < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/**
 * Ordinary least-squares line y = intercept + slope x: slope = sum(dx dy) / sum(dx^2),
 * intercept = mean(y) - slope mean(x). NaN for n < 2 or a constant x.
 */
export function leastSquaresLine(x: ArrayLike<number>, y: ArrayLike<number>): { intercept: number; slope: number } {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`leastSquaresLine: lengths differ (${n} vs ${y.length})`);
  if (n < 2) return { intercept: NaN, slope: NaN };
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    sxy += dx * (y[i] - my);
    sxx += dx * dx;
  }
  if (sxx === 0) return { intercept: NaN, slope: NaN };
  const slope = sxy / sxx;
  return { intercept: my - slope * mx, slope };
}

/** Ranks 1..n with ties given their average rank (the convention of R's rank(ties.method = "average")). */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && x[order[j + 1]] === x[order[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/** Spearman rank correlation: Pearson correlation of the average ranks. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Mean absolute difference, mean(|x - y|). */
export function meanAbsoluteError(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`meanAbsoluteError: lengths differ (${n} vs ${y.length})`);
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.abs(x[i] - y[i]);
  return s / n;
}

/**
 * Quantile of already sorted values, linear interpolation between order statistics
 * (R's type 7, d3.quantileSorted): h = (n - 1) p, q = x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]).
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  if (p <= 0 || n === 1) return sorted[0];
  if (p >= 1) return sorted[n - 1];
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]);
}

/** Quantile (type 7) of unsorted values; copies and sorts. */
export function quantile(x: ArrayLike<number>, p: number): number {
  const s = Float64Array.from(x).sort();
  return quantileSorted(s, p);
}

/** Median (type-7 quantile at 0.5: the mean of the two middle values for even n). */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}

/**
 * Two-sample Kolmogorov-Smirnov distance D = sup_x |F_a(x) - F_b(x)| between the empirical
 * distribution functions of a and b (NaN values left out; NaN if either is then empty). Evaluated at
 * every observed value, ties stepped over together.
 */
export function ksDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const x = Float64Array.from(Array.prototype.filter.call(a, (v: number) => !Number.isNaN(v)) as number[]).sort();
  const y = Float64Array.from(Array.prototype.filter.call(b, (v: number) => !Number.isNaN(v)) as number[]).sort();
  const n = x.length;
  const m = y.length;
  if (n === 0 || m === 0) return NaN;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < n || j < m) {
    const v = i < n && (j >= m || x[i] <= y[j]) ? x[i] : y[j];
    while (i < n && x[i] === v) i++;
    while (j < m && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / n - j / m));
  }
  return d;
}
