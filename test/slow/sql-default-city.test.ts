/**
 * The SQL route on the bundled default city (20,000 persons, 418,583 visits, written as Parquet by
 * `mobiseg simulate --city default --format parquet`): `mobiseg stats --engine duckdb` gives the
 * statistics of mobiseg's own person-stats.arrow (counts, high-partner counts and medians exactly,
 * sums to 1e-12 relative) in both modes and with --min-days 2 and --exclude-same-home; the same numbers
 * for 1 and 2 DuckDB threads (the sums are exact integers); the same bytes with the persons in 3 parts
 * (--partitions 3); the same table from CSV input and in each output format.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadPersonStats, type PersonStatsFile } from '../../src/io/load-person-stats.js';
import { expectSameStatistics } from '../sql/compare.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-sql-city-'));
const city = join(dir, 'city');
const cityCsv = join(dir, 'city-csv');

beforeAll(async () => {
  for (const [out, format] of [
    [city, 'parquet'],
    [cityCsv, 'csv'],
  ]) {
    const r = await runCli('simulate', '--city', 'default', '--out', out, '--format', format, '--quiet');
    expect(r.code).toBe(0);
  }
});

interface StatsRun {
  threads?: string;
  /** the city's files to read */
  input?: 'parquet' | 'csv';
  /** the output's format (extension) */
  output?: 'parquet' | 'arrow' | 'csv';
}

async function sqlStats(name: string, options: string[], run: StatsRun = {}): Promise<{ file: PersonStatsFile; stdout: string; path: string }> {
  const input = run.input ?? 'parquet';
  const folder = input === 'parquet' ? city : cityCsv;
  const path = join(dir, `${name}.${run.output ?? 'parquet'}`);
  const r = await runCli('stats', '--engine', 'duckdb', '--persons', join(folder, `persons.${input}`), '--visits', join(folder, `visits.${input}`), '--out', path, '--threads', run.threads ?? '2', '--quiet', ...options);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return { file: await loadPersonStats(path), stdout: r.stdout, path };
}

async function mobisegStats(name: string, options: string[]): Promise<PersonStatsFile> {
  const out = join(dir, `run-${name}`);
  const r = await runCli('run', '--persons', join(city, 'persons.parquet'), '--visits', join(city, 'visits.parquet'), '--out', out, '--bootstrap', '0', '--threads', '1', '--skip-places', '--quiet', ...options);
  expect(r.code).toBe(0);
  return loadPersonStats(join(out, 'person-stats.arrow'));
}

/** the tables of the cases below, by name, for the tests that compare other runs with them */
const made = new Map<string, PersonStatsFile>();

describe('SQL statistics on the default city', () => {
  const cases: Array<[string, string[], number]> = [
    // name, options, encounter endpoints (mobiseg's count, README)
    ['distinct', [], 1402962],
    ['weighted', ['--mode', 'weighted'], -1],
    ['min-days-2', ['--min-days', '2'], -1],
    ['same-home', ['--exclude-same-home'], -1],
    ['weighted-same-home', ['--mode', 'weighted', '--exclude-same-home'], -1],
  ];
  for (const [name, options, endpoints] of cases) {
    it(`equals mobiseg's person-stats.arrow: ${name}`, async () => {
      const ours = await mobisegStats(name, options);
      const { file, stdout, path } = await sqlStats(name, options);
      made.set(name, file);
      // in 3 parts of the persons (each part's pairs only; the medians over all parts): the same bytes
      const parts = await sqlStats(`${name}-parts-3`, [...options, '--partitions', '3']);
      expect(readFileSync(parts.path).equals(readFileSync(path))).toBe(true);
      const d = expectSameStatistics(ours, file);
      expect(d.persons).toBe(20000);
      // the filters leave fewer persons with encounters, but never none
      expect(d.withEncounters).toBeGreaterThan(name === 'min-days-2' ? 10000 : 19900);
      const total = Array.from(file.n).reduce((a, b) => a + b, 0);
      if (endpoints > 0) expect(total).toBe(endpoints);
      expect(stdout).toContain(`${total} encounter endpoints`);
    });
  }

  it('gives the same numbers, to the bit, for 1 and 2 DuckDB threads', async () => {
    const one = (await sqlStats('threads-1', ['--mode', 'weighted'], { threads: '1' })).file;
    const two = made.get('weighted') ?? (await sqlStats('threads-2', ['--mode', 'weighted'], { threads: '2' })).file;
    expect(Array.from(one.centred!.sum)).toEqual(Array.from(two.centred!.sum));
    expect(Array.from(one.centred!.sumSq)).toEqual(Array.from(two.centred!.sumSq));
    expect(one.centred!.centre).toBe(two.centred!.centre);
  });

  it('reads CSV input (ids as text) to the same table, and writes Arrow and CSV with the same numbers as Parquet', async () => {
    const parquet = made.get('distinct') ?? (await sqlStats('format-parquet', [])).file;
    const fromCsv = await sqlStats('from-csv', [], { input: 'csv', output: 'csv' });
    const arrow = (await sqlStats('format-arrow', [], { output: 'arrow' })).file;
    for (const other of [fromCsv.file, arrow]) {
      expect(Array.from(other.n)).toEqual(Array.from(parquet.n));
      expect(Array.from(other.centred!.sum)).toEqual(Array.from(parquet.centred!.sum));
      expect(Array.from(other.centred!.sumSq)).toEqual(Array.from(parquet.centred!.sumSq));
      expect(Array.from(other.levels.county!.high)).toEqual(Array.from(parquet.levels.county!.high));
      expect(other.persons.ids.idsAsStrings()).toEqual(parquet.persons.ids.idsAsStrings());
      expect(other.persons.msa!.names).toEqual(parquet.persons.msa!.names);
    }
    expect(readFileSync(fromCsv.path, 'utf8').split('\n')[0]).toBe(
      'person_id,ses,n_endpoints,partner_ses_mean,partner_ses_ss_within,high_partners_msa,high_partners_county,median_ses_msa,median_ses_county,msa,county_fips,county_name,home_tract,home_lat,home_lon,ses_centre,partner_ses_sum,partner_ses_sumsq',
    );
  });
});
