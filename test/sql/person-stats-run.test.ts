/**
 * `mobiseg run --person-stats`: every estimate that needs only per-person statistics, the same numbers
 * as the run from visits. On the tiny city (test/slow/sql-default-city.test.ts compares the statistics on
 * the default city): msa.csv, county.csv and comparison.csv byte for byte (same --bootstrap and --seed,
 * also with --max-people) from the run's own person-stats.arrow, in Arrow and as CSV; from the DuckDB
 * statistics (sums equal to ~1e-15) the same areas, counts and medians and the estimates to 1e-9. What
 * needs the encounters themselves, or contradicts the file, stops with exit 2.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadPersonStats } from '../../src/io/load-person-stats.js';
import { personStatsTable } from '../../src/pipeline/person-stats-table.js';
import { writeCsv } from '../../src/io/csv-writer.js';
import { columnTable } from '../../src/io/column-table.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-person-stats-run-'));
const city = join(dir, 'city');
const fromVisits = join(dir, 'from-visits');
const estimate = ['--bootstrap', '30', '--seed', '7', '--threads', '1', '--quiet'];
const AREA_FILES = ['msa.csv', 'county.csv', 'comparison.csv'];

const read = (folder: string, file: string) => readFileSync(join(folder, file), 'utf8');

beforeAll(async () => {
  expect((await runCli('simulate', '--city', 'tiny', '--out', city, '--format', 'parquet', '--quiet')).code).toBe(0);
  const r = await runCli('run', '--persons', join(city, 'persons.parquet'), '--visits', join(city, 'visits.parquet'), '--out', fromVisits, '--skip-places', ...estimate);
  expect(r.code).toBe(0);
});

async function runFromStats(name: string, file: string, ...options: string[]) {
  const out = join(dir, name);
  const r = await runCli('run', '--person-stats', file, '--out', out, ...estimate, ...options);
  return { out, ...r };
}

describe('run --person-stats', () => {
  it('gives byte-identical msa.csv, county.csv and comparison.csv from the run\'s own person-stats.arrow', async () => {
    const r = await runFromStats('from-arrow', join(fromVisits, 'person-stats.arrow'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of AREA_FILES) expect(read(r.out, f)).toBe(read(fromVisits, f));
    // 2 MSAs with estimates, intervals and bridging indices: a real comparison
    const msa = await readSmallTable(join(r.out, 'msa.csv'));
    expect(msa.text('msa')).toEqual(['Hillview, XN', 'Lakeside, XS']);
    expect(Array.from(msa.numbers('es_ci_low')).every(Number.isFinite)).toBe(true);
    expect(Array.from(msa.numbers('bridging_index')).every((x) => x > 0.5 && x <= 1)).toBe(true);
    // the statistics written again are the same table
    expect(readFileSync(join(r.out, 'person-stats.arrow')).equals(readFileSync(join(fromVisits, 'person-stats.arrow')))).toBe(true);
    const endpoints = JSON.parse(read(fromVisits, 'manifest.json')).counts.encounter_endpoints;
    expect(endpoints).toBeGreaterThan(10000);
    expect(r.stdout).toContain(`450 persons, statistics per person, ${endpoints} encounter endpoints`);
  });

  it('gives the same bytes from the statistics as CSV, and with --max-people sampling', async () => {
    const stats = await loadPersonStats(join(fromVisits, 'person-stats.arrow'));
    const csv = join(dir, 'person-stats.csv');
    await writeCsv(csv, personStatsTable(stats.persons, { n: stats.n, ...stats.centred! }, stats.levels));
    const r = await runFromStats('from-csv', csv);
    expect(r.code).toBe(0);
    for (const f of AREA_FILES) expect(read(r.out, f)).toBe(read(fromVisits, f));

    const sampled = join(dir, 'from-visits-sampled');
    expect((await runCli('run', '--persons', join(city, 'persons.parquet'), '--visits', join(city, 'visits.parquet'), '--out', sampled, '--skip-places', '--max-people', '60', ...estimate)).code).toBe(0);
    const s = await runFromStats('from-arrow-sampled', join(sampled, 'person-stats.arrow'), '--max-people', '60');
    expect(s.code).toBe(0);
    for (const f of AREA_FILES) expect(read(s.out, f)).toBe(read(sampled, f));
    // sampling changed the fit, so the comparison above is not of identical inputs by accident
    expect(read(sampled, 'msa.csv')).not.toBe(read(fromVisits, 'msa.csv'));
  });

  it('equals a full run (with places) except for the place-community columns', async () => {
    const full = join(dir, 'full');
    expect((await runCli('run', '--persons', join(city, 'persons.parquet'), '--visits', join(city, 'visits.parquet'), '--out', full, ...estimate)).code).toBe(0);
    const community = new Set(['place_modularity', 'place_communities', 'encounters_within_communities']);
    const withoutCommunities = (text: string) => {
      const rows = text.trimEnd().split('\n').map((l) => l.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '')));
      const keep = rows[0].map((h, k) => (community.has(h) ? -1 : k)).filter((k) => k >= 0);
      return rows.map((r) => keep.map((k) => r[k]).join(','));
    };
    expect(read(full, 'msa.csv').split('\n')[0]).toContain('place_modularity');
    expect(withoutCommunities(read(full, 'msa.csv'))).toEqual(withoutCommunities(read(fromVisits, 'msa.csv')));
    expect(read(full, 'county.csv')).toBe(read(fromVisits, 'county.csv'));
  });

  it('estimates from the DuckDB statistics: same areas, people, endpoints and medians, estimates to 1e-9', async () => {
    const stats = join(dir, 'duckdb.parquet');
    const s = await runCli('stats', '--engine', 'duckdb', '--persons', join(city, 'persons.parquet'), '--visits', join(city, 'visits.parquet'), '--out', stats, '--threads', '2', '--quiet');
    expect(s.code).toBe(0);
    const r = await runFromStats('from-duckdb', stats);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['msa.csv', 'county.csv']) {
      const ours = await readSmallTable(join(fromVisits, f));
      const theirs = await readSmallTable(join(r.out, f));
      const exact = f === 'msa.csv' ? ['msa', 'n_people', 'n_residents', 'n_obs', 'median_ses', 'note'] : ['fips_code', 'county_name', 'n_people', 'n_obs', 'median_ses', 'note'];
      for (const c of exact) expect(theirs.text(c)).toEqual(ours.text(c));
      let worst = 0;
      for (const c of ['exposure_segregation', 'bridging_index', 'es_ci_low', 'es_ci_high', 'es_naive', 'a', 'tau2', 'sigma2', 'p_obs', 'p_rand', 'ec']) {
        const x = ours.numbers(c, { allowMissing: true });
        const y = theirs.numbers(c, { allowMissing: true });
        for (let k = 0; k < x.length; k++) {
          expect(Number.isNaN(y[k])).toBe(Number.isNaN(x[k]));
          if (!Number.isNaN(x[k])) worst = Math.max(worst, Math.abs(x[k] - y[k]) / Math.max(Math.abs(x[k]), Number.MIN_VALUE));
        }
      }
      expect(worst).toBeLessThan(1e-9);
    }
  });

  it('refuses what needs the encounters, options that counted them, and inputs beside the statistics (exit 2)', async () => {
    const file = join(fromVisits, 'person-stats.arrow');
    const permutations = await runFromStats('refused-1', file, '--permutations', '10');
    expect(permutations.code).toBe(2);
    expect(permutations.stderr).toMatch(/--permutations shuffles SES over the encounters .* run from --visits or --encounters/);
    const counting = await runFromStats('refused-2', file, '--mode', 'weighted', '--min-days', '2');
    expect(counting.code).toBe(2);
    expect(counting.stderr).toMatch(/--mode, --min-days: with --person-stats the encounters were already counted/);
    const persons = await runFromStats('refused-3', file, '--persons', join(city, 'persons.parquet'));
    expect(persons.code).toBe(2);
    expect(persons.stderr).toMatch(/give it without --persons/);
  });

  it('refuses statistics whose high-partner counts were made against other medians, naming rows and column', async () => {
    const stats = await loadPersonStats(join(fromVisits, 'person-stats.arrow'));
    const median = stats.levels.county!.median.slice();
    median[4] += 1; // row 5
    median[9] += 1; // row 10
    const bad = join(dir, 'bad-median.csv');
    await writeCsv(bad, personStatsTable(stats.persons, { n: stats.n, ...stats.centred! }, { msa: stats.levels.msa, county: { high: stats.levels.county!.high, median } }));
    const r = await runFromStats('bad-median', bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-median\.csv: median_ses_county differs from the median SES of the person's county .* at rows 5, 10 /);
  });

  it('takes statistics with the moments only (mean and within sum of squares), to rounding', async () => {
    const stats = await loadPersonStats(join(fromVisits, 'person-stats.arrow'));
    const table = personStatsTable(stats.persons, { n: stats.n, ...stats.centred! }, stats.levels);
    const moments = join(dir, 'moments.csv');
    await writeCsv(moments, columnTable(table.columns.filter((c) => !['ses_centre', 'partner_ses_sum', 'partner_ses_sumsq'].includes(c.name))));
    const r = await runFromStats('from-moments', moments);
    expect(r.code).toBe(0);
    const ours = await readSmallTable(join(fromVisits, 'msa.csv'));
    const theirs = await readSmallTable(join(r.out, 'msa.csv'));
    expect(theirs.text('n_obs')).toEqual(ours.text('n_obs'));
    const es = ours.numbers('exposure_segregation');
    theirs.numbers('exposure_segregation').forEach((x, k) => expect(Math.abs(x - es[k])).toBeLessThan(1e-9 * es[k]));
    // a file without either form of the sums is refused, naming what is missing
    const neither = join(dir, 'neither.csv');
    await writeCsv(neither, columnTable(table.columns.filter((c) => !['partner_ses_sum', 'partner_ses_mean'].includes(c.name))));
    const n = await runFromStats('from-neither', neither);
    expect(n.code).toBe(2);
    expect(n.stderr).toMatch(/neither\.csv: missing column "partner_ses_mean"/);
  });
});
