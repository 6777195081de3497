/**
 * `mobiseg smooth` at the file level: read a county table (any format readSmallTable reads), fill
 * `exposure_segregation_smoothed` by the k-nearest rule or the empirical-Bayes shrinkage, and write the
 * same table back as CSV, atomically. The arithmetic is in knn.ts and empirical-bayes.ts.
 */
import { denseCodes } from '../math/partition.js';
import { readSmallTable, type SmallTable } from '../io/small-table.js';
import { writeCsv } from '../io/csv-writer.js';
import { columnTable, type Column } from '../io/column-table.js';
import { InputError, MAX_REPORTED_ROWS, describeRowProblem } from '../io/errors.js';
import { smoothCountyKnn } from './knn.js';
import { shrinkEmpiricalBayes, stateOfFips } from './empirical-bayes.js';
import { assertUniqueFips, centroidsForCounties, loadCountyCentroids, parseFipsColumn } from './centroids.js';

export type SmoothingMethod = 'knn' | 'eb';
export type ShrinkageGroup = 'state' | 'msa';

export interface SmoothCountyFileOptions {
  /** Input county table: at least exposure_segregation and fips_code (after remapping). */
  readonly county: string;
  readonly out: string;
  readonly method?: SmoothingMethod;
  /** knn: centroid table (default: the bundled data/geo/county-centroids.csv). */
  readonly centroids?: string;
  readonly k?: number;
  readonly weight?: number;
  /** eb: shrink toward the state (default) or the MSA mean. */
  readonly group?: ShrinkageGroup;
  /** Decimals (default 3, as published); null = unrounded. */
  readonly round?: number | null;
  /** Logical column name -> the file's column name (`--col exposure_segregation=es`). */
  readonly columns?: Record<string, string>;
}

export interface SmoothCountyFileSummary {
  readonly county: string;
  readonly out: string;
  readonly method: SmoothingMethod;
  readonly rows: number;
  /** Rows with a raw estimate (all of them get a smoothed value). */
  readonly withEstimate: number;
  /** Rows without an estimate: written with an empty smoothed cell. */
  readonly withoutEstimate: number;
  readonly centroids?: string;
  readonly k?: number;
  readonly weight?: number;
  readonly group?: ShrinkageGroup;
  /** eb: groups with a single estimate, left unshrunk. */
  readonly unshrunkGroups?: readonly string[];
  /** suspicious but valid input (ES outside [0, 1]): smoothed all the same */
  readonly warnings: readonly string[];
}

const RAW = 'exposure_segregation';
const FIPS = 'fips_code';
const SMOOTHED = 'exposure_segregation_smoothed';
const SE = 'es_se';
const MSA = 'msa';

/** Read, smooth, write. Bad input (missing column, bad or duplicate FIPS, county without centroid) is an InputError. */
export async function smoothCountyFile(options: SmoothCountyFileOptions): Promise<SmoothCountyFileSummary> {
  const method = options.method ?? 'knn';
  const remap = options.columns ?? {};
  const table = await readSmallTable(options.county, { columns: remap });
  const file = options.county;
  const raw = table.numbers(RAW, { allowMissing: true });
  const fips = parseFipsColumn(table.numbers(FIPS), file, remap[FIPS] ?? FIPS);
  assertUniqueFips(fips, file, remap[FIPS] ?? FIPS);
  let withEstimate = 0;
  for (const v of raw) if (Number.isFinite(v)) withEstimate++;
  const warnings = outsideUnitInterval(raw, file, remap[RAW] ?? RAW);

  let smoothed: Float64Array;
  let extra: Partial<SmoothCountyFileSummary>;
  if (method === 'knn') {
    const centroids = await loadCountyCentroids(options.centroids);
    const { lon, lat } = centroidsForCounties(centroids, fips, (i) => Number.isFinite(raw[i]), file);
    smoothed = smoothCountyKnn({ fips, raw, lon, lat, k: options.k, weight: options.weight, round: options.round });
    extra = { centroids: centroids.file, k: options.k ?? 5, weight: options.weight ?? 0.5 };
  } else {
    const group = options.group ?? 'state';
    const se = table.numbers(SE, { allowMissing: true });
    requireFiniteWhereEstimated(se, raw, file, remap[SE] ?? SE);
    const variance = se.map((s) => s * s);
    const { codes, labels } = group === 'state' ? stateGroups(fips) : msaGroups(table, fips);
    const result = shrinkEmpiricalBayes({ raw, variance, group: codes, round: options.round });
    smoothed = result.smoothed;
    extra = { group, unshrunkGroups: result.unshrunkGroups.map((g) => labels[g]) };
  }
  await writeCsv(options.out, columnTable(outputColumns(table, remap, smoothed)));
  return { county: file, out: options.out, method, rows: table.nRows, withEstimate, withoutEstimate: table.nRows - withEstimate, ...extra, warnings };
}

/**
 * ES is a share of variance in [0, 1] (SPEC section 3): values outside it are smoothed as given, with a
 * warning naming the rows (a column of another measure, or a percentage).
 */
function outsideUnitInterval(raw: Float64Array, file: string, column: string): string[] {
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < raw.length; i++) {
    if (Number.isFinite(raw[i]) && (raw[i] < 0 || raw[i] > 1)) {
      count++;
      if (rows.length < MAX_REPORTED_ROWS) rows.push(i + 1);
    }
  }
  if (count === 0) return [];
  return [`${describeRowProblem(file, 'exposure segregation outside [0, 1]', column, rows, count)}: smoothed as given (is it another measure, or a percentage?)`];
}

function requireFiniteWhereEstimated(se: Float64Array, raw: Float64Array, file: string, column: string): void {
  const rows: number[] = [];
  let count = 0;
  for (let i = 0; i < se.length; i++) {
    if (Number.isFinite(raw[i]) && !(Number.isFinite(se[i]) && se[i] >= 0)) {
      count++;
      if (rows.length < MAX_REPORTED_ROWS) rows.push(i + 1);
    }
  }
  if (count > 0) {
    const reason = 'estimate without a standard error (empirical Bayes needs the bootstrap SE of every estimate)';
    throw new InputError(describeRowProblem(file, reason, column, rows, count), file, rows, column, 'missing standard error');
  }
}

function stateGroups(fips: Int32Array): { codes: Int32Array; labels: string[] } {
  const codes = stateOfFips(fips);
  const labels: string[] = [];
  for (const c of codes) labels[c] = `state ${String(c).padStart(2, '0')}`;
  return { codes, labels };
}

/** MSA groups; counties outside any MSA (empty cell) are grouped by state ("rest of state 06"). */
function msaGroups(table: SmallTable, fips: Int32Array): { codes: Int32Array; labels: string[] } {
  const msa = table.text(MSA);
  const state = stateOfFips(fips);
  const label = msa.map((m, i) => (m.trim() === '' ? `rest of state ${String(state[i]).padStart(2, '0')}` : m.trim()));
  const { codes, values: labels } = denseCodes(label);
  return { codes, labels };
}

/**
 * The input's own columns, as text, under the file's names (aliases added by --col are not repeated),
 * with the smoothed column replaced in place, or inserted after the published columns present
 * (exposure_segregation, fips_code, county_name) so a run's table keeps the published order.
 */
function outputColumns(table: SmallTable, remap: Record<string, string>, smoothed: Float64Array): Column[] {
  const aliases = new Set(Object.keys(remap).filter((k) => remap[k] !== k));
  const fileName = (logical: string) => remap[logical] ?? logical;
  const smoothedName = fileName(SMOOTHED);
  const columns: Column[] = [];
  let replaced = false;
  for (const name of table.names) {
    if (aliases.has(name)) continue;
    if (name === smoothedName) {
      columns.push({ name, values: smoothed });
      replaced = true;
    } else columns.push({ name, values: table.text(name) });
  }
  if (!replaced) {
    const published = [RAW, FIPS, 'county_name'].map(fileName);
    let at = 0;
    columns.forEach((c, p) => {
      if (published.includes(c.name)) at = p + 1;
    });
    columns.splice(at, 0, { name: smoothedName, values: smoothed });
  }
  return columns;
}
