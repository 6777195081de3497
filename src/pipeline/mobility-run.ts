/**
 * `mobiseg run`: inputs -> encounters -> per-area ES and BI (MSA and county of home) -> county
 * smoothing -> msa.csv, county.csv, person-stats.arrow, manifest.json (all written atomically).
 */
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { writeCsv } from '../io/csv-writer.js';
import { writeTable } from '../io/table-writer.js';
import { columnTable, type ColumnTable } from '../io/column-table.js';
import { WorkerPool } from '../parallel/pool.js';
import { denseCodes, sortedCodes } from '../measures/areas.js';
import type { Progress } from '../report/progress.js';
import { countyTable, msaTable } from '../report/area-tables.js';
import { centroidsForCounties, loadCountyCentroids } from '../smoothing/centroids.js';
import { shrinkEmpiricalBayes, stateOfFips } from '../smoothing/empirical-bayes.js';
import { smoothCountyKnn } from '../smoothing/knn.js';
import { loadMobilityInputs, type InputPaths, type MobilityInputs } from './inputs.js';
import { computeEncounters, type EncounterOptions, type EncounterStage } from './encounter-stage.js';
import { estimateAreas, type AreaLevelResult } from './area-stage.js';
import { comparisonTable, residentialIndicesByArea, type AreaResidentialIndices } from '../residential/by-area.js';
import type { Column } from '../io/column-table.js';
import { analysePlaces, type PlaceAnalysis } from '../measures/communities.js';
import { StepTimer, writeManifest } from './manifest.js';

export interface RunOptions extends EncounterOptions {
  maxPeople?: number;
  seed: number | string;
  bootstrap: number;
  permutations: number;
  threads: number;
  smoothK: number;
  smoothWeight: number;
  centroids?: string;
  remap?: Record<string, string>;
  dropInvalid: boolean;
}

export interface RunResult {
  outDir: string;
  inputs: MobilityInputs;
  encounters: EncounterStage;
  msa: { level: AreaLevelResult; names: string[]; table: ColumnTable; residential: AreaResidentialIndices | null } | null;
  places: PlaceAnalysis | null;
  county: { level: AreaLevelResult; fips: Int32Array; names: Array<string | null>; table: ColumnTable; centroidSource: string; residential: AreaResidentialIndices | null } | null;
  outputs: string[];
  timings: Record<string, number>;
  /** the counts written to the manifest */
  manifestCounts: Record<string, number>;
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

export async function runMobility(paths: InputPaths, outDir: string, options: RunOptions, progress: Progress): Promise<RunResult> {
  const timer = new StepTimer();
  const inputs = await loadMobilityInputs(paths, outDir, { remap: options.remap, dropInvalid: options.dropInvalid, progress });
  timer.mark('read_inputs');
  const pool = options.threads > 1 ? new WorkerPool(options.threads) : null;
  try {
    return await runWithPool(inputs, outDir, options, progress, timer, pool);
  } finally {
    await pool?.close();
  }
}

async function runWithPool(inputs: MobilityInputs, outDir: string, options: RunOptions, progress: Progress, timer: StepTimer, pool: WorkerPool | null): Promise<RunResult> {
  progress.note('counting encounters');
  const encounters = await computeEncounters(inputs, options, progress, pool);
  timer.mark('encounters');
  const { persons } = inputs;
  // places, hubs and communities (SPEC section 5): needs the person-place graph (visits input)
  let places: PlaceAnalysis | null = null;
  if (encounters.graph && encounters.groups) {
    progress.note('place metrics and Louvain communities');
    places = analysePlaces(
      encounters.graph,
      encounters.groups,
      { ses: persons.ses, msaCodes: persons.msa?.codes, msaNames: persons.msa?.names },
      { ids: inputs.places.ids, msaCodes: inputs.places.msa?.codes, msaNames: inputs.places.msa?.names, category: inputs.places.category ?? undefined },
      { binSeconds: options.binSeconds, seed: options.seed },
    );
  }
  timer.mark('places_communities');
  const outputs: string[] = [];
  const areaOptions = { maxPeople: options.maxPeople, seed: options.seed, bootstrap: options.bootstrap, permutations: options.permutations, pool, progress };
  const msa = persons.msa ? await msaLevel(inputs, encounters, places, areaOptions) : null;
  timer.mark('msa_estimates');
  const county = persons.countyFips ? await countyLevel(inputs, encounters, options, areaOptions) : null;
  timer.mark('county_estimates');
  if (msa) {
    await writeCsv(join(outDir, 'msa.csv'), msa.table);
    outputs.push('msa.csv');
  }
  if (county) {
    await writeCsv(join(outDir, 'county.csv'), county.table);
    outputs.push('county.csv');
  }
  if (places) {
    await writeCsv(join(outDir, 'places.csv'), places.places);
    await writeCsv(join(outDir, 'communities.csv'), places.communities);
    await writeCsv(join(outDir, 'communities-summary.csv'), places.areaSummary);
    outputs.push('places.csv', 'communities.csv', 'communities-summary.csv');
  }
  const comparison = comparisonCsv(msa, county);
  if (comparison) {
    await writeCsv(join(outDir, 'comparison.csv'), comparison);
    outputs.push('comparison.csv');
  }
  await writeTable(join(outDir, 'person-stats.arrow'), personStatsTable(inputs, encounters, msa?.level ?? null, county?.level ?? null), 'arrow');
  outputs.push('person-stats.arrow');
  timer.mark('write_outputs');
  const timings = { ...timer.steps, total: timer.total() };
  const counts: Record<string, number> = {
    persons: persons.count,
    places: inputs.places.count,
    ...encounters.counts,
    persons_with_encounters: countPositive(encounters.stats.n),
    // persons outside every area of a level enter no estimate of that level
    persons_without_msa: persons.msa ? countNegative(persons.msa.codes) : persons.count,
    persons_without_county: persons.countyFips ? countNegative(persons.countyFips) : persons.count,
    msas: msa?.level.areas.length ?? 0,
    msas_estimated: msa?.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length ?? 0,
    counties: county?.level.areas.length ?? 0,
    counties_estimated: county?.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length ?? 0,
  };
  writeManifest(join(outDir, 'manifest.json'), {
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
    },
    seeds: { seed: options.seed, ...(inputs.city ? { city_seed: inputs.city.seed, city_spec: inputs.city.spec } : {}) },
    counts,
    dropped: Object.fromEntries(inputs.records.map((r) => [r.role, r.dropped])),
    timings,
    outputs: [...outputs, 'manifest.json'],
  });
  outputs.push('manifest.json');
  return { outDir, inputs, encounters, msa, places, county, outputs, timings, manifestCounts: counts };
}

type AreaOptions = Parameters<typeof estimateAreas>[3];

/** ES, BI, communities and residential indices per MSA of home. */
async function msaLevel(inputs: MobilityInputs, encounters: EncounterStage, places: PlaceAnalysis | null, areaOptions: AreaOptions): Promise<NonNullable<RunResult['msa']>> {
  const { persons } = inputs;
  const { codes, labels: names } = sortedCodes(persons.msa!.codes, persons.msa!.names);
  const level = await estimateAreas({ level: 'msa', codes, keys: names }, encounters, persons.ses, areaOptions);
  const residential = residentialForAreas(level, codes, inputs);
  return { level, names, table: msaTable(level, names, [...communityColumns(places, names), ...residentialColumns(residential)]), residential };
}

/** ES, BI, smoothing (k nearest, empirical Bayes) and residential indices per county of home. */
async function countyLevel(inputs: MobilityInputs, encounters: EncounterStage, options: RunOptions, areaOptions: AreaOptions): Promise<NonNullable<RunResult['county']>> {
  const { persons } = inputs;
  const dense = denseCodes(persons.countyFips!);
  const { codes, labels: values } = sortedCodes(dense.codes, dense.values);
  const level = await estimateAreas({ level: 'county', codes, keys: values.map(String) }, encounters, persons.ses, areaOptions);
  const fips = Int32Array.from(values);
  const names = countyNames(codes, values.length, persons.countyName);
  const raw = Float64Array.from(level.areas, (a) => a.exposure.es);
  const { lon, lat, source } = await countyCentroids(fips, codes, raw, inputs, options.centroids);
  const smoothed = smoothCountyKnn({ fips, raw, lon, lat, k: options.smoothK, weight: options.smoothWeight });
  // empirical-Bayes shrinkage toward the state mean with the bootstrap variances (SPEC section 6)
  const variance = Float64Array.from(level.areas, (a) => (a.bootstrap ? a.bootstrap.esSe * a.bootstrap.esSe : NaN));
  const eb = options.bootstrap > 1 ? shrinkEmpiricalBayes({ raw, variance, group: stateOfFips(fips) }).smoothed : new Float64Array(fips.length).fill(NaN);
  const residential = residentialForAreas(level, codes, inputs);
  const extra = [{ name: 'exposure_segregation_eb', values: eb }, ...residentialColumns(residential)];
  return { level, fips, names, table: countyTable(level, fips, names, smoothed, extra), centroidSource: source, residential };
}

/**
 * Residential indices of each area from persons' home tracts (SPEC section 7), with the low/high split
 * at the same median as the bridging index; null without a home_tract column.
 */
function residentialForAreas(level: AreaLevelResult, codes: Int32Array, inputs: MobilityInputs): AreaResidentialIndices | null {
  const tract = inputs.persons.homeTract;
  if (!tract) return null;
  const areaMedian = Float64Array.from(level.areas, (a) => a.bridging?.median ?? NaN);
  return residentialIndicesByArea({ areaOfPerson: codes, nAreas: level.areas.length, tractOfPerson: tract.codes, nTracts: tract.names.length, ses: inputs.persons.ses, areaMedian });
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
function comparisonCsv(msa: RunResult['msa'], county: RunResult['county']): ColumnTable | null {
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

function countNegative(codes: Int32Array): number {
  let c = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] < 0) c++;
  return c;
}

function countPositive(x: Float64Array): number {
  let c = 0;
  for (let i = 0; i < x.length; i++) if (x[i] > 0) c++;
  return c;
}

/** Each county's name: the name most of its residents carry (first seen on ties). */
function countyNames(codes: Int32Array, nCounties: number, countyName: MobilityInputs['persons']['countyName']): Array<string | null> {
  const names: Array<string | null> = new Array(nCounties).fill(null);
  if (!countyName) return names;
  const votes = Array.from({ length: nCounties }, () => new Map<number, number>());
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    const n = countyName.codes[i];
    if (c < 0 || n < 0) continue;
    votes[c].set(n, (votes[c].get(n) ?? 0) + 1);
  }
  for (let c = 0; c < nCounties; c++) {
    let best = -1;
    let bestCount = 0;
    for (const [n, count] of votes[c]) if (count > bestCount) [best, bestCount] = [n, count];
    if (best >= 0) names[c] = countyName.names[best];
  }
  return names;
}

/**
 * County centroids for smoothing: the bundled Census centroids (or --centroids); counties not listed
 * there (synthetic cities) are placed at the mean home location of their residents when homes are given.
 * A county with an estimate and no centroid either way is an InputError naming its FIPS.
 */
async function countyCentroids(fips: Int32Array, codes: Int32Array, raw: Float64Array, inputs: MobilityInputs, file?: string): Promise<{ lon: Float64Array; lat: Float64Array; source: string }> {
  const table = await loadCountyCentroids(file);
  const listed = new Set(table.fips);
  const { homeLat, homeLon } = inputs.persons;
  const sumLon = new Float64Array(fips.length);
  const sumLat = new Float64Array(fips.length);
  const count = new Float64Array(fips.length);
  if (homeLat && homeLon) {
    for (let i = 0; i < codes.length; i++) {
      const c = codes[i];
      if (c < 0 || listed.has(fips[c]) || !Number.isFinite(homeLat[i]) || !Number.isFinite(homeLon[i])) continue;
      sumLon[c] += homeLon[i];
      sumLat[c] += homeLat[i];
      count[c]++;
    }
  }
  const extra = [...fips.keys()].filter((c) => count[c] > 0);
  const merged = {
    file: table.file,
    fips: Int32Array.from([...table.fips, ...extra.map((c) => fips[c])]),
    lon: Float64Array.from([...table.lon, ...extra.map((c) => sumLon[c] / count[c])]),
    lat: Float64Array.from([...table.lat, ...extra.map((c) => sumLat[c] / count[c])]),
  };
  const { lon, lat } = centroidsForCounties(merged, fips, (c) => Number.isFinite(raw[c]), inputs.persons.file);
  const source = extra.length === 0 ? table.file : `${table.file}; ${extra.length} counties not listed there placed at their residents' mean home location`;
  return { lon, lat, source };
}

/** Per-person statistics, so a later run or another tool can start from them. */
function personStatsTable(inputs: MobilityInputs, enc: EncounterStage, msa: AreaLevelResult | null, county: AreaLevelResult | null): ColumnTable {
  const { persons } = inputs;
  const { n, sum, sumSq, centre } = enc.stats;
  const mean = new Float64Array(persons.count);
  const within = new Float64Array(persons.count);
  for (let i = 0; i < persons.count; i++) {
    mean[i] = n[i] > 0 ? centre + sum[i] / n[i] : NaN;
    within[i] = n[i] > 0 ? Math.max(0, sumSq[i] - (sum[i] * sum[i]) / n[i]) : NaN;
  }
  const idValues = persons.ids.allIntegers() && persons.count > 0 ? Float64Array.from({ length: persons.count }, (_, i) => persons.ids.idOf(i) as number) : persons.ids.idsAsStrings();
  return columnTable([
    { name: 'person_id', values: idValues },
    { name: 'ses', values: persons.ses },
    { name: 'n_endpoints', values: n },
    { name: 'partner_ses_mean', values: mean },
    { name: 'partner_ses_ss_within', values: within },
    ...(msa ? [{ name: 'high_partners_msa', values: msa.high }] : []),
    ...(county ? [{ name: 'high_partners_county', values: county.high }] : []),
  ]);
}
