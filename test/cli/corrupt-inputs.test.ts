/**
 * Corrupt or absurd inputs are bad input (exit code 2, a message naming the file and what is wrong),
 * never an internal error with a stack trace: truncated or corrupt gzip, truncated Arrow files and
 * streams, a visit of 10^12 s, and visits spanning more bins than a run indexes.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { runCli } from '../helpers/cli.js';
import { MAX_VISIT_SECONDS } from '../../src/io/load-visits.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-corrupt-'));
const persons = join(dir, 'persons.csv');
writeFileSync(persons, 'person_id,ses,msa\n' + Array.from({ length: 40 }, (_, i) => `${i + 1},${10 + i},"A, XX"`).join('\n') + '\n');
/** 40 persons, 4 places, each person at one place in one of two 5-minute bins */
const visitRows = Array.from({ length: 40 }, (_, i) => [i + 1, (i % 4) + 1, 1_700_000_000 + 300 * (i % 2), 600]);
const visitsCsv = 'person_id,place_id,start,dwell_s\n' + visitRows.map((r) => r.join(',')).join('\n') + '\n';

const run = (visits: string, ...more: string[]) => runCli('run', '--persons', persons, '--visits', visits, '--out', join(dir, 'out'), '--bootstrap', '0', '--threads', '1', '--quiet', ...more);

describe('corrupt compressed and Arrow inputs', () => {
  it('the intact inputs run (so the failures below are the corruption)', async () => {
    const gz = join(dir, 'ok.csv.gz');
    writeFileSync(gz, gzipSync(visitsCsv));
    expect((await run(gz)).code).toBe(0);
    const arrow = join(dir, 'ok.arrows');
    writeFileSync(arrow, tableToIPC(visitsTable(), 'stream'));
    expect((await run(arrow)).code).toBe(0);
  });

  it('a truncated .csv.gz: exit 2 naming the file and saying it is truncated', async () => {
    const whole = gzipSync(visitsCsv);
    const file = join(dir, 'cut.csv.gz');
    writeFileSync(file, whole.subarray(0, whole.length - 20));
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${file}: the gzip data ends early: the file is truncated (an interrupted download or copy?)\n`);
  });

  it('corrupt gzip data: exit 2 naming the file', async () => {
    const bytes = Buffer.from(gzipSync(visitsCsv));
    for (let i = 12; i < 40; i++) bytes[i] ^= 0x5a;
    const file = join(dir, 'bad.csv.gz');
    writeFileSync(file, bytes);
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^mobiseg: ${escape(file)}: the gzip data is corrupt \\(.+\\)\\n$`));
  });

  it('a truncated Arrow IPC file: exit 2 naming the file', async () => {
    const whole = tableToIPC(visitsTable(), 'file');
    for (const cut of [100, Math.floor(whole.length / 2), whole.length - 10]) {
      const file = join(dir, `cut-${cut}.arrow`);
      writeFileSync(file, whole.subarray(0, cut));
      const r = await run(file);
      expect(r.code, `cut at ${cut}`).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^mobiseg: ${escape(file)}: not a readable Arrow IPC file: the file is truncated or corrupt \\(.+\\)\\n$`));
    }
  });

  it('a truncated Arrow IPC stream, also one cut where a message ends (apache-arrow would read it as shorter): exit 2', async () => {
    const whole = tableToIPC(visitsTable(), 'stream');
    for (const cut of [100, Math.floor(whole.length / 2), whole.length - 8]) {
      const file = join(dir, `cut-${cut}.arrows`);
      writeFileSync(file, whole.subarray(0, cut));
      const r = await run(file);
      expect(r.code, `cut at ${cut}`).toBe(2);
      expect(r.stderr).toBe(`mobiseg: ${file}: the Arrow IPC stream ends without its end-of-stream marker: the file is truncated (or its writer was not closed)\n`);
    }
  });
});

describe('absurd times and bins', () => {
  it('a visit of 10^12 s: exit 2 naming the file, the row, the column and the limit; dropped and counted with --drop-invalid', async () => {
    const file = join(dir, 'long.csv');
    const rows = visitRows.map((r) => [...r]);
    rows[6][3] = 1e12;
    writeFileSync(file, 'person_id,place_id,start,dwell_s\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${file}: visit longer than 366 days (end - start > ${MAX_VISIT_SECONDS} s) in column "dwell_s" at row 7\n`);
    const dropped = await run(file, '--drop-invalid');
    expect(dropped.code, dropped.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(manifest.dropped.visits).toEqual({ [`visit longer than 366 days (end - start > ${MAX_VISIT_SECONDS} s) (column dwell_s)`]: 1 });
    // a visit of exactly 366 days is kept
    rows[6][3] = MAX_VISIT_SECONDS;
    writeFileSync(file, 'person_id,place_id,start,dwell_s\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
    expect((await run(file, '--bin', '86400')).code).toBe(0);
  });

  it('visits spanning more bins than a run indexes (starts 100 years apart, 1-second bins): exit 2 naming --bin and the limit', async () => {
    const file = join(dir, 'span.csv');
    writeFileSync(file, 'person_id,place_id,start\n1,1,0\n2,1,0\n3,1,3200000000\n4,1,3200000000\n');
    const r = await run(file, '--bin', '1');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('mobiseg: the visits span 3200000001 bins of --bin 1 s, more than one run indexes (2^31 - 1): check the start and end times, or use a larger --bin\n');
    // the same visits in 1-day bins run
    expect((await run(file, '--bin', '86400')).code).toBe(0);
  });
});

function visitsTable() {
  return tableFromArrays({
    person_id: Int32Array.from(visitRows, (r) => r[0]),
    place_id: Int32Array.from(visitRows, (r) => r[1]),
    start: Float64Array.from(visitRows, (r) => r[2]),
    dwell_s: Float64Array.from(visitRows, (r) => r[3]),
  });
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
