/**
 * Per-area estimates for one level of geography (MSA or county of home): exposure segregation (REML
 * and naive, SPEC section 3) with its bootstrap interval, and the bridging index with ec (SPEC
 * section 4). Areas failing the minimum-sample rule get NaN and a note; BI follows ES.
 */
import { partitionByCode, type AreaPartition } from '../math/partition.js';
import { estimateAreaExposure, selectFittedPersons, type AreaExposureEstimate } from '../measures/exposure.js';
import { bootstrapAreaExposure, type AreaBootstrap } from '../measures/bootstrap.js';
import { areaMedianSes, bridgingIndex, type BridgingEstimate } from '../measures/bridging.js';
import { areaEndpointsFromGroups, areaEndpointsFromPartners, bridgingPermutationTest, type PermutationResult } from '../measures/bridging-permutation.js';
import type { WorkerPool } from '../parallel/pool.js';
import type { Progress } from './progress.js';
import type { EncounterStage } from './encounter-stage.js';

export interface AreaLevelInput {
  level: 'msa' | 'county';
  /** area code of each person (-1 = none) */
  codes: Int32Array;
  /** display key of each area (MSA title, FIPS) used in seeds and messages */
  keys: string[];
}

export interface AreaResult {
  exposure: AreaExposureEstimate;
  bootstrap: AreaBootstrap | null;
  bridging: BridgingEstimate | null;
  permutation: PermutationResult | null;
  /** persons of the area (with or without encounters) */
  residents: number;
}

export interface AreaEstimateOptions {
  maxPeople?: number;
  seed: number | string;
  bootstrap: number;
  /** permutations of the BI null (0 = none) */
  permutations: number;
  pool: WorkerPool | null;
  progress: Progress;
}

export interface AreaLevelResult {
  level: 'msa' | 'county';
  partition: AreaPartition;
  areas: AreaResult[];
  /** per person: the median of their area when it has an estimate (NaN otherwise): the BI's split */
  thresholds: Float64Array;
  /**
   * per person: the median SES of their area over its persons with encounters, estimated or not (NaN
   * outside every area or in an area without encounters): what `high` counts against, and what
   * person-stats.arrow records beside it
   */
  medians: Float64Array;
  /** per person: endpoints with partners at or above `medians` */
  high: Float64Array;
}

/**
 * One level's estimates, started: the point fits done in the calling thread, every bootstrap and the
 * high-partner counts queued on the pool (or, without one, being run), the medians known. `finishAreas`
 * completes it. Starting a second level before finishing the first queues its work behind the first
 * level's, so the pool never drains between levels, and the calling thread can do other work (another
 * level's point fits, residential indices) while the workers run the replicates.
 */
export interface StartedAreaLevel {
  input: AreaLevelInput;
  partition: AreaPartition;
  areas: AreaResult[];
  thresholds: Float64Array;
  medians: Float64Array;
  /**
   * per area: the BI's split, the median SES of its persons with encounters when it has an estimate
   * (NaN otherwise): what the bridging index and the residential indices divide low from high by
   */
  areaMedian: Float64Array;
  /** per area: its persons with encounters when it has an estimate (empty otherwise) */
  fittedByArea: Int32Array[];
  bootstraps: Promise<void>;
  high: Promise<Float64Array>;
  progress: LevelProgress;
}

/** Per-area estimates of one level (start and finish at once). */
export async function estimateAreas(input: AreaLevelInput, enc: EncounterStage, ses: Float64Array, options: AreaEstimateOptions): Promise<AreaLevelResult> {
  return finishAreas(startAreas(input, enc, ses, options), enc, ses, options);
}

/**
 * Start one level (StartedAreaLevel). With `showProgress` false its progress bar is held back until
 * `finishAreas` (a level queued behind another shows its bar once the other's is done).
 */
export async function startAreas(input: AreaLevelInput, enc: EncounterStage, ses: Float64Array, options: AreaEstimateOptions, showProgress = true): Promise<StartedAreaLevel> {
  const nAreas = input.keys.length;
  const partition = partitionByCode(input.codes, nAreas);
  const { stats } = enc;
  const centred = new Float64Array(ses.length);
  for (let i = 0; i < ses.length; i++) centred[i] = ses[i] - stats.centre;
  const areas: AreaResult[] = [];
  const thresholds = new Float64Array(ses.length).fill(NaN);
  const medians = new Float64Array(ses.length).fill(NaN);
  const areaMedian = new Float64Array(nAreas).fill(NaN);
  const fittedByArea: Int32Array[] = [];
  // The bootstrap of every area is queued on the pool at once and awaited in finishAreas: the workers
  // never wait for one area's last replicates (nor for the main thread's point fits) before starting
  // the next area's. Each area's replicates come back in replicate order, whichever worker ran them.
  const bootstraps: Array<Promise<void>> = [];
  const progress = new LevelProgress(options.progress, `${input.level} estimates`, nAreas);
  if (showProgress) progress.show();
  for (let a = 0; a < nAreas; a++) {
    const persons = partition.persons.subarray(partition.offsets[a], partition.offsets[a + 1]);
    const exposureInput = {
      persons,
      n: stats.n,
      sum: stats.sum,
      sumSq: stats.sumSq,
      ses: centred,
      maxPeople: options.maxPeople,
      seed: options.seed,
      areaKey: `${input.level}:${input.keys[a]}`,
    };
    const exposure = estimateAreaExposure(exposureInput);
    const area: AreaResult = { exposure, bootstrap: null, bridging: null, permutation: null, residents: persons.length };
    if (Number.isFinite(exposure.es) && options.bootstrap > 0) {
      const replicates = bootstrapAreaExposure(exposureInput, { replicates: options.bootstrap, seed: options.seed, pool: options.pool ?? undefined, threads: 1 });
      const attached = replicates.then((b) => {
        area.bootstrap = b;
        progress.areaDone();
      });
      // a failure surfaces where the bootstraps are awaited; until then (the loop yields) it is not unhandled
      attached.catch(() => undefined);
      bootstraps.push(attached);
    } else {
      progress.areaDone();
    }
    // the persons entering the estimate: those with at least one encounter (all of them, even when
    // --max-people samples the fit: BI is pooled over the area's encounters). Their median is every
    // resident's threshold when the area has an estimate; the high-partner counts are made against it
    // in every area with encounters, so that person-stats.arrow's counts mean the same for every person
    // (and equal those of the SQL route, which cannot know which areas will have an estimate).
    const withEncounters = selectFittedPersons({ ...exposureInput, maxPeople: undefined });
    const estimated = Number.isFinite(exposure.es);
    fittedByArea.push(estimated ? withEncounters : new Int32Array(0));
    if (withEncounters.length > 0) {
      const m = areaMedianSes(withEncounters, ses);
      if (estimated) areaMedian[a] = m;
      for (let k = 0; k < persons.length; k++) {
        medians[persons[k]] = m;
        if (estimated) thresholds[persons[k]] = m;
      }
    }
    areas.push(area);
    // let the pool hand the queued replicates to idle workers while this thread fits the next areas
    if (options.pool && (a & 7) === 7) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  // the counts need only the medians: queued now, behind this level's replicates
  const high = Promise.resolve(enc.highCounts(medians, input.level));
  high.catch(() => undefined);
  const all = Promise.all(bootstraps).then(() => undefined);
  all.catch(() => undefined);
  return { input, partition, areas, thresholds, medians, areaMedian, fittedByArea, bootstraps: all, high, progress };
}

/** Complete a started level: the bootstrap intervals, the bridging index and ec (and the BI permutation null). */
export async function finishAreas(started: StartedAreaLevel | Promise<StartedAreaLevel>, enc: EncounterStage, ses: Float64Array, options: AreaEstimateOptions): Promise<AreaLevelResult> {
  const level = await started;
  const { input, partition, areas, thresholds, medians, areaMedian, fittedByArea, bootstraps, progress } = level;
  const nAreas = areas.length;
  progress.show();
  await bootstraps;
  progress.stop();
  const high = await level.high;
  const { stats } = enc;
  if (options.permutations > 0) options.progress.start(`${input.level} BI permutations`, nAreas);
  for (let a = 0; a < nAreas; a++) {
    const fitted = fittedByArea[a];
    if (fitted.length === 0) continue;
    const m = areaMedian[a];
    areas[a].bridging = bridgingIndex(fitted, ses, stats.n, high, m);
    if (options.permutations > 0 && Number.isFinite(areas[a].bridging!.bi)) {
      const endpoints = enc.partners ? areaEndpointsFromPartners(fitted, ses, enc.partners, m) : areaEndpointsFromGroups(fitted, ses, enc.groups!, m, enc.homeOf);
      areas[a].permutation = await bridgingPermutationTest(endpoints, { permutations: options.permutations, seed: options.seed, areaKey: `${input.level}:${input.keys[a]}`, pool: options.pool });
    }
    options.progress.update(a + 1);
  }
  options.progress.stop();
  return { level: input.level, partition, areas, thresholds, medians, high };
}

/**
 * The progress bar of one level: areas are counted as their estimates complete; the bar is shown from
 * `show()` on (with the count so far), so that a level queued behind another does not interleave its
 * updates with the other's bar.
 */
class LevelProgress {
  private done = 0;
  private shown = false;
  private stopped = false;
  constructor(
    private readonly progress: Progress,
    private readonly label: string,
    private readonly total: number,
  ) {}

  show(): void {
    if (this.shown) return;
    this.shown = true;
    this.progress.start(this.label, this.total);
    if (this.done > 0) this.progress.update(this.done);
  }

  areaDone(): void {
    this.done++;
    if (this.shown && !this.stopped) this.progress.update(this.done);
  }

  stop(): void {
    this.stopped = true;
    this.progress.stop();
  }
}
