/**
 * Destination choices by distance range among the places of one group (one category in one area), on the
 * group's grid (place-grid.ts). Every choice excludes the visit's own place ("another place"). Draws
 * come from the visit's key (a, b) (draws.ts), so a choice depends on the visit, not on the order.
 *
 *  - placeAtDistance (equalized range): the point T at distance r from home on a uniformly random
 *    bearing among those for which some place of the group lies within one cell width w of T (w ~ the
 *    spacing of the group's places); among the places within w of T, the one whose distance from home
 *    is closest to r (ties: the lower place index), so |d - r| <= w. Bearings are proposed on the arc
 *    of the circle inside a disk that covers every such T and rejected when T has no place within w;
 *    after 128 proposals the place whose distance from home is closest to r over the whole group
 *    decides (closestToDistance), as it does at once when the circle misses the disk (that place is
 *    then the nearest or the farthest).
 *    A bearing keeps the cost per visit at a few cells where the exact closest-distance search over the
 *    whole circle costs ~2 pi r / w cells (median r is kilometres, the tail tens of km).
 *  - placesInRing: the places at distance in [min, max] of a point (no-destination-preference).
 */
import { keyedUniform } from '../math/keyed-random.js';
import { farthestKm, placesInAnnulus, type PlaceGrid } from './place-grid.js';

const MAX_BEARINGS = 128;

/** A disk covering every point within one cell width of a place of the grid: centre and radius. */
interface Cover {
  cx: number;
  cy: number;
  radius: number;
}

const covers = new WeakMap<PlaceGrid, Cover>();

function coverOf(grid: PlaceGrid, x: Float64Array, y: Float64Array): Cover {
  let cover = covers.get(grid);
  if (!cover) {
    const places = grid.cellPlaces;
    let cx = 0;
    let cy = 0;
    for (let k = 0; k < places.length; k++) {
      cx += x[places[k]] / places.length;
      cy += y[places[k]] / places.length;
    }
    let radius = 0;
    for (let k = 0; k < places.length; k++) radius = Math.max(radius, Math.hypot(x[places[k]] - cx, y[places[k]] - cy));
    cover = { cx, cy, radius: radius + grid.w };
    covers.set(grid, cover);
  }
  return cover;
}

/**
 * Equalized range's destination for a home (hx, hy) and a drawn distance r (see the module comment):
 * bearings from draws 2, 3, ... of the key (a, b), uniform over the arc of the circle inside a disk
 * covering every point within w of a place (so, after rejecting bearings with no place within w, uniform
 * over the bearings that have one); -1 when the group has no other place.
 */
export function placeAtDistance(grid: PlaceGrid, x: Float64Array, y: Float64Array, hx: number, hy: number, r: number, exclude: number, a: number, b: number, scratch: Int32Array): number {
  const { w, x0, y0, nx, ny, cellOffsets, cellPlaces, block } = grid;
  if (grid.size === 0) return -1;
  const { cx, cy, radius } = coverOf(grid, x, y);
  const toCentre = Math.hypot(cx - hx, cy - hy);
  // the arc of bearings whose point lies in the cover: all of them, none, or a centred arc of half-width phi
  let mid = 0;
  let phi = Math.PI;
  if (toCentre + r > radius) {
    if (r < toCentre - radius || r > toCentre + radius) {
      // the circle misses the cover: every place is farther than r (the nearest is the closest to r) or
      // nearer than r (the farthest is)
      const q = r > toCentre ? farthestPlace(grid, x, y, hx, hy) : nearestPlace(grid, x, y, hx, hy, scratch);
      return q !== exclude ? q : closestToDistance(grid, x, y, hx, hy, r, exclude, scratch);
    }
    mid = Math.atan2(cy - hy, cx - hx);
    phi = Math.acos(Math.max(-1, Math.min(1, (r * r + toCentre * toCentre - radius * radius) / (2 * r * toCentre))));
  }
  const x1 = x0 + nx * w;
  const y1 = y0 + ny * w;
  const w2 = w * w;
  for (let attempt = 0; attempt < MAX_BEARINGS; attempt++) {
    const bearing = mid + phi * (2 * keyedUniform(a, b, 2 + attempt) - 1);
    const tx = hx + r * Math.cos(bearing);
    const ty = hy + r * Math.sin(bearing);
    if (tx < x0 - w || tx > x1 + w || ty < y0 - w || ty > y1 + w) continue;
    const ci = Math.max(0, Math.min(nx - 1, Math.floor((tx - x0) / w)));
    const cj = Math.max(0, Math.min(ny - 1, Math.floor((ty - y0) / w)));
    if (block[cj * nx + ci] === 0) continue;
    // the places within w of T lie in the 3 x 3 cells around T's cell (T's cell clamped to the grid)
    let best = -1;
    let bestError = Infinity;
    for (let j = cj > 0 ? cj - 1 : 0; j <= cj + 1 && j < ny; j++) {
      for (let i = ci > 0 ? ci - 1 : 0; i <= ci + 1 && i < nx; i++) {
        const c = j * nx + i;
        for (let k = cellOffsets[c]; k < cellOffsets[c + 1]; k++) {
          const q = cellPlaces[k];
          const tdx = x[q] - tx;
          const tdy = y[q] - ty;
          if (q === exclude || tdx * tdx + tdy * tdy > w2) continue;
          const dx = x[q] - hx;
          const dy = y[q] - hy;
          const error = Math.abs(Math.sqrt(dx * dx + dy * dy) - r);
          if (error < bestError || (error === bestError && q < best)) {
            best = q;
            bestError = error;
          }
        }
      }
    }
    if (best >= 0) return best;
  }
  return closestToDistance(grid, x, y, hx, hy, r, exclude, scratch);
}

/** Convex hulls of the grids' places (the farthest place from any point is a hull vertex). */
const hulls = new WeakMap<PlaceGrid, Int32Array>();

/** The place of the grid farthest from (hx, hy) (ties: the lower place index), from its convex hull. */
export function farthestPlace(grid: PlaceGrid, x: Float64Array, y: Float64Array, hx: number, hy: number): number {
  let hull = hulls.get(grid);
  if (!hull) {
    hull = convexHull(grid.cellPlaces, x, y);
    hulls.set(grid, hull);
  }
  let best = -1;
  let bestD2 = -1;
  for (let k = 0; k < hull.length; k++) {
    const q = hull[k];
    const dx = x[q] - hx;
    const dy = y[q] - hy;
    const d2 = dx * dx + dy * dy;
    if (d2 > bestD2 || (d2 === bestD2 && q < best)) {
      best = q;
      bestD2 = d2;
    }
  }
  return best;
}

/**
 * The place of the grid nearest to (hx, hy) (ties: the lower place index): disks whose reach beyond the
 * grid's rectangle grows 1, 2, 4, ... cell widths (a home far outside scans thin lenses, not the grid).
 */
export function nearestPlace(grid: PlaceGrid, x: Float64Array, y: Float64Array, hx: number, hy: number, scratch: Int32Array): number {
  if (grid.size === 0) return -1;
  const dx = Math.max(0, grid.x0 - hx, hx - grid.x0 - grid.nx * grid.w);
  const dy = Math.max(0, grid.y0 - hy, hy - grid.y0 - grid.ny * grid.w);
  const toRectangle = Math.sqrt(dx * dx + dy * dy);
  for (let reach = grid.w; ; reach *= 2) {
    const radius = toRectangle + reach;
    const n = placesInAnnulus(grid, hx, hy, 0, radius, scratch);
    let best = -1;
    let bestD2 = radius * radius;
    for (let k = 0; k < n; k++) {
      const q = scratch[k];
      const ex = x[q] - hx;
      const ey = y[q] - hy;
      const d2 = ex * ex + ey * ey;
      if (d2 < bestD2 || (d2 === bestD2 && q < best)) {
        best = q;
        bestD2 = d2;
      }
    }
    if (best >= 0) return best;
  }
}

/**
 * Every place on the convex hull of the points, collinear and repeated ones included (Andrew's
 * monotone chain, keeping points on the edges), so that no farthest point is missed.
 */
function convexHull(places: Int32Array, x: Float64Array, y: Float64Array): Int32Array {
  const order = Array.from(places).sort((p, q) => x[p] - x[q] || y[p] - y[q] || p - q);
  const cross = (o: number, p: number, q: number) => (x[p] - x[o]) * (y[q] - y[o]) - (y[p] - y[o]) * (x[q] - x[o]);
  const chain = (points: number[]): number[] => {
    const out: number[] = [];
    for (const q of points) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], q) < 0) out.pop();
      out.push(q);
    }
    return out;
  };
  return Int32Array.from(new Set([...chain(order), ...chain(order.reverse())]));
}

/**
 * The place of the grid (not `exclude`) whose distance from (hx, hy) is closest to r (ties: the lower
 * place index), found in the annulus [r - t, r + t] with t doubling from one cell width: any place
 * outside it is more than t from r, so the best inside is the best overall. -1 without another place.
 */
export function closestToDistance(grid: PlaceGrid, x: Float64Array, y: Float64Array, hx: number, hy: number, r: number, exclude: number, scratch: Int32Array): number {
  const farthest = farthestKm(grid, hx, hy);
  for (let t = grid.w; ; t *= 2) {
    const inner = Math.max(0, r - t);
    const n = placesInAnnulus(grid, hx, hy, inner, r + t, scratch);
    let best = -1;
    let bestError = Infinity;
    for (let k = 0; k < n; k++) {
      const q = scratch[k];
      if (q === exclude) continue;
      const dx = x[q] - hx;
      const dy = y[q] - hy;
      const error = Math.abs(Math.sqrt(dx * dx + dy * dy) - r);
      if (error <= t && (error < bestError || (error === bestError && q < best))) {
        best = q;
        bestError = error;
      }
    }
    if (best >= 0) return best;
    if (inner === 0 && r + t >= farthest) return -1;
  }
}

/** The places of the grid (not `exclude`) at distance in [minKm, maxKm] of (cx, cy), ascending. */
export function placesInRing(grid: PlaceGrid, x: Float64Array, y: Float64Array, cx: number, cy: number, minKm: number, maxKm: number, exclude: number, scratch: Int32Array): Int32Array {
  const n = placesInAnnulus(grid, cx, cy, minKm, maxKm, scratch);
  let m = 0;
  for (let k = 0; k < n; k++) {
    const q = scratch[k];
    if (q === exclude) continue;
    const dx = x[q] - cx;
    const dy = y[q] - cy;
    const d = Math.sqrt(dx * dx + dy * dy);
    if (d >= minKm && d <= maxKm) scratch[m++] = q;
  }
  return scratch.slice(0, m).sort();
}
