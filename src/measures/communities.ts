/**
 * Communities of places (SPEC section 5): Louvain on the bounded shared-visitor projection of each area
 * (src/graph/place-projection.ts), with modularity, each community's size and visitor SES, the share of
 * encounters inside communities, and each place's participation coefficient; and `analysePlaces`, the
 * entry point that computes places.csv and communities.csv for a run.
 *
 * Definitions.
 *  - Louvain: graphology-communities-louvain 2.0 (Blondel et al. 2008, "Fast unfolding of communities in
 *    large networks", J. Stat. Mech. P10008), weighted, resolution 1, random-walk order with a seeded
 *    rng: createRng(deriveSeed(seed, 'louvain', area)).next. Run per area on the area's places that
 *    have at least one visit; a place without projection edges is its own community (as Louvain leaves
 *    it); a place without visits has no community (-1). Communities are numbered 0.. within each area by
 *    their first place in place order.
 *  - Modularity (Newman & Girvan 2004; Newman 2006, PNAS 103:8577), weighted, resolution 1:
 *    Q = sum_c [ L_c / m - (d_c / (2 m))^2 ], m = total edge weight, L_c = weight of the edges inside c,
 *    d_c = total weighted degree of c's places. Computed here from the partition (and equal to the
 *    value graphology reports).
 *  - Participation coefficient (Guimera & Amaral 2005, "Functional cartography of complex metabolic
 *    networks", Nature 433:895), weighted: P_q = 1 - sum_c (w_qc / w_q)^2, w_qc = weight of q's
 *    projection edges to places of community c (its own included), w_q = its weighted degree. 0 when all
 *    of q's neighbours are in one community; NaN for a place without edges.
 *  - Home community of a person: the community of the place they visited most often (visit records;
 *    ties: the smaller place index), -1 when that place has no community. An encounter (a co-presence
 *    of two persons at one place in one bin: every pair of members of a co-presence group, counted
 *    once per (pair, place, bin) as in the weighted mode) is "within a community" when both persons
 *    have the same home community (>= 0). share_within of an area = within encounters / all encounters
 *    at the area's places; encounters with a person without home community count in the denominator.
 *    Encounters happen at places, so the question asked is whether places bring together people whose
 *    everyday places belong to the same community or people from different communities.
 *  - Community size: its places, and its distinct visitors (persons with at least one visit to one of
 *    its places; a person may count in several communities), with the mean and sample sd (n - 1) of
 *    their SES; home_persons = persons whose home community it is.
 */
import louvainModule from 'graphology-communities-louvain';
import { UndirectedGraph } from 'graphology';
import { personPlaces, type BipartiteGraph } from '../graph/bipartite.js';
import type { CoPresenceGroups } from '../encounters/groups.js';
import { buildPlaceProjection, DEFAULT_MAX_PERSON_PLACES, DEFAULT_PROJECTION_K, type PlaceProjection } from '../graph/place-projection.js';
import { columnTable, type ColumnTable } from '../io/column-table.js';
import type { IdIndex } from '../io/id-index.js';
import { createRng, deriveSeed } from '../math/random.js';
import { mean, deviation } from '../math/stats.js';
import { partitionByCode } from '../math/partition.js';
import { assignPlaceAreas, placeMetrics, placeMetricsTable, type PlaceMetrics } from './place-metrics.js';

// The package is CommonJS (module.exports = louvain) but its types declare `export default`: under
// NodeNext the default import is typed as the module namespace, while at run time it is the function.
type Louvain = typeof louvainModule.default;
const louvain: Louvain = (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

export interface LouvainResult {
  /** community of each of the given places (same order), 0 .. count - 1 */
  community: Int32Array;
  count: number;
  /** the modularity graphology reports for the partition */
  louvainModularity: number;
}

/**
 * Louvain communities of the given places (ascending place indices, all from one area: the projection
 * never links areas) on the weighted projection. Deterministic for a given rng.
 */
export function louvainPartition(proj: PlaceProjection, places: Int32Array, rng: () => number): LouvainResult {
  const n = places.length;
  const community = new Int32Array(n);
  let edges = 0;
  for (let k = 0; k < n; k++) edges += proj.offsets[places[k] + 1] - proj.offsets[places[k]];
  if (edges === 0) {
    for (let k = 0; k < n; k++) community[k] = k;
    return { community, count: n, louvainModularity: NaN };
  }
  const graph = new UndirectedGraph({ allowSelfLoops: false, multi: false });
  for (let k = 0; k < n; k++) graph.addNode(String(places[k]));
  for (let k = 0; k < n; k++) {
    const p = places[k];
    const key = String(p);
    for (let e = proj.offsets[p]; e < proj.offsets[p + 1]; e++) {
      const q = proj.neighbours[e];
      if (q > p) graph.addUndirectedEdge(key, String(q), { weight: proj.weights[e] });
    }
  }
  const detailed = louvain.detailed(graph, { getEdgeWeight: 'weight', resolution: 1, rng, randomWalk: true, fastLocalMoves: true });
  // renumber by first appearance in place order
  const relabel = new Map<number, number>();
  for (let k = 0; k < n; k++) {
    const c = detailed.communities[String(places[k])];
    let r = relabel.get(c);
    if (r === undefined) {
      r = relabel.size;
      relabel.set(c, r);
    }
    community[k] = r;
  }
  return { community, count: relabel.size, louvainModularity: detailed.modularity };
}

/**
 * Weighted modularity (resolution 1) of a partition of the given places:
 * Q = sum_c [ L_c / m - (d_c / (2 m))^2 ], with m the total weight of the edges among `places`,
 * L_c the weight of edges with both ends in c and d_c the summed weighted degree of c.
 * `community[k]` is the community (0 .. nCommunities - 1) of places[k]. NaN without edges.
 */
export function modularity(proj: PlaceProjection, places: Int32Array, community: Int32Array, nCommunities: number): number {
  const position = new Map<number, number>();
  for (let k = 0; k < places.length; k++) position.set(places[k], k);
  const inside = new Float64Array(nCommunities);
  const degree = new Float64Array(nCommunities);
  let twoM = 0;
  for (let k = 0; k < places.length; k++) {
    const p = places[k];
    const c = community[k];
    for (let e = proj.offsets[p]; e < proj.offsets[p + 1]; e++) {
      const w = proj.weights[e];
      const other = position.get(proj.neighbours[e]);
      if (other === undefined) continue;
      twoM += w;
      degree[c] += w;
      if (community[other] === c) inside[c] += w; // each inside edge seen from both ends: 2 L_c
    }
  }
  if (twoM === 0) return NaN;
  let q = 0;
  for (let c = 0; c < nCommunities; c++) q += inside[c] / twoM - (degree[c] / twoM) ** 2;
  return q;
}

/**
 * Participation coefficient of every place (Guimera & Amaral 2005), weighted:
 * P_q = 1 - sum_c (w_qc / w_q)^2 over the communities c of q's projection neighbours.
 * `placeCommunity` holds a community id per place (ids need only be distinct among neighbours, e.g.
 * area-local ids, since edges stay within an area); NaN for places without edges.
 */
export function participationCoefficients(proj: PlaceProjection, placeCommunity: Int32Array): Float64Array {
  let maxId = -1;
  for (let q = 0; q < placeCommunity.length; q++) if (placeCommunity[q] > maxId) maxId = placeCommunity[q];
  const wc = new Float64Array(maxId + 1);
  const touched: number[] = [];
  const out = new Float64Array(proj.nPlaces);
  for (let q = 0; q < proj.nPlaces; q++) {
    let wq = 0;
    touched.length = 0;
    for (let e = proj.offsets[q]; e < proj.offsets[q + 1]; e++) {
      const c = placeCommunity[proj.neighbours[e]];
      if (c < 0) continue;
      if (wc[c] === 0) touched.push(c);
      wc[c] += proj.weights[e];
      wq += proj.weights[e];
    }
    let s = 0;
    for (const c of touched) {
      s += (wc[c] / wq) ** 2;
      wc[c] = 0;
    }
    out[q] = wq > 0 ? 1 - s : NaN;
  }
  return out;
}

/** The place each person visited most often (visit records; ties: the smaller place index); -1 without visits. */
export function mostVisitedPlaces(g: BipartiteGraph): Int32Array {
  const personPlace = personPlaces(g);
  const count = new Int32Array(g.nPlaces);
  const home = new Int32Array(g.nPersons).fill(-1);
  for (let i = 0; i < g.nPersons; i++) {
    const from = g.personOffsets[i];
    const to = g.personOffsets[i + 1];
    let best = -1;
    for (let r = from; r < to; r++) {
      const q = personPlace[r];
      const c = ++count[q];
      if (best < 0 || c > count[best] || (c === count[best] && q < best)) best = q;
    }
    for (let r = from; r < to; r++) count[personPlace[r]] = 0;
    home[i] = best;
  }
  return home;
}

/**
 * Co-presence encounters per area and those within one home community: for every group (place, bin)
 * at a place of area a with n members, pairs_a += n (n - 1) / 2 and within_a += sum_c n_c (n_c - 1) / 2
 * over the home communities c >= 0 of its members (`personCommunity`, ids unique across areas).
 */
export function encountersWithinCommunities(groups: CoPresenceGroups, personCommunity: Int32Array, placeArea: Int32Array, nAreas: number): { pairs: Float64Array; within: Float64Array } {
  const pairs = new Float64Array(nAreas);
  const within = new Float64Array(nAreas);
  let maxId = -1;
  for (let i = 0; i < personCommunity.length; i++) if (personCommunity[i] > maxId) maxId = personCommunity[i];
  const count = new Int32Array(maxId + 1);
  const touched: number[] = [];
  for (let gi = 0; gi < groups.nGroups; gi++) {
    const a = placeArea[groups.groupPlace[gi]];
    if (a < 0) continue;
    const from = groups.groupOffsets[gi];
    const to = groups.groupOffsets[gi + 1];
    const n = to - from;
    pairs[a] += (n * (n - 1)) / 2;
    touched.length = 0;
    for (let x = from; x < to; x++) {
      const c = personCommunity[groups.groupMembers[x]];
      if (c < 0) continue;
      if (count[c]++ === 0) touched.push(c);
    }
    for (const c of touched) {
      within[a] += (count[c] * (count[c] - 1)) / 2;
      count[c] = 0;
    }
  }
  return { pairs, within };
}

export interface CommunityVisitors {
  places: Int32Array;
  visitors: Int32Array;
  sesMean: Float64Array;
  sesSd: Float64Array;
}

/**
 * Per community (global ids 0 .. nCommunities - 1 in `placeCommunity`, -1 = none): number of places,
 * distinct visitors of its places, and their SES mean and sample sd (n - 1, two-pass).
 */
export function communityVisitorSes(g: BipartiteGraph, ses: Float64Array, placeCommunity: Int32Array, nCommunities: number): CommunityVisitors {
  const places = new Int32Array(nCommunities);
  for (let q = 0; q < g.nPlaces; q++) if (placeCommunity[q] >= 0) places[placeCommunity[q]]++;
  const offsets = new Int32Array(nCommunities + 1);
  for (let c = 0; c < nCommunities; c++) offsets[c + 1] = offsets[c] + places[c];
  const cursor = offsets.slice(0, nCommunities);
  const members = new Int32Array(offsets[nCommunities]);
  for (let q = 0; q < g.nPlaces; q++) if (placeCommunity[q] >= 0) members[cursor[placeCommunity[q]]++] = q;
  const seen = new Int32Array(g.nPersons).fill(-1);
  const buffer = new Float64Array(g.nPersons);
  const visitors = new Int32Array(nCommunities);
  const sesMean = new Float64Array(nCommunities);
  const sesSd = new Float64Array(nCommunities);
  for (let c = 0; c < nCommunities; c++) {
    let n = 0;
    for (let z = offsets[c]; z < offsets[c + 1]; z++) {
      const q = members[z];
      for (let r = g.placeOffsets[q]; r < g.placeOffsets[q + 1]; r++) {
        const i = g.placePerson[r];
        if (seen[i] === c) continue;
        seen[i] = c;
        buffer[n++] = ses[i];
      }
    }
    const values = buffer.subarray(0, n);
    visitors[c] = n;
    sesMean[c] = mean(values);
    sesSd[c] = deviation(values);
  }
  return { places, visitors, sesMean, sesSd };
}

export interface AnalysePlacesPersons {
  ses: Float64Array;
  /** home MSA codes into msaNames (-1 = missing); absent: one area of all persons */
  msaCodes?: Int32Array | null;
  msaNames?: string[] | null;
}

export interface AnalysePlacesPlaces {
  /** place ids in dense order (an IdIndex, or the ids themselves) */
  ids: IdIndex | Float64Array | string[];
  msaCodes?: Int32Array | null;
  msaNames?: string[] | null;
  category?: { codes: Int32Array; names: string[] } | null;
}

export interface AnalysePlacesOptions {
  binSeconds: number;
  seed: number | string;
  /** neighbours kept per place in the projection (default 20) */
  projectionK?: number;
  /** person degree cap of the projection (default 200) */
  maxPersonPlaces?: number;
}

export interface PlaceAnalysis {
  /** places.csv: place_id, category, msa, msa_source, metrics, community, participation */
  places: ColumnTable;
  /** communities.csv: area, community, places, visitors, ses_mean, ses_sd, home_persons */
  communities: ColumnTable;
  /** per area: area, places, modularity, n_communities, encounters, share_within, projection_k, projection_edges, max_person_places, persons_sampled */
  areaSummary: ColumnTable;
  metrics: PlaceMetrics;
  areaLabels: string[];
  /** area of each place (index into areaLabels, -1 = none) */
  placeArea: Int32Array;
  /** area-local community of each place (-1 = none) */
  placeCommunity: Int32Array;
  placeParticipation: Float64Array;
  projection: PlaceProjection;
}

/** Label of the single area used when neither persons nor places carry an MSA. */
export const ALL_PERSONS_AREA = 'all';

/**
 * Place metrics and communities for a run. Areas are the MSAs named by persons or places (sorted by
 * name); without any MSA column there is one area, "all". See place-metrics.ts for the metrics and
 * the module comment for the communities.
 */
export function analysePlaces(g: BipartiteGraph, groups: CoPresenceGroups, persons: AnalysePlacesPersons, places: AnalysePlacesPlaces, options: AnalysePlacesOptions): PlaceAnalysis {
  const personPlace = personPlaces(g);
  const k = options.projectionK ?? DEFAULT_PROJECTION_K;
  const cap = options.maxPersonPlaces ?? DEFAULT_MAX_PERSON_PLACES;
  const hasMsa = Boolean((persons.msaCodes && persons.msaNames) || (places.msaCodes && places.msaNames));
  // areas: the union of the MSA names of persons and places, sorted
  let areaLabels: string[];
  let personArea: Int32Array;
  let givenPlaceArea: Int32Array | null = null;
  if (hasMsa) {
    areaLabels = [...new Set([...(persons.msaNames ?? []), ...(places.msaNames ?? [])])].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const index = new Map(areaLabels.map((name, a) => [name, a]));
    const recode = (codes: Int32Array, names: string[]): Int32Array => {
      const map = Int32Array.from(names, (name) => index.get(name)!);
      return Int32Array.from(codes, (c) => (c >= 0 ? map[c] : -1));
    };
    personArea = persons.msaCodes && persons.msaNames ? recode(persons.msaCodes, persons.msaNames) : new Int32Array(g.nPersons).fill(-1);
    if (places.msaCodes && places.msaNames) givenPlaceArea = recode(places.msaCodes, places.msaNames);
  } else {
    areaLabels = [ALL_PERSONS_AREA];
    personArea = new Int32Array(g.nPersons);
  }
  const nAreas = areaLabels.length;
  const assigned = assignPlaceAreas(g, personArea, nAreas, givenPlaceArea);
  const placeArea = assigned.area;
  const metrics = placeMetrics(g, persons.ses, personArea, nAreas, placeArea, options.binSeconds);

  // projection and Louvain per area
  const projection = buildPlaceProjection(g, placeArea, { k, maxPersonPlaces: cap, seed: options.seed });
  const byArea = partitionByCode(placeArea, nAreas);
  const placeCommunity = new Int32Array(g.nPlaces).fill(-1);
  const globalCommunity = new Int32Array(g.nPlaces).fill(-1);
  const areaFirstCommunity = new Int32Array(nAreas + 1);
  const areaModularity = new Float64Array(nAreas).fill(NaN);
  const areaPlaces = new Int32Array(nAreas);
  const areaEdges = new Float64Array(nAreas);
  let nGlobal = 0;
  for (let a = 0; a < nAreas; a++) {
    areaFirstCommunity[a] = nGlobal;
    const all = byArea.persons.subarray(byArea.offsets[a], byArea.offsets[a + 1]);
    const visited = all.filter((q) => g.placeOffsets[q + 1] > g.placeOffsets[q]);
    areaPlaces[a] = visited.length;
    if (visited.length === 0) continue;
    let degreeSum = 0;
    for (const q of visited) degreeSum += projection.offsets[q + 1] - projection.offsets[q];
    areaEdges[a] = degreeSum / 2;
    const rng = createRng(deriveSeed(options.seed, 'louvain', areaLabels[a])).next;
    const part = louvainPartition(projection, visited, rng);
    for (let z = 0; z < visited.length; z++) {
      placeCommunity[visited[z]] = part.community[z];
      globalCommunity[visited[z]] = nGlobal + part.community[z];
    }
    areaModularity[a] = modularity(projection, visited, part.community, part.count);
    nGlobal += part.count;
  }
  areaFirstCommunity[nAreas] = nGlobal;
  const participation = participationCoefficients(projection, placeCommunity);

  // home communities and encounters within them
  const home = mostVisitedPlaces(g);
  const personCommunity = Int32Array.from(home, (q) => (q >= 0 ? globalCommunity[q] : -1));
  const { pairs, within } = encountersWithinCommunities(groups, personCommunity, placeArea, nAreas);
  const homePersons = new Int32Array(nGlobal);
  for (let i = 0; i < personCommunity.length; i++) if (personCommunity[i] >= 0) homePersons[personCommunity[i]]++;
  const visitors = communityVisitorSes(g, persons.ses, globalCommunity, nGlobal);

  // persons whose places were sampled, per area they visited
  const sampledPerArea = new Float64Array(nAreas);
  const areaSeen = new Int32Array(nAreas).fill(-1);
  for (let i = 0; i < g.nPersons; i++) {
    if (!projection.sampled[i]) continue;
    for (let r = g.personOffsets[i]; r < g.personOffsets[i + 1]; r++) {
      const a = placeArea[personPlace[r]];
      if (a >= 0 && areaSeen[a] !== i) {
        areaSeen[a] = i;
        sampledPerArea[a]++;
      }
    }
  }

  // tables
  const communityArea: string[] = [];
  const communityLocal = new Int32Array(nGlobal);
  for (let a = 0; a < nAreas; a++) {
    for (let c = areaFirstCommunity[a]; c < areaFirstCommunity[a + 1]; c++) {
      communityArea.push(areaLabels[a]);
      communityLocal[c] = c - areaFirstCommunity[a];
    }
  }
  const communities = columnTable([
    { name: 'area', values: communityArea },
    { name: 'community', values: communityLocal },
    { name: 'places', values: visitors.places },
    { name: 'visitors', values: visitors.visitors },
    { name: 'ses_mean', values: visitors.sesMean },
    { name: 'ses_sd', values: visitors.sesSd },
    { name: 'home_persons', values: homePersons },
  ]);
  const listed = Array.from({ length: nAreas }, (_, a) => a).filter((a) => areaPlaces[a] > 0);
  const pick = (x: ArrayLike<number>): Float64Array => Float64Array.from(listed, (a) => x[a]);
  const areaSummary = columnTable([
    { name: 'area', values: listed.map((a) => areaLabels[a]) },
    { name: 'places', values: pick(areaPlaces) },
    { name: 'modularity', values: pick(areaModularity) },
    { name: 'n_communities', values: Float64Array.from(listed, (a) => areaFirstCommunity[a + 1] - areaFirstCommunity[a]) },
    { name: 'encounters', values: pick(pairs) },
    { name: 'share_within', values: Float64Array.from(listed, (a) => (pairs[a] > 0 ? within[a] / pairs[a] : NaN)) },
    { name: 'projection_k', values: Float64Array.from(listed, () => k) },
    { name: 'projection_edges', values: pick(areaEdges) },
    { name: 'max_person_places', values: Float64Array.from(listed, () => cap) },
    { name: 'persons_sampled', values: pick(sampledPerArea) },
  ]);

  const ids = placeIdValues(places.ids, g.nPlaces);
  const category = places.category ? Array.from(places.category.codes, (c) => (c >= 0 ? places.category!.names[c] : null)) : null;
  const msa = hasMsa ? Array.from(placeArea, (a) => (a >= 0 ? areaLabels[a] : null)) : null;
  const msaSource = hasMsa ? Array.from(placeArea, (a, q) => (a < 0 ? null : assigned.fromVisitors[q] ? 'visitors' : 'place')) : null;
  const placesTable = placeMetricsTable({ ids, category, msa, msaSource }, metrics, [
    { name: 'community', values: Float64Array.from(placeCommunity, (c) => (c >= 0 ? c : NaN)) },
    { name: 'participation', values: participation },
  ]);
  return { places: placesTable, communities, areaSummary, metrics, areaLabels, placeArea, placeCommunity, placeParticipation: participation, projection };
}

export function placeIdValues(ids: AnalysePlacesPlaces['ids'], n: number): Float64Array | string[] {
  const values = ids instanceof Float64Array || Array.isArray(ids) ? ids : ids.allIntegers() ? Float64Array.from({ length: ids.size }, (_, q) => ids.idOf(q) as number) : ids.idsAsStrings();
  if (values.length !== n) throw new RangeError(`analysePlaces: ${values.length} place ids for ${n} places`);
  return values;
}
