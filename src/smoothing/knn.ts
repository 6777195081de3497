/**
 * County smoothing by the k nearest counties (SPEC section 6): the rule that reproduces the published
 * `exposure_segregation_smoothed` column of Nilforoshan et al. (Nature 2023).
 *
 *   smoothed_i = (1 - w) * raw_i + w * mean(raw_j : j among the k nearest OTHER counties with an estimate)
 *
 * with w = 0.5 and k = 5 by default, "nearest" = plain Euclidean distance on (lon, lat) in degrees between
 * county centroids, ties broken by FIPS order (lower FIPS first), and the result rounded to 3 decimals.
 * Counties without an estimate (raw = NaN) are never neighbours and get no smoothed value (NaN).
 */

/** Inputs of {@link smoothCountyKnn}: one entry per county, all arrays the same length. */
export interface KnnSmoothingInput {
  /** County FIPS codes (integers, e.g. 1001 for Autauga County, AL); used only to break distance ties. */
  readonly fips: Int32Array | ArrayLike<number>;
  /** Raw estimates; NaN = no estimate (not a neighbour, no smoothed value). */
  readonly raw: Float64Array | ArrayLike<number>;
  /** Centroid longitude and latitude in degrees. */
  readonly lon: Float64Array | ArrayLike<number>;
  readonly lat: Float64Array | ArrayLike<number>;
  /** Number of neighbours (default 5). */
  readonly k?: number;
  /** Weight w of the neighbours' mean (default 0.5); the county itself gets 1 - w. */
  readonly weight?: number;
  /** Decimals to round to (default 3, as published), or null for no rounding. */
  readonly round?: number | null;
}

/**
 * The k nearest other counties of each county, by squared Euclidean distance on (lon, lat), ties
 * broken by FIPS (lower first). Only counties with `eligible[j]` true are candidates; a county is never
 * its own neighbour. Returns an n x k row-major index array (-1 where fewer than k candidates exist).
 * Brute force O(n^2 k): exact, and fast for the ~3,200 US counties.
 */
export function nearestCounties(
  fips: ArrayLike<number>,
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  eligible: ArrayLike<boolean>,
  k: number,
): Int32Array {
  const n = fips.length;
  const out = new Int32Array(n * k).fill(-1);
  const bestD = new Float64Array(k);
  const bestJ = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let filled = 0;
    const xi = lon[i];
    const yi = lat[i];
    for (let j = 0; j < n; j++) {
      if (j === i || !eligible[j]) continue;
      const dx = lon[j] - xi;
      const dy = lat[j] - yi;
      const d = dx * dx + dy * dy;
      // Is j closer than the current k-th (with the FIPS tie-break)?
      if (filled === k && !closer(d, fips[j], bestD[k - 1], fips[bestJ[k - 1]])) continue;
      let p = filled === k ? k - 1 : filled++;
      while (p > 0 && closer(d, fips[j], bestD[p - 1], fips[bestJ[p - 1]])) {
        bestD[p] = bestD[p - 1];
        bestJ[p] = bestJ[p - 1];
        p--;
      }
      bestD[p] = d;
      bestJ[p] = j;
    }
    for (let p = 0; p < filled; p++) out[i * k + p] = bestJ[p];
  }
  return out;
}

function closer(d: number, f: number, dRef: number, fRef: number): boolean {
  return d < dRef || (d === dRef && f < fRef);
}

/**
 * Round to `decimals` places the way numpy.round / pandas' .round do (the paper's pipeline is Python):
 * rint(x * 10^d) / 10^d, rint rounding exact halves to the even integer. Note the halves are judged on the
 * binary product, so 0.2805 -> 0.28 (0.2805 * 1000 = 280.49999999999994), as in numpy and Python.
 */
export function roundDecimal(x: number, decimals: number): number {
  if (!Number.isFinite(x)) return x;
  const scale = 10 ** decimals;
  const scaled = x * scale;
  let r = Math.round(scaled); // half toward +infinity
  if (r - scaled === 0.5 && r % 2 !== 0) r -= 1; // exact half: to even
  return r / scale;
}

/**
 * Smooth county estimates by the k nearest counties (SPEC section 6):
 * smoothed_i = (1 - weight) raw_i + weight * mean(raw of the k nearest other counties with an estimate),
 * nearest by Euclidean distance on (lon, lat) degrees between centroids, ties by FIPS order, rounded to
 * `round` decimals (default 3, numpy.round semantics; null = unrounded). NaN raw -> NaN smoothed. If
 * fewer than k other counties have an estimate, the mean is over those available (none at all: the raw
 * value is kept). Source: SPEC section 6, the rule behind the published Nilforoshan et al. (2023) county
 * file; with the bundled Census centroids it reproduces 2,810 of the 2,829 published smoothed values
 * exactly (the rest are near-ties in the neighbour ranking; see test/smoothing/published.test.ts).
 */
export function smoothCountyKnn(input: KnnSmoothingInput): Float64Array {
  const { fips, raw, lon, lat } = input;
  const k = input.k ?? 5;
  const weight = input.weight ?? 0.5;
  const decimals = input.round === undefined ? 3 : input.round;
  const n = raw.length;
  for (const [name, a] of [['fips', fips], ['lon', lon], ['lat', lat]] as const) {
    if (a.length !== n) throw new RangeError(`smoothCountyKnn: ${name} has ${a.length} entries, raw has ${n}`);
  }
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`smoothCountyKnn: k must be a positive integer, got ${k}`);
  if (!(weight >= 0 && weight <= 1)) throw new RangeError(`smoothCountyKnn: weight must be in [0, 1], got ${weight}`);
  const eligible: boolean[] = new Array(n);
  for (let i = 0; i < n; i++) {
    eligible[i] = Number.isFinite(raw[i]);
    if (eligible[i] && !(Number.isFinite(lon[i]) && Number.isFinite(lat[i]))) {
      throw new RangeError(`smoothCountyKnn: county ${fips[i]} has an estimate but no finite centroid`);
    }
  }
  const neighbours = nearestCounties(fips, lon, lat, eligible, k);
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    if (!eligible[i]) continue;
    let s = 0;
    let m = 0;
    for (let p = 0; p < k; p++) {
      const j = neighbours[i * k + p];
      if (j < 0) break;
      s += raw[j];
      m++;
    }
    const value = m === 0 ? raw[i] : (1 - weight) * raw[i] + weight * (s / m);
    out[i] = decimals === null ? value : roundDecimal(value, decimals);
  }
  return out;
}
