import { describe, it, expect } from 'vitest';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../../src/encounters/groups.js';
import { weightedPersonStats } from '../../src/encounters/weighted.js';
import { distinctEncounters } from '../../src/encounters/distinct.js';
import { partnerHighCounts, partnerHighCountsParallel, partnerStats } from '../../src/encounters/person-stats.js';
import { createRng } from '../../src/math/random.js';

/** The obvious implementation: a Map from "place/bin" to the set of persons there. */
function referenceGroups(v: { person: Int32Array; place: Int32Array; start: Float64Array; end: Float64Array }, bin: number): Map<string, Set<number>> {
  const groups = new Map<string, Set<number>>();
  for (let k = 0; k < v.person.length; k++) {
    const a = Math.floor(v.start[k] / bin);
    const b = Number.isNaN(v.end[k]) ? a : Math.max(a, Math.ceil(v.end[k] / bin) - 1);
    for (let t = a; t <= b; t++) {
      const key = `${v.place[k]}/${t}`;
      if (!groups.has(key)) groups.set(key, new Set());
      groups.get(key)!.add(v.person[k]);
    }
  }
  for (const [key, members] of groups) if (members.size < 2) groups.delete(key);
  return groups;
}

function randomVisits(n: number, nPersons: number, nPlaces: number, spanSeconds: number, seed: number, withEnd: boolean) {
  const rng = createRng(seed);
  const v = { person: new Int32Array(n), place: new Int32Array(n), start: new Float64Array(n), end: new Float64Array(n) };
  for (let k = 0; k < n; k++) {
    v.person[k] = rng.int(nPersons);
    v.place[k] = rng.int(nPlaces);
    v.start[k] = 1_600_000_000 + rng.int(spanSeconds);
    v.end[k] = withEnd && rng.next() < 0.7 ? v.start[k] + rng.int(2000) : NaN;
  }
  return v;
}

describe('co-presence groups against a naive reference', () => {
  // dense bin ranges (counting sort per place), sparse ranges (packed-key sort), and time-ordered input (no sort)
  const cases = [
    { name: 'dense, unordered, with ends', n: 3000, persons: 200, places: 5, span: 3600 * 3, withEnd: true, ordered: false },
    { name: 'sparse, unordered, with ends', n: 2000, persons: 300, places: 40, span: 86400 * 60, withEnd: true, ordered: false },
    { name: 'time-ordered, single bins', n: 3000, persons: 100, places: 8, span: 7200, withEnd: false, ordered: true },
    { name: 'unordered, single bins', n: 3000, persons: 100, places: 8, span: 7200, withEnd: false, ordered: false },
  ];
  for (const c of cases) {
    it(`finds exactly the reference groups (${c.name}) and the same statistics`, () => {
      const v = randomVisits(c.n, c.persons, c.places, c.span, 42, c.withEnd);
      if (c.ordered) {
        const order = Array.from(v.start.keys()).sort((x, y) => v.start[x] - v.start[y]);
        for (const key of ['person', 'place', 'start', 'end'] as const) {
          const src = v[key].slice();
          order.forEach((o, k) => (v[key][k] = src[o]));
        }
      }
      const graph = buildBipartiteGraph(v, c.persons, c.places);
      const placePersonBefore = graph.placePerson.slice();
      const groups = buildCoPresenceGroups(graph, 300);
      expect(graph.placePerson).toEqual(placePersonBefore); // grouping never reorders the graph
      const reference = referenceGroups(v, 300);
      expect(groups.nGroups).toBe(reference.size);
      for (let g = 0; g < groups.nGroups; g++) {
        const key = `${groups.groupPlace[g]}/${groups.groupBin[g]}`;
        const members = Array.from(groups.groupMembers.subarray(groups.groupOffsets[g], groups.groupOffsets[g + 1])).sort((a, b) => a - b);
        expect(members).toEqual([...reference.get(key)!].sort((a, b) => a - b));
        if (g > 0 && groups.groupPlace[g] === groups.groupPlace[g - 1]) expect(groups.groupBin[g]).toBeGreaterThan(groups.groupBin[g - 1]);
      }
      // statistics from the reference groups, counted pair by pair
      const ses = Float64Array.from({ length: c.persons }, (_, i) => (i * 37) % 101);
      const nWeighted = new Float64Array(c.persons);
      const partners = Array.from({ length: c.persons }, () => new Set<number>());
      for (const members of reference.values()) {
        for (const i of members) for (const j of members) if (i !== j) {
          nWeighted[i]++;
          partners[i].add(j);
        }
      }
      expect(Array.from(weightedPersonStats(groups, ses, 0).n)).toEqual(Array.from(nWeighted));
      const distinct = distinctEncounters(groups, ses, 0);
      const d = partnerStats(distinct.lists, ses, 0);
      expect(distinct.stats).toEqual(d);
      expect(Array.from(d.n)).toEqual(partners.map((p) => p.size));
      expect(Array.from(d.sum)).toEqual(partners.map((p) => [...p].reduce((s, j) => s + ses[j], 0)));
    });
  }
});

describe('distinct partners on worker threads', () => {
  it('equals the serial count for 2 threads, with and without --min-days and same-home exclusion, and so do the high-partner counts', async () => {
    const { WorkerPool } = await import('../../src/parallel/pool.js');
    const { distinctEncountersParallel } = await import('../../src/encounters/distinct.js');
    const ses = Float64Array.from({ length: 400 }, (_, i) => 1000 + ((i * 7919) % 997) / 7);
    const v = randomVisits(6000, 400, 12, 86400 * 5, 3, true);
    const groups = buildCoPresenceGroups(buildBipartiteGraph(v, 400, 12), 300);
    const homeOf = Int32Array.from({ length: 400 }, (_, i) => Math.floor(i / 3));
    const pool = new WorkerPool(2);
    try {
      for (const options of [{}, { minDays: 2 }, { homeOf }]) {
        const serial = distinctEncounters(groups, ses, 1100, options);
        const parallel = await distinctEncountersParallel(groups, ses, 1100, options, pool);
        expect(serial.lists.partners.length).toBeGreaterThan(100);
        expect(parallel.lists.offsets).toEqual(serial.lists.offsets);
        expect(parallel.lists.partners).toEqual(serial.lists.partners);
        expect(parallel.stats).toEqual(serial.stats);
        expect(serial.stats).toEqual(partnerStats(serial.lists, ses, 1100));
        // high-partner counts by person range on the pool, against per-person thresholds (NaN: none)
        const threshold = Float64Array.from({ length: 400 }, (_, i) => (i % 9 === 0 ? NaN : 1000 + (i % 50) * 2));
        const high = partnerHighCounts(serial.lists, ses, threshold);
        expect(high.reduce((a, b) => a + b, 0)).toBeGreaterThan(100);
        expect(await partnerHighCountsParallel(parallel.lists, ses, threshold, pool)).toEqual(high);
      }
    } finally {
      await pool.close();
    }
  });
});

describe('co-presence groups on worker threads', () => {
  it('equal the serial build for 2 and 3 threads (place ranges joined in place order, on the pool or in the calling thread), with intervals, sparse bins and single bins', async () => {
    const { WorkerPool, sharedArrays, heapArrays } = await import('../../src/parallel/pool.js');
    const { buildCoPresenceGroupsParallel } = await import('../../src/encounters/groups.js');
    const inputs = [
      { v: randomVisits(20000, 500, 60, 86400 * 3, 5, true), persons: 500, places: 60 }, // intervals, dense
      { v: randomVisits(8000, 300, 200, 86400 * 60, 6, true), persons: 300, places: 200 }, // sparse bins
      { v: randomVisits(20000, 400, 50, 7200, 7, false), persons: 400, places: 50 }, // single bins, unordered
    ];
    const pools = [new WorkerPool(2), new WorkerPool(3)];
    try {
      for (const { v, persons, places } of inputs) {
        const serial = buildCoPresenceGroups(buildBipartiteGraph(v, persons, places), 300);
        expect(serial.nGroups).toBeGreaterThan(100);
        for (const pool of pools) {
          const graph = buildBipartiteGraph(v, persons, places, sharedArrays);
          const parallel = await buildCoPresenceGroupsParallel(graph, 300, pool);
          expect(parallel.groupMembers.buffer instanceof SharedArrayBuffer).toBe(true);
          // joined on the pool into shared arrays, or in the calling thread into ordinary ones
          const onHeap = await buildCoPresenceGroupsParallel(graph, 300, pool, heapArrays);
          expect(onHeap.groupMembers.buffer instanceof SharedArrayBuffer).toBe(false);
          for (const key of ['nGroups', 'nEntries', 'groupOffsets', 'groupMembers', 'groupPlace', 'groupBin'] as const) {
            expect(parallel[key], `${key} with ${pool.threads} threads`).toEqual(serial[key]);
            expect(onHeap[key], `${key} with ${pool.threads} threads, joined on the heap`).toEqual(serial[key]);
          }
        }
      }
    } finally {
      for (const pool of pools) await pool.close();
    }
  });
});
