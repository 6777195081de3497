/**
 * When a person goes out: visits per day, a category for each, a start time in the category's opening
 * hours following the hourly activity profile, and a log-normal dwell. A person's visits never overlap:
 * starts are at least a minute apart and each visit ends no later than the next one starts.
 */
import type { Rng } from '../math/random.js';
import type { CitySpec } from './city-spec.js';
import { cumulativeWeights, poissonDraw, sampleCumulative } from './distributions.js';

const DAY_S = 86_400;
const HOUR_S = 3_600;
/** Shortest dwell and shortest gap between the starts of a person's consecutive visits, seconds. */
export const MIN_DWELL_S = 60;

export interface ScheduleTables {
  /** Cumulative visit weights over categories. */
  readonly categoryCum: Float64Array;
  /** Per category: cumulative hourly profile over hours 0..23, zero outside [open_hour, close_hour). */
  readonly hourCum: Float64Array[];
  readonly dwellMedianS: Float64Array;
  readonly dwellLogSd: Float64Array;
  readonly start: number;
  readonly days: number;
}

/** Sampling tables for a spec (category weights, masked hourly profiles, dwell parameters in seconds). */
export function scheduleTables(spec: CitySpec): ScheduleTables {
  const hourCum = spec.categories.map((cat) => {
    const w = spec.mobility.hourly_profile.map((v, h) => (h >= cat.open_hour && h < cat.close_hour ? v : 0));
    return cumulativeWeights(w);
  });
  return {
    categoryCum: cumulativeWeights(spec.categories.map((c) => c.visit_weight)),
    hourCum,
    dwellMedianS: Float64Array.from(spec.categories, (c) => c.dwell_median_minutes * 60),
    dwellLogSd: Float64Array.from(spec.categories, (c) => c.dwell_log_sd),
    start: spec.start,
    days: spec.days,
  };
}

/** Reusable per-person scratch space, grown on demand. */
export class PersonSchedule {
  count = 0;
  start = new Float64Array(64);
  end = new Float64Array(64);
  category = new Int32Array(64);
  private rawStart = new Float64Array(64);
  private rawDwell = new Float64Array(64);
  private rawCategory = new Int32Array(64);
  private order: number[] = [];

  private ensure(n: number): void {
    if (n <= this.start.length) return;
    const size = Math.max(n, 2 * this.start.length);
    const grow = <T extends Float64Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as { new (n: number): T })(size);
      b.set(a);
      return b;
    };
    this.start = grow(this.start);
    this.end = grow(this.end);
    this.category = grow(this.category);
    this.rawStart = grow(this.rawStart);
    this.rawDwell = grow(this.rawDwell);
    this.rawCategory = grow(this.rawCategory);
  }

  /**
   * Draw one person's visits: per day N ~ Poisson(rate); per visit a category (by visit weight), an hour
   * (hourly profile within opening hours), a uniform second in that hour, and a dwell
   * median * exp(sd * z), z ~ N(0, 1), at least a minute. Then, in time order, start_k is moved to at least
   * start_(k-1) + 60 s and end_k = min(start_k + dwell_k, start_(k+1)), so end > start and visits do not
   * overlap. Results: this.count, this.start, this.end, this.category (time order).
   */
  draw(rng: Rng, rate: number, t: ScheduleTables): void {
    let n = 0;
    for (let d = 0; d < t.days; d++) {
      const k = poissonDraw(rng, rate);
      this.ensure(n + k);
      for (let j = 0; j < k; j++) {
        const c = sampleCumulative(rng, t.categoryCum);
        const hour = sampleCumulative(rng, t.hourCum[c]);
        this.rawCategory[n] = c;
        this.rawStart[n] = t.start + d * DAY_S + hour * HOUR_S + rng.int(HOUR_S);
        this.rawDwell[n] = Math.max(MIN_DWELL_S, Math.round(t.dwellMedianS[c] * Math.exp(t.dwellLogSd[c] * rng.normal())));
        n++;
      }
    }
    const order = this.order;
    order.length = n;
    for (let i = 0; i < n; i++) order[i] = i;
    const rawStart = this.rawStart;
    order.sort((a, b) => rawStart[a] - rawStart[b] || a - b);
    for (let k = 0; k < n; k++) {
      const i = order[k];
      let s = rawStart[i];
      if (k > 0 && s < this.start[k - 1] + MIN_DWELL_S) s = this.start[k - 1] + MIN_DWELL_S;
      this.start[k] = s;
      this.end[k] = s + this.rawDwell[i];
      this.category[k] = this.rawCategory[i];
    }
    for (let k = 0; k + 1 < n; k++) if (this.end[k] > this.start[k + 1]) this.end[k] = this.start[k + 1];
    this.count = n;
  }
}
