import { describe, it, expect } from 'vitest';
import { buildBipartiteGraph, personPlaces, rowPlaces } from '../../src/graph/bipartite.js';
import { buildCoPresenceGroups, visitBins } from '../../src/encounters/groups.js';
import { weightedPersonStats, weightedHighCounts } from '../../src/encounters/weighted.js';
import { distinctEncounters, type DistinctOptions } from '../../src/encounters/distinct.js';
import { partnerStats, partnerHighCounts, type PersonStats } from '../../src/encounters/person-stats.js';
import { partnerListsFromPairs } from '../../src/encounters/pairs.js';

/*
 * Five persons (SES 1..5), places A = 0 and B = 1, bins of 300 s. Persons 0 and 1 share a household.
 *   p0 @A t=0            -> bin 0            p1 @A t=100  -> bin 0
 *   p2 @A [250, 700)     -> bins 0, 1, 2     p3 @A t=600  -> bin 2      p0 @A t=610 -> bin 2
 *   p4 @B t=0            -> bin 0 (alone: no encounter)
 *   p3 @B t=86410, p2 @B t=86420            -> bin 288 (day 1)
 *   p2 @A t=172800, p3 @A t=172805          -> bin 576 (day 2)
 * Groups with 2+ persons: A/0 {0,1,2}, A/2 {0,2,3}, A/576 {2,3}, B/288 {2,3}; A/1 {2} and B/0 {4} hold one.
 */
const ses = Float64Array.from([1, 2, 3, 4, 5]);
const visits = {
  person: Int32Array.from([0, 1, 2, 3, 0, 4, 3, 2, 2, 3]),
  place: Int32Array.from([0, 0, 0, 0, 0, 1, 1, 1, 0, 0]),
  start: Float64Array.from([0, 100, 250, 600, 610, 0, 86410, 86420, 172800, 172805]),
  end: Float64Array.from([NaN, NaN, 700, NaN, NaN, NaN, NaN, NaN, NaN, NaN]),
};
const home = Int32Array.from([0, 0, 1, 2, 3]);
const graph = buildBipartiteGraph(visits, 5, 2);
const groups = buildCoPresenceGroups(graph, 300);

const raw = (s: PersonStats) => ({
  n: Array.from(s.n),
  sum: Array.from(s.sum, (v, i) => v + s.n[i] * s.centre),
  sumSq: Array.from(s.sumSq, (v, i) => v + 2 * s.centre * s.sum[i] + s.n[i] * s.centre * s.centre),
});

describe('bipartite CSR graph', () => {
  it('matches the hand-built adjacency both ways', () => {
    expect(Array.from(graph.placeOffsets)).toEqual([0, 7, 10]);
    expect(Array.from(graph.placePerson)).toEqual([0, 1, 2, 3, 0, 2, 3, 4, 3, 2]);
    expect(Array.from(graph.personOffsets)).toEqual([0, 2, 3, 6, 9, 10]);
    // person 2's visits, ordered by place: A [250,700), A 172800, B 86420
    const rows = Array.from(graph.personEdge.subarray(3, 6));
    expect(rows.map((r) => graph.placeTimes[2 * r])).toEqual([250, 172800, 86420]);
    expect(rows.map((r) => graph.placeTimes[2 * r + 1])).toEqual([700, NaN, NaN]);
    expect(Array.from(personPlaces(graph).subarray(3, 6))).toEqual([0, 0, 1]);
    expect(Array.from(rowPlaces(graph))).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 1]);
  });
});

describe('co-presence groups', () => {
  it('cuts [start, end) into the bins it touches', () => {
    expect(visitBins(250, 700, 300)).toEqual([0, 2]);
    expect(visitBins(300, 600, 300)).toEqual([1, 1]); // end is exclusive
    expect(visitBins(299, NaN, 300)).toEqual([0, 0]);
    expect(visitBins(300, 300, 300)).toEqual([1, 1]);
  });

  it('finds the four groups of two or more persons, by place then bin', () => {
    expect(groups.nGroups).toBe(4);
    expect(Array.from(groups.groupPlace)).toEqual([0, 0, 0, 1]);
    expect(Array.from(groups.groupBin)).toEqual([0, 2, 576, 288]);
    const members = (g: number) => Array.from(groups.groupMembers.subarray(groups.groupOffsets[g], groups.groupOffsets[g + 1])).sort();
    expect(members(0)).toEqual([0, 1, 2]);
    expect(members(1)).toEqual([0, 2, 3]);
    expect(members(2)).toEqual([2, 3]);
    expect(members(3)).toEqual([2, 3]);
    expect(groups.nEntries).toBe(12);
  });
});

describe('weighted mode', () => {
  it('counts every co-presence: p0 meets 1,2 then 2,3; p2 meets 0,1 / 0,3 / 3 / 3', () => {
    const s = raw(weightedPersonStats(groups, ses, 3));
    expect(s.n).toEqual([4, 2, 6, 4, 0]);
    expect(s.sum.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([12, 4, 16, 10, 0]);
    expect(s.sumSq.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([38, 10, 54, 28, 0]);
  });

  it('excludes same-home partners (p0 and p1 share a household)', () => {
    const s = raw(weightedPersonStats(groups, ses, 3, home));
    expect(s.n).toEqual([3, 1, 6, 4, 0]);
    expect(s.sum.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([10, 3, 16, 10, 0]);
  });

  it('counts high partners against each person\'s own threshold', () => {
    // threshold 3: p0's partners 2,3,3,4 -> 3 high; p2's 1,2,1,4,4,4 -> 3; p3's 3,1,3,3 -> 3
    const t = Float64Array.from([3, 3, 3, 3, NaN]);
    expect(Array.from(weightedHighCounts(groups, ses, t))).toEqual([3, 1, 3, 3, 0]);
    expect(Array.from(weightedHighCounts(groups, ses, t, home))).toEqual([3, 1, 3, 3, 0]);
    const t2 = Float64Array.from([2, 2, 2, 2, 2]);
    // with same-home exclusion p0 loses partner p1 (SES 2, high) -> 3; p1 loses p0 (low) -> 1
    expect(Array.from(weightedHighCounts(groups, ses, t2))).toEqual([4, 1, 4, 3, 0]);
    expect(Array.from(weightedHighCounts(groups, ses, t2, home))).toEqual([3, 1, 4, 3, 0]);
  });
});

/** Distinct statistics, after checking that those summed in the walk equal partnerStats of the lists. */
function distinctStats(options: DistinctOptions = {}): PersonStats {
  const d = distinctEncounters(groups, ses, 3, options);
  expect(d.stats).toEqual(partnerStats(d.lists, ses, 3));
  return d.stats;
}

describe('distinct mode', () => {
  it('counts each pair once', () => {
    const lists = distinctEncounters(groups, ses, 3).lists;
    const s = raw(distinctStats());
    expect(s.n).toEqual([3, 2, 3, 2, 0]);
    expect(s.sum.map((v) => Math.round(v * 1e9) / 1e9)).toEqual([9, 4, 7, 4, 0]);
    expect(Array.from(partnerHighCounts(lists, ses, Float64Array.from([3, 3, 3, 3, 3])))).toEqual([2, 1, 1, 1, 0]);
  });

  it('keeps only pairs met on at least N distinct days (2 and 3 met on days 0, 1 and 2)', () => {
    expect(raw(distinctStats({ minDays: 2 })).n).toEqual([0, 0, 1, 1, 0]);
    expect(raw(distinctStats({ minDays: 3 })).n).toEqual([0, 0, 1, 1, 0]);
    expect(raw(distinctStats({ minDays: 4 })).n).toEqual([0, 0, 0, 0, 0]);
  });

  it('excludes same-home pairs (only p0-p1 share a household)', () => {
    expect(raw(distinctStats({ homeOf: home })).n).toEqual([2, 1, 3, 2, 0]);
  });
});

describe('pair-encounter input', () => {
  // the pairs the groups imply, one row per (pair, place, bin), with time = bin start
  const a: number[] = [];
  const b: number[] = [];
  const place: number[] = [];
  const time: number[] = [];
  for (let g = 0; g < groups.nGroups; g++) {
    const m = Array.from(groups.groupMembers.subarray(groups.groupOffsets[g], groups.groupOffsets[g + 1]));
    for (let x = 0; x < m.length; x++)
      for (let y = x + 1; y < m.length; y++) {
        a.push(m[x]);
        b.push(m[y]);
        place.push(groups.groupPlace[g]);
        time.push(groups.groupBin[g] * 300);
      }
  }
  const pairs = { a: Int32Array.from(a), b: Int32Array.from(b), place: Int32Array.from(place), time: Float64Array.from(time), days: null };

  it('gives the same statistics as the equivalent visits in both modes and with filters', () => {
    for (const [mode, opts] of [
      ['weighted', {}],
      ['weighted', { homeOf: home }],
      ['distinct', {}],
      ['distinct', { minDays: 2 }],
      ['distinct', { homeOf: home }],
    ] as const) {
      const fromPairs = raw(partnerStats(partnerListsFromPairs(pairs, 5, { mode, binSeconds: 300, ...opts }), ses, 3));
      const fromVisits = raw(mode === 'weighted' ? weightedPersonStats(groups, ses, 3, (opts as { homeOf?: Int32Array }).homeOf ?? null) : distinctStats(opts));
      expect(fromPairs).toEqual(fromVisits);
    }
  });

  it('uses the days column for --min-days when present', () => {
    const rows = { a: Int32Array.from([0, 0, 1]), b: Int32Array.from([1, 1, 2]), place: null, time: null, days: Float64Array.from([1, 3, 2]) };
    const lists = partnerListsFromPairs(rows, 3, { mode: 'distinct', binSeconds: 300, minDays: 3 });
    expect(Array.from(lists.offsets)).toEqual([0, 1, 2, 2]); // only pair (0,1) reached 3 days
  });
});

describe('scale limits', () => {
  it('refuses more pair endpoints than int32 offsets can index, with a message that says what to do', async () => {
    const { partnerListsFromPairs } = await import('../../src/encounters/pairs.js');
    // a view that claims 2^30 rows without allocating them: 2 endpoints each is past the limit
    const huge = { length: 2 ** 30 } as unknown as Int32Array;
    expect(() => partnerListsFromPairs({ a: huge, b: huge, place: null, time: null, days: null }, 10, { mode: 'distinct', binSeconds: 300 })).toThrow(
      /2147483648 encounter endpoints exceed what one run indexes \(2147483647\); run areas separately/,
    );
  });
});
