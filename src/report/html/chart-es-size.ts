/**
 * ES against area size (SPEC section 9: larger cities are more segregated in their encounters; the
 * paper's corr(log population, ES) = +0.59). Left: this run's MSAs by residents; right: the published
 * MSAs by population. Each panel has its least-squares line ES = b0 + b1 log10(size), so b1 is the
 * change in ES per tenfold size.
 */
import type { TopLevelSpec } from 'vega-lite';
import { leastSquaresLine, pearson } from '../../math/stats.js';
import { finiteRows, leftOut, numbersOrNull, paddedDomain, logTicks, paddedLogDomain, textOrNull, POINTS_LAYER, PUBLISHED_LAYER, type ChartRow } from './chart-data.js';
import { correlation, count, fixed, signed } from './format.js';
import { FIT_COLOUR, PUBLISHED_COLOUR, PUBLISHED_FIT_COLOUR, RUN_COLOUR } from './palette.js';
import type { ReportData, ReportFigure } from './report-data.js';

/** The least-squares line of ES on log10(size), as its two ends over the sizes drawn. */
export function sizeFit(rows: readonly ChartRow[]): { slope: number; intercept: number; ends: ChartRow[] } {
  const logSize = rows.map((r) => Math.log10(r.size as number));
  const fit = leastSquaresLine(logSize, rows.map((r) => r.es as number));
  if (!Number.isFinite(fit.slope)) return { ...fit, ends: [] };
  const lo = Math.min(...logSize);
  const hi = Math.max(...logSize);
  const ends = [lo, hi].map((l) => ({ size: 10 ** l, es: fit.intercept + fit.slope * l }));
  return { ...fit, ends };
}

function panel(name: string, fitName: string, title: string, xTitle: string, sizeWord: string, rows: ChartRow[], esDomain: [number, number], colour: string, fitColour: string, pointSize: number): object {
  const domain = paddedLogDomain(rows.map((r) => r.size as number));
  const x = { field: 'size', type: 'quantitative', title: xTitle, scale: { type: 'log', nice: false, domain }, axis: { format: '~s', values: logTicks(domain) } } as const;
  const y = { field: 'es', type: 'quantitative', title: 'exposure segregation (ES)', scale: { zero: false, nice: false, domain: esDomain } } as const;
  const fit = sizeFit(rows);
  const layers: object[] = [
    {
      name,
      data: { values: rows.map((r) => ({ ...r, tip: `${r.area}: ES ${fixed(r.es as number)}, ${count(r.size as number)} ${sizeWord}` })) },
      mark: { type: 'circle', size: pointSize, opacity: 0.85, color: colour },
      encoding: { x, y, description: { field: 'tip' } },
    },
  ];
  if (fit.ends.length > 0) layers.push({ name: fitName, data: { values: fit.ends }, mark: { type: 'line', color: fitColour, strokeWidth: 2 }, encoding: { x, y } });
  return { title, width: 330, height: 280, layer: layers };
}

export function esSizeFigure(data: ReportData): ReportFigure | null {
  const es = numbersOrNull(data.msa, 'exposure_segregation');
  const size = numbersOrNull(data.msa, 'n_residents');
  const names = textOrNull(data.msa, 'msa');
  if (!es || !size || !names) return null;
  const run = finiteRows(names.length, { es, size: size.map((s) => (s > 0 ? s : NaN)) }, { area: names });
  if (run.length === 0) return null;
  const pub = data.published;
  const published = finiteRows(pub.names.length, { es: pub.es, size: pub.population.map((p) => (p > 0 ? p : NaN)) }, { area: pub.names });
  const calibrate = data.calibration !== undefined;
  const esDomain = paddedDomain([...run, ...published].map((r) => r.es as number), 0.2, [0, 1]);
  const runFit = sizeFit(run);
  const pubFit = sizeFit(published);
  const log = (rows: ChartRow[]) => rows.map((r) => Math.log10(r.size as number));
  const esOf = (rows: ChartRow[]) => rows.map((r) => r.es as number);
  const perTenfold = (slope: number) => (Number.isFinite(slope) ? `ES changes by ${signed(slope)} per tenfold size` : 'no line (fewer than two sizes)');
  const year = /(\d{4})/.exec(pub.populationColumn)?.[1] ?? '';
  const caption = [
    `Left: the ${calibrate ? 'simulated ' : ''}MSAs of this ${calibrate ? 'calibration' : 'run'} by their residents (${run.length} MSAs; ${perTenfold(runFit.slope)}; ${correlation(pearson(log(run), esOf(run)))} with log size).`,
    `Right: the ${published.length} published MSAs by ${year ? `${year} ` : ''}population (Census, ${pub.populationColumn}; ${perTenfold(pubFit.slope)}; ${correlation(pearson(log(published), esOf(published)))}).`,
    'Lines: least-squares fits of ES on the logarithm of size. Both size axes are logarithmic.',
    leftOut(names.length, run.length, 'MSA').trim(),
  ].filter((s) => s !== '').join(' ');
  return {
    id: 'es-size',
    heading: 'Exposure segregation against area size',
    note:
      'In the published data, larger metro areas are more segregated in their everyday encounters, not less: big cities offer more places, and people can pick the ones where others resemble them. The left panel shows whether this run shows the same size gradient; the right panel is the published one, for comparison. A simulated city has far fewer residents than a real one, so compare the slopes of the lines, not the positions on the size axis.',
    caption,
    specs: [
      {
        hconcat: [
          panel(`${POINTS_LAYER}es_size`, 'fit_run_es_size', calibrate ? 'Simulated MSAs' : 'This run', 'residents (log scale)', 'residents', run, esDomain, RUN_COLOUR, FIT_COLOUR, 60),
          panel(`${PUBLISHED_LAYER}es_size`, 'fit_published_es_size', 'Published MSAs (Nilforoshan et al. 2023)', `population ${year} (log scale)`, 'people', published, esDomain, PUBLISHED_COLOUR, PUBLISHED_FIT_COLOUR, 24),
        ],
      } as TopLevelSpec,
    ],
  };
}
