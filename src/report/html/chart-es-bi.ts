/**
 * ES against BI per MSA (SPEC section 10; the paper's Fig. 2 relation, corr(ES, BI) = -0.79 across the
 * 382 published MSAs). The published MSAs are drawn in grey behind when the run's MSAs are real ones
 * (at least one name equals a published title) and always for a calibration, whose simulated MSAs are
 * compared with them.
 */
import { pearson } from '../../math/stats.js';
import type { TopLevelSpec } from 'vega-lite';
import { finiteRows, leftOut, numbersOrNull, paddedDomain, textOrNull, POINTS_LAYER, PUBLISHED_LAYER } from './chart-data.js';
import { correlation, fixed } from './format.js';
import { MAX_LABELLED, PUBLISHED_COLOUR, RUN_COLOUR } from './palette.js';
import type { ReportData, ReportFigure } from './report-data.js';

/** Whether the published MSAs belong behind the run's: a calibration, or a run on real MSAs. */
export function showPublishedMsas(data: ReportData, runNames: readonly string[]): boolean {
  if (data.calibration) return true;
  const published = new Set(data.published.names);
  return runNames.some((n) => published.has(n));
}

/** The least span of each axis (ES and BI are shares in [0, 1]): a few close areas stay close. */
const MIN_SPAN = 0.2;

export function esBiFigure(data: ReportData): ReportFigure | null {
  const es = numbersOrNull(data.msa, 'exposure_segregation');
  const bi = numbersOrNull(data.msa, 'bridging_index');
  const names = textOrNull(data.msa, 'msa');
  if (!es || !bi || !names) return null;
  const run = finiteRows(names.length, { es, bi }, { area: names });
  if (run.length === 0) return null;
  const calibrate = data.calibration !== undefined;
  const runLabel = calibrate ? 'simulated MSAs' : 'this run';
  const withPublished = showPublishedMsas(data, names);
  const pub = data.published;
  const published = withPublished ? finiteRows(pub.names.length, { es: pub.es, bi: pub.bi }, { area: pub.names }) : [];
  const publishedLabel = `published MSAs (${published.length})`;
  const tag = (rows: typeof run, source: string) => rows.map((r) => ({ ...r, source, tip: `${r.area} (${source}): ES ${fixed(r.es as number)}, BI ${fixed(r.bi as number)}` }));
  const drawn = [...run, ...published];
  const x = { field: 'bi', type: 'quantitative', title: 'bridging index (BI)', scale: { zero: false, nice: false, domain: paddedDomain(drawn.map((r) => r.bi as number), MIN_SPAN, [0, 1]) } } as const;
  const y = { field: 'es', type: 'quantitative', title: 'exposure segregation (ES)', scale: { zero: false, nice: false, domain: paddedDomain(drawn.map((r) => r.es as number), MIN_SPAN, [0, 1]) } } as const;
  const colour = {
    field: 'source',
    type: 'nominal',
    title: null,
    scale: { domain: withPublished ? [publishedLabel, runLabel] : [runLabel], range: withPublished ? [PUBLISHED_COLOUR, RUN_COLOUR] : [RUN_COLOUR] },
    legend: withPublished ? { orient: 'bottom', direction: 'horizontal' } : null,
  } as const;
  const description = { field: 'tip' };
  const layers: object[] = [];
  if (withPublished) layers.push({ name: `${PUBLISHED_LAYER}es_bi`, data: { values: tag(published, publishedLabel) }, mark: { type: 'circle', size: 28, opacity: 0.85 }, encoding: { x, y, color: colour, description } });
  layers.push({ name: `${POINTS_LAYER}es_bi`, data: { values: tag(run, runLabel) }, mark: { type: 'circle', size: 70, opacity: 0.9, stroke: 'white', strokeWidth: 0.8 }, encoding: { x, y, color: colour, description } });
  if (run.length <= MAX_LABELLED) {
    layers.push({ name: 'labels_es_bi', data: { values: run }, mark: { type: 'text', align: 'left', dx: 7, dy: -2, fontSize: 11, color: '#333' }, encoding: { x, y, text: { field: 'area' } } });
  }
  const rRun = pearson(run.map((r) => r.es as number), run.map((r) => r.bi as number));
  const rPub = pearson(published.map((r) => r.es as number), published.map((r) => r.bi as number));
  const caption = [
    `Each ${withPublished ? 'blue ' : ''}dot is one ${calibrate ? 'simulated ' : ''}MSA of this ${calibrate ? 'calibration' : 'run'} (${run.length} of ${names.length} with both values; ${correlation(rRun)} across them${run.length < 5 ? `, which says little with ${run.length} MSA${run.length === 1 ? '' : 's'}` : ''}).`,
    withPublished
      ? `Grey dots: the ${published.length} published MSAs of Nilforoshan et al. (2023), ${correlation(rPub)}${calibrate ? '; the simulated MSAs are named "Synthetic" plus the title of the published MSA they were sized after' : ''}.`
      : 'The run\'s MSA names match no published MSA, so the published MSAs are not drawn.',
    leftOut(names.length, run.length, 'MSA').trim(),
  ].filter((s) => s !== '').join(' ');
  return {
    id: 'es-bi',
    heading: 'Exposure segregation against bridging, per MSA',
    note:
      'Exposure segregation (ES) measures how closely the income of the people a resident runs into follows the resident\'s own income: 0 means whom you meet does not depend on your income, 1 means it is fully determined by it. The bridging index (BI) asks how often lower-income residents meet higher-income people, compared with how often that would happen if everyone in the area mixed at random (1 = as often as random mixing). Areas where encounters are more segregated usually bridge less, so the dots tend to fall from the upper left to the lower right.',
    caption,
    specs: [{ width: 560, height: 360, layer: layers } as TopLevelSpec],
  };
}
