/**
 * A forest plot of a scenario's change in ES and BI per area (scenario.csv): the median change over
 * seeds as a dot and its 2.5-97.5 percentile interval over seeds as a line, with a rule at zero. A dot
 * is dark when its interval excludes zero (the change is larger than the seed-to-seed noise).
 */
import type { TopLevelSpec } from 'vega-lite';
import { POINTS_LAYER } from './chart-data.js';
import { CLEAR_COLOUR, UNCLEAR_COLOUR } from './palette.js';
import type { ReportFigure } from './report-data.js';
import type { ScenarioRow } from './scenario-rows.js';
import { signed } from './format.js';

export const FOREST_MEASURES = [
  { measure: 'es', label: 'change in exposure segregation (ES)' },
  { measure: 'bi', label: 'change in bridging index (BI)' },
] as const;

const CLEAR = 'interval excludes 0';
const UNCLEAR = 'interval includes 0';

function panel(level: string, measure: string, label: string, rows: ScenarioRow[], order: string[]): object {
  const data = rows.map((r) => ({ area: r.areaName, delta: r.delta, low: r.deltaLow, high: r.deltaHigh, clear: r.excludesZero ? CLEAR : UNCLEAR, tip: `${r.areaName}: ${measure.toUpperCase()} ${signed(r.delta, 4)} [${signed(r.deltaLow, 4)}, ${signed(r.deltaHigh, 4)}] over ${r.nSeeds} seeds` }));
  const y = { field: 'area', type: 'nominal', title: null, sort: order } as const;
  const colour = { field: 'clear', type: 'nominal', title: null, scale: { domain: [CLEAR, UNCLEAR], range: [CLEAR_COLOUR, UNCLEAR_COLOUR] }, legend: { orient: 'bottom' } } as const;
  const x = { field: 'delta', type: 'quantitative', title: label, scale: { zero: true, nice: true } } as const;
  return {
    width: 280,
    height: Math.max(60, 24 * order.length),
    layer: [
      { data: { values: [{}] }, mark: { type: 'rule', color: '#444', strokeDash: [4, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
      {
        data: { values: data.filter((d) => Number.isFinite(d.low) && Number.isFinite(d.high)) },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: { y, x: { field: 'low', type: 'quantitative', title: label }, x2: { field: 'high' }, color: colour },
      },
      {
        name: `${POINTS_LAYER}forest_${level}_${measure}`,
        data: { values: data.filter((d) => Number.isFinite(d.delta)) },
        mark: { type: 'circle', size: 70, opacity: 1 },
        encoding: {
          y,
          x,
          color: colour,
          description: { field: 'tip' },
        },
      },
    ],
  };
}

export function scenarioForestFigure(rows: readonly ScenarioRow[], level: 'msa' | 'county'): ReportFigure | null {
  const atLevel = rows.filter((r) => r.level === level);
  const panels: object[] = [];
  const order = [...new Set(atLevel.filter((r) => FOREST_MEASURES.some((m) => m.measure === r.measure)).map((r) => r.areaName))];
  for (const { measure, label } of FOREST_MEASURES) {
    const mine = atLevel.filter((r) => r.measure === measure);
    if (mine.some((r) => Number.isFinite(r.delta))) panels.push(panel(level, measure, label, mine, order));
  }
  if (panels.length === 0) return null;
  const seeds = [...new Set(atLevel.map((r) => r.nSeeds).filter(Number.isFinite))];
  // ES = 1 by definition on a boundary fit (tau^2 = 0, SPEC section 3): say where, so a jump of ES to 1
  // is not read as more segregation
  const boundary = atLevel.filter((r) => r.measure === 'boundary_fit' && r.counterfactualHigh > 0).map((r) => r.areaName);
  const areas = level === 'msa' ? 'MSA' : 'county';
  return {
    id: `scenario-forest-${level}`,
    heading: `Scenario: change in ES and BI per ${areas}`,
    note: 'Each row is one area. The dot is how much the scenario changes the measure (counterfactual minus baseline, the median over the random seeds); the line is the range that 95% of the seeds fall in. Left of the dashed zero line the measure goes down: for ES that means less segregated encounters, for BI fewer bridging encounters. A line that crosses zero means the change is within the noise of the simulation.',
    caption: `${order.length} ${areas === 'MSA' ? 'MSAs' : 'counties'}; ${seeds.length === 1 ? `${seeds[0]} seeds` : seeds.length > 1 ? `${Math.min(...seeds)}–${Math.max(...seeds)} seeds` : 'seeds not given'}. Dots: median change over seeds (scenario.csv delta); lines: its 2.5 and 97.5 percentiles over seeds (delta_low, delta_high); dark when the interval excludes zero.${
      boundary.length > 0
        ? ` After the scenario the fit of ${boundary.join(', ')} is on the boundary tau² = 0 in some seeds, where ES = 1 by definition however small the slope: read the naive ES (es_naive in scenario.csv) there.`
        : ''
    }`,
    specs: [{ hconcat: panels, spacing: 30, resolve: { scale: { y: 'shared', color: 'shared' } } } as TopLevelSpec],
  };
}
