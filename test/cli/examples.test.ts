/**
 * The examples a new user runs first work and mean something: the top-level --help example on a city
 * where ES is not a boundary fit, comparison.csv without correlations over too few areas, and
 * `validate` on the synthetic city saying in one line that nothing matches, leaving no empty file.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-examples-'));
const root = process.cwd();
const publishedMsa = resolve(root, 'data/published/exposure-segregation-msa.csv');

describe('the top-level --help example', () => {
  const out = join(dir, 'output');
  beforeAll(async () => {
    const help = await runCli('--help');
    const example = help.stdout.split('\n').find((l) => l.trim().startsWith('mobiseg simulate'));
    expect(example).toBeDefined();
    // run it as written (in a fresh folder), one command of the && chain after the other
    process.chdir(dir);
    try {
      for (const command of example!.trim().split(' && ')) {
        // --bootstrap 0: the fits (tau^2, ES) do not depend on the bootstrap, which only widens the test's time
        const r = await runCli(...command.split(/\s+/).slice(1), ...(command.startsWith('mobiseg run') ? ['--bootstrap', '0'] : []), '--quiet');
        expect(r.code, `${command}: ${r.stderr}`).toBe(0);
      }
    } finally {
      process.chdir(root);
    }
  }, 120_000);
  afterAll(() => process.chdir(root));

  it('is a city where ES means something: no MSA or county fit on the boundary (tau^2 = 0, ES = 1)', async () => {
    for (const file of ['msa.csv', 'county.csv']) {
      const t = await readSmallTable(join(out, file));
      const tau2 = Array.from(t.numbers('tau2'));
      expect(tau2.length).toBeGreaterThan(1);
      expect(tau2.every((x) => x > 0), `${file}: tau2 ${tau2}`).toBe(true);
      expect(Array.from(t.numbers('exposure_segregation')).every((x) => x > 0 && x < 1)).toBe(true);
    }
  });

  it('comparison.csv: no correlation over the 2 MSAs, correlations over the 6 counties, with n', async () => {
    const t = await readSmallTable(join(out, 'comparison.csv'));
    const level = t.text('level');
    const n = t.numbers('n_es');
    const r = t.numbers('pearson_es', { allowMissing: true });
    const rho = t.numbers('spearman_bi', { allowMissing: true });
    let msaRows = 0;
    let countyRows = 0;
    level.forEach((l, i) => {
      if (l === 'msa') {
        msaRows++;
        expect(n[i]).toBe(2);
        expect(r[i]).toBeNaN();
        expect(rho[i]).toBeNaN();
      } else {
        countyRows++;
        expect(n[i]).toBe(6);
        expect(Math.abs(r[i])).toBeLessThanOrEqual(1);
      }
    });
    expect(msaRows).toBeGreaterThan(0);
    expect(countyRows).toBe(msaRows);
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
