/**
 * The encounter stage of a run: from visits (bipartite graph -> co-presence groups) or pair records to
 * per-person sufficient statistics in the chosen counting mode, plus a kernel that counts each
 * person's high-SES partners against per-person thresholds (for the bridging index).
 */
import { buildBipartiteGraph, type BipartiteGraph } from '../graph/bipartite.js';
import { buildCoPresenceGroupsParallel, type CoPresenceGroups } from '../encounters/groups.js';
import { weightedHighCounts, weightedPersonStats } from '../encounters/weighted.js';
import { distinctEncountersParallel } from '../encounters/distinct.js';
import { heapArrays, sharedArrays, type ArrayAllocator, type WorkerPool } from '../parallel/pool.js';
import { partnerListsFromPairs } from '../encounters/pairs.js';
import { partnerHighCountsParallel, partnerStats, sesCentre, type PartnerLists, type PersonStats } from '../encounters/person-stats.js';
import { UsageError } from '../io/errors.js';
import type { World } from './world.js';
import type { Progress } from './progress.js';
import type { AreaLevel } from '../io/load-person-stats.js';
import { encountersFromPersonStats } from './person-stats-stage.js';

export type CountingMode = 'distinct' | 'weighted';

export interface EncounterOptions {
  mode: CountingMode;
  binSeconds: number;
  minDays: number;
  excludeSameHome: boolean;
  dayOffsetSeconds: number;
}

export interface EncounterStage {
  stats: PersonStats;
  /**
   * h_i: endpoints of person i whose partner has SES >= threshold[i] (NaN threshold -> 0); `level` names
   * the areas the thresholds are medians of (precomputed statistics keep one count per level)
   */
  highCounts(threshold: Float64Array, level: AreaLevel): Float64Array | Promise<Float64Array>;
  graph: BipartiteGraph | null;
  groups: CoPresenceGroups | null;
  partners: PartnerLists | null;
  /** household of each person when same-home encounters are excluded */
  homeOf: Int32Array | null;
  counts: Record<string, number>;
}

/**
 * The encounter stage. With a pool of several threads the graph and the groups are built in shared
 * memory (the workers counting partners, and those of later stages, read them without a copy), the
 * groups by place range on the pool, and
 * `onGroups` is called as soon as the groups exist, before the partners are counted, so that a stage
 * needing only the graph and the groups (places, communities) can start on a worker meanwhile.
 */
export async function computeEncounters(inputs: World, options: EncounterOptions, progress?: Progress, pool: WorkerPool | null = null, onGroups?: (graph: BipartiteGraph, groups: CoPresenceGroups) => void): Promise<EncounterStage> {
  if (inputs.personStats) return encountersFromPersonStats(inputs.personStats);
  const { persons } = inputs;
  const ses = persons.ses;
  const centre = sesCentre(ses);
  if (options.excludeSameHome && persons.homeId === null) {
    throw new UsageError(`--exclude-same-home needs a home_id column in ${persons.file}`);
  }
  const homeOf = options.excludeSameHome ? persons.homeId : null;
  if (options.mode === 'weighted' && options.minDays > 1 && inputs.visits) {
    throw new UsageError('--min-days applies to distinct pairs; use --mode distinct (the paper\'s) with --min-days');
  }
  const alloc = pool && pool.threads > 1 ? sharedArrays : heapArrays;
  if (inputs.visits) {
    const graph = buildBipartiteGraph(inputs.visits.chunks, persons.count, inputs.places.count, alloc);
    const groups = await buildCoPresenceGroupsParallel(graph, options.binSeconds, pool, alloc);
    onGroups?.(graph, groups);
    const counts: Record<string, number> = { visits: graph.nVisits, visit_bins: groups.nEntries, copresence_groups: groups.nGroups, places: graph.nPlaces };
    if (options.mode === 'weighted') {
      const stats = weightedPersonStats(groups, ses, centre, homeOf);
      counts.encounter_endpoints = sum(stats.n);
      return { stats, highCounts: (t) => weightedHighCounts(groups, ses, t, homeOf), graph, groups, partners: null, homeOf, counts };
    }
    progress?.start('distinct encounter pairs', 1000);
    const distinct = await distinctEncountersParallel(groups, ses, centre, { minDays: options.minDays, homeOf, dayOffsetSeconds: options.dayOffsetSeconds, onProgress: (f) => progress?.update(Math.round(1000 * f)) }, pool);
    progress?.update(1000);
    progress?.stop();
    const { lists: partners, stats } = distinct;
    counts.encounter_endpoints = partners.partners.length;
    return { stats, highCounts: (t) => partnerHighCountsParallel(partners, ses, t, pool), graph, groups, partners, homeOf, counts };
  }
  const pairs = inputs.pairs!;
  // SPEC section 1: with pairs only, the person-place graph comes from place_id where present (each
  // row puts both persons at the place at its time); statistics still come from the pairs themselves.
  const graph = pairs.place ? graphFromPairs(pairs, persons.count, inputs.places.count, alloc) : null;
  const groups = graph ? await buildCoPresenceGroupsParallel(graph, options.binSeconds, pool, alloc) : null;
  if (graph && groups) onGroups?.(graph, groups);
  const partners = partnerListsFromPairs(pairs, persons.count, { mode: options.mode, binSeconds: options.binSeconds, minDays: options.minDays, homeOf, dayOffsetSeconds: options.dayOffsetSeconds });
  const stats = partnerStats(partners, ses, centre);
  return {
    stats,
    highCounts: (t) => partnerHighCountsParallel(partners, ses, t, pool),
    graph,
    groups,
    partners,
    homeOf,
    counts: { pair_records: pairs.a.length, encounter_endpoints: sum(stats.n) },
  };
}

/** Visits implied by pair rows with a place: (a, place, time) and (b, place, time); no time -> 0. */
function graphFromPairs(pairs: NonNullable<World['pairs']>, nPersons: number, nPlaces: number, alloc: ArrayAllocator): BipartiteGraph {
  const place = pairs.place!;
  let m = 0;
  for (let r = 0; r < place.length; r++) if (place[r] >= 0) m += 2;
  const person = new Int32Array(m);
  const where = new Int32Array(m);
  const start = new Float64Array(m);
  let k = 0;
  for (let r = 0; r < place.length; r++) {
    if (place[r] < 0) continue;
    const t = pairs.time && !Number.isNaN(pairs.time[r]) ? pairs.time[r] : 0;
    person[k] = pairs.a[r];
    person[k + 1] = pairs.b[r];
    where[k] = where[k + 1] = place[r];
    start[k] = start[k + 1] = t;
    k += 2;
  }
  return buildBipartiteGraph({ person, place: where, start, end: new Float64Array(m).fill(NaN) }, nPersons, nPlaces, alloc);
}

function sum(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}
