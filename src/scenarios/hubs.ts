/**
 * add-hub and move-hub (SPEC section 8), by the Huff model (huff.ts) at a location (hub-location.ts).
 *
 *  - add-hub: a new place (id default "hub-<step index>", the first of its categories, the hub's
 *    lat/lon and area) takes visits in its categories from persons whose home is within catchment_km of
 *    it, each with its Huff probability. A_hub is the given attractiveness, or the median / max of the
 *    visit counts of the area's places in those categories. The place is appended (next dense index)
 *    even when it draws no visit, so it is listed; with A_hub = 0 the visits are byte for byte the same.
 *  - move-hub: place p's visits are first re-drawn among the other places of its category and area in
 *    reach of their origin (Huff, p excluded; a visit stays when none is in reach); then p moves to its
 *    new location and takes visits there as add-hub does, with A = its visit count before the move.
 */
import { UsageError } from '../io/errors.js';
import { median } from '../math/stats.js';
import type { PlaceAnalysis } from '../measures/communities.js';
import type { World } from '../estimate/world.js';
import type { StepDraws } from './draws.js';
import { resolveHubLocation } from './hub-location.js';
import { huffAwayFrom, huffToHub, type HuffParams } from './huff.js';
import type { AddHub, MoveHub } from './interventions.js';
import { withAddedPlace, withPlaceMoved } from './place-table-edit.js';
import { categoryMask, type WorldIndex } from './world-index.js';

export interface HubStepResult {
  world: World;
  counts: Record<string, number>;
}

function huffParams(step: AddHub | MoveHub): HuffParams {
  return { alpha: step.alpha, beta: step.beta, catchmentKm: step.catchment_km, origin: step.origin };
}

/** The world with the visits' place column replaced. */
export function withVisitPlaces(index: WorldIndex, place: Int32Array, world: World = index.world): World {
  const { person, start, end } = index.visits;
  const visits = world.visits!;
  return { ...world, visits: { ...visits, chunks: place.length > 0 ? [{ person, place, start, end }] : [], rows: place.length } };
}

/** The hub's attractiveness: the number given, or the median / max visit count of the area's places in its categories. */
function hubAttractiveness(index: WorldIndex, step: AddHub, area: number, categories: Uint8Array): number {
  if (typeof step.attractiveness === 'number') return step.attractiveness;
  const counts: number[] = [];
  const nCat = index.categoryNames.length;
  for (let c = 0; c < nCat; c++) {
    if (!categories[c]) continue;
    const g = area * nCat + c;
    for (let k = index.groupOffsets[g]; k < index.groupOffsets[g + 1]; k++) counts.push(index.visitCount[index.groupPlaces[k]]);
  }
  if (counts.length === 0) return 0;
  return step.attractiveness === 'max' ? counts.reduce((a, b) => Math.max(a, b), 0) : median(counts);
}

export function addHub(index: WorldIndex, step: AddHub, stepIndex: number, draws: StepDraws, baselinePlaces: PlaceAnalysis | null, path: string): HubStepResult {
  const { world } = index;
  const id = step.id ?? `hub-${stepIndex}`;
  if (world.places.ids.intern(id, false) >= 0) throw new UsageError(`${path}.id: place id ${JSON.stringify(id)} exists already`);
  const categories = categoryMask(index, step.category);
  const location = resolveHubLocation(world, index.visitCount, step.location, step.area, baselinePlaces, path);
  const attractiveness = hubAttractiveness(index, step, location.area, categories);
  const hubPlace = world.places.count;
  const places = withAddedPlace(world.places, { id, category: index.categoryNames.indexOf(step.category[0]), lat: location.lat, lon: location.lon, msa: index.areaLabels[location.area] });
  const place = index.visits.place.slice();
  const huff = huffToHub(index, { place: hubPlace, area: location.area, lat: location.lat, lon: location.lon, attractiveness, categories }, huffParams(step), draws, place, 1);
  const counts: Record<string, number> = { hub_place: hubPlace, hub_lat: location.lat, hub_lon: location.lon, hub_attractiveness: attractiveness, ...huff };
  if (location.communities) [counts.hub_community_a, counts.hub_community_b] = location.communities;
  return { world: withVisitPlaces(index, place, { ...world, places }), counts };
}

export function moveHub(index: WorldIndex, step: MoveHub, draws: StepDraws, baselinePlaces: PlaceAnalysis | null, path: string): HubStepResult {
  const { world } = index;
  const p = world.places.ids.intern(step.place_id, false);
  if (p < 0) throw new UsageError(`${path}.place_id: no place has the id ${JSON.stringify(step.place_id)}`);
  const location = resolveHubLocation(world, index.visitCount, step.location, step.area, baselinePlaces, path);
  const params = huffParams(step);
  const place = index.visits.place.slice();
  const away = huffAwayFrom(index, p, params, draws, place, 1);
  const categories = new Uint8Array(index.categoryNames.length);
  categories[index.placeCategory[p]] = 1;
  const attractiveness = index.visitCount[p];
  const huff = huffToHub(index, { place: p, area: location.area, lat: location.lat, lon: location.lon, attractiveness, categories }, params, draws, place, 2, p);
  const places = withPlaceMoved(world.places, p, location.lat, location.lon, index.areaLabels[location.area]);
  const counts: Record<string, number> = {
    hub_place: p,
    hub_lat: location.lat,
    hub_lon: location.lon,
    hub_attractiveness: attractiveness,
    visits_at_old_location: away.visits,
    visits_redrawn_away: away.moved,
    ...huff,
  };
  if (location.communities) [counts.hub_community_a, counts.hub_community_b] = location.communities;
  return { world: withVisitPlaces(index, place, { ...world, places }), counts };
}
