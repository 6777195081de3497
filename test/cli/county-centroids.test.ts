/**
 * A county without a centroid never costs the run (issue 18, item 2): with a county FIPS that is neither
 * in the centroid table nor placed by residents' home_lat/home_lon, `run` exits 0, writes msa.csv and
 * county.csv with the smoothed value of that county empty and a note, warns on stderr and counts it in
 * the manifest.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { csvFields } from '../helpers/csv-line.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { bundledDataPath, BUNDLED } from '../../src/io/bundled-data.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-centroids-'));
const city = join(dir, 'city');


beforeAll(async () => {
  expect((await runCli('simulate', '--city', 'tiny', '--out', city, '--quiet')).code).toBe(0);
});

describe('counties without a centroid', () => {
  it('run exits 0 with msa.csv, and county.csv leaves their smoothed value empty with a note', async () => {
    // the tiny city without home_lat/home_lon; its first county renamed to 1001 (Autauga, AL, in the
    // bundled Census centroids), the others keep synthetic codes that no centroid table lists
    const lines = readFileSync(join(city, 'persons.csv'), 'utf8').trimEnd().split('\n');
    const header = lines[0].split(',');
    const keep = header.map((h, k) => (h === 'home_lat' || h === 'home_lon' ? -1 : k)).filter((k) => k >= 0);
    const county = header.indexOf('county_fips');
    const rows = lines.map((l, i) => {
      const f = i === 0 ? header : csvFields(l);
      if (i > 0 && f[county] === '91101') f[county] = '1001';
      return keep.map((k) => f[k]).join(',');
    });
    const persons = join(dir, 'persons.csv');
    writeFileSync(persons, rows.join('\n') + '\n');
    const out = join(dir, 'out');
    const r = await runCli('run', '--persons', persons, '--visits', join(city, 'visits.csv'), '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const t = await readSmallTable(join(out, 'county.csv'));
    const fips = Array.from(t.numbers('fips_code'));
    const es = t.numbers('exposure_segregation', { allowMissing: true });
    const smoothed = t.numbers('exposure_segregation_smoothed', { allowMissing: true });
    const note = t.text('note');
    const missing = fips.filter((f) => f !== 1001);
    expect(fips).toContain(1001);
    expect(missing.length).toBeGreaterThan(1);
    fips.forEach((f, i) => {
      expect(Number.isFinite(es[i]), `ES of ${f}`).toBe(true);
      if (f === 1001) {
        // its only located neighbour is itself: the smoothed value is its own estimate, rounded
        expect(smoothed[i]).toBeCloseTo(es[i], 3);
        expect(note[i] ?? '').not.toMatch(/no centroid/);
      } else {
        expect(smoothed[i], `smoothed ${f}`).toBeNaN();
        expect(note[i]).toContain('no centroid for this county: not smoothed (give --centroids, or home_lat/home_lon)');
      }
    });
    expect(readFileSync(join(out, 'msa.csv'), 'utf8').split('\n').length).toBe(4); // header, 2 MSAs, end
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.counts.counties_without_centroid).toBe(missing.length);
    const warning = `${missing.length} counties have an estimate but no centroid (neither in ${bundledDataPath(BUNDLED.countyCentroids)} nor from residents' home_lat/home_lon): written without a smoothed value, with a note`;
    expect(r.stderr).toBe(`mobiseg: warning: ${warning}\n`);
    expect(manifest.warnings).toEqual([warning]);
  });
});
