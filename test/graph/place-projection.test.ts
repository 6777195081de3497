/**
 * The bounded shared-visitor projection, weights counted on paper: w(p, q) = distinct persons who
 * visited both p and q; top-k per place with the union of both directions; areas never linked;
 * persons above the degree cap contribute a seeded sample of their places.
 */
import { describe, expect, it } from 'vitest';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { buildPlaceProjection, cappedPersonPlaces, type PlaceProjection } from '../../src/graph/place-projection.js';

function graphOf(pairs: Array<[person: number, place: number]>, nPersons: number, nPlaces: number) {
  return buildBipartiteGraph(
    {
      person: Int32Array.from(pairs, (v) => v[0]),
      place: Int32Array.from(pairs, (v) => v[1]),
      start: Float64Array.from(pairs, (_, k) => k * 1000),
      end: new Float64Array(pairs.length).fill(NaN),
    },
    nPersons,
    nPlaces,
  );
}

/** Edges as "p-q:w" with p < q, sorted. */
function edges(proj: PlaceProjection): string[] {
  const out: string[] = [];
  for (let p = 0; p < proj.nPlaces; p++) {
    for (let e = proj.offsets[p]; e < proj.offsets[p + 1]; e++) if (proj.neighbours[e] > p) out.push(`${p}-${proj.neighbours[e]}:${proj.weights[e]}`);
  }
  return out.sort();
}

/*
 * Persons A = 0: places {0, 1, 2} (place 0 twice); B = 1: {0, 1}; C = 2: {1, 2}; D = 3: {2, 3}.
 * Shared visitors: 0-1 {A, B} = 2; 0-2 {A} = 1; 1-2 {A, C} = 2; 2-3 {D} = 1; 0-3, 1-3 none.
 */
const g = graphOf([[0, 0], [0, 1], [0, 2], [0, 0], [1, 0], [1, 1], [2, 1], [2, 2], [3, 2], [3, 3]], 4, 4);
const oneArea = new Int32Array(4);

describe('place projection', () => {
  it('weights = distinct shared visitors (counted on paper)', () => {
    const proj = buildPlaceProjection(g, oneArea, { k: 20 });
    expect(edges(proj)).toEqual(['0-1:2', '0-2:1', '1-2:2', '2-3:1']);
    expect(proj.nEdges).toBe(4);
    // CSR rows ascending and symmetric
    expect(Array.from(proj.neighbours.subarray(proj.offsets[2], proj.offsets[3]))).toEqual([0, 1, 3]);
    expect(Array.from(proj.weights.subarray(proj.offsets[2], proj.offsets[3]))).toEqual([1, 2, 1]);
  });

  it('keeps the top k per place, ties to the smaller index, union of both directions', () => {
    // k = 1: top(0) = 1 (w 2); top(1) = 0 (0 and 2 tie at 2 -> smaller index); top(2) = 1 (w 2);
    // top(3) = 2. Union: 0-1, 1-2, 2-3; 0-2 (w 1) is in nobody's top 1.
    const proj = buildPlaceProjection(g, oneArea, { k: 1 });
    expect(edges(proj)).toEqual(['0-1:2', '1-2:2', '2-3:1']);
    expect(proj.nEdges).toBe(3);
  });

  it('never links places of different areas, nor places without an area', () => {
    // places 0, 1 in area 0; 2 in area 1; 3 in none: only 0-1 survives
    const proj = buildPlaceProjection(g, Int32Array.from([0, 0, 1, -1]), { k: 20 });
    expect(edges(proj)).toEqual(['0-1:2']);
  });

  it('samples the places of persons above the degree cap, with the seed', () => {
    // one person visiting 6 places, cap 3: exactly 3 of them form a triangle of weight 1
    const star = graphOf([0, 1, 2, 3, 4, 5].map((q) => [0, q] as [number, number]), 1, 6);
    const proj = buildPlaceProjection(star, new Int32Array(6), { k: 20, maxPersonPlaces: 3, seed: 7 });
    expect(proj.nEdges).toBe(3);
    expect(Array.from(proj.sampled)).toEqual([1]);
    const linked = [0, 1, 2, 3, 4, 5].filter((q) => proj.offsets[q + 1] > proj.offsets[q]);
    expect(linked.length).toBe(3);
    for (const q of linked) expect(proj.offsets[q + 1] - proj.offsets[q]).toBe(2);
    const capped = cappedPersonPlaces(star, new Int32Array(6), 3, 7);
    expect(Array.from(capped.places).sort()).toEqual(linked);
    // same seed, same sample
    expect(edges(buildPlaceProjection(star, new Int32Array(6), { k: 20, maxPersonPlaces: 3, seed: 7 }))).toEqual(edges(proj));
    // below the cap nothing is sampled
    expect(Array.from(buildPlaceProjection(g, oneArea, { maxPersonPlaces: 3 }).sampled)).toEqual([0, 0, 0, 0]);
  });

  it('bounds the edges by k * places on a dense graph', () => {
    // 30 persons each visiting all 12 places: a complete projection (66 edges, weight 30), cut to k = 2
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 30; i++) for (let q = 0; q < 12; q++) pairs.push([i, q]);
    const dense = graphOf(pairs, 30, 12);
    expect(buildPlaceProjection(dense, new Int32Array(12), { k: 20 }).nEdges).toBe(66);
    const cut = buildPlaceProjection(dense, new Int32Array(12), { k: 2 });
    expect(cut.nEdges).toBeLessThanOrEqual(24);
    // all weights tie: every place keeps the two smallest other indices -> edges 0-1, 0-2, 1-2 and q-0, q-1
    expect(cut.nEdges).toBe(2 * 12 - 3);
    for (let e = 0; e < cut.weights.length; e++) expect(cut.weights[e]).toBe(30);
  });
});
