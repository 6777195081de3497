/**
 * The bipartite person-place graph in compressed sparse rows, both ways:
 *   place side:  visits of place q are rows placeOffsets[q] .. placeOffsets[q + 1] - 1 of
 *                placePerson / placeStart / placeEnd (input order within a place);
 *   person side: visits of person i are rows personOffsets[i] .. personOffsets[i + 1] - 1 of
 *                personPlace (ordered by place, then by place-side row), and personEdge gives the row of
 *                the same visit on the place side (where its times are).
 * Built by two counting sorts, O(visits + persons + places), no per-visit objects; the person side is
 * derived from the place side, so each visit is scattered once per side and nothing else is copied.
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
  for (let k = 0; k < m; k++) {
    const r = cursor[place[k]]++;
    placePerson[r] = person[k];
    placeStart[r] = start[k];
    placeEnd[r] = end[k];
  }
  const personOffsets = countingOffsets(person, nPersons);
  const personPlace = new Int32Array(m);
  const personEdge = new Int32Array(m);
  const pc = personOffsets.slice(0, nPersons);
  for (let q = 0; q < nPlaces; q++) {
    for (let r = placeOffsets[q]; r < placeOffsets[q + 1]; r++) {
      const x = pc[placePerson[r]]++;
      personPlace[x] = q;
      personEdge[x] = r;
    }
  }
  return { nPersons, nPlaces, nVisits: m, placeOffsets, placePerson, placeStart, placeEnd, personOffsets, personPlace, personEdge };
}

/** Degree (number of visits) of every person. */
export function personDegrees(g: BipartiteGraph): Int32Array {
  const d = new Int32Array(g.nPersons);
  for (let i = 0; i < g.nPersons; i++) d[i] = g.personOffsets[i + 1] - g.personOffsets[i];
  return d;
}
