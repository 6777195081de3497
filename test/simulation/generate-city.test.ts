import { describe, it, expect } from 'vitest';
import { mean, pearson, variance } from '../../src/math/stats.js';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { largestRemainder } from '../../src/simulation/tract-layout.js';
import { placesInCategory } from '../../src/simulation/places.js';
import { column } from './helpers.js';
import { msaSesLogSd } from '../../src/simulation/ses-spread.js';
import type { GeneratedCity } from '../../src/simulation/generate-city.js';

/** ln SES of each household (home_id) of one MSA. */
function householdLogSes(c: GeneratedCity, msaName: string): number[] {
  const home = column(c.persons, 'home_id') as Int32Array;
  const s = column(c.persons, 'ses') as Float64Array;
  const m = column(c.persons, 'msa') as string[];
  const seen = new Set<number>();
  const logs: number[] = [];
  for (let i = 0; i < home.length; i++) {
    if (m[i] !== msaName || seen.has(home[i])) continue;
    seen.add(home[i]);
    logs.push(Math.log(s[i]));
  }
  return logs;
}

/* Structural checks on the bundled default city (20,000 persons, 2 MSAs, 6 counties, 14 days). */
const spec = loadCitySpec('sims/cities/default.json');
const city = generateCity(spec);
const personId = column(city.persons, 'person_id') as Int32Array;
const ses = column(city.persons, 'ses') as Float64Array;
const msa = column(city.persons, 'msa') as string[];
const fips = column(city.persons, 'county_fips') as Int32Array;
const countyName = column(city.persons, 'county_name') as string[];
const tract = column(city.persons, 'home_tract') as string[];
const homeLat = column(city.persons, 'home_lat') as Float64Array;
const homeLon = column(city.persons, 'home_lon') as Float64Array;
const homeId = column(city.persons, 'home_id') as Int32Array;
const placeId = column(city.places, 'place_id') as Int32Array;
const category = column(city.places, 'category') as string[];
const placeFips = column(city.places, 'county_fips') as Int32Array;
const placeMsa = column(city.places, 'msa') as string[];
const priceLevel = column(city.places, 'price_level') as Int32Array;
const vPerson = column(city.visits, 'person_id') as Int32Array;
const vPlace = column(city.visits, 'place_id') as Int32Array;
const vStart = column(city.visits, 'start') as Float64Array;
const vEnd = column(city.visits, 'end') as Float64Array;
const nPersons = personId.length;
const nPlaces = placeId.length;
const nVisits = vPerson.length;

describe('persons', () => {
  it('has the SPEC section 1 columns and ids 1..N', () => {
    expect(city.persons.columns.map((c) => c.name)).toEqual(['person_id', 'ses', 'msa', 'county_fips', 'county_name', 'home_tract', 'home_lat', 'home_lon', 'home_id']);
    expect(nPersons).toBe(20000);
    expect(personId.every((id, i) => id === i + 1)).toBe(true);
    expect(ses.every((v) => Number.isFinite(v) && v > 0)).toBe(true);
  });

  it('home_tract is an 11-digit GEOID under the county FIPS; county names and MSAs follow the spec', () => {
    const countyOf = new Map<number, { name: string; msa: string }>();
    for (const m of spec.msas) for (const c of m.counties) countyOf.set(c.fips, { name: c.name, msa: m.name });
    let bad = 0;
    for (let i = 0; i < nPersons; i++) {
      const c = countyOf.get(fips[i]);
      const ok = /^\d{11}$/.test(tract[i]) && tract[i].slice(0, 5) === String(fips[i]).padStart(5, '0') && c?.name === countyName[i] && c?.msa === msa[i];
      if (!ok) bad++;
    }
    expect(bad).toBe(0);
  });

  it('counties hold their share of persons up to one household per tract', () => {
    for (const m of spec.msas) {
      const target = largestRemainder(m.population, m.counties.map((c) => c.share));
      m.counties.forEach((c, k) => {
        const n = fips.filter((f) => f === c.fips).length;
        const tracts = new Set(tract.filter((_, i) => fips[i] === c.fips)).size;
        expect(Math.abs(n - target[k])).toBeLessThanOrEqual(4 * tracts);
      });
    }
  });

  it('households of 1-4 persons share home, tract and SES', () => {
    const first = new Map<number, number>();
    const size = new Map<number, number>();
    let bad = 0;
    for (let i = 0; i < nPersons; i++) {
      const h = homeId[i];
      size.set(h, (size.get(h) ?? 0) + 1);
      const j = first.get(h);
      if (j === undefined) first.set(h, i);
      else if (homeLat[i] !== homeLat[j] || homeLon[i] !== homeLon[j] || tract[i] !== tract[j] || ses[i] !== ses[j]) bad++;
    }
    expect(bad).toBe(0);
    for (const s of size.values()) expect(s >= 1 && s <= 4).toBe(true);
    // mean household size: sum k p_k = 0.28 + 2(0.34) + 3(0.16) + 4(0.22) = 2.32
    expect(nPersons / size.size).toBeCloseTo(2.32, 1);
  });

  it('SES is log-normal with the spec median and, in each MSA, the log sd of its size', () => {
    const { median, log_sd: logSd, log_sd_size_elasticity: elasticity } = spec.ses;
    expect(median).toBe(1200);
    for (const m of spec.msas) {
      const logs = householdLogSes(city, m.name);
      const sd = msaSesLogSd(logSd, m.population, elasticity);
      expect(Math.exp(mean(logs))).toBeGreaterThan(median * Math.exp((-5 * sd) / Math.sqrt(logs.length)));
      expect(Math.exp(mean(logs))).toBeLessThan(median * Math.exp((5 * sd) / Math.sqrt(logs.length)));
      // the sample sd of n normal draws has standard error sd / sqrt(2 (n - 1))
      expect(Math.abs(Math.sqrt(variance(logs)) - sd)).toBeLessThan((4 * sd) / Math.sqrt(2 * (logs.length - 1)));
    }
  });
});

describe('places', () => {
  it('have ids 1..M, known categories, price levels 1-4 and a county of their MSA', () => {
    expect(city.places.columns.map((c) => c.name)).toEqual(['place_id', 'category', 'lat', 'lon', 'county_fips', 'msa', 'price_level']);
    expect(placeId.every((id, i) => id === i + 1)).toBe(true);
    const names = new Set(spec.categories.map((c) => c.name));
    const msaOf = new Map<number, string>();
    for (const m of spec.msas) for (const c of m.counties) msaOf.set(c.fips, m.name);
    for (let k = 0; k < nPlaces; k++) {
      expect(names.has(category[k])).toBe(true);
      expect(priceLevel[k] >= 1 && priceLevel[k] <= 4).toBe(true);
      expect(msaOf.get(placeFips[k])).toBe(placeMsa[k]);
    }
  });

  it('the larger MSA has at least as many places in every category and more places per person', () => {
    const [big, small] = city.summary;
    big.placesByCategory.forEach((n, c) => expect(n).toBeGreaterThanOrEqual(small.placesByCategory[c]));
    expect(big.places / big.persons).toBeGreaterThan(small.places / small.persons);
  });

  it('place counts follow the scaling law, with per-category exponent overrides', () => {
    const check = (s: typeof spec, summary: typeof city.summary) =>
      s.msas.forEach((m, i) =>
        s.categories.forEach((c, k) =>
          expect(summary[i].placesByCategory[k]).toBe(placesInCategory(c.places_per_10k, m.population, c.places_exponent ?? s.scaling.places_exponent)),
        ),
      );
    check(spec, city.summary);
    const override = { ...spec, days: 1, categories: spec.categories.map((c, k) => (k === 1 ? { ...c, places_exponent: 1.5 } : c)) };
    const overridden = generateCity(override);
    check(override, overridden.summary);
    // restaurants (150 per 10k) at exponent 1.5: 150 * 1.4^1.5 = 248.48 -> 248 and 150 * 0.6^1.5 = 69.71 -> 70
    expect(overridden.summary.map((m) => m.placesByCategory[1])).toEqual([248, 70]);
  });

  it('price levels are quartiles of price rank within (MSA, category)', () => {
    // 150 * 1.4^1.3 = 232.3 -> 232 restaurants in Springfield: positions (r - 0.5) / 232, level 1 + floor(4 p): 58 each.
    const counts = [0, 0, 0, 0];
    for (let k = 0; k < nPlaces; k++) if (category[k] === 'restaurant' && placeMsa[k] === 'Springfield, XS') counts[priceLevel[k] - 1]++;
    expect(counts).toEqual([58, 58, 58, 58]);
  });
});

describe('visits', () => {
  it('reference existing persons and places; end > start; integer epoch seconds in the window', () => {
    const windowEnd = spec.start + spec.days * 86400 + 86400;
    let bad = 0;
    for (let k = 0; k < nVisits; k++) {
      const ok =
        vPerson[k] >= 1 && vPerson[k] <= nPersons && vPlace[k] >= 1 && vPlace[k] <= nPlaces && vEnd[k] > vStart[k] &&
        Number.isInteger(vStart[k]) && Number.isInteger(vEnd[k]) && vStart[k] >= spec.start && vEnd[k] < windowEnd;
      if (!ok) bad++;
    }
    expect(bad).toBe(0);
  });

  it("a person's visits are in time order and never overlap", () => {
    let bad = 0;
    for (let k = 1; k < nVisits; k++) {
      if (vPerson[k] === vPerson[k - 1] ? vStart[k] < vEnd[k - 1] : vPerson[k] < vPerson[k - 1]) bad++;
    }
    expect(bad).toBe(0);
  });

  it('visit rate: negative-binomial counts with mean 1.5/day and variance m + m^2 / shape', () => {
    // Per person T ~ Poisson(14 * 1.5 * G), G ~ Gamma(4, 1/4): E T = 21, Var T = 21 + 21^2 / 4 = 131.25.
    // SE of the mean over 20,000 persons: sqrt(131.25 / 20000) = 0.081.
    const perPerson = new Float64Array(nPersons);
    for (let k = 0; k < nVisits; k++) perPerson[vPerson[k] - 1]++;
    expect(Math.abs(mean(perPerson) - 21)).toBeLessThan(5 * 0.081);
    expect(variance(perPerson) / 131.25).toBeGreaterThan(0.9);
    expect(variance(perPerson) / 131.25).toBeLessThan(1.1);
  });

  it('categories get their visit weight share; starts fall in opening hours', () => {
    const catIndex = new Map(spec.categories.map((c, i) => [c.name, i]));
    const counts = new Float64Array(spec.categories.length);
    let outside = 0;
    for (let k = 0; k < nVisits; k++) {
      const c = catIndex.get(category[vPlace[k] - 1])!;
      counts[c]++;
      const hour = Math.floor(((vStart[k] - spec.start) % 86400) / 3600);
      if (hour < spec.categories[c].open_hour || hour >= spec.categories[c].close_hour) outside++;
    }
    const total = spec.categories.reduce((s, c) => s + c.visit_weight, 0);
    spec.categories.forEach((c, i) => {
      const p = c.visit_weight / total;
      expect(Math.abs(counts[i] / nVisits - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / nVisits));
    });
    // only the one-minute spacing of a person's consecutive starts can push a start past closing time
    expect(outside / nVisits).toBeLessThan(0.001);
  });

  it('a small share goes to the other MSA; most people meet someone; every county has ample co-presence', () => {
    let cross = 0;
    for (let k = 0; k < nVisits; k++) if (placeMsa[vPlace[k] - 1] !== msa[vPerson[k] - 1]) cross++;
    expect(cross).toBe(city.summary.reduce((s, m) => s + m.crossMsaVisits, 0));
    // Each exploring visit goes to another MSA with probability 0.01, and a return picks a past visit of
    // the category uniformly (a Polya urn: the expected cross share of the past stays 0.01), so E = 0.01.
    expect(Math.abs(cross / nVisits - spec.mobility.cross_msa_share)).toBeLessThan(0.0015);

    // (place, 300-s bin) groups: a group is shared when it holds two different persons.
    const firstPerson = new Map<number, number>();
    const shared = new Set<number>();
    const key = (k: number, b: number) => vPlace[k] * 65536 + (b - Math.floor(spec.start / 300));
    for (let k = 0; k < nVisits; k++) {
      for (let b = Math.floor(vStart[k] / 300); b <= Math.floor((vEnd[k] - 1) / 300); b++) {
        const g = key(k, b);
        const p = firstPerson.get(g);
        if (p === undefined) firstPerson.set(g, vPerson[k]);
        else if (p !== vPerson[k]) shared.add(g);
      }
    }
    const met = new Uint8Array(nPersons);
    const endpointsByCounty = new Map<number, number>();
    for (let k = 0; k < nVisits; k++) {
      for (let b = Math.floor(vStart[k] / 300); b <= Math.floor((vEnd[k] - 1) / 300); b++) {
        if (!shared.has(key(k, b))) continue;
        met[vPerson[k] - 1] = 1;
        const f = fips[vPerson[k] - 1];
        endpointsByCounty.set(f, (endpointsByCounty.get(f) ?? 0) + 1);
      }
    }
    expect(mean(met)).toBeGreaterThan(0.99);
    expect(endpointsByCounty.size).toBe(6);
    for (const n of endpointsByCounty.values()) expect(n).toBeGreaterThan(10_000);
  });
});

/* The mobility knobs do what their names say (short 2-day cities, two seeds each). */
describe('mobility knobs', () => {
  const short = { ...spec, days: 2 };
  function visitStats(s: typeof spec, seed: number) {
    const c = generateCity(s, seed);
    const lat = column(c.persons, 'home_lat') as Float64Array;
    const lon = column(c.persons, 'home_lon') as Float64Array;
    const pm = column(c.persons, 'msa') as string[];
    const pses = column(c.persons, 'ses') as Float64Array;
    const plat = column(c.places, 'lat') as Float64Array;
    const plon = column(c.places, 'lon') as Float64Array;
    const pmsa = column(c.places, 'msa') as string[];
    const price = column(c.places, 'price_level') as Int32Array;
    const vp = column(c.visits, 'person_id') as Int32Array;
    const vq = column(c.visits, 'place_id') as Int32Array;
    const dist: number[] = [];
    const personSes: number[] = [];
    const placePrice: number[] = [];
    const byMsa = new Map<string, { ses: number[]; price: number[] }>();
    for (let k = 0; k < vp.length; k++) {
      const i = vp[k] - 1;
      const j = vq[k] - 1;
      if (pm[i] !== pmsa[j]) continue;
      // degrees to km near 40N (scale only matters for the comparison)
      dist.push(Math.hypot((lat[i] - plat[j]) * 111.2, (lon[i] - plon[j]) * 111.2 * Math.cos((40 * Math.PI) / 180)));
      personSes.push(pses[i]);
      placePrice.push(price[j]);
      const b = byMsa.get(pm[i]) ?? { ses: [], price: [] };
      b.ses.push(pses[i]);
      b.price.push(price[j]);
      byMsa.set(pm[i], b);
    }
    const sesPriceByMsa = new Map([...byMsa].map(([m, b]) => [m, pearson(b.ses, b.price)]));
    return { meanDistance: mean(dist), sesPrice: pearson(personSes, placePrice), sesPriceByMsa };
  }
  /** corr(person SES, price level visited) within each MSA's own visits, by MSA name. */
  const sesPriceByMsa = (s: typeof spec, seed: number) => visitStats(s, seed).sesPriceByMsa;
  it('income inequality growing with city size: each MSA draws log SES with sd log_sd (P / 10,000)^elasticity, same ranks', () => {
    const flat = { ...spec, days: 1, ses: { ...spec.ses, log_sd: 1, log_sd_size_elasticity: 0 } };
    const growing = { ...flat, ses: { ...flat.ses, log_sd_size_elasticity: 0.5 } };
    const a = generateCity(flat, 5);
    const b = generateCity(growing, 5);
    // Springfield (14,000 persons): sqrt(1.4) = 1.183; Riverton (6,000): sqrt(0.6) = 0.775
    for (const [name, sd] of [['Springfield, XS', 1.183], ['Riverton, XN', 0.775]] as const) {
      const logs = householdLogSes(b, name);
      expect(Math.abs(Math.sqrt(variance(logs)) - sd)).toBeLessThan((4 * sd) / Math.sqrt(2 * (logs.length - 1)));
      expect(Math.abs(Math.sqrt(variance(householdLogSes(a, name))) - 1)).toBeLessThan(4 / Math.sqrt(2 * (logs.length - 1)));
    }
    // only the spread changes: every person keeps the standard score of their SES, ln(ses / median) / sd
    const sesA = column(a.persons, 'ses') as Float64Array;
    const sesB = column(b.persons, 'ses') as Float64Array;
    const msaA = column(a.persons, 'msa') as string[];
    let worst = 0;
    for (let i = 0; i < sesA.length; i++) {
      const sd = msaA[i] === 'Springfield, XS' ? Math.sqrt(1.4) : Math.sqrt(0.6);
      // cents rounding: |d ln ses| <= 0.005 / ses
      worst = Math.max(worst, Math.abs(Math.log(sesB[i] / 1200) / sd - Math.log(sesA[i] / 1200)) * Math.min(sesA[i], sesB[i]));
    }
    expect(worst).toBeLessThan(0.02);
  });
  for (const seed of [11, 12]) {
    it(`seed ${seed}: a taste link growing with the choice set ties SES to price more in the larger MSA and less in the smaller`, () => {
      // places exponent 1.3: Springfield (14,000) has k = 1.4^0.3 = 1.106 times the reference places per
      // person, Riverton (6,000) k = 0.6^0.3 = 0.858; elasticity 8 gives taste correlations
      // min(1, 0.5 * 2.24) = 1 and 0.5 * 0.29 = 0.15 (0.5 in both without it)
      const flat = { ...short, residential_sorting: 0, mobility: { ...short.mobility, ses_price_affinity: 4, price_local_ses_correlation: 0, price_taste_ses_correlation: 0.5, revisit_probability: 0 } };
      const growing = { ...flat, mobility: { ...flat.mobility, price_taste_choice_elasticity: 8 } };
      const a = sesPriceByMsa(flat, seed);
      const b = sesPriceByMsa(growing, seed);
      expect(b.get('Springfield, XS')!).toBeGreaterThan(1.4 * a.get('Springfield, XS')!);
      expect(b.get('Riverton, XN')!).toBeLessThan(0.6 * a.get('Riverton, XN')!);
    });
    it(`seed ${seed}: a taste link varying across MSAs moves each MSA's SES-price link, both ways`, () => {
      const flat = { ...short, residential_sorting: 0, mobility: { ...short.mobility, ses_price_affinity: 4, price_local_ses_correlation: 0, price_taste_ses_correlation: 0.5, revisit_probability: 0 } };
      const varied = { ...flat, mobility: { ...flat.mobility, price_taste_msa_log_sd: 1 } };
      const a = sesPriceByMsa(flat, seed);
      const b = sesPriceByMsa(varied, seed);
      // with a log sd of 1 an MSA's correlation is multiplied by a factor e^u: some way from 1 in each MSA
      const changes = [...a.keys()].map((m) => b.get(m)! / a.get(m)!);
      expect(changes.some((r) => Math.abs(Math.log(r)) > 0.1)).toBe(true);
    });
    it(`seed ${seed}: a longer distance-decay scale gives longer trips`, () => {
      // distances from home: no visits from a workplace
      const near = visitStats({ ...short, mobility: { ...short.mobility, distance_decay_km: 1, work_visit_share: 0 } }, seed);
      const far = visitStats({ ...short, mobility: { ...short.mobility, distance_decay_km: 4, work_visit_share: 0 } }, seed);
      expect(far.meanDistance).toBeGreaterThan(near.meanDistance * 1.3);
    });
    it(`seed ${seed}: SES-price affinity ties visitors' SES to the price of the places they visit`, () => {
      // no sorting, no price-SES link, no affinity: price levels visited are unrelated to SES
      // (price taste = own SES, so the affinity acts on SES alone)
      const none = { ...short, residential_sorting: 0, mobility: { ...short.mobility, ses_price_affinity: 0, price_local_ses_correlation: 0, price_taste_ses_correlation: 1 } };
      const strong = { ...none, mobility: { ...none.mobility, ses_price_affinity: 4 } };
      expect(Math.abs(visitStats(none, seed).sesPrice)).toBeLessThan(0.05);
      expect(visitStats(strong, seed).sesPrice).toBeGreaterThan(0.2);
    });
    it(`seed ${seed}: visits from a workplace go farther from home`, () => {
      const home = { ...short, mobility: { ...short.mobility, revisit_probability: 0, cross_msa_share: 0, work_visit_share: 0 } };
      const work = { ...home, mobility: { ...home.mobility, work_visit_share: 1 } };
      // every visit from a uniformly drawn resident's home: about the mean distance between two homes
      // of the disk (0.905 R for a uniform disk), against a few decay lengths from one's own home
      expect(visitStats(work, seed).meanDistance).toBeGreaterThan(1.5 * visitStats(home, seed).meanDistance);
    });
    it(`seed ${seed}: price taste only partly tied to SES weakens the SES-price link, and not at all when untied`, () => {
      const tied = { ...short, residential_sorting: 0, mobility: { ...short.mobility, ses_price_affinity: 4, price_local_ses_correlation: 0, price_taste_ses_correlation: 1 } };
      const partly = { ...tied, mobility: { ...tied.mobility, price_taste_ses_correlation: 0.5 } };
      const untied = { ...tied, mobility: { ...tied.mobility, price_taste_ses_correlation: 0 } };
      const [t, p, u] = [tied, partly, untied].map((s) => visitStats(s, seed).sesPrice);
      expect(Math.abs(u)).toBeLessThan(0.05);
      expect(p).toBeGreaterThan(0.05);
      expect(t).toBeGreaterThan(1.4 * p);
    });
  }
});
