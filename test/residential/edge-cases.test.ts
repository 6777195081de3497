/**
 * Hand-checkable cases (each value worked out on paper in the comment) and edge cases: an empty unit,
 * a group absent from the region, a unit with one group, log(0) terms; bad input errors naming the unit.
 */
import { describe, expect, it } from 'vitest';
import { compositionFromCounts, compositionFromLong, compositionFromShares, checkTotals, sesQuantileGroups } from '../../src/residential/composition.js';
import { atkinson, correlationRatio, dissimilarity, gini, interaction, isolation, theilEntropyIndex, wardCorrected } from '../../src/residential/single-group.js';
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
  squaredCoefficientOfVariation,
} from '../../src/residential/multigroup.js';
import { decomposeDivergence, divergencePerUnit } from '../../src/residential/divergence.js';
import { localEntropy, locationQuotients, normalisedLocalEntropy, percentileRanks } from '../../src/residential/local.js';
import { obiClasses } from '../../src/residential/obi-classes.js';
import { InputError } from '../../src/io/errors.js';
import { indexCatalogue, withRestColumn } from '../../src/residential/catalogue.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

// Duncan's first example: four units of 100, group A = 100, 60, 40, 0 (P = 0.5)
const x = Float64Array.of(100, 60, 40, 0);
const t = Float64Array.of(100, 100, 100, 100);

describe('single-group indices on paper', () => {
  it('isolation = (100/200)(1) + (60/200)(0.6) + (40/200)(0.4) = 0.76; interaction = 0.24', () => {
    close(isolation(x, t), 0.76);
    close(interaction(x, t), 0.24);
  });
  it('correlation ratio = (0.76 - 0.5) / 0.5 = 0.52', () => close(correlationRatio(x, t), 0.52));
  it('Gini: sum_{i<j}|p_i - p_j| = 0.4+0.6+1+0.2+0.6+0.4 = 3.2; G = 2 * 3.2e4 / (2 * 400^2 * 0.25) = 0.8', () => close(gini(x, t), 0.8));
  it('Atkinson b=0.5: sum sqrt(p(1-p)) t = 200 sqrt(0.24); A = 1 - (200 sqrt(0.24) / 200)^2 = 0.76', () => close(atkinson(x, t), 0.76));
  it('Theil H = [2 ln2 + 2 (ln2 - h(0.6))] / (4 ln 2), h(0.6) = -(0.6 ln 0.6 + 0.4 ln 0.4)', () => {
    const h = -(0.6 * Math.log(0.6) + 0.4 * Math.log(0.4));
    close(theilEntropyIndex(x, t), (2 * Math.LN2 + 2 * (Math.LN2 - h)) / (4 * Math.LN2));
  });
  it('Theil H of two groups equals M / ln 2 (P = 0.5)', () => {
    const c = compositionFromCounts(['a', 'b', 'c', 'd'], ['A', 'B'], [x, t.map((v, i) => v - x[i])]);
    close(theilEntropyIndex(x, t), mutualInformation(c) / Math.LN2);
  });
  it('ward correction adds 0.152 to D and 0.157 to isolation', () => {
    close(wardCorrected('dissimilarity', 0.5), 0.652);
    close(wardCorrected('isolation', 0.5), 0.657);
  });
});

describe('multigroup indices with two equal groups reduce to the two-group ones', () => {
  const c = compositionFromCounts(['a', 'b', 'c', 'd'], ['A', 'B'], [x, t.map((v, i) => v - x[i])]);
  it('D and Gini', () => {
    close(multigroupDissimilarity(c), 0.6);
    close(multigroupGini(c), 0.8);
  });
  it('sum t (p - P)^2 = 100 (0.25 + 0.01 + 0.01 + 0.25) = 52 per group: relative diversity 52/(400 * 0.25) = 0.52', () => {
    close(relativeDiversity(c), 0.52);
    // normalised exposure: (52/0.5 + 52/0.5) / 400 = 0.52; squared CV: (52/0.5 + 52/0.5) / (400 * 1) = 0.52
    close(normalisedExposure(c), 0.52);
    close(squaredCoefficientOfVariation(c), 0.52);
  });
  it('entropy ln 2, normalised 1, Simpson 0.5', () => {
    close(diversity(c), Math.LN2);
    close(diversity(c, 2), 1);
    close(normalisedDiversity(c), 1);
    close(simpsonConcentration(c), 0.5);
  });
});

describe('edge cases', () => {
  const base = compositionFromCounts(['a', 'b', 'c'], ['A', 'B', 'C'], [Float64Array.of(30, 10, 5), Float64Array.of(10, 30, 5), Float64Array.of(0, 20, 40)]);

  it('an empty unit changes no aspatial global index and gets NaN local values', () => {
    const withEmpty = compositionFromCounts(['a', 'b', 'e', 'c'], ['A', 'B', 'C'], [Float64Array.of(30, 10, 0, 5), Float64Array.of(10, 30, 0, 5), Float64Array.of(0, 20, 0, 40)]);
    for (const f of [multigroupDissimilarity, multigroupGini, multigroupTheilH, mutualInformation, relativeDiversity, normalisedExposure, squaredCoefficientOfVariation]) {
      close(f(withEmpty), f(base));
    }
    const A = Float64Array.of(30, 10, 0, 5);
    const T = Float64Array.of(40, 60, 0, 50);
    const A0 = Float64Array.of(30, 10, 5);
    const T0 = Float64Array.of(40, 60, 50);
    for (const f of [dissimilarity, isolation, interaction, atkinson, gini, theilEntropyIndex, correlationRatio]) close(f(A, T), f(A0, T0));
    expect(Number.isNaN(divergencePerUnit(withEmpty)[2])).toBe(true);
    expect(Number.isNaN(localEntropy(withEmpty)[2])).toBe(true);
    expect(Number.isNaN(locationQuotients(withEmpty)[2 * 3])).toBe(true);
  });

  it('a group absent from the region is as if not listed; its single-group indices are NaN', () => {
    const absent = compositionFromCounts(['a', 'b', 'c'], ['A', 'B', 'C', 'Z'], [Float64Array.of(30, 10, 5), Float64Array.of(10, 30, 5), Float64Array.of(0, 20, 40), Float64Array.of(0, 0, 0)]);
    for (const f of [multigroupDissimilarity, multigroupGini, multigroupTheilH, mutualInformation, relativeDiversity, normalisedExposure, squaredCoefficientOfVariation, normalisedDiversity]) {
      close(f(absent), f(base));
    }
    const z = Float64Array.of(0, 0, 0);
    const T = Float64Array.of(40, 60, 50);
    expect(Number.isNaN(dissimilarity(z, T))).toBe(true);
    expect(Number.isNaN(isolation(z, T))).toBe(true);
    expect(Number.isNaN(gini(z, T))).toBe(true);
    // one group present only: no segregation to measure
    const one = compositionFromCounts(['a', 'b'], ['A', 'Z'], [Float64Array.of(3, 4), Float64Array.of(0, 0)]);
    expect(Number.isNaN(multigroupDissimilarity(one))).toBe(true);
    close(mutualInformation(one), 0);
  });

  it('a unit with one group: local entropy 0, local divergence ln(1 / P_k), LQ 1 / P_k', () => {
    const c = compositionFromCounts(['a', 'b'], ['A', 'B', 'C'], [Float64Array.of(50, 0), Float64Array.of(0, 25), Float64Array.of(0, 25)]);
    // P = (0.5, 0.25, 0.25)
    close(localEntropy(c)[0], 0);
    close(divergencePerUnit(c)[0], Math.log(2));
    close(locationQuotients(c)[0], 2);
    // unit b = (0, 0.5, 0.5): D_b = 2 * 0.5 ln(0.5 / 0.25) = ln 2 with a 0 log 0 term; entropy ln 2
    close(divergencePerUnit(c)[1], Math.LN2);
    close(localEntropy(c)[1], Math.LN2);
    close(normalisedLocalEntropy(c)[1], Math.LN2 / Math.log(3));
    // M = E - sum_i (t_i / T) E_i = 1.5 ln 2 - 0.5 ln 2 = ln 2 (E of P = (0.5, 0.25, 0.25) is 1.5 ln 2); H = 2/3
    close(diversity(c), 1.5 * Math.LN2);
    close(mutualInformation(c), Math.LN2);
    close(multigroupTheilH(c), 2 / 3);
  });

  it('log(0) terms: a unit (100, 0) contributes 1 * ln(1/0.5) and 0 * ln 0 = 0', () => {
    const c = compositionFromCounts(['a', 'b'], ['A', 'B'], [Float64Array.of(100, 0), Float64Array.of(0, 100)]);
    const d = divergencePerUnit(c);
    close(d[0], Math.LN2);
    close(d[1], Math.LN2);
    close(mutualInformation(c), Math.LN2);
    close(mutualInformation(c, 2), 1);
    close(theilEntropyIndex(Float64Array.of(100, 0), Float64Array.of(100, 100)), 1);
  });

  it('a region of one place: within = total, between = 0', () => {
    const d = decomposeDivergence(base, Int32Array.of(0, 0, 0), 1);
    close(d.within, d.total);
    close(d.between, 0);
    close(d.regions[0].withinShare, 1);
  });

  it('decomposition parts: H = (between + within) / E, Elbers H_r = D_r / E_r', () => {
    const d = decomposeDivergence(base, Int32Array.of(0, 0, 1), 2);
    close(d.theilHWithin + d.theilHBetween, multigroupTheilH(base));
    close(d.regions[1].divergence, 0); // a place of one unit has no internal segregation
    close(d.regions[0].theilH, d.regions[0].divergence / d.regions[0].entropy);
  });
});

describe('percentile ranks and OBI classes', () => {
  it('percentile = 100 * average rank / n, NaN skipped', () => {
    const p = percentileRanks(Float64Array.of(3, NaN, 1, 2, 2));
    // finite values 3, 1, 2, 2 -> ranks 4, 1, 2.5, 2.5 over n = 4
    expect(Array.from(p)).toEqual([100, NaN, 25, 62.5, 62.5]);
  });

  it('classes from divergence thirds, entropy halves and composition', () => {
    // six units; divergence ranks 1..6 -> percentiles 16.7, 33.3, 50, 66.7, 83.3, 100
    const cls = obiClasses({
      divergence: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
      entropy: [0.9, 0.1, 0.8, 0.7, 0.2, 0.3], // percentiles 100, 16.7, 83.3, 66.7, 33.3, 50
      shareWhite: [0.5, 0.5, 0.5, 0.5, 0.9, 0.2],
      shareBlack: [0.1, 0.3, 0.3, 0.3, 0.05, 0.7],
      shareLatino: [0.1, 0.0, 0.0, 0.0, 0.0, 0.1],
      lqWhite: [1, 1, 1, 1, 1.5, 0.4],
    });
    expect(cls).toEqual([
      'integrated', // bottom third, top-half entropy, 20% Black + Latino
      'low-medium segregation', // bottom third but entropy in the bottom half
      'low-medium segregation', // middle third
      'low-medium segregation', // 66.7 is not above 200/3
      'highly segregated white', // top third, 90% white, LQ 1.5
      'highly segregated community of color',
    ]);
  });
});

describe('bad input names the unit', () => {
  it('negative counts', () => {
    expect(() => compositionFromCounts(['t1', 't2'], ['A'], [Float64Array.of(3, -1)], { file: 'units.csv' })).toThrowError(/units\.csv: negative count in column "A" for unit "t2" \(row 2\)/);
    expect(() => compositionFromCounts(['t1', 't2'], ['A'], [Float64Array.of(3, -1)])).toThrowError(InputError);
  });
  it('non-finite counts', () => {
    expect(() => compositionFromCounts(['t1', 't2'], ['A'], [Float64Array.of(NaN, 1)])).toThrowError(/non-finite count.*"t1"/);
  });
  it('shares that do not sum to 1 within tolerance', () => {
    expect(() =>
      compositionFromShares(['t1', 't2'], ['A', 'B'], [Float64Array.of(0.5, 0.5), Float64Array.of(0.5, 0.4)], Float64Array.of(10, 10), 'pop'),
    ).toThrowError(/sum to 0\.900000, not 1 within 0\.001.*"t2"/);
    expect(() =>
      compositionFromShares(['t1', 't2'], ['A', 'B'], [Float64Array.of(0.5, 0.7), Float64Array.of(0.5, 0.4)], Float64Array.of(10, 10), 'pop', { partial: true }),
    ).toThrowError(/sum to 1\.10000.*"t2"/);
    // within tolerance, and a subset of groups with partial
    const ok = compositionFromShares(['t1'], ['A', 'B'], [Float64Array.of(0.5004), Float64Array.of(0.5)], Float64Array.of(10), 'pop');
    close(ok.counts[0], 5.004);
    const sub = compositionFromShares(['t1'], ['A'], [Float64Array.of(0.3)], Float64Array.of(10), 'pop', { partial: true });
    close(sub.counts[0], 3);
  });
  it('negative shares and totals', () => {
    expect(() => compositionFromShares(['t1'], ['A', 'B'], [Float64Array.of(-0.1), Float64Array.of(1.1)], Float64Array.of(10), 'pop')).toThrowError(/share outside \[0, 1\] in column "A" for unit "t1"/);
    expect(() => compositionFromShares(['t1'], ['A'], [Float64Array.of(1)], Float64Array.of(-10), 'pop')).toThrowError(/negative total in column "pop" for unit "t1"/);
  });
  it('a zero-population unit may have empty shares', () => {
    const c = compositionFromShares(['t1', 't2'], ['A', 'B'], [Float64Array.of(0.5, NaN), Float64Array.of(0.5, NaN)], Float64Array.of(10, 0), 'pop');
    expect(Array.from(c.counts)).toEqual([5, 5, 0, 0]);
  });
  it('a group larger than the unit total', () => {
    const c = compositionFromCounts(['t1', 't2'], ['A'], [Float64Array.of(3, 12)]);
    expect(() => checkTotals(c.unitIds, Float64Array.of(5, 10), c, 'TOT')).toThrowError(/exceeds the unit total in column "TOT" for unit "t2"/);
  });
  it('overlapping groups cannot form a rest column', () => {
    const c = compositionFromCounts(['t1', 't2'], ['A', 'B'], [Float64Array.of(3, 6), Float64Array.of(1, 6)]);
    expect(() => withRestColumn(c, Float64Array.of(5, 10), c.unitIds)).toThrowError(/unit "t2".*overlap/);
    expect(Array.from(withRestColumn(c, Float64Array.of(5, 12), c.unitIds).counts)).toEqual([3, 1, 1, 6, 6, 0]);
  });
  it('long table: negative count names the row unit', () => {
    expect(() => compositionFromLong(['s1', 's2'], ['a', 'b'], [1, -2], undefined, { file: 'long.csv', countName: 'n' })).toThrowError(/long\.csv: negative count in column "n" for unit "s2"/);
  });
});

describe('composition helpers', () => {
  it('long table sums repeated cells and keeps first-seen order', () => {
    const c = compositionFromLong(['u1', 'u1', 'u2', 'u1'], ['a', 'b', 'a', 'a'], [1, 2, 3, 4]);
    expect(c.unitIds).toEqual(['u1', 'u2']);
    expect(c.groupNames).toEqual(['a', 'b']);
    expect(Array.from(c.counts)).toEqual([5, 2, 3, 0]);
  });
  it('SES median split and quartiles: ties at a cut go up', () => {
    // 1..8: median 4.5; type-7 quartiles 2.75, 4.5, 6.25
    const q = sesQuantileGroups(Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4);
    expect(Array.from(q.cuts)).toEqual([2.75, 4.5, 6.25]);
    expect(Array.from(q.groups)).toEqual([0, 0, 1, 1, 2, 2, 3, 3]);
    const m = sesQuantileGroups(Float64Array.of(1, 2, 2, 3), 2);
    expect(Array.from(m.groups)).toEqual([0, 1, 1, 1]); // median 2: ses < 2 is low
  });
});

describe('catalogue', () => {
  it('single-group indices against a rest column equal those against the total column', () => {
    const c = compositionFromCounts(['a', 'b', 'c'], ['A', 'B'], [Float64Array.of(30, 10, 5), Float64Array.of(10, 30, 5)]);
    const totals = Float64Array.of(50, 45, 60);
    const cat = indexCatalogue(['A', 'B'], { hasRestColumn: true });
    const viaRest = cat.evaluate(withRestColumn(c, totals));
    const viaTotals = cat.evaluateWithTotals(c, totals);
    for (let j = 0; j < viaRest.length; j++) close(viaRest[j], viaTotals[j]);
    const d = cat.specs.findIndex((s) => s.name === 'dissimilarity' && s.group === 'A');
    close(viaRest[d], dissimilarity(Float64Array.of(30, 10, 5), totals));
    const m = cat.specs.findIndex((s) => s.name === 'mutual_information');
    close(viaRest[m], mutualInformation(c)); // multigroup ignores the rest
  });

  it('with the ward correction: extra rows D + 0.152 and isolation + 0.157', () => {
    const c = compositionFromCounts(['a', 'b', 'c', 'd'], ['A', 'B'], [x, t.map((v, i) => v - x[i])]);
    const cat = indexCatalogue(['A', 'B'], { wardCorrection: true, focalGroups: [0] });
    const v = cat.evaluate(c);
    const at = (name: string) => v[cat.specs.findIndex((s) => s.name === name)];
    close(at('dissimilarity_ward_corrected'), 0.6 + 0.152);
    close(at('isolation_ward_corrected'), 0.76 + 0.157);
  });
});
