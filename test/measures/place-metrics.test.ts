/**
 * Place metrics on hand-countable bipartite graphs: visitor SES mean/sd, decile entropy, Moro et al.'s
 * place segregation from known quartile time shares, and the area each place is measured against.
 */
import { describe, expect, it } from 'vitest';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import {
  areaClassCuts,
  assignPlaceAreas,
  classOf,
  moroSegregation,
  placeMetrics,
  placeMetricsTable,
  shannonEntropy,
} from '../../src/measures/place-metrics.js';

interface Visit {
  person: number;
  place: number;
  start: number;
  end?: number;
}

function graphOf(visits: Visit[], nPersons: number, nPlaces: number) {
  return buildBipartiteGraph(
    {
      person: Int32Array.from(visits, (v) => v.person),
      place: Int32Array.from(visits, (v) => v.place),
      start: Float64Array.from(visits, (v) => v.start),
      end: Float64Array.from(visits, (v) => v.end ?? NaN),
    },
    nPersons,
    nPlaces,
  );
}

const H = 3600;

describe("Moro et al.'s place segregation S = (2/3) sum_q |tau_q - 1/4|", () => {
  it('is 0 for equal shares, 1 for one quartile, 1/3 for (1/2, 1/4, 1/4, 0)', () => {
    expect(moroSegregation([0.25, 0.25, 0.25, 0.25])).toBe(0);
    expect(moroSegregation([0, 0, 0, 1])).toBeCloseTo(1, 15); // (2/3)(3/4 + 3 * 1/4) = 1
    expect(moroSegregation([0.5, 0.25, 0.25, 0])).toBeCloseTo(1 / 3, 15); // (2/3)(1/4 + 1/4)
  });

  /*
   * Eight persons, SES 1..8, one area. Type-7 quartile cuts: h = 7p -> 2.75, 4.5, 6.25, so the
   * quartiles are {1,2} {3,4} {5,6} {7,8} (persons 0-1, 2-3, 4-5, 6-7). Bins of one hour.
   * Place 0: person 0 (Q1) [0, 1h) and a visit without end (one bin = 1h); person 1 (Q1) nothing;
   *          person 2 (Q2) [0, 1h); person 4 (Q3) [0, 30 min) and [2h, 2h30)  -> Q1 2h, Q2 1h, Q3 1h, Q4 0
   *          tau = (1/2, 1/4, 1/4, 0), S = 1/3.
   * Place 1: persons 6 and 7 (Q4) only -> S = 1.
   * Place 2: persons 1, 3, 5, 7 for 20 min each -> tau = 1/4 each, S = 0.
   * Place 3: persons 0 (Q1) 3h and 6 (Q4) 1h -> tau = (3/4, 0, 0, 1/4): S = (2/3)(1/2 + 1/4 + 1/4 + 0) = 2/3.
   */
  const ses = Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  const g = graphOf(
    [
      { person: 0, place: 0, start: 0, end: H },
      { person: 0, place: 0, start: 5 * H },
      { person: 2, place: 0, start: 0, end: H },
      { person: 4, place: 0, start: 0, end: H / 2 },
      { person: 4, place: 0, start: 2 * H, end: 2.5 * H },
      { person: 6, place: 1, start: 0, end: 10 },
      { person: 7, place: 1, start: 0, end: 500 },
      { person: 1, place: 2, start: 0, end: 1200 },
      { person: 3, place: 2, start: 0, end: 1200 },
      { person: 5, place: 2, start: 0, end: 1200 },
      { person: 7, place: 2, start: 0, end: 1200 },
      { person: 0, place: 3, start: 0, end: 3 * H },
      { person: 6, place: 3, start: 0, end: H },
    ],
    8,
    4,
  );
  const personArea = new Int32Array(8);
  const placeArea = new Int32Array(4);
  const m = placeMetrics(g, ses, personArea, 1, placeArea, H);

  it('cuts quartiles with type-7 quantiles; a value at a cut goes up', () => {
    const cuts = areaClassCuts(ses, personArea, 1, 4);
    expect(Array.from(cuts.subarray(0, 3))).toEqual([2.75, 4.5, 6.25]);
    expect(Array.from(ses, (v) => classOf(v, cuts, 0, 3))).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    expect(classOf(4.5, cuts, 0, 3)).toBe(2);
  });

  it('gives the time shares and S counted by hand', () => {
    const shares = (q: number) => Array.from(m.quartileTimeShares.subarray(4 * q, 4 * q + 4));
    expect(shares(0)).toEqual([0.5, 0.25, 0.25, 0]);
    expect(m.segregation[0]).toBeCloseTo(1 / 3, 14);
    expect(shares(1)).toEqual([0, 0, 0, 1]);
    expect(m.segregation[1]).toBeCloseTo(1, 14);
    expect(shares(2)).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(m.segregation[2]).toBe(0);
    expect(shares(3)).toEqual([0.75, 0, 0, 0.25]);
    expect(m.segregation[3]).toBeCloseTo(2 / 3, 14);
  });

  it('counts visits and distinct visitors; SES mean and sd (n - 1) over distinct visitors', () => {
    expect(Array.from(m.visits)).toEqual([5, 2, 4, 2]);
    expect(Array.from(m.visitors)).toEqual([3, 2, 4, 2]);
    // place 0: visitors SES 1, 3, 5 (person 0 and 4 twice, counted once): mean 3, sd 2
    expect(m.sesMean[0]).toBe(3);
    expect(m.sesSd[0]).toBeCloseTo(2, 14);
    // place 2: SES 2, 4, 6, 8: mean 5, sd sqrt(((9 + 1 + 1 + 9) / 3)) = sqrt(20/3)
    expect(m.sesMean[2]).toBe(5);
    expect(m.sesSd[2]).toBeCloseTo(Math.sqrt(20 / 3), 14);
  });
});

describe('SES entropy over deciles', () => {
  it('is -sum p ln p', () => {
    expect(shannonEntropy([1, 1])).toBeCloseTo(Math.LN2, 15);
    expect(shannonEntropy([5, 0, 0])).toBe(0);
    // p = (1/2, 1/4, 1/4): H = (1/2) ln 2 + 2 (1/4) ln 4 = 1.5 ln 2
    expect(shannonEntropy([2, 1, 1])).toBeCloseTo(1.5 * Math.LN2, 15);
    expect(shannonEntropy([0, 0])).toBeNaN();
  });

  /*
   * Ten persons with SES 1..10: type-7 decile cuts 1 + 0.9 k (1.9, 2.8, ..., 9.1), so person i (SES i + 1)
   * is alone in decile i. Place 0: all ten -> ln 10 (normalised 1). Place 1: persons 0 and 1 -> ln 2.
   * Place 2: persons 0 (three visits), 1, 2, 3 -> four deciles, one distinct visitor each -> ln 4.
   * Place 3: person 5 only -> 0. Place 4: no visits -> NaN.
   */
  const ses = Float64Array.from({ length: 10 }, (_, i) => i + 1);
  const visits: Visit[] = [];
  for (let i = 0; i < 10; i++) visits.push({ person: i, place: 0, start: 0 });
  visits.push({ person: 0, place: 1, start: 0 }, { person: 1, place: 1, start: 0 });
  for (const i of [0, 0, 0, 1, 2, 3]) visits.push({ person: i, place: 2, start: 0 });
  visits.push({ person: 5, place: 3, start: 0 });
  const g = graphOf(visits, 10, 5);
  const m = placeMetrics(g, ses, new Int32Array(10), 1, new Int32Array(5), 300);

  it('counts distinct visitors per decile of the area', () => {
    const cuts = areaClassCuts(ses, new Int32Array(10), 1, 10);
    expect(Array.from(cuts.subarray(0, 9), (c) => Math.round(c * 10) / 10)).toEqual([1.9, 2.8, 3.7, 4.6, 5.5, 6.4, 7.3, 8.2, 9.1]);
    expect(m.sesEntropy[0]).toBeCloseTo(Math.log(10), 14);
    expect(m.sesEntropyNormalised[0]).toBeCloseTo(1, 14);
    expect(m.sesEntropy[1]).toBeCloseTo(Math.LN2, 14);
    expect(m.sesEntropyNormalised[1]).toBeCloseTo(Math.LN2 / Math.LN10, 14);
    expect(m.sesEntropy[2]).toBeCloseTo(Math.log(4), 14);
    expect(m.sesEntropy[3]).toBe(0);
    expect(m.sesEntropy[4]).toBeNaN();
    expect(m.visitors[4]).toBe(0);
    expect(m.segregation[4]).toBeNaN();
  });
});

describe('the area a place is measured against', () => {
  /*
   * Area 0 has persons 0-3 (SES 1..4), area 1 persons 4-7 (SES 100..103); person 8 has no area.
   * Place 0 has its own area 1 but only area-0 persons visit it: against area 1's quartile cuts
   * (100.75, 101.5, 102.25) all four are in Q1, so S = 1 (against area 0's cuts they would spread).
   * Place 1 has no area of its own: visitors 0, 1 (area 0), 4 (area 1) -> modal area 0.
   * Place 2: visitors 0 (area 0) and 4 (area 1), a tie -> the smaller area index, 0.
   * Place 3: visitor 8 only (no area) -> -1, measured against all persons.
   * Place 4: own area 2, which has no residents -> modal visitor area (person 5: area 1).
   */
  const ses = Float64Array.from([1, 2, 3, 4, 100, 101, 102, 103, 50]);
  const personArea = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, -1]);
  const g = graphOf(
    [
      ...[0, 1, 2, 3].map((p) => ({ person: p, place: 0, start: 0, end: 100 })),
      { person: 0, place: 1, start: 0 },
      { person: 1, place: 1, start: 0 },
      { person: 4, place: 1, start: 0 },
      { person: 4, place: 2, start: 0 },
      { person: 0, place: 2, start: 0 },
      { person: 8, place: 3, start: 0 },
      { person: 5, place: 4, start: 0 },
    ],
    9,
    5,
  );
  const given = Int32Array.from([1, -1, -1, -1, 2]);

  it('uses the place msa when its area has residents, else the modal visitor area', () => {
    const { area, fromVisitors } = assignPlaceAreas(g, personArea, 3, given);
    expect(Array.from(area)).toEqual([1, 0, 0, -1, 1]);
    expect(Array.from(fromVisitors)).toEqual([0, 1, 1, 0, 1]);
  });

  it("classes visitors against the place's area", () => {
    const { area } = assignPlaceAreas(g, personArea, 3, given);
    const m = placeMetrics(g, ses, personArea, 3, area, 300);
    expect(Array.from(m.quartileTimeShares.subarray(0, 4))).toEqual([1, 0, 0, 0]);
    expect(m.segregation[0]).toBeCloseTo(1, 14);
    // place 1 against area 0 (cuts 1.75, 2.5, 3.25): persons 0 (Q1), 1 (Q2), 4 (SES 100: Q4)
    expect(Array.from(m.quartileTimeShares.subarray(4, 8), (x) => x * 3)).toEqual([1, 1, 0, 1]);
    // place 3 against all nine persons: person 8 (SES 50) is the median, cuts 3, 50, 101 -> Q3 (50 >= 50)
    expect(Array.from(m.quartileTimeShares.subarray(12, 16))).toEqual([0, 0, 1, 0]);
  });

  it('writes place_id, category, msa, msa_source first, then the metrics', () => {
    const { area } = assignPlaceAreas(g, personArea, 3, given);
    const m = placeMetrics(g, ses, personArea, 3, area, 300);
    const t = placeMetricsTable({ ids: ['a', 'b', 'c', 'd', 'e'], category: ['x', null, 'y', 'y', 'x'], msa: ['A', 'A', 'A', null, 'B'], msaSource: ['place', 'visitors', 'visitors', null, 'visitors'] }, m);
    expect(t.columns.map((c) => c.name)).toEqual([
      'place_id', 'category', 'msa', 'msa_source', 'visitors', 'visits', 'ses_mean', 'ses_sd', 'ses_entropy', 'ses_entropy_norm', 'segregation',
      'time_share_q1', 'time_share_q2', 'time_share_q3', 'time_share_q4',
    ]);
  });
});
