import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/math/random.js';
import { pearson } from '../../src/math/stats.js';
import { loadCitySpec, withResidentialSorting } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { fillTractsBySortingScore, sortingScores } from '../../src/simulation/residential-sorting.js';
import { KM_PER_DEGREE, kmToDegrees, largestRemainder, layoutTracts } from '../../src/simulation/tract-layout.js';
import { column } from './helpers.js';

describe('largestRemainder', () => {
  it('splits 10 by 0.4/0.25/0.2/0.15 into 4/3/2/1 (remainders .5 at 1 and 3: the earlier wins)', () => {
    // exact 4, 2.5, 2, 1.5 -> floors 4, 2, 2, 1 (9) -> one left for the larger remainder, tie -> index 1
    expect(Array.from(largestRemainder(10, [0.4, 0.25, 0.2, 0.15]))).toEqual([4, 3, 2, 1]);
    expect(Array.from(largestRemainder(7, [1, 1, 1]))).toEqual([3, 2, 2]);
  });
});

describe('kmToDegrees', () => {
  it('one degree of latitude is 2 pi 6371 / 360 = 111.195 km; longitude shrinks by cos(lat)', () => {
    expect(KM_PER_DEGREE).toBeCloseTo(111.19492664, 6);
    expect(kmToDegrees(0, 111.19492664455873, 40, -100).lat).toBeCloseTo(41, 10);
    // at 60N a degree of longitude is half as long: 55.597 km east -> 1 degree
    expect(kmToDegrees(55.597463322279365, 0, 60, 10).lon).toBeCloseTo(11, 10);
  });
});

describe('layoutTracts', () => {
  const msa = {
    name: 'Springfield, XS',
    population: 14000,
    counties: [
      { fips: 91001, name: 'Adams County', share: 0.4 },
      { fips: 91003, name: 'Baker County', share: 0.25 },
      { fips: 91005, name: 'Clark County', share: 0.2 },
      { fips: 91007, name: 'Dale County', share: 0.15 },
    ],
  };
  const layout = layoutTracts(msa, 60, 100, createRng('layout'));

  it('gives each county round(persons / 100) tracts, 11-digit GEOIDs under its FIPS, capacities summing to the population', () => {
    const byCounty = [0, 0, 0, 0];
    layout.county.forEach((c) => byCounty[c]++);
    expect(byCounty).toEqual([56, 35, 28, 21]);
    expect(Array.from(layout.countyPersons)).toEqual([5600, 3500, 2800, 2100]);
    layout.geoid.forEach((g, t) => {
      expect(g).toMatch(/^\d{11}$/);
      expect(g.slice(0, 5)).toBe(String(msa.counties[layout.county[t]].fips));
    });
    expect(new Set(layout.geoid).size).toBe(layout.geoid.length);
    expect(layout.capacity.reduce((a, b) => a + b, 0)).toBe(14000);
    // disk of area 14000 / 60 km^2
    expect(layout.radiusKm).toBeCloseTo(Math.sqrt(14000 / 60 / Math.PI), 12);
  });

  it('puts the first county in the core: its tracts are the innermost', () => {
    const r = (t: number) => Math.hypot(layout.x[t], layout.y[t]);
    let coreMax = 0;
    let ringMin = Infinity;
    for (let t = 0; t < layout.x.length; t++) {
      if (layout.county[t] === 0) coreMax = Math.max(coreMax, r(t));
      else ringMin = Math.min(ringMin, r(t));
    }
    // sunflower radii are sqrt((k + 0.5) / T) R; jitter is at most 0.3 spacing per coordinate
    expect(ringMin).toBeGreaterThan(coreMax - 0.9 * layout.spacingKm);
  });
});

describe('sorting scores and tract filling', () => {
  it('s = 1 ranks households exactly by SES; s = 0 ignores it', () => {
    const rng = createRng('scores');
    const z = Float64Array.from({ length: 5000 }, () => rng.normal());
    expect(Array.from(sortingScores(z, 1, createRng('a')))).toEqual(Array.from(z));
    expect(Math.abs(pearson(z, sortingScores(z, 0, createRng('b'))))).toBeLessThan(5 / Math.sqrt(5000));
    // corr(score, z) = sqrt(s)
    expect(pearson(z, sortingScores(z, 0.49, createRng('c')))).toBeCloseTo(0.7, 1);
  });

  it('fills tracts in field order by score, a household going where its first member falls', () => {
    // scores: h0 > h2 > h1 > h3; sizes 2, 1, 2, 1; tracts by field: t1 (0.9) then t0 (0.1), 3 persons each.
    // cumulative persons before h0, h2, h1, h3: 0, 2, 3, 5 -> t1, t1, t0, t0
    const tract = fillTractsBySortingScore(Float64Array.from([3, 1, 2, 0]), Int32Array.from([2, 1, 2, 1]), Float64Array.from([0.1, 0.9]), Int32Array.from([3, 3]));
    expect(Array.from(tract)).toEqual([1, 0, 1, 0]);
  });
});

/*
 * The residential sorting knob, measured on the default city. With score = sqrt(s) z + sqrt(1 - s) e and
 * tracts as narrow blocks of score rank, a tract's mean of z over its persons is sqrt(s) * score_t plus the
 * mean of the residuals (variance 1 - s) over its households, so Var(tract mean) = s + (1 - s) / H_eff and
 * cov(z_i, tract mean) is the same (a person's own household enters the mean with weight size/n_t, whose
 * person-average is 1 / H_eff, H_eff = (persons per tract) E[size] / E[size^2]). Hence
 *   corr(z_i, tract mean of z) = sqrt(s + (1 - s) / H_eff).
 * z = log(ses) (log-normal SES). Checked over three seeds and four strengths.
 */
describe('residential sorting strength', () => {
  const base = { ...loadCitySpec('sims/cities/default.json'), days: 1 };
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: corr(log SES, tract mean) follows sqrt(s + (1 - s) / H_eff) and rises with s`, () => {
      let previous = -1;
      for (const s of [0, 0.3, 0.6, 0.9]) {
        const city = generateCity(withResidentialSorting(base, s), seed);
        const z = Array.from(column(city.persons, 'ses') as Float64Array, Math.log);
        const tract = column(city.persons, 'home_tract') as string[];
        const home = column(city.persons, 'home_id') as Int32Array;
        const sum = new Map<string, number>();
        const count = new Map<string, number>();
        z.forEach((v, i) => {
          sum.set(tract[i], (sum.get(tract[i]) ?? 0) + v);
          count.set(tract[i], (count.get(tract[i]) ?? 0) + 1);
        });
        const tractMean = z.map((_, i) => sum.get(tract[i])! / count.get(tract[i])!);
        const size = new Map<number, number>();
        for (const h of home) size.set(h, (size.get(h) ?? 0) + 1);
        let s1 = 0;
        let s2 = 0;
        for (const v of size.values()) {
          s1 += v;
          s2 += v * v;
        }
        const hEff = (s1 * s1) / s2 / sum.size;
        const r = pearson(z, tractMean);
        expect(Math.abs(r - Math.sqrt(s + (1 - s) / hEff))).toBeLessThan(0.03);
        expect(r).toBeGreaterThan(previous);
        previous = r;
      }
    });
  }
});
