import { describe, it, expect } from 'vitest';
import { buildBipartiteGraph, personPlaces } from '../../src/graph/bipartite.js';
import type { VisitArrays } from '../../src/io/load-visits.js';
import { createRng } from '../../src/math/random.js';

function slice(v: VisitArrays, a: number, b: number): VisitArrays {
  return { person: v.person.subarray(a, b), place: v.place.subarray(a, b), start: v.start.subarray(a, b), end: v.end.subarray(a, b) };
}

describe('buildBipartiteGraph from chunks', () => {
  // 7 visits of 4 persons at 3 places
  const visits: VisitArrays = {
    person: Int32Array.from([3, 0, 1, 0, 2, 3, 1]),
    place: Int32Array.from([2, 0, 0, 1, 2, 0, 2]),
    start: Float64Array.from([10, 20, 30, 40, 50, 60, 70]),
    end: Float64Array.from([15, NaN, 35, NaN, 55, 65, NaN]),
  };

  it('builds both sides by hand', () => {
    const g = buildBipartiteGraph(visits, 4, 3);
    // place 0: input rows 1, 2, 5; place 1: row 3; place 2: rows 0, 4, 6
    expect(Array.from(g.placeOffsets)).toEqual([0, 3, 4, 7]);
    expect(Array.from(g.placePerson)).toEqual([0, 1, 3, 0, 3, 2, 1]);
    expect(Array.from(g.placeTimes)).toEqual([20, NaN, 30, 35, 60, 65, 40, NaN, 10, 15, 50, 55, 70, NaN]);
    expect(Array.from(g.personOffsets)).toEqual([0, 2, 4, 5, 7]);
    expect(Array.from(g.personEdge)).toEqual([0, 3, 1, 6, 5, 2, 4]);
    expect(Array.from(personPlaces(g))).toEqual([0, 1, 0, 2, 2, 0, 2]);
  });

  it('gives the same graph for any split into chunks', () => {
    const whole = buildBipartiteGraph(visits, 4, 3);
    for (const cuts of [[3], [1, 2, 6], [0, 7]]) {
      const bounds = [0, ...cuts, 7];
      const chunks = bounds.slice(1).map((b, i) => slice(visits, bounds[i], b));
      expect(buildBipartiteGraph(chunks, 4, 3)).toEqual(whole);
    }
  });
});

describe('buildBipartiteGraph at scale', () => {
  it('equals stable sorts by place and by person when keys span many blocks', () => {
    // 5,000 places and 3,000 persons: both sides sort in more than one block of keys
    const rng = createRng(21);
    const m = 40_000;
    const visits: VisitArrays = {
      person: Int32Array.from({ length: m }, () => rng.int(3000)),
      place: Int32Array.from({ length: m }, () => (rng.next() < 0.3 ? rng.int(20) : rng.int(5000))),
      start: Float64Array.from({ length: m }, (_, k) => 1000 + k),
      end: Float64Array.from({ length: m }, (_, k) => (k % 3 === 0 ? NaN : 2000 + k)),
    };
    const chunks = [slice(visits, 0, 10_000), slice(visits, 10_000, 10_001), slice(visits, 10_001, m)];
    const g = buildBipartiteGraph(chunks, 3000, 5000);
    const byPlace = Array.from({ length: m }, (_, k) => k).sort((x, y) => visits.place[x] - visits.place[y] || x - y);
    expect(Array.from(g.placePerson)).toEqual(byPlace.map((k) => visits.person[k]));
    expect(Array.from(g.placeTimes)).toEqual(byPlace.flatMap((k) => [visits.start[k], visits.end[k]]));
    const byPerson = Array.from({ length: m }, (_, r) => r).sort((x, y) => g.placePerson[x] - g.placePerson[y] || x - y);
    expect(Array.from(g.personEdge)).toEqual(byPerson);
    for (let i = 0; i < 3000; i += 7) expect(g.personOffsets[i + 1] - g.personOffsets[i]).toBe(visits.person.filter((p) => p === i).length);
  });
});
