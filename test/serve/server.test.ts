/**
 * The planner server (mobiseg serve) over real HTTP on port 0: every bad request gets its status code
 * (unknown route 404, wrong method 405, oversized body 413, bad JSON 400, not JSON 415, a scenario
 * that fails the schema 400 with its JSON paths, files outside the served folders 403/404 however the
 * path is written), a run's numbers are those of `mobiseg scenario` on the scenario the page downloads,
 * one run per client with a FIFO queue, cancel, and a failing run after which the server still works.
 */
import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { symbolMarks } from '../report/helpers.js';
import { startPlannerServer, type PlannerServer } from '../../src/serve/server.js';
import { call, waitForJob, type JobStatusJson } from './client.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-serve-test-'));
const data = join(root, 'data');
const SECRET = 'secret-outside-the-data-folder';
let server: PlannerServer;
let url: string;

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  mkdirSync(data);
  const r = await runCli('simulate', '--city', 'tiny', '--out', join(data, 'tiny'), '--format', 'csv', '--quiet');
  expect(r.code).toBe(0);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  symlinkSync(join(root, 'secret.txt'), join(data, 'link-out.txt'));
  symlinkSync(root, join(data, 'dir-link'));
  server = await startPlannerServer({ port: 0, host: '127.0.0.1', dataDirs: [data], threads: 1 });
  url = server.url;
});

afterAll(async () => {
  await server?.close();
  rmSync(root, { recursive: true, force: true });
});

/** A quick scenario on the bundled tiny city (valid for the scaffold and the real interventions). */
const tinyScenario = (seeds: number, extra: object = {}) => ({
  name: 'tiny-redirect',
  base: { city: 'tiny' },
  interventions: [{ type: 'redirect-visits', share: 0.5, categories: ['park'], choice: 'random' }],
  seeds,
  ...extra,
});

describe('mobiseg serve: pages, routes and methods', () => {
  it('listens on 127.0.0.1 and serves the page and its assets with a strict content security policy', async () => {
    expect(server.server.address()).toMatchObject({ address: '127.0.0.1' });
    const page = await call(url, '/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<script type="module" src="/assets/planner.js">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await call(url, '/assets/planner.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect((await call(url, '/assets/planner.css')).headers['content-type']).toMatch(/^text\/css/);
  });

  it('unknown routes are 404, known routes with another method 405 with Allow', async () => {
    for (const path of ['/nope', '/api/nope', '/api/jobs/not-an-id', '/assets', '/index.html']) {
      const a = await call(url, path);
      expect(a.status, path).toBe(404);
      expect(a.json?.error).toMatch(/no such page or API|not found/);
    }
    const cases: Array<[string, string, string]> = [
      ['DELETE', '/api/jobs', 'POST'],
      ['GET', '/api/validate', 'POST'],
      ['POST', '/', 'GET'],
      ['PUT', '/api/cities', 'GET'],
      ['GET', '/api/jobs/00000000-0000-0000-0000-000000000000/cancel', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const a = await call(url, path, { method });
      expect(a.status, `${method} ${path}`).toBe(405);
      expect(a.headers.allow).toBe(allow);
    }
    expect((await call(url, '/api/jobs/00000000-0000-0000-0000-000000000000')).status).toBe(404);
  });

  it('answers only requests addressed to localhost (no DNS rebinding)', async () => {
    const a = await call(url, '/api/cities', { headers: { Host: `evil.example:${new URL(url).port}` } });
    expect(a.status).toBe(403);
    expect(a.json?.error).toMatch(/localhost only/);
    for (const host of ['localhost', '127.0.0.1', '[::1]']) expect((await call(url, '/api/cities', { headers: { Host: `${host}:${new URL(url).port}` } })).status, host).toBe(200);
  });

  it('lists the bundled cities and scenarios and the data sets of the --data folder', async () => {
    const cities = (await call(url, '/api/cities')).json as { cities: Array<{ id: string; base: Record<string, string> }> };
    expect(cities.cities.map((c) => c.id)).toEqual(['city:default', 'city:tiny', 'data:0:tiny']);
    expect(cities.cities[2].base).toEqual({ persons: join(server.dataDirs[0], 'tiny', 'persons.csv'), visits: join(server.dataDirs[0], 'tiny', 'visits.csv'), places: join(server.dataDirs[0], 'tiny', 'places.csv') });
    const scenarios = (await call(url, '/api/scenarios')).json as { scenarios: Array<{ file: string }> };
    expect(scenarios.scenarios.map((s) => s.file)).toEqual(['combined', 'equalized-range', 'library-between-communities', 'mixed-income-housing', 'no-destination-preference']);
    const schema = (await call(url, '/api/schema')).json as { intervention: { oneOf?: unknown[]; anyOf?: unknown[] } };
    expect((schema.intervention.oneOf ?? schema.intervention.anyOf ?? []).length).toBeGreaterThan(0);
  });

  it('the map of the tiny city: its 6 places (3 categories in each of 2 MSAs) as drawn for the first seed', async () => {
    const a = await call(url, '/api/places', { body: { base: { city: 'tiny' }, seed: 1 } });
    expect(a.status).toBe(200);
    const p = a.json as { ids: string[]; categories: string[]; areas: string[]; lat: number[] };
    expect(p.ids).toHaveLength(6);
    expect(p.categories).toEqual(['grocery', 'park', 'restaurant']);
    expect(p.areas).toEqual(['Hillview, XN', 'Lakeside, XS']);
    const fromData = await call(url, '/api/places', { body: { base: { persons: 'tiny/persons.csv', visits: 'tiny/visits.csv', places: 'tiny/places.csv' } } });
    expect(fromData.status).toBe(200);
    expect((fromData.json as { ids: string[] }).ids).toHaveLength(6);
    const outside = await call(url, '/api/places', { body: { base: { persons: '/etc/passwd', visits: '/etc/passwd', places: '/etc/passwd' } } });
    expect(outside.status).toBe(400);
    expect((outside.json?.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['base.persons', 'base.visits', 'base.places']);
  });
});

describe('mobiseg serve: bad request bodies', () => {
  it('a body over 256 KB is 413, whether announced by Content-Length or streamed in chunks', async () => {
    const big = JSON.stringify({ ...tinyScenario(2), description: 'x'.repeat(300 * 1024) });
    for (const chunked of [false, true]) {
      const a = await call(url, '/api/jobs', { body: big, chunked });
      expect(a.status, `chunked ${chunked}`).toBe(413);
      expect(a.json?.error).toMatch(/larger than the limit of 262144 bytes/);
    }
    // just under the limit is read (and then judged on its content)
    const under = await call(url, '/api/validate', { body: { ...tinyScenario(2), description: 'x'.repeat(200 * 1024) } });
    expect(under.status).toBe(200);
  });

  it('bad JSON is 400, a body not declared as JSON 415', async () => {
    const a = await call(url, '/api/jobs', { body: '{"name": "x", "base": ' });
    expect(a.status).toBe(400);
    expect(a.json?.error).toMatch(/not valid JSON/);
    const b = await call(url, '/api/validate', { body: JSON.stringify(tinyScenario(2)), contentType: 'text/plain' });
    expect(b.status).toBe(415);
  });

  it('a scenario that fails the schema is 400 with every problem at its JSON path', async () => {
    const a = await call(url, '/api/jobs', { body: { name: 'bad', base: { city: 'tiny' }, interventions: [{ type: 'redirect-visits', share: 2, choice: 'random' }], seeds: 0, colour: 'red' } });
    expect(a.status).toBe(400);
    const errors = a.json?.errors as Array<{ path: string; message: string }>;
    const paths = errors.map((e) => e.path).sort();
    expect(paths).toEqual(['(top level)', 'interventions[0].share', 'seeds']);
    expect(errors.find((e) => e.path === '(top level)')!.message).toMatch(/colour/);
    const v = await call(url, '/api/validate', { body: { name: 'bad', base: { city: 'nowhere' }, interventions: [] } });
    expect(v.status).toBe(400);
    expect(v.json?.errors).toEqual([{ path: 'base.city', message: 'unknown city "nowhere": the bundled cities are "default", "tiny"' }]);
    const outside = await call(url, '/api/validate', { body: { name: 'out', base: { persons: join(root, 'secret.txt'), visits: 'tiny/visits.csv' }, interventions: [] } });
    expect(outside.status).toBe(400);
    expect((outside.json?.errors as Array<{ path: string; message: string }>)[0]).toMatchObject({ path: 'base.persons', message: expect.stringMatching(/must lie in the allowed data folders/) });
    // a link inside the data folder that leads out of it is outside
    const linked = await call(url, '/api/validate', { body: { name: 'out', base: { persons: 'dir-link/secret.txt', visits: 'tiny/visits.csv' }, interventions: [] } });
    expect((linked.json?.errors as Array<{ path: string }>).map((e) => e.path)).toEqual(['base.persons']);
  });

  it('a valid scenario comes back resolved: defaults filled in, data paths absolute', async () => {
    const a = await call(url, '/api/validate', { body: { name: 'ok', base: { persons: 'tiny/persons.csv', visits: 'tiny/visits.csv' }, interventions: [] } });
    expect(a.status).toBe(200);
    const s = a.json?.scenario as { seeds: number; base: { persons: string }; options: { bin_seconds: number } };
    expect(s.seeds).toBe(20);
    expect(s.options.bin_seconds).toBe(300);
    expect(s.base.persons).toBe(join(server.dataDirs[0], 'tiny', 'persons.csv'));
  });
});

describe('mobiseg serve: only its own assets and the data folders are served', () => {
  const assertRefused = (a: { status: number; text: string }, label: string) => {
    expect(a.text, label).not.toContain(SECRET);
    expect(a.text, label).not.toContain('"name": "mobiseg"');
    expect(a.text, label).not.toContain('root:');
  };

  it('a data file is served as a sandboxed download', async () => {
    const a = await call(url, '/data/0/tiny/places.csv');
    expect(a.status).toBe(200);
    expect(a.text.split('\n')[0]).toMatch(/^place_id,/);
    expect(a.headers['content-disposition']).toBe('attachment; filename="places.csv"');
    expect(a.headers['content-security-policy']).toMatch(/^sandbox/);
  });

  it('.. in any spelling, absolute paths and links out of the folder are refused', async () => {
    const attempts: Array<[string, number]> = [
      // the URL parser resolves plain and %2e dot segments: what is left is no route
      ['/assets/../package.json', 404],
      ['/assets/../../../../etc/passwd', 404],
      ['/assets/%2e%2e/package.json', 404],
      ['/assets/%2E%2E/%2e%2e/secret.txt', 404],
      ['/data/0/../../secret.txt', 404],
      // an encoded slash keeps the dots inside one segment until the file is looked up
      ['/assets/..%2fpackage.json', 403],
      ['/assets/%2e%2e%2fpackage.json', 403],
      ['/assets/..%5cpackage.json', 403],
      ['/data/0/..%2f..%2fsecret.txt', 403],
      ['/data/0/tiny%2f..%2f..%2fsecret.txt', 403],
      // absolute paths
      ['/data/0/%2fetc%2fpasswd', 403],
      ['/data/0//etc/passwd', 403],
      [`/data/0/${encodeURIComponent(join(root, 'secret.txt'))}`, 403],
      ['/assets/%2fetc%2fpasswd', 403],
      // links inside the folder that lead out of it
      ['/data/0/link-out.txt', 403],
      ['/data/0/dir-link/secret.txt', 403],
      // other folders, hidden files, NUL, bad encoding
      ['/data/1/secret.txt', 404],
      ['/assets/.hidden', 404],
      ['/assets/index.html%00.js', 400],
      ['/assets/%E0%A4%A', 400],
    ];
    for (const [path, status] of attempts) {
      const a = await call(url, path);
      assertRefused(a, path);
      expect(a.status, path).toBe(status);
    }
  });
});

async function submit(body: object, localAddress?: string): Promise<JobStatusJson> {
  const a = await call(url, '/api/jobs', { body, localAddress });
  expect(a.status, a.text).toBe(202);
  return a.json as unknown as JobStatusJson;
}

describe('mobiseg serve: runs', () => {
  it('a failing run (a base file that does not exist) ends failed with its message, and the server goes on', async () => {
    const job = await submit({ name: 'missing', base: { persons: 'tiny/no-such-persons.csv', visits: 'tiny/visits.csv' }, interventions: [], seeds: 2 });
    const end = await waitForJob(url, job.id);
    expect(end.state).toBe('failed');
    expect(end.message).toContain(join(server.dataDirs[0], 'tiny', 'no-such-persons.csv'));
    expect(end.message).toMatch(/no such file/);
    expect((await call(url, `/api/jobs/${job.id}/result`)).status).toBe(409);
    expect((await call(url, '/')).status).toBe(200);
  });

  it("a run's numbers are scenario.csv of `mobiseg scenario` on its resolved scenario JSON", async () => {
    const job = await submit(tinyScenario(2));
    const end = await waitForJob(url, job.id);
    expect(end.message).toBe(null);
    expect(end.state).toBe('done');
    expect(end.progress).toMatchObject({ seedsDone: 2, seedsTotal: 2 });
    expect(end.outputs).toEqual(['scenario.csv', 'scenario-seeds.csv', 'scenario-places.csv', 'report.html', 'manifest.json']);
    const result = (await call(url, `/api/jobs/${job.id}/result`)).json as { rows: Array<Record<string, string>>; figures: Array<{ id: string; svgs: string[] }> };
    const download = await call(url, `/api/jobs/${job.id}/scenario.json`);
    expect(download.headers['content-disposition']).toBe('attachment; filename="tiny-redirect.json"');
    const file = join(root, 'resolved.json');
    writeFileSync(file, download.text);
    const cli = await runCli('scenario', file, '--out', join(root, 'cli'), '--threads', '2', '--quiet');
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    const csv = readFileSync(join(root, 'cli', 'scenario.csv'), 'utf8');
    // the run's own scenario.csv, byte for byte
    expect((await call(url, `/api/jobs/${job.id}/files/scenario.csv`)).text).toBe(csv);
    // and every row the page shows, cell for cell
    const lines = csv.trim().split('\n');
    const header = lines[0].split(',');
    expect(result.rows).toHaveLength(2 * (2 + 3)); // ES and BI of 2 MSAs and 3 counties
    for (const row of result.rows) {
      const line = lines.find((l) => l.startsWith(`${row.level},${row.area.includes(',') ? `"${row.area}"` : row.area},`) && l.includes(`,${row.measure},`));
      expect(line, `${row.level} ${row.area} ${row.measure}`).toBeDefined();
      const cells = line!.match(/("[^"]*"|[^,]*)(,|$)/g)!.map((c) => c.replace(/,$/, '').replace(/^"|"$/g, ''));
      header.forEach((name, k) => expect(row[name], `${row.area} ${row.measure} ${name}`).toBe(cells[k]));
    }
    expect(result.figures.map((f) => f.id)).toEqual(['scenario-forest-msa', 'scenario-forest-county', 'scenario-places']);
    const forest = result.figures[0];
    const marks = symbolMarks(`<figure data-chart="${forest.id}">${forest.svgs.join('')}</figure>`, forest.id);
    expect(marks).toEqual({ points_forest_msa_es: 2, points_forest_msa_bi: 2 });
    // files of a run are its own outputs only
    expect((await call(url, `/api/jobs/${job.id}/files/secret.txt`)).status).toBe(404);
    expect((await call(url, `/api/jobs/${job.id}/files/..%2f..%2fsecret.txt`)).status).toBe(404);
    const report = await call(url, `/api/jobs/${job.id}/files/report.html`);
    expect(report.status).toBe(200);
    expect(report.text).toContain('mobiseg scenario report');
  });

  it('one run per client (409), a FIFO queue across clients, cancel while queued and while running', async () => {
    const a = await submit(tinyScenario(5000, { name: 'long' }));
    const again = await call(url, '/api/jobs', { body: tinyScenario(2) });
    expect(again.status).toBe(409);
    expect(again.json?.job).toBe(a.id);
    // other clients (other loopback addresses) queue behind it, in order
    const b = await submit(tinyScenario(2, { name: 'second' }), '127.0.0.2');
    const c = await submit(tinyScenario(2, { name: 'third' }), '127.0.0.3');
    expect([b.state, b.ahead, c.state, c.ahead]).toEqual(['queued', 1, 'queued', 2]);
    // only the client that started a run may cancel it
    expect((await call(url, `/api/jobs/${b.id}/cancel`, { method: 'POST' })).status).toBe(403);
    const bCancelled = await call(url, `/api/jobs/${b.id}/cancel`, { method: 'POST', localAddress: '127.0.0.2' });
    expect(bCancelled.json).toMatchObject({ state: 'cancelled', message: 'cancelled before it started' });
    expect((await call(url, `/api/jobs/${c.id}`)).json).toMatchObject({ state: 'queued', ahead: 1 });
    // cancel A once it has done a few seeds: it stops at the next stage boundary
    await waitForJob(url, a.id, (s) => s.state === 'running' && s.progress.seedsDone >= 2);
    const t0 = Date.now();
    expect((await call(url, `/api/jobs/${a.id}/cancel`, { method: 'POST' })).status).toBe(200);
    const end = await waitForJob(url, a.id);
    expect(end.state).toBe('cancelled');
    expect(end.message).toMatch(/^cancelled after \d+ of 5000 seeds$/);
    expect(end.progress.seedsDone).toBeLessThan(5000);
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(existsSync(server.jobs.get(a.id)!.outDir)).toBe(false);
    // then C runs, after A ended
    const cEnd = (await waitForJob(url, c.id)) as JobStatusJson & { started: string; finished: string };
    expect(cEnd.state).toBe('done');
    expect(Date.parse(cEnd.started)).toBeGreaterThanOrEqual(Date.parse((end as JobStatusJson & { finished: string }).finished));
    // and A's client may run again
    const d = await submit(tinyScenario(2, { name: 'after-cancel' }));
    expect((await waitForJob(url, d.id)).state).toBe('done');
  });
});
