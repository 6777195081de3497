import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { computeHeadlineFacts } from '../../src/validate/validate.js';
import { readPopulation } from '../../src/validate/validate-files.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-calibrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Fact {
  fact: string;
  paper: number | null;
  published: number;
  simulated: number;
}

describe('mobiseg calibrate (SPEC section 9: the published size gradient emerges from the default laws)', () => {
  // All 382 MSAs, 800 to ~20,000 persons each, 1.0 M persons and 21 M visits in all (about 95 s and
  // 7.1 GB on the project machine). The sweep is the one SPEC section 9 describes; subsets of it are too
  // small for the ratio of the ten largest to the ~29 MSAs under 100,000 (every eighth MSA: 2.09).
  it('382 MSAs: median ES, the size gradient of ES and BI and corr(ES, BI) near the published ones', async () => {
    const out = join(root, 'all');
    const r = await runCli('calibrate', '--out', out, '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { msas: number; facts: Fact[] };
    expect(report.msas).toBe(382);
    const fact = Object.fromEntries(report.facts.map((f) => [f.fact, f]));
    // the published column is computed on the same 382 MSAs (independent of the simulation)
    expect(fact['ratio largest / small'].published).toBeCloseTo(1.665, 3);
    // What must emerge (SPEC section 9). Seeds 1, 2 and 3 of the bundled laws gave median ES 0.344-0.349,
    // ES of the ten largest 0.430-0.449, under 100,000 0.263-0.293, ratio 1.47-1.67, r(log pop, ES)
    // 0.62-0.68, r(log pop, BI) -0.70 to -0.75, r(ES, BI) -0.78 to -0.81 (sims/cities/README.md); the
    // bounds cover that spread, and the laws before the workplace anchor fail the small-MSA bound (0.319).
    const near = (name: string, within: number) => expect(Math.abs(fact[name].simulated - fact[name].published), name).toBeLessThan(within);
    near('median ES', 0.03);
    near('mean ES, 10 largest MSAs', 0.04);
    near('mean ES, MSAs under 100,000', 0.03);
    expect(fact['ratio largest / small'].simulated).toBeGreaterThan(1.4);
    expect(fact['corr(log population, ES)'].simulated).toBeGreaterThan(0.45);
    expect(fact['corr(log population, ES)'].simulated).toBeLessThan(0.8);
    expect(fact['corr(log population, BI)'].simulated).toBeLessThan(-0.6);
    expect(fact['corr(ES, BI)'].simulated).toBeLessThan(-0.65);

    // the simulated facts are those of the msa.csv written, joined to the real populations by title
    const msa = await readSmallTable(join(out, 'msa.csv'));
    const population = await readPopulation('data/census/cbsa-population.csv');
    const names = msa.text('msa');
    const facts = computeHeadlineFacts(
      names,
      msa.numbers('exposure_segregation', { allowMissing: true }),
      msa.numbers('bridging_index', { allowMissing: true }),
      Float64Array.from(names, (n) => population.get(n.replace(/^Synthetic /, '')) ?? NaN),
    );
    expect(facts.n).toBe(382);
    expect(facts.corrEsBi).toBeCloseTo(fact['corr(ES, BI)'].simulated, 12);
    expect(facts.corrLogPopEs).toBeCloseTo(fact['corr(log population, ES)'].simulated, 12);
    const csv = await readSmallTable(join(out, 'calibration.csv'));
    expect(csv.text('fact')).toEqual(report.facts.map((f) => f.fact));
  }, 300_000);
});
