/**
 * Which place a visit goes to: a gravity model with SES-price affinity,
 *   weight(place j | home h, SES rank r) = exp(-dist(h, j) / D) * exp(-a_c * |r - p_j|),
 * D the distance-decay scale (km), a_c the SES-price affinity of the category, p_j the place's price rank
 * in (0, 1) within its MSA and category, r the person's price taste rank in (0, 1) within the MSA (a
 * Huff 1963 gravity choice with exponential distance deterrence, times an SES-price homophily term).
 * The anchor is home or the workplace. Persons of a household share home and taste, so a home table is
 * built once per household and category; a workplace table once per person.
 */
import type { Rng } from '../math/random.js';
import { sampleCumulative } from './distributions.js';

export interface CategoryPlaces {
  /** Global place indices of this (MSA, category), and their coordinates and price ranks. */
  readonly index: Int32Array;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly pricePosition: Float64Array;
}

/** Cumulative gravity table of one (anchor, taste) over one (MSA, category), rebuilt when its key changes. */
export class GravityTable {
  private readonly cum: Float64Array;
  private builtFor = -1;

  constructor(readonly places: CategoryPlaces, private readonly decayKm: number, private readonly affinity: number) {
    this.cum = new Float64Array(places.index.length);
  }

  /**
   * Draw a place (global index) from the anchor (hx, hy) with taste rank r; `key` names the (anchor,
   * rank) pair (a household, or a person), so the table is rebuilt only when it changes. The weights
   * are computed in log space relative to the largest, so far-away anchors never underflow to an
   * all-zero table.
   */
  sample(rng: Rng, key: number, hx: number, hy: number, rank: number): number {
    if (this.builtFor !== key) {
      const { x, y, pricePosition } = this.places;
      const n = x.length;
      let maxLog = -Infinity;
      for (let j = 0; j < n; j++) {
        const l = -Math.hypot(x[j] - hx, y[j] - hy) / this.decayKm - this.affinity * Math.abs(rank - pricePosition[j]);
        this.cum[j] = l;
        if (l > maxLog) maxLog = l;
      }
      let s = 0;
      for (let j = 0; j < n; j++) {
        s += Math.exp(this.cum[j] - maxLog);
        this.cum[j] = s;
      }
      this.builtFor = key;
    }
    return this.places.index[sampleCumulative(rng, this.cum)];
  }
}

/**
 * A cross-MSA trip: the destination MSA's place of the category by SES-price affinity alone,
 * weight exp(-a_c * |r - p_j|) (home is outside that MSA, so distance does not discriminate).
 */
export function sampleByAffinity(rng: Rng, places: CategoryPlaces, affinity: number, rank: number, scratch: Float64Array): number {
  const n = places.index.length;
  let s = 0;
  for (let j = 0; j < n; j++) {
    s += Math.exp(-affinity * Math.abs(rank - places.pricePosition[j]));
    scratch[j] = s;
  }
  return places.index[sampleCumulative(rng, scratch, n)];
}
