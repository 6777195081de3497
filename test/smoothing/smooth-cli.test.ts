import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { bundledDataPath, BUNDLED } from '../../src/io/bundled-data.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-smooth-'));
const file = (name: string, text?: string) => {
  const p = join(dir, name);
  if (text !== undefined) writeFileSync(p, text);
  return p;
};

const run = (...args: string[]) => runCli('smooth', ...args);

const lines = (p: string) => readFileSync(p, 'utf8').trimEnd().split(/\r?\n/); // the published files have CRLF

afterEach(() => vi.restoreAllMocks());

describe('mobiseg smooth (knn)', () => {
  it('rewrites the published county file with the published smoothed column (>= 2,800 identical rows)', async () => {
    const published = bundledDataPath(BUNDLED.publishedCounty);
    const out = file('published-smoothed.csv');
    const r = await run('--county', published, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2829 of 2829 counties smoothed/);
    const a = lines(published);
    const b = lines(out);
    expect(b.length).toBe(a.length);
    expect(b[0]).toBe(a[0]);
    // Other columns are copied verbatim; the smoothed cell is identical (same text) for >= 2,800 rows.
    const rest = (l: string) => l.slice(0, l.lastIndexOf(','));
    const last = (l: string) => l.slice(l.lastIndexOf(',') + 1);
    let same = 0;
    for (let i = 1; i < a.length; i++) {
      expect(rest(b[i])).toBe(rest(a[i]));
      if (last(b[i]) === last(a[i])) same++;
    }
    expect(same).toBeGreaterThanOrEqual(2800);
  });

  it('inserts the column after the published ones, keeps rows without an estimate, uses --centroids and --col', async () => {
    // The hand-worked five counties of knn.test.ts (k = 2, w = 0.5): 0.175, 0.2, 0.225, 0.375, and
    // county 1009 without an estimate (kept, empty smoothed cell, not a neighbour).
    const centroids = file('centroids.csv', 'fips_code,lon,lat\n1001,0,0\n1003,1,0\n1005,-1,0\n1007,0,2\n1009,1,0.5\n');
    const county = file('hand.csv', 'es,fips,note\n0.1,1001,a\n0.2,1003,b\n0.3,1005,c\n0.6,1007,d\n,1009,"no, estimate"\n');
    const out = file('hand-out.csv');
    const r = await run('--county', county, '--centroids', centroids, '--k', '2', '--col', 'exposure_segregation=es', '--col', 'fips_code=fips', '--out', out);
    expect(r.code).toBe(0);
    expect(lines(out)).toEqual([
      'es,fips,exposure_segregation_smoothed,note',
      '0.1,1001,0.175,a',
      '0.2,1003,0.2,b',
      '0.3,1005,0.225,c',
      '0.6,1007,0.375,d',
      ',1009,,"no, estimate"',
    ]);
  });

  it('names a county FIPS without a centroid, and writes nothing', async () => {
    const county = file('nocentroid.csv', 'exposure_segregation,fips_code\n0.3,1001\n0.4,99001\n0.2,1003\n');
    const out = file('nocentroid-out.csv');
    const r = await run('--county', county, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${county}: 1 county has an estimate but no centroid in ${bundledDataPath(BUNDLED.countyCentroids)}: FIPS 99001 (row 2 of the county table). Give a centroid table with --centroids (columns fips_code, lon, lat).\n`);
    expect(() => readFileSync(out)).toThrow();
  });

  it('names duplicate FIPS codes with their rows', async () => {
    const county = file('dup.csv', 'exposure_segregation,fips_code\n0.3,1001\n0.4,1003\n0.2,1001\n');
    const r = await run('--county', county, '--out', file('dup-out.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/duplicate FIPS code in column "fips_code": 1001 \(rows 1, 3\)/);
  });

  it('rejects a FIPS that is not an integer code, and a missing column', async () => {
    const bad = file('badfips.csv', 'exposure_segregation,fips_code\n0.3,1001\n0.4,10.5\n');
    const r = await run('--county', bad, '--out', file('badfips-out.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rows 2 \(10\.5\)/);
    const noRaw = file('noraw.csv', 'es,fips_code\n0.3,1001\n');
    const r2 = await run('--county', noRaw, '--out', file('noraw-out.csv'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/missing column "exposure_segregation"/);
  });
});

describe('mobiseg smooth --method eb', () => {
  // Worked on paper (formulas in src/smoothing/empirical-bayes.ts).
  // By state: state 01 y = .2 .4 .6, se = .1 .1 .2 (v = .01 .01 .04): mu .4, var .04 - mean v .02 = tau2 .02,
  //   r = 2/3 2/3 1/3 -> .267 .4 .467; state 02 y = .3 .5, v = .05 .05: tau2 = max(0, .02 - .05) = 0 -> .4 .4;
  //   state 04: one county -> kept (.7).
  // By MSA: Y = {1001 .2, 1003 .4} v .01: var .02 - .01 = tau2 .01, r = .5 -> .25 .35;
  //   X = {1005 .6 (v .04), 2001 .3 (v .05)}: var .045 - mean v .045 = 0 -> .45 .45;
  //   2003 has no MSA -> "rest of state 02", alone -> .5; Z = {4001} alone -> .7.
  const text =
    'exposure_segregation,fips_code,es_se,msa\n' +
    '0.2,1001,0.1,Y\n0.4,1003,0.1,Y\n0.6,1005,0.2,X\n0.3,2001,0.22360679774997896,X\n0.5,2003,0.22360679774997896,\n0.7,4001,0.1,Z\n';
  const smoothedOf = (p: string) => lines(p).slice(1).map((l) => l.split(',')[2]);

  it('shrinks toward the state mean', async () => {
    const out = file('eb-state.csv');
    const r = await run('--county', file('eb.csv', text), '--method', 'eb', '--out', out);
    expect(r.code).toBe(0);
    expect(lines(out)[0]).toBe('exposure_segregation,fips_code,exposure_segregation_smoothed,es_se,msa');
    expect(smoothedOf(out)).toEqual(['0.267', '0.4', '0.467', '0.4', '0.4', '0.7']);
  });

  it('shrinks toward the MSA mean, counties outside an MSA by state', async () => {
    const out = file('eb-msa.csv');
    const r = await run('--county', file('eb.csv', text), '--method', 'eb', '--group', 'msa', '--out', out);
    expect(r.code).toBe(0);
    expect(smoothedOf(out)).toEqual(['0.25', '0.35', '0.45', '0.45', '0.5', '0.7']);
    expect(r.stderr).toMatch(/rest of state 02/);
  });

  it('needs a standard error for every estimate', async () => {
    const county = file('eb-nose.csv', 'exposure_segregation,fips_code,es_se\n0.2,1001,0.1\n0.4,1003,\n');
    const r = await run('--county', county, '--method', 'eb', '--out', file('eb-nose-out.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/es_se.*row 2/);
  });
});
