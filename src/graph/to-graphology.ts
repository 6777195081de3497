/**
 * Object-graph views for small graphs: the bipartite graph as a graphology graph (nodes "p:<id>" and
 * "l:<id>" with a `part` attribute, one weighted edge per person-place pair, weight = number of visits).
 * Hot paths stay on the CSR arrays; this is for exploration, projections and Louvain.
 */
import { UndirectedGraph } from 'graphology';
import { personPlaces, type BipartiteGraph } from './bipartite.js';
import type { IdIndex } from '../io/id-index.js';

export interface GraphologyOptions {
  /** refuse graphs with more nodes than this (object graphs cost ~1 KB a node) */
  maxNodes?: number;
  personSes?: Float64Array;
}

export function bipartiteToGraphology(g: BipartiteGraph, personIds: IdIndex, placeIds: IdIndex, options: GraphologyOptions = {}): UndirectedGraph {
  const personPlace = personPlaces(g);
  const maxNodes = options.maxNodes ?? 1_000_000;
  if (g.nPersons + g.nPlaces > maxNodes) {
    throw new RangeError(`bipartiteToGraphology: ${g.nPersons + g.nPlaces} nodes exceed maxNodes = ${maxNodes}; use the CSR graph`);
  }
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  for (let i = 0; i < g.nPersons; i++) {
    graph.addNode(`p:${personIds.idOf(i)}`, { part: 'person', index: i, ...(options.personSes ? { ses: options.personSes[i] } : {}) });
  }
  for (let q = 0; q < g.nPlaces; q++) graph.addNode(`l:${placeIds.idOf(q)}`, { part: 'place', index: q });
  for (let i = 0; i < g.nPersons; i++) {
    const source = `p:${personIds.idOf(i)}`;
    for (let r = g.personOffsets[i]; r < g.personOffsets[i + 1]; r++) {
      const target = `l:${placeIds.idOf(personPlace[r])}`;
      graph.updateEdge(source, target, (attr: { weight?: number }) => ({ weight: (attr.weight ?? 0) + 1 }));
    }
  }
  return graph;
}
