/**
 * Spatial single-group indices (they need unit areas and centroids, geometry.ts). Group counts x_i, unit
 * totals t_i, the rest y_i = t_i - x_i; X, Y, T their sums; a_i unit areas, A their sum. Definitions from
 * Massey & Denton (1988), "The dimensions of residential segregation", Social Forces 67(2): 281-315.
 *
 * Distances are planar in the geometry's coordinate units. Delta and absolute centralization match
 * pysal/segregation (EXPECTED.md, lon/lat degrees as in its tests). For absolute clustering and spatial
 * proximity we use Massey & Denton's proximity c_ij = exp(-d_ij), c_ii = exp(-(alpha a_i)^beta) with
 * alpha = 0.6, beta = 0.5; pysal's current code instead row-normalises the distances and uses
 * 1 - exp(-d_ij / sum_k d_ik) off the diagonal, so its values differ from these. Because exp(-d) depends on
 * the distance unit, project to a unit that suits the data (Massey & Denton used miles).
 */
import type { UnitGeometry } from './geometry.js';
import { median } from '../math/stats.js';

function sum(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/**
 * Delta (Duncan, Cuzzort & Duncan 1961) DEL = 1/2 sum_i |x_i / X - a_i / A|: the share of the group that
 * would have to move for its density to be uniform over the area.
 */
export function delta(x: ArrayLike<number>, area: ArrayLike<number>): number {
  const X = sum(x);
  const A = sum(area);
  if (!(X > 0 && A > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.abs(x[i] / X - area[i] / A);
  return s / 2;
}

export type CentreMethod = 'mean' | 'median' | 'population-weighted-mean' | 'largest-population';

/**
 * The centre of the region for centralization: the mean (default, as pysal), median or t-weighted mean of
 * the unit centroids, or the centroid of the most populous unit (the mean of the tied ones), or a given
 * point.
 */
export function regionCentre(geometry: UnitGeometry, totals: ArrayLike<number>, method: CentreMethod | readonly [number, number] = 'mean'): { x: number; y: number } {
  if (typeof method !== 'string') return { x: method[0], y: method[1] };
  const n = geometry.x.length;
  if (method === 'mean') return { x: sum(geometry.x) / n, y: sum(geometry.y) / n };
  if (method === 'median') return { x: median(geometry.x), y: median(geometry.y) };
  if (method === 'population-weighted-mean') {
    const T = sum(totals);
    let sx = 0;
    let sy = 0;
    for (let i = 0; i < n; i++) {
      sx += totals[i] * geometry.x[i];
      sy += totals[i] * geometry.y[i];
    }
    return { x: sx / T, y: sy / T };
  }
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, totals[i]);
  let sx = 0;
  let sy = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (totals[i] === max) {
      sx += geometry.x[i];
      sy += geometry.y[i];
      c++;
    }
  }
  return { x: sx / c, y: sy / c };
}

/**
 * Absolute centralization ACE = sum_i X_{i-1} A_i - sum_i X_i A_{i-1}, units ordered by increasing
 * distance of their centroid from the centre, X_i and A_i the cumulative shares of the group and of the
 * area through unit i (X_0 = A_0 = 0). Ties in distance keep the input order.
 */
export function absoluteCentralization(x: ArrayLike<number>, geometry: UnitGeometry, centre: { x: number; y: number }): number {
  const n = x.length;
  const X = sum(x);
  const A = sum(geometry.area);
  if (!(X > 0 && A > 0)) return NaN;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = Math.hypot(geometry.x[i] - centre.x, geometry.y[i] - centre.y);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a] - d[b] || a - b);
  let Xc = 0;
  let Ac = 0;
  let s = 0;
  for (const i of order) {
    const Xp = Xc;
    const Ap = Ac;
    Xc += x[i] / X;
    Ac += geometry.area[i] / A;
    s += Xp * Ac - Xc * Ap;
  }
  return s;
}

/** A proximity kernel C applied to vectors (see proximityKernel). */
export interface ProximityKernel {
  readonly n: number;
  /** sum_i sum_j c_ij */
  readonly total: number;
  /** C v for each of the vectors, in one pass over the pairs */
  multiply(vectors: readonly ArrayLike<number>[]): Float64Array[];
}

/**
 * The proximity kernel c_ij = exp(-d_ij) between unit centroids, c_ii = exp(-(alpha a_i)^beta) (Massey &
 * Denton 1988, after White 1983), applied to vectors: (C v)_i = sum_j c_ij v_j. The matrix is cached when
 * it is small (n <= 2000); otherwise each product recomputes it, O(n^2) time and O(n) memory.
 */
export function proximityKernel(geometry: UnitGeometry, alpha = 0.6, beta = 0.5): ProximityKernel {
  const n = geometry.x.length;
  const { x, y, area } = geometry;
  const self = (i: number) => Math.exp(-Math.pow(alpha * area[i], beta));
  const cache = n <= 2000 ? new Float64Array(n * n) : null;
  if (cache) {
    for (let i = 0; i < n; i++) {
      cache[i * n + i] = self(i);
      for (let j = i + 1; j < n; j++) {
        const c = Math.exp(-Math.hypot(x[i] - x[j], y[i] - y[j]));
        cache[i * n + j] = c;
        cache[j * n + i] = c;
      }
    }
  }
  const multiply = (vectors: readonly ArrayLike<number>[]): Float64Array[] => {
    const out = vectors.map(() => new Float64Array(n));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const c = cache ? cache[i * n + j] : i === j ? self(i) : Math.exp(-Math.hypot(x[i] - x[j], y[i] - y[j]));
        for (let v = 0; v < vectors.length; v++) out[v][i] += c * vectors[v][j];
      }
    }
    return out;
  };
  const [rowSums] = multiply([new Float64Array(n).fill(1)]);
  return { n, total: sum(rowSums), multiply };
}

/**
 * Absolute clustering ACL = [sum_i (x_i / X) sum_j c_ij x_j - (X / n^2) sum_ij c_ij] /
 * [sum_i (x_i / X) sum_j c_ij t_j - (X / n^2) sum_ij c_ij] (Massey & Denton 1988), n the number of units.
 */
export function absoluteClustering(x: ArrayLike<number>, t: ArrayLike<number>, kernel: ProximityKernel): number {
  const X = sum(x);
  if (!(X > 0)) return NaN;
  const [cx, ct] = kernel.multiply([x, t]);
  let a = 0;
  let b = 0;
  for (let i = 0; i < x.length; i++) {
    a += (x[i] / X) * cx[i];
    b += (x[i] / X) * ct[i];
  }
  const base = (X / (kernel.n * kernel.n)) * kernel.total;
  return (a - base) / (b - base);
}

/**
 * Spatial proximity SP = (X Pxx + Y Pyy) / (T Ptt), Pxx = sum_ij x_i x_j c_ij / X^2 (and likewise for y and
 * t) (White 1983; Massey & Denton 1988): 1 when the group lives as close to each other as to the rest,
 * above 1 when clustered together.
 */
export function spatialProximity(x: ArrayLike<number>, t: ArrayLike<number>, kernel: ProximityKernel): number {
  const n = x.length;
  const yv = new Float64Array(n);
  for (let i = 0; i < n; i++) yv[i] = t[i] - x[i];
  const X = sum(x);
  const Y = sum(yv);
  const T = sum(t);
  if (!(X > 0 && Y > 0)) return NaN;
  const [cx, cy, ct] = kernel.multiply([x, yv, t]);
  let pxx = 0;
  let pyy = 0;
  let ptt = 0;
  for (let i = 0; i < n; i++) {
    pxx += x[i] * cx[i];
    pyy += yv[i] * cy[i];
    ptt += t[i] * ct[i];
  }
  pxx /= X * X;
  pyy /= Y * Y;
  ptt /= T * T;
  return (X * pxx + Y * pyy) / (T * ptt);
}
