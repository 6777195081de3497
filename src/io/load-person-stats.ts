/**
 * A per-person statistics file (SPEC section 10: the person-stats.arrow of `mobiseg run`, or the table
 * of `mobiseg stats` / the SQL of sql/ on any engine), in CSV, Arrow IPC or Parquet, read for
 * `mobiseg run --person-stats`. One row per person:
 *   person_id, ses                       required, as in a persons table (unique id, finite SES)
 *   n_endpoints                          required: encounter endpoints n_i (>= 0)
 *   ses_centre, partner_ses_sum, partner_ses_sumsq
 *                                        the centred sums s_i = sum_j (y_ij - c), q_i = sum_j (y_ij - c)^2
 *                                        around the constant c (read back exactly as they were summed), or
 *   partner_ses_mean, partner_ses_ss_within
 *                                        ybar_i and W_i = sum_j (y_ij - ybar_i)^2 (empty when n_i = 0)
 *   msa, county_fips, county_name, home_tract, home_lat, home_lon
 *                                        optional, as in a persons table (the areas of the estimates)
 *   high_partners_<level>, median_ses_<level>
 *                                        for each level present (msa, county): endpoints whose partner's
 *                                        SES >= the median SES of the person's area over its persons with
 *                                        encounters, and that median (empty outside every area)
 * Row problems are errors naming the file, rows and column (SPEC section 1).
 */
import { InputError, RowProblems } from './errors.js';
import { loadEntityTable, requireColumns, type LoadOptions } from './load-entities.js';
import { PERSON_COLUMNS, personTable, type PersonTable } from './load-persons.js';
import { openTable } from './table-source.js';

export type AreaLevel = 'msa' | 'county';

/** The column of each level's area in the file. */
export const LEVEL_COLUMN: Record<AreaLevel, 'msa' | 'county_fips'> = { msa: 'msa', county: 'county_fips' };

/**
 * The columns of a statistics file, in the order they are written; `level` marks those written only when
 * the persons have that level's area, `home` those written only when the persons have the column.
 */
export const PERSON_STATS_COLUMNS: ReadonlyArray<{ name: string; level?: AreaLevel; optional?: boolean }> = [
  { name: 'person_id' },
  { name: 'ses' },
  { name: 'n_endpoints' },
  { name: 'partner_ses_mean' },
  { name: 'partner_ses_ss_within' },
  { name: 'high_partners_msa', level: 'msa' },
  { name: 'high_partners_county', level: 'county' },
  { name: 'median_ses_msa', level: 'msa' },
  { name: 'median_ses_county', level: 'county' },
  { name: 'msa', optional: true },
  { name: 'county_fips', optional: true },
  { name: 'county_name', optional: true },
  { name: 'home_tract', optional: true },
  { name: 'home_lat', optional: true },
  { name: 'home_lon', optional: true },
  { name: 'ses_centre' },
  { name: 'partner_ses_sum' },
  { name: 'partner_ses_sumsq' },
];

export interface LevelStats {
  /** endpoints with a partner at or above the area median, per person */
  high: Float64Array;
  /** the area median the counts were made against (NaN outside every area) */
  median: Float64Array;
}

export interface PersonStatsFile {
  file: string;
  /** the persons (without home_id: same-home exclusion happened where the file was made) */
  persons: PersonTable;
  n: Float64Array;
  /** the centred sums and their centre, when the file has them (exact) */
  centred: { centre: number; sum: Float64Array; sumSq: Float64Array } | null;
  /** the mean and within sum of squares, when the file has no centred sums */
  moments: { mean: Float64Array; ssWithin: Float64Array } | null;
  levels: Record<AreaLevel, LevelStats | null>;
}

const NUMBER_COLUMNS = ['n_endpoints', 'partner_ses_mean', 'partner_ses_ss_within', 'ses_centre', 'partner_ses_sum', 'partner_ses_sumsq', 'high_partners_msa', 'high_partners_county', 'median_ses_msa', 'median_ses_county'];

export async function loadPersonStats(file: string, options: LoadOptions = {}): Promise<PersonStatsFile> {
  const source = await openTable(file, { remap: options.remap, delimiter: options.delimiter });
  const has = (c: string) => source.has(c);
  requireColumns(file, source.names, ['person_id', 'ses', 'n_endpoints']);
  const centredColumns = ['ses_centre', 'partner_ses_sum', 'partner_ses_sumsq'];
  const momentColumns = ['partner_ses_mean', 'partner_ses_ss_within'];
  const centred = centredColumns.every(has);
  if (!centred) requireColumns(file, source.names, momentColumns);
  for (const level of ['msa', 'county'] as const) {
    if (has(LEVEL_COLUMN[level])) requireColumns(file, source.names, [`high_partners_${level}`, `median_ses_${level}`]);
  }
  const spec = { ...PERSON_COLUMNS, numbers: [...PERSON_COLUMNS.numbers!, ...NUMBER_COLUMNS], texts: PERSON_COLUMNS.texts!.filter((c) => c !== 'home_id') };
  const t = await loadEntityTable(file, spec, { ...options, dropInvalid: false });
  const col = (c: string) => t.numbers[c] ?? null;
  const n = col('n_endpoints')!;
  const problems = new RowProblems(file, false);
  // with nothing dropped, entity k is data row k + 1
  const row = (k: number) => k + 1;
  for (let k = 0; k < t.count; k++) {
    if (!(n[k] >= 0 && Number.isFinite(n[k]))) problems.add('not a non-negative number', 'n_endpoints', row(k));
  }
  let centredSums: PersonStatsFile['centred'] = null;
  let moments: PersonStatsFile['moments'] = null;
  if (centred) {
    const centre = col('ses_centre')!;
    const c0 = t.count > 0 ? centre[0] : 0;
    for (let k = 0; k < t.count; k++) if (centre[k] !== c0) problems.add(`not the same in every row (row 1: ${c0})`, 'ses_centre', row(k));
    const sum = col('partner_ses_sum')!;
    const sumSq = col('partner_ses_sumsq')!;
    for (let k = 0; k < t.count; k++) {
      if (!Number.isFinite(sum[k])) problems.add('not a finite number', 'partner_ses_sum', row(k));
      else if (!(sumSq[k] >= 0 && Number.isFinite(sumSq[k]))) problems.add('not a non-negative number', 'partner_ses_sumsq', row(k));
    }
    centredSums = { centre: c0, sum, sumSq };
  } else {
    const mean = col('partner_ses_mean')!;
    const ssWithin = col('partner_ses_ss_within')!;
    for (let k = 0; k < t.count; k++) {
      if (!(n[k] > 0)) continue;
      if (!Number.isFinite(mean[k])) problems.add('not a finite number where n_endpoints > 0', 'partner_ses_mean', row(k));
      else if (!(ssWithin[k] >= 0 && Number.isFinite(ssWithin[k]))) problems.add('not a non-negative number where n_endpoints > 0', 'partner_ses_ss_within', row(k));
    }
    moments = { mean, ssWithin };
  }
  const levels: PersonStatsFile['levels'] = { msa: null, county: null };
  for (const level of ['msa', 'county'] as const) {
    if (!has(LEVEL_COLUMN[level])) continue;
    const high = col(`high_partners_${level}`)!;
    const median = col(`median_ses_${level}`)!;
    for (let k = 0; k < t.count; k++) {
      if (!(high[k] >= 0 && high[k] <= n[k])) problems.add('not a number between 0 and n_endpoints', `high_partners_${level}`, row(k));
    }
    levels[level] = { high, median };
  }
  problems.throwIfFatal();
  if (t.count === 0) throw new InputError(`${file}: no persons`, file);
  // home_id is never in the file: same-home encounters were left out where it was made
  const persons = personTable(t, null);
  return { file, persons, n, centred: centredSums, moments, levels };
}
