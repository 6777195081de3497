import { describe, it, expect } from 'vitest';
import { applyIntervention } from '../../src/scenarios/apply.js';
import { interventionSchema } from '../../src/scenarios/interventions.js';
import { visitColumns } from '../../src/scenarios/world-index.js';
import { handWorld } from './helpers.js';

const DAY = 86400;
const H = 3600;
const day0 = 20 * DAY; // a UTC midnight

/** One person, a shop and a park; visits at given local-clock hours of day0 (hours as [start, end]). */
function world(hours: Array<[number, number, string]>) {
  return handWorld(
    [{ id: 'p', ses: 1, household: 'h' }],
    [
      { id: 'shop', category: 'shop' },
      { id: 'park', category: 'park' },
    ],
    hours.map(([s, e, place]) => ({ person: 'p', place, start: day0 + s * H, end: day0 + e * H })),
  );
}

const filter = (extra: Record<string, unknown>) => interventionSchema.parse({ type: 'filter-encounters', ...extra });
const ctx = { seed: 1, index: 0, baseline: null, dayOffsetSeconds: 0 };

describe('filter-encounters', () => {
  it('hours [9, 17): keeps visits starting inside, cuts their end at 17:00, drops the others', () => {
    const w = world([
      [8, 10, 'shop'], // starts before 9: dropped
      [9, 10, 'shop'], // kept
      [16, 19, 'park'], // kept, end cut to 17
      [17, 18, 'park'], // starts at 17: dropped ([9, 17) excludes 17)
    ]);
    const { world: out, counts, estimateOptions } = applyIntervention(w, filter({ hours: [9, 17] }), ctx);
    const v = visitColumns(out);
    expect(Array.from(v.start, (s) => (s - day0) / H)).toEqual([9, 16]);
    expect(Array.from(v.end, (e) => (e - day0) / H)).toEqual([10, 17]);
    expect(counts).toEqual({ visits_outside_hours: 2, visits_outside_categories: 0, visits_cut_at_window_close: 1, visits_kept: 2 });
    expect(estimateOptions).toEqual({});
  });

  it('a window past midnight [22, 6) and the run’s day offset (local = UTC + offset)', () => {
    const w = world([
      [23, 30, 'shop'], // 23:00 to 06:00 next day: kept whole (closes at 06:00 next day)
      [23, 31, 'shop'], // cut at 06:00 next day
      [5, 7, 'park'], // 05:00: kept, cut at 06:00
      [12, 13, 'park'], // dropped
    ]);
    const { world: out, counts } = applyIntervention(w, filter({ hours: [22, 6] }), ctx);
    const v = visitColumns(out);
    expect(Array.from(v.end, (e) => (e - day0) / H)).toEqual([30, 30, 6]);
    expect(counts.visits_outside_hours).toBe(1);
    // with local = UTC + 2 h, 12:00 UTC is 14:00 local: inside [13, 15); 23:00 UTC is 01:00 local: outside
    const shifted = applyIntervention(w, filter({ hours: [13, 15] }), { ...ctx, dayOffsetSeconds: 2 * H });
    expect(Array.from(visitColumns(shifted.world).start, (s) => (s - day0) / H)).toEqual([12]);
    // and its close, 15:00 local, is 13:00 UTC
    expect(Array.from(visitColumns(shifted.world).end, (e) => (e - day0) / H)).toEqual([13]);
  });

  it('[0, 24] keeps the whole day uncut; categories keep only those places', () => {
    const w = world([
      [23, 26, 'shop'],
      [10, 11, 'park'],
    ]);
    const all = applyIntervention(w, filter({ hours: [0, 24] }), ctx);
    expect(all.world).toBe(w);
    const parks = applyIntervention(w, filter({ categories: ['park'] }), ctx);
    expect(Array.from(visitColumns(parks.world).start, (s) => (s - day0) / H)).toEqual([10]);
    expect(parks.counts.visits_outside_categories).toBe(1);
  });

  it('exclude_same_home and min_days become estimator options; the visits stay', () => {
    const w = world([[10, 11, 'park']]);
    const { world: out, estimateOptions } = applyIntervention(w, filter({ exclude_same_home: true, min_days: 2 }), ctx);
    expect(out).toBe(w);
    expect(estimateOptions).toEqual({ excludeSameHome: true, minDays: 2 });
  });
});
