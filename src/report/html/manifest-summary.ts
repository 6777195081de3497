/**
 * The manifest summary of report.html: what was run (command, version, when), on which inputs (with
 * the first 12 hex digits of each file's SHA-256), with which options and seeds, what was counted and
 * dropped, and how long each step took. Fields are read defensively: any command's manifest.
 */
import { escapeHtml } from './escape.js';
import { count } from './format.js';
import { htmlTable } from './html-table.js';
import type { ManifestJson } from './report-data.js';

/** Digits of a SHA-256 shown (enough to tell files apart; the manifest has all 64). */
export const SHA_PREFIX = 12;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A JSON value as one line of text. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return JSON.stringify(v) ?? '';
}

/** Nested objects flattened to dotted keys. */
export function flatten(x: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(x).flatMap(([k, v]) => (isRecord(v) && Object.keys(v).length > 0 ? flatten(v, `${prefix}${k}.`) : [[`${prefix}${k}`, v] as [string, unknown]]));
}

function keyValueTable(x: unknown, valueHeader: string, format: (v: unknown) => string = valueText): string {
  if (!isRecord(x) || Object.keys(x).length === 0) return '<p class="small">none</p>';
  return htmlTable([{ header: 'name' }, { header: valueHeader, numeric: valueHeader !== 'value' }], flatten(x).map(([k, v]) => [k, format(v)]));
}

function droppedText(d: unknown): string {
  if (!isRecord(d)) return '';
  return Object.entries(d).map(([reason, n]) => `${valueText(n)} ${reason}`).join('; ');
}

function inputsTable(inputs: unknown): string {
  if (!Array.isArray(inputs) || inputs.length === 0) return '<p class="small">none recorded</p>';
  const rows = inputs.filter(isRecord).map((i) => [
    valueText(i.role ?? ''),
    valueText(i.path ?? ''),
    typeof i.bytes === 'number' ? count(i.bytes) : '',
    typeof i.rowsRead === 'number' ? count(i.rowsRead) : '',
    typeof i.sha256 === 'string' ? `${i.sha256.slice(0, SHA_PREFIX)}…` : '',
    droppedText(i.dropped) || 'none',
  ]);
  return htmlTable([{ header: 'role' }, { header: 'file' }, { header: 'bytes', numeric: true }, { header: 'rows read', numeric: true }, { header: 'SHA-256 (first 12)', title: 'the manifest has all 64 hex digits' }, { header: 'rows dropped' }], rows);
}

function droppedRows(dropped: unknown): string {
  if (!isRecord(dropped)) return '<p class="small">not recorded</p>';
  const lines = Object.entries(dropped).flatMap(([role, d]) => (isRecord(d) ? Object.entries(d).map(([reason, n]) => `${role}: ${valueText(n)} ${reason}`) : []));
  return lines.length === 0 ? '<p>No input row was dropped.</p>' : `<ul>${lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`;
}

export function manifestSummaryHtml(m: ManifestJson): string {
  const field = (k: string) => (m[k] === undefined ? '' : valueText(m[k]));
  const facts: Array<[string, string]> = [
    ['command', `mobiseg ${field('command')}`],
    ['version', `${field('tool') || 'mobiseg'} ${field('version')}`.trim()],
    ['Node.js', field('node')],
    ['created', field('created')],
  ];
  const parts = [
    `<dl class="facts">${facts.filter(([, v]) => v !== '').map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`,
    '<h3>Inputs</h3>',
    inputsTable(m.inputs),
    '<h3>Rows dropped</h3>',
    droppedRows(m.dropped),
    '<h3>Options</h3>',
    keyValueTable(m.options, 'value'),
    '<h3>Seeds</h3>',
    keyValueTable(m.seeds, 'value'),
    '<h3>Counts</h3>',
    keyValueTable(m.counts, 'count', (v) => (typeof v === 'number' ? count(v) : valueText(v))),
    '<h3>Timings</h3>',
    keyValueTable(m.timings, 'seconds', (v) => (typeof v === 'number' ? v.toFixed(3) : valueText(v))),
  ];
  if (m.scenario !== undefined) parts.push('<h3>Scenario</h3>', `<details><summary>the resolved scenario (JSON)</summary><pre>${escapeHtml(JSON.stringify(m.scenario, null, 2))}</pre></details>`);
  if (Array.isArray(m.outputs)) parts.push('<h3>Files written</h3>', `<p>${m.outputs.map((o) => `<code>${escapeHtml(valueText(o))}</code>`).join(', ')}</p>`);
  return parts.join('\n');
}
