/**
 * The estimate seam: a world in memory in, every estimate of `mobiseg run` out, with no file I/O and
 * no printing. `run` is reading + estimateWorld + writing; scenarios call it on the baseline and on
 * each rewritten world; calibration and library users call it directly.
 *
 * Stages (SPEC sections 2-7): encounters -> place metrics and Louvain communities (visit input) ->
 * per-MSA and per-county ES (REML, bootstrap), BI, ec, residential indices -> county smoothing
 * (k nearest counties; empirical Bayes with the bootstrap variances).
 */
import { denseCodes, partitionByCode, sortedCodes } from '../math/partition.js';
import type { PlaceAnalysis } from '../measures/communities.js';
import type { BipartiteGraph } from '../graph/bipartite.js';
import type { CoPresenceGroups } from '../encounters/groups.js';
import { startPlaceStage } from './place-stage.js';
import type { WorkerPool } from '../parallel/pool.js';
import { residentialIndicesByArea, type AreaResidentialIndices } from '../residential/by-area.js';
import type { CountyCentroids } from '../smoothing/centroids.js';
import { shrinkEmpiricalBayes, stateOfFips } from '../smoothing/empirical-bayes.js';
import { smoothCountyKnn } from '../smoothing/knn.js';
import { finishAreas, startAreas, type AreaLevelResult } from './area-stage.js';
import { computeEncounters, type EncounterOptions, type EncounterStage } from './encounter-stage.js';
import { silentProgress, type Progress } from './progress.js';
import { UsageError } from '../io/errors.js';
import type { World } from './world.js';

/** What is estimated and how (the options of `mobiseg run` that are not about files). */
export interface EstimateOptions extends EncounterOptions {
  /** fit a seeded sample of at most this many persons per area */
  maxPeople?: number;
  seed: number | string;
  /** bootstrap replicates of the ES interval (0 = none) */
  bootstrap: number;
  /** permutations of the BI null (0 = none) */
  permutations: number;
  /** county smoothing: neighbours and their weight (SPEC section 6) */
  smoothK: number;
  smoothWeight: number;
  /** county centroids for smoothing (loaded by the caller); null = only residents' mean homes */
  centroids: CountyCentroids | null;
  /** place metrics and Louvain communities (SPEC section 5); default true */
  places?: boolean;
}

export const ESTIMATE_DEFAULTS: Omit<EstimateOptions, 'centroids'> = {
  mode: 'distinct',
  binSeconds: 300,
  minDays: 1,
  excludeSameHome: false,
  dayOffsetSeconds: 0,
  seed: 1,
  bootstrap: 200,
  permutations: 0,
  smoothK: 5,
  smoothWeight: 0.5,
  places: true,
};

export interface EstimateContext {
  pool?: WorkerPool | null;
  progress?: Progress;
}

export interface MsaEstimate {
  level: AreaLevelResult;
  /** MSA title of each area, sorted */
  names: string[];
  /** area code of each person (-1 = none), in the order of `names` */
  codes: Int32Array;
  residential: AreaResidentialIndices | null;
}

export interface CountyEstimate {
  level: AreaLevelResult;
  fips: Int32Array;
  names: Array<string | null>;
  codes: Int32Array;
  /** k-nearest smoothing (NaN without an estimate or without a centroid) */
  smoothed: Float64Array;
  /** empirical-Bayes shrinkage toward the state mean (NaN without a bootstrap) */
  eb: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  /** where the centroids came from, for the manifest */
  centroidSource: string;
  /** counties with an estimate but no centroid: not smoothed, with a note */
  withoutCentroid: number;
  /** per county: why it has no smoothed value ('' when it has one or needs none) */
  smoothingNote: string[];
  residential: AreaResidentialIndices | null;
}

export interface WorldEstimate {
  encounters: EncounterStage;
  places: PlaceAnalysis | null;
  msa: MsaEstimate | null;
  county: CountyEstimate | null;
  counts: Record<string, number>;
  /** seconds per stage */
  timings: Record<string, number>;
}

/** Every estimate of a run on an in-memory world. Same world, options and seed: same numbers, for any pool. */
export async function estimateWorld(world: World, options: EstimateOptions, context: EstimateContext = {}): Promise<WorldEstimate> {
  const progress = context.progress ?? silentProgress;
  const pool = context.pool ?? null;
  const timings: Record<string, number> = {};
  let t = performance.now();
  const mark = (step: string) => {
    const now = performance.now();
    timings[step] = Math.round(now - t) / 1000;
    t = now;
  };
  if (world.personStats && options.permutations > 0) {
    throw new UsageError('--permutations shuffles SES over the encounters of each area, which per-person statistics do not keep (only their sums): run from --visits or --encounters for the permutation null');
  }
  const { persons } = world;
  // The place stage needs only the graph and the groups: with a pool it starts on a worker as soon as
  // they exist and runs while encounters are counted and areas fitted (its timing then overlaps theirs);
  // without one it runs here, after the encounters.
  let placeStage: Promise<PlaceAnalysis> | null = null;
  let placeSeconds = 0;
  const startPlaces = (graph: BipartiteGraph, groups: CoPresenceGroups) => {
    progress.note('place metrics and Louvain communities');
    const started = performance.now();
    placeStage = startPlaceStage(
      {
        graph,
        groups,
        persons: { ses: persons.ses, msaCodes: persons.msa?.codes, msaNames: persons.msa?.names },
        places: { ids: world.places.ids, msaCodes: world.places.msa?.codes, msaNames: world.places.msa?.names, category: world.places.category ?? undefined },
        options: { binSeconds: options.binSeconds, seed: options.seed },
      },
      pool,
    ).then((r) => {
      placeSeconds = Math.round(performance.now() - started) / 1000;
      return r;
    });
    // a failure surfaces where the stage is awaited; meanwhile it must not count as unhandled
    placeStage.catch(() => undefined);
  };
  const wantPlaces = options.places !== false;
  const overlapPlaces = wantPlaces && pool !== null && pool.threads > 1;
  progress.note('counting encounters');
  const encounters = await computeEncounters(world, options, progress, pool, overlapPlaces ? startPlaces : undefined);
  mark('encounters');
  if (wantPlaces && !overlapPlaces && encounters.graph && encounters.groups) {
    startPlaces(encounters.graph, encounters.groups); // runs to its end in this thread
    mark('places_communities');
  }
  const areaOptions = { maxPeople: options.maxPeople, seed: options.seed, bootstrap: options.bootstrap, permutations: options.permutations, pool, progress };
  // With a pool, both levels are started before either is finished: the county point fits, and what
  // this thread computes from point fits alone (residential indices, county names and centroids,
  // k-nearest smoothing), run while the workers run the MSA replicates, and the county replicates queue
  // behind them, so the pool does not drain between the levels. msa_estimates then runs until the MSA
  // level is complete, county_estimates from there on.
  // Without a pool of several threads there is nothing to overlap: one level after the other.
  const overlapLevels = pool !== null && pool.threads > 1;
  const msaStarted = persons.msa ? await startMsaLevel(world, encounters, areaOptions) : null;
  const countyEarly = overlapLevels && persons.countyFips ? await startCountyLevel(world, encounters, options, areaOptions, msaStarted === null) : null;
  const msa = msaStarted ? await msaStarted.finish() : null;
  mark('msa_estimates');
  const countyStarted = countyEarly ?? (persons.countyFips ? await startCountyLevel(world, encounters, options, areaOptions, true) : null);
  const county = countyStarted ? await countyStarted.finish() : null;
  mark('county_estimates');
  const places = placeStage === null ? null : await (placeStage as Promise<PlaceAnalysis>);
  if (places && overlapPlaces) {
    // the time spent waiting for the stage after the others, and its own duration on its worker
    // (which overlaps the stages above)
    mark('places_wait');
    timings.places_communities = placeSeconds;
  }
  const counts: Record<string, number> = {
    persons: persons.count,
    places: world.places.count,
    ...encounters.counts,
    persons_with_encounters: countPositive(encounters.stats.n),
    // persons outside every area of a level enter no estimate of that level
    persons_without_msa: persons.msa ? countNegative(persons.msa.codes) : persons.count,
    persons_without_county: persons.countyFips ? countNegative(persons.countyFips) : persons.count,
    msas: msa?.level.areas.length ?? 0,
    msas_estimated: msa?.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length ?? 0,
    counties: county?.level.areas.length ?? 0,
    counties_estimated: county?.level.areas.filter((a) => Number.isFinite(a.exposure.es)).length ?? 0,
    counties_without_centroid: county?.withoutCentroid ?? 0,
  };
  return { encounters, places, msa, county, counts, timings };
}

type AreaOptions = Parameters<typeof startAreas>[3];

/** A level started (point fits done, replicates queued); `finish` awaits its pool work and completes it. */
interface StartedLevel<T> {
  finish(): Promise<T>;
}

/** ES, BI and residential indices per MSA of home. */
async function startMsaLevel(world: World, encounters: EncounterStage, areaOptions: AreaOptions): Promise<StartedLevel<MsaEstimate>> {
  const { persons } = world;
  const { codes, labels: names } = sortedCodes(persons.msa!.codes, persons.msa!.names);
  const started = await startAreas({ level: 'msa', codes, keys: names }, encounters, persons.ses, areaOptions);
  return {
    finish: async () => {
      // computed here, after the county point fits have been queued, while the workers run the replicates
      const residential = residentialForAreas(started.areaMedian, codes, world);
      const level = await finishAreas(started, encounters, persons.ses, areaOptions);
      return { level, names, codes, residential };
    },
  };
}

/** ES, BI, smoothing (k nearest, empirical Bayes) and residential indices per county of home. */
async function startCountyLevel(world: World, encounters: EncounterStage, options: EstimateOptions, areaOptions: AreaOptions, showProgress: boolean): Promise<StartedLevel<CountyEstimate>> {
  const { persons } = world;
  const dense = denseCodes(persons.countyFips!);
  const { codes, labels: values } = sortedCodes(dense.codes, dense.values);
  // started beside the MSA level, its progress bar waits for the MSA level's (whose replicates run first)
  const started = await startAreas({ level: 'county', codes, keys: values.map(String) }, encounters, persons.ses, areaOptions, showProgress);
  // everything but the empirical-Bayes shrinkage needs only the point fits: done while the replicates run
  const fips = Int32Array.from(values);
  const names = countyNames(codes, values.length, persons.countyName);
  const raw = Float64Array.from(started.areas, (a) => a.exposure.es);
  const { lon, lat, source } = countyCentroids(fips, codes, world, options.centroids);
  // a county without a centroid is neither smoothed nor anybody's neighbour; its raw estimate stands
  const located = (c: number) => Number.isFinite(lon[c]) && Number.isFinite(lat[c]);
  const rawLocated = Float64Array.from(raw, (x, c) => (located(c) ? x : NaN));
  const smoothed = smoothCountyKnn({ fips, raw: rawLocated, lon, lat, k: options.smoothK, weight: options.smoothWeight });
  const smoothingNote = Array.from(raw, (x, c) => (Number.isFinite(x) && !located(c) ? 'no centroid for this county: not smoothed (give --centroids, or home_lat/home_lon)' : ''));
  const withoutCentroid = smoothingNote.filter((s) => s !== '').length;
  const residential = residentialForAreas(started.areaMedian, codes, world);
  return {
    finish: async () => {
      const level = await finishAreas(started, encounters, persons.ses, areaOptions);
      // empirical-Bayes shrinkage toward the state mean with the bootstrap variances (SPEC section 6)
      const variance = Float64Array.from(level.areas, (a) => (a.bootstrap ? a.bootstrap.esSe * a.bootstrap.esSe : NaN));
      const eb = options.bootstrap > 1 ? shrinkEmpiricalBayes({ raw, variance, group: stateOfFips(fips) }).smoothed : new Float64Array(fips.length).fill(NaN);
      return { level, fips, names, codes, smoothed, eb, lon, lat, centroidSource: source, withoutCentroid, smoothingNote, residential };
    },
  };
}

/**
 * Residential indices of each area from persons' home tracts (SPEC section 7), with the low/high split
 * at the same median as the bridging index (`areaMedian`, NaN for an area without an estimate); null
 * without a home_tract column.
 */
function residentialForAreas(areaMedian: Float64Array, codes: Int32Array, world: World): AreaResidentialIndices | null {
  const tract = world.persons.homeTract;
  if (!tract) return null;
  return residentialIndicesByArea({ areaOfPerson: codes, nAreas: areaMedian.length, tractOfPerson: tract.codes, nTracts: tract.names.length, ses: world.persons.ses, areaMedian });
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

/**
 * Each county's name: the name most of its residents carry; on a tie the name first in sorted order, so
 * the name does not depend on the order of the persons rows.
 */
function countyNames(codes: Int32Array, nCounties: number, countyName: World['persons']['countyName']): Array<string | null> {
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
    for (const [n, count] of votes[c]) {
      if (count > bestCount || (count === bestCount && countyName.names[n] < countyName.names[best])) [best, bestCount] = [n, count];
    }
    if (best >= 0) names[c] = countyName.names[best];
  }
  return names;
}

/**
 * County centroids for smoothing: the given table (the bundled Census centroids or --centroids);
 * counties not listed there are placed at the mean home location of their residents when homes are
 * given (synthetic cities, new county codes); otherwise NaN (not smoothed).
 */
function countyCentroids(fips: Int32Array, codes: Int32Array, world: World, table: CountyCentroids | null): { lon: Float64Array; lat: Float64Array; source: string } {
  const index = new Map<number, number>();
  if (table) for (let j = 0; j < table.fips.length; j++) if (Number.isFinite(table.lon[j]) && Number.isFinite(table.lat[j])) index.set(table.fips[j], j);
  const { homeLat, homeLon } = world.persons;
  const lon = new Float64Array(fips.length).fill(NaN);
  const lat = new Float64Array(fips.length).fill(NaN);
  const homes = homeLat && homeLon ? partitionByCode(codes, fips.length) : null;
  let fromHomes = 0;
  for (let c = 0; c < fips.length; c++) {
    const j = index.get(fips[c]);
    if (j !== undefined) {
      lon[c] = table!.lon[j];
      lat[c] = table!.lat[j];
    } else if (homes) {
      const home = meanHome(homes.persons.subarray(homes.offsets[c], homes.offsets[c + 1]), homeLat!, homeLon!);
      if (home === null) continue;
      lon[c] = home.lon;
      lat[c] = home.lat;
      fromHomes++;
    }
  }
  const file = table?.file ?? 'no centroid table';
  return { lon, lat, source: fromHomes === 0 ? file : `${file}; ${fromHomes} counties not listed there placed at their residents' mean home location` };
}

/**
 * The mean home of persons with both coordinates, each coordinate summed in sorted order so that the
 * result does not depend on the order of the persons rows; null when none has a home.
 */
function meanHome(members: Int32Array, lat: Float64Array, lon: Float64Array): { lat: number; lon: number } | null {
  const located = Array.from(members).filter((i) => Number.isFinite(lat[i]) && Number.isFinite(lon[i]));
  if (located.length === 0) return null;
  return { lat: sortedMean(Float64Array.from(located, (i) => lat[i])), lon: sortedMean(Float64Array.from(located, (i) => lon[i])) };
}

function sortedMean(v: Float64Array): number {
  v.sort();
  let sum = 0;
  for (let k = 0; k < v.length; k++) sum += v[k];
  return sum / v.length;
}
