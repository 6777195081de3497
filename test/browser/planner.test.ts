/**
 * The planner page (mobiseg serve) driven in headless chromium like a planner would: pick the bundled
 * scenario "combined" (relocate homes, add a hub, redirect visits), switch it to the tiny city and 2
 * seeds, change a share, fit the categories and the hub's area to the city, place the hub by clicking
 * on the map, run it, and read the before/after table. The numbers shown must be those of
 * `mobiseg scenario` on the resolved scenario JSON downloaded from the page. Also: the schema's errors
 * shown at their JSON paths, and the cancel button. The page may ask its own server only.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { startPlannerServer, type PlannerServer } from '../../src/serve/server.js';
import { launchChromium } from './chromium.js';

/** The little of the DOM the page reader uses (this project compiles without the DOM library). */
interface DomElement {
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): Iterable<DomElement> & { length: number };
  textContent: string | null;
}
declare const document: DomElement;

const ARTIFACTS = resolve('test-artifacts');
const root = mkdtempSync(join(tmpdir(), 'mobiseg-planner-'));
let launched: Promise<Browser>;
let server: PlannerServer;

afterEach(() => vi.restoreAllMocks());
beforeAll(async () => {
  launched = launchChromium();
  launched.catch(() => {}); // reported by each test
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startPlannerServer({ port: 0, host: '127.0.0.1', dataDirs: [], threads: 1 });
});
afterAll(async () => {
  await (await launched.catch(() => null))?.close();
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

interface Opened {
  context: BrowserContext;
  page: Page;
  /** every URL the page asked for */
  requests: string[];
  /** script errors on the page */
  errors: string[];
}

/** Open the planner; any request off the server is refused and recorded. */
async function openPlanner(): Promise<Opened> {
  const browser = await launched;
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const origin = new URL(server.url).origin;
  await context.route('**/*', (route) => (route.request().url().startsWith(origin) || route.request().url().startsWith('blob:') ? route.continue() : route.abort()));
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.waitForSelector('body[data-ready="true"]');
  return { context, page, requests, errors };
}

/** Set an input's value and fire its change event (what a user's edit does). */
async function edit(page: Page, selector: string, value: string): Promise<void> {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}

/** Wait until the server has validated the scenario on the page and found it valid. */
async function validated(page: Page): Promise<void> {
  await page.waitForFunction(() => /The scenario is valid/.test(document.querySelector('#problems .ok')?.textContent ?? ''), null, { timeout: 30_000 });
}

/** Random redirection of a share of the tiny city's visits. */
const redirectOnTiny = (share: number, seeds: number) => ({ name: 'redirect', base: { city: 'tiny' }, interventions: [{ type: 'redirect-visits', share, choice: 'random' }], seeds });

/** Write a scenario into the page's JSON editor. */
async function typeScenario(page: Page, scenario: object): Promise<void> {
  await page.click('#json-details summary');
  await page.fill('#json-editor', JSON.stringify(scenario, null, 2));
}

describe('the planner page in headless chromium', () => {
  it('pick a scenario, change a share, place a hub on the map, run with 2 seeds: the numbers are those of mobiseg scenario', async () => {
    const { context, page, requests, errors } = await openPlanner();
    await page.selectOption('#scenario-select', 'combined');
    await page.selectOption('#city-select', 'city:tiny');
    await page.waitForFunction(() => /6 places of synthetic city tiny/.test(document.querySelector('#map-source')?.textContent ?? ''));
    await edit(page, '#seeds-input', '2');
    // a share: one household in five moves -> two in five
    await edit(page, 'input[data-path="interventions[0].share"]', '0.4');
    // the tiny city has no cafes: the redirect keeps restaurants only
    await page.uncheck('[data-path="interventions[2].categories"] input[value="cafe"]');
    // the hub serves Lakeside: show its places and place it by a click beside them
    await page.selectOption('select[data-path="interventions[1].area"]', 'Lakeside, XS');
    await page.selectOption('#area-select', 'Lakeside, XS');
    await page.click('button.place-on-map[data-step="1"]');
    await page.locator('#places-map').scrollIntoViewIfNeeded();
    const dots = await page.$$eval('#places-map circle[data-place]', (cs) => cs.map((c) => ({ lat: Number(c.getAttribute('data-lat')), lon: Number(c.getAttribute('data-lon')), msa: c.getAttribute('data-msa') })));
    expect(dots.map((d) => d.msa)).toEqual(['Lakeside, XS', 'Lakeside, XS', 'Lakeside, XS']);
    const boxes = await Promise.all((await page.$$('#places-map circle[data-place]')).map(async (c) => (await c.boundingBox())!));
    const centre = boxes.map((b) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 }));
    // click 12 px right of and 9 px below the first place
    const click = { x: centre[0].x + 12, y: centre[0].y + 9 };
    await page.mouse.click(click.x, click.y);
    // the map is linear in lat and lon: the click's lat/lon from two places' screen positions
    const pick = (a: number, b: number) => (Math.abs(dots[a].lat - dots[b].lat) > 1e-4 && Math.abs(dots[a].lon - dots[b].lon) > 1e-4 ? [a, b] : null);
    const [i, j] = pick(0, 1) ?? pick(0, 2) ?? pick(1, 2)!;
    const latPerPx = (dots[j].lat - dots[i].lat) / (centre[j].y - centre[i].y);
    const lonPerPx = (dots[j].lon - dots[i].lon) / (centre[j].x - centre[i].x);
    const expected = { lat: dots[i].lat + (click.y - centre[i].y) * latPerPx, lon: dots[i].lon + (click.x - centre[i].x) * lonPerPx };
    const edited = JSON.parse(await page.inputValue('#json-editor')) as { interventions: Array<Record<string, unknown>>; seeds: number; base: object };
    const hub = edited.interventions[1] as { type: string; location: { lat: number; lon: number }; area: string };
    expect(hub.type).toBe('add-hub');
    expect(Math.abs(hub.location.lat - expected.lat)).toBeLessThan(1.5 * Math.abs(latPerPx));
    expect(Math.abs(hub.location.lon - expected.lon)).toBeLessThan(1.5 * Math.abs(lonPerPx));
    expect(hub.area).toBe('Lakeside, XS');
    expect(edited.interventions[0]).toMatchObject({ type: 'relocate-homes', share: 0.4 });
    expect(edited.interventions[2]).toMatchObject({ type: 'redirect-visits', categories: ['restaurant'] });
    expect(edited.seeds).toBe(2);
    expect(edited.base).toEqual({ city: 'tiny' });
    // the hub is drawn where it was placed
    expect(await page.$$eval('#places-map g.hub', (gs) => gs.length)).toBe(1);
    await validated(page);

    await page.click('#run-button');
    await page.waitForSelector('#run-message.done, #run-message.failed, #run-message.cancelled', { timeout: 240_000 });
    expect(await page.textContent('#run-message')).toMatch(/^Done: 2 seeds in/);
    await page.evaluate('window.scrollTo(0, 0)'); // the map panel is sticky: drawn at the top of the page
    await page.screenshot({ path: join(ARTIFACTS, 'planner.png'), fullPage: true });

    // the table on the page: one row per level, area and measure, each cell keeping its CSV text
    const shown = await page.$$eval('#results-table tr[data-measure]', (trs) =>
      trs.map((tr) => {
        const cells: Record<string, { value: string; low: string | null; high: string | null; text: string }> = {};
        for (const td of tr.querySelectorAll('td[data-field]')) cells[td.getAttribute('data-field')!] = { value: td.getAttribute('data-value')!, low: td.getAttribute('data-low'), high: td.getAttribute('data-high'), text: td.textContent ?? '' };
        return { level: tr.getAttribute('data-level')!, area: tr.getAttribute('data-area')!, measure: tr.getAttribute('data-measure')!, cells };
      }),
    );
    // the resolved scenario, downloaded from the page, run by the CLI
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-button')]);
    expect(download.suggestedFilename()).toBe('combined.json');
    const file = join(root, 'combined.json');
    await download.saveAs(file);
    const resolved = JSON.parse(readFileSync(file, 'utf8')) as { interventions: Array<{ location?: unknown }>; seeds: number };
    expect(resolved.interventions[1].location).toEqual(hub.location);
    expect(resolved.seeds).toBe(2);
    const out = join(root, 'cli');
    const cli = await runCli('scenario', file, '--out', out, '--threads', '1', '--quiet');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const csv = await readSmallTable(join(out, 'scenario.csv'));
    const col = (name: string) => csv.text(name);
    const csvRows = col('level')
      .map((level, k) => ({ k, level, area: col('area')[k], measure: col('measure')[k] }))
      .filter((r) => r.measure === 'es' || r.measure === 'bi');
    expect(shown.map((r) => `${r.level}|${r.area}|${r.measure}`)).toEqual(csvRows.map((r) => `${r.level}|${r.area}|${r.measure}`));
    expect(shown).toHaveLength(2 * (2 + 3)); // ES and BI of 2 MSAs and 3 counties
    shown.forEach((row, n) => {
      const k = csvRows[n].k;
      for (const field of ['baseline', 'counterfactual', 'delta']) {
        const c = row.cells[field];
        expect([c.value, c.low, c.high], `${row.area} ${row.measure} ${field}`).toEqual([col(field)[k], col(`${field}_low`)[k], col(`${field}_high`)[k]]);
        // what is shown is that number, rounded
        const digits = field === 'delta' ? 4 : 3;
        expect(c.text.replace('\u2212', '-').startsWith(Math.abs(Number(c.value)) < 0.5 * 10 ** -digits ? (0).toFixed(digits) : (field === 'delta' && Number(c.value) > 0 ? '+' : '') + Number(c.value).toFixed(digits))).toBe(true);
      }
      expect(row.cells.excludes_zero.value).toBe(col('excludes_zero')[k]);
    });
    // the scenario moved something: the hub drew visits
    const places = await readSmallTable(join(out, 'scenario-places.csv'));
    const hubRow = places.text('place_id').indexOf('library');
    expect(places.text('hub')[hubRow]).toBe('true');
    expect(await page.textContent('#top-places')).toContain('library (added)');
    // the charts: forest plots with one dot per area and measure, the places map
    const marks = await page.$$eval('#figures figure[data-chart]', (figs) =>
      Object.fromEntries(figs.map((f) => [f.getAttribute('data-chart')!, f.querySelectorAll('g.mark-symbol.role-mark > path').length])),
    );
    expect(marks['scenario-forest-msa']).toBe(2 * 2);
    expect(marks['scenario-forest-county']).toBe(2 * 3);
    expect(marks['scenario-places']).toBe(places.nRows);
    // only the page's own server was asked
    expect(requests.filter((u) => !u.startsWith(new URL(server.url).origin) && !u.startsWith('blob:'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it("the schema's errors are listed with their JSON paths and the input they point at is outlined", async () => {
    const { context, page, errors } = await openPlanner();
    await typeScenario(page, redirectOnTiny(1.5, 2));
    await page.waitForSelector('#problem-list li');
    const items = await page.$$eval('#problem-list li', (lis) => lis.map((li) => li.textContent));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatch(/^interventions\[0\]\.share: /);
    expect(await page.getAttribute('input[data-path="interventions[0].share"]', 'class')).toContain('invalid');
    // fixing it in the form clears the list
    await edit(page, 'input[data-path="interventions[0].share"]', '0.5');
    await validated(page);
    expect(await page.$$('#problem-list li')).toHaveLength(0);
    expect(await page.getAttribute('input[data-path="interventions[0].share"]', 'class')).not.toContain('invalid');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('a long run shows its progress and stops on Cancel', async () => {
    const { context, page, errors } = await openPlanner();
    await typeScenario(page, redirectOnTiny(0.5, 5000));
    await validated(page);
    expect(await page.textContent('#problems')).toBe('The scenario is valid: 1 step, 5000 seeds.');
    await page.click('#run-button');
    await page
      .waitForFunction(() => /^seed ([3-9]|\d\d+) of 5000/.test(document.querySelector('#progress-text')?.textContent ?? ''), null, { timeout: 120_000 })
      .catch(async (e: Error) => {
        // say what the page showed instead
        throw new Error(`${e.message}\nprogress: ${await page.textContent('#progress-text').catch(() => '?')}\nmessage: ${await page.textContent('#run-message').catch(() => '?')}\nerrors: ${errors.join('; ')}`);
      });
    expect(await page.isEnabled('#cancel-button')).toBe(true);
    await page.click('#cancel-button');
    await page.waitForSelector('#run-message.cancelled', { timeout: 60_000 });
    expect(await page.textContent('#run-message')).toMatch(/^The run was cancelled: cancelled after \d+ of 5000 seeds$/);
    expect(await page.isEnabled('#run-button')).toBe(true);
    expect(await page.isVisible('#results')).toBe(false);
    expect(errors).toEqual([]);
    await context.close();
  });
});
