/**
 * report.html (SPEC section 10): one self-contained page (inline SVG and CSS, no script, no network)
 * drawn from one output folder's tables. Every part appears only when its data exists. The same data
 * gives the same bytes: no clock is read, and the only time shown is the manifest's `created`.
 */
import { escapeHtml } from './escape.js';
import type { ReportData, ReportFigure } from './report-data.js';
import { vegaLiteSvg, type WarningSink } from './vega-svg.js';
import { esBiFigure } from './chart-es-bi.js';
import { esSizeFigure } from './chart-es-size.js';
import { residentialFigure } from './chart-residential.js';
import { countyMapFigure } from './chart-county-map.js';
import { scenarioForestFigure } from './chart-scenario-forest.js';
import { scenarioPlacesFigure } from './chart-scenario-places.js';
import { placeRows, scenarioRows } from './scenario-rows.js';
import { calibrationTableHtml, comparisonTableHtml, countySummaryHtml, msaTableHtml } from './area-tables-html.js';
import { scenarioTableHtml, topPlacesTableHtml, TOP_PLACES } from './scenario-tables-html.js';
import { manifestSummaryHtml } from './manifest-summary.js';
import { reportNotesHtml } from './report-notes.js';
import { REPORT_CSS } from './report-style.js';

/** A section of the page: a chart, or HTML (tables, notes). */
type Part = { kind: 'figure'; figure: ReportFigure } | { kind: 'html'; id: string; heading: string; intro?: string; html: string };

function figures(list: Array<ReportFigure | null>): Part[] {
  return list.filter((f): f is ReportFigure => f !== null).map((figure) => ({ kind: 'figure', figure }));
}

/** The parts of the page, in reading order. */
export function reportParts(data: ReportData): Part[] {
  const scenario = data.scenario ? scenarioRows(data.scenario) : [];
  const places = data.scenarioPlaces ? placeRows(data.scenarioPlaces) : [];
  const scenarioParts: Part[] = [
    ...figures([scenarioForestFigure(scenario, 'msa'), scenarioForestFigure(scenario, 'county'), scenarioPlacesFigure(places)]),
    ...(places.length > 0
      ? [{ kind: 'html' as const, id: 'scenario-top-places', heading: `Scenario: the top ${Math.min(TOP_PLACES, places.length)} places`, intro: 'The places the scenario changes most, in the order of scenario-places.csv (its rank column). Visits and cross-income encounters are means over the seeds.', html: topPlacesTableHtml(places) }]
      : []),
    ...(scenario.length > 0
      ? [{ kind: 'html' as const, id: 'scenario-table', heading: 'Scenario: before and after, per area', intro: 'Every measure of scenario.csv: the baseline, the scenario and the change, each the median over seeds with the range of 95% of the seeds.', html: scenarioTableHtml(scenario) }]
      : []),
  ];
  const calibrationParts: Part[] = data.calibration
    ? [{ kind: 'html', id: 'calibration', heading: 'Calibration: simulated against published', intro: 'The paper\'s headline facts as the paper states them, recomputed on the published MSAs that were simulated, and measured on the simulated MSAs. Close simulated and published columns mean the simulated city reproduces the published patterns.', html: calibrationTableHtml(data.calibration) }]
    : [];
  const runParts: Part[] = figures([esBiFigure(data), esSizeFigure(data), residentialFigure(data, 'msa'), residentialFigure(data, 'county'), countyMapFigure(data)]);
  const tables: Part[] = [
    ...(data.msa ? [{ kind: 'html' as const, id: 'msa-table', heading: 'MSAs', intro: 'The main columns of msa.csv (hover a column name for its meaning; msa.csv has every column).', html: msaTableHtml(data.msa) }] : []),
    ...(data.county ? [{ kind: 'html' as const, id: 'county-table', heading: 'Counties', intro: 'A summary of county.csv.', html: countySummaryHtml(data.county) }] : []),
    ...(data.comparison ? [{ kind: 'html' as const, id: 'comparison-table', heading: 'Residential indices against ES and BI', intro: 'comparison.csv: per level, the correlation across areas of each residential index with ES and with BI.', html: comparisonTableHtml(data.comparison) }] : []),
  ];
  const isScenario = data.manifest?.command === 'scenario';
  return [
    ...calibrationParts,
    ...(isScenario ? [...scenarioParts, ...runParts] : [...runParts, ...scenarioParts]),
    ...tables,
    { kind: 'html', id: 'notes', heading: 'What the numbers mean', html: reportNotesHtml(data) },
    ...(data.manifest ? [{ kind: 'html' as const, id: 'manifest', heading: 'How this was made', intro: 'From manifest.json in the same folder.', html: manifestSummaryHtml(data.manifest) }] : []),
  ];
}

function partId(p: Part): string {
  return p.kind === 'figure' ? p.figure.id : p.id;
}

function partHeading(p: Part): string {
  return p.kind === 'figure' ? p.figure.heading : p.heading;
}

/** A figure's drawings, one SVG per spec, each with its own id prefix (the figure's id, or id-k for panels). */
export async function figureSvgs(f: ReportFigure, onWarning: WarningSink = () => {}): Promise<string[]> {
  const svgs: string[] = [];
  for (const [k, spec] of f.specs.entries()) svgs.push(await vegaLiteSvg(spec, f.specs.length === 1 ? f.id : `${f.id}-${k + 1}`, onWarning));
  return svgs;
}

async function partHtml(p: Part, onWarning: WarningSink): Promise<string> {
  if (p.kind === 'html') {
    return `<section id="${escapeHtml(p.id)}">\n<h2>${escapeHtml(p.heading)}</h2>\n${p.intro ? `<p class="note">${escapeHtml(p.intro)}</p>\n` : ''}${p.html}\n</section>`;
  }
  const f = p.figure;
  const svgs = await figureSvgs(f, onWarning);
  const drawing = svgs.length === 1 ? svgs[0] : `<div class="panels">\n${svgs.join('\n')}\n</div>`;
  return `<section id="${escapeHtml(f.id)}">\n<h2>${escapeHtml(f.heading)}</h2>\n<p class="note">${escapeHtml(f.note)}</p>\n<figure data-chart="${escapeHtml(f.id)}">\n${drawing}\n<figcaption>${escapeHtml(f.caption)}</figcaption>\n</figure>\n</section>`;
}

/** What the page is about, from the manifest and the tables present. */
function lede(data: ReportData): string {
  const m = data.manifest ?? {};
  const command = data.calibration ? 'calibrate' : typeof m.command === 'string' ? m.command : '';
  const bits = [command ? `mobiseg ${command}` : 'mobiseg', typeof m.version === 'string' ? `version ${m.version}` : '', typeof m.created === 'string' ? `created ${m.created}` : ''].filter((s) => s !== '');
  return bits.join(' · ');
}

export async function renderReportHtml(data: ReportData, options: { onWarning?: WarningSink } = {}): Promise<string> {
  const onWarning = options.onWarning ?? (() => {});
  const parts = reportParts(data);
  const body: string[] = [];
  for (const p of parts) body.push(await partHtml(p, onWarning));
  const toc = parts.map((p) => `<li><a href="#${escapeHtml(partId(p))}">${escapeHtml(partHeading(p))}</a></li>`).join('\n');
  const title = data.calibration ? 'mobiseg calibration report' : data.scenario || data.scenarioPlaces ? 'mobiseg scenario report' : 'mobiseg report';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mobiseg">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="lede">${escapeHtml(lede(data))}</p>
<p class="lede">Exposure segregation and bridging on person-place mobility networks (Nilforoshan et al., Nature 2023). This page is drawn from the CSV files beside it; it loads nothing from the network.</p>
</header>
<nav aria-label="contents"><ol>
${toc}
</ol></nav>
<main>
${body.join('\n')}
</main>
<footer>Written by mobiseg. Charts: Vega-Lite, drawn to SVG in Node.</footer>
</body>
</html>
`;
}
