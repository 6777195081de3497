/**
 * Rows for the charts from the columns of a small table: only rows whose plotted numbers are all finite
 * (a chart draws one mark per such row, and says in its caption how many rows it left out).
 */
import type { SmallTable } from '../../io/small-table.js';

/** Prefix of every layer name whose marks are one per data row (the tests count these marks). */
export const POINTS_LAYER = 'points_';
/** Prefix of the layers of published reference points (grey, behind). */
export const PUBLISHED_LAYER = 'published_';

export type ChartRow = Record<string, number | string | boolean>;

/** A numeric column (missing cells as NaN), or null when the table lacks it. */
export function numbersOrNull(table: SmallTable | undefined, name: string): Float64Array | null {
  return table && table.has(name) ? table.numbers(name, { allowMissing: true }) : null;
}

/** A text column (trimmed), or null when the table lacks it. */
export function textOrNull(table: SmallTable | undefined, name: string): string[] | null {
  return table && table.has(name) ? table.text(name).map((s) => s.trim()) : null;
}

/**
 * Rows k = 0..n-1 with the given numeric fields, kept where every one of them is finite, plus text
 * fields. Field names are the keys of the records.
 */
export function finiteRows(n: number, numbers: Record<string, ArrayLike<number>>, texts: Record<string, readonly string[]> = {}): ChartRow[] {
  const rows: ChartRow[] = [];
  const numeric = Object.entries(numbers);
  const textual = Object.entries(texts);
  for (let k = 0; k < n; k++) {
    if (!numeric.every(([, v]) => Number.isFinite(v[k]))) continue;
    const row: ChartRow = {};
    for (const [name, v] of numeric) row[name] = v[k];
    for (const [name, v] of textual) row[name] = v[k];
    rows.push(row);
  }
  return rows;
}

/** How many rows a chart left out, in words for a caption ("" when none). */
export function leftOut(total: number, drawn: number, what: string, whats = `${what}s`): string {
  const missing = total - drawn;
  return missing > 0 ? ` ${missing} ${missing === 1 ? what : whats} without a value ${missing === 1 ? 'is' : 'are'} not drawn.` : '';
}

/**
 * A linear axis domain for `values`: their range, widened about its middle to at least `minSpan` (two
 * nearby areas should not fill the whole axis and look far apart) and then shifted back inside `bounds`
 * (a share never shows an axis past 1), plus 6% of it on each side so that no dot sits on the frame.
 * [0, 1] for no finite value.
 */
export function paddedDomain(values: readonly number[], minSpan: number, bounds: [number, number] = [-Infinity, Infinity]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < minSpan) {
    // the data's range is narrower than minSpan, so a window of minSpan shifted to a bound still holds it
    const [dataLo, dataHi] = [lo, hi];
    lo = (dataLo + dataHi) / 2 - minSpan / 2;
    hi = lo + minSpan;
    if (hi > bounds[1]) {
      hi = Math.max(bounds[1], dataHi);
      lo = hi - minSpan;
    } else if (lo < bounds[0]) {
      lo = Math.min(bounds[0], dataLo);
      hi = lo + minSpan;
    }
  }
  const pad = 0.06 * (hi - lo);
  return [lo - pad, hi + pad];
}

/** Log-axis ticks: 1, 2 and 5 times the powers of ten inside the domain. */
export function logTicks([lo, hi]: [number, number]): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) for (const m of [1, 2, 5]) if (m * 10 ** e >= lo && m * 10 ** e <= hi) ticks.push(m * 10 ** e);
  return ticks;
}

/** A log axis domain: the range of the positive `values` widened by a factor of 1.25 each way. */
export function paddedLogDomain(values: readonly number[]): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length === 0) return [1, 10];
  return [Math.min(...finite) / 1.25, Math.max(...finite) * 1.25];
}
