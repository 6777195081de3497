/**
 * The in-memory path's limit, checked before loading (README "Limits"): row counts from Parquet footers
 * and Arrow record batch headers (exact) and CSV sizes (estimated); an input past the memory the run
 * may use stops with a UsageError that names the SQL route, before anything is read or written.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableToIPC } from 'apache-arrow';
import { runCli } from '../helpers/cli.js';
import { countRows } from '../../src/io/row-count.js';
import { checkInMemoryFit, checkPersonStatsFit, BYTES_PER_VISIT, BYTES_PER_PERSON_STATS } from '../../src/pipeline/memory-fit.js';
import { runMobility } from '../../src/pipeline/mobility-run.js';
import { ESTIMATE_DEFAULTS } from '../../src/estimate/estimate-world.js';
import { silentProgress } from '../../src/estimate/progress.js';
import { UsageError } from '../../src/io/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-memory-fit-'));
/** the tiny city's visits: the data lines of its visits.csv */
let VISITS = 0;

beforeAll(async () => {
  for (const format of ['parquet', 'arrow', 'csv']) {
    expect((await runCli('simulate', '--city', 'tiny', '--out', join(dir, format), '--format', format, '--quiet')).code).toBe(0);
  }
  VISITS = readFileSync(join(dir, 'csv', 'visits.csv'), 'utf8').trimEnd().split('\n').length - 1;
  expect(VISITS).toBeGreaterThan(1000);
});

describe('row counts before loading', () => {
  it('are exact from Parquet footers and Arrow batch headers (file and stream formats)', async () => {
    expect(await countRows(join(dir, 'parquet', 'visits.parquet'))).toEqual({ rows: VISITS, exact: true });
    expect(await countRows(join(dir, 'arrow', 'visits.arrow'))).toEqual({ rows: VISITS, exact: true });
    // three record batches, in the stream and in the file format
    const table = tableFromArrays({ a: Int32Array.from({ length: 2500 }, (_, i) => i) });
    const three = new Table([...table.slice(0, 1000).batches, ...table.slice(1000, 2000).batches, ...table.slice(2000).batches]);
    expect(three.batches.length).toBe(3);
    for (const format of ['stream', 'file'] as const) {
      const path = join(dir, `three.${format}.arrow`);
      writeFileSync(path, tableToIPC(three, format));
      expect(await countRows(path)).toEqual({ rows: 2500, exact: true });
    }
  });

  it('are estimated for CSV from the first MiB: exactly for a small file, closely for large and gzip ones', async () => {
    expect(await countRows(join(dir, 'csv', 'visits.csv'))).toEqual({ rows: VISITS, exact: false });
    const lines = Array.from({ length: 120_000 }, (_, i) => `${i % 977},${i % 31},${1546300800 + 17 * i},${1546300800 + 17 * i + 600}`);
    const big = join(dir, 'big.csv');
    writeFileSync(big, 'person_id,place_id,start,end\n' + lines.join('\n') + '\n');
    const estimate = (await countRows(big)).rows;
    expect(Math.abs(estimate - 120_000) / 120_000).toBeLessThan(0.05);
    const gz = join(dir, 'big.csv.gz');
    writeFileSync(gz, gzipSync(Buffer.from('person_id,place_id,start,end\n' + lines.join('\n') + '\n')));
    expect(Math.abs((await countRows(gz)).rows - 120_000) / 120_000).toBeLessThan(0.2);
  });

  it('are NaN for files whose footer or sample cannot be read, and then nothing is decided (the reader will say why)', async () => {
    const bytes = readFileSync(join(dir, 'parquet', 'visits.parquet'));
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, bytes.subarray(0, bytes.length - 20));
    expect((await countRows(cut)).rows).toBeNaN();
    const gz = join(dir, 'corrupt.csv.gz');
    writeFileSync(gz, Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]), Buffer.alloc(100, 0xff)]));
    expect((await countRows(gz)).rows).toBeNaN();
    expect((await checkInMemoryFit(cut, 'visits', 'p.parquet', 1)).rows).toBeNaN();
  });
});

describe('the in-memory limit', () => {
  it('passes an input that fits, with the bytes it needs at least', async () => {
    const fit = await checkInMemoryFit(join(dir, 'parquet', 'visits.parquet'), 'visits', 'persons.parquet', 2 ** 30);
    expect(fit).toEqual({ rows: VISITS, exact: true, needBytes: VISITS * BYTES_PER_VISIT, availableBytes: 2 ** 30 });
  });

  it('stops a run whose visits cannot fit before reading anything, naming the SQL route', async () => {
    const out = join(dir, 'never');
    const persons = join(dir, 'parquet', 'persons.parquet');
    const visits = join(dir, 'parquet', 'visits.parquet');
    const e = await runMobility({ persons, visits }, out, { ...ESTIMATE_DEFAULTS, threads: 1, dropInvalid: false, memoryBytes: 100_000 }, silentProgress).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).toContain(`${visits}: ${VISITS.toLocaleString('en-US')} visits need at least 0.0 GiB in memory (about 80 bytes each, README "Limits"), more than the 0.0 GiB this machine has.`);
    expect(message).toContain(`mobiseg stats --engine duckdb --persons ${persons} --visits ${visits} --out stats.parquet`);
    expect(message).toContain('then mobiseg run --person-stats stats.parquet');
    expect(existsSync(out)).toBe(false);
  });

  it('stops pair records that cannot fit (a CSV count is an estimate: "about")', async () => {
    const head = 'person_a,person_b\n' + '1,2\n'.repeat(300_000);
    const file = join(dir, 'pairs.csv');
    writeFileSync(file, head);
    const fit = await checkInMemoryFit(file, 'encounters', 'p.csv', 2 ** 40);
    expect(fit.exact).toBe(false);
    expect(Math.abs(fit.rows - 300_000)).toBeLessThan(300);
    await expect(checkInMemoryFit(file, 'encounters', 'p.csv', 1000)).rejects.toThrow(/pairs\.csv: about [\d,]+ pair records need at least .* --encounters .*pairs\.csv/);
  });

  it('stops a run from per-person statistics that cannot fit, before reading them, saying how to split', async () => {
    const first = join(dir, 'from-visits');
    const persons = join(dir, 'parquet', 'persons.parquet');
    await runMobility({ persons, visits: join(dir, 'parquet', 'visits.parquet') }, first, { ...ESTIMATE_DEFAULTS, threads: 1, bootstrap: 0, places: false, dropInvalid: false }, silentProgress);
    const stats = join(first, 'person-stats.arrow');
    const nPersons = (await countRows(persons)).rows;
    expect(await checkPersonStatsFit(stats, 2 ** 40)).toEqual({ rows: nPersons, exact: true, needBytes: nPersons * BYTES_PER_PERSON_STATS, availableBytes: 2 ** 40 });
    const out = join(dir, 'never-from-stats');
    const e = await runMobility({ personStats: stats }, out, { ...ESTIMATE_DEFAULTS, threads: 1, dropInvalid: false, memoryBytes: nPersons * BYTES_PER_PERSON_STATS - 1 }, silentProgress).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).toContain(`${stats}: ${nPersons.toLocaleString('en-US')} persons need at least`);
    expect((e as Error).message).toContain('Split the table by MSA');
    expect(existsSync(out)).toBe(false);
    // exactly at the bound it runs
    await runMobility({ personStats: stats }, join(dir, 'from-stats'), { ...ESTIMATE_DEFAULTS, threads: 1, bootstrap: 0, dropInvalid: false, memoryBytes: nPersons * BYTES_PER_PERSON_STATS }, silentProgress);
    expect(readFileSync(join(dir, 'from-stats', 'msa.csv'), 'utf8')).toBe(readFileSync(join(first, 'msa.csv'), 'utf8'));
  });
});
