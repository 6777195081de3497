/**
 * `run --json` gives the results, not only counts: per MSA and county the same values as msa.csv and
 * county.csv (estimates, intervals, BI, ec, notes), drops by reason, counts, warnings, timings, outputs.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-json-'));
const city = join(dir, 'city');

beforeAll(async () => {
  expect((await runCli('simulate', '--city', 'tiny', '--out', city, '--quiet')).code).toBe(0);
});

describe('mobiseg run --json', () => {
  it('per area the values of msa.csv and county.csv, with drops by reason, counts, timings and outputs', async () => {
    // one visit row with an unknown person, dropped and counted
    const visits = readFileSync(join(city, 'visits.csv'), 'utf8').split('\n');
    visits.splice(5, 0, visits[1].replace(/^[^,]+/, '999999'));
    const v = join(dir, 'visits.csv');
    writeFileSync(v, visits.join('\n'));
    const out = join(dir, 'out');
    const r = await runCli('run', '--persons', join(city, 'persons.csv'), '--visits', v, '--out', out, '--bootstrap', '20', '--threads', '1', '--drop-invalid', '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout);
    for (const [level, file] of [['msa', 'msa.csv'], ['county', 'county.csv']] as const) {
      const table = await readSmallTable(join(out, file));
      const rows = json[level] as Array<Record<string, number | string | null>>;
      expect(rows.length).toBe(table.nRows);
      expect(rows.length).toBeGreaterThan(1);
      for (const column of ['exposure_segregation', 'es_ci_low', 'es_ci_high', 'es_naive', 'bridging_index', 'ec', 'n_people']) {
        const csv = table.numbers(column, { allowMissing: true });
        expect(rows.map((x) => x[column]), `${level} ${column}`).toEqual(Array.from(csv, (x) => (Number.isNaN(x) ? null : x)));
      }
      expect(rows.map((x) => x.note ?? '')).toEqual(table.text('note').map((x) => x ?? ''));
    }
    expect(json.msa.map((x: { msa: string }) => x.msa)).toEqual(['Hillview, XN', 'Lakeside, XS']);
    expect(json.county.map((x: { fips_code: number }) => x.fips_code).slice(0, 3)).toEqual([91101, 91103, 92101]);
    expect(json.dropped).toEqual({ persons: {}, visits: { 'unknown person (column person_id)': 1 } });
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(json.counts).toEqual(manifest.counts);
    expect(json.counts.persons).toBe(450);
    expect(json.outputs).toEqual(manifest.outputs);
    expect(json.timings.total).toBeGreaterThan(0);
    expect(json.warnings).toEqual([]);
  });
});
