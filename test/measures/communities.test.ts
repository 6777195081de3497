/**
 * Communities of places: Louvain on two cliques joined by one edge finds the cliques with the
 * modularity of the hand formula, participation coefficients counted by hand, the share of
 * encounters within home communities, community visitor SES, and seeded determinism.
 */
import { describe, expect, it } from 'vitest';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../../src/encounters/groups.js';
import { buildPlaceProjection } from '../../src/graph/place-projection.js';
import { createRng } from '../../src/math/random.js';
import {
  analysePlaces,
  louvainPartition,
  modularity,
  mostVisitedPlaces,
  participationCoefficients,
} from '../../src/measures/communities.js';
import type { ColumnTable } from '../../src/io/column-table.js';

interface Visit {
  person: number;
  place: number;
  start: number;
}

function graphOf(visits: Visit[], nPersons: number, nPlaces: number) {
  return buildBipartiteGraph(
    {
      person: Int32Array.from(visits, (v) => v.person),
      place: Int32Array.from(visits, (v) => v.place),
      start: Float64Array.from(visits, (v) => v.start),
      end: new Float64Array(visits.length).fill(NaN),
    },
    nPersons,
    nPlaces,
  );
}

function column(t: ColumnTable, name: string): unknown[] {
  const c = t.columns.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return Array.from(c.values as ArrayLike<unknown>);
}

/*
 * Two 4-cliques joined by one edge. Person 0 (SES 1) visits places 0-3 (clique A: 6 edges of weight 1),
 * person 1 (SES 5) places 4-7 (clique B), person 2 (SES 3) places 3 and 4 (the bridge 3-4); person 3
 * (SES 10) only place 8, which has no projection edge. Bins of 300 s; every visit has its own time except:
 *   person 0 and person 2 at place 3 at t = 0       -> one encounter, both of home community A
 *   person 1 and person 2 at place 4 at t = 100000  -> one encounter, homes B and A
 * Homes (most visited place): person 0 visits place 0 twice -> place 0 (A); person 1 place 4 twice
 * -> B; person 2 visits 3 and 4 once each -> the smaller index 3 (A); person 3 -> place 8.
 *
 * Projection: m = 6 + 6 + 1 = 13 edges of weight 1. Degrees 3, 3, 3, 4 | 4, 3, 3, 3, so d_A = d_B = 13,
 * L_A = L_B = 6 and Q = 2 (6/13 - (13/26)^2) = 12/13 - 1/2 = 11/26 (place 8 is isolated: degree 0).
 * Participation: place 3 has 3 edges into A and 1 into B: P = 1 - (3/4)^2 - (1/4)^2 = 3/8; the same for
 * place 4; places inside a clique: 0.
 */
const ses = Float64Array.from([1, 5, 3, 10]);
let t = 1_000_000;
const next = () => (t += 10_000);
const visits: Visit[] = [
  { person: 0, place: 0, start: next() },
  { person: 0, place: 0, start: next() },
  { person: 0, place: 1, start: next() },
  { person: 0, place: 2, start: next() },
  { person: 0, place: 3, start: 0 },
  { person: 1, place: 4, start: next() },
  { person: 1, place: 4, start: 100_000 },
  { person: 1, place: 5, start: next() },
  { person: 1, place: 6, start: next() },
  { person: 1, place: 7, start: next() },
  { person: 2, place: 3, start: 0 },
  { person: 2, place: 4, start: 100_000 },
  { person: 3, place: 8, start: next() },
];
const g = graphOf(visits, 4, 9);
const groups = buildCoPresenceGroups(g, 300);
const proj = buildPlaceProjection(g, new Int32Array(9), { k: 20 });
const twoCliques = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);

describe('Louvain on two cliques joined by one edge', () => {
  it('has the projection drawn above', () => {
    expect(proj.nEdges).toBe(13);
    expect(groups.nGroups).toBe(2);
  });

  it('finds the two cliques for several seeds, with Q = 11/26', () => {
    for (const seed of [1, 2, 3, 'x']) {
      const part = louvainPartition(proj, twoCliques, createRng(seed).next);
      expect(Array.from(part.community)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
      expect(part.count).toBe(2);
      expect(part.louvainModularity).toBeCloseTo(11 / 26, 12);
      expect(modularity(proj, twoCliques, part.community, 2)).toBeCloseTo(11 / 26, 14);
    }
  });

  it('computes Q of other partitions by the hand formula', () => {
    // one community: Q = 13/13 - 1 = 0; singletons: Q = -sum (d_i / 26)^2 = -(6 * 9 + 2 * 16) / 676
    expect(modularity(proj, twoCliques, new Int32Array(8), 1)).toBeCloseTo(0, 14);
    expect(modularity(proj, twoCliques, Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 8)).toBeCloseTo(-86 / 676, 14);
  });

  it('gives participation coefficients 3/8 at the bridge ends and 0 inside the cliques', () => {
    const community = Int32Array.from([0, 0, 0, 0, 1, 1, 1, 1, 2]);
    const p = participationCoefficients(proj, community);
    expect(p[3]).toBeCloseTo(3 / 8, 15);
    expect(p[4]).toBeCloseTo(3 / 8, 15);
    for (const q of [0, 1, 2, 5, 6, 7]) expect(p[q]).toBe(0);
    expect(p[8]).toBeNaN();
  });

  it('assigns home places by visit count, ties to the smaller index', () => {
    expect(Array.from(mostVisitedPlaces(g))).toEqual([0, 4, 3, 8]);
  });
});

describe('analysePlaces', () => {
  const result = analysePlaces(g, groups, { ses }, { ids: Float64Array.from({ length: 9 }, (_, q) => 100 + q) }, { binSeconds: 300, seed: 5 });

  it('writes one row per community with places, visitors and visitor SES', () => {
    expect(column(result.communities, 'area')).toEqual(['all', 'all', 'all']);
    expect(column(result.communities, 'community')).toEqual([0, 1, 2]);
    expect(column(result.communities, 'places')).toEqual([4, 4, 1]);
    // A: visitors persons 0, 2 (SES 1, 3): mean 2, sd sqrt(2); B: persons 1, 2 (SES 5, 3): mean 4, sd sqrt(2)
    expect(column(result.communities, 'visitors')).toEqual([2, 2, 1]);
    expect(column(result.communities, 'ses_mean')).toEqual([2, 4, 10]);
    const sd = column(result.communities, 'ses_sd') as number[];
    expect(sd[0]).toBeCloseTo(Math.SQRT2, 14);
    expect(sd[1]).toBeCloseTo(Math.SQRT2, 14);
    expect(sd[2]).toBeNaN();
    expect(column(result.communities, 'home_persons')).toEqual([2, 1, 1]);
  });

  it('summarises the area: Q, communities, encounters within home communities (1 of 2), bounds', () => {
    const s = result.areaSummary;
    expect(column(s, 'area')).toEqual(['all']);
    expect(column(s, 'places')).toEqual([9]);
    expect((column(s, 'modularity') as number[])[0]).toBeCloseTo(11 / 26, 14);
    expect(column(s, 'n_communities')).toEqual([3]);
    expect(column(s, 'encounters')).toEqual([2]);
    expect(column(s, 'share_within')).toEqual([0.5]);
    expect(column(s, 'projection_k')).toEqual([20]);
    expect(column(s, 'projection_edges')).toEqual([13]);
    expect(column(s, 'persons_sampled')).toEqual([0]);
  });

  it('adds community and participation to the places table', () => {
    expect(result.places.columns.map((c) => c.name)).toEqual([
      'place_id', 'visitors', 'visits', 'ses_mean', 'ses_sd', 'ses_entropy', 'ses_entropy_norm', 'segregation',
      'time_share_q1', 'time_share_q2', 'time_share_q3', 'time_share_q4', 'community', 'participation',
    ]);
    expect(column(result.places, 'place_id')).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108]);
    expect(column(result.places, 'community')).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2]);
    expect(result.placeParticipation[3]).toBeCloseTo(3 / 8, 15);
  });

  it('runs Louvain per area (MSA): places of different MSAs never share a community', () => {
    // persons 0 and 2 live in "B, X", 1 and 3 in "A, Y"; places carry no msa: each takes its visitors' mode
    const r = analysePlaces(
      g,
      groups,
      { ses, msaCodes: Int32Array.from([0, 1, 0, 1]), msaNames: ['B, X', 'A, Y'] },
      { ids: Float64Array.from({ length: 9 }, (_, q) => q) },
      { binSeconds: 300, seed: 5 },
    );
    // places 0-2 (person 0 only) -> "B, X"; place 3 (persons 0, 2) -> "B, X"; place 4 (persons 1, 2: a tie)
    // -> the smaller area index in sorted order, "A, Y"; places 5-7 and 8 -> "A, Y"
    expect(r.areaLabels).toEqual(['A, Y', 'B, X']);
    expect(column(r.places, 'msa')).toEqual(['B, X', 'B, X', 'B, X', 'B, X', 'A, Y', 'A, Y', 'A, Y', 'A, Y', 'A, Y']);
    expect(column(r.places, 'msa_source')).toEqual(Array(9).fill('visitors'));
    expect(column(r.areaSummary, 'area')).toEqual(['A, Y', 'B, X']);
    // the bridge 3-4 crosses the areas and is dropped: 6 + 6 edges
    expect(column(r.areaSummary, 'projection_edges')).toEqual([6, 6]);
    expect(column(r.areaSummary, 'n_communities')).toEqual([2, 1]);
    // a lone clique: one community holding every edge, Q = 1 - 1 = 0
    expect((column(r.areaSummary, 'modularity') as number[])[1]).toBeCloseTo(0, 14);
  });
});

describe('seeded determinism', () => {
  /*
   * Planted partition: 6 groups of 25 places; 600 persons, each of one group, visiting 6 places of it
   * and, with probability 0.1 each, 1 place elsewhere.
   */
  const rng = createRng(42);
  const planted: Visit[] = [];
  for (let i = 0; i < 600; i++) {
    const group = i % 6;
    for (let v = 0; v < 6; v++) planted.push({ person: i, place: group * 25 + rng.int(25), start: rng.int(86400 * 7) });
    if (rng.next() < 0.1) planted.push({ person: i, place: rng.int(150), start: rng.int(86400 * 7) });
  }
  const pg = graphOf(planted, 600, 150);
  const pgroups = buildCoPresenceGroups(pg, 3600);
  const run = (seed: number) => analysePlaces(pg, pgroups, { ses: Float64Array.from({ length: 600 }, (_, i) => i % 6) }, { ids: Float64Array.from({ length: 150 }, (_, q) => q) }, { binSeconds: 3600, seed, projectionK: 10 });

  it('gives identical communities and tables for the same seed', () => {
    const a = run(9);
    const b = run(9);
    expect(Array.from(a.placeCommunity)).toEqual(Array.from(b.placeCommunity));
    expect(column(a.areaSummary, 'modularity')).toEqual(column(b.areaSummary, 'modularity'));
    expect(column(a.communities, 'ses_mean')).toEqual(column(b.communities, 'ses_mean'));
  });

  it('recovers the planted groups, and our modularity equals the one graphology reports', () => {
    const a = run(9);
    const places = Int32Array.from({ length: 150 }, (_, q) => q);
    const part = louvainPartition(a.projection, places, createRng('check').next);
    expect(modularity(a.projection, places, part.community, part.count)).toBeCloseTo(part.louvainModularity, 12);
    // each planted group lies in one community (the 6 may not all be told apart only if merged)
    for (let group = 0; group < 6; group++) {
      const found = new Set(Array.from(a.placeCommunity.subarray(group * 25, group * 25 + 25)));
      expect(found.size).toBe(1);
    }
    expect(column(a.areaSummary, 'n_communities')).toEqual([6]);
    // every community's visitors are mostly its group's persons: SES sd small vs the population's (1.7)
    for (const v of column(a.communities, 'ses_sd') as number[]) expect(v).toBeLessThan(1.2);
  });
});
