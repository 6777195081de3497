/**
 * The Huff model of store choice (Huff 1963, "A probabilistic analysis of shopping center trade areas",
 * Land Economics 39:81-90) as used by add-hub and move-hub (SPEC section 8):
 *
 *   P_k = A_k^alpha d_k^-beta / sum over m in reach of A_m^alpha d_m^-beta
 *
 * with A_k the visit count of place k in the world the step receives (the base data for a first step),
 * d_k = max(distance from the origin, 0.1 km), and a place with A = 0 weighing 0 (it attracts nothing,
 * whatever alpha). The origin is the visitor's home or the visit's original place. The reach of a visit
 * to place q of category c: the places of category c in the hub's area within catchment_km of the origin,
 * plus q itself (always), plus the hub.
 *
 *  - huffToHub: each visit in the hub's categories by a person whose home is within catchment_km of the
 *    hub moves to the hub with probability P_hub (keyed draw u < P_hub), else stays: visits are moved,
 *    never created, so totals are conserved; A_hub = 0 gives P_hub = 0 and moves nothing.
 *  - huffAwayFrom: each visit of place p is re-drawn among the other places of p's category and area in
 *    reach (p excluded) with probabilities P_k; it stays when none is in reach (move-hub's first half).
 * Sums over the reach are cached per origin (per home, or per original place), so a visit costs O(1)
 * after its origin's first visit; the reach itself is a disk query on the group's grid.
 */
import { MIN_DISTANCE_KM } from './decay-choice.js';
import { GroupGrids, placesInAnnulus } from './place-grid.js';
import type { StepDraws } from './draws.js';
import { orderByHome, type WorldIndex } from './world-index.js';
import { KM_PER_DEGREE } from '../simulation/tract-layout.js';

/** A^alpha max(d, 0.1)^-beta, and 0 when A = 0. */
export function huffWeight(attractiveness: number, alpha: number, dKm: number, beta: number): number {
  return attractiveness > 0 ? Math.pow(attractiveness, alpha) * Math.pow(Math.max(dKm, MIN_DISTANCE_KM), -beta) : 0;
}

export interface HuffParams {
  alpha: number;
  beta: number;
  catchmentKm: number;
  origin: 'home' | 'place';
}

export interface Hub {
  /** the hub's place index in the new world (may be index.world.places.count: a new place) */
  place: number;
  /** its area, and its position (degrees) */
  area: number;
  lat: number;
  lon: number;
  attractiveness: number;
  /** category codes whose visits may move to the hub */
  categories: Uint8Array;
}

/** Origins, competitor sums and competitor lists on one area's plane. */
class Reach {
  readonly kmPerLon: number;
  readonly grids: GroupGrids;
  readonly scratch: Int32Array;
  /** the current origin, km */
  ox = NaN;
  oy = NaN;

  constructor(
    private readonly index: WorldIndex,
    readonly area: number,
    private readonly params: HuffParams,
    private readonly exclude: number,
  ) {
    this.kmPerLon = index.kmPerLonDegree[area];
    this.grids = new GroupGrids(index.groupOffsets, index.groupPlaces, index.x!, index.y!);
    this.scratch = new Int32Array(Math.max(1, index.world.places.count));
  }

  /** Set the origin to a point in degrees; false when it is not finite. */
  at(lat: number, lon: number): boolean {
    this.ox = lon * this.kmPerLon;
    this.oy = lat * KM_PER_DEGREE;
    return Number.isFinite(this.ox) && Number.isFinite(this.oy);
  }

  distanceTo(lat: number, lon: number): number {
    const dx = lon * this.kmPerLon - this.ox;
    const dy = lat * KM_PER_DEGREE - this.oy;
    return Math.sqrt(dx * dx + dy * dy);
  }

  /** Huff weight of place q from the origin. */
  weight(q: number): number {
    const { lat, lon } = this.index.world.places;
    return huffWeight(this.index.visitCount[q], this.params.alpha, this.distanceTo(lat![q], lon![q]), this.params.beta);
  }

  /** Is q among the competitors listed for group g (in g, not excluded, within the catchment)? */
  listed(q: number, g: number): boolean {
    const { lat, lon } = this.index.world.places;
    return this.index.placeGroup[q] === g && q !== this.exclude && this.distanceTo(lat![q], lon![q]) <= this.params.catchmentKm;
  }

  /** The competitors of group g within the catchment of the origin (not `exclude`), with cumulative weights. */
  competitors(g: number): { places: Int32Array; cumulative: Float64Array } {
    const n = placesInAnnulus(this.grids.get(g), this.ox, this.oy, 0, this.params.catchmentKm, this.scratch);
    let m = 0;
    for (let k = 0; k < n; k++) if (this.listed(this.scratch[k], g)) this.scratch[m++] = this.scratch[k];
    const places = this.scratch.slice(0, m).sort();
    const cumulative = new Float64Array(m);
    let sum = 0;
    for (let k = 0; k < m; k++) cumulative[k] = sum += this.weight(places[k]);
    return { places, cumulative };
  }
}

export interface HuffToHubCounts {
  persons_in_catchment: number;
  visits_eligible: number;
  visits_to_hub: number;
  /** sum over eligible visits of P_hub: the expected number of visits moved */
  expected_visits_to_hub: number;
}

/**
 * Move visits to the hub by the Huff model (see the module comment), writing `place` (the new world's
 * place column, already a copy) in place. `exclude` is a place that is not a competitor (move-hub: the
 * hub's own old self). Draw `draw` of each visit decides.
 */
export function huffToHub(index: WorldIndex, hub: Hub, params: HuffParams, draws: StepDraws, place: Int32Array, draw: number, exclude = -1): HuffToHubCounts {
  const { visits, placeCategory, categoryNames } = index;
  const { homeLat, homeLon, homeId, count: nPersons } = index.world.persons;
  const { lat, lon } = index.world.places;
  const nCat = categoryNames.length;
  const reach = new Reach(index, hub.area, params, exclude);
  const counts: HuffToHubCounts = { persons_in_catchment: 0, visits_eligible: 0, visits_to_hub: 0, expected_visits_to_hub: 0 };
  if (!(hub.attractiveness > 0)) return counts;
  // persons whose home is within the catchment of the hub
  const inCatchment = new Uint8Array(nPersons);
  for (let i = 0; i < nPersons; i++) {
    if (reach.at(homeLat![i], homeLon![i]) && reach.distanceTo(hub.lat, hub.lon) <= params.catchmentKm) {
      inCatchment[i] = 1;
      counts.persons_in_catchment++;
    }
  }
  const list: number[] = [];
  for (let r = 0; r < place.length; r++) {
    const q = place[r];
    if (q === hub.place || !inCatchment[visits.person[r]] || placeCategory[q] < 0 || !hub.categories[placeCategory[q]]) continue;
    list.push(r);
  }
  counts.visits_eligible = list.length;
  const eligible = params.origin === 'home' ? orderByHome(Int32Array.from(list), visits.person, nPersons, homeId) : Int32Array.from(list);
  // competitor sums: per home and group (home origin, visits ordered by home) or per original place
  const homeSums = new Map<number, number>();
  const placeSums = new Float64Array(index.world.places.count).fill(NaN);
  let lastLat = NaN;
  let lastLon = NaN;
  for (let k = 0; k < eligible.length; k++) {
    const r = eligible[k];
    const q = place[r];
    const i = visits.person[r];
    const g = hub.area * nCat + placeCategory[q];
    let sum: number;
    if (params.origin === 'home') {
      if (homeLat![i] !== lastLat || homeLon![i] !== lastLon) {
        homeSums.clear();
        lastLat = homeLat![i];
        lastLon = homeLon![i];
      }
      reach.at(homeLat![i], homeLon![i]);
      sum = homeSums.get(g) ?? NaN;
      if (Number.isNaN(sum)) {
        sum = total(reach.competitors(g).cumulative);
        homeSums.set(g, sum);
      }
    } else {
      if (!reach.at(lat![q], lon![q])) continue;
      sum = placeSums[q];
      if (Number.isNaN(sum)) sum = placeSums[q] = total(reach.competitors(g).cumulative);
    }
    // the original place is always in reach
    if (!reach.listed(q, g)) sum += reach.weight(q);
    const wHub = huffWeight(hub.attractiveness, params.alpha, reach.distanceTo(hub.lat, hub.lon), params.beta);
    const p = wHub / (sum + wHub);
    counts.expected_visits_to_hub += p;
    if (draws.visit(r).uniform(draw) < p) {
      place[r] = hub.place;
      counts.visits_to_hub++;
    }
  }
  return counts;
}

function total(cumulative: Float64Array): number {
  return cumulative.length > 0 ? cumulative[cumulative.length - 1] : 0;
}

/**
 * Re-draw every visit of place p among the other places of p's group in reach of the origin (the
 * visitor's home, or p's location before it moves), by the Huff probabilities; a visit stays at p when no
 * other place is in reach. Writes `place` in place; draw `draw` of each visit decides.
 */
export function huffAwayFrom(index: WorldIndex, p: number, params: HuffParams, draws: StepDraws, place: Int32Array, draw: number): { visits: number; moved: number } {
  const { visits, placeGroup, placeArea } = index;
  const { homeLat, homeLon, homeId, count: nPersons } = index.world.persons;
  const { lat, lon } = index.world.places;
  const g = placeGroup[p];
  const counts = { visits: 0, moved: 0 };
  if (g < 0) return counts;
  const reach = new Reach(index, placeArea[p], params, p);
  const list: number[] = [];
  for (let r = 0; r < place.length; r++) if (visits.place[r] === p) list.push(r);
  counts.visits = list.length;
  const ofPlace = params.origin === 'place' && reach.at(lat![p], lon![p]) ? reach.competitors(g) : null;
  const order = params.origin === 'home' ? orderByHome(Int32Array.from(list), visits.person, nPersons, homeId) : Int32Array.from(list);
  let lastLat = NaN;
  let lastLon = NaN;
  let ofHome: { places: Int32Array; cumulative: Float64Array } | null = null;
  for (let k = 0; k < order.length; k++) {
    const r = order[k];
    let options = ofPlace;
    if (params.origin === 'home') {
      const i = visits.person[r];
      if (homeLat![i] !== lastLat || homeLon![i] !== lastLon) {
        lastLat = homeLat![i];
        lastLon = homeLon![i];
        ofHome = reach.at(lastLat, lastLon) ? reach.competitors(g) : null;
      }
      options = ofHome;
    }
    if (!options || total(options.cumulative) <= 0) continue;
    const target = draws.visit(r).uniform(draw) * total(options.cumulative);
    let j = 0;
    while (j < options.places.length - 1 && options.cumulative[j] <= target) j++;
    place[r] = options.places[j];
    counts.moved++;
  }
  return counts;
}
