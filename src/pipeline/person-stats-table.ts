/**
 * The per-person statistics table (person-stats.arrow, SPEC section 10), in the column order of
 * PERSON_STATS_COLUMNS (io/load-person-stats.ts, which reads it back): the persons' ids, SES and
 * areas, the sufficient statistics of the exposure model, and per level the bridging index's
 * high-partner counts with the area median they were counted against. Written by `mobiseg run` and by
 * `mobiseg stats` (Arrow output), read by `mobiseg run --person-stats`.
 *
 *   partner_ses_mean      = c + s_i / n_i
 *   partner_ses_ss_within = max(0, q_i - s_i^2 / n_i)   (W_i, from sums centred at c; NaN when n_i = 0)
 *   ses_centre, partner_ses_sum, partner_ses_sumsq = c, s_i, q_i themselves, so a run reads back
 *   exactly the numbers that were summed.
 */
import { columnTable, type Column, type ColumnTable } from '../io/column-table.js';
import { PERSON_STATS_COLUMNS, type AreaLevel } from '../io/load-person-stats.js';
import type { CodedColumn } from '../io/load-entities.js';
import type { PersonTable } from '../io/load-persons.js';
import type { PersonStats } from '../encounters/person-stats.js';

export interface LevelCounts {
  high: Float64Array;
  /** the median each person's counts were made against (NaN outside every area) */
  median: Float64Array;
}

export function personStatsTable(persons: PersonTable, stats: PersonStats, levels: Record<AreaLevel, LevelCounts | null>): ColumnTable {
  const { n, sum, sumSq, centre } = stats;
  const mean = new Float64Array(persons.count);
  const within = new Float64Array(persons.count);
  for (let i = 0; i < persons.count; i++) {
    mean[i] = n[i] > 0 ? centre + sum[i] / n[i] : NaN;
    within[i] = n[i] > 0 ? Math.max(0, sumSq[i] - (sum[i] * sum[i]) / n[i]) : NaN;
  }
  const ids = persons.ids.allIntegers() && persons.count > 0 ? Float64Array.from({ length: persons.count }, (_, i) => persons.ids.idOf(i) as number) : persons.ids.idsAsStrings();
  const values: Record<string, Column['values'] | null> = {
    person_id: ids,
    ses: persons.ses,
    n_endpoints: n,
    partner_ses_mean: mean,
    partner_ses_ss_within: within,
    high_partners_msa: levels.msa?.high ?? null,
    high_partners_county: levels.county?.high ?? null,
    median_ses_msa: levels.msa?.median ?? null,
    median_ses_county: levels.county?.median ?? null,
    msa: texts(persons.msa),
    county_fips: persons.countyFips ? Float64Array.from(persons.countyFips, (c) => (c < 0 ? NaN : c)) : null,
    county_name: texts(persons.countyName),
    home_tract: texts(persons.homeTract),
    home_lat: persons.homeLat,
    home_lon: persons.homeLon,
    ses_centre: new Float64Array(persons.count).fill(centre),
    partner_ses_sum: sum,
    partner_ses_sumsq: sumSq,
  };
  const columns: Column[] = [];
  for (const { name } of PERSON_STATS_COLUMNS) {
    const v = values[name];
    if (v !== null && v !== undefined) columns.push({ name, values: v });
  }
  return columnTable(columns);
}

function texts(column: CodedColumn | null): Array<string | null> | null {
  return column ? Array.from(column.codes, (c) => (c < 0 ? null : column.names[c])) : null;
}
