/**
 * What every intervention looks up in a world, built once per step in O(persons + places + visits):
 * the visits as one set of columns, the area of each person and place, the category of each place, the
 * candidate groups (the places of one category in one area, as CSR), each place's visit count and its
 * position on a local plane (km).
 *
 * Areas (the rule every intervention uses): the MSAs named by persons or places, sorted by name; without
 * any MSA column one area, "all". A person's area is its home MSA. A place's area is its own `msa`; a
 * place without one takes the MSA most of its distinct visitors live in (ties: the first MSA by name), as
 * places.csv does (measures/place-metrics.ts); a place with neither has no area (-1) and is nobody's
 * candidate. Without a category column every place is in one category (code 0, name "").
 *
 * Positions: equirectangular per area, x = lon * K * cos(phi_a), y = lat * K, with K = 111.195 km per
 * degree and phi_a the mean latitude of the area's places (error below 0.5% over 50 km at mid
 * latitudes); a home is placed on the plane of the area it is compared with.
 */
import { concatVisitChunks, type VisitArrays } from '../io/load-visits.js';
import { ALL_PERSONS_AREA } from '../measures/communities.js';
import { KM_PER_DEGREE } from '../simulation/tract-layout.js';
import type { World } from '../estimate/world.js';

export interface WorldIndex {
  world: World;
  /** the visits as one set of columns (the world's own arrays when it has a single chunk) */
  visits: VisitArrays;
  areaLabels: string[];
  /** area of each person (-1 = none) */
  personArea: Int32Array;
  /** area of each place (-1 = none) */
  placeArea: Int32Array;
  categoryNames: string[];
  /** category code of each place (-1 = none) */
  placeCategory: Int32Array;
  /** group of each place = area * categories + category (-1 without area or category) */
  placeGroup: Int32Array;
  nGroups: number;
  /** places of group g: groupPlaces[groupOffsets[g] .. groupOffsets[g + 1]), ascending */
  groupOffsets: Int32Array;
  groupPlaces: Int32Array;
  /** position of each place in its group's list (-1 without group) */
  placeRank: Int32Array;
  /** visits of each place in this world */
  visitCount: Float64Array;
  /** km per degree of longitude on each area's plane (K cos phi_a) */
  kmPerLonDegree: Float64Array;
  /** each place on its area's plane, km (NaN without lat/lon) */
  x: Float64Array | null;
  y: Float64Array | null;
}

/** A world's visits as one set of columns: its only chunk as it is, or the chunks concatenated once. */
export function visitColumns(world: World): VisitArrays {
  const chunks = world.visits?.chunks ?? [];
  return chunks.length === 1 ? chunks[0] : concatVisitChunks(chunks);
}

export function indexWorld(world: World): WorldIndex {
  const { places } = world;
  const visits = visitColumns(world);
  const { areaLabels, personArea, placeArea } = areas(world, visits);
  const nAreas = areaLabels.length;
  const categoryNames = places.category?.names ?? [''];
  const nCat = categoryNames.length;
  const placeCategory = places.category?.codes ?? new Int32Array(places.count);
  const placeGroup = Int32Array.from(placeArea, (a, q) => (a >= 0 && placeCategory[q] >= 0 ? a * nCat + placeCategory[q] : -1));
  const nGroups = nAreas * nCat;
  const groupOffsets = new Int32Array(nGroups + 1);
  for (let q = 0; q < places.count; q++) if (placeGroup[q] >= 0) groupOffsets[placeGroup[q] + 1]++;
  for (let g = 0; g < nGroups; g++) groupOffsets[g + 1] += groupOffsets[g];
  const groupPlaces = new Int32Array(groupOffsets[nGroups]);
  const placeRank = new Int32Array(places.count).fill(-1);
  const fill = groupOffsets.slice(0, nGroups);
  for (let q = 0; q < places.count; q++) {
    const g = placeGroup[q];
    if (g < 0) continue;
    placeRank[q] = fill[g] - groupOffsets[g];
    groupPlaces[fill[g]++] = q;
  }
  const visitCount = new Float64Array(places.count);
  for (let r = 0; r < visits.place.length; r++) visitCount[visits.place[r]]++;
  const kmPerLonDegree = new Float64Array(nAreas).fill(KM_PER_DEGREE);
  let x: Float64Array | null = null;
  let y: Float64Array | null = null;
  if (places.lat && places.lon) {
    const { lat, lon } = places;
    const sum = new Float64Array(nAreas);
    const count = new Float64Array(nAreas);
    for (let q = 0; q < places.count; q++) {
      if (placeArea[q] < 0 || !Number.isFinite(lat[q])) continue;
      sum[placeArea[q]] += lat[q];
      count[placeArea[q]]++;
    }
    for (let a = 0; a < nAreas; a++) if (count[a] > 0) kmPerLonDegree[a] = KM_PER_DEGREE * Math.cos(((sum[a] / count[a]) * Math.PI) / 180);
    x = Float64Array.from(lon, (v, q) => (placeArea[q] >= 0 && Number.isFinite(lat[q]) ? v * kmPerLonDegree[placeArea[q]] : NaN));
    y = Float64Array.from(lat, (v, q) => (placeArea[q] >= 0 && Number.isFinite(lon[q]) ? v * KM_PER_DEGREE : NaN));
  }
  return { world, visits, areaLabels, personArea, placeArea, categoryNames, placeCategory, placeGroup, nGroups, groupOffsets, groupPlaces, placeRank, visitCount, kmPerLonDegree, x, y };
}

/** The area labels of a world: the MSA names of persons and places, sorted; ["all"] without any. */
export function areaLabelsOf(world: World): string[] {
  const { persons, places } = world;
  if (!persons.msa && !places.msa) return [ALL_PERSONS_AREA];
  return [...new Set([...(persons.msa?.names ?? []), ...(places.msa?.names ?? [])])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Codes of a coded MSA column recoded to indices of `labels` (-1 = none; all 0 for the single area "all"). */
function recodeAreas(column: { codes: Int32Array; names: string[] } | null, n: number, labels: string[]): Int32Array {
  if (labels.length === 1 && labels[0] === ALL_PERSONS_AREA && !column) return new Int32Array(n);
  if (!column) return new Int32Array(n).fill(-1);
  const map = column.names.map((name) => labels.indexOf(name));
  return Int32Array.from(column.codes, (c) => (c >= 0 ? map[c] : -1));
}

/** The area of each person: its home MSA (see the module comment). */
export function personAreasOf(world: World, labels: string[]): Int32Array {
  return recodeAreas(world.persons.msa, world.persons.count, labels);
}

/** The areas of persons and places (see the module comment). */
function areas(world: World, visits: VisitArrays): { areaLabels: string[]; personArea: Int32Array; placeArea: Int32Array } {
  const { persons, places } = world;
  const areaLabels = areaLabelsOf(world);
  const personArea = personAreasOf(world, areaLabels);
  const placeArea = recodeAreas(places.msa, places.count, areaLabels);
  if (persons.msa && placeArea.includes(-1)) voteAreas(placeArea, personArea, areaLabels.length, visits);
  return { areaLabels, personArea, placeArea };
}

/**
 * Places without an area (-1) take the area most of their distinct visitors live in (ties: the lower
 * area index, i.e. the first MSA by name); in place.
 */
function voteAreas(placeArea: Int32Array, personArea: Int32Array, nAreas: number, visits: VisitArrays): void {
  const nPlaces = placeArea.length;
  const offsets = new Int32Array(nPlaces + 1);
  for (let r = 0; r < visits.place.length; r++) if (placeArea[visits.place[r]] < 0) offsets[visits.place[r] + 1]++;
  for (let q = 0; q < nPlaces; q++) offsets[q + 1] += offsets[q];
  const visitor = new Int32Array(offsets[nPlaces]);
  const fill = offsets.slice(0, nPlaces);
  for (let r = 0; r < visits.place.length; r++) if (placeArea[visits.place[r]] < 0) visitor[fill[visits.place[r]]++] = visits.person[r];
  const seen = new Int32Array(personArea.length).fill(-1);
  const votes = new Int32Array(nAreas);
  for (let q = 0; q < nPlaces; q++) {
    if (offsets[q + 1] === offsets[q]) continue;
    let best = -1;
    for (let k = offsets[q]; k < offsets[q + 1]; k++) {
      const i = visitor[k];
      if (seen[i] === q || personArea[i] < 0) continue;
      seen[i] = q;
      const a = personArea[i];
      votes[a]++;
      if (best < 0 || votes[a] > votes[best] || (votes[a] === votes[best] && a < best)) best = a;
    }
    for (let k = offsets[q]; k < offsets[q + 1]; k++) if (personArea[visitor[k]] >= 0) votes[personArea[visitor[k]]] = 0;
    placeArea[q] = best;
  }
}

/**
 * The visits of `list` reordered so that those of one home come together (households by home_id, a
 * person without one alone): a counting sort, O(visits + persons). Per-home caches then hit; results
 * never depend on this order (every draw is keyed by the visit).
 */
export function orderByHome(list: Int32Array, person: Int32Array, nPersons: number, homeId: Int32Array | null): Int32Array {
  let nHomes = 0;
  if (homeId) for (let i = 0; i < homeId.length; i++) if (homeId[i] >= nHomes) nHomes = homeId[i] + 1;
  const nKeys = nHomes + nPersons;
  const key = (i: number) => (homeId && homeId[i] >= 0 ? homeId[i] : nHomes + i);
  const offsets = new Int32Array(nKeys + 1);
  for (let k = 0; k < list.length; k++) offsets[key(person[list[k]]) + 1]++;
  for (let h = 0; h < nKeys; h++) offsets[h + 1] += offsets[h];
  const out = new Int32Array(list.length);
  for (let k = 0; k < list.length; k++) out[offsets[key(person[list[k]])]++] = list[k];
  return out;
}

/** Which categories a step names (all when `names` is undefined), as a mask over category codes. */
export function categoryMask(index: WorldIndex, names: readonly string[] | undefined): Uint8Array {
  const mask = new Uint8Array(index.categoryNames.length);
  if (names === undefined) mask.fill(1);
  else for (const name of names) mask[index.categoryNames.indexOf(name)] = 1;
  return mask;
}
