/**
 * The random draws of one intervention step, keyed (math/keyed-random.ts) by (scenario seed, step index)
 * and by the stable identity of what is drawn for:
 *  - a visit: its person id, place id (the place it has when the step starts), start and end; so the
 *    same visit gets the same draws wherever it sits in the file (identical rows get identical draws);
 *  - a person or a household: the text of the person id (a household: that of its representative).
 * Draw 0 of a visit decides whether it is selected (u < share), draws 1, 2, ... make its choice.
 */
import { absorb, float64Words, fmix32, idHashes, keyedUniform, streamKey, type IdSource, type Key2 } from '../math/keyed-random.js';
import type { VisitArrays } from '../io/load-visits.js';

/** Id hashes are computed once per id table (persons are shared by every step and seed). */
const hashCache = new WeakMap<IdSource, { a: Int32Array; b: Int32Array; size: number }>();

function cachedHashes(ids: IdSource): { a: Int32Array; b: Int32Array } {
  const hit = hashCache.get(ids);
  if (hit && hit.size === ids.size) return hit;
  const h = { ...idHashes(ids), size: ids.size };
  hashCache.set(ids, h);
  return h;
}

const words = new Int32Array(4);

export class StepDraws {
  readonly stream: Key2;
  private readonly personA: Int32Array;
  private readonly personB: Int32Array;
  private readonly placeA: Int32Array;
  private readonly placeB: Int32Array;
  /** the key of the record last set */
  a = 0;
  b = 0;

  constructor(seed: number | string, stepIndex: number, persons: IdSource, places: IdSource, private readonly visits: VisitArrays) {
    this.stream = streamKey(seed, 'intervention', stepIndex);
    const p = cachedHashes(persons);
    const q = cachedHashes(places);
    this.personA = p.a;
    this.personB = p.b;
    this.placeA = q.a;
    this.placeB = q.b;
  }

  /** Key the draws on visit r (person id, place id, start, end; the words of both times read once). */
  visit(r: number): this {
    const { person, place, start, end } = this.visits;
    const i = person[r];
    const q = place[r];
    float64Words(start[r], words, 0);
    float64Words(end[r], words, 2);
    const [s0, s1, e0, e1] = words;
    this.a = fmix32(absorb(absorb(absorb(absorb(absorb(absorb(this.stream.a, this.personA[i]), this.placeA[q]), s0), s1), e0), e1));
    this.b = fmix32(absorb(absorb(absorb(absorb(absorb(absorb(this.stream.b, this.personB[i]), this.placeB[q]), s0), s1), e0), e1));
    return this;
  }

  /** Key the draws on person i (for a household: its representative), with a purpose label. */
  person(i: number, purpose: number): this {
    this.a = fmix32(absorb(absorb(this.stream.a, this.personA[i]), purpose));
    this.b = fmix32(absorb(absorb(this.stream.b, this.personB[i]), purpose));
    return this;
  }

  /** Uniform double in [0, 1): draw number `draw` of the record last keyed. */
  uniform(draw: number): number {
    return keyedUniform(this.a, this.b, draw);
  }
}
