/**
 * Where a hub goes and which area it serves.
 *
 *  - {lat, lon}: the given point; its area is the step's `area`, else the area with the resident home
 *    nearest to the point. A point farther than HUB_MAX_KM_FROM_RESIDENTS from every resident of its
 *    area is "outside every area" (a typo in a coordinate, most often): an error.
 *  - "between-communities": the midpoint of the visit-weighted centres of the two Louvain communities of
 *    the area (SPEC section 5, from the baseline's places analysis) whose visitors' mean SES differ most.
 *    A community's centre is the mean lat/lon of its places weighted by their visits; only communities
 *    with at least 1% of the area's visits compete (a community of one little-visited place does not
 *    decide where a hub goes). Ties: the lower community numbers.
 * Distances here are equirectangular at the point's latitude (the same plane as everywhere else).
 */
import { UsageError } from '../io/errors.js';
import type { PlaceAnalysis } from '../measures/communities.js';
import { KM_PER_DEGREE } from '../simulation/tract-layout.js';
import type { World } from '../estimate/world.js';
import type { HubLocation } from './interventions.js';
import { areaLabelsOf, personAreasOf } from './world-index.js';

/** A hub farther than this from every resident home of its area is outside the area (km). */
export const HUB_MAX_KM_FROM_RESIDENTS = 10;
/** Communities with less than this share of the area's visits do not compete for "between-communities". */
export const MIN_COMMUNITY_VISIT_SHARE = 0.01;

/** Per area (in the order of areaLabelsOf), the distance from (lat, lon) to its nearest resident home, km (Infinity without one). */
export function nearestResidentKm(world: World, lat: number, lon: number): Float64Array {
  const labels = areaLabelsOf(world);
  const personArea = personAreasOf(world, labels);
  const { homeLat, homeLon } = world.persons;
  const best = new Float64Array(labels.length).fill(Infinity);
  if (!homeLat || !homeLon) return best;
  const kmPerLon = KM_PER_DEGREE * Math.cos((lat * Math.PI) / 180);
  for (let i = 0; i < personArea.length; i++) {
    const a = personArea[i];
    if (a < 0) continue;
    const dx = (homeLon[i] - lon) * kmPerLon;
    const dy = (homeLat[i] - lat) * KM_PER_DEGREE;
    const d2 = dx * dx + dy * dy;
    if (d2 < best[a]) best[a] = d2;
  }
  return best.map(Math.sqrt);
}

/**
 * The area served by a hub at a point: `areaName` when given, else the one with the nearest resident.
 * Throws (naming `path`) when the point is more than HUB_MAX_KM_FROM_RESIDENTS from every resident of it.
 */
export function hubArea(world: World, lat: number, lon: number, areaName: string | undefined, path: string): number {
  const labels = areaLabelsOf(world);
  const near = nearestResidentKm(world, lat, lon);
  let area = areaName === undefined ? -1 : labels.indexOf(areaName);
  if (areaName === undefined) for (let a = 0; a < labels.length; a++) if (area < 0 || near[a] < near[area]) area = a;
  if (area < 0) throw new UsageError(`${path}.area: unknown area ${JSON.stringify(areaName)}; the areas are ${labels.map((l) => JSON.stringify(l)).join(', ')}`);
  if (!(near[area] <= HUB_MAX_KM_FROM_RESIDENTS)) {
    const where = Number.isFinite(near[area]) ? `${near[area].toFixed(1)} km from the nearest resident` : 'no resident has a home location';
    throw new UsageError(`${path}.location: {"lat": ${lat}, "lon": ${lon}} is outside every area (${labels[area]}: ${where}; a hub must be within ${HUB_MAX_KM_FROM_RESIDENTS} km of a resident's home)`);
  }
  return area;
}

/** The between-communities point of an area (see the module comment), with the two communities. */
export function betweenCommunities(world: World, visitCount: Float64Array, places: PlaceAnalysis, areaLabel: string, path: string): { lat: number; lon: number; communities: [number, number] } {
  const a = places.areaLabels.indexOf(areaLabel);
  const column = (name: string) => places.communities.columns.find((c) => c.name === name)!.values;
  const rowArea = column('area') as ArrayLike<unknown>;
  const rowCommunity = column('community') as ArrayLike<number>;
  const rowSes = column('ses_mean') as ArrayLike<number>;
  const ses = new Map<number, number>();
  for (let k = 0; k < rowArea.length; k++) if (rowArea[k] === areaLabel) ses.set(Number(rowCommunity[k]), Number(rowSes[k]));
  const n = ses.size;
  const visits = new Float64Array(n);
  const sumLat = new Float64Array(n);
  const sumLon = new Float64Array(n);
  const { lat, lon } = world.places;
  const m = Math.min(places.placeArea.length, world.places.count);
  let total = 0;
  for (let q = 0; q < m; q++) {
    const c = places.placeCommunity[q];
    if (places.placeArea[q] !== a || c < 0 || c >= n || !lat || !lon || !Number.isFinite(lat[q]) || !Number.isFinite(lon[q])) continue;
    visits[c] += visitCount[q];
    sumLat[c] += visitCount[q] * lat[q];
    sumLon[c] += visitCount[q] * lon[q];
    total += visitCount[q];
  }
  const competing: number[] = [];
  for (let c = 0; c < n; c++) if (visits[c] > 0 && visits[c] >= MIN_COMMUNITY_VISIT_SHARE * total && Number.isFinite(ses.get(c))) competing.push(c);
  if (a < 0 || competing.length < 2) {
    throw new UsageError(`${path}.location: "between-communities" needs two Louvain communities with located places and at least ${100 * MIN_COMMUNITY_VISIT_SHARE}% of the visits of ${areaLabel}; it has ${competing.length}`);
  }
  let pair: [number, number] = [competing[0], competing[1]];
  let gap = -1;
  for (let x = 0; x < competing.length; x++) {
    for (let y = x + 1; y < competing.length; y++) {
      const d = Math.abs(ses.get(competing[x])! - ses.get(competing[y])!);
      if (d > gap) {
        gap = d;
        pair = [competing[x], competing[y]];
      }
    }
  }
  const [c1, c2] = pair;
  return { lat: (sumLat[c1] / visits[c1] + sumLat[c2] / visits[c2]) / 2, lon: (sumLon[c1] / visits[c1] + sumLon[c2] / visits[c2]) / 2, communities: pair };
}

/**
 * The hub's point and area. `places` (the baseline's places analysis) is needed for "between-communities",
 * whose area is the step's `area` or the world's only area.
 */
export function resolveHubLocation(world: World, visitCount: Float64Array, location: HubLocation, areaName: string | undefined, places: PlaceAnalysis | null, path: string): { lat: number; lon: number; area: number; communities: [number, number] | null } {
  if (location !== 'between-communities') return { lat: location.lat, lon: location.lon, area: hubArea(world, location.lat, location.lon, areaName, path), communities: null };
  const labels = areaLabelsOf(world);
  const label = areaName ?? (labels.length === 1 ? labels[0] : undefined);
  if (label === undefined) throw new UsageError(`${path}.area: "between-communities" needs the area (one of ${labels.map((l) => JSON.stringify(l)).join(', ')})`);
  if (!places) throw new UsageError(`${path}.location: "between-communities" needs the baseline's Louvain communities (the estimate option places must be on)`);
  const point = betweenCommunities(world, visitCount, places, label, path);
  return { ...point, area: hubArea(world, point.lat, point.lon, label, path) };
}
