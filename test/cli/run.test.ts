import { describe, it, expect, vi, beforeAll, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { loadPersons } from '../../src/io/load-persons.js';
import { loadPlaces } from '../../src/io/load-places.js';
import { loadVisits } from '../../src/io/load-visits.js';
import { buildBipartiteGraph } from '../../src/graph/bipartite.js';
import { buildCoPresenceGroups } from '../../src/encounters/groups.js';
import { writeCsv } from '../../src/io/csv-writer.js';
import { columnTable } from '../../src/io/column-table.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-run-'));
const city = join(dir, 'city');


afterEach(() => vi.restoreAllMocks());

beforeAll(async () => {
  const r = await runCli('simulate', '--city', 'tiny', '--out', city, '--quiet');
  expect(r.code).toBe(0);
});

const inputs = () => ['--persons', join(city, 'persons.csv'), '--visits', join(city, 'visits.csv'), '--places', join(city, 'places.csv')];

describe('mobiseg run', () => {
  it('writes msa.csv and county.csv with the published columns first, person stats and a manifest', async () => {
    const out = join(dir, 'out-a');
    const r = await runCli('run', ...inputs(), '--out', out, '--bootstrap', '20', '--threads', '1', '--quiet');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Lakeside, XS/);
    const msa = readFileSync(join(out, 'msa.csv'), 'utf8').split('\n');
    expect(msa[0].startsWith('exposure_segregation,msa,bridging_index,')).toBe(true);
    expect(msa[1]).toMatch(/^[0-9.]+,"Hillview, XN",/); // sorted by name
    const county = readFileSync(join(out, 'county.csv'), 'utf8').split('\n');
    expect(county[0].startsWith('exposure_segregation,fips_code,county_name,exposure_segregation_smoothed,')).toBe(true);
    expect(county.slice(1, 4).map((l) => l.split(',')[1])).toEqual(['91101', '91103', '92101']);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.counts.persons).toBe(450);
    expect(manifest.inputs.map((i: { role: string }) => i.role)).toEqual(['persons', 'places', 'visits']);
    expect(manifest.inputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(existsSync(join(out, 'person-stats.arrow'))).toBe(true);
    expect(readFileSync(join(out, 'places.csv'), 'utf8').split('\n')[0]).toMatch(/^place_id,category,msa,msa_source,visitors,visits,ses_mean,ses_sd,ses_entropy,ses_entropy_norm,segregation,/);
    expect(readFileSync(join(out, 'communities-summary.csv'), 'utf8').split('\n').length).toBe(4); // header, 2 MSAs, trailing newline
    expect(manifest.outputs).toEqual(['msa.csv', 'county.csv', 'places.csv', 'communities.csv', 'communities-summary.csv', 'comparison.csv', 'person-stats.arrow', 'report.html', 'manifest.json']);
    // no temporary files are left behind
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('marks boundary fits (tau^2 = 0, so ES = 1 by definition) in the printed table, and only those', async () => {
    const out = join(dir, 'out-boundary');
    const r = await runCli('run', ...inputs(), '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(r.code).toBe(0);
    const t = await readSmallTable(join(out, 'msa.csv'));
    const names = t.text('msa');
    const tau2 = t.numbers('tau2');
    const lines = r.stdout.split('\n');
    let boundary = 0;
    for (let k = 0; k < names.length; k++) {
      const line = lines.find((l) => l.startsWith(names[k]))!;
      const onBoundary = tau2[k] === 0;
      boundary += onBoundary ? 1 : 0;
      expect(line.includes('boundary fit (tau^2 = 0): ES = 1 by definition')).toBe(onBoundary);
    }
    expect(boundary).toBeGreaterThan(0); // the tiny city has one: the check above is not vacuous
  });

  it('writes the same bytes for 1, 2 and 3 threads (same seed, same numbers): every table, person stats, the manifest but its timings', async () => {
    const files = ['msa.csv', 'county.csv', 'places.csv', 'communities.csv', 'communities-summary.csv', 'comparison.csv', 'person-stats.arrow'];
    // the manifest records the thread count, the time it was made and the timings; the rest must match
    const manifest = (out: string) => {
      const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      delete m.timings;
      delete m.created;
      delete m.options.threads;
      return m;
    };
    const a = join(dir, 'threads-1');
    expect((await runCli('run', ...inputs(), '--out', a, '--bootstrap', '30', '--threads', '1', '--quiet')).code).toBe(0);
    for (const threads of ['2', '3']) {
      const b = join(dir, `threads-${threads}`);
      expect((await runCli('run', ...inputs(), '--out', b, '--bootstrap', '30', '--threads', threads, '--quiet')).code).toBe(0);
      for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), `${f} with ${threads} threads`).toBe(true);
      expect(manifest(b)).toEqual(manifest(a));
    }
    // not vacuous: the run has places, communities and bootstrap intervals to compare
    expect(readFileSync(join(a, 'communities.csv'), 'utf8').split('\n').length).toBeGreaterThan(3);
    expect(readFileSync(join(a, 'msa.csv'), 'utf8')).toMatch(/\d\.\d+,\d\.\d+/);
  });

  it('gives byte-identical tables from the same city as CSV, Arrow and Parquet', async () => {
    const tables: Record<string, string[]> = {};
    for (const format of ['csv', 'arrow', 'parquet']) {
      const input = join(dir, `city-${format}`);
      expect((await runCli('simulate', '--city', 'tiny', '--out', input, '--format', format, '--quiet')).code).toBe(0);
      const out = join(dir, `from-${format}`);
      const files = ['persons', 'visits', 'places'].flatMap((t) => [`--${t}`, join(input, `${t}.${format}`)]);
      const r = await runCli('run', ...files, '--out', out, '--bootstrap', '10', '--threads', '1', '--quiet');
      expect(r.code, r.stderr).toBe(0);
      tables[format] = ['msa.csv', 'county.csv', 'places.csv'].map((f) => readFileSync(join(out, f), 'utf8'));
    }
    expect(tables.csv[0].split('\n').length).toBeGreaterThan(2);
    expect(tables.arrow).toEqual(tables.csv);
    expect(tables.parquet).toEqual(tables.csv);
  });

  it('stops on bad input with exit code 2, naming file, row and column, and writes no table', async () => {
    const persons = join(dir, 'bad-persons.csv');
    const text = readFileSync(join(city, 'persons.csv'), 'utf8').split('\n');
    const cols = text[1].split(',');
    const sesCol = text[0].split(',').indexOf('ses');
    cols[sesCol] = 'NaN';
    text[1] = cols.join(',');
    writeFileSync(persons, text.join('\n'));
    const out = join(dir, 'bad');
    const r = await runCli('run', '--persons', persons, '--visits', join(city, 'visits.csv'), '--out', out, '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`mobiseg: ${persons}: non-finite SES in column "ses" at row 1\n`);
    expect(existsSync(join(out, 'msa.csv'))).toBe(false);
  });

  it('--drop-invalid drops the row, counts it in the manifest and goes on', async () => {
    const out = join(dir, 'dropped');
    const visits = join(dir, 'visits-unknown.csv');
    writeFileSync(visits, readFileSync(join(city, 'visits.csv'), 'utf8') + '999999,1,1546819200,1546819500\n');
    const r = await runCli('run', '--persons', join(city, 'persons.csv'), '--visits', visits, '--out', out, '--bootstrap', '0', '--drop-invalid', '--quiet');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.dropped.visits).toEqual({ 'unknown person (column person_id)': 1 });
    expect(r.stdout).toMatch(/dropped: visits: 1 unknown person/);
  });

  it('pair-encounter input gives the same tables as the equivalent visits, in both modes', async () => {
    // the pairs the visits imply: one row per (pair, place, bin), time = start of the bin
    const persons = await loadPersons(join(city, 'persons.csv'));
    const places = await loadPlaces(join(city, 'places.csv'));
    const visits = await loadVisits(join(city, 'visits.csv'), persons.ids, places.ids, { placesFixed: true });
    const groups = buildCoPresenceGroups(buildBipartiteGraph(visits.chunks, persons.count, places.count), 300);
    const a: string[] = [];
    const b: string[] = [];
    const place: string[] = [];
    const time: number[] = [];
    for (let g = 0; g < groups.nGroups; g++) {
      const m = groups.groupMembers.subarray(groups.groupOffsets[g], groups.groupOffsets[g + 1]);
      for (let x = 0; x < m.length; x++)
        for (let y = x + 1; y < m.length; y++) {
          a.push(String(persons.ids.idOf(m[x])));
          b.push(String(persons.ids.idOf(m[y])));
          place.push(String(places.ids.idOf(groups.groupPlace[g])));
          time.push(groups.groupBin[g] * 300);
        }
    }
    expect(a.length).toBeGreaterThan(1000);
    const pairs = join(dir, 'pairs.csv');
    await writeCsv(pairs, columnTable([{ name: 'person_a', values: a }, { name: 'person_b', values: b }, { name: 'place_id', values: place }, { name: 'time', values: Float64Array.from(time) }]));
    for (const mode of ['distinct', 'weighted']) {
      const fromVisits = join(dir, `equiv-visits-${mode}`);
      const fromPairs = join(dir, `equiv-pairs-${mode}`);
      expect((await runCli('run', ...inputs(), '--out', fromVisits, '--mode', mode, '--bootstrap', '10', '--threads', '1', '--quiet')).code).toBe(0);
      expect((await runCli('run', '--persons', join(city, 'persons.csv'), '--encounters', pairs, '--places', join(city, 'places.csv'), '--out', fromPairs, '--mode', mode, '--bootstrap', '10', '--threads', '1', '--quiet')).code).toBe(0);
      // the same numbers up to summation order (partners are visited in another order): 1e-12 relative.
      // Place communities are left out: the graph implied by pairs lacks visits of persons who met nobody.
      for (const f of ['msa.csv', 'county.csv']) {
        const x = await readSmallTable(join(fromVisits, f));
        const y = await readSmallTable(join(fromPairs, f));
        expect(y.names).toEqual(x.names);
        expect(y.nRows).toBe(x.nRows);
        for (const c of x.names) {
          if (c.startsWith('place_') || c === 'encounters_within_communities') continue;
          if (c === 'msa' || c === 'county_name' || c === 'note' || c === 'estimator') {
            expect(y.text(c)).toEqual(x.text(c));
            continue;
          }
          const a = x.numbers(c, { allowMissing: true });
          const b = y.numbers(c, { allowMissing: true });
          for (let i = 0; i < a.length; i++) {
            if (Number.isNaN(a[i])) expect(Number.isNaN(b[i])).toBe(true);
            else expect(Math.abs(b[i] - a[i]), `${f} ${c} row ${i + 1}`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(a[i])));
          }
        }
      }
    }
  });

  it('counts and reports persons outside every MSA instead of leaving them out silently', async () => {
    const lines = readFileSync(join(city, 'persons.csv'), 'utf8').split('\n');
    // the MSA title ("Lakeside, XS") is the only quoted field: blank it in two rows
    lines[1] = lines[1].replace(/"[^"]*"/, '');
    lines[2] = lines[2].replace(/"[^"]*"/, '');
    const persons = join(dir, 'persons-no-msa.csv');
    writeFileSync(persons, lines.join('\n'));
    const out = join(dir, 'outside');
    const r = await runCli('run', '--persons', persons, '--visits', join(city, 'visits.csv'), '--out', out, '--bootstrap', '0', '--quiet');
    expect(r.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.counts.persons_without_msa).toBe(2);
    expect(manifest.counts.persons_without_county).toBe(0);
    expect(r.stdout).toMatch(/persons outside every area \(in no estimate of that level, still partners of others\): 2 without an MSA/);
  });

  it('rejects bad options with exit code 2', async () => {
    const r = await runCli('run', ...inputs(), '--out', join(dir, 'x'), '--bin', '-5');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--bin must be a number in \[1, 86400\], got "-5"/);
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    const f = await runCli('run', ...inputs(), '--out', file);
    expect(f.code).toBe(2);
    expect(f.stderr).toBe(`mobiseg: --out ${file} exists and is not a folder\n`);
    // a folder that could not be created fails before the work, not with an internal error after it
    const under = await runCli('run', ...inputs(), '--out', join(file, 'sub', 'out'));
    expect(under.code).toBe(2);
    expect(under.stderr).toBe(`mobiseg: --out ${join(file, 'sub', 'out')}: ${file} is a file, so the folder cannot be created\n`);
    const d = await runCli('run', '--persons', dir, '--visits', join(city, 'visits.csv'), '--out', join(dir, 'y'));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/cannot read/);
  });

  it('shows a runnable example in --help', async () => {
    const r = await runCli('run', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n {2}mobiseg run --out output/);
  });
});
