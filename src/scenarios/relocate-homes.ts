/**
 * relocate-homes (SPEC section 8): a share of households moves; the housing stock is conserved.
 *
 * Households: persons sharing a home_id (a person without one is a household alone). A household's
 * home (home_tract, home_lat/home_lon, county_fips, county_name) is that of its representative, the
 * member whose person_id sorts first as text; its SES is its members' mean SES; its random draws are
 * keyed by the representative's id. A household with a home tract and an area moves when its draw is
 * below `share` (only in `area` when given). In each area (MSA) the movers vacate their homes and are
 * re-housed into the vacated homes of the same area:
 *  - random: movers in the order of a keyed draw take the vacated homes in the order of another keyed
 *    draw (a uniformly random assignment; a household may draw its own home back);
 *  - mixed-income: movers, in the order of a keyed draw, each take a vacated home in the tract whose
 *    current mean resident SES (stayers plus the movers already placed, person-weighted; a tract without
 *    residents counts as the area mean) is farthest from the household's own SES (ties: the tract whose
 *    code sorts first); within a tract, homes go in the order of a keyed draw.
 * Every member then takes the new home's tract, coordinates and county, so residential indices change
 * and later distance-based steps start from the new home. Persons keep their MSA and household.
 */
import type { CodedColumn } from '../io/load-entities.js';
import type { PersonTable } from '../io/load-persons.js';
import type { World } from '../estimate/world.js';
import type { StepDraws } from './draws.js';
import type { RelocateHomes } from './interventions.js';

/** draw purposes (keyed by the representative) */
const SELECT = 0;
const MOVER_ORDER = 1;
const HOME_ORDER = 2;

interface Households {
  count: number;
  /** members of household h: members[offsets[h] .. offsets[h + 1]) */
  offsets: Int32Array;
  members: Int32Array;
  representative: Int32Array;
  ses: Float64Array;
}

/** Households from home_id (see the module comment). */
export function households(persons: PersonTable): Households {
  const n = persons.count;
  const code = new Int32Array(n);
  let count = 0;
  const homeCode = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const h = persons.homeId ? persons.homeId[i] : -1;
    if (h < 0) code[i] = count++;
    else {
      let c = homeCode.get(h);
      if (c === undefined) homeCode.set(h, (c = count++));
      code[i] = c;
    }
  }
  const offsets = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) offsets[code[i] + 1]++;
  for (let h = 0; h < count; h++) offsets[h + 1] += offsets[h];
  const members = new Int32Array(n);
  const fill = offsets.slice(0, count);
  for (let i = 0; i < n; i++) members[fill[code[i]]++] = i;
  const representative = new Int32Array(count);
  const ses = new Float64Array(count);
  for (let h = 0; h < count; h++) {
    let rep = members[offsets[h]];
    let repId = String(persons.ids.idOf(rep));
    let sum = 0;
    for (let k = offsets[h]; k < offsets[h + 1]; k++) {
      const i = members[k];
      sum += persons.ses[i];
      const id = String(persons.ids.idOf(i));
      if (id < repId) [rep, repId] = [i, id];
    }
    representative[h] = rep;
    ses[h] = sum / (offsets[h + 1] - offsets[h]);
  }
  return { count, offsets, members, representative, ses };
}

export interface RelocateResult {
  world: World;
  counts: Record<string, number>;
}

export function relocateHomes(world: World, step: RelocateHomes, draws: StepDraws, personArea: Int32Array, areaLabels: string[]): RelocateResult {
  const persons = world.persons;
  const tract = persons.homeTract!;
  const hh = households(persons);
  const target = step.area === undefined ? -1 : areaLabels.indexOf(step.area);
  const nAreas = areaLabels.length;
  const counts: Record<string, number> = { households: hh.count, households_without_home_tract: 0, households_moved: 0, persons_moved: 0, homes_changing_tract: 0 };
  // movers per area, with their draws
  const moverOrder = new Float64Array(hh.count);
  const homeOrder = new Float64Array(hh.count);
  const moversOf: number[][] = Array.from({ length: nAreas }, () => []);
  const isMover = new Uint8Array(hh.count);
  for (let h = 0; h < hh.count; h++) {
    const rep = hh.representative[h];
    const a = personArea[rep];
    if (tract.codes[rep] < 0) {
      counts.households_without_home_tract++;
      continue;
    }
    if (a < 0 || (target >= 0 && a !== target)) continue;
    if (draws.person(rep, SELECT).uniform(0) >= step.share) continue;
    isMover[h] = 1;
    moverOrder[h] = draws.person(rep, MOVER_ORDER).uniform(0);
    homeOrder[h] = draws.person(rep, HOME_ORDER).uniform(0);
    moversOf[a].push(h);
  }
  // the new home of each mover: the household whose home it was
  const newHomeOf = new Int32Array(hh.count).fill(-1);
  const tractRank = rankByName(tract.names);
  for (let a = 0; a < nAreas; a++) {
    const movers = moversOf[a];
    if (movers.length === 0) continue;
    const byMoverOrder = [...movers].sort((x, y) => moverOrder[x] - moverOrder[y] || x - y);
    const byHomeOrder = [...movers].sort((x, y) => homeOrder[x] - homeOrder[y] || x - y);
    if (step.mode === 'random') {
      byMoverOrder.forEach((h, k) => (newHomeOf[h] = byHomeOrder[k]));
    } else {
      mixedIncome(byMoverOrder, byHomeOrder, a, hh, isMover, persons, personArea, tractRank, newHomeOf);
    }
  }
  // every member of a mover takes its new home's tract, coordinates and county
  const homeTract = tract.codes.slice();
  const homeLat = persons.homeLat?.slice() ?? null;
  const homeLon = persons.homeLon?.slice() ?? null;
  const countyFips = persons.countyFips?.slice() ?? null;
  const countyName = persons.countyName?.codes.slice() ?? null;
  for (let h = 0; h < hh.count; h++) {
    if (newHomeOf[h] < 0) continue;
    const from = hh.representative[newHomeOf[h]];
    counts.households_moved++;
    if (tract.codes[from] !== tract.codes[hh.representative[h]]) counts.homes_changing_tract++;
    for (let k = hh.offsets[h]; k < hh.offsets[h + 1]; k++) {
      const i = hh.members[k];
      counts.persons_moved++;
      homeTract[i] = tract.codes[from];
      if (homeLat) homeLat[i] = persons.homeLat![from];
      if (homeLon) homeLon[i] = persons.homeLon![from];
      if (countyFips) countyFips[i] = persons.countyFips![from];
      if (countyName) countyName[i] = persons.countyName!.codes[from];
    }
  }
  const moved: PersonTable = {
    ...persons,
    homeTract: { names: tract.names, codes: homeTract },
    homeLat,
    homeLon,
    countyFips,
    countyName: countyName ? ({ names: persons.countyName!.names, codes: countyName } satisfies CodedColumn) : null,
  };
  return { world: { ...world, persons: moved }, counts };
}

/** Rank of each name in sorted order (ties between tracts go to the name that sorts first). */
function rankByName(names: string[]): Int32Array {
  const order = names.map((_, k) => k).sort((x, y) => (names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0));
  const rank = new Int32Array(names.length);
  order.forEach((k, r) => (rank[k] = r));
  return rank;
}

/**
 * mixed-income re-housing in area a (see the module comment): movers in order, each to a vacated home
 * in the tract whose current mean resident SES is farthest from its own. O(movers x tracts with homes left).
 */
function mixedIncome(
  movers: number[],
  homes: number[],
  a: number,
  hh: Households,
  isMover: Uint8Array,
  persons: PersonTable,
  personArea: Int32Array,
  tractRank: Int32Array,
  newHomeOf: Int32Array,
): void {
  const tractOf = persons.homeTract!.codes;
  const nTracts = persons.homeTract!.names.length;
  // residents who stay, and the area mean over all residents with a tract
  const sum = new Float64Array(nTracts);
  const count = new Float64Array(nTracts);
  let areaSum = 0;
  let areaCount = 0;
  for (let h = 0; h < hh.count; h++) {
    const rep = hh.representative[h];
    const t = tractOf[rep];
    if (personArea[rep] !== a || t < 0) continue;
    const size = hh.offsets[h + 1] - hh.offsets[h];
    areaSum += hh.ses[h] * size;
    areaCount += size;
    if (isMover[h]) continue;
    sum[t] += hh.ses[h] * size;
    count[t] += size;
  }
  const areaMean = areaSum / areaCount;
  // vacated homes by tract, in home order
  const homesOfTract = new Map<number, number[]>();
  for (const h of homes) {
    const t = tractOf[hh.representative[h]];
    let list = homesOfTract.get(t);
    if (!list) homesOfTract.set(t, (list = []));
    list.push(h);
  }
  const active = [...homesOfTract.keys()];
  const next = new Map<number, number>(active.map((t) => [t, 0]));
  for (const m of movers) {
    const own = hh.ses[m];
    let best = -1;
    let bestGap = -1;
    let bestAt = -1;
    for (let k = 0; k < active.length; k++) {
      const t = active[k];
      const gap = Math.abs((count[t] > 0 ? sum[t] / count[t] : areaMean) - own);
      if (gap > bestGap || (gap === bestGap && tractRank[t] < tractRank[best])) {
        best = t;
        bestGap = gap;
        bestAt = k;
      }
    }
    const list = homesOfTract.get(best)!;
    const at = next.get(best)!;
    newHomeOf[m] = list[at];
    next.set(best, at + 1);
    if (at + 1 === list.length) {
      active[bestAt] = active[active.length - 1];
      active.pop();
    }
    const size = hh.offsets[m + 1] - hh.offsets[m];
    sum[best] += own * size;
    count[best] += size;
  }
}
