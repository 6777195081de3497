/**
 * filter-encounters (SPEC section 8): the paper's encounter definitions as a scenario step.
 *  - exclude_same_home, min_days: passed on as estimator options (excludeSameHome, minDays) for the
 *    estimates of the counterfactual world (SPEC section 2);
 *  - hours [from, to): a visit is kept when its start falls in the window of local time of day
 *    (local = epoch seconds + the run's day offset; from > to wraps past midnight, e.g. [22, 6)), and its
 *    end is cut at the window's close, so no co-presence outside the hours is counted; [0, 24] keeps all;
 *  - categories: only visits to places of these categories are kept.
 * Dropped and cut visits are counted. Persons and places are unchanged.
 */
import type { EncounterOptions } from '../estimate/encounter-stage.js';
import type { World } from '../estimate/world.js';
import type { FilterEncounters } from './interventions.js';
import { categoryMask, type WorldIndex } from './world-index.js';

const DAY = 86400;

export interface FilterResult {
  world: World;
  estimateOptions: Partial<EncounterOptions>;
  counts: Record<string, number>;
}

export function filterEncounters(index: WorldIndex, step: FilterEncounters, dayOffsetSeconds: number): FilterResult {
  const estimateOptions: Partial<EncounterOptions> = {};
  if (step.exclude_same_home !== undefined) estimateOptions.excludeSameHome = step.exclude_same_home;
  if (step.min_days !== undefined) estimateOptions.minDays = step.min_days;
  const counts: Record<string, number> = { visits_outside_hours: 0, visits_outside_categories: 0, visits_cut_at_window_close: 0 };
  const hours = step.hours && !(step.hours[0] === 0 && step.hours[1] === 24) ? step.hours : null;
  if (!hours && !step.categories) return { world: index.world, estimateOptions, counts };
  const from = hours ? hours[0] * 3600 : 0;
  const to = hours ? hours[1] * 3600 : DAY;
  const keepCategory = categoryMask(index, step.categories);
  const { person, place, start, end } = index.visits;
  const n = place.length;
  const out = { person: new Int32Array(n), place: new Int32Array(n), start: new Float64Array(n), end: new Float64Array(n) };
  let m = 0;
  for (let r = 0; r < n; r++) {
    const c = index.placeCategory[place[r]];
    if (step.categories && (c < 0 || !keepCategory[c])) {
      counts.visits_outside_categories++;
      continue;
    }
    let e = end[r];
    if (hours) {
      const local = start[r] + dayOffsetSeconds;
      const midnight = Math.floor(local / DAY) * DAY;
      const time = local - midnight;
      const inside = from < to ? time >= from && time < to : time >= from || time < to;
      if (!inside) {
        counts.visits_outside_hours++;
        continue;
      }
      // the window's close after the start, back in epoch seconds
      const close = (from < to || time < to ? midnight + to : midnight + DAY + to) - dayOffsetSeconds;
      if (e > close) {
        e = close;
        counts.visits_cut_at_window_close++;
      }
    }
    out.person[m] = person[r];
    out.place[m] = place[r];
    out.start[m] = start[r];
    out.end[m] = e;
    m++;
  }
  counts.visits_kept = m;
  const chunk = { person: out.person.slice(0, m), place: out.place.slice(0, m), start: out.start.slice(0, m), end: out.end.slice(0, m) };
  const world: World = { ...index.world, visits: { ...index.world.visits!, chunks: m > 0 ? [chunk] : [], rows: m } };
  return { world, estimateOptions, counts };
}
