/**
 * The tables a scenario writes (SPEC section 8):
 *   scenario.csv         per level, area and measure: baseline, counterfactual and their difference,
 *                        each as the median over seeds with the 2.5% and 97.5% percentiles (type 7);
 *   scenario-seeds.csv   the same per seed (what the percentiles are taken of);
 *   scenario-places.csv  per place, ranked by |change in cross-SES co-presences|: visits, visitors and
 *                        cross-SES co-presences before and after (means over seeds).
 */
import { columnTable, type ColumnTable } from '../io/column-table.js';
import { summariseAreas, summarisePlaces, type ScenarioResult } from './run-scenario.js';

export function scenarioTable(r: ScenarioResult): ColumnTable {
  const rows = summariseAreas(r);
  const num = (f: (x: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
  return columnTable([
    { name: 'level', values: rows.map((x) => x.key.level) },
    { name: 'area', values: rows.map((x) => x.key.area) },
    { name: 'area_name', values: rows.map((x) => x.key.name) },
    { name: 'measure', values: rows.map((x) => x.measure) },
    { name: 'n_seeds', values: num((x) => x.nSeeds) },
    { name: 'baseline', values: num((x) => x.baseline[1]) },
    { name: 'baseline_low', values: num((x) => x.baseline[0]) },
    { name: 'baseline_high', values: num((x) => x.baseline[2]) },
    { name: 'counterfactual', values: num((x) => x.counterfactual[1]) },
    { name: 'counterfactual_low', values: num((x) => x.counterfactual[0]) },
    { name: 'counterfactual_high', values: num((x) => x.counterfactual[2]) },
    { name: 'delta', values: num((x) => x.delta[1]) },
    { name: 'delta_low', values: num((x) => x.delta[0]) },
    { name: 'delta_high', values: num((x) => x.delta[2]) },
    { name: 'excludes_zero', values: rows.map((x) => (Number.isFinite(x.delta[0]) ? String(x.delta[0] > 0 || x.delta[2] < 0) : null)) },
  ]);
}

export function scenarioSeedsTable(r: ScenarioResult): ColumnTable {
  const level: string[] = [];
  const area: string[] = [];
  const measure: string[] = [];
  const seed: string[] = [];
  const baseline: number[] = [];
  const counterfactual: number[] = [];
  for (const key of r.areas) {
    const id = `${key.level}\t${key.area}`;
    for (const s of r.perSeed) {
      const b = s.baseline.get(id);
      const c = s.counterfactual.get(id);
      for (const m of b?.keys() ?? []) {
        level.push(key.level);
        area.push(key.area);
        measure.push(m);
        seed.push(String(s.seed));
        baseline.push(b!.get(m)!);
        counterfactual.push(c?.get(m) ?? NaN);
      }
    }
  }
  return columnTable([
    { name: 'level', values: level },
    { name: 'area', values: area },
    { name: 'measure', values: measure },
    { name: 'seed', values: seed },
    { name: 'baseline', values: Float64Array.from(baseline) },
    { name: 'counterfactual', values: Float64Array.from(counterfactual) },
    { name: 'delta', values: Float64Array.from(baseline, (b, k) => counterfactual[k] - b) },
  ]);
}

export function scenarioPlacesTable(r: ScenarioResult): ColumnTable {
  const rows = summarisePlaces(r);
  const num = (f: (x: (typeof rows)[number], k: number) => number) => Float64Array.from(rows, f);
  return columnTable([
    { name: 'rank', values: num((_, k) => k + 1) },
    { name: 'place_id', values: rows.map((x) => x.id) },
    { name: 'category', values: rows.map((x) => x.category) },
    { name: 'msa', values: rows.map((x) => x.msa) },
    { name: 'lat', values: num((x) => x.lat) },
    { name: 'lon', values: num((x) => x.lon) },
    { name: 'hub', values: rows.map((x) => String(x.hub)) },
    { name: 'n_seeds', values: num((x) => x.nSeeds) },
    { name: 'baseline_visits', values: num((x) => x.baseline.visits) },
    { name: 'counterfactual_visits', values: num((x) => x.counterfactual.visits) },
    { name: 'visits_change', values: num((x) => x.counterfactual.visits - x.baseline.visits) },
    { name: 'baseline_visitors', values: num((x) => x.baseline.visitors) },
    { name: 'counterfactual_visitors', values: num((x) => x.counterfactual.visitors) },
    { name: 'baseline_cross', values: num((x) => x.baseline.cross) },
    { name: 'counterfactual_cross', values: num((x) => x.counterfactual.cross) },
    { name: 'cross_change', values: num((x) => x.counterfactual.cross - x.baseline.cross) },
  ]);
}
