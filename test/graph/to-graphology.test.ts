import { describe, it, expect } from 'vitest';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { bipartiteToGraphology } from '../../src/graph/to-graphology.js';
import { IdIndex } from '../../src/io/id-index.js';

describe('bipartite graph as a graphology graph', () => {
  // persons a, b; places X, Y; a visits X twice and Y once, b visits X once
  const persons = new IdIndex();
  const places = new IdIndex();
  for (const id of ['a', 'b']) persons.internString(id, true);
  for (const id of ['X', 'Y']) places.internString(id, true);
  const g = buildBipartiteGraph(
    { person: Int32Array.from([0, 0, 1, 0]), place: Int32Array.from([0, 0, 0, 1]), start: new Float64Array(4), end: new Float64Array(4).fill(NaN) },
    2,
    2,
  );

  it('has one node per person and place and one edge per person-place pair weighted by visits', () => {
    const graph = bipartiteToGraphology(g, persons, places, { personSes: Float64Array.from([1.5, 2.5]) });
    expect(graph.order).toBe(4);
    expect(graph.size).toBe(3);
    expect(graph.getEdgeAttribute('p:a', 'l:X', 'weight')).toBe(2);
    expect(graph.getEdgeAttribute('p:a', 'l:Y', 'weight')).toBe(1);
    expect(graph.getEdgeAttribute('p:b', 'l:X', 'weight')).toBe(1);
    expect(graph.getNodeAttribute('p:b', 'ses')).toBe(2.5);
    expect(graph.getNodeAttribute('l:Y', 'part')).toBe('place');
  });

  it('refuses graphs above maxNodes rather than exhausting memory', () => {
    expect(() => bipartiteToGraphology(g, persons, places, { maxNodes: 3 })).toThrow(/4 nodes exceed maxNodes = 3/);
  });
});
