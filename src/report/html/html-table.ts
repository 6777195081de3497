/** An HTML table from text cells (every cell and header escaped; numeric columns right-aligned). */
import { escapeHtml } from './escape.js';

export interface TableColumn {
  readonly header: string;
  /** right-aligned, tabular figures */
  readonly numeric?: boolean;
  /** what the column means (shown on hover) */
  readonly title?: string;
}

export function htmlTable(columns: readonly TableColumn[], rows: readonly (readonly string[])[], caption?: string): string {
  const cls = (c: TableColumn) => (c.numeric ? ' class="num"' : '');
  const head = columns.map((c) => `<th scope="col"${cls(c)}${c.title ? ` title="${escapeHtml(c.title)}"` : ''}>${escapeHtml(c.header)}</th>`).join('');
  const body = rows.map((r) => `<tr>${columns.map((c, k) => `<td${cls(c)}>${escapeHtml(r[k] ?? '')}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap"><table>${caption ? `<caption>${escapeHtml(caption)}</caption>` : ''}<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody></table></div>`;
}
