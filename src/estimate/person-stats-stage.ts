/**
 * The encounter stage of a run that starts from per-person statistics (`mobiseg run --person-stats`):
 * no visits, no graph, only what SPEC sections 3 and 4 need per person, as made by `mobiseg run`
 * (person-stats.arrow) or by the SQL route (sql/, `mobiseg stats`).
 *
 * The estimators take the centred sums n_i, s_i = sum_j (y_ij - c), q_i = sum_j (y_ij - c)^2. A file
 * with the sums (ses_centre, partner_ses_sum, partner_ses_sumsq) gives them exactly as they were
 * summed, so the estimates are the same numbers as the run that wrote the file. A file with only the
 * moments (mean ybar_i, within sum of squares W_i) gives them back, around c = the mean SES of the file's
 * persons, as s_i = n_i (ybar_i - c), q_i = W_i + s_i^2 / n_i (equal up to rounding).
 *
 * The bridging index's high-partner counts depend on the area median, which the table's maker had to
 * compute before counting: highCounts checks that each person's median in the file is the one this
 * run computes (same persons, same counts, same rule), then returns the file's counts.
 */
import { sesCentre, type PersonStats } from '../encounters/person-stats.js';
import { InputError, MAX_REPORTED_ROWS } from '../io/errors.js';
import type { AreaLevel, PersonStatsFile } from '../io/load-person-stats.js';
import type { EncounterStage } from './encounter-stage.js';

export function encountersFromPersonStats(file: PersonStatsFile): EncounterStage {
  const stats = statsOf(file);
  let endpoints = 0;
  for (let i = 0; i < stats.n.length; i++) endpoints += stats.n[i];
  return {
    stats,
    highCounts: (threshold, level) => checkedHighCounts(file, threshold, level),
    graph: null,
    groups: null,
    partners: null,
    homeOf: null,
    counts: { person_stats_rows: file.persons.count, encounter_endpoints: endpoints },
  };
}

function statsOf(file: PersonStatsFile): PersonStats {
  if (file.centred) return { n: file.n, sum: file.centred.sum, sumSq: file.centred.sumSq, centre: file.centred.centre };
  const { mean, ssWithin } = file.moments!;
  const centre = sesCentre(file.persons.ses);
  const count = file.n.length;
  const out: PersonStats = { n: file.n, sum: new Float64Array(count), sumSq: new Float64Array(count), centre };
  for (let i = 0; i < count; i++) {
    const n = file.n[i];
    if (!(n > 0)) continue;
    const s = n * (mean[i] - centre);
    out.sum[i] = s;
    out.sumSq[i] = ssWithin[i] + (s * s) / n;
  }
  return out;
}

/** The file's high-partner counts of a level, after checking its medians equal this run's thresholds. */
function checkedHighCounts(file: PersonStatsFile, threshold: Float64Array, level: AreaLevel): Float64Array {
  const stats = file.levels[level];
  if (stats === null) throw new InputError(`${file.file}: no high_partners_${level} column for the ${level} estimates`, file.file, [], `high_partners_${level}`);
  const rows: number[] = [];
  let first = -1;
  let count = 0;
  for (let i = 0; i < threshold.length; i++) {
    const a = threshold[i];
    const b = stats.median[i];
    if (a === b || (Number.isNaN(a) && Number.isNaN(b))) continue;
    if (first < 0) first = i;
    count++;
    if (rows.length < MAX_REPORTED_ROWS) rows.push(i + 1);
  }
  if (count > 0) {
    const id = file.persons.ids.idOf(first);
    throw new InputError(
      `${file.file}: median_ses_${level} differs from the median SES of the person's ${level} over its persons with encounters in this file ` +
        `at row${count === 1 ? '' : 's'} ${rows.join(', ')}${count > rows.length ? ` (and ${count - rows.length} more)` : ''} ` +
        `(person ${String(id)}: ${stats.median[first]} in the file, ${threshold[first]} here); the high-partner counts were made against other medians ` +
        `(a different set of persons or areas than the statistics), so the bridging index cannot use them`,
      file.file,
      rows,
      `median_ses_${level}`,
      'median differs',
    );
  }
  return stats.high;
}
