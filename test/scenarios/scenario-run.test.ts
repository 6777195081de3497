/**
 * The scenario engine end to end (SPEC section 8): a data base is read once and its baseline equals
 * `mobiseg run` on the same files; without a change the counterfactual equals the baseline exactly;
 * scenario files are validated with JSON paths.
 */
import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-scenario-'));
const city = join(dir, 'city');

afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  const r = await runCli('simulate', '--city', 'default', '--out', city, '--format', 'arrow', '--quiet');
  expect(r.code).toBe(0);
});

function writeScenario(name: string, body: object): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, JSON.stringify(body, null, 2));
  return path;
}

const dataBase = () => ({ persons: join(city, 'persons.arrow'), visits: join(city, 'visits.arrow'), places: join(city, 'places.arrow') });

describe('mobiseg scenario on a data base', () => {
  it('the baseline is the estimate of `mobiseg run` on the same files, and no intervention changes nothing', async () => {
    const run = await runCli('run', ...Object.entries(dataBase()).flatMap(([k, v]) => [`--${k}`, v]), '--out', join(dir, 'run'), '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(run.code).toBe(0);
    const file = writeScenario('nothing', { name: 'nothing', base: dataBase(), interventions: [], seeds: 2 });
    const r = await runCli('scenario', file, '--out', join(dir, 'nothing'), '--threads', '1', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Springfield, XS/);
    const msa = await readSmallTable(join(dir, 'run', 'msa.csv'));
    const sc = await readSmallTable(join(dir, 'nothing', 'scenario.csv'));
    const level = sc.text('level');
    const area = sc.text('area');
    const measure = sc.text('measure');
    const baseline = sc.numbers('baseline');
    const counterfactual = sc.numbers('counterfactual');
    const delta = sc.numbers('delta');
    const names = msa.text('msa');
    for (const [column, m] of [['exposure_segregation', 'es'], ['bridging_index', 'bi'], ['ec', 'ec'], ['res_dissimilarity_low', 'res_dissimilarity_low']] as const) {
      const published = msa.numbers(column);
      names.forEach((name, k) => {
        const row = level.findIndex((l, j) => l === 'msa' && area[j] === name && measure[j] === m);
        expect(row).toBeGreaterThanOrEqual(0);
        expect(baseline[row]).toBe(published[k]);
      });
    }
    for (let j = 0; j < delta.length; j++) {
      if (!Number.isFinite(baseline[j])) continue;
      expect(counterfactual[j]).toBe(baseline[j]);
      expect(delta[j]).toBe(0);
    }
    // per place: the baseline visits are the visits of places.csv
    const places = await readSmallTable(join(dir, 'run', 'places.csv'));
    const visitsOf = new Map(places.text('place_id').map((id, k) => [id, places.numbers('visits')[k]]));
    const sp = await readSmallTable(join(dir, 'nothing', 'scenario-places.csv'));
    const spVisits = sp.numbers('baseline_visits');
    sp.text('place_id').forEach((id, k) => expect(spVisits[k]).toBe(visitsOf.get(id) ?? 0));
    const manifest = JSON.parse(readFileSync(join(dir, 'nothing', 'manifest.json'), 'utf8'));
    expect(manifest.command).toBe('scenario');
    expect(manifest.scenario.seeds).toBe(2);
    expect(manifest.seeds.seeds).toEqual([1, 2]);
    expect(manifest.inputs.map((i: { role: string }) => i.role)).toEqual(['persons', 'places', 'visits']);
  });
});

/** scenario.csv as rows keyed by level, area and measure. */
async function scenarioRows(out: string): Promise<Map<string, { baseline: number; counterfactual: number; delta: number }>> {
  const t = await readSmallTable(join(out, 'scenario.csv'));
  const [level, area, measure] = [t.text('level'), t.text('area'), t.text('measure')];
  const [b, c, d] = [t.numbers('baseline'), t.numbers('counterfactual'), t.numbers('delta')];
  return new Map(level.map((l, k) => [`${l}|${area[k]}|${measure[k]}`, { baseline: b[k], counterfactual: c[k], delta: d[k] }]));
}

const mixing = [
  { type: 'relocate-homes', share: 0.3, mode: 'mixed-income' },
  { type: 'redirect-visits', share: 0.5, categories: ['restaurant', 'cafe'], choice: 'distance-decay', law: 'exponential', scale_km: 2 },
];

describe('mobiseg scenario: reproducibility', () => {
  it('share 0 gives the baseline byte for byte: counterfactual = baseline for every measure and place', async () => {
    const file = writeScenario('share0', { name: 'share0', base: dataBase(), interventions: [{ type: 'redirect-visits', share: 0, choice: 'random' }, { type: 'relocate-homes', share: 0, mode: 'random' }], seeds: 1, options: { places: false } });
    const r = await runCli('scenario', file, '--out', join(dir, 'share0'), '--threads', '1', '--quiet');
    expect(r.code).toBe(0);
    const rows = await scenarioRows(join(dir, 'share0'));
    expect(rows.size).toBeGreaterThan(50);
    for (const v of rows.values()) if (Number.isFinite(v.baseline)) expect(v.counterfactual).toBe(v.baseline);
    const places = await readSmallTable(join(dir, 'share0', 'scenario-places.csv'));
    const [bc, cc] = [places.numbers('baseline_cross'), places.numbers('counterfactual_cross')];
    for (let k = 0; k < bc.length; k++) expect(cc[k]).toBe(bc[k]);
  });

  it('1 and 2 threads give the same bytes; a shuffled visits file gives the same changes (1e-12)', async () => {
    const file = writeScenario('mixing', { name: 'mixing', base: dataBase(), interventions: mixing, seeds: 2, options: { places: false } });
    for (const t of ['1', '2']) expect((await runCli('scenario', file, '--out', join(dir, `mixing-t${t}`), '--threads', t, '--quiet')).code).toBe(0);
    for (const f of ['scenario.csv', 'scenario-seeds.csv', 'scenario-places.csv']) {
      expect(readFileSync(join(dir, 'mixing-t2', f), 'utf8')).toBe(readFileSync(join(dir, 'mixing-t1', f), 'utf8'));
    }
    // the same visits in another order (a seeded permutation of the rows)
    const visits = await readSmallTable(join(city, 'visits.arrow'));
    const n = visits.text('person_id').length;
    const order = Array.from({ length: n }, (_, k) => k);
    let state = 12345;
    for (let k = n - 1; k > 0; k--) {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      const j = state % (k + 1);
      [order[k], order[j]] = [order[j], order[k]];
    }
    const cols = ['person_id', 'place_id', 'start', 'end'] as const;
    const data = cols.map((c) => (c === 'person_id' || c === 'place_id' ? visits.text(c) : Array.from(visits.numbers(c), String)));
    const lines = [cols.join(','), ...order.map((k) => data.map((col) => col[k]).join(','))];
    writeFileSync(join(dir, 'visits-shuffled.csv'), lines.join('\n') + '\n');
    const shuffled = writeScenario('mixing-shuffled', { name: 'mixing', base: { ...dataBase(), visits: join(dir, 'visits-shuffled.csv') }, interventions: mixing, seeds: 2, options: { places: false } });
    expect((await runCli('scenario', shuffled, '--out', join(dir, 'mixing-shuffled'), '--threads', '2', '--quiet')).code).toBe(0);
    const a = await scenarioRows(join(dir, 'mixing-t1'));
    const b = await scenarioRows(join(dir, 'mixing-shuffled'));
    expect([...b.keys()]).toEqual([...a.keys()]);
    let moved = 0;
    for (const [key, x] of a) {
      const y = b.get(key)!;
      if (!Number.isFinite(x.delta)) continue;
      expect(Math.abs(y.delta - x.delta)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(x.baseline)));
      if (x.delta !== 0) moved++;
    }
    expect(moved).toBeGreaterThan(20); // the interventions did change the estimates
  });

  it('a synthetic base is drawn anew per seed: baselines differ between seeds, the same seed gives the same numbers', async () => {
    const file = writeScenario('tiny-seeds', { name: 'tiny', base: { city: 'tiny' }, interventions: [{ type: 'redirect-visits', share: 0.5, choice: 'random' }], seeds: [3, 5], options: { places: false } });
    expect((await runCli('scenario', file, '--out', join(dir, 'tiny-a'), '--threads', '1', '--quiet')).code).toBe(0);
    expect((await runCli('scenario', file, '--out', join(dir, 'tiny-b'), '--threads', '2', '--quiet')).code).toBe(0);
    expect(readFileSync(join(dir, 'tiny-b', 'scenario-seeds.csv'), 'utf8')).toBe(readFileSync(join(dir, 'tiny-a', 'scenario-seeds.csv'), 'utf8'));
    const seeds = await readSmallTable(join(dir, 'tiny-a', 'scenario-seeds.csv'));
    const pick = (seed: string) => seeds.numbers('baseline')[seeds.text('seed').findIndex((s, k) => s === seed && seeds.text('measure')[k] === 'es_naive' && seeds.text('level')[k] === 'msa')];
    expect(pick('3')).not.toBe(pick('5'));
    const json = await runCli('scenario', file, '--out', join(dir, 'tiny-c'), '--threads', '1', '--quiet', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.stdout);
    expect(parsed.seeds).toEqual([3, 5]);
    expect(parsed.areas.find((x: { measure: string }) => x.measure === 'bi').delta).toHaveLength(3);
  });
});

describe('scenario files', () => {
  it('a bad value names the file and the JSON path (exit 2)', async () => {
    const file = writeScenario('bad-seeds', { name: 'x', base: { city: 'tiny' }, interventions: [], seeds: 0 });
    const r = await runCli('scenario', file, '--out', join(dir, 'bad'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(file);
    expect(r.stderr).toMatch(/at seeds/);
  });
  it('an unknown field or intervention type is named with its path', async () => {
    const file = writeScenario('bad-type', { name: 'x', base: { city: 'tiny' }, interventions: [{ type: 'teleport' }], colour: 'red' });
    const r = await runCli('scenario', file, '--out', join(dir, 'bad'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at interventions\[0\]\.type|at interventions\[0\]/);
    expect(r.stderr).toMatch(/colour/);
  });
  it('report.html without the tables it is drawn from is refused before any work', async () => {
    const file = writeScenario('report-only', { name: 'x', base: { city: 'tiny' }, interventions: [], outputs: ['report.html'] });
    const r = await runCli('scenario', file, '--out', join(dir, 'report-only'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at outputs: report\.html is drawn from scenario\.csv and scenario-places\.csv/);
  });
  it('only the outputs asked for are written, into a folder made for them', async () => {
    const file = writeScenario('seeds-only', { name: 'x', base: { city: 'tiny' }, interventions: [], seeds: 1, outputs: ['scenario-seeds.csv'], options: { places: false } });
    const out = join(dir, 'new', 'folder');
    const r = await runCli('scenario', file, '--out', out, '--quiet');
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['manifest.json', 'scenario-seeds.csv']);
  });
  it('a missing file and a name that is not bundled are usage errors', async () => {
    const r = await runCli('scenario', 'no-such-scenario', '--out', join(dir, 'bad'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-scenario: cannot read scenario/);
  });
});
