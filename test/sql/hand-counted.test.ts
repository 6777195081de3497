/**
 * The SQL route (sql/, run by `mobiseg stats --engine duckdb`) on the hand-counted visits of
 * test/encounters/hand-counted.test.ts: the counts and sums worked out by hand there, the bridging
 * index's high-partner counts against area medians worked out by hand here, and the same table as
 * mobiseg's own person-stats.arrow for the same files, in both modes, with the filters, from visits
 * and from the equivalent pair records.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadPersonStats, type PersonStatsFile } from '../../src/io/load-person-stats.js';
import { expectSameStatistics } from './compare.js';

/*
 * Five persons (SES 1..5), places A and B, bins of 300 s. Persons p0 and p1 share a household.
 *   p0 @A t=0            -> bin 0            p1 @A t=100  -> bin 0
 *   p2 @A [250, 700)     -> bins 0, 1, 2     p3 @A t=600  -> bin 2      p0 @A t=610 -> bin 2
 *   p4 @B t=0            -> bin 0 (alone: no encounter)
 *   p3 @B t=86410, p2 @B t=86420            -> bin 288 (day 1)
 *   p2 @A t=172800, p3 @A t=172805          -> bin 576 (day 2)
 * Groups with 2+ persons: A/0 {p0,p1,p2}, A/2 {p0,p2,p3}, A/576 {p2,p3}, B/288 {p2,p3}.
 * One MSA for all; county 1 = {p0, p1}, county 2 = {p2, p3, p4}.
 */
const dir = mkdtempSync(join(tmpdir(), 'mobiseg-sql-hand-'));
const persons = join(dir, 'persons.csv');
const visits = join(dir, 'visits.csv');
const pairs = join(dir, 'pairs.csv');

beforeAll(() => {
  writeFileSync(
    persons,
    'person_id,ses,msa,county_fips,county_name,home_id\n' +
      ['p0,1,"Metro, XX",1,One,h0', 'p1,2,"Metro, XX",1,One,h0', 'p2,3,"Metro, XX",2,Two,h1', 'p3,4,"Metro, XX",2,Two,h2', 'p4,5,"Metro, XX",2,Two,h3'].join('\n') +
      '\n',
  );
  // times as epoch seconds and as ISO-8601 (UTC), as mobiseg's readers take them
  writeFileSync(
    visits,
    'person_id,place_id,start,end\n' +
      [
        'p0,A,0,',
        'p1,A,1970-01-01T00:01:40Z,',
        'p2,A,250,700',
        'p3,A,600,',
        'p0,A,610,',
        'p4,B,0,',
        'p3,B,86410,',
        'p2,B,1970-01-02T00:00:20,',
        'p2,A,172800,',
        'p3,A,172805,',
      ].join('\n') +
      '\n',
  );
  // the pair records the groups imply, one per (pair, place, bin), at the bin's start
  writeFileSync(
    pairs,
    'person_a,person_b,place_id,time\n' +
      ['p0,p1,A,0', 'p0,p2,A,0', 'p1,p2,A,0', 'p0,p2,A,600', 'p0,p3,A,600', 'p2,p3,A,600', 'p2,p3,A,172800', 'p3,p2,B,86400'].join('\n') +
      '\n',
  );
});

async function sqlStats(input: 'visits' | 'encounters', name: string, ...options: string[]): Promise<PersonStatsFile> {
  const out = join(dir, `${name}.parquet`);
  const r = await runCli('stats', '--engine', 'duckdb', '--persons', persons, `--${input}`, input === 'visits' ? visits : pairs, '--out', out, '--threads', '1', '--quiet', ...options);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return loadPersonStats(out);
}

async function mobisegStats(name: string, ...options: string[]): Promise<PersonStatsFile> {
  const out = join(dir, `run-${name}`);
  const r = await runCli('run', '--persons', persons, '--visits', visits, '--out', out, '--bootstrap', '0', '--threads', '1', '--skip-places', '--quiet', ...options);
  expect(r.code).toBe(0);
  return loadPersonStats(join(out, 'person-stats.arrow'));
}

/** n, sum and sum of squares of partners' SES (uncentred), rounded to 1e-9 against float noise. */
function raw(s: PersonStatsFile) {
  const { centre, sum, sumSq } = s.centred!;
  const r = (v: number) => Math.round(v * 1e9) / 1e9;
  return {
    n: Array.from(s.n),
    sum: Array.from(sum, (v, i) => r(v + s.n[i] * centre)),
    sumSq: Array.from(sumSq, (v, i) => r(v + 2 * centre * sum[i] + s.n[i] * centre * centre)),
    highMsa: Array.from(s.levels.msa!.high),
    highCounty: Array.from(s.levels.county!.high),
    medianMsa: Array.from(s.levels.msa!.median),
    medianCounty: Array.from(s.levels.county!.median),
  };
}

describe('SQL statistics on the hand-counted visits', () => {
  it('weighted: every co-presence; high partners against the medians of the persons with encounters', async () => {
    const s = raw(await sqlStats('visits', 'weighted', '--mode', 'weighted'));
    // p0 meets p1, p2 (A/0) and p2, p3 (A/2): partners' SES 2, 3, 3, 4
    expect(s.n).toEqual([4, 2, 6, 4, 0]);
    expect(s.sum).toEqual([12, 4, 16, 10, 0]);
    expect(s.sumSq).toEqual([38, 10, 54, 28, 0]);
    // MSA: p0..p3 have encounters, SES 1, 2, 3, 4 -> median 2.5; high = partners with SES >= 2.5
    // (p0: 3, 3, 4; p1: 3; p2: 4, 4, 4 of 1, 2, 1, 4, 4, 4; p3: 3, 3, 3 of 1, 3, 3, 3)
    expect(s.medianMsa).toEqual([2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(s.highMsa).toEqual([3, 1, 3, 3, 0]);
    // counties: {p0, p1} -> median 1.5; {p2, p3} with encounters (p4 has none) -> 3.5
    expect(s.medianCounty).toEqual([1.5, 1.5, 3.5, 3.5, 3.5]);
    expect(s.highCounty).toEqual([4, 1, 3, 0, 0]);
  });

  it('weighted with --exclude-same-home: p0 and p1 lose each other', async () => {
    const s = raw(await sqlStats('visits', 'weighted-home', '--mode', 'weighted', '--exclude-same-home'));
    expect(s.n).toEqual([3, 1, 6, 4, 0]);
    expect(s.sum).toEqual([10, 3, 16, 10, 0]);
    expect(s.sumSq).toEqual([34, 9, 54, 28, 0]);
    expect(s.highMsa).toEqual([3, 1, 3, 3, 0]);
    expect(s.highCounty).toEqual([3, 1, 3, 0, 0]);
  });

  it('distinct: each pair once', async () => {
    const s = raw(await sqlStats('visits', 'distinct'));
    // partners: p0 {p1, p2, p3}, p1 {p0, p2}, p2 {p0, p1, p3}, p3 {p0, p2}
    expect(s.n).toEqual([3, 2, 3, 2, 0]);
    expect(s.sum).toEqual([9, 4, 7, 4, 0]);
    expect(s.sumSq).toEqual([29, 10, 21, 10, 0]);
    expect(s.highMsa).toEqual([2, 1, 1, 1, 0]);
    expect(s.highCounty).toEqual([3, 1, 1, 0, 0]);
  });

  it('distinct with --min-days 2: only p2 and p3 met on two days (days 0, 1 and 2)', async () => {
    const s = raw(await sqlStats('visits', 'min-days-2', '--min-days', '2'));
    expect(s.n).toEqual([0, 0, 1, 1, 0]);
    expect(s.sum).toEqual([0, 0, 4, 3, 0]);
    // only p2 and p3 have encounters: MSA median 3.5; county 1 has nobody with encounters (no median)
    expect(s.medianMsa).toEqual([3.5, 3.5, 3.5, 3.5, 3.5]);
    expect(s.medianCounty).toEqual([NaN, NaN, 3.5, 3.5, 3.5]);
    expect(s.highMsa).toEqual([0, 0, 1, 0, 0]);
    expect(s.highCounty).toEqual([0, 0, 1, 0, 0]);
    expect(raw(await sqlStats('visits', 'min-days-3', '--min-days', '3')).n).toEqual([0, 0, 1, 1, 0]);
    expect(raw(await sqlStats('visits', 'min-days-4', '--min-days', '4')).n).toEqual([0, 0, 0, 0, 0]);
  });

  it('distinct with --exclude-same-home: the pair p0-p1 is left out', async () => {
    const s = raw(await sqlStats('visits', 'distinct-home', '--exclude-same-home'));
    expect(s.n).toEqual([2, 1, 3, 2, 0]);
    expect(s.highMsa).toEqual([2, 1, 1, 1, 0]);
    expect(s.highCounty).toEqual([2, 1, 1, 0, 0]);
  });

  it("equals mobiseg's own person-stats.arrow in both modes and with the filters, from visits and from pairs", async () => {
    const cases: Array<[string, string[]]> = [
      ['weighted', ['--mode', 'weighted']],
      ['weighted-home', ['--mode', 'weighted', '--exclude-same-home']],
      ['distinct', []],
      ['distinct-home', ['--exclude-same-home']],
      ['min-days-2', ['--min-days', '2']],
      ['min-days-2-offset', ['--min-days', '2', '--day-offset', '-43200']],
    ];
    for (const [name, options] of cases) {
      const ours = await mobisegStats(name, ...options);
      expectSameStatistics(ours, await sqlStats('visits', `v-${name}`, ...options));
      // pair records of the same co-presences give the same statistics (the day of a pair record is the
      // day of its time, here the bin's start)
      expectSameStatistics(ours, await sqlStats('encounters', `p-${name}`, ...options));
    }
  });
});

describe('SQL statistics in parts (--partitions)', () => {
  it('are the same bytes as in one part, in both modes and with the filters, from visits and pairs, also with more parts than persons', async () => {
    const cases: Array<[string, string[]]> = [
      ['weighted', ['--mode', 'weighted']],
      ['weighted-home', ['--mode', 'weighted', '--exclude-same-home']],
      ['distinct', []],
      ['distinct-home', ['--exclude-same-home']],
      ['min-days-2', ['--min-days', '2']],
      ['min-days-2-home-offset', ['--min-days', '2', '--exclude-same-home', '--day-offset', '-43200']],
    ];
    for (const input of ['visits', 'encounters'] as const) {
      for (const [name, options] of cases) {
        const whole = join(dir, `${input}-${name}-k1.parquet`);
        const run = async (out: string, k: string) => {
          const r = await runCli('stats', '--engine', 'duckdb', '--persons', persons, `--${input}`, input === 'visits' ? visits : pairs, '--out', out, '--threads', '2', '--json', '--partitions', k, ...options);
          expect(r.code).toBe(0);
          expect(JSON.parse(r.stdout).partitions).toBe(Number(k));
          return readFileSync(out);
        };
        const one = await run(whole, '1');
        // 2 parts: {p0, p2, p4} and {p1, p3} (person_key mod 2); 7 parts: two of them empty
        for (const k of ['2', '3', '7']) expect([input, name, k, (await run(join(dir, `${input}-${name}-k${k}.parquet`), k)).equals(one)]).toEqual([input, name, k, true]);
      }
    }
  });
});
