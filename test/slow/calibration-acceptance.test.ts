import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import type { HeadlineFacts } from '../../src/validate/validate.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-acceptance-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/*
 * Issue 19's acceptance, on a subset: every 4th MSA by population (96 MSAs, about 40 s), seed 1, the
 * default city's laws, each fact against the published value of the same 96 MSAs. The bounds are the
 * acceptance tolerances (for the mean of 3 seeds on all 382 MSAs) widened by half, as one seed on a
 * quarter of the MSAs spreads more: median ES 0.045, ratio 0.225, the correlations 0.12, median BI
 * 0.045, mean BI of the ten largest 0.09. The KS distance between two samples shrinks as
 * 1/sqrt(n) (its 5% critical value for two samples of n is about 1.36 sqrt(2 / n): 0.098 for 382, 0.196
 * for 96), so its bound 0.12 on 382 MSAs becomes 0.12 sqrt(382 / 96) = 0.24 on 96.
 */
interface Report {
  msas: number;
  ksEs: number;
  simulated: HeadlineFacts;
  published: HeadlineFacts;
}
let report: Report;
const miss = (key: keyof HeadlineFacts) => Math.abs((report.simulated[key] as number) - (report.published[key] as number));
const within = (key: keyof HeadlineFacts, tolerance: number) =>
  expect(miss(key), `${key}: simulated ${report.simulated[key]}, published ${report.published[key]}`).toBeLessThanOrEqual(1.5 * tolerance);

describe('calibration acceptance on a subset (issue 19): the default laws reproduce ES and BI', () => {
  beforeAll(async () => {
    const r = await runCli('calibrate', '--every', '4', '--seed', '1', '--threads', '2', '--out', join(root, 'quarter'), '--json', '--quiet');
    expect(r.code, r.stderr).toBe(0);
    report = JSON.parse(r.stdout) as Report;
  }, 600_000);

  it('96 MSAs, seed 1: median ES, the correlations, the level of BI and the ES distribution within 1.5 tolerances', () => {
    expect(report.msas).toBe(96);
    // the published side is the same 96 MSAs of the bundled table (independent of the simulation)
    expect(report.published.n).toBe(96);
    within('medianEs', 0.03);
    within('corrLogPopEs', 0.08);
    within('corrLogPopBi', 0.08);
    within('corrEsBi', 0.08);
    within('medianBi', 0.03);
    within('meanBiLargest', 0.06);
    expect(report.ksEs).toBeLessThan(0.12 * Math.sqrt(382 / 96));
    // ES does rise with size: the ten largest are more segregated than the small MSAs
    expect(report.simulated.ratioLargestToSmall).toBeGreaterThan(1.2);
  });

  // Met since income inequality grows with city size (ses.log_sd_size_elasticity, sims/cities/README.md
  // round 4): 1.74 against 1.67 on all 382 MSAs (mean of 3 seeds); round 3 without it: 1.95.
  it('96 MSAs, seed 1: the ratio of the ten largest to the small MSAs within 1.5 tolerances', () => {
    within('ratioLargestToSmall', 0.15);
  });
});
