import { describe, it, expect } from 'vitest';
import { buildBipartiteGraph, personPlaces, type VisitArrays } from '../../src/graph/bipartite.js';

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
