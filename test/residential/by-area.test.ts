/**
 * Jargowsky's NSI, the per-area residential indices from persons' home tracts and SES, and the
 * comparison table, on small cases worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { neighbourhoodSortingIndex } from '../../src/residential/nsi.js';
import { comparisonTable, MIN_AREAS_FOR_CORRELATION, residentialIndicesByArea } from '../../src/residential/by-area.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe("Jargowsky's neighbourhood sorting index", () => {
  it('y = (1, 3) in unit 0 and (5, 7) in unit 1: between SS 16, total SS 20, NSI = sqrt(0.8)', () => {
    close(neighbourhoodSortingIndex(Float64Array.of(1, 3, 5, 7), Int32Array.of(0, 0, 1, 1), 2), Math.sqrt(0.8));
  });
  it('equal unit means give 0; internally homogeneous units give 1; unknown units are skipped', () => {
    close(neighbourhoodSortingIndex(Float64Array.of(1, 3, 3, 1), Int32Array.of(0, 0, 1, 1), 2), 0);
    close(neighbourhoodSortingIndex(Float64Array.of(2, 2, 9, 9, 100), Int32Array.of(0, 0, 1, 1, -1), 2), 1);
  });
  it('no variation: NaN', () => {
    expect(Number.isNaN(neighbourhoodSortingIndex(Float64Array.of(4, 4), Int32Array.of(0, 1), 2))).toBe(true);
  });
});

describe('residential indices per area from persons', () => {
  // Area 0: SES 1..8; tract 0 holds 1, 2, 3, 4 and tract 1 holds 5, 6, 7, 8 (fully sorted).
  // Area 1: tract 2 holds SES 1 and 4, tract 3 holds 2 and 3 (mixed).
  // Person 12 has no home tract, person 13 no area: both are left out. Area 2 has nobody.
  const ses = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, 1, 4, 2, 3, 50, 60);
  const areaOfPerson = Int32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, -1);
  const tractOfPerson = Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, -1, 3);
  const r = residentialIndicesByArea({ areaOfPerson, nAreas: 3, tractOfPerson, nTracts: 4, ses });
  const get = (name: string) => r.values[r.names.indexOf(name)];

  it('counts persons and tracts per area', () => {
    expect(Array.from(r.nPersons)).toEqual([8, 4, 0]);
    expect(Array.from(r.nTracts)).toEqual([2, 2, 0]);
  });

  it('area 0, fully sorted: median 4.5, every low person in tract 0: D = 1, isolation = 1', () => {
    close(get('res_dissimilarity_low')[0], 1);
    close(get('res_isolation_low')[0], 1);
  });

  it('area 0 quartiles (cuts 2.75, 4.5, 6.25): tracts (2,2,0,0) and (0,0,2,2)', () => {
    // multigroup D: sum_i t_i sum_k |p_ik - 1/4| = 2 * 4 * (4 * 1/4) = 8; I = 4 * (1/4)(3/4) = 3/4; D = 8 / (2 * 8 * 3/4) = 2/3
    close(get('res_multigroup_dissimilarity_q4')[0], 2 / 3);
    // each tract: D_i = 2 * (1/2) ln((1/2) / (1/4)) = ln 2, so M = ln 2; H = ln 2 / ln 4 = 1/2
    close(get('res_divergence_q4')[0], Math.LN2);
    close(get('res_theil_h_q4')[0], 0.5);
  });

  it('area 0 NSI: tract means 2.5 and 6.5 around 4.5: between 32, total 42', () => {
    close(get('res_nsi')[0], Math.sqrt(32 / 42));
  });

  it('area 1, mixed: median 2.5, each tract one low and one high: D = 0, isolation 0.5', () => {
    close(get('res_dissimilarity_low')[1], 0);
    close(get('res_isolation_low')[1], 0.5);
    // tract means 2.5 and 2.5: NSI 0
    close(get('res_nsi')[1], 0);
  });

  it('an area without persons is NaN', () => {
    for (const v of r.values) expect(Number.isNaN(v[2])).toBe(true);
  });

  it('a given median (the ES/BI split) overrides the area median', () => {
    // area 1 with the median 1.5: low = {SES 1}, in tract 2. D = sum t |p - P| / (2 T P (1 - P)) with
    // P = 1/4, tract 2: t = 2, p = 1/2; tract 3: t = 2, p = 0: (2/4 + 2/4) / (2 * 4 * 3/16) = 2/3
    const s = residentialIndicesByArea({ areaOfPerson, nAreas: 3, tractOfPerson, nTracts: 4, ses, areaMedian: Float64Array.of(4.5, 1.5, NaN) });
    close(s.values[0][1], 2 / 3);
  });
});

describe('comparison table', () => {
  it('Pearson and Spearman across areas, skipping NaN pairs; empty below 5 areas', () => {
    expect(MIN_AREAS_FOR_CORRELATION).toBe(5);
    const es = Float64Array.of(1, 2, 3, NaN, 10, 4, 5);
    const bi = Float64Array.of(3, 2, 1, 0, NaN, NaN, -1);
    const a = Float64Array.of(2, 4, 6, 8, NaN, 8, 10);
    const b = Float64Array.of(1, 3, 2, 5, 4, NaN, NaN);
    const c = Float64Array.of(1, 3, 2, 4, NaN, 5, 6);
    const table = comparisonTable(es, bi, { names: ['a', 'b', 'c'], values: [a, b, c] });
    const col = (name: string) => table.columns.find((k) => k.name === name)!.values;
    expect(col('index')).toEqual(['a', 'b', 'c']);
    // a vs ES: pairs (2,1) (4,2) (6,3) (8,4) (10,5): r = 1; a vs BI: (2,3) (4,2) (6,1) (8,0) (10,-1): r = -1
    expect(Array.from(col('n_es') as Int32Array)).toEqual([5, 4, 5]);
    expect(Array.from(col('n_bi') as Int32Array)).toEqual([5, 4, 5]);
    close((col('pearson_es') as Float64Array)[0], 1);
    close((col('spearman_es') as Float64Array)[0], 1);
    close((col('pearson_bi') as Float64Array)[0], -1);
    close((col('spearman_bi') as Float64Array)[0], -1);
    // b has 4 areas with ES and 4 with BI: no correlation is reported (over 4 areas one decides the sign)
    expect((col('pearson_es') as Float64Array)[1]).toBeNaN();
    expect((col('spearman_es') as Float64Array)[1]).toBeNaN();
    expect((col('pearson_bi') as Float64Array)[1]).toBeNaN();
    expect((col('spearman_bi') as Float64Array)[1]).toBeNaN();
    // c vs ES: pairs (1,1) (3,2) (2,3) (5,4) (6,5): ranks of c 1,3,2,4,5 and of ES 1..5: rho = 1 - 6*2/(5*24) = 0.9
    close((col('spearman_es') as Float64Array)[2], 0.9);
  });
});
