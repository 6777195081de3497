/**
 * Suspicious-but-valid inputs get a warning on stderr ("mobiseg: warning: ...", counted in the manifest
 * under `warnings`), never silence: date-only times, a header that looks delimited by another
 * character (and --delimiter reads it), bytes that are not UTF-8, visits longer than a day, `smooth`
 * given ES outside [0, 1]. An empty persons file is named as such.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-warnings-'));
const write = (name: string, text: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** 40 persons in one MSA, 4 places; visits in two 5-minute bins, 10 minutes each */
const personRows = Array.from({ length: 40 }, (_, i) => [i + 1, 10 + i, 'A, XX']);
const personsCsv = 'person_id,ses,msa\n' + personRows.map(([id, ses, msa]) => `${id},${ses},"${msa}"`).join('\n') + '\n';
const visitRows = Array.from({ length: 40 }, (_, i) => [i + 1, (i % 4) + 1, 1_700_000_000 + 300 * (i % 2), 600]);
const visitsCsv = (rows = visitRows) => 'person_id,place_id,start,dwell_s\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
const persons = write('persons.csv', personsCsv);
const visits = write('visits.csv', visitsCsv());

let outs = 0;
async function run(p: string, v: string, ...more: string[]) {
  const out = join(dir, `out-${outs++}`);
  const r = await runCli('run', '--persons', p, '--visits', v, '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet', ...more);
  const manifest = r.code === 0 ? JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) : null;
  return { ...r, out, manifest, warnings: r.stderr.split('\n').filter((l) => l.startsWith('mobiseg: warning: ')).map((l) => l.slice('mobiseg: warning: '.length)) };
}

describe('warnings of mobiseg run', () => {
  it('none for plain input: stderr is empty and the manifest lists no warnings', async () => {
    const r = await run(persons, visits);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.manifest.warnings).toEqual([]);
  });

  it('date-only times: every visit at midnight', async () => {
    const days = write('days.csv', 'person_id,place_id,start\n' + visitRows.map(([p, q], i) => `${p},${q},2024-03-0${1 + (i % 3)}`).join('\n') + '\n');
    const r = await run(persons, days);
    expect(r.code).toBe(0);
    const expected = `${days}: every visit starts at the same time of day (00:00:00 UTC): the times look like dates without a time of day, so everyone at a place on one day shares one bin`;
    expect(r.warnings).toEqual([expected]);
    expect(r.manifest.warnings).toEqual([expected]);
  });

  it('visits longer than a day, with the longest', async () => {
    const rows = visitRows.map((r) => [...r]);
    rows[3][3] = 2.5 * 86_400;
    rows[9][3] = 86_401;
    const long = write('long.csv', visitsCsv(rows));
    const r = await run(persons, long);
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([`${long}: 2 visits last longer than a day (the longest 2.5 days) in column "dwell_s": a visit counts in every bin it touches; check that dwell_s is in seconds`]);
    expect(r.manifest.warnings).toEqual(r.warnings);
  });

  it('a header that looks semicolon- or tab-delimited: a warning with the option to use, and --delimiter reads the file', async () => {
    const plain = await run(persons, visits);
    for (const [d, option, name, shown] of [[';', "';'", 'semicolon', '";"'], ['\t', 'tab', 'tab', 'tabs']] as const) {
      const p = write(`persons-${name}.csv`, personsCsv.replaceAll(',"', `${d}"`).replace(/^person_id,ses,msa/, `person_id${d}ses${d}msa`).replace(/^(\d+),(\d+)/gm, `$1${d}$2`));
      const wrong = await run(p, visits);
      expect(wrong.code).toBe(2);
      expect(wrong.warnings).toEqual([`${p}: the header is one column, "person_id${d}ses${d}msa", that contains ${shown}: the file looks ${name}-delimited (did you mean --delimiter ${option}?)`]);
      expect(wrong.stderr).toContain(`mobiseg: ${p}: missing column "person_id"`);
      // the visits stay comma-delimited: --delimiter applies to every CSV input, so give them in the same form
      const v = write(`visits-${name}.csv`, visitsCsv().replaceAll(',', d));
      const right = await run(p, v, '--delimiter', option.replaceAll("'", ''));
      expect(right.code, right.stderr).toBe(0);
      expect(right.stderr).toBe('');
      expect(readFileSync(join(right.out, 'msa.csv'), 'utf8')).toBe(readFileSync(join(plain.out, 'msa.csv'), 'utf8'));
      expect(right.manifest.options.delimiter).toBe(d);
    }
    expect((await runCli('run', '--out', join(dir, 'x'), '--delimiter', ';;')).stderr).toBe(`mobiseg: --delimiter must be one ASCII character (e.g. ';' or '|') or tab, got ";;"\n`);
  });

  it('bytes that are not UTF-8 (a Latin-1 file): named with the column and an example', async () => {
    const latin1 = Buffer.from(personsCsv.replace('"A, XX"', '"Malm\u00f6, XX"'), 'latin1');
    const p = write('persons-latin1.csv', latin1);
    const r = await run(p, visits);
    expect(r.code).toBe(0);
    expect(r.warnings).toEqual([`${p}: 1 distinct value of column "msa" had bytes that are not UTF-8, replaced by U+FFFD (e.g. "Malm\uFFFD, XX"): save the file as UTF-8`]);
  });

  it('an empty persons file is named as such, not blamed on the visits', async () => {
    const empty = write('persons-empty.csv', 'person_id,ses,msa\n');
    const r = await run(empty, visits);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${empty}: no persons: the file has a header but no rows\n`);
    const bad = write('persons-bad.csv', 'person_id,ses,msa\n1,x,"A, XX"\n2,,"A, XX"\n');
    const dropped = await run(bad, visits, '--drop-invalid');
    expect(dropped.code).toBe(2);
    expect(dropped.stderr).toBe(`mobiseg: ${bad}: no persons: all 2 rows were dropped as invalid (2 non-finite SES (column ses))\n`);
  });
});

describe('warnings of mobiseg smooth', () => {
  it('ES outside [0, 1]: smoothed as given, with the rows named', async () => {
    const county = write('county.csv', 'exposure_segregation,fips_code\n0.3,1001\n1.5,1003\n0.4,1005\n45,1007\n0.2,1009\n');
    const r = await runCli('smooth', '--county', county, '--out', join(dir, 'smoothed.csv'), '--k', '2');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`mobiseg: warning: ${county}: exposure segregation outside [0, 1] in column "exposure_segregation" at rows 2, 4: smoothed as given (is it another measure, or a percentage?)\n`);
    const ok = write('county-ok.csv', 'exposure_segregation,fips_code\n0.3,1001\n0.5,1003\n');
    expect((await runCli('smooth', '--county', ok, '--out', join(dir, 'smoothed-ok.csv'), '--k', '1')).stderr).toBe('');
  });
});
