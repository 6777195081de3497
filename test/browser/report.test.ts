/**
 * report.html in a real browser: opened from disk (file://) in headless chromium, every chart is there
 * with one mark per CSV row with finite values, the page asks the network for nothing, and a full-page
 * screenshot is kept in test-artifacts/ (git-ignored). Three folders: a `mobiseg run` on the bundled
 * city, a `mobiseg calibrate` (published MSAs behind the simulated ones) and a hand-written scenario
 * folder (scenario.csv, scenario-places.csv in the scenario engine's schema).
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { writeReport } from '../../src/pipeline/report-run.js';
import { writeScenarioFixture } from '../report/scenario-fixture.js';
import { finiteRowCount } from '../report/helpers.js';
import { launchChromium } from './chromium.js';

/** The little of the DOM the page reader uses (this project compiles without the DOM library). */
interface DomElement {
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
  classList: Iterable<string>;
  getBoundingClientRect(): { width: number; height: number };
}
declare const document: DomElement;

const ARTIFACTS = resolve('test-artifacts');
const root = mkdtempSync(join(tmpdir(), 'mobiseg-browser-'));
// launched once; a launch failure (no chromium) fails every test with its message, so that a CI count
// shows them failed, not skipped
let launched: Promise<Browser>;

afterEach(() => vi.restoreAllMocks());
beforeAll(() => {
  launched = launchChromium();
  launched.catch(() => {}); // reported by each test
  mkdirSync(ARTIFACTS, { recursive: true });
});
afterAll(async () => {
  await (await launched.catch(() => null))?.close();
  rmSync(root, { recursive: true, force: true });
});

interface PageReport {
  /** per chart (figure data-chart), the symbol marks per named layer, as the browser's DOM has them */
  marks: Record<string, Record<string, number>>;
  /** per chart, the drawn size of its SVGs in CSS pixels */
  sizes: Record<string, Array<{ width: number; height: number }>>;
  requests: string[];
  errors: string[];
}

/** Open a folder's report.html from disk, read its charts, save a full-page screenshot. */
async function openReport(dir: string, screenshot: string): Promise<PageReport> {
  const browser = await launched;
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  // anything but the page itself is recorded and refused, so a stray fetch fails here, not in a sandbox
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(pathToFileURL(join(dir, 'report.html')).href, { waitUntil: 'load' });
  const read = await page.evaluate(() => {
    const marks: Record<string, Record<string, number>> = {};
    const sizes: Record<string, Array<{ width: number; height: number }>> = {};
    for (const fig of document.querySelectorAll('figure[data-chart]')) {
      const id = fig.getAttribute('data-chart')!;
      marks[id] = {};
      for (const g of fig.querySelectorAll('g.mark-symbol.role-mark')) {
        const name = [...g.classList].find((c) => c.endsWith('_marks'))!.replace(/_marks$/, '');
        marks[id][name] = (marks[id][name] ?? 0) + g.querySelectorAll(':scope > path').length;
      }
      sizes[id] = [...fig.querySelectorAll(':scope svg.marks')].map((s) => {
        const r = s.getBoundingClientRect();
        return { width: r.width, height: r.height };
      });
    }
    return { marks, sizes };
  });
  await page.screenshot({ path: join(ARTIFACTS, screenshot), fullPage: true });
  await context.close();
  return { ...read, requests, errors };
}

/** Run a command writing to `dir` (its report.html), then open that page as openReport does. */
async function runAndOpen(dir: string, screenshot: string, ...args: string[]): Promise<PageReport> {
  await launched; // no browser: fail before the work
  const r = await runCli(...args, '--out', dir, '--threads', '1', '--quiet');
  expect(r.code, r.stderr).toBe(0);
  const p = await openReport(dir, screenshot);
  expectSelfContained(dir, p);
  return p;
}

/** The page loaded itself and nothing else, without errors; every chart has a visible drawing. */
function expectSelfContained(dir: string, p: PageReport): void {
  expect(p.requests).toEqual([pathToFileURL(join(dir, 'report.html')).href]);
  expect(p.errors).toEqual([]);
  for (const [id, sizes] of Object.entries(p.sizes)) {
    expect(sizes.length, id).toBeGreaterThan(0);
    for (const s of sizes) expect(s.width * s.height, id).toBeGreaterThan(100 * 100);
  }
}

describe('report.html in headless chromium', () => {
  it('mobiseg run: every chart, one mark per row with finite values, no network', async () => {
    const dir = join(root, 'run');
    const p = await runAndOpen(dir, 'report-run.png', 'run', '--bootstrap', '0');
    const msa = join(dir, 'msa.csv');
    const county = join(dir, 'county.csv');
    const indices = (await readSmallTable(msa)).names.filter((n) => n.startsWith('res_') && n !== 'res_n_tracts');
    const residential = async (level: string, file: string) =>
      Object.fromEntries(await Promise.all(indices.map(async (c, k) => [`points_res_${level}_${k + 1}`, await finiteRowCount(file, [c, 'exposure_segregation'])])));
    expect(p.marks).toEqual({
      'es-bi': { points_es_bi: await finiteRowCount(msa, ['exposure_segregation', 'bridging_index']) },
      'es-size': { points_es_size: await finiteRowCount(msa, ['exposure_segregation', 'n_residents']), published_es_size: 382 },
      'residential-msa': await residential('msa', msa),
      'residential-county': await residential('county', county),
      'county-map': { points_county_map: await finiteRowCount(county, ['centroid_lon', 'centroid_lat', 'exposure_segregation_smoothed']) },
    });
    expect(p.marks['county-map'].points_county_map).toBe(6);
  });

  it('mobiseg calibrate: the 382 published MSAs in grey behind the simulated ones', async () => {
    const dir = join(root, 'calibrate');
    const p = await runAndOpen(dir, 'report-calibrate.png', 'calibrate', '--every', '32');
    const simulated = await finiteRowCount(join(dir, 'msa.csv'), ['exposure_segregation', 'bridging_index']);
    expect(simulated).toBe(12);
    expect(p.marks['es-bi']).toEqual({ published_es_bi: 382, points_es_bi: simulated });
    expect(p.marks['es-size']).toEqual({ points_es_size: simulated, published_es_size: 382 });
  });

  it('a scenario folder: forest plots per level, places maps per MSA, no network', async () => {
    const dir = writeScenarioFixture(join(root, 'scenario'));
    await writeReport(dir);
    const p = await openReport(dir, 'report-scenario.png');
    expectSelfContained(dir, p);
    const scenario = await readSmallTable(join(dir, 'scenario.csv'));
    const level = scenario.text('level');
    const measure = scenario.text('measure');
    const delta = scenario.numbers('delta', { allowMissing: true });
    const forest = (l: string, m: string) => level.filter((x, k) => x === l && measure[k] === m && Number.isFinite(delta[k])).length;
    expect(p.marks['scenario-forest-msa']).toEqual({ points_forest_msa_es: forest('msa', 'es'), points_forest_msa_bi: forest('msa', 'bi') });
    expect(p.marks['scenario-forest-county']).toEqual({ points_forest_county_es: forest('county', 'es'), points_forest_county_bi: forest('county', 'bi') });
    expect(p.marks['scenario-forest-county'].points_forest_county_es).toBe(2);
    // one map per MSA (Riverton first), together every place with a location
    const places = join(dir, 'scenario-places.csv');
    const drawn = Object.values(p.marks['scenario-places']).reduce((a, b) => a + b, 0);
    expect(drawn).toBe(await finiteRowCount(places, ['lat', 'lon', 'counterfactual_visits', 'cross_change']));
    expect(p.marks['scenario-places']).toEqual({ points_scenario_places_1: 5, points_scenario_places_2: 8 });
    expect(p.sizes['scenario-places']).toHaveLength(2);
  });
});
