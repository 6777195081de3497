/**
 * Every value of data/residential/EXPECTED.md (published by pysal/segregation's tests, Elbers' R package
 * `segregation`, Duncan & Duncan, Roberto 2016 and the OBI technical appendix), to 1e-6 relative.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { readSmallTable, type SmallTable } from '../../src/io/small-table.js';
import { compositionFromCounts, compositionFromLong, compositionFromShares, transposeCounts, type Composition } from '../../src/residential/composition.js';
import { atkinson, correlationRatio, dissimilarity, gini, interaction, isolation, theilEntropyIndex } from '../../src/residential/single-group.js';
import {
  diversity,
  multigroupDissimilarity,
  multigroupGini,
  multigroupTheilH,
  mutualInformation,
  normalisedDiversity,
  normalisedExposure,
  relativeDiversity,
  simpsonConcentration,
  simpsonInteraction,
  squaredCoefficientOfVariation,
} from '../../src/residential/multigroup.js';
import { decomposeDivergence, divergenceIndex, divergencePerUnit, klDivergence } from '../../src/residential/divergence.js';
import { locationQuotients } from '../../src/residential/local.js';
import { unitGeometryFromGeoJson } from '../../src/residential/geometry.js';
import { absoluteCentralization, delta, regionCentre } from '../../src/residential/spatial.js';

/** |actual - expected| <= tol * |expected| */
function expectRelative(actual: number, expected: number, tol = 1e-6): void {
  expect(Number.isFinite(actual)).toBe(true);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol * Math.abs(expected));
}

const DATA = 'data/residential';

describe('Sacramento (pysal/segregation tests, 403 tracts)', () => {
  let table: SmallTable;
  let hisp: Float64Array;
  let total: Float64Array;
  let multi: Composition;
  const groups = ['WHITE_', 'BLACK_', 'ASIAN_', 'HISP_'];
  beforeAll(async () => {
    table = await readSmallTable(`${DATA}/sacramento-tracts.csv`);
    hisp = table.numbers('HISP_');
    total = table.numbers('TOT_POP');
    multi = compositionFromCounts(table.text('FIPS'), groups, groups.map((g) => table.numbers(g)));
  });

  it('has 403 tracts', () => expect(table.nRows).toBe(403));

  it('single group, HISP_ against TOT_POP', () => {
    expectRelative(dissimilarity(hisp, total), 0.32184656076566864);
    expectRelative(isolation(hisp, total), 0.2319615486459151);
    expectRelative(interaction(hisp, total), 0.7680384513540848);
    expectRelative(atkinson(hisp, total, 0.5), 0.15079259382667654);
    expectRelative(theilEntropyIndex(hisp, total), 0.09626774479970557);
    expectRelative(gini(hisp, total), 0.43506510676886234);
    expectRelative(correlationRatio(hisp, total), 0.09164042012926693);
  });

  it('multigroup over WHITE_, BLACK_, ASIAN_, HISP_', () => {
    expectRelative(multigroupDissimilarity(multi), 0.41340872573177806);
    expectRelative(mutualInformation(multi), 0.16645182134289443);
    expectRelative(divergenceIndex(multi), 0.16645182134289443);
    expectRelative(multigroupTheilH(multi), 0.1710160297858887);
    expectRelative(diversity(multi), 0.9733112243997906);
    expectRelative(normalisedDiversity(multi), 0.7020956383415715);
    expectRelative(multigroupGini(multi), 0.5456349992598081);
    expectRelative(normalisedExposure(multi), 0.18821879029994157);
    expectRelative(relativeDiversity(multi), 0.15820019878220337);
    expectRelative(simpsonConcentration(multi), 0.49182413151957904);
    expectRelative(simpsonInteraction(multi), 0.508175868480421);
    expectRelative(squaredCoefficientOfVariation(multi), 0.11875484641127525);
  });

  it('summed local divergence is M', () => {
    const d = divergencePerUnit(multi);
    const t = multi.counts;
    let T = 0;
    let s = 0;
    for (let i = 0; i < multi.nUnits; i++) {
      const ti = t[i * 4] + t[i * 4 + 1] + t[i * 4 + 2] + t[i * 4 + 3];
      T += ti;
      if (ti > 0) s += ti * d[i];
    }
    expectRelative(s / T, 0.16645182134289443);
  });

  it('location quotients of the first tract', () => {
    const lq = locationQuotients(multi);
    // EXPECTED.md prints them to 8 decimals: compare at that precision
    expect(lq[0]).toBeCloseTo(1.36543221, 8);
    expect(lq[1]).toBeCloseTo(0.07478049, 8);
    expect(lq[2]).toBeCloseTo(0.16245651, 8);
  });

  it('spatial, HISP_ against TOT_POP, planar lon/lat degrees', () => {
    const geojson = JSON.parse(readFileSync(`${DATA}/sacramento-tracts.geojson`, 'utf8'));
    const geometry = unitGeometryFromGeoJson(table.text('FIPS'), geojson, 'FIPS');
    expectRelative(delta(hisp, geometry.area), 0.8044969214141899);
    expectRelative(absoluteCentralization(hisp, geometry, regionCentre(geometry, total, 'mean')), 0.6891422368736286);
  });
});

describe("Elbers' schools00 (race x school)", () => {
  let schools: Composition;
  let stateOfSchool: Int32Array;
  let nStates: number;
  beforeAll(async () => {
    const t = await readSmallTable(`${DATA}/schools00.csv`);
    schools = compositionFromLong(t.text('school'), t.text('race'), t.numbers('n'));
    const states = [...new Set(t.text('state'))];
    const stateOf = new Map<string, number>();
    t.text('school').forEach((s, i) => stateOf.set(s, states.indexOf(t.text('state')[i])));
    stateOfSchool = Int32Array.from(schools.unitIds, (s) => stateOf.get(s)!);
    nStates = states.length;
  });

  it('M and H', () => {
    expectRelative(mutualInformation(schools), 0.42553897587641876);
    expectRelative(multigroupTheilH(schools), 0.4188083146);
  });

  it('between-state and within-state M', () => {
    const d = decomposeDivergence(schools, stateOfSchool, nStates);
    expectRelative(d.between, 0.0992437);
    // EXPECTED.md prints within = total - between to 4 decimals
    expect(d.within).toBeCloseTo(0.3263, 4);
    expectRelative(d.within + d.between, 0.42553897587641876, 1e-12);
    expectRelative(d.within, d.total - d.between, 1e-12);
  });
});

describe('toy and Duncan & Duncan examples', () => {
  const toy = compositionFromCounts(['a', 'b'], ['1', '2', '3', '4'], [
    Float64Array.of(40, 20),
    Float64Array.of(20, 40),
    Float64Array.of(5, 60),
    Float64Array.of(1, 80),
  ]);

  it('toy M', () => expectRelative(mutualInformation(toy), 0.18658673554483496));

  it('toy supergroups {1,2} and {3,4}: between and within', () => {
    // M is symmetric in units and groups, so a partition of the groups decomposes the transposed matrix
    const d = decomposeDivergence(transposeCounts(toy), Int32Array.of(0, 0, 1, 1), 2);
    expectRelative(d.between, 0.1534797);
    expectRelative(d.within, 0.03310704);
  });

  const twoGroups = (a: number[], b: number[]) =>
    compositionFromCounts(a.map((_, i) => `u${i}`), ['A', 'B'], [Float64Array.from(a), Float64Array.from(b)]);

  it('units (100,0) (60,40) (40,60) (0,100): D 0.6, M 0.35664', () => {
    const c = twoGroups([100, 60, 40, 0], [0, 40, 60, 100]);
    expectRelative(dissimilarity(Float64Array.of(100, 60, 40, 0), Float64Array.of(100, 100, 100, 100)), 0.6, 1e-12);
    expectRelative(multigroupDissimilarity(c), 0.6, 1e-12);
    // closed form: M = (ln 2 + 0.6 ln 1.2 + 0.4 ln 0.8) / 2; EXPECTED.md prints 0.35664
    expectRelative(mutualInformation(c), (Math.LN2 + 0.6 * Math.log(1.2) + 0.4 * Math.log(0.8)) / 2, 1e-12);
    expect(mutualInformation(c)).toBeCloseTo(0.35664, 5);
  });

  it('units (80,20) (80,20) (20,80) (20,80): D 0.6, M 0.19274', () => {
    const c = twoGroups([80, 80, 20, 20], [20, 20, 80, 80]);
    expectRelative(multigroupDissimilarity(c), 0.6, 1e-12);
    // closed form: M = 0.8 ln 1.6 + 0.2 ln 0.4; EXPECTED.md prints 0.19274
    expectRelative(mutualInformation(c), 0.8 * Math.log(1.6) + 0.2 * Math.log(0.4), 1e-12);
    expect(mutualInformation(c)).toBeCloseTo(0.19274, 5);
  });
});

describe('Detroit, black/white, log base 2 (Roberto 2016)', () => {
  let detroit: Composition;
  let isCity: Int32Array;
  beforeAll(async () => {
    const t = await readSmallTable(`${DATA}/detroit-tracts.csv`);
    const population = t.numbers('population');
    // tracts with population 0 have empty shares: they count as empty units
    detroit = compositionFromShares(
      t.text('tract'),
      ['black', 'white'],
      [t.numbers('black', { allowMissing: true }), t.numbers('white', { allowMissing: true })],
      population,
      'population',
      { partial: true },
    );
    isCity = Int32Array.from(t.text('place_name'), (p) => (p === 'Detroit city, MI' ? 0 : 1));
  });

  it('the city is the 296 tracts of "Detroit city, MI"', () => {
    expect(isCity.filter((r) => r === 0).length).toBe(296);
  });

  it('metro 0.4783, city 0.1364; city within/between 0.0471/0.4962; suburbs 0.3216/0.1351', () => {
    const d = decomposeDivergence(detroit, isCity, 2, 2);
    // Roberto prints 0.48 and 0.14; EXPECTED.md gives the exact values to 4 decimals
    expect(d.total).toBeCloseTo(0.4783, 4);
    expect(d.regions[0].divergence).toBeCloseTo(0.1364, 4);
    expect(d.regions[0].withinShare).toBeCloseTo(0.0471, 4);
    expect(d.regions[0].betweenShare).toBeCloseTo(0.4962, 4);
    expect(d.regions[1].withinShare).toBeCloseTo(0.3216, 4);
    expect(d.regions[1].betweenShare).toBeCloseTo(0.1351, 4);
    expect(Math.round(d.total * 100) / 100).toBe(0.48);
    expect(Math.round(d.regions[0].divergence * 100) / 100).toBe(0.14);
    // the four parts add up to the metro total
    const shares = d.regions.reduce((s, r) => s + r.withinShare + r.betweenShare, 0);
    expectRelative(shares, 1, 1e-12);
  });

  it('base 2 is base e divided by ln 2', () => {
    expectRelative(divergenceIndex(detroit, 2), divergenceIndex(detroit) / Math.LN2, 1e-12);
  });
});

describe('OBI technical appendix worked example', () => {
  const tract = [0.76, 0.119, 0.093, 0.028];
  const region = [0.119, 0.108, 0.667, 0.106];

  it('divergence of the tract from its region is 1.2002279 (printed 1.21)', () => {
    expectRelative(klDivergence(tract, region), 1.2002279);
  });

  it('the same tract inside a region of one million people, through divergencePerUnit', () => {
    const N = 1e6;
    const a = tract.map((p) => p * 1000);
    const b = region.map((p, k) => p * N - a[k]);
    const c = compositionFromCounts(['tract', 'rest'], ['black', 'latino', 'white', 'asian'], a.map((v, k) => Float64Array.of(v, b[k])));
    expectRelative(divergencePerUnit(c)[0], 1.2002279);
  });
});
