/**
 * What the planner page shows of a finished run, read back from the files the run wrote (the files of
 * `mobiseg scenario`, so the page's numbers are the CLI's): the ES and BI rows of scenario.csv as their
 * CSV cells (the page formats them for reading and keeps the cells for checking), the report's forest
 * plots and places map drawn to SVG by the report's renderer, and its top-places table.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSmallTable } from '../io/small-table.js';
import { scenarioForestFigure } from '../report/html/chart-scenario-forest.js';
import { scenarioPlacesFigure } from '../report/html/chart-scenario-places.js';
import { figureSvgs } from '../report/html/render-report.js';
import type { ReportFigure } from '../report/html/report-data.js';
import { placeRows, scenarioRows } from '../report/html/scenario-rows.js';
import { topPlacesTableHtml } from '../report/html/scenario-tables-html.js';

/** The measures of the before/after table. */
export const TABLE_MEASURES = ['es', 'bi'];

export interface PlannerFigure {
  id: string;
  heading: string;
  note: string;
  caption: string;
  /** one SVG per panel */
  svgs: string[];
}

export interface PlannerResult {
  /** scenario.csv's rows for ES and BI: column name -> the cell as written */
  rows: Array<Record<string, string>>;
  figures: PlannerFigure[];
  /** the report's table of the places the scenario changes most (HTML, escaped) */
  topPlacesHtml: string;
}

export async function plannerResult(outDir: string): Promise<PlannerResult> {
  const table = await readSmallTable(join(outDir, 'scenario.csv'));
  const measure = table.text('measure');
  const cells = table.names.map((name) => [name, table.text(name)] as const);
  const rows: PlannerResult['rows'] = [];
  for (let k = 0; k < table.nRows; k++) if (TABLE_MEASURES.includes(measure[k].trim())) rows.push(Object.fromEntries(cells.map(([name, c]) => [name, c[k]])));
  const placesFile = join(outDir, 'scenario-places.csv');
  const places = existsSync(placesFile) ? placeRows(await readSmallTable(placesFile)) : [];
  const scenario = scenarioRows(table);
  const drawn = [scenarioForestFigure(scenario, 'msa'), scenarioForestFigure(scenario, 'county'), scenarioPlacesFigure(places)].filter((f): f is ReportFigure => f !== null);
  const figures: PlannerFigure[] = [];
  for (const f of drawn) figures.push({ id: f.id, heading: f.heading, note: f.note, caption: f.caption, svgs: await figureSvgs(f) });
  return { rows, figures, topPlacesHtml: places.length > 0 ? topPlacesTableHtml(places) : '' };
}
