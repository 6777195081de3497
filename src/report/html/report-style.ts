/** The report's stylesheet, inlined: readable measure and type, figures that scale to the window, quiet tables, print-friendly. */
import { CHART_FONT } from './vega-svg.js';

export const REPORT_CSS = `
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5a5a5f; --rule: #e3e3e6; --accent: #1f5fa6; --paper: #fff; --band: #f6f7f9; }
* { box-sizing: border-box; }
html { background: var(--paper); }
body { margin: 0 auto; padding: 2rem 1.5rem 4rem; max-width: 68rem; color: var(--ink); font: 16px/1.55 ${CHART_FONT}; }
header { border-bottom: 2px solid var(--ink); margin-bottom: 1.5rem; padding-bottom: 0.75rem; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0 0 0.25rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.5rem 0 0.5rem; padding-top: 0.5rem; border-top: 1px solid var(--rule); }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.4rem; }
p, dd, li { max-width: 46rem; }
.lede { color: var(--muted); margin: 0.25rem 0 0; }
nav ol { columns: 2; padding-left: 1.2rem; margin: 0.5rem 0 0; }
nav a, a { color: var(--accent); }
.note { margin: 0.25rem 0 1rem; }
figure { margin: 0 0 1rem; }
figure svg { display: block; max-width: 100%; height: auto; }
.panels { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: flex-start; }
figcaption { color: var(--muted); font-size: 0.9rem; margin-top: 0.4rem; max-width: 46rem; }
.table-wrap { overflow-x: auto; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; font-size: 0.88rem; }
caption { text-align: left; color: var(--muted); padding-bottom: 0.25rem; }
th, td { padding: 0.3rem 0.6rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
th { font-weight: 600; border-bottom: 2px solid #c9c9ce; vertical-align: bottom; }
th[title] { text-decoration: underline dotted; cursor: help; }
tbody tr:nth-child(even) { background: var(--band); }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.small { font-size: 0.88rem; color: var(--muted); }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
dl.notes dt { font-weight: 600; margin-top: 0.75rem; }
dl.notes dd { margin: 0.1rem 0 0; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
pre { background: var(--band); padding: 0.75rem; overflow-x: auto; }
footer { margin-top: 3rem; border-top: 1px solid var(--rule); padding-top: 0.75rem; color: var(--muted); font-size: 0.85rem; }
@media print { body { max-width: none; padding: 0; } h2 { break-before: auto; } figure, table { break-inside: avoid; } nav { display: none; } }
`;
