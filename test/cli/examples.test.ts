/**
 * comparison.csv leaves correlations over too few areas empty, and `validate` on a synthetic city says
 * in one line that nothing matches, leaving no empty file; `validate --out` writes only on success.
 * (The top-level --help examples are run in test/slow/help-examples.test.ts.)
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-examples-'));
const publishedMsa = resolve(process.cwd(), 'data/published/exposure-segregation-msa.csv');

describe('a run on the tiny synthetic city', () => {
  const city = join(dir, 'city');
  const out = join(dir, 'output');
  beforeAll(async () => {
    expect((await runCli('simulate', '--city', 'tiny', '--out', city, '--quiet')).code).toBe(0);
    const r = await runCli('run', '--persons', join(city, 'persons.csv'), '--visits', join(city, 'visits.csv'), '--out', out, '--bootstrap', '0', '--threads', '1', '--quiet');
    expect(r.code, r.stderr).toBe(0);
  });

  it('comparison.csv: n areas per correlation, and no correlation over the 2 MSAs', async () => {
    const t = await readSmallTable(join(out, 'comparison.csv'));
    const level = t.text('level');
    const n = t.numbers('n_es');
    const r = t.numbers('pearson_es', { allowMissing: true });
    const rho = t.numbers('spearman_bi', { allowMissing: true });
    const msaRows = level.map((l, i) => (l === 'msa' ? i : -1)).filter((i) => i >= 0);
    expect(msaRows.length).toBe(6);
    for (const i of msaRows) {
      expect(n[i]).toBe(2);
      expect(r[i]).toBeNaN();
      expect(rho[i]).toBeNaN();
    }
  });

  it('validate on the synthetic city: exit 2 with one line saying nothing matches, and no file left behind', async () => {
    for (const [option, file] of [['--msa', 'msa.csv'], ['--county', 'county.csv']] as const) {
      const report = join(dir, `validation-${file}.json`);
      const r = await runCli('validate', option, join(out, file), '--json', '--out', report);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines.length).toBe(1);
      expect(lines[0]).toMatch(new RegExp(`^mobiseg: .*${file}: no (MSA name|FIPS code) matches the published data, so there is nothing to compare \\(.*a synthetic city's are not\\)`));
      expect(existsSync(report)).toBe(false);
    }
  });
});

describe('validate --out', () => {
  it('writes the report only when validation succeeds (the README example on the published file)', async () => {
    const report = join(dir, 'validation.json');
    const r = await runCli('validate', '--msa', publishedMsa, '--json', '--out', report);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`wrote ${report}\n`);
    const json = JSON.parse(readFileSync(report, 'utf8'));
    expect(json.msa.matched).toBe(382);
  });
});
