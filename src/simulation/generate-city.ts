/**
 * The synthetic city generator (SPEC section 9): a pure function of (spec, seed) to three tables,
 * persons, places and visits, in the column layout of SPEC section 1.
 *
 * Per MSA, each step draws from its own seeded stream, deriveSeed(seed, 'msa', m, step), so the same
 * seed gives the same city and changing one MSA's visits does not reshuffle another MSA's homes:
 *   1. tracts on a disk (tract-layout.ts), ordered by a smooth random SES field (residential-sorting.ts);
 *   2. households (1-4 persons, shared home and rent-like SES, its log sd growing with the MSA's size by
 *      ses.log_sd_size_elasticity, ses-spread.ts) filled into tracts by a sorting score whose
 *      correlation with SES is sqrt(residential_sorting);
 *   3. places per category, count growing with city size as P^places_exponent, anchored near residents,
 *      priced by the SES of their tract (places.ts);
 *   4. visits: a daily Poisson number per person (rate heterogeneous across persons), times and dwells
 *      (visit-schedule.ts), places by preferential return or gravity with SES-price affinity
 *      (place-choice.ts), a small share to other MSAs.
 * Nothing here looks at ES or BI: those must emerge from the laws above.
 */
import { columnTable, type ColumnTable } from '../io/column-table.js';
import { GrowableFloat64, GrowableInt32 } from '../io/growable.js';
import { createRng, deriveSeed } from '../math/random.js';
import { averageRanks } from '../math/stats.js';
import type { CitySpec, MsaSpec } from './city-spec.js';
import { cumulativeWeights, gammaDraw, sampleCumulative } from './distributions.js';
import { GravityTable, sampleByAffinity, type CategoryPlaces } from './place-choice.js';
import { choiceSetRatio, generateMsaPlaces, placesInCategory, tasteSesCorrelation, type MsaPlaces } from './places.js';
import { drawHouseholds, fillTractsBySortingScore, smoothRandomField, sortingScores, type Households } from './residential-sorting.js';
import { msaSesLogSd } from './ses-spread.js';
import { kmToDegrees, layoutTracts, type TractLayout } from './tract-layout.js';
import { PersonSchedule, scheduleTables } from './visit-schedule.js';

/** Counts per MSA, for the command's summary and for tests. */
export interface MsaSummary {
  readonly msa: string;
  readonly residentialSorting: number;
  readonly radiusKm: number;
  readonly persons: number;
  readonly households: number;
  readonly counties: number;
  readonly tracts: number;
  readonly places: number;
  /** Places per category, in spec order. */
  readonly placesByCategory: number[];
  /** Visits made by the MSA's residents, and how many of them went to a place in another MSA (returns included). */
  readonly visits: number;
  readonly crossMsaVisits: number;
}

export interface GeneratedCity {
  readonly spec: CitySpec;
  readonly seed: number | string;
  /** person_id, ses, msa, county_fips, county_name, home_tract, home_lat, home_lon, home_id */
  readonly persons: ColumnTable;
  /** place_id, category, lat, lon, county_fips, msa, price_level */
  readonly places: ColumnTable;
  /** person_id, place_id, start, end (epoch seconds) */
  readonly visits: ColumnTable;
  readonly summary: MsaSummary[];
}

/** One MSA's residents and places, in the MSA's local km frame. */
interface MsaWorld {
  readonly spec: MsaSpec;
  readonly centerLat: number;
  readonly centerLon: number;
  readonly sorting: number;
  readonly layout: TractLayout;
  readonly households: Households;
  readonly householdTract: Int32Array;
  readonly homeX: Float64Array;
  readonly homeY: Float64Array;
  /** Local household index of each local person (households are contiguous). */
  readonly personHousehold: Int32Array;
  /**
   * Preferred price position in (0, 1): the within-MSA rank, (average rank - 0.5) / n, of the taste
   * score rho z + sqrt(1 - rho^2) e (z: standardised log SES of the household, e ~ N(0, 1) per
   * household, rho = mobility.price_taste_ses_correlation, grown with the choice set by
   * mobility.price_taste_choice_elasticity, times the MSA's own factor exp(price_taste_msa_log_sd u)).
   * With rho = 1 it is the SES rank.
   */
  readonly personRank: Float64Array;
  readonly firstPerson: number;
  readonly firstHousehold: number;
  readonly places: MsaPlaces;
  readonly firstPlace: number;
  readonly byCategory: CategoryPlaces[];
}

/** Default centre of MSA m when the spec gives none: 40N, 100W + 3 degrees per MSA. */
function defaultCenter(m: number): { lat: number; lon: number } {
  return { lat: 40, lon: -100 + 3 * m };
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function buildMsa(spec: CitySpec, seed: number | string, m: number, firstPerson: number, firstHousehold: number, firstPlace: number): MsaWorld {
  const msa = spec.msas[m];
  const stream = (step: string) => createRng(deriveSeed(seed, 'msa', m, step));
  const sorting = msa.residential_sorting ?? spec.residential_sorting;
  const centre = defaultCenter(m);
  const layout = layoutTracts(msa, spec.geography.persons_per_km2, spec.geography.persons_per_tract, stream('tracts'));
  const field = smoothRandomField(layout.x, layout.y, spec.geography.ses_length_scale_km, stream('ses-field'));
  const logSd = msaSesLogSd(spec.ses.log_sd, msa.population, spec.ses.log_sd_size_elasticity);
  const households = drawHouseholds(msa.population, spec.ses.household_size_shares, spec.ses.median, logSd, stream('households'));
  const scores = sortingScores(households.z, sorting, stream('sorting'));
  const householdTract = fillTractsBySortingScore(scores, households.size, field, layout.capacity);

  // Homes: uniform in a disk of radius spacing / 2 around the tract centroid.
  const nH = households.size.length;
  const homeX = new Float64Array(nH);
  const homeY = new Float64Array(nH);
  const homeRng = stream('homes');
  const homeRadius = layout.spacingKm / 2;
  for (let h = 0; h < nH; h++) {
    const r = homeRadius * Math.sqrt(homeRng.next());
    const theta = 2 * Math.PI * homeRng.next();
    homeX[h] = layout.x[householdTract[h]] + r * Math.cos(theta);
    homeY[h] = layout.y[householdTract[h]] + r * Math.sin(theta);
  }

  // Persons (household members are contiguous), tract mean SES scores, SES ranks.
  const nP = msa.population;
  const personHousehold = new Int32Array(nP);
  const personSes = new Float64Array(nP);
  const personHomeX = new Float64Array(nP);
  const personHomeY = new Float64Array(nP);
  const personTract = new Int32Array(nP);
  const nT = layout.x.length;
  const tractSumZ = new Float64Array(nT);
  const tractCount = new Int32Array(nT);
  let i = 0;
  for (let h = 0; h < nH; h++) {
    for (let k = 0; k < households.size[h]; k++, i++) {
      personHousehold[i] = h;
      personSes[i] = households.ses[h];
      personHomeX[i] = homeX[h];
      personHomeY[i] = homeY[h];
      personTract[i] = householdTract[h];
      tractSumZ[householdTract[h]] += households.z[h];
      tractCount[householdTract[h]]++;
    }
  }
  const tractMeanZ = new Float64Array(nT);
  for (let t = 0; t < nT; t++) tractMeanZ[t] = tractCount[t] > 0 ? tractSumZ[t] / tractCount[t] : 0;
  const counts = spec.categories.map((c) => placesInCategory(c.places_per_10k, nP, c.places_exponent ?? spec.scaling.places_exponent));
  const choiceSet = choiceSetRatio(counts, spec.categories.map((c) => c.places_per_10k), nP);
  const msaLogSd = spec.mobility.price_taste_msa_log_sd;
  // a stream of its own, drawn only when used, so that 0 leaves every other draw unchanged
  const msaFactor = msaLogSd > 0 ? Math.exp(msaLogSd * stream('price-taste-msa').normal()) : 1;
  const rho = Math.min(1, msaFactor * tasteSesCorrelation(spec.mobility.price_taste_ses_correlation, choiceSet, spec.mobility.price_taste_choice_elasticity));
  let taste: Float64Array = personSes;
  if (rho < 1) {
    // One taste per household (its members share home, SES and the gravity table built for them). A
    // stream of its own, so that rho = 1 leaves every other draw (and the files) unchanged.
    const tasteRng = stream('price-taste');
    const noise = Math.sqrt(1 - rho * rho);
    const householdTaste = new Float64Array(nH);
    for (let h = 0; h < nH; h++) householdTaste[h] = rho * households.z[h] + noise * tasteRng.normal();
    taste = new Float64Array(nP);
    for (let p = 0; p < nP; p++) taste[p] = householdTaste[personHousehold[p]];
  }
  const personRank = averageRanks(taste);
  for (let p = 0; p < nP; p++) personRank[p] = (personRank[p] - 0.5) / nP;

  const places = generateMsaPlaces(
    {
      counts,
      homeX: personHomeX,
      homeY: personHomeY,
      personTract,
      tractMeanZ,
      jitterKm: layout.spacingKm / 2,
      priceLocalSesCorrelation: spec.mobility.price_local_ses_correlation,
    },
    stream('places'),
  );
  const byCategory: CategoryPlaces[] = [];
  let offset = 0;
  for (const n of counts) {
    byCategory.push({
      index: Int32Array.from({ length: n }, (_, k) => firstPlace + offset + k),
      x: places.x.slice(offset, offset + n),
      y: places.y.slice(offset, offset + n),
      pricePosition: places.pricePosition.slice(offset, offset + n),
    });
    offset += n;
  }
  return {
    spec: msa,
    centerLat: msa.center_lat ?? centre.lat,
    centerLon: msa.center_lon ?? centre.lon,
    sorting,
    layout,
    households,
    householdTract,
    homeX,
    homeY,
    personHousehold,
    personRank,
    firstPerson,
    firstHousehold,
    places,
    firstPlace,
    byCategory,
  };
}

/** Visit columns (no per-visit objects); person and place as global 0-based indices. */
class VisitBuffer {
  readonly person = new GrowableInt32();
  readonly place = new GrowableInt32();
  readonly start = new GrowableFloat64();
  readonly end = new GrowableFloat64();
  get length(): number {
    return this.person.length;
  }
  reserve(n: number): void {
    this.person.reserve(n);
    this.place.reserve(n);
    this.start.reserve(n);
    this.end.reserve(n);
  }
  push(person: number, place: number, start: number, end: number): void {
    this.person.push(person);
    this.place.push(place);
    this.start.push(start);
    this.end.push(end);
  }
}

/** Visits of MSA m's residents, appended to `out` (person and place as global 0-based indices). Returns how many went to another MSA. */
function generateMsaVisits(spec: CitySpec, seed: number | string, m: number, worlds: MsaWorld[], out: VisitBuffer): number {
  const world = worlds[m];
  const rng = createRng(deriveSeed(seed, 'msa', m, 'visits'));
  const mob = spec.mobility;
  const tables = scheduleTables(spec);
  const affinity = spec.categories.map((c) => mob.ses_price_affinity * c.price_affinity);
  const gravity = world.byCategory.map((places, c) => new GravityTable(places, mob.distance_decay_km, affinity[c]));
  // Visits from the workplace: gravity around a second anchor of each person, the home of a resident
  // drawn uniformly (so workplaces follow population, independent of the person's SES). Its tables
  // are keyed by person, as the anchor is.
  const workShare = mob.work_visit_share;
  const workGravity = workShare > 0 ? world.byCategory.map((places, c) => new GravityTable(places, mob.distance_decay_km, affinity[c])) : [];
  const workRng = createRng(deriveSeed(seed, 'msa', m, 'work'));
  const otherCum = cumulativeWeights(worlds.map((w, k) => (k === m ? 0 : w.spec.population)));
  const crossShare = worlds.length > 1 ? mob.cross_msa_share : 0;
  let maxPlaces = 0;
  for (const w of worlds) for (const p of w.byCategory) maxPlaces = Math.max(maxPlaces, p.index.length);
  const scratch = new Float64Array(maxPlaces);
  const schedule = new PersonSchedule();
  let pastCategory = new Int32Array(256);
  let pastPlace = new Int32Array(256);
  let crossVisits = 0;
  const ownFirst = world.firstPlace;
  const ownEnd = world.firstPlace + world.places.x.length;

  const nP = world.spec.population;
  for (let p = 0; p < nP; p++) {
    const h = world.personHousehold[p];
    const rank = world.personRank[p];
    const work = workShare > 0 ? world.personHousehold[workRng.int(nP)] : -1;
    const rate = (mob.visits_per_person_per_day * gammaDraw(rng, mob.visit_rate_shape)) / mob.visit_rate_shape;
    schedule.draw(rng, rate, tables);
    if (schedule.count > pastPlace.length) {
      pastCategory = new Int32Array(2 * schedule.count);
      pastPlace = new Int32Array(2 * schedule.count);
    }
    for (let k = 0; k < schedule.count; k++) {
      const c = schedule.category[k];
      let place = -1;
      if (rng.next() < mob.revisit_probability) {
        // Preferential return: a past visit of this category, uniformly (places weighted by visit counts).
        let n = 0;
        for (let j = 0; j < k; j++) if (pastCategory[j] === c) n++;
        if (n > 0) {
          let pick = rng.int(n);
          for (let j = 0; j < k; j++) {
            if (pastCategory[j] === c && pick-- === 0) {
              place = pastPlace[j];
              break;
            }
          }
        }
      }
      if (place < 0) {
        if (crossShare > 0 && rng.next() < crossShare) {
          const other = sampleCumulative(rng, otherCum);
          place = sampleByAffinity(rng, worlds[other].byCategory[c], affinity[c], rank, scratch);
        } else if (work >= 0 && workRng.next() < workShare) {
          place = workGravity[c].sample(rng, world.firstPerson + p, world.homeX[work], world.homeY[work], rank);
        } else {
          place = gravity[c].sample(rng, h, world.homeX[h], world.homeY[h], rank);
        }
      }
      if (place < ownFirst || place >= ownEnd) crossVisits++;
      pastCategory[k] = c;
      pastPlace[k] = place;
      out.push(world.firstPerson + p, place, schedule.start[k], schedule.end[k]);
    }
  }
  return crossVisits;
}

/** Generate the city (see the module comment). `seed` defaults to the spec's seed. */
export function generateCity(spec: CitySpec, seed: number | string = spec.seed): GeneratedCity {
  const worlds: MsaWorld[] = [];
  let firstPerson = 0;
  let firstHousehold = 0;
  let firstPlace = 0;
  spec.msas.forEach((_, m) => {
    const w = buildMsa(spec, seed, m, firstPerson, firstHousehold, firstPlace);
    worlds.push(w);
    firstPerson += w.spec.population;
    firstHousehold += w.households.size.length;
    firstPlace += w.places.x.length;
  });
  const nPersons = firstPerson;
  const nPlaces = firstPlace;

  const expected = spec.msas.reduce((s, msa) => s + msa.population, 0) * spec.days * spec.mobility.visits_per_person_per_day;
  const visits = new VisitBuffer();
  visits.reserve(Math.ceil(expected * 1.1) + 1024);
  const summary: MsaSummary[] = [];
  worlds.forEach((w, m) => {
    const before = visits.length;
    const cross = generateMsaVisits(spec, seed, m, worlds, visits);
    summary.push({
      msa: w.spec.name,
      residentialSorting: w.sorting,
      radiusKm: w.layout.radiusKm,
      persons: w.spec.population,
      households: w.households.size.length,
      counties: w.spec.counties.length,
      tracts: w.layout.x.length,
      places: w.places.x.length,
      placesByCategory: w.byCategory.map((p) => p.index.length),
      visits: visits.length - before,
      crossMsaVisits: cross,
    });
  });

  return {
    spec,
    seed,
    persons: personsTable(worlds, nPersons),
    places: placesTable(spec, worlds, nPlaces),
    visits: visitsTable(visits),
    summary,
  };
}

function personsTable(worlds: MsaWorld[], n: number): ColumnTable {
  const personId = new Int32Array(n);
  const ses = new Float64Array(n);
  const msa = new Array<string>(n);
  const countyFips = new Int32Array(n);
  const countyName = new Array<string>(n);
  const homeTract = new Array<string>(n);
  const homeLat = new Float64Array(n);
  const homeLon = new Float64Array(n);
  const homeId = new Int32Array(n);
  for (const w of worlds) {
    const nH = w.households.size.length;
    const lat = new Float64Array(nH);
    const lon = new Float64Array(nH);
    for (let h = 0; h < nH; h++) {
      const d = kmToDegrees(w.homeX[h], w.homeY[h], w.centerLat, w.centerLon);
      lat[h] = round6(d.lat);
      lon[h] = round6(d.lon);
    }
    for (let p = 0; p < w.spec.population; p++) {
      const i = w.firstPerson + p;
      const h = w.personHousehold[p];
      const t = w.householdTract[h];
      const county = w.spec.counties[w.layout.county[t]];
      personId[i] = i + 1;
      ses[i] = w.households.ses[h];
      msa[i] = w.spec.name;
      countyFips[i] = county.fips;
      countyName[i] = county.name;
      homeTract[i] = w.layout.geoid[t];
      homeLat[i] = lat[h];
      homeLon[i] = lon[h];
      homeId[i] = w.firstHousehold + h + 1;
    }
  }
  return columnTable([
    { name: 'person_id', values: personId },
    { name: 'ses', values: ses },
    { name: 'msa', values: msa },
    { name: 'county_fips', values: countyFips },
    { name: 'county_name', values: countyName },
    { name: 'home_tract', values: homeTract },
    { name: 'home_lat', values: homeLat },
    { name: 'home_lon', values: homeLon },
    { name: 'home_id', values: homeId },
  ]);
}

function placesTable(spec: CitySpec, worlds: MsaWorld[], n: number): ColumnTable {
  const placeId = new Int32Array(n);
  const category = new Array<string>(n);
  const lat = new Float64Array(n);
  const lon = new Float64Array(n);
  const countyFips = new Int32Array(n);
  const msa = new Array<string>(n);
  const priceLevel = new Int32Array(n);
  for (const w of worlds) {
    const p = w.places;
    for (let k = 0; k < p.x.length; k++) {
      const i = w.firstPlace + k;
      const d = kmToDegrees(p.x[k], p.y[k], w.centerLat, w.centerLon);
      placeId[i] = i + 1;
      category[i] = spec.categories[p.category[k]].name;
      lat[i] = round6(d.lat);
      lon[i] = round6(d.lon);
      countyFips[i] = w.spec.counties[w.layout.county[p.tract[k]]].fips;
      msa[i] = w.spec.name;
      priceLevel[i] = p.priceLevel[k];
    }
  }
  return columnTable([
    { name: 'place_id', values: placeId },
    { name: 'category', values: category },
    { name: 'lat', values: lat },
    { name: 'lon', values: lon },
    { name: 'county_fips', values: countyFips },
    { name: 'msa', values: msa },
    { name: 'price_level', values: priceLevel },
  ]);
}

function visitsTable(v: VisitBuffer): ColumnTable {
  const person = v.person.finish();
  const place = v.place.finish();
  const personId = new Int32Array(person.length);
  const placeId = new Int32Array(place.length);
  for (let k = 0; k < person.length; k++) {
    personId[k] = person[k] + 1;
    placeId[k] = place[k] + 1;
  }
  return columnTable([
    { name: 'person_id', values: personId },
    { name: 'place_id', values: placeId },
    { name: 'start', values: v.start.finish() },
    { name: 'end', values: v.end.finish() },
  ]);
}
