/**
 * The one-mode projection of the bipartite person-place graph onto places, bounded so that it stays
 * linear in the number of places (SPEC section 5).
 *
 * Weight. w(p, q) = number of distinct persons who visited both p and q (the shared-neighbour count of a
 * one-mode projection; Zhou, Ren, Medo & Zhang 2007, "Bipartite network projection and personal
 * recommendation", Phys. Rev. E 76, 046115, discuss it and other weightings), for p != q in the same
 * area (places of different areas are never linked; places with area -1 get no edges). Shared
 * visitors rather than co-presence counts: it measures how the same people tie places together, which
 * is what communities of places are about, and does not depend on the time bin.
 *
 * Bounds.
 *  - Person degree cap: a person with more than `maxPersonPlaces` distinct places (in areas >= 0)
 *    contributes only a seeded uniform sample of `maxPersonPlaces` of them (partial Fisher-Yates with
 *    createRng(deriveSeed(seed, 'projection-sample', person))), the same sample for every pair; those
 *    persons are flagged in `sampled`. The build is then O(sum over persons of min(deg, cap)^2).
 *  - Top-k: each place keeps its k heaviest neighbours (ties: the smaller place index first); the
 *    projection is the union of both directions (p-q is kept when q is in p's top k or p in q's), so a
 *    place has at least min(k, its neighbours) and at most nPlaces - 1 edges, and the total is at most
 *    k * nPlaces. Weights are the exact shared-visitor counts (of the capped lists).
 *
 * Accumulation uses one Int32 accumulator per place and a stamp array (the touched list of place p is
 * reset after p), no per-pair map; memory is O(visits + k * nPlaces).
 */
import { countingOffsets, personPlaces, type BipartiteGraph } from './bipartite.js';
import { createRng, deriveSeed } from '../math/random.js';

export interface PlaceProjection {
  nPlaces: number;
  /** neighbours of place p: neighbours[offsets[p] .. offsets[p + 1]), ascending, with their weights */
  offsets: Int32Array;
  neighbours: Int32Array;
  weights: Float64Array;
  /** undirected edges (each counted once) */
  nEdges: number;
  k: number;
  maxPersonPlaces: number;
  /** 1 for persons whose distinct places were sampled down to maxPersonPlaces */
  sampled: Uint8Array;
}

export interface ProjectionOptions {
  /** neighbours kept per place (default 20) */
  k?: number;
  /** person degree cap (default 200) */
  maxPersonPlaces?: number;
  seed?: number | string;
}

export const DEFAULT_PROJECTION_K = 20;
export const DEFAULT_MAX_PERSON_PLACES = 200;

/**
 * Each person's distinct places with area >= 0, capped by a seeded sample (see the module comment),
 * as CSR (offsets, places), plus the sampled flags.
 */
export function cappedPersonPlaces(g: BipartiteGraph, placeArea: Int32Array, maxPersonPlaces: number, seed: number | string): { offsets: Int32Array; places: Int32Array; sampled: Uint8Array } {
  const personPlace = personPlaces(g);
  const seen = new Int32Array(g.nPlaces).fill(-1);
  const offsets = new Int32Array(g.nPersons + 1);
  for (let i = 0; i < g.nPersons; i++) {
    let d = 0;
    for (let r = g.personOffsets[i]; r < g.personOffsets[i + 1]; r++) {
      const q = personPlace[r];
      if (placeArea[q] < 0 || seen[q] === i) continue;
      seen[q] = i;
      d++;
    }
    offsets[i + 1] = offsets[i] + Math.min(d, maxPersonPlaces);
  }
  const places = new Int32Array(offsets[g.nPersons]);
  const sampled = new Uint8Array(g.nPersons);
  seen.fill(-1);
  let buffer = new Int32Array(16);
  for (let i = 0; i < g.nPersons; i++) {
    let d = 0;
    for (let r = g.personOffsets[i]; r < g.personOffsets[i + 1]; r++) {
      const q = personPlace[r];
      if (placeArea[q] < 0 || seen[q] === i) continue;
      seen[q] = i;
      if (d === buffer.length) {
        const bigger = new Int32Array(2 * d);
        bigger.set(buffer);
        buffer = bigger;
      }
      buffer[d++] = q;
    }
    const keep = Math.min(d, maxPersonPlaces);
    if (d > maxPersonPlaces) {
      sampled[i] = 1;
      const rng = createRng(deriveSeed(seed, 'projection-sample', i));
      for (let j = 0; j < keep; j++) {
        const s = j + rng.int(d - j);
        const t = buffer[j];
        buffer[j] = buffer[s];
        buffer[s] = t;
      }
    }
    places.set(buffer.subarray(0, keep), offsets[i]);
  }
  return { offsets, places, sampled };
}

/**
 * Build the bounded shared-visitor projection. `placeArea[q]` is the area of place q (-1: none).
 */
export function buildPlaceProjection(g: BipartiteGraph, placeArea: Int32Array, options: ProjectionOptions = {}): PlaceProjection {
  const k = options.k ?? DEFAULT_PROJECTION_K;
  const cap = options.maxPersonPlaces ?? DEFAULT_MAX_PERSON_PLACES;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`projection k must be a positive integer, got ${k}`);
  if (!(Number.isInteger(cap) && cap >= 2)) throw new RangeError(`maxPersonPlaces must be an integer >= 2, got ${cap}`);
  const n = g.nPlaces;
  const person = cappedPersonPlaces(g, placeArea, cap, options.seed ?? 0);

  // place -> persons (of the capped lists), by counting sort
  const placeOff = countingOffsets(person.places, n);
  const placePersons = new Int32Array(person.places.length);
  {
    const cursor = placeOff.slice(0, n);
    for (let i = 0; i < g.nPersons; i++) {
      for (let j = person.offsets[i]; j < person.offsets[i + 1]; j++) placePersons[cursor[person.places[j]]++] = i;
    }
  }

  // per place: accumulate shared visitors, keep the top k (directed lists)
  const acc = new Int32Array(n);
  const touched = new Int32Array(n);
  const heap = new Int32Array(k);
  let topPlace = new Int32Array(Math.min(n * k, 1 << 20) || 1);
  let topWeight = new Float64Array(topPlace.length);
  const topOff = new Int32Array(n + 1);
  let nTop = 0;
  // "a is a worse neighbour than b" for the min-heap of the k best
  const worse = (a: number, b: number): boolean => acc[a] < acc[b] || (acc[a] === acc[b] && a > b);
  for (let p = 0; p < n; p++) {
    let t = 0;
    for (let x = placeOff[p]; x < placeOff[p + 1]; x++) {
      const i = placePersons[x];
      for (let j = person.offsets[i]; j < person.offsets[i + 1]; j++) {
        const q = person.places[j];
        if (q === p || placeArea[q] !== placeArea[p]) continue;
        if (acc[q]++ === 0) touched[t++] = q;
      }
    }
    let kept: Int32Array;
    if (t <= k) {
      kept = touched.subarray(0, t);
    } else {
      // min-heap of the k best seen so far; root = the worst of them
      let h = 0;
      for (let z = 0; z < t; z++) {
        const q = touched[z];
        if (h < k) {
          let c = h++;
          heap[c] = q;
          while (c > 0) {
            const parent = (c - 1) >> 1;
            if (!worse(heap[c], heap[parent])) break;
            const tmp = heap[c];
            heap[c] = heap[parent];
            heap[parent] = tmp;
            c = parent;
          }
        } else if (worse(heap[0], q)) {
          heap[0] = q;
          let c = 0;
          for (;;) {
            const l = 2 * c + 1;
            const r = l + 1;
            let m = c;
            if (l < h && worse(heap[l], heap[m])) m = l;
            if (r < h && worse(heap[r], heap[m])) m = r;
            if (m === c) break;
            const tmp = heap[c];
            heap[c] = heap[m];
            heap[m] = tmp;
            c = m;
          }
        }
      }
      kept = heap.subarray(0, h);
    }
    if (nTop + kept.length > topPlace.length) {
      const size = Math.max(2 * topPlace.length, nTop + kept.length);
      const bp = new Int32Array(size);
      bp.set(topPlace.subarray(0, nTop));
      const bw = new Float64Array(size);
      bw.set(topWeight.subarray(0, nTop));
      topPlace = bp;
      topWeight = bw;
    }
    for (let z = 0; z < kept.length; z++) {
      topPlace[nTop] = kept[z];
      topWeight[nTop] = acc[kept[z]];
      nTop++;
    }
    topOff[p + 1] = nTop;
    for (let z = 0; z < t; z++) acc[touched[z]] = 0;
  }

  // union of both directions: every kept p -> q as p-q and q-p, grouped by row with ascending
  // neighbours (counting sort by neighbour, then a stable one by row), duplicates dropped
  const m2 = 2 * nTop;
  const src = new Int32Array(m2);
  const dst = new Int32Array(m2);
  const wt = new Float64Array(m2);
  for (let p = 0, e = 0; p < n; p++) {
    for (let z = topOff[p]; z < topOff[p + 1]; z++) {
      const q = topPlace[z];
      src[e] = p;
      dst[e] = q;
      wt[e++] = topWeight[z];
      src[e] = q;
      dst[e] = p;
      wt[e++] = topWeight[z];
    }
  }
  const byDst = countingOrder(dst, n);
  const bySrc = countingOffsets(src, n);
  const cursor = bySrc.slice(0, n);
  const order = new Int32Array(m2);
  for (let z = 0; z < m2; z++) {
    const e = byDst[z];
    order[cursor[src[e]]++] = e;
  }
  const offsets = new Int32Array(n + 1);
  const neighbours = new Int32Array(m2);
  const weights = new Float64Array(m2);
  let w = 0;
  for (let p = 0; p < n; p++) {
    let last = -1;
    for (let z = bySrc[p]; z < bySrc[p + 1]; z++) {
      const e = order[z];
      if (dst[e] === last) continue;
      last = dst[e];
      neighbours[w] = last;
      weights[w++] = wt[e];
    }
    offsets[p + 1] = w;
  }
  return {
    nPlaces: n,
    offsets,
    neighbours: neighbours.slice(0, w),
    weights: weights.slice(0, w),
    nEdges: w / 2,
    k,
    maxPersonPlaces: cap,
    sampled: person.sampled,
  };
}

/** Indices 0..keys.length-1 stably ordered by key (counting sort; keys in 0..nKeys-1). */
function countingOrder(keys: Int32Array, nKeys: number): Int32Array {
  const offsets = countingOffsets(keys, nKeys);
  const order = new Int32Array(keys.length);
  for (let e = 0; e < keys.length; e++) order[offsets[keys[e]]++] = e;
  return order;
}
