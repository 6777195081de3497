/**
 * `mobiseg residential` end to end on the bundled data (values from EXPECTED.md) and on bad inputs
 * (exit code 2, message naming the unit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mobiseg-residential-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const run = (args: string[]) => runCli('residential', ...args);

const rel = (a: number, b: number, tol = 1e-6) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.abs(b));

describe('mobiseg residential', () => {
  it('Sacramento with geometry (the help example): EXPECTED.md values in residential-indices.csv and units.csv', async () => {
    const out = join(dir, 'sacramento');
    const r = await run([
      '--units', 'data/residential/sacramento-tracts.csv', '--groups', 'WHITE_,BLACK_,ASIAN_,HISP_', '--total', 'TOT_POP',
      '--geometry', 'data/residential/sacramento-tracts.geojson', '--out', out, '--quiet',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const t = await readSmallTable(join(out, 'residential-indices.csv'));
    const index = t.text('index');
    const group = t.text('group');
    const value = t.numbers('value', { allowMissing: true });
    const get = (name: string, g = '') => value[index.findIndex((n, i) => n === name && group[i] === g)];
    rel(get('dissimilarity', 'HISP_'), 0.32184656076566864);
    rel(get('gini', 'HISP_'), 0.43506510676886234);
    rel(get('mutual_information'), 0.16645182134289443);
    rel(get('multigroup_dissimilarity'), 0.41340872573177806);
    rel(get('delta', 'HISP_'), 0.8044969214141899);
    rel(get('absolute_centralization', 'HISP_'), 0.6891422368736286);
    const u = await readSmallTable(join(out, 'units.csv'));
    expect(u.nRows).toBe(403);
    expect(u.numbers('lq_WHITE_')[0]).toBeCloseTo(1.36543221, 8);
    expect(new Set(u.text('obi_class'))).toEqual(new Set(['integrated', 'low-medium segregation', 'highly segregated white', 'highly segregated community of color']));
    expect(readdirSync(out).sort()).toEqual(['residential-indices.csv', 'units.csv']);
  });

  it('Detroit, city against suburbs in log base 2: decomposition.csv', async () => {
    const out = join(dir, 'detroit');
    const r = await run([
      '--units', 'data/residential/detroit-tracts.csv', '--groups', 'black,white', '--total', 'population', '--shares', '--partial',
      '--region', 'place_name', '--region-focus', 'Detroit city, MI', '--log', '2', '--out', out, '--quiet',
    ]);
    expect(r.code).toBe(0);
    const d = await readSmallTable(join(out, 'decomposition.csv'));
    expect(d.text('region')).toEqual(['Detroit city, MI', 'all others', '(total)']);
    const div = d.numbers('divergence');
    expect(div[2]).toBeCloseTo(0.4783, 4);
    expect(div[0]).toBeCloseTo(0.1364, 4);
    expect(d.numbers('within_share')[0]).toBeCloseTo(0.0471, 4);
    expect(d.numbers('between_share')[0]).toBeCloseTo(0.4962, 4);
    expect(d.numbers('within_share')[1]).toBeCloseTo(0.3216, 4);
    expect(d.numbers('between_share')[1]).toBeCloseTo(0.1351, 4);
    expect(r.stdout).toMatch(/divergence 0\.478288 = within/);
  });

  it('schools00 long table with --json: M, H and the between-state M; seeded inference columns', async () => {
    const r = await run(['--units', 'data/residential/schools00.csv', '--long', 'school,race,n', '--region', 'state', '--json', '--permutations', '3', '--bootstrap', '3', '--seed', '5', '--quiet']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const m = j.indices.find((x: { index: string }) => x.index === 'mutual_information');
    rel(m.value, 0.42553897587641876);
    rel(j.indices.find((x: { index: string }) => x.index === 'multigroup_theil_h').value, 0.4188083146);
    rel(j.decomposition.between, 0.0992437);
    expect(m.perm_p_value).toBe(0.25); // 1 / (3 + 1): no relabelling of 877,739 pupils comes close
    expect(typeof m.boot_bias_corrected).toBe('number');
    const again = JSON.parse((await run(['--units', 'data/residential/schools00.csv', '--long', 'school,race,n', '--json', '--bootstrap', '3', '--seed', '5', '--quiet'])).stdout);
    expect(again.indices.find((x: { index: string }) => x.index === 'mutual_information').boot_bias_corrected).toBe(m.boot_bias_corrected);
  });

  it('--persons: home tracts by SES quartiles and the NSI (hand-checked)', async () => {
    // tract A holds SES 1..4, tract B 5..8; person p9 has no home tract and is left out.
    // Quartile cuts 2.75, 4.5, 6.25: A = (2, 2, 0, 0), B = (0, 0, 2, 2): multigroup D = 2/3, M = ln 2;
    // NSI: tract means 2.5 and 6.5 around 4.5: sqrt(32 / 42).
    const f = join(dir, 'persons.csv');
    writeFileSync(f, 'person_id,ses,tract\n' + [1, 2, 3, 4, 5, 6, 7, 8].map((v) => `p${v},${v},${v <= 4 ? 'A' : 'B'}`).join('\n') + '\np9,3,\n');
    const r = await run(['--persons', f, '--col', 'home_tract=tract', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.groups).toEqual(['q1', 'q2', 'q3', 'q4']);
    const v = (name: string) => j.indices.find((x: { index: string }) => x.index === name).value;
    rel(v('multigroup_dissimilarity'), 2 / 3, 1e-12);
    rel(v('mutual_information'), Math.LN2, 1e-12);
    rel(v('neighbourhood_sorting_index'), Math.sqrt(32 / 42), 1e-12);
    expect(r.stderr).toMatch(/1 person\(s\) without a home_tract left out/);
    const median = JSON.parse((await run(['--persons', f, '--col', 'home_tract=tract', '--ses-groups', 'median', '--json', '--quiet'])).stdout);
    expect(median.groups).toEqual(['low', 'high']);
    rel(median.indices.find((x: { index: string; group: string }) => x.index === 'dissimilarity' && x.group === 'low').value, 1, 1e-12);
  });

  describe('bad input: exit 2 and a message naming the unit', () => {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };

    it('a negative count', async () => {
      const f = write('neg.csv', 'tract,A,B\nt1,10,5\nt2,-3,4\n');
      const r = await run(['--units', f, '--groups', 'A,B', '--out', join(dir, 'x')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/negative count in column "A" for unit "t2" \(row 2\)/);
    });

    it('shares that do not sum to 1', async () => {
      const f = write('shares.csv', 'tract,pop,A,B\nt1,100,0.5,0.5\nt2,100,0.6,0.3\n');
      const r = await run(['--units', f, '--groups', 'A,B', '--total', 'pop', '--shares', '--out', join(dir, 'x')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/sum to 0\.900000, not 1 within 0\.001.*unit "t2"/);
    });

    it('a unit missing from the geometry', async () => {
      const f = write('geo-units.csv', 'id,A,B\na,1,2\nb,3,4\n');
      const g = write('geo.geojson', JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { id: 'a' }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }],
      }));
      const r = await run(['--units', f, '--groups', 'A,B', '--geometry', g, '--out', join(dir, 'x')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unit "b" missing from the geometry/);
    });

    it('a duplicate unit id, a missing column, a bad option', async () => {
      const f = write('dup.csv', 'id,A,B\na,1,2\na,3,4\n');
      expect((await run(['--units', f, '--groups', 'A,B', '--out', join(dir, 'x')])).stderr).toMatch(/duplicate unit id "a" in column "id" at row 2/);
      const ok = write('ok.csv', 'id,A,B\na,1,2\nb,3,4\n');
      expect((await run(['--units', ok, '--groups', 'A,C', '--out', join(dir, 'x')])).stderr).toMatch(/missing column "C"/);
      expect((await run(['--units', ok, '--groups', 'A,B', '--log', '10', '--out', join(dir, 'x')])).code).toBe(2);
    });

    it('no output is left behind by a failed run', async () => {
      expect(readdirSync(dir)).not.toContain('x');
    });
  });
});
