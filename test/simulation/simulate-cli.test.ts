import { describe, it, expect, vi, afterEach, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { generateCity } from '../../src/simulation/generate-city.js';
import { column } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-simulate-'));
let outputs = 0;
const freshDir = () => join(root, `run-${outputs++}`);

const run = (...args: string[]) => runCli('simulate', ...args);

const bytes = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));

afterEach(() => vi.restoreAllMocks());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mobiseg simulate', () => {
  for (const format of ['csv', 'arrow', 'parquet']) {
    it(`same seed, same bytes (${format}); another seed, other bytes`, async () => {
      const a = freshDir();
      const b = freshDir();
      const c = freshDir();
      expect((await run('--city', 'sims/cities/tiny.json', '--out', a, '--format', format, '--seed', '42', '--quiet')).code).toBe(0);
      expect((await run('--city', 'sims/cities/tiny.json', '--out', b, '--format', format, '--seed', '42', '--quiet')).code).toBe(0);
      expect((await run('--city', 'sims/cities/tiny.json', '--out', c, '--format', format, '--seed', '43', '--quiet')).code).toBe(0);
      const [fa, fb, fc] = [bytes(a), bytes(b), bytes(c)];
      expect(Object.keys(fa)).toEqual(['city.json', `persons.${format}`, `places.${format}`, `visits.${format}`]);
      for (const f of Object.keys(fa)) expect(fa[f].equals(fb[f])).toBe(true);
      for (const f of [`persons.${format}`, `visits.${format}`]) expect(fa[f].equals(fc[f])).toBe(false);
    });
  }

  it('the default city: byte-identical CSV across runs, and the files read back as generated', async () => {
    const a = freshDir();
    const b = freshDir();
    const first = await run('--out', a, '--quiet');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Springfield, XS\s+14000/);
    expect(first.stdout).toMatch(/Riverton, XN\s+6000/);
    expect((await run('--city', 'default', '--out', b, '--quiet')).code).toBe(0);
    const [fa, fb] = [bytes(a), bytes(b)];
    for (const f of Object.keys(fa)) expect(fa[f].equals(fb[f])).toBe(true);

    const city = generateCity(loadCitySpec('sims/cities/default.json'));
    const persons = await readSmallTable(join(a, 'persons.csv'));
    expect(persons.nRows).toBe(20000);
    expect(Array.from(persons.numbers('ses'))).toEqual(Array.from(column(city.persons, 'ses') as Float64Array));
    expect(persons.text('home_tract')).toEqual(column(city.persons, 'home_tract'));
    const visits = await readSmallTable(join(a, 'visits.csv'));
    expect(Array.from(visits.numbers('end'))).toEqual(Array.from(column(city.visits, 'end') as Float64Array));
  });

  it('Arrow and Parquet hold the same values as CSV', async () => {
    const dirs = { csv: freshDir(), arrow: freshDir(), parquet: freshDir() };
    for (const [format, dir] of Object.entries(dirs)) expect((await run('--city', 'tiny', '--out', dir, '--format', format, '--quiet')).code).toBe(0);
    for (const table of ['persons', 'places', 'visits']) {
      const csv = await readSmallTable(join(dirs.csv, `${table}.csv`));
      for (const format of ['arrow', 'parquet']) {
        const other = await readSmallTable(join((dirs as Record<string, string>)[format], `${table}.${format}`));
        expect(other.names).toEqual(csv.names);
        for (const name of csv.names) expect(other.text(name)).toEqual(csv.text(name));
      }
    }
  });

  it('city.json regenerates the same city, including --seed and --sorting overrides', async () => {
    const a = freshDir();
    const b = freshDir();
    expect((await run('--city', 'tiny', '--out', a, '--seed', 'abc', '--sorting', '0.9', '--quiet')).code).toBe(0);
    const spec = JSON.parse(readFileSync(join(a, 'city.json'), 'utf8'));
    expect(spec.seed).toBe('abc');
    expect(spec.residential_sorting).toBe(0.9);
    expect((await run('--city', join(a, 'city.json'), '--out', b, '--quiet')).code).toBe(0);
    const [fa, fb] = [bytes(a), bytes(b)];
    for (const f of Object.keys(fa)) expect(fa[f].equals(fb[f])).toBe(true);
  });

  it('bad input exits 2 naming the file and JSON path; bad options exit 2', async () => {
    const bad = join(root, 'bad.json');
    const spec = JSON.parse(readFileSync('sims/cities/tiny.json', 'utf8'));
    spec.msas[1].population = -5;
    writeFileSync(bad, JSON.stringify(spec));
    const r = await run('--city', bad, '--out', freshDir());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json');
    expect(r.stderr).toContain('msas[1].population');
    expect((await run('--city', 'tiny', '--out', freshDir(), '--sorting', '1.5')).code).toBe(2);
    // commander rejects the choice: a usage error, exit code 2
    expect((await run('--city', 'tiny', '--out', freshDir(), '--format', 'xlsx')).code).toBe(2);
    expect((await run('--city', 'tiny', '--out', bad)).stderr).toContain('exists and is not a folder');
    expect((await run('--city', 'no-such-city', '--out', freshDir())).stderr).toContain('no-such-city: cannot read city spec');
  });

  it('--json prints the per-MSA summary', async () => {
    const r = await run('--city', 'tiny', '--out', freshDir(), '--json');
    const parsed = JSON.parse(r.stdout);
    expect(parsed.msas.map((m: { msa: string; persons: number }) => [m.msa, m.persons])).toEqual([
      ['Lakeside, XS', 300],
      ['Hillview, XN', 150],
    ]);
  });
});
