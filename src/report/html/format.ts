/** Numbers as the report prints them: fixed decimals, an explicit sign for changes, grouped counts. */
import { fixed } from '../text-table.js';

export { fixed };

/** A change with its sign: +0.012, −0.034 (a true minus sign), '-' for NaN. */
export function signed(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return '-';
  const t = Math.abs(x).toFixed(digits);
  if (Number(t) === 0) return t;
  return (x > 0 ? '+' : '\u2212') + t;
}

/** A count with thousands separators: 20,000. */
export function count(x: number): string {
  return Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-';
}

/** A correlation for a caption: "r = −0.79", or "r not defined" for NaN. */
export function correlation(r: number, symbol = 'r'): string {
  return Number.isFinite(r) ? `${symbol} = ${r < 0 ? '\u2212' : ''}${Math.abs(r).toFixed(2)}` : `${symbol} not defined`;
}
