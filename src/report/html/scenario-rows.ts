/**
 * The rows of scenario.csv (one per level x area x measure; medians and 2.5/97.5 percentiles over
 * seeds) and scenario-places.csv (one per place, ranked), as the scenario charts and tables read them.
 */
import type { SmallTable } from '../../io/small-table.js';
import { numbersOrNull, textOrNull } from './chart-data.js';

export interface ScenarioRow {
  level: string;
  area: string;
  areaName: string;
  measure: string;
  nSeeds: number;
  baseline: number;
  baselineLow: number;
  baselineHigh: number;
  counterfactual: number;
  counterfactualLow: number;
  counterfactualHigh: number;
  delta: number;
  deltaLow: number;
  deltaHigh: number;
  excludesZero: boolean;
}

/** scenario.csv as rows (the schema's columns are required). */
export function scenarioRows(t: SmallTable): ScenarioRow[] {
  const text = (c: string) => t.text(c).map((s) => s.trim());
  const num = (c: string) => t.numbers(c, { allowMissing: true });
  const [level, area, areaName, measure, excl] = ['level', 'area', 'area_name', 'measure', 'excludes_zero'].map(text);
  const [nSeeds, b, bl, bh, c, cl, ch, d, dl, dh] = ['n_seeds', 'baseline', 'baseline_low', 'baseline_high', 'counterfactual', 'counterfactual_low', 'counterfactual_high', 'delta', 'delta_low', 'delta_high'].map(num);
  return level.map((_, k) => ({
    level: level[k],
    area: area[k],
    areaName: areaName[k] || area[k],
    measure: measure[k],
    nSeeds: nSeeds[k],
    baseline: b[k],
    baselineLow: bl[k],
    baselineHigh: bh[k],
    counterfactual: c[k],
    counterfactualLow: cl[k],
    counterfactualHigh: ch[k],
    delta: d[k],
    deltaLow: dl[k],
    deltaHigh: dh[k],
    excludesZero: excl[k].toLowerCase() === 'true',
  }));
}

export interface PlaceRow {
  rank: number;
  placeId: string;
  category: string;
  msa: string;
  lat: number;
  lon: number;
  hub: boolean;
  baselineVisits: number;
  counterfactualVisits: number;
  visitsChange: number;
  baselineCross: number;
  counterfactualCross: number;
  crossChange: number;
}

/** scenario-places.csv as rows, by rank (lat/lon may be missing: NaN). */
export function placeRows(t: SmallTable): PlaceRow[] {
  const text = (c: string) => textOrNull(t, c) ?? Array<string>(t.nRows).fill('');
  const num = (c: string) => t.numbers(c, { allowMissing: true });
  const opt = (c: string) => numbersOrNull(t, c) ?? new Float64Array(t.nRows).fill(NaN);
  const [placeId, category, msa, hub] = ['place_id', 'category', 'msa', 'hub'].map(text);
  const rank = num('rank');
  const [lat, lon] = ['lat', 'lon'].map(opt);
  const [bv, cv, vc, bc, cc, xc] = ['baseline_visits', 'counterfactual_visits', 'visits_change', 'baseline_cross', 'counterfactual_cross', 'cross_change'].map(num);
  const rows = placeId.map((_, k) => ({
    rank: rank[k],
    placeId: placeId[k],
    category: category[k],
    msa: msa[k],
    lat: lat[k],
    lon: lon[k],
    hub: hub[k].toLowerCase() === 'true',
    baselineVisits: bv[k],
    counterfactualVisits: cv[k],
    visitsChange: vc[k],
    baselineCross: bc[k],
    counterfactualCross: cc[k],
    crossChange: xc[k],
  }));
  return rows.sort((a, b) => a.rank - b.rank || (a.placeId < b.placeId ? -1 : a.placeId > b.placeId ? 1 : 0));
}
