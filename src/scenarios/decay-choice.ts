/**
 * Distance-decay destination choice among the places of one group (one category in one area), on the
 * group's grid (place-grid.ts). Every choice excludes the visit's own place ("another place"). Draws
 * come from the visit's key (a, b) (draws.ts), so a choice depends on the visit, not on the order.
 *
 * DecayChooser: P(q) proportional to f(d(home, q)), f(d) = exp(-d / scale) or max(d, 0.1 km)^-beta,
 *    exactly, by rejection (von Neumann 1951) from an envelope U(q) >= f(d_q). R is a rectangle holding
 *    the home: its grid cell (shared by every home in it, so the envelope is built once per cell and
 *    group), or the home itself when it lies outside the grid. With dist(R, c) the smallest distance
 *    between R and cell c (a lower bound of d(home, q) for q in c):
 *      places in cells with dist(R, c) < w (the 3 x 3 cells around the home): U = f(d), exact, per home;
 *      places in cells with w <= dist(R, c) <= D: U = f(dist(R, c));
 *      every other place (all farther than D): U = f(D), proposed uniformly over the group's N places
 *      (a proposal not in that part is rejected, so that part weighs N f(D)).
 *    A proposal q is accepted with f(d_q) / U(q), so each place comes out with probability proportional
 *    to f(d_q). D starts at 4 scales (exponential) or 2 cell widths (power) and doubles until N f(D) is
 *    at most the envelope within D; after 64 rejections the exact sum over the group decides (a group
 *    whose only weight is the excluded place).
 */
import { keyedUniform } from '../math/keyed-random.js';
import { cellOfPoint, type PlaceGrid } from './place-grid.js';

/** Distances below this count as this (km): a place in the same building is not infinitely close. */
export const MIN_DISTANCE_KM = 0.1;

export type DecayLaw = { law: 'exponential'; scaleKm: number } | { law: 'power'; beta: number };

const MAX_TRIES = 64;

/** f(d) of the law as a function of d^2: exp(-sqrt(d2) / scale), or max(d2, 0.01)^(-beta / 2) (fast paths for beta 1, 2). */
function decayOfSquaredDistance(law: DecayLaw): (d2: number) => number {
  const floor = MIN_DISTANCE_KM * MIN_DISTANCE_KM;
  if (law.law === 'exponential') {
    const inverse = 1 / law.scaleKm;
    return (d2) => Math.exp(-Math.sqrt(d2) * inverse);
  }
  const half = -law.beta / 2;
  if (law.beta === 2) return (d2) => 1 / (d2 < floor ? floor : d2);
  if (law.beta === 1) return (d2) => 1 / Math.sqrt(d2 < floor ? floor : d2);
  return (d2) => Math.pow(d2 < floor ? floor : d2, half);
}

/** The shared part of a decay envelope for the homes of rectangle R (see the module comment). */
interface DecayEnvelope {
  rx0: number;
  rx1: number;
  ry0: number;
  ry1: number;
  /** cells with w <= dist(R, c) <= D, their bounds n_c f(dist) and cumulative bounds */
  cells: Int32Array;
  bound: Float64Array;
  cumulative: Float64Array;
  D: number;
  fD: number;
  /** places in the far part */
  far: number;
}

/** Smallest distance between rectangle R and cell c of the grid. */
function rectCellKm(grid: PlaceGrid, c: number, rx0: number, rx1: number, ry0: number, ry1: number): number {
  const i = c % grid.nx;
  const j = (c - i) / grid.nx;
  const xa = grid.x0 + i * grid.w;
  const ya = grid.y0 + j * grid.w;
  const dx = Math.max(0, xa - rx1, rx0 - xa - grid.w);
  const dy = Math.max(0, ya - ry1, ry0 - ya - grid.w);
  return Math.sqrt(dx * dx + dy * dy);
}

/** Cells of the grid whose rectangle may lie within `reach` of rectangle R: [i0, i1] x [j0, j1]. */
function cellRange(grid: PlaceGrid, rx0: number, rx1: number, ry0: number, ry1: number, reach: number) {
  return {
    i0: Math.max(0, Math.floor((rx0 - reach - grid.x0) / grid.w)),
    i1: Math.min(grid.nx - 1, Math.floor((rx1 + reach - grid.x0) / grid.w)),
    j0: Math.max(0, Math.floor((ry0 - reach - grid.y0) / grid.w)),
    j1: Math.min(grid.ny - 1, Math.floor((ry1 + reach - grid.y0) / grid.w)),
  };
}

function decayEnvelope(grid: PlaceGrid, f: (d: number) => number, startD: number, rx0: number, rx1: number, ry0: number, ry1: number): DecayEnvelope {
  const { w, nx, cellOffsets } = grid;
  const cells: number[] = [];
  const bound: number[] = [];
  for (let D = startD; ; D *= 2) {
    cells.length = 0;
    bound.length = 0;
    let envelope = 0;
    let near = 0;
    const { i0, i1, j0, j1 } = cellRange(grid, rx0, rx1, ry0, ry1, D);
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const c = j * nx + i;
        const n = cellOffsets[c + 1] - cellOffsets[c];
        if (n === 0) continue;
        const d = rectCellKm(grid, c, rx0, rx1, ry0, ry1);
        if (d > D) continue;
        near += n;
        // the exact part is the home's own business; f(w) stands in for it in the stopping rule
        if (d < w) envelope += n * f(w);
        else {
          cells.push(c);
          bound.push(n * f(d));
          envelope += bound[bound.length - 1];
        }
      }
    }
    const far = grid.size - near;
    if (far === 0 || grid.size * f(D) <= envelope) {
      const b = Float64Array.from(bound);
      let sum = 0;
      return { rx0, rx1, ry0, ry1, cells: Int32Array.from(cells), bound: b, cumulative: b.map((v) => (sum += v)), D, fD: f(D), far };
    }
  }
}

/**
 * Decay choices in one group (see the module comment). `sample` takes the visitor's home: the exact part
 * is rebuilt when the home changes (visits come ordered by home) and the envelope of the home's grid
 * cell is built once and kept.
 */
export class DecayChooser {
  private readonly f: (d: number) => number;
  /** f as a function of the squared distance (no square root for the power law) */
  private readonly fSquared: (d2: number) => number;
  private readonly startD: number;
  private readonly shared: Array<DecayEnvelope | undefined> = [];
  /** the current home, its envelope and its exact part (places, cumulative weights) */
  private hx = NaN;
  private hy = NaN;
  private envelope: DecayEnvelope | null = null;
  private nExact = 0;
  private readonly exactPlaces: Int32Array;
  private readonly exactCumulative: Float64Array;

  constructor(
    private readonly grid: PlaceGrid,
    private readonly x: Float64Array,
    private readonly y: Float64Array,
    law: DecayLaw,
  ) {
    this.fSquared = decayOfSquaredDistance(law);
    this.f = (d) => this.fSquared(d * d);
    this.startD = law.law === 'exponential' ? 4 * law.scaleKm : 2 * grid.w;
    this.exactPlaces = new Int32Array(grid.size);
    this.exactCumulative = new Float64Array(grid.size);
  }

  private weight(q: number): number {
    const dx = this.x[q] - this.hx;
    const dy = this.y[q] - this.hy;
    return this.fSquared(dx * dx + dy * dy);
  }

  /** Make (hx, hy) the current home: its envelope (shared by its grid cell) and its exact part. */
  private setHome(hx: number, hy: number): void {
    const { grid } = this;
    this.hx = hx;
    this.hy = hy;
    const inside = hx >= grid.x0 && hx <= grid.x0 + grid.nx * grid.w && hy >= grid.y0 && hy <= grid.y0 + grid.ny * grid.w;
    let envelope: DecayEnvelope;
    if (inside) {
      const c = cellOfPoint(grid, hx, hy);
      const i = c % grid.nx;
      const rx0 = grid.x0 + i * grid.w;
      const ry0 = grid.y0 + ((c - i) / grid.nx) * grid.w;
      envelope = this.shared[c] ??= decayEnvelope(grid, this.f, this.startD, rx0, rx0 + grid.w, ry0, ry0 + grid.w);
    } else {
      envelope = decayEnvelope(grid, this.f, this.startD, hx, hx, hy, hy);
    }
    this.envelope = envelope;
    const { rx0, rx1, ry0, ry1 } = envelope;
    const { i0, i1, j0, j1 } = cellRange(grid, rx0, rx1, ry0, ry1, grid.w);
    let m = 0;
    let sum = 0;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        const c = j * grid.nx + i;
        if (grid.cellOffsets[c + 1] === grid.cellOffsets[c] || rectCellKm(grid, c, rx0, rx1, ry0, ry1) >= grid.w) continue;
        for (let k = grid.cellOffsets[c]; k < grid.cellOffsets[c + 1]; k++) {
          const q = grid.cellPlaces[k];
          this.exactPlaces[m] = q;
          this.exactCumulative[m++] = sum += this.weight(q);
        }
      }
    }
    this.nExact = m;
  }

  /**
   * A place other than `exclude` for a visit from home (hx, hy) (-1 when there is none), from draws
   * 1, 2, ... of the visit's key (a, b).
   */
  sample(hx: number, hy: number, exclude: number, a: number, b: number): number {
    if (hx !== this.hx || hy !== this.hy) this.setHome(hx, hy);
    const { exactPlaces, exactCumulative, nExact, grid } = this;
    const envelope = this.envelope!;
    // the exact part without the excluded place
    let at = -1;
    for (let k = 0; k < nExact; k++) if (exactPlaces[k] === exclude) at = k;
    const before = at > 0 ? exactCumulative[at - 1] : 0;
    const wExcluded = at >= 0 ? exactCumulative[at] - before : 0;
    const W0 = Math.max(0, (nExact > 0 ? exactCumulative[nExact - 1] : 0) - wExcluded);
    const U = last(envelope.cumulative);
    const E = envelope.far > 0 ? grid.size * envelope.fD : 0;
    if (W0 === 0 && U === 0 && E === 0) return -1;
    const total = W0 + U + E;
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const draw = 1 + 3 * attempt;
      let u = keyedUniform(a, b, draw) * total;
      if (u < W0) {
        if (at >= 0 && u >= before) u += wExcluded;
        let k = upperBound(exactCumulative, u, nExact);
        if (k >= nExact) k = nExact - 1;
        if (k === at) k = k + 1 < nExact ? k + 1 : k - 1;
        return exactPlaces[k];
      }
      u -= W0;
      let q: number;
      let ceiling: number;
      if (u < U) {
        const k = Math.min(upperBound(envelope.cumulative, u, envelope.cells.length), envelope.cells.length - 1);
        const c = envelope.cells[k];
        const from = grid.cellOffsets[c];
        const n = grid.cellOffsets[c + 1] - from;
        q = grid.cellPlaces[from + Math.floor(keyedUniform(a, b, draw + 1) * n)];
        ceiling = envelope.bound[k] / n;
      } else {
        q = grid.cellPlaces[Math.floor(keyedUniform(a, b, draw + 1) * grid.size)];
        // only places of the far part: the others are covered above
        if (rectCellKm(grid, cellOfPoint(grid, this.x[q], this.y[q]), envelope.rx0, envelope.rx1, envelope.ry0, envelope.ry1) <= envelope.D) continue;
        ceiling = envelope.fD;
      }
      if (q === exclude) continue;
      if (keyedUniform(a, b, draw + 2) * ceiling < this.weight(q)) return q;
    }
    return this.exact(exclude, keyedUniform(a, b, 1 + 3 * MAX_TRIES));
  }

  /** The exact draw over the whole group (after MAX_TRIES rejections). */
  private exact(exclude: number, u: number): number {
    const places = this.grid.cellPlaces;
    let total = 0;
    for (let k = 0; k < places.length; k++) if (places[k] !== exclude) total += this.weight(places[k]);
    if (!(total > 0)) return -1;
    let target = u * total;
    let chosen = -1;
    for (let k = 0; k < places.length; k++) {
      if (places[k] === exclude) continue;
      chosen = places[k];
      target -= this.weight(chosen);
      if (target < 0) break;
    }
    return chosen;
  }
}

function last(x: Float64Array): number {
  return x.length > 0 ? x[x.length - 1] : 0;
}

/** First k < n with sorted[k] > t (n when none). */
function upperBound(sorted: Float64Array, t: number, n: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
