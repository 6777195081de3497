/**
 * The top-level --help examples run as written and mean something: the bundled city and a city
 * simulated with the default spec, where no MSA or county is a boundary fit (the tiny city's are), and
 * whose comparison.csv has no correlation over its 2 MSAs but one over its 6 counties.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-help-examples-'));
const root = process.cwd();

describe('the top-level --help example', () => {
  const out = join(dir, 'output');
  beforeAll(async () => {
    const help = await runCli('--help');
    const examples = help.stdout.split('\n').filter((l) => l.trim().startsWith('mobiseg '));
    expect(examples.length).toBe(2);
    expect(examples[1].trim()).toMatch(/^mobiseg simulate/);
    // run them as written (in a fresh folder; comments dropped), one command of an && chain after the other
    process.chdir(dir);
    try {
      for (const example of examples) {
        for (const command of example.replace(/#.*$/, '').trim().split(' && ')) {
          const r = await runCli(...command.split(/\s+/).slice(1));
          expect(r.code, `${command}: ${r.stderr}`).toBe(0);
        }
      }
    } finally {
      process.chdir(root);
    }
  }, 300_000);
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
});
