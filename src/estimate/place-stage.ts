/**
 * The place stage of a run (SPEC section 5): place metrics, the place projection and Louvain
 * communities (measures/communities.ts analysePlaces), on a pool worker when there is a pool.
 *
 * The stage reads only the graph, the co-presence groups and the persons' SES and MSAs, not the
 * encounter counts, so it is started as soon as the groups exist and runs on one worker while the main
 * thread and the other workers count encounters and fit the areas: on two cores the stage costs no wall
 * time of its own. It is one task running the same function on the same arrays (the graph and the
 * groups in shared memory, seen by the worker without a copy; the small per-person and per-place
 * columns cloned), so its tables are the same bytes for any --threads. Louvain itself stays sequential
 * (graphology, one area after the other, each with its own seeded stream).
 */
import type { BipartiteGraph } from '../graph/bipartite.js';
import type { CoPresenceGroups } from '../encounters/groups.js';
import { analysePlaces, placeIdValues, type AnalysePlacesOptions, type AnalysePlacesPersons, type AnalysePlacesPlaces, type PlaceAnalysis } from '../measures/communities.js';
import { sharedBufferOf, type TaskContext, type WorkerPool } from '../parallel/pool.js';

export interface PlaceStageInput {
  graph: BipartiteGraph;
  groups: CoPresenceGroups;
  persons: AnalysePlacesPersons;
  places: AnalysePlacesPlaces;
  options: AnalysePlacesOptions;
}

/** What the worker receives besides the shared graph and groups (structured-cloned). */
interface PlaceTaskArgs {
  graph: Pick<BipartiteGraph, 'nPersons' | 'nPlaces' | 'nVisits'>;
  groups: Pick<CoPresenceGroups, 'nPersons' | 'nGroups' | 'binSeconds' | 'nEntries'>;
  persons: { ses: Float64Array; msaCodes: Int32Array | null; msaNames: string[] | null };
  places: { ids: Float64Array | string[]; msaCodes: Int32Array | null; msaNames: string[] | null; category: { codes: Int32Array; names: string[] } | null };
  options: AnalysePlacesOptions;
}

/**
 * Start the place stage: on a worker of `pool` when it has more than one thread (the graph and groups
 * must then be in shared memory to avoid a copy: buildBipartiteGraph / buildCoPresenceGroups with
 * sharedArrays), else in the calling thread. Resolves with analysePlaces' result either way.
 */
export async function startPlaceStage(input: PlaceStageInput, pool: WorkerPool | null): Promise<PlaceAnalysis> {
  const { graph: g, groups, persons, places, options } = input;
  if (!pool || pool.threads <= 1) return analysePlaces(g, groups, persons, places, options);
  const shared: Record<string, SharedArrayBuffer> = {
    placeOffsets: sharedBufferOf(g.placeOffsets),
    placePerson: sharedBufferOf(g.placePerson),
    placeTimes: sharedBufferOf(g.placeTimes),
    personOffsets: sharedBufferOf(g.personOffsets),
    personEdge: sharedBufferOf(g.personEdge),
    groupOffsets: sharedBufferOf(groups.groupOffsets),
    groupMembers: sharedBufferOf(groups.groupMembers),
    groupPlace: sharedBufferOf(groups.groupPlace),
    groupBin: sharedBufferOf(groups.groupBin),
  };
  const args: PlaceTaskArgs = {
    graph: { nPersons: g.nPersons, nPlaces: g.nPlaces, nVisits: g.nVisits },
    groups: { nPersons: groups.nPersons, nGroups: groups.nGroups, binSeconds: groups.binSeconds, nEntries: groups.nEntries },
    persons: { ses: persons.ses, msaCodes: persons.msaCodes ?? null, msaNames: persons.msaNames ?? null },
    // an IdIndex is a class: its ids travel as plain values (the same values analysePlaces writes)
    places: { ids: placeIdValues(places.ids, g.nPlaces), msaCodes: places.msaCodes ?? null, msaNames: places.msaNames ?? null, category: places.category ?? null },
    options,
  };
  const [result] = await pool.run<PlaceTaskArgs, PlaceAnalysis>({ moduleUrl: import.meta.url, exportName: 'placeStageTask', shared, args, tasks: [{ start: 0, end: 1 }] });
  return result;
}

/** Pool task: analysePlaces on the shared graph and groups (one task, the whole stage). */
export function placeStageTask({ shared, args }: TaskContext<PlaceTaskArgs>): PlaceAnalysis {
  const graph: BipartiteGraph = {
    ...args.graph,
    placeOffsets: new Int32Array(shared.placeOffsets),
    placePerson: new Int32Array(shared.placePerson),
    placeTimes: new Float64Array(shared.placeTimes),
    personOffsets: new Int32Array(shared.personOffsets),
    personEdge: new Int32Array(shared.personEdge),
  };
  const groups: CoPresenceGroups = {
    ...args.groups,
    groupOffsets: new Int32Array(shared.groupOffsets),
    groupMembers: new Int32Array(shared.groupMembers),
    groupPlace: new Int32Array(shared.groupPlace),
    groupBin: new Float64Array(shared.groupBin),
  };
  return analysePlaces(graph, groups, args.persons, args.places, args.options);
}
