/**
 * `mobiseg run`: inputs -> estimateWorld (encounters, per-area ES and BI by MSA and county of home,
 * places and communities, residential indices, county smoothing) -> msa.csv, county.csv, places.csv,
 * communities*.csv, comparison.csv, person-stats.arrow, report.html, manifest.json (all written atomically).
 */
import { dirname, join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import { existsSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { writeCsv } from '../io/csv-writer.js';
import { writeTable } from '../io/table-writer.js';
import { columnTable, tableRows, type Column, type ColumnTable } from '../io/column-table.js';
import { WorkerPool } from '../parallel/pool.js';
import { recordingWarnings, type Progress } from '../estimate/progress.js';
import { countyTable, msaTable } from '../report/area-tables.js';
import type { RunSummaryInput } from '../report/run-summary.js';
import { loadCountyCentroids } from '../smoothing/centroids.js';
import { loadMobilityInputs, type InputPaths, type MobilityInputs } from './inputs.js';
import type { AreaLevelResult } from '../estimate/area-stage.js';
import { estimateWorld, type EstimateOptions, type WorldEstimate } from '../estimate/estimate-world.js';
import { comparisonTable } from '../residential/by-area.js';
import type { AreaResidentialIndices } from '../residential/by-area.js';
import type { PlaceAnalysis } from '../measures/communities.js';
import { buildManifest, StepTimer, writeManifest } from './manifest.js';
import { REPORT_FILE, writeReport } from './report-run.js';
import { personStatsTable } from './person-stats-table.js';

export interface RunOptions extends Omit<EstimateOptions, 'centroids'> {
  threads: number;
  /** county centroid file (default: the bundled Census centroids) */
  centroids?: string;
  remap?: Record<string, string>;
  dropInvalid: boolean;
  /** CSV field delimiter of the inputs (default ",") */
  delimiter?: string;
  /** memory the run may use (default: the machine's); inputs that cannot fit stop before loading */
  memoryBytes?: number;
}

export interface RunResult {
  outDir: string;
  inputs: MobilityInputs;
  estimate: WorldEstimate;
  /** msa.csv and county.csv as written */
  msaTable: ColumnTable | null;
  countyTable: ColumnTable | null;
  outputs: string[];
  timings: Record<string, number>;
  /** the counts written to the manifest */
  manifestCounts: Record<string, number>;
  /** the warnings printed on stderr during the run (also in the manifest) */
  warnings: string[];
}

/** The bundled city's files, written into <out>/city when a run is given no inputs. */
const CITY_OUTPUTS = ['city/persons.arrow', 'city/places.arrow', 'city/visits.arrow', 'city/city.json'];

/**
 * Every file `mobiseg run` may write into --out. A run removes those an earlier run left there that it
 * did not write itself (places.csv from a run with visits beside a run from pairs), so the folder holds
 * one run's outputs, as its manifest lists them. A new output file must be added here.
 */
export const RUN_OUTPUTS: readonly string[] = ['msa.csv', 'county.csv', 'places.csv', 'communities.csv', 'communities-summary.csv', 'comparison.csv', 'person-stats.arrow', REPORT_FILE, 'manifest.json', ...CITY_OUTPUTS];

/**
 * Remove the files of RUN_OUTPUTS in outDir that are not in `written` (and city/ once empty); returns
 * those removed. A run reading its inputs from <out>/city (calibrate's sweep city) keeps that city.
 */
function removeStaleOutputs(outDir: string, written: readonly string[], inputs: readonly string[]): string[] {
  const cityDir = resolve(outDir, 'city');
  const keep = inputs.some((p) => dirname(resolve(p)) === cityDir) ? [...written, ...CITY_OUTPUTS] : written;
  const removed = RUN_OUTPUTS.filter((f) => !keep.includes(f) && existsSync(join(outDir, f)));
  for (const f of removed) rmSync(join(outDir, f), { force: true });
  const city = join(outDir, 'city');
  if (existsSync(city) && readdirSync(city).length === 0) rmdirSync(city);
  return removed;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** A worker pool for `threads` (null for one thread), closed after `work` whatever happens. */
export async function withPool<T>(threads: number, work: (pool: WorkerPool | null) => Promise<T>): Promise<T> {
  const pool = threads > 1 ? new WorkerPool(threads) : null;
  try {
    return await work(pool);
  } finally {
    await pool?.close();
  }
}

export async function runMobility(paths: InputPaths, outDir: string, options: RunOptions, shown: Progress): Promise<RunResult> {
  const timer = new StepTimer();
  const progress = recordingWarnings(shown);
  const centroids = await loadCountyCentroids(options.centroids);
  const inputs = await loadMobilityInputs(paths, outDir, { remap: options.remap, dropInvalid: options.dropInvalid, delimiter: options.delimiter, progress, memoryBytes: options.memoryBytes });
  timer.mark('read_inputs');
  const estimate = await withPool(options.threads, (pool) => estimateWorld(inputs, { ...options, centroids }, { pool, progress }));
  timer.record(estimate.timings);
  return writeRunOutputs(inputs, estimate, outDir, options, progress, timer);
}

/** What the printed summary of a run shows. */
export function runSummaryInput(r: RunResult): RunSummaryInput {
  const { inputs } = r;
  return {
    source: inputs.city ? `synthetic city ${inputs.city.spec} (seed ${inputs.city.seed})` : inputs.records.map((x) => x.path).join(', '),
    world: inputs,
    estimate: r.estimate,
    dropped: Object.fromEntries(inputs.records.map((x) => [x.role, x.dropped])),
    outDir: r.outDir,
    outputs: r.outputs,
    seconds: r.timings.total,
  };
}

/**
 * What `run --json` prints: per area of each level the row of msa.csv / county.csv (estimates,
 * intervals, BI, ec, notes, ...; NaN as null), the counts, the rows dropped by reason per input, the
 * warnings, the timings and the outputs, so a script needs no CSV.
 */
export function runJson(r: RunResult): Record<string, unknown> {
  return {
    out: r.outDir,
    msa: r.msaTable ? tableRows(r.msaTable) : [],
    county: r.countyTable ? tableRows(r.countyTable) : [],
    counts: r.manifestCounts,
    dropped: Object.fromEntries(r.inputs.records.map((x) => [x.role, x.dropped])),
    warnings: r.warnings,
    timings: r.timings,
    outputs: r.outputs,
  };
}

/** The tables of msa.csv and county.csv for an estimate. */
export function areaTables(estimate: WorldEstimate): { msa: ColumnTable | null; county: ColumnTable | null } {
  const { msa, county, places } = estimate;
  return {
    msa: msa ? msaTable(msa.level, msa.names, [...communityColumns(places, msa.names), ...residentialColumns(msa.residential)]) : null,
    county: county
      ? countyTable(
          county.level,
          county.fips,
          county.names,
          county.smoothed,
          [{ name: 'exposure_segregation_eb', values: county.eb }, ...residentialColumns(county.residential), { name: 'centroid_lon', values: county.lon }, { name: 'centroid_lat', values: county.lat }],
          county.smoothingNote,
        )
      : null,
  };
}

async function writeRunOutputs(inputs: MobilityInputs, estimate: WorldEstimate, outDir: string, options: RunOptions, progress: Progress & { readonly warnings: string[] }, timer: StepTimer): Promise<RunResult> {
  // an earlier run's manifest would describe a folder half rewritten if this run stops while writing
  rmSync(join(outDir, 'manifest.json'), { force: true });
  const outputs: string[] = inputs.city ? [...CITY_OUTPUTS] : [];
  const { msa, county, places } = estimate;
  const tables = areaTables(estimate);
  if (county && county.withoutCentroid > 0) {
    progress.warn(`${county.withoutCentroid} count${county.withoutCentroid === 1 ? 'y has' : 'ies have'} an estimate but no centroid (neither in ${county.centroidSource} nor from residents' home_lat/home_lon): written without a smoothed value, with a note`);
  }
  if (tables.msa) {
    await writeCsv(join(outDir, 'msa.csv'), tables.msa);
    outputs.push('msa.csv');
  }
  if (tables.county) {
    await writeCsv(join(outDir, 'county.csv'), tables.county);
    outputs.push('county.csv');
  }
  if (places) {
    await writeCsv(join(outDir, 'places.csv'), places.places);
    await writeCsv(join(outDir, 'communities.csv'), places.communities);
    await writeCsv(join(outDir, 'communities-summary.csv'), places.areaSummary);
    outputs.push('places.csv', 'communities.csv', 'communities-summary.csv');
  }
  const comparison = comparisonCsv(estimate);
  if (comparison) {
    await writeCsv(join(outDir, 'comparison.csv'), comparison);
    outputs.push('comparison.csv');
  }
  const levelCounts = (l: AreaLevelResult | undefined) => (l ? { high: l.high, median: l.medians } : null);
  await writeTable(join(outDir, 'person-stats.arrow'), personStatsTable(inputs.persons, estimate.encounters.stats, { msa: levelCounts(msa?.level), county: levelCounts(county?.level) }), 'arrow');
  outputs.push('person-stats.arrow');
  const stale = removeStaleOutputs(outDir, [...outputs, REPORT_FILE, 'manifest.json'], inputs.records.map((r) => r.path));
  if (stale.length > 0) progress.note(`removed ${stale.join(', ')} of an earlier run in ${outDir} (not written by this run)`);
  timer.mark('write_outputs');
  const timings = { ...timer.steps, total: timer.total() };
  const counts = estimate.counts;
  const manifest = buildManifest({
    command: 'run',
    inputs: inputs.records,
    options: {
      mode: options.mode,
      bin_seconds: options.binSeconds,
      min_days: options.minDays,
      exclude_same_home: options.excludeSameHome,
      day_offset_seconds: options.dayOffsetSeconds,
      max_people: options.maxPeople ?? null,
      bootstrap: options.bootstrap,
      permutations: options.permutations,
      threads: options.threads,
      smoothing: { method: 'knn', k: options.smoothK, weight: options.smoothWeight, centroids: county?.centroidSource ?? null },
      columns: options.remap ?? {},
      drop_invalid: options.dropInvalid,
      delimiter: options.delimiter ?? ',',
    },
    seeds: { seed: options.seed, ...(inputs.city ? { city_seed: inputs.city.seed, city_spec: inputs.city.spec } : {}) },
    counts,
    dropped: Object.fromEntries(inputs.records.map((r) => [r.role, r.dropped])),
    warnings: progress.warnings,
    timings,
    outputs: [...outputs, REPORT_FILE, 'manifest.json'],
  });
  // the report shows the manifest, so it is drawn from it before the manifest (written last) is written
  await writeReport(outDir, { manifest });
  outputs.push(REPORT_FILE);
  writeManifest(join(outDir, 'manifest.json'), manifest);
  outputs.push('manifest.json');
  return { outDir, inputs, estimate, msaTable: tables.msa, countyTable: tables.county, outputs, timings, manifestCounts: counts, warnings: progress.warnings };
}

/** Per-MSA summary of the place communities joined onto msa.csv (NaN where the MSA has no places). */
function communityColumns(places: PlaceAnalysis | null, names: string[]): Column[] {
  if (!places) return [];
  const summary = places.areaSummary;
  const col = (name: string) => summary.columns.find((c) => c.name === name)!.values;
  const areas = col('area') as Array<string | null>;
  const row = new Map(areas.map((a, k) => [a, k]));
  const pick = (name: string) => {
    const v = col(name) as Float64Array;
    return Float64Array.from(names, (n) => (row.has(n) ? v[row.get(n)!] : NaN));
  };
  return [
    { name: 'place_modularity', values: pick('modularity') },
    { name: 'place_communities', values: pick('n_communities') },
    { name: 'encounters_within_communities', values: pick('share_within') },
  ];
}

function residentialColumns(r: AreaResidentialIndices | null): Column[] {
  if (!r) return [];
  return [...r.names.map((name, k) => ({ name, values: r.values[k] })), { name: 'res_n_tracts', values: r.nTracts }];
}

/** comparison.csv: per level, the correlation across areas of each residential index with ES and BI. */
function comparisonCsv({ msa, county }: WorldEstimate): ColumnTable | null {
  const parts: Array<{ level: string; table: ColumnTable }> = [];
  for (const [name, lvl] of [['msa', msa], ['county', county]] as const) {
    if (!lvl || !lvl.residential) continue;
    const es = Float64Array.from(lvl.level.areas, (a) => a.exposure.es);
    const bi = Float64Array.from(lvl.level.areas, (a) => a.bridging?.bi ?? NaN);
    parts.push({ level: name, table: comparisonTable(es, bi, lvl.residential) });
  }
  if (parts.length === 0) return null;
  const first = parts[0].table;
  const columns: Column[] = [{ name: 'level', values: parts.flatMap((p) => Array(p.table.columns[0].values.length).fill(p.level)) }];
  first.columns.forEach((c, k) => {
    const values = parts.flatMap((p) => Array.from(p.table.columns[k].values as ArrayLike<number | string | null>));
    columns.push({ name: c.name, values: typeof values[0] === 'number' ? Float64Array.from(values as number[]) : (values as Array<string | null>) });
  });
  return columnTable(columns);
}
