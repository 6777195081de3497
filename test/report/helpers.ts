/** Small hand-made tables, row counts of written ones, and a reader of the data marks of report.html's SVG charts. */
import { readSmallTable, smallTableOf, type SmallTable } from '../../src/io/small-table.js';

/** A SmallTable from columns of cells (numbers written as JavaScript prints them, NaN as ''). */
export function tableOf(file: string, columns: Record<string, Array<string | number>>): SmallTable {
  const names = Object.keys(columns);
  const cells = new Map(names.map((n) => [n, columns[n].map((v) => (typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : v))]));
  return smallTableOf(file, names, cells, names.length === 0 ? 0 : columns[names[0]].length);
}

/** The HTML of one figure (by its data-chart id), or null. */
export function figureHtml(html: string, chart: string): string | null {
  const start = html.indexOf(`<figure data-chart="${chart}">`);
  if (start < 0) return null;
  return html.slice(start, html.indexOf('</figure>', start));
}

/**
 * Data marks per named symbol layer of a figure: vega writes each symbol layer as
 * <g class="mark-symbol role-mark NAME_marks"> holding one <path> per mark (and nothing else).
 */
export function symbolMarks(html: string, chart: string): Record<string, number> {
  const fig = figureHtml(html, chart);
  if (fig === null) throw new Error(`no figure ${chart}`);
  const out: Record<string, number> = {};
  for (const m of fig.matchAll(/<g class="mark-symbol role-mark ([^"]+)_marks"[^>]*>/g)) {
    const end = fig.indexOf('</g>', m.index!);
    out[m[1]] = (out[m[1]] ?? 0) + (fig.slice(m.index!, end).match(/<path /g) ?? []).length;
  }
  return out;
}

/** Rows of a table file whose named columns are all finite (what a chart draws one mark for). */
export async function finiteRowCount(file: string, columns: string[]): Promise<number> {
  const t = await readSmallTable(file);
  const cols = columns.map((c) => t.numbers(c, { allowMissing: true }));
  let n = 0;
  for (let k = 0; k < t.nRows; k++) if (cols.every((v) => Number.isFinite(v[k]))) n++;
  return n;
}
