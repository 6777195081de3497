/**
 * `mobiseg stats --engine duckdb` on bad input and bad usage: exit 2 with a message naming the file,
 * rows and column (or the option), before the heavy work; --drop-invalid leaves such rows out and counts
 * them; a missing @duckdb/node-api is a usage error that gives the install command.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadDuckDb } from '../../src/pipeline/duckdb-engine.js';
import { choosePartitions, runSqlStats } from '../../src/pipeline/sql-stats.js';
import { UsageError } from '../../src/io/errors.js';
import { silentProgress } from '../../src/estimate/progress.js';
import { loadPersonStats } from '../../src/io/load-person-stats.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-sql-errors-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
let persons: string;
let visits: string;

beforeAll(() => {
  persons = file('persons.csv', 'person_id,ses,msa\n1,10,M\n2,20,M\n3,30,M\n4,40,M\n');
  visits = file('visits.csv', 'person_id,place_id,start,end\n1,A,0,\n2,A,10,\n3,A,20,\n4,B,0,\n3,B,5,\n');
});

const stats = (...args: string[]) => runCli('stats', '--engine', 'duckdb', '--threads', '1', '--quiet', ...args);

describe('mobiseg stats: bad input', () => {
  it('names the file, rows and column of visits by unknown persons, and writes nothing', async () => {
    const bad = file('visits-unknown.csv', 'person_id,place_id,start\n1,A,0\n9,A,0\n2,A,0\n8,A,0\n');
    const out = join(dir, 'never.parquet');
    const r = await stats('--persons', persons, '--visits', bad, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${bad}: unknown person in column "person_id" at rows 2, 4\n`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names duplicate person ids, non-finite SES, unparseable times and ends before starts', async () => {
    const dup = file('persons-dup.csv', 'person_id,ses\n1,1\n2,2\n1,3\n');
    expect((await stats('--persons', dup, '--visits', visits, '--out', join(dir, 'x.parquet'))).stderr).toMatch(/persons-dup\.csv: duplicate id in column "person_id" at row 3\n$/);
    const ses = file('persons-ses.csv', 'person_id,ses\n1,1\n2,abc\n3,\n');
    expect((await stats('--persons', ses, '--visits', visits, '--out', join(dir, 'x.parquet'))).stderr).toMatch(/persons-ses\.csv: non-finite SES in column "ses" at rows 2, 3\n$/);
    const time = file('visits-time.csv', 'person_id,place_id,start\n1,A,0\n2,A,yesterday\n');
    expect((await stats('--persons', persons, '--visits', time, '--out', join(dir, 'x.parquet'))).stderr).toMatch(/visits-time\.csv: unparseable time in column "start" at row 2\n$/);
    const end = file('visits-end.csv', 'person_id,place_id,start,end\n1,A,100,50\n2,A,0,10\n');
    const r = await stats('--persons', persons, '--visits', end, '--out', join(dir, 'x.parquet'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/visits-end\.csv: end before start in column "end" at row 1\n$/);
  });

  it('with --drop-invalid leaves the bad rows out, counts them, and counts the rest', async () => {
    const bad = file('visits-mixed.csv', 'person_id,place_id,start\n1,A,0\n9,A,0\n2,A,10\n3,A,nope\n');
    const out = join(dir, 'dropped.parquet');
    const r = await stats('--persons', persons, '--visits', bad, '--out', out, '--drop-invalid', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.dropped.visits).toEqual({ 'unknown person (column person_id)': 1, 'unparseable time (column start)': 1 });
    expect(summary.rows_read.visits).toBe(4);
    // persons 1 and 2 met (bin 0 at A); 3's visit was dropped
    expect(Array.from((await loadPersonStats(out)).n)).toEqual([1, 1, 0, 0]);
  });

  it('always leaves out self-pairs of pair records, and counts them', async () => {
    const pairs = file('pairs.csv', 'person_a,person_b\n1,2\n3,3\n2,4\n');
    const out = join(dir, 'pairs.parquet');
    const r = await stats('--persons', persons, '--encounters', pairs, '--out', out, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).dropped.encounters).toEqual({ 'self-pair (column person_b)': 1 });
    expect(Array.from((await loadPersonStats(out)).n)).toEqual([1, 2, 0, 1]);
  });
});

describe('mobiseg stats: bad usage', () => {
  it('says what is wrong with the options (exit 2)', async () => {
    const out = join(dir, 'u.parquet');
    const cases: Array<[string[], RegExp]> = [
      [['--persons', persons, '--visits', visits, '--out', out, '--mode', 'weighted', '--min-days', '2'], /--min-days applies to distinct pairs/],
      [['--persons', persons, '--visits', visits, '--out', out, '--exclude-same-home'], /--exclude-same-home needs a home_id column in .*persons\.csv/],
      [['--persons', persons, '--visits', visits, '--out', join(dir, 'u.txt')], /name the statistics file \.arrow, \.parquet or \.csv/],
      [['--persons', persons, '--visits', visits, '--out', out, '--memory-limit', 'lots'], /--memory-limit must be a size such as 8GB/],
      [['--persons', persons, '--out', out], /give either --visits or --encounters/],
      [['--persons', persons, '--visits', visits, '--out', out, '--partitions', '0'], /--partitions must be an integer in \[1, 1000000\], got "0"/],
      [['--persons', persons, '--visits', visits, '--out', out, '--partitions', '2.5'], /--partitions must be an integer in \[1, 1000000\], got "2\.5"/],
      [['--persons', persons, '--visits', visits, '--out', out, '--partitions', 'many'], /--partitions must be an integer in \[1, 1000000\], got "many"/],
    ];
    for (const [args, message] of cases) {
      const r = await stats(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('refuses Arrow input, which DuckDB does not read, saying what to do', async () => {
    expect((await runCli('simulate', '--city', 'tiny', '--out', join(dir, 'tiny'), '--format', 'arrow', '--quiet')).code).toBe(0);
    const r = await stats('--persons', join(dir, 'tiny', 'persons.arrow'), '--visits', join(dir, 'tiny', 'visits.arrow'), '--out', join(dir, 'a.parquet'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/persons\.arrow: an Arrow IPC file; the DuckDB engine reads Parquet and CSV \(convert it to Parquet, or use mobiseg run/);
  });

  it('without @duckdb/node-api: a usage error (exit 2) with the install command', async () => {
    const message = /--engine duckdb needs the optional package @duckdb\/node-api, which is not installed\. Install it where mobiseg is installed: npm install --save-exact @duckdb\/node-api@1\.5\.6-r\.1/;
    await expect(loadDuckDb('@duckdb/no-such-package')).rejects.toThrow(message);
    const e = await runSqlStats({ persons, visits }, join(dir, 'no-duckdb.parquet'), { mode: 'distinct', binSeconds: 300, minDays: 1, excludeSameHome: false, dayOffsetSeconds: 0, threads: 1, dropInvalid: false, duckdbModule: '@duckdb/no-such-package' }, silentProgress).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as UsageError).exitCode).toBe(2);
    expect((e as Error).message).toMatch(message);
  });
});

describe('mobiseg stats: the parts of the persons', () => {
  it('are chosen from the input rows and the memory limit (64 bytes a row per part), at least one', () => {
    const summary = (visits: number) => ({ input: 'visits' as const, personColumns: new Set<string>(), pairsHaveDays: false, rowsRead: { persons: 1, visits }, dropped: {} });
    // 10^9 visit-bins under 8 GB (10^9 bytes each): 64e9 / 8e9 = 8 parts; 10^8 under 8 GB: 0.8, so 1
    expect(choosePartitions(summary(1e9), '8GB')).toBe(8);
    expect(choosePartitions(summary(1e9), '8GiB')).toBe(Math.ceil(64e9 / 8 / 2 ** 30));
    expect(choosePartitions(summary(1e8), '8GB')).toBe(1);
    expect(choosePartitions(summary(0), '8GB')).toBe(1);
  });

  it('prints the number of parts it ran', async () => {
    const r = await stats('--persons', persons, '--visits', visits, '--out', join(dir, 'parts.parquet'), '--partitions', '3');
    // groups A/0 {1, 2, 3} (6 endpoints) and B/0 {3, 4} (2)
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^mobiseg stats \(DuckDB, distinct, 3 parts\): 4 persons, 4 with encounters, 8 encounter endpoints/);
  });
});
