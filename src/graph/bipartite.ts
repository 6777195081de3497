/**
 * The bipartite person-place graph in compressed sparse rows, both ways:
 *   place side:  visits of place q are rows placeOffsets[q] .. placeOffsets[q + 1] - 1 of
 *                placePerson / placeStart / placeEnd (input order within a place);
 *   person side: visits of person i are rows personOffsets[i] .. personOffsets[i + 1] - 1 of
 *                personPlace, and personEdge gives the row of the same visit on the place side.
 * Built by two counting sorts, O(visits + persons + places), no per-visit objects.
 */

export interface BipartiteGraph {
  nPersons: number;
  nPlaces: number;
  nVisits: number;
  placeOffsets: Int32Array;
  placePerson: Int32Array;
  placeStart: Float64Array;
  /** exclusive end in epoch seconds; NaN = only the bin of start */
  placeEnd: Float64Array;
  personOffsets: Int32Array;
  personPlace: Int32Array;
  personEdge: Int32Array;
}

export interface VisitArrays {
  person: Int32Array;
  place: Int32Array;
  start: Float64Array;
  end: Float64Array;
}

/** Offsets of a counting sort: offsets[k] = number of keys < k. */
export function countingOffsets(keys: Int32Array, nKeys: number): Int32Array {
  const offsets = new Int32Array(nKeys + 1);
  for (let i = 0; i < keys.length; i++) offsets[keys[i] + 1]++;
  for (let k = 0; k < nKeys; k++) offsets[k + 1] += offsets[k];
  return offsets;
}

export function buildBipartiteGraph(visits: VisitArrays, nPersons: number, nPlaces: number): BipartiteGraph {
  const m = visits.person.length;
  const { person, place, start, end } = visits;
  const placeOffsets = countingOffsets(place, nPlaces);
  const placePerson = new Int32Array(m);
  const placeStart = new Float64Array(m);
  const placeEnd = new Float64Array(m);
  const cursor = placeOffsets.slice(0, nPlaces);
  // the place-side row of each visit, kept to build the person side
  const placeRow = new Int32Array(m);
  for (let k = 0; k < m; k++) {
    const r = cursor[place[k]]++;
    placePerson[r] = person[k];
    placeStart[r] = start[k];
    placeEnd[r] = end[k];
    placeRow[k] = r;
  }
  const personOffsets = countingOffsets(person, nPersons);
  const personPlace = new Int32Array(m);
  const personEdge = new Int32Array(m);
  const pc = personOffsets.slice(0, nPersons);
  for (let k = 0; k < m; k++) {
    const r = pc[person[k]]++;
    personPlace[r] = place[k];
    personEdge[r] = placeRow[k];
  }
  return { nPersons, nPlaces, nVisits: m, placeOffsets, placePerson, placeStart, placeEnd, personOffsets, personPlace, personEdge };
}

/** Degree (number of visits) of every person. */
export function personDegrees(g: BipartiteGraph): Int32Array {
  const d = new Int32Array(g.nPersons);
  for (let i = 0; i < g.nPersons; i++) d[i] = g.personOffsets[i + 1] - g.personOffsets[i];
  return d;
}
