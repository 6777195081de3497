/**
 * The key tables of a run as HTML: msa.csv's main columns, a county summary (and the counties
 * themselves when there are few), comparison.csv and a calibration's headline facts.
 */
import type { SmallTable } from '../../io/small-table.js';
import { median } from '../../math/stats.js';
import { numbersOrNull, textOrNull } from './chart-data.js';
import { count, fixed, signed } from './format.js';
import { htmlTable, type TableColumn } from './html-table.js';
import { RESIDENTIAL_LABELS } from './chart-residential.js';

/** Counties listed one by one up to this many (beyond: the summary only; county.csv has them all). */
export const MAX_LISTED_COUNTIES = 60;

interface Cell {
  column: TableColumn;
  cell: (k: number) => string;
}

/** Columns of `table` that exist, in order; a cell function per column. */
function cells(table: SmallTable, wanted: Array<{ name: string; column: TableColumn; format?: (x: number) => string; text?: boolean }>): Cell[] {
  const out: Cell[] = [];
  for (const w of wanted) {
    if (!table.has(w.name)) continue;
    if (w.text) {
      const t = table.text(w.name);
      out.push({ column: w.column, cell: (k) => t[k] });
    } else {
      const v = table.numbers(w.name, { allowMissing: true });
      const f = w.format ?? ((x: number) => fixed(x));
      out.push({ column: w.column, cell: (k) => f(v[k]) });
    }
  }
  return out;
}

function tableOf(table: SmallTable, cols: Cell[], rows: number[]): string {
  return htmlTable(cols.map((c) => c.column), rows.map((k) => cols.map((c) => c.cell(k))));
}

/** A 95% interval column from two columns ("[0.41, 0.46]", '-' when missing). */
function intervalCell(table: SmallTable, low: string, high: string, header: string, title: string): Cell[] {
  const lo = numbersOrNull(table, low);
  const hi = numbersOrNull(table, high);
  if (!lo || !hi) return [];
  return [{ column: { header, numeric: true, title }, cell: (k) => (Number.isFinite(lo[k]) && Number.isFinite(hi[k]) ? `[${fixed(lo[k])}, ${fixed(hi[k])}]` : '-') }];
}

const ES = { header: 'ES', numeric: true, title: 'exposure segregation (REML), 0 = integrated, 1 = segregated' };
const BI = { header: 'BI', numeric: true, title: 'bridging index: low-SES persons\' share of high-SES partners over random mixing' };

export function msaTableHtml(msa: SmallTable): string {
  const first = cells(msa, [
    { name: 'msa', column: { header: 'MSA' }, text: true },
    { name: 'exposure_segregation', column: ES },
  ]);
  const rest = cells(msa, [
    { name: 'es_naive', column: { header: 'naive ES', numeric: true, title: 'correlation of own SES with mean partner SES (biased toward 0)' } },
    { name: 'bridging_index', column: BI },
    { name: 'ec', column: { header: 'ec', numeric: true, title: 'economic connectedness (Chetty et al.)' } },
    { name: 'n_people', column: { header: 'people fitted', numeric: true }, format: count },
    { name: 'n_residents', column: { header: 'residents', numeric: true }, format: count },
    { name: 'note', column: { header: 'note' }, text: true },
  ]);
  const cols = [...first, ...intervalCell(msa, 'es_ci_low', 'es_ci_high', 'ES 95% CI', 'bootstrap percentile interval over persons'), ...rest];
  return tableOf(msa, cols, Array.from({ length: msa.nRows }, (_, k) => k));
}

/** n with a value, min, median, max of one column. */
function summaryRow(label: string, v: Float64Array | null): string[] | null {
  if (!v) return null;
  const finite = Array.from(v).filter(Number.isFinite);
  if (finite.length === 0) return [label, '0', '-', '-', '-'];
  return [label, count(finite.length), fixed(Math.min(...finite)), fixed(median(finite)), fixed(Math.max(...finite))];
}

export function countySummaryHtml(county: SmallTable): string {
  const rows = [
    summaryRow('ES', numbersOrNull(county, 'exposure_segregation')),
    summaryRow('smoothed ES', numbersOrNull(county, 'exposure_segregation_smoothed')),
    summaryRow('BI', numbersOrNull(county, 'bridging_index')),
  ].filter((r): r is string[] => r !== null);
  const summary = htmlTable(
    [{ header: 'measure' }, { header: 'counties with a value', numeric: true }, { header: 'lowest', numeric: true }, { header: 'median', numeric: true }, { header: 'highest', numeric: true }],
    rows,
    `${count(county.nRows)} counties`,
  );
  if (county.nRows > MAX_LISTED_COUNTIES) return `${summary}\n<p class="small">${count(county.nRows)} counties are too many to list here: county.csv has them all.</p>`;
  const cols = cells(county, [
    { name: 'fips_code', column: { header: 'FIPS' }, text: true },
    { name: 'county_name', column: { header: 'county' }, text: true },
    { name: 'exposure_segregation', column: ES },
    { name: 'exposure_segregation_smoothed', column: { header: 'smoothed ES', numeric: true, title: 'half own ES, half the mean of the 5 nearest counties' } },
    { name: 'bridging_index', column: BI },
    { name: 'n_people', column: { header: 'people fitted', numeric: true }, format: count },
    { name: 'note', column: { header: 'note' }, text: true },
  ]);
  return `${summary}\n${tableOf(county, cols, Array.from({ length: county.nRows }, (_, k) => k))}`;
}

export function comparisonTableHtml(comparison: SmallTable): string {
  const level = textOrNull(comparison, 'level');
  const index = textOrNull(comparison, 'index');
  if (!level || !index) return '';
  const cols = cells(comparison, [
    { name: 'level', column: { header: 'level' }, text: true },
    { name: 'index', column: { header: 'residential index' }, text: true },
    { name: 'n_es', column: { header: 'areas', numeric: true }, format: count },
    { name: 'pearson_es', column: { header: 'Pearson with ES', numeric: true }, format: (x) => signed(x, 2) },
    { name: 'spearman_es', column: { header: 'Spearman with ES', numeric: true }, format: (x) => signed(x, 2) },
    { name: 'pearson_bi', column: { header: 'Pearson with BI', numeric: true }, format: (x) => signed(x, 2) },
    { name: 'spearman_bi', column: { header: 'Spearman with BI', numeric: true }, format: (x) => signed(x, 2) },
  ]);
  const described = cols.map((c, k) => (k === 1 ? { ...c, cell: (r: number) => `${RESIDENTIAL_LABELS[index[r]] ?? index[r]} (${index[r]})` } : c));
  return tableOf(comparison, described, Array.from({ length: comparison.nRows }, (_, k) => k));
}

export function calibrationTableHtml(calibration: SmallTable): string {
  const cols = cells(calibration, [
    { name: 'fact', column: { header: 'headline fact' }, text: true },
    { name: 'paper', column: { header: 'paper', numeric: true } },
    { name: 'published', column: { header: 'published MSAs', numeric: true } },
    { name: 'simulated', column: { header: 'simulated MSAs', numeric: true } },
  ]);
  return tableOf(calibration, cols, Array.from({ length: calibration.nRows }, (_, k) => k));
}
