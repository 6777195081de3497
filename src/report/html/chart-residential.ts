/**
 * Residential segregation against exposure segregation, per area (comparison.csv's question: does
 * where people sleep predict whom they meet?). One small panel per residential index of msa.csv or
 * county.csv (the res_* columns, SPEC section 7), x = the index, y = ES, titled with the Pearson
 * correlation that comparison.csv gives for that level and index.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SmallTable } from '../../io/small-table.js';
import { finiteRows, numbersOrNull, paddedDomain, textOrNull, POINTS_LAYER } from './chart-data.js';
import { correlation, count, fixed } from './format.js';
import { RUN_COLOUR } from './palette.js';
import type { ReportData, ReportFigure } from './report-data.js';

/** What each residential index is, in a few words (columns not listed keep their names). */
export const RESIDENTIAL_LABELS: Record<string, string> = {
  res_dissimilarity_low: 'dissimilarity, lower half',
  res_isolation_low: 'isolation, lower half',
  res_multigroup_dissimilarity_q4: 'dissimilarity, quartiles',
  res_theil_h_q4: 'Theil H, quartiles',
  res_divergence_q4: 'divergence, quartiles',
  res_nsi: 'sorting index (NSI)',
};

/** The residential index columns of an area table (res_* except the tract count). */
export function residentialColumns(table: SmallTable): string[] {
  return table.names.filter((n) => n.startsWith('res_') && n !== 'res_n_tracts');
}

interface Correlations {
  n: number;
  pearson: number;
  spearman: number;
}

/** comparison.csv's correlations with ES for one level, by index. */
export function esCorrelations(comparison: SmallTable | undefined, level: string): Map<string, Correlations> {
  const out = new Map<string, Correlations>();
  if (!comparison) return out;
  const levels = textOrNull(comparison, 'level');
  const index = textOrNull(comparison, 'index');
  const n = numbersOrNull(comparison, 'n_es');
  const p = numbersOrNull(comparison, 'pearson_es');
  const s = numbersOrNull(comparison, 'spearman_es');
  if (!levels || !index || !p) return out;
  for (let k = 0; k < levels.length; k++) if (levels[k] === level) out.set(index[k], { n: n?.[k] ?? NaN, pearson: p[k], spearman: s?.[k] ?? NaN });
  return out;
}

export function residentialFigure(data: ReportData, level: 'msa' | 'county'): ReportFigure | null {
  const table = level === 'msa' ? data.msa : data.county;
  const es = numbersOrNull(table, 'exposure_segregation');
  const names = level === 'msa' ? textOrNull(table, 'msa') : textOrNull(table, 'county_name') ?? textOrNull(table, 'fips_code');
  if (!table || !es || !names) return null;
  const correlations = esCorrelations(data.comparison, level);
  const panels: object[] = [];
  const spearman: string[] = [];
  // one ES axis for every panel, so that the panels can be read side by side
  const esDomain = paddedDomain(Array.from(es), 0.1, [0, 1]);
  residentialColumns(table).forEach((column, k) => {
    const rows = finiteRows(names.length, { index: table.numbers(column, { allowMissing: true }), es }, { area: names });
    if (rows.length === 0) return;
    const label = RESIDENTIAL_LABELS[column] ?? column;
    const c = correlations.get(column);
    const r = c ? `, ${correlation(c.pearson)}` : '';
    panels.push({
      title: { text: label, subtitle: `${column}${r}` },
      width: 190,
      height: 160,
      layer: [
        {
          name: `${POINTS_LAYER}res_${level}_${k + 1}`,
          data: { values: rows.map((r) => ({ ...r, tip: `${r.area}: ${column} ${fixed(r.index as number)}, ES ${fixed(r.es as number)}` })) },
          mark: { type: 'circle', size: 50, opacity: 0.85, color: RUN_COLOUR },
          encoding: {
            x: { field: 'index', type: 'quantitative', title: label, scale: { zero: false, nice: false, domain: paddedDomain(rows.map((r) => r.index as number), 0.1) }, axis: { tickCount: 4 } },
            y: { field: 'es', type: 'quantitative', title: 'ES', scale: { zero: false, nice: false, domain: esDomain }, axis: { tickCount: 4 } },
            description: { field: 'tip' },
          },
        },
      ],
    });
    if (c) spearman.push(`${label} ${correlation(c.spearman, 'ρ')}`);
  });
  if (panels.length === 0) return null;
  const areas = level === 'msa' ? 'MSA' : 'county';
  const few = [...correlations.values()].some((c) => c.n < 5);
  return {
    id: `residential-${level}`,
    heading: `Residential segregation against exposure segregation, per ${areas}`,
    note:
      'Residential indices measure how separated rich and poor are where they live (by census tract of home); exposure segregation measures how separated they are where they actually go during the day. If homes decided everything, the dots in each panel would lie on a rising line. A weak correlation means everyday places mix people differently from neighbourhoods: some areas are segregated at home but mix at work and in shops, or the reverse.',
    caption:
      `Each dot is one ${areas}; each panel one residential index (x) against ES (y).` +
      (spearman.length > 0
        ? ` Correlations with ES across the ${count(Math.max(...[...correlations.values()].map((c) => c.n)))} ${areas === 'MSA' ? 'MSAs' : 'counties'} (comparison.csv): Pearson r in each panel's title; Spearman (rank) correlations: ${spearman.join('; ')}.`
        : ' comparison.csv is missing, so no correlations are shown.') +
      (few ? ' With fewer than 5 areas a correlation is close to ±1 by construction and says little.' : ''),
    specs: [{ concat: panels, columns: 3, spacing: 24 } as TopLevelSpec],
  };
}
