import { describe, it, expect } from 'vitest';
import { bridgingIndex, areaMedianSes } from '../../src/measures/bridging.js';
import { partnerHighCounts, partnerStats, type PartnerLists } from '../../src/encounters/person-stats.js';
import { areaEndpointsFromGroups, areaEndpointsFromPartners, bridgingForLabels, bridgingPermutationTest } from '../../src/measures/bridging-permutation.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { createRng } from '../../src/math/random.js';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../../src/encounters/groups.js';
import { weightedHighCounts, weightedPersonStats } from '../../src/encounters/weighted.js';

/** Partner lists from a list of [i, j, weight] endpoints (both directions given explicitly). */
function lists(nPersons: number, endpoints: Array<[number, number, number?]>): PartnerLists {
  const offsets = new Int32Array(nPersons + 1);
  for (const [i] of endpoints) offsets[i + 1]++;
  for (let i = 0; i < nPersons; i++) offsets[i + 1] += offsets[i];
  const cursor = offsets.slice(0, nPersons);
  const partners = new Int32Array(endpoints.length);
  const weights = new Float64Array(endpoints.length);
  for (const [i, j, w] of endpoints) {
    const k = cursor[i]++;
    partners[k] = j;
    weights[k] = w ?? 1;
  }
  return { nPersons, offsets, partners, weights: endpoints.some((e) => e[2] !== undefined) ? weights : null };
}

function bi(ses: number[], l: PartnerLists) {
  const s = Float64Array.from(ses);
  const persons = Int32Array.from(ses.keys());
  const m = areaMedianSes(persons, s);
  const stats = partnerStats(l, s, 0);
  const high = partnerHighCounts(l, s, new Float64Array(ses.length).fill(m));
  return bridgingIndex(persons, s, stats.n, high, m);
}

// Four persons with SES 1, 2, 3, 4: median 2.5, low = {0, 1}, high partners = {2, 3}.
describe('bridging index on hand-counted graphs', () => {
  it('a mixed graph: P_obs = P_rand = 1/2, BI = 1, ec = 1', () => {
    const r = bi([1, 2, 3, 4], lists(4, [[0, 1], [0, 2], [1, 0], [1, 3], [2, 0], [2, 3], [3, 1], [3, 2]]));
    expect(r.median).toBe(2.5);
    expect(r.pObs).toBe(0.5);
    expect(r.pRand).toBe(0.5);
    expect(r.bi).toBe(1);
    expect(r.ec).toBe(1);
  });

  it('low persons meeting only high ones: P_obs / P_rand = 2 is capped at BI = 1 (ec = 2)', () => {
    const r = bi([1, 2, 3, 4], lists(4, [[0, 2], [0, 3], [1, 2], [1, 3], [2, 0], [2, 1], [3, 0], [3, 1]]));
    expect(r.pObs).toBe(1);
    expect(r.pRand).toBe(0.5);
    expect(r.bi).toBe(1);
    expect(r.ec).toBe(2);
  });

  it('a perfectly segregated graph: BI = 0', () => {
    const r = bi([1, 2, 3, 4], lists(4, [[0, 1], [1, 0], [2, 3], [3, 2]]));
    expect(r.pObs).toBe(0);
    expect(r.bi).toBe(0);
    expect(r.ec).toBe(0);
  });

  it('weighted endpoints: P_obs = 2/8, P_rand = 6/14, BI = 7/12, ec = 2 * mean(1/4, 1/4)', () => {
    // 0-1 met 3 times, 0-2 once, 1-3 once, 2-3 twice
    const r = bi([1, 2, 3, 4], lists(4, [[0, 1, 3], [0, 2, 1], [1, 0, 3], [1, 3, 1], [2, 0, 1], [2, 3, 2], [3, 1, 1], [3, 2, 2]]));
    expect(r.pObs).toBe(0.25);
    expect(r.pRand).toBeCloseTo(6 / 14, 15);
    expect(r.bi).toBeCloseTo(7 / 12, 15);
    expect(r.ec).toBe(0.5);
  });

  it('an area with no low-SES persons has no BI, and says why', () => {
    const r = bi([5, 5, 5, 5], lists(4, [[0, 1], [1, 0], [2, 3], [3, 2]]));
    expect(Number.isNaN(r.bi)).toBe(true);
    expect(r.note).toMatch(/no encounters of low-SES persons/);
  });
});

/** n persons, first half low SES; each meets `degree` partners, from its own half with probability pSame. */
function randomArea(n: number, degree: number, pSame: number, seed: number) {
  const rng = createRng(seed);
  const ses = Float64Array.from({ length: n }, (_, i) => i + 1);
  const endpoints: Array<[number, number]> = [];
  const half = n / 2;
  for (let i = 0; i < n; i++) {
    for (let d = 0; d < degree; d++) {
      const same = rng.next() < pSame;
      const lowSide = i < half === same;
      let j = lowSide ? rng.int(half) : half + rng.int(half);
      if (j === i) j = (j + 1) % n;
      endpoints.push([i, j], [j, i]);
    }
  }
  return { ses, l: lists(n, endpoints) };
}

describe('permutation null of the bridging index', () => {
  it('a perfectly segregated graph is significant: p = 1 / (K + 1); BI is far below the null interval', async () => {
    const { ses, l } = randomArea(200, 5, 1, 3);
    const fitted = Int32Array.from(ses.keys());
    const g = areaEndpointsFromPartners(fitted, ses, l, areaMedianSes(fitted, ses));
    const r = await bridgingPermutationTest(g, { permutations: 199, seed: 1, areaKey: 'seg' });
    expect(r.pValue).toBe(1 / 200);
    expect(r.biNullLow).toBeGreaterThan(0.8);
  });

  it('perfectly mixed graphs are not significant (p < 0.05 in at most 3 of 20 random graphs)', async () => {
    let significant = 0;
    for (let seed = 0; seed < 20; seed++) {
      const { ses, l } = randomArea(200, 5, 0.5, 100 + seed);
      const fitted = Int32Array.from(ses.keys());
      const g = areaEndpointsFromPartners(fitted, ses, l, areaMedianSes(fitted, ses));
      const r = await bridgingPermutationTest(g, { permutations: 99, seed, areaKey: 'mixed' });
      if (r.pValue < 0.05) significant++;
    }
    expect(significant).toBeLessThanOrEqual(3);
  });

  it('gives identical numbers for 1 and 2 threads', async () => {
    const { ses, l } = randomArea(300, 4, 0.7, 9);
    const fitted = Int32Array.from(ses.keys());
    const g = areaEndpointsFromPartners(fitted, ses, l, areaMedianSes(fitted, ses));
    const one = await bridgingPermutationTest(g, { permutations: 60, seed: 'x', areaKey: 'a' });
    const pool = new WorkerPool(2);
    try {
      const two = await bridgingPermutationTest(g, { permutations: 60, seed: 'x', areaKey: 'a', pool });
      expect(two).toEqual(one);
    } finally {
      await pool.close();
    }
  });

  it('the local endpoint graph from co-presence groups reproduces the weighted BI', () => {
    // 6 persons, two places, bins of 60 s; persons 4 and 5 live elsewhere (not in the area)
    const visits = {
      person: Int32Array.from([0, 1, 2, 4, 0, 3, 5, 2, 3]),
      place: Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 1]),
      start: Float64Array.from([0, 10, 20, 30, 0, 5, 10, 200, 210]),
      end: Float64Array.from([NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN, NaN]),
    };
    const ses = Float64Array.from([1, 2, 3, 4, 10, 0]);
    const groups = buildCoPresenceGroups(buildBipartiteGraph(visits, 6, 2), 60);
    const fitted = Int32Array.from([0, 1, 2, 3]);
    const m = areaMedianSes(fitted, ses);
    const g = areaEndpointsFromGroups(fitted, ses, groups, m, null);
    const threshold = Float64Array.from([m, m, m, m, NaN, NaN]);
    const direct = bridgingIndex(fitted, ses, weightedPersonStats(groups, ses, 0).n, weightedHighCounts(groups, ses, threshold), m);
    expect(direct.pObs).toBeGreaterThan(0);
    const out = new Float64Array(3);
    bridgingForLabels(g, g.ses, new Uint8Array(g.size), out);
    expect(out[0]).toBeCloseTo(direct.pObs, 15);
    expect(out[1]).toBeCloseTo(direct.pRand, 15);
    expect(out[2]).toBeCloseTo(direct.bi, 15);
  });
});
