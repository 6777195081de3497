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

export async function estimateAreas(input: AreaLevelInput, enc: EncounterStage, ses: Float64Array, options: AreaEstimateOptions): Promise<AreaLevelResult> {
  const nAreas = input.keys.length;
  const partition = partitionByCode(input.codes, nAreas);
  const { stats } = enc;
  const centred = new Float64Array(ses.length);
  for (let i = 0; i < ses.length; i++) centred[i] = ses[i] - stats.centre;
  const areas: AreaResult[] = [];
  const thresholds = new Float64Array(ses.length).fill(NaN);
  const medians = new Float64Array(ses.length).fill(NaN);
  const fittedByArea: Int32Array[] = [];
  // The bootstrap of every area is queued on the pool at once and awaited after the loop: the workers
  // never wait for one area's last replicates (nor for the main thread's point fits) before starting
  // the next area's. Each area's replicates come back in replicate order, whichever worker ran them.
  const bootstraps: Array<Promise<void>> = [];
  let done = 0;
  const areaDone = () => options.progress.update(++done);
  options.progress.start(`${input.level} estimates`, nAreas);
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
        areaDone();
      });
      // a failure surfaces at Promise.all below; until then (the loop yields) it is not unhandled
      attached.catch(() => undefined);
      bootstraps.push(attached);
    } else {
      areaDone();
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
      for (let k = 0; k < persons.length; k++) {
        medians[persons[k]] = m;
        if (estimated) thresholds[persons[k]] = m;
      }
    }
    areas.push(area);
    // let the pool hand the queued replicates to idle workers while this thread fits the next areas
    if (options.pool && (a & 7) === 7) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await Promise.all(bootstraps);
  options.progress.stop();
  const high = await enc.highCounts(medians, input.level);
  if (options.permutations > 0) options.progress.start(`${input.level} BI permutations`, nAreas);
  for (let a = 0; a < nAreas; a++) {
    const fitted = fittedByArea[a];
    if (fitted.length === 0) continue;
    const m = thresholds[fitted[0]];
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
