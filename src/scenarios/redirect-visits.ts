/**
 * redirect-visits (SPEC section 8): a share of the visits in the given categories (default all) moves to
 * ANOTHER place of the same category in the same area (world-index.ts: the original place's area, else
 * the visitor's home area). A visit is selected when its keyed draw 0 is below `share` (so share 0
 * moves nothing and share 1 every visit in scope). The destination:
 *  - random: uniform over the group's other places;
 *  - distance-decay: P(q) proportional to exp(-d / scale_km) or max(d, 0.1 km)^-beta, d = distance from
 *    the visitor's home (a gravity model without attractiveness);
 *  - no-destination-preference (Liao et al. 2025, "The effect of limited mobility on the experienced
 *    segregation of foreign-born minorities", simulation 1): uniform over the group's places whose
 *    distance from the ORIGINAL place is in [min_km, max_km] (default [0.03, 1] km): the same trip
 *    length scale, no preference for who is there;
 *  - equalized-range (their simulation 2): a distance r drawn from the observed distribution of
 *    home-to-place distances of the area's residents' visits to the group (the empirical distribution,
 *    sorted, so independent of row order), then a place of the group at distance r from the visitor's
 *    home, to within the spacing of the group's places (distance-choice.ts, placeAtDistance): every
 *    visitor gets the area's travel range.
 * A selected visit with no candidate (a group of one place, an empty ring, no home location for a
 * choice that needs one) stays where it is and is counted. Only `place` changes; times and persons stay.
 */
import { keyedUniform } from '../math/keyed-random.js';
import { DecayChooser, type DecayLaw } from './decay-choice.js';
import { placeAtDistance, placesInRing } from './range-choice.js';
import { GroupGrids } from './place-grid.js';
import type { StepDraws } from './draws.js';
import type { RedirectVisits } from './interventions.js';
import { categoryMask, orderByHome, type WorldIndex } from './world-index.js';
import { KM_PER_DEGREE } from '../simulation/tract-layout.js';

export interface RedirectResult {
  /** the new place of every visit */
  place: Int32Array;
  counts: Record<string, number>;
}

export function redirectVisits(index: WorldIndex, step: RedirectVisits, draws: StepDraws): RedirectResult {
  const { visits, placeCategory, placeGroup, personArea, categoryNames } = index;
  const nCat = categoryNames.length;
  const inScope = categoryMask(index, step.categories);
  const n = visits.place.length;
  const counts: Record<string, number> = { visits_in_scope: 0, visits_selected: 0, visits_moved: 0, visits_without_area: 0, visits_without_candidate: 0, visits_without_home: 0 };
  const destination = chooser(index, step, inScope, counts);
  const place = visits.place.slice();
  // distance-decay goes home by home (per-home caches): its selected visits wait, with their keys
  const byHome = step.choice === 'distance-decay';
  const waiting = byHome ? new Int32Array(n) : null;
  const keyA = byHome ? new Int32Array(n) : null;
  const keyB = byHome ? new Int32Array(n) : null;
  const groupOf = byHome ? new Int32Array(n) : null;
  let nWaiting = 0;
  let inScopeCount = 0;
  let selected = 0;
  let withoutArea = 0;
  let moved = 0;
  for (let r = 0; r < n; r++) {
    const q = visits.place[r];
    const c = placeCategory[q];
    if (c < 0 || !inScope[c]) continue;
    inScopeCount++;
    if (draws.visit(r).uniform(0) >= step.share) continue;
    selected++;
    const a = personArea[visits.person[r]];
    const g = placeGroup[q] >= 0 ? placeGroup[q] : a >= 0 ? a * nCat + c : -1;
    if (g < 0) {
      withoutArea++;
      continue;
    }
    if (byHome) {
      waiting![nWaiting++] = r;
      keyA![r] = draws.a;
      keyB![r] = draws.b;
      groupOf![r] = g;
      continue;
    }
    const to = destination(r, g, draws.a, draws.b);
    if (to >= 0) {
      place[r] = to;
      moved++;
    }
  }
  if (byHome) {
    const order = orderByHome(waiting!.subarray(0, nWaiting), visits.person, index.world.persons.count, index.world.persons.homeId);
    for (let k = 0; k < order.length; k++) {
      const r = order[k];
      const to = destination(r, groupOf![r], keyA![r], keyB![r]);
      if (to >= 0) {
        place[r] = to;
        moved++;
      }
    }
  }
  counts.visits_in_scope = inScopeCount;
  counts.visits_selected = selected;
  counts.visits_without_area = withoutArea;
  counts.visits_moved = moved;
  counts.visits_without_candidate = selected - moved - withoutArea - counts.visits_without_home;
  return { place, counts };
}

/** The destination rule of the step: (visit, its group, its key) -> new place, or -1 to stay. */
function chooser(index: WorldIndex, step: RedirectVisits, inScope: Uint8Array, counts: Record<string, number>): (r: number, g: number, a: number, b: number) => number {
  const { visits, placeGroup, placeRank, groupOffsets, groupPlaces, kmPerLonDegree, categoryNames } = index;
  const nCat = categoryNames.length;
  if (step.choice === 'random') {
    return (r, g, a, b) => {
      const q = visits.place[r];
      const rank = placeGroup[q] === g ? placeRank[q] : -1;
      const others = groupOffsets[g + 1] - groupOffsets[g] - (rank >= 0 ? 1 : 0);
      if (others <= 0) return -1;
      let k = Math.floor(keyedUniform(a, b, 1) * others);
      if (rank >= 0 && k >= rank) k++;
      return groupPlaces[groupOffsets[g] + k];
    };
  }
  const x = index.x!;
  const y = index.y!;
  const { lat, lon } = index.world.places;
  const { homeLat, homeLon } = index.world.persons;
  const grids = new GroupGrids(groupOffsets, groupPlaces, x, y);
  const scratch = new Int32Array(Math.max(1, index.world.places.count));
  const areaOf = (g: number) => Math.floor(g / nCat);

  if (step.choice === 'no-destination-preference') {
    const rings = new Map<number, Int32Array>();
    return (r, g, a, b) => {
      const q = visits.place[r];
      const key = q * index.nGroups + g;
      let ring = rings.get(key);
      if (!ring) {
        const a = areaOf(g);
        const cx = lon![q] * kmPerLonDegree[a];
        const cy = lat![q] * KM_PER_DEGREE;
        ring = Number.isFinite(cx) && Number.isFinite(cy) ? placesInRing(grids.get(g), x, y, cx, cy, step.min_km!, step.max_km!, q, scratch) : new Int32Array(0);
        rings.set(key, ring);
      }
      if (ring.length === 0) return -1;
      return ring[Math.floor(keyedUniform(a, b, 1) * ring.length)];
    };
  }

  const home = (r: number, g: number): { hx: number; hy: number } | null => {
    const i = visits.person[r];
    const hx = homeLon![i] * kmPerLonDegree[areaOf(g)];
    const hy = homeLat![i] * KM_PER_DEGREE;
    return Number.isFinite(hx) && Number.isFinite(hy) ? { hx, hy } : null;
  };

  if (step.choice === 'distance-decay') {
    const law: DecayLaw = step.law === 'exponential' ? { law: 'exponential', scaleKm: step.scale_km! } : { law: 'power', beta: step.beta! };
    // one chooser per group; visits come ordered by home (orderByHome), so each keeps its home's part
    const choosers: Array<DecayChooser | undefined> = [];
    return (r, g, a, b) => {
      const h = home(r, g);
      if (!h) {
        counts.visits_without_home++;
        return -1;
      }
      return (choosers[g] ??= new DecayChooser(grids.get(g), x, y, law)).sample(h.hx, h.hy, visits.place[r], a, b);
    };
  }

  // equalized-range
  const distances = residentDistances(index, inScope);
  return (r, g, a, b) => {
    const i = visits.person[r];
    const hx = homeLon![i] * kmPerLonDegree[areaOf(g)];
    const hy = homeLat![i] * KM_PER_DEGREE;
    if (!Number.isFinite(hx) || !Number.isFinite(hy)) {
      counts.visits_without_home++;
      return -1;
    }
    const from = distances.offsets[g];
    const m = distances.offsets[g + 1] - from;
    if (m === 0) return -1;
    const target = distances.sorted[from + Math.floor(keyedUniform(a, b, 1) * m)];
    return placeAtDistance(grids.get(g), x, y, hx, hy, target, visits.place[r], a, b, scratch);
  };
}

/**
 * Per group, the sorted home-to-place distances (km) of the visits of the area's residents (persons
 * whose home area is the group's area; every visitor when persons carry no area) to the group's
 * places, for the groups of the categories in scope.
 */
function residentDistances(index: WorldIndex, inScope: Uint8Array): { offsets: Int32Array; sorted: Float64Array } {
  const { visits, placeGroup, personArea, categoryNames, kmPerLonDegree, nGroups } = index;
  const x = index.x!;
  const y = index.y!;
  const { homeLat, homeLon } = index.world.persons;
  const nCat = categoryNames.length;
  const needed = Uint8Array.from({ length: nGroups }, (_, g) => inScope[g % nCat]);
  const personsHaveAreas = index.world.persons.msa !== null;
  const usable = (r: number): number => {
    const q = visits.place[r];
    const g = placeGroup[q];
    if (g < 0 || !needed[g] || !Number.isFinite(x[q])) return -1;
    const i = visits.person[r];
    if (personsHaveAreas && personArea[i] !== Math.floor(g / nCat)) return -1;
    if (!Number.isFinite(homeLat![i]) || !Number.isFinite(homeLon![i])) return -1;
    return g;
  };
  const offsets = new Int32Array(nGroups + 1);
  for (let r = 0; r < visits.place.length; r++) {
    const g = usable(r);
    if (g >= 0) offsets[g + 1]++;
  }
  for (let g = 0; g < nGroups; g++) offsets[g + 1] += offsets[g];
  const sorted = new Float64Array(offsets[nGroups]);
  const fill = offsets.slice(0, nGroups);
  for (let r = 0; r < visits.place.length; r++) {
    const g = usable(r);
    if (g < 0) continue;
    const q = visits.place[r];
    const i = visits.person[r];
    const dx = x[q] - homeLon![i] * kmPerLonDegree[Math.floor(g / nCat)];
    const dy = y[q] - homeLat![i] * KM_PER_DEGREE;
    sorted[fill[g]++] = Math.sqrt(dx * dx + dy * dy);
  }
  for (let g = 0; g < nGroups; g++) sorted.subarray(offsets[g], offsets[g + 1]).sort();
  return { offsets, sorted };
}
