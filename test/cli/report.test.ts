/**
 * report.html from the commands: `mobiseg run` and `calibrate` write it with every chart their tables
 * allow, one mark per row with finite values; `mobiseg report DIR` redraws it byte for byte, and says
 * clearly when DIR holds nothing to draw.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { finiteRowCount, symbolMarks } from '../report/helpers.js';
import { writeScenarioFixture } from '../report/scenario-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-report-'));
const run = join(root, 'run');
afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

beforeAll(async () => {
  const r = await runCli('run', '--out', run, '--bootstrap', '0', '--threads', '1', '--quiet');
  expect(r.code, r.stderr).toBe(0);
});

describe('report.html', () => {
  it('mobiseg run writes report.html with every chart of a run, one mark per row with finite values', async () => {
    const html = readFileSync(join(run, 'report.html'), 'utf8');
    const manifest = JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8'));
    expect(manifest.outputs).toContain('report.html');
    const msa = join(run, 'msa.csv');
    const county = join(run, 'county.csv');
    const msaRows = await finiteRowCount(msa, ['exposure_segregation', 'bridging_index']);
    expect(msaRows).toBe(2); // the bundled city's two MSAs
    // the bundled city's MSAs are synthetic: no published layer behind them
    expect(symbolMarks(html, 'es-bi')).toEqual({ points_es_bi: msaRows });
    expect(symbolMarks(html, 'es-size')).toEqual({ points_es_size: await finiteRowCount(msa, ['exposure_segregation', 'n_residents']), published_es_size: 382 });
    const indices = (await readSmallTable(msa)).names.filter((n) => n.startsWith('res_') && n !== 'res_n_tracts');
    expect(indices).toHaveLength(6);
    for (const [level, file] of [['msa', msa], ['county', county]] as const) {
      const expected = Object.fromEntries(await Promise.all(indices.map(async (c, k) => [`points_res_${level}_${k + 1}`, await finiteRowCount(file, [c, 'exposure_segregation'])])));
      expect(symbolMarks(html, `residential-${level}`)).toEqual(expected);
    }
    expect(symbolMarks(html, 'county-map')).toEqual({ points_county_map: await finiteRowCount(county, ['centroid_lon', 'centroid_lat', 'exposure_segregation_smoothed']) });
    expect(symbolMarks(html, 'county-map').points_county_map).toBe(6);
    // the correlations of comparison.csv are in the residential charts' titles
    const comparison = await readSmallTable(join(run, 'comparison.csv'));
    const k = comparison.text('index').findIndex((x, i) => x === 'res_nsi' && comparison.text('level')[i] === 'county');
    const r = comparison.numbers('pearson_es', { allowMissing: true })[k]; // empty at the msa level (2 MSAs)
    expect(html).toContain(`res_nsi, r = ${r.toFixed(2).replace("-", "\u2212")}`); // the report writes a minus sign
    expect(html).not.toMatch(/<script|\ssrc=|href="(?!#)/);
  });

  it('mobiseg report DIR redraws the same bytes', async () => {
    const before = readFileSync(join(run, 'report.html'), 'utf8');
    const r = await runCli('report', run);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${join(run, 'report.html')} (5 charts: es-bi, es-size, residential-msa, residential-county, county-map)\n`);
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toBe(before);
  });

  it('draws a scenario folder: forest plots, the places map and the top places', async () => {
    const dir = writeScenarioFixture(join(root, 'scenario'));
    const r = await runCli('report', dir, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(Object.values(symbolMarks(html, 'scenario-places')).reduce((a, b) => a + b, 0)).toBe(await finiteRowCount(join(dir, 'scenario-places.csv'), ['lat', 'lon', 'counterfactual_visits', 'cross_change']));
    expect(symbolMarks(html, 'scenario-forest-county')).toEqual({ points_forest_county_es: 2, points_forest_county_bi: 3 });
  });

  it('mobiseg calibrate draws the simulated MSAs against the 382 published ones', async () => {
    const out = join(root, 'calibrate');
    const r = await runCli('calibrate', '--out', out, '--every', '32', '--threads', '1', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    const simulated = await finiteRowCount(join(out, 'msa.csv'), ['exposure_segregation', 'bridging_index']);
    expect(simulated).toBe(12);
    expect(symbolMarks(html, 'es-bi')).toEqual({ published_es_bi: 382, points_es_bi: simulated });
    expect(html).toContain('<h1>mobiseg calibration report</h1>');
    expect(html).toContain('corr(log population, ES)');
    // the run reads the sweep city from <out>/city: it must not remove it as an earlier run's leftovers
    for (const f of ['persons.arrow', 'places.arrow', 'visits.arrow', 'city.json']) expect(existsSync(join(out, 'city', f)), f).toBe(true);
  });

  it('stops with exit code 2 and a clear message on a missing or empty folder or a bad table', async () => {
    const missing = join(root, 'nowhere');
    const m = await runCli('report', missing);
    expect(m.code).toBe(2);
    expect(m.stderr).toBe(`mobiseg: ${missing}: no such folder (give an output folder of mobiseg run, calibrate or scenario)\n`);
    const empty = join(root, 'empty');
    mkdirSync(empty);
    const e = await runCli('report', empty);
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/nothing to draw a report from: none of msa\.csv, county\.csv, .* is there/);
    const bad = join(root, 'bad');
    mkdirSync(bad);
    const text = readFileSync(join(run, 'msa.csv'), 'utf8').split('\n');
    text[2] = text[2].replace(/^[^,]*/, 'high');
    writeFileSync(join(bad, 'msa.csv'), text.join('\n'));
    const b = await runCli('report', bad);
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(`mobiseg: ${join(bad, 'msa.csv')}: not a number in column "exposure_segregation" at row 2\n`);
    copyFileSync(join(run, 'county.csv'), join(empty, 'county.csv'));
    writeFileSync(join(empty, 'manifest.json'), '{"command": ');
    const j = await runCli('report', empty);
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(new RegExp(`^mobiseg: ${join(empty, 'manifest.json')}: not valid JSON`));
  });

  it('shows a runnable example in --help', async () => {
    const r = await runCli('report', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example:\n {2}mobiseg run --out output && mobiseg report output/);
  });
});
