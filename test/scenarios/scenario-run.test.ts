/**
 * The scenario engine end to end (SPEC section 8): a data base is read once and its baseline equals
 * `mobiseg run` on the same files; without a change the counterfactual equals the baseline exactly;
 * scenario files are validated with JSON paths.
 */
import { describe, it, expect, beforeAll, afterEach, vi } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
  it('a missing file and a name that is not bundled are usage errors', async () => {
    const r = await runCli('scenario', 'no-such-scenario', '--out', join(dir, 'bad'), '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no-such-scenario: cannot read scenario/);
  });
});
