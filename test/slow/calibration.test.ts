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
    const report = JSON.parse(r.stdout) as { msas: number; ksEs: number; facts: Fact[] };
    expect(report.msas).toBe(382);
    const fact = Object.fromEntries(report.facts.map((f) => [f.fact, f]));
    // the published column is computed on the same 382 MSAs (independent of the simulation)
    expect(fact['ratio largest / small'].published).toBeCloseTo(1.665, 3);
    // What must emerge (SPEC section 9 and issue 19's acceptance, whose tolerances are used here for
    // seed 1 alone). Seeds 1, 2 and 3 of the bundled laws (sims/cities/README.md, round 4) gave median
    // ES 0.359-0.364, ES under 100,000 0.289-0.296, ratio 1.69-1.77, r(log pop, ES) +0.54 to +0.58,
    // r(log pop, BI) -0.66 to -0.72, r(ES, BI) -0.71 to -0.80, median BI 0.883-0.890, mean BI of the
    // ten largest 0.63-0.69, KS 0.07-0.11. Seed 1 is the weakest for r(ES, BI): -0.708 against -0.787,
    // 0.079 off (the acceptance is on the mean of the three seeds, -0.764).
    const near = (name: string, within: number) => expect(Math.abs(fact[name].simulated - fact[name].published), name).toBeLessThan(within);
    near('median ES', 0.03);
    near('mean ES, MSAs under 100,000', 0.03);
    near('ratio largest / small', 0.15);
    near('corr(log population, ES)', 0.08);
    near('corr(log population, BI)', 0.08);
    near('median BI', 0.03);
    near('mean BI, 10 largest MSAs', 0.06);
    near('corr(ES, BI)', 0.08);
    expect(report.ksEs).toBeLessThan(0.12);

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
