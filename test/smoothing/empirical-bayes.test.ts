import { describe, expect, it } from 'vitest';
import { shrinkEmpiricalBayes, stateOfFips } from '../../src/smoothing/empirical-bayes.js';

/*
 * Worked on paper (Morris 1983 normal-normal model, method-of-moments tau^2 as in Chetty & Hendren 2018):
 * group 1: y = 0.2, 0.4, 0.6, v = 0.01, 0.01, 0.04
 *   mu = 0.4; sample variance = (0.04 + 0 + 0.04) / 2 = 0.04; mean v = 0.02; tau2 = 0.02
 *   r = 0.02/0.03 = 2/3, 2/3, 0.02/0.06 = 1/3
 *   shrunk = 0.4 - (2/3)(0.2) = 0.266667, 0.4, 0.4 + (1/3)(0.2) = 0.466667
 * group 2: y = 0.3, 0.5, v = 0.05, 0.05: mu = 0.4; variance 0.02 - mean v 0.05 < 0 -> tau2 = 0, r = 0:
 *   both shrink all the way to 0.4
 * group 3: a single county (0.7): no between-county information, kept as is (r = 1)
 * a county without an estimate (NaN) stays NaN and does not enter its group's moments.
 */
describe('shrinkEmpiricalBayes', () => {
  const raw = Float64Array.from([0.2, 0.4, 0.6, 0.3, 0.5, 0.7, NaN]);
  const variance = Float64Array.from([0.01, 0.01, 0.04, 0.05, 0.05, 0.02, NaN]);
  const group = Int32Array.from([1, 1, 1, 2, 2, 3, 1]);

  it('shrinks toward the group mean with weight tau2 / (tau2 + v)', () => {
    const r = shrinkEmpiricalBayes({ raw, variance, group, round: null });
    const expected = [0.4 - 0.2 * (2 / 3), 0.4, 0.4 + 0.2 / 3, 0.4, 0.4, 0.7];
    for (let i = 0; i < 6; i++) expect(r.smoothed[i]).toBeCloseTo(expected[i], 12);
    expect(Number.isNaN(r.smoothed[6])).toBe(true);
    const rel = [2 / 3, 2 / 3, 1 / 3, 0, 0, 1];
    for (let i = 0; i < 6; i++) expect(r.reliability[i]).toBeCloseTo(rel[i], 12);
    expect(r.groups.map((g) => [g.group, g.n])).toEqual([[1, 3], [2, 2], [3, 1]]);
    expect(r.groups[0].tau2).toBeCloseTo(0.02, 14);
    expect(r.groups[1].tau2).toBe(0);
    expect(r.unshrunkGroups).toEqual([3]);
  });

  it('rounds to 3 decimals by default', () => {
    const r = shrinkEmpiricalBayes({ raw, variance, group });
    expect(Array.from(r.smoothed.subarray(0, 6))).toEqual([0.267, 0.4, 0.467, 0.4, 0.4, 0.7]);
  });

  it('leaves estimates unchanged when they carry no sampling noise', () => {
    const r = shrinkEmpiricalBayes({ raw: [0.2, 0.4, 0.6], variance: [0, 0, 0], group: [1, 1, 1], round: null });
    expect(Array.from(r.smoothed)).toEqual([0.2, 0.4, 0.6]);
  });

  it('refuses an estimate without a usable variance', () => {
    expect(() => shrinkEmpiricalBayes({ raw: [0.2, 0.4], variance: [0.01, NaN], group: [1, 1] })).toThrow(/row 2/);
    expect(() => shrinkEmpiricalBayes({ raw: [0.2, 0.4], variance: [0.01, -1], group: [1, 1] })).toThrow(/row 2/);
  });

  it('takes the state from the FIPS code', () => {
    expect(Array.from(stateOfFips([1001, 6037, 56045]))).toEqual([1, 6, 56]);
  });
});
