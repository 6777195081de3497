/**
 * A uniform grid of places on a plane (km), for ring, disk and distance queries without scanning every
 * place: cells of width w chosen so that a cell holds about two places on average over the bounding
 * box, places of cell c in cellPlaces[cellOffsets[c] .. cellOffsets[c + 1]) (CSR, ascending place index).
 *
 * `placesInAnnulus` lists the places of the cells that meet the annulus inner <= d <= outer around a
 * point: a superset of the places in it, which the caller filters by exact distance. Per row of cells
 * the columns come from the circle's chord (outer) minus the cells lying wholly inside the inner circle,
 * so a thin ring of radius r costs about (2 r / w) rows of a few cells each, not (2 r / w)^2 cells.
 */

export interface PlaceGrid {
  x0: number;
  y0: number;
  /** cell width, km */
  w: number;
  nx: number;
  ny: number;
  cellOffsets: Int32Array;
  cellPlaces: Int32Array;
  /** places on the grid (those with finite coordinates) */
  size: number;
  /** places in the 3 x 3 cells around each cell (0: no place within one cell width of any point of it) */
  block: Int32Array;
}

/** Places per cell aimed at (over the bounding box). */
const PLACES_PER_CELL = 2;

/** The grid of the given places (those with non-finite x or y are left off). */
export function buildPlaceGrid(places: ArrayLike<number>, x: Float64Array, y: Float64Array): PlaceGrid {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  let size = 0;
  for (let k = 0; k < places.length; k++) {
    const q = places[k];
    if (!Number.isFinite(x[q]) || !Number.isFinite(y[q])) continue;
    size++;
    if (x[q] < x0) x0 = x[q];
    if (x[q] > x1) x1 = x[q];
    if (y[q] < y0) y0 = y[q];
    if (y[q] > y1) y1 = y[q];
  }
  if (size === 0) return { x0: 0, y0: 0, w: 1, nx: 1, ny: 1, cellOffsets: new Int32Array(2), cellPlaces: new Int32Array(0), size, block: new Int32Array(1) };
  const width = x1 - x0;
  const height = y1 - y0;
  let w = Math.max(Math.sqrt((Math.max(width * height, 1e-6) * PLACES_PER_CELL) / size), 1e-4);
  let nx = Math.floor(width / w) + 1;
  let ny = Math.floor(height / w) + 1;
  // a long thin box would give many empty cells: widen them until there are at most ~4 per place
  while (nx * ny > 4 * size + 16) {
    w *= 1.5;
    nx = Math.floor(width / w) + 1;
    ny = Math.floor(height / w) + 1;
  }
  const cellOf = (q: number) => Math.min(ny - 1, Math.floor((y[q] - y0) / w)) * nx + Math.min(nx - 1, Math.floor((x[q] - x0) / w));
  const cellOffsets = new Int32Array(nx * ny + 1);
  for (let k = 0; k < places.length; k++) {
    const q = places[k];
    if (Number.isFinite(x[q]) && Number.isFinite(y[q])) cellOffsets[cellOf(q) + 1]++;
  }
  for (let c = 0; c < nx * ny; c++) cellOffsets[c + 1] += cellOffsets[c];
  const cellPlaces = new Int32Array(size);
  const fill = cellOffsets.slice(0, nx * ny);
  for (let k = 0; k < places.length; k++) {
    const q = places[k];
    if (Number.isFinite(x[q]) && Number.isFinite(y[q])) cellPlaces[fill[cellOf(q)]++] = q;
  }
  const block = new Int32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      let n = 0;
      for (let jj = Math.max(0, j - 1); jj <= Math.min(ny - 1, j + 1); jj++) {
        for (let ii = Math.max(0, i - 1); ii <= Math.min(nx - 1, i + 1); ii++) n += cellOffsets[jj * nx + ii + 1] - cellOffsets[jj * nx + ii];
      }
      block[j * nx + i] = n;
    }
  }
  return { x0, y0, w, nx, ny, cellOffsets, cellPlaces, size, block };
}

/** The cell of a point (clamped to the grid). */
export function cellOfPoint(grid: PlaceGrid, px: number, py: number): number {
  const i = Math.max(0, Math.min(grid.nx - 1, Math.floor((px - grid.x0) / grid.w)));
  const j = Math.max(0, Math.min(grid.ny - 1, Math.floor((py - grid.y0) / grid.w)));
  return j * grid.nx + i;
}

/** Distance from (hx, hy) to the farthest corner of the grid: every place is within it. */
export function farthestKm(grid: PlaceGrid, hx: number, hy: number): number {
  const dx = Math.max(Math.abs(hx - grid.x0), Math.abs(hx - (grid.x0 + grid.nx * grid.w)));
  const dy = Math.max(Math.abs(hy - grid.y0), Math.abs(hy - (grid.y0 + grid.ny * grid.w)));
  return Math.sqrt(dx * dx + dy * dy);
}

/**
 * Places of every cell that meets the annulus inner <= d <= outer around (hx, hy), written to out from
 * 0 (out must hold grid.size); returns how many. Cells with some point at distance <= outer are all
 * listed (so every place within `outer` is, and every place listed lies in a cell at most `outer` away);
 * cells wholly inside the inner circle are skipped.
 */
export function placesInAnnulus(grid: PlaceGrid, hx: number, hy: number, inner: number, outer: number, out: Int32Array): number {
  const { x0, y0, w, nx, ny, cellOffsets, cellPlaces } = grid;
  let n = 0;
  const j0 = Math.max(0, Math.floor((hy - outer - y0) / w));
  const j1 = Math.min(ny - 1, Math.floor((hy + outer - y0) / w));
  for (let j = j0; j <= j1; j++) {
    const ya = y0 + j * w;
    const yb = ya + w;
    const dyMin = hy < ya ? ya - hy : hy > yb ? hy - yb : 0;
    if (dyMin > outer) continue;
    const dyMax = Math.max(Math.abs(hy - ya), Math.abs(hy - yb));
    const half = Math.sqrt(outer * outer - dyMin * dyMin);
    const i0 = Math.max(0, Math.floor((hx - half - x0) / w));
    const i1 = Math.min(nx - 1, Math.floor((hx + half - x0) / w));
    // columns whose cells lie wholly inside the inner circle on this row: (skip0 .. skip1)
    let skip0 = 1;
    let skip1 = 0;
    if (inner > dyMax) {
      const inside = Math.sqrt(inner * inner - dyMax * dyMax);
      skip0 = Math.floor((hx - inside - x0) / w) + 1;
      skip1 = Math.ceil((hx + inside - x0) / w) - 2;
    }
    const row = j * nx;
    for (let i = i0; i <= i1; i++) {
      if (i >= skip0 && i <= skip1) {
        i = skip1;
        continue;
      }
      const c = row + i;
      for (let k = cellOffsets[c]; k < cellOffsets[c + 1]; k++) out[n++] = cellPlaces[k];
    }
  }
  return n;
}

/** The grids of the groups of a CSR (places of group g: places[offsets[g] .. offsets[g + 1])), built on first use. */
export class GroupGrids {
  private readonly grids: Array<PlaceGrid | undefined> = [];
  constructor(
    private readonly offsets: Int32Array,
    private readonly places: Int32Array,
    private readonly x: Float64Array,
    private readonly y: Float64Array,
  ) {}

  get(g: number): PlaceGrid {
    let grid = this.grids[g];
    if (!grid) {
      grid = buildPlaceGrid(this.places.subarray(this.offsets[g], this.offsets[g + 1]), this.x, this.y);
      this.grids[g] = grid;
    }
    return grid;
  }
}
