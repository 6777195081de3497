/** A scenario's tables as HTML: before and after per area and measure, and the top places. */
import { count, fixed, signed } from './format.js';
import { htmlTable } from './html-table.js';
import type { PlaceRow, ScenarioRow } from './scenario-rows.js';

/** Places listed in the top-places table. */
export const TOP_PLACES = 20;

/** A median with its interval over seeds: "0.439 [0.431, 0.447]". */
function withInterval(x: number, lo: number, hi: number, f: (x: number) => string): string {
  return Number.isFinite(lo) && Number.isFinite(hi) ? `${f(x)} [${f(lo)}, ${f(hi)}]` : f(x);
}

export function scenarioTableHtml(rows: readonly ScenarioRow[]): string {
  const plain = (x: number) => fixed(x);
  return htmlTable(
    [
      { header: 'level' },
      { header: 'area' },
      { header: 'measure' },
      { header: 'baseline [95% over seeds]', numeric: true },
      { header: 'scenario [95% over seeds]', numeric: true },
      { header: 'change [95% over seeds]', numeric: true },
      { header: 'beyond noise', title: 'the change\'s interval over seeds excludes zero' },
    ],
    rows.map((r) => [
      r.level,
      r.areaName,
      r.measure,
      withInterval(r.baseline, r.baselineLow, r.baselineHigh, plain),
      withInterval(r.counterfactual, r.counterfactualLow, r.counterfactualHigh, plain),
      withInterval(r.delta, r.deltaLow, r.deltaHigh, (x) => signed(x)),
      r.excludesZero ? 'yes' : 'no',
    ]),
  );
}

export function topPlacesTableHtml(places: readonly PlaceRow[]): string {
  const num = (header: string, title?: string) => ({ header, numeric: true, title });
  const beforeAfter = (a: number, b: number) => `${fixed(a, 1)} \u2192 ${fixed(b, 1)}`;
  return htmlTable(
    [num('rank'), { header: 'place' }, { header: 'category' }, { header: 'MSA' }, num('visits before \u2192 after'), num('change'), num('cross-income before \u2192 after', 'co-presences of a low-SES person with a high-SES partner'), num('change')],
    places.slice(0, TOP_PLACES).map((p) => [
      count(p.rank),
      p.hub ? `${p.placeId} (added)` : p.placeId,
      p.category,
      p.msa,
      beforeAfter(p.baselineVisits, p.counterfactualVisits),
      signed(p.visitsChange, 1),
      beforeAfter(p.baselineCross, p.counterfactualCross),
      signed(p.crossChange, 1),
    ]),
  );
}
