/**
 * County centroids for the k-nearest smoother: loading the table (default: the bundled
 * data/geo/county-centroids.csv, Census cb_2018_us_county_5m) and looking counties up by FIPS.
 */
import { readSmallTable } from '../io/small-table.js';
import { InputError, MAX_REPORTED_ROWS } from '../io/errors.js';
import { BUNDLED, bundledDataPath } from '../io/bundled-data.js';

export interface CountyCentroids {
  readonly file: string;
  readonly fips: Int32Array;
  /** Longitude and latitude in degrees. */
  readonly lon: Float64Array;
  readonly lat: Float64Array;
}

/** FIPS codes as integers: every value must be a whole number in 1..99999 (e.g. "01001" -> 1001). */
export function parseFipsColumn(values: Float64Array, file: string, column: string): Int32Array {
  const out = new Int32Array(values.length);
  const bad: number[] = [];
  let badCount = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 1 || v > 99_999) {
      badCount++;
      if (bad.length < MAX_REPORTED_ROWS) bad.push(i + 1);
    } else out[i] = v;
  }
  if (badCount > 0) {
    const shown = bad.map((r) => `${r} (${Number.isNaN(values[r - 1]) ? 'empty' : values[r - 1]})`).join(', ');
    throw new InputError(
      `${file}: ${badCount} value${badCount === 1 ? '' : 's'} in column "${column}" ${badCount === 1 ? 'is' : 'are'} not a county FIPS code (an integer 1..99999) at rows ${shown}${badCount > bad.length ? ' ...' : ''}`,
      file, bad, column, 'not a FIPS code',
    );
  }
  return out;
}

/** Throw an InputError naming every duplicated FIPS code (up to ten) and its rows. */
export function assertUniqueFips(fips: ArrayLike<number>, file: string, column: string): void {
  const firstRow = new Map<number, number>();
  const dupRows = new Map<number, number[]>();
  for (let i = 0; i < fips.length; i++) {
    const f = fips[i];
    const first = firstRow.get(f);
    if (first === undefined) firstRow.set(f, i + 1);
    else dupRows.set(f, [...(dupRows.get(f) ?? [first]), i + 1]);
  }
  if (dupRows.size === 0) return;
  const shown = [...dupRows].slice(0, MAX_REPORTED_ROWS).map(([f, rows]) => `${f} (rows ${rows.join(', ')})`);
  const rows = [...dupRows.values()].flat().slice(0, MAX_REPORTED_ROWS);
  throw new InputError(
    `${file}: duplicate FIPS code${dupRows.size === 1 ? '' : 's'} in column "${column}": ${shown.join('; ')}${dupRows.size > MAX_REPORTED_ROWS ? ` (and ${dupRows.size - MAX_REPORTED_ROWS} more)` : ''}`,
    file, rows, column, 'duplicate FIPS',
  );
}

/**
 * Read a centroid table with columns fips_code, lon, lat (degrees); default the bundled
 * data/geo/county-centroids.csv. Duplicate or malformed FIPS codes and non-numeric coordinates are
 * InputErrors naming the rows.
 */
export async function loadCountyCentroids(path?: string, columns?: Record<string, string>): Promise<CountyCentroids> {
  const file = path ?? bundledDataPath(BUNDLED.countyCentroids);
  const table = await readSmallTable(file, { columns });
  const fips = parseFipsColumn(table.numbers('fips_code'), file, 'fips_code');
  assertUniqueFips(fips, file, 'fips_code');
  return { file, fips, lon: table.numbers('lon'), lat: table.numbers('lat') };
}

/**
 * The centroid of each county, by FIPS; `fips[i]` is row i + 1 of `countyFile`, the county table being
 * smoothed. Counties listed in `required` (e.g. those with an estimate) must have a centroid: otherwise an
 * InputError lists the missing FIPS codes with their rows in `countyFile`.
 * Counties not required and without a centroid get NaN coordinates.
 */
export function centroidsForCounties(
  centroids: CountyCentroids,
  fips: ArrayLike<number>,
  required: (i: number) => boolean,
  countyFile: string,
): { lon: Float64Array; lat: Float64Array } {
  const index = new Map<number, number>();
  for (let j = 0; j < centroids.fips.length; j++) index.set(centroids.fips[j], j);
  const lon = new Float64Array(fips.length).fill(NaN);
  const lat = new Float64Array(fips.length).fill(NaN);
  const missing: Array<[number, number]> = [];
  let missingCount = 0;
  for (let i = 0; i < fips.length; i++) {
    const j = index.get(fips[i]);
    if (j !== undefined) {
      lon[i] = centroids.lon[j];
      lat[i] = centroids.lat[j];
    }
    if ((j === undefined || !Number.isFinite(lon[i]) || !Number.isFinite(lat[i])) && required(i)) {
      missingCount++;
      if (missing.length < MAX_REPORTED_ROWS) missing.push([fips[i], i + 1]);
    }
  }
  if (missingCount > 0) {
    // r is the county's row in countyFile (the table being smoothed), not a row of any other input
    const shown = missing.map(([f, r]) => `${f} (row ${r} of the county table)`).join(', ');
    throw new InputError(
      `${countyFile}: ${missingCount} count${missingCount === 1 ? 'y has' : 'ies have'} an estimate but no centroid in ${centroids.file}: FIPS ${shown}${missingCount > missing.length ? ` (and ${missingCount - missing.length} more)` : ''}. Give a centroid table with --centroids (columns fips_code, lon, lat).`,
      countyFile, missing.map(([, r]) => r), 'fips_code', 'no centroid',
    );
  }
  return { lon, lat };
}
