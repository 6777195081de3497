/**
 * Per-person statistics from two routes compared (test helper): the same persons in the same order,
 * counts, high-partner counts and area medians exactly, and the sums to `tolerance` relative. A sum's
 * error is relative to the size of its terms (a floating sum in another order differs by a few units in
 * the last place of the largest partial sum): the mean ybar_i relative to |ybar_i|, the within sum of
 * squares W_i = q_i - s_i^2 / n_i relative to q_i (each route's own centre; W does not depend on it).
 */
import { expect } from 'vitest';
import type { PersonStatsFile } from '../../src/io/load-person-stats.js';

export interface StatsDifference {
  persons: number;
  withEncounters: number;
  /** largest relative differences found */
  mean: number;
  ssWithin: number;
}

export function expectSameStatistics(ours: PersonStatsFile, theirs: PersonStatsFile, tolerance = 1e-12): StatsDifference {
  const n = ours.persons.count;
  expect(theirs.persons.count).toBe(n);
  expect(theirs.persons.ids.idsAsStrings()).toEqual(ours.persons.ids.idsAsStrings());
  expect(Array.from(theirs.persons.ses)).toEqual(Array.from(ours.persons.ses));
  expect(Array.from(theirs.n)).toEqual(Array.from(ours.n));
  for (const level of ['msa', 'county'] as const) {
    expect(theirs.levels[level] === null).toBe(ours.levels[level] === null);
    if (!ours.levels[level]) continue;
    expect(Array.from(theirs.levels[level]!.high)).toEqual(Array.from(ours.levels[level]!.high));
    // NaN (outside every area) equals NaN here: toEqual treats them alike
    expect(Array.from(theirs.levels[level]!.median)).toEqual(Array.from(ours.levels[level]!.median));
  }
  const a = ours.centred!;
  const b = theirs.centred!;
  const diff: StatsDifference = { persons: n, withEncounters: 0, mean: 0, ssWithin: 0 };
  for (let i = 0; i < n; i++) {
    const count = ours.n[i];
    if (!(count > 0)) {
      expect([b.sum[i], b.sumSq[i]]).toEqual([0, 0]);
      continue;
    }
    diff.withEncounters++;
    const meanA = a.centre + a.sum[i] / count;
    const meanB = b.centre + b.sum[i] / count;
    diff.mean = Math.max(diff.mean, Math.abs(meanA - meanB) / Math.abs(meanA));
    const wA = a.sumSq[i] - (a.sum[i] * a.sum[i]) / count;
    const wB = b.sumSq[i] - (b.sum[i] * b.sum[i]) / count;
    // (both q are 0 when every partner sits at the centre; then both W must be 0)
    diff.ssWithin = Math.max(diff.ssWithin, Math.abs(wA - wB) / Math.max(a.sumSq[i], b.sumSq[i], Number.MIN_VALUE));
  }
  expect(diff.mean).toBeLessThanOrEqual(tolerance);
  expect(diff.ssWithin).toBeLessThanOrEqual(tolerance);
  return diff;
}
