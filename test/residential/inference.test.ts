/**
 * The exact samplers against their known distributions, and the permutation test and bootstrap against
 * cases with known answers (exact permutation p-values, the closed-form bootstrap bias of Simpson's
 * concentration).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/random.js';
import { binomial, hypergeometric, logChoose, logGamma, multinomial, permuteLabels } from '../../src/residential/sampling.js';
import { bootstrapCounts, permutationTest } from '../../src/residential/inference.js';
import { indexCatalogue } from '../../src/residential/catalogue.js';
import { simpsonConcentration, mutualInformation } from '../../src/residential/multigroup.js';
import { countMatrix } from '../../src/residential/composition.js';

const close = (a: number, b: number, tol = 1e-12) => expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(b)));

describe('log gamma', () => {
  it('known values', () => {
    close(logGamma(1), 0, 1e-14);
    close(logGamma(2), 0, 1e-14);
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    close(logGamma(10), Math.log(362880), 1e-14);
    // ln(100!) = 363.73937555556347
    close(logGamma(101), 363.73937555556347, 1e-14);
    close(logChoose(10, 3), Math.log(120), 1e-13);
  });
});

/** chi-square statistic of observed counts against expected probabilities */
function chiSquare(observed: number[], probs: number[], n: number): number {
  let s = 0;
  for (let k = 0; k < probs.length; k++) {
    const e = probs[k] * n;
    if (e > 0) s += ((observed[k] - e) * (observed[k] - e)) / e;
  }
  return s;
}

describe('samplers reproduce their distributions (seeded)', () => {
  it('binomial(10, 0.3): chi-square over 11 cells below the 0.999 quantile (29.6, 10 df)', () => {
    const rng = createRng(1);
    const n = 100000;
    const obs = new Array(11).fill(0);
    for (let i = 0; i < n; i++) obs[binomial(rng, 10, 0.3)]++;
    const probs = obs.map((_, k) => Math.exp(logChoose(10, k) + k * Math.log(0.3) + (10 - k) * Math.log(0.7)));
    expect(chiSquare(obs, probs, n)).toBeLessThan(29.6);
  });

  it('hypergeometric(N=20, K=7, n=8): chi-square over the support 0..7 below 24.3 (7 df, 0.999)', () => {
    const rng = createRng(2);
    const n = 100000;
    const obs = new Array(8).fill(0);
    for (let i = 0; i < n; i++) obs[hypergeometric(rng, 20, 7, 8)]++;
    const probs = obs.map((_, k) => Math.exp(logChoose(7, k) + logChoose(13, 8 - k) - logChoose(20, 8)));
    close(probs.reduce((a, b) => a + b, 0), 1, 1e-12);
    expect(chiSquare(obs, probs, n)).toBeLessThan(24.3);
  });

  it('large parameters: binomial(1e6, 0.001) mean 1000 and variance 999; hypergeometric(2e6, 5e5, 4000) mean 1000, variance 748.5', () => {
    const rng = createRng(3);
    const R = 20000;
    let s = 0;
    let s2 = 0;
    let h = 0;
    let h2 = 0;
    for (let i = 0; i < R; i++) {
      const b = binomial(rng, 1e6, 0.001);
      s += b;
      s2 += b * b;
      const g = hypergeometric(rng, 2e6, 5e5, 4000);
      h += g;
      h2 += g * g;
    }
    const bm = s / R;
    const hm = h / R;
    // standard errors of the means: sqrt(999 / R) = 0.22, sqrt(748.5 / R) = 0.19
    expect(Math.abs(bm - 1000)).toBeLessThan(1);
    expect(Math.abs(hm - 1000)).toBeLessThan(1);
    // variance of the hypergeometric: n (K/N)(1 - K/N)(N - n)/(N - 1) = 4000 * 0.25 * 0.75 * 1996000 / 1999999
    expect(Math.abs(s2 / R - bm * bm - 999) / 999).toBeLessThan(0.05);
    expect(Math.abs(h2 / R - hm * hm - 748.5) / 748.5).toBeLessThan(0.05);
  });

  it('multinomial keeps the total; cell means are n p', () => {
    const rng = createRng(4);
    const w = [1, 0, 3, 6];
    const sums = [0, 0, 0, 0];
    for (let r = 0; r < 5000; r++) {
      const d = multinomial(rng, 100, w);
      expect(d.reduce((a, b) => a + b, 0)).toBe(100);
      expect(d[1]).toBe(0);
      d.forEach((v, k) => (sums[k] += v));
    }
    expect(Math.abs(sums[0] / 5000 - 10)).toBeLessThan(0.2);
    expect(Math.abs(sums[3] / 5000 - 60)).toBeLessThan(0.3);
  });

  it('permuting labels keeps unit and group totals; 2x2 with margins 2,2: P(unit 1 has 0, 1, 2 of A) = 1/6, 4/6, 1/6', () => {
    const rng = createRng(5);
    const counts = Float64Array.of(2, 0, 0, 2);
    const freq = [0, 0, 0];
    const R = 60000;
    for (let r = 0; r < R; r++) {
      const p = permuteLabels(rng, counts, 2, 2);
      expect(p[0] + p[1]).toBe(2);
      expect(p[2] + p[3]).toBe(2);
      expect(p[0] + p[2]).toBe(2);
      freq[p[0]]++;
    }
    expect(chiSquare(freq, [1 / 6, 4 / 6, 1 / 6], R)).toBeLessThan(13.8); // 2 df, 0.999
  });
});

describe('permutation test', () => {
  const segregated = countMatrix(Float64Array.of(100, 0, 0, 100), 2, 2);
  const catalogue = indexCatalogue(['A', 'B']);
  const direction = catalogue.specs.map((s) => s.direction);

  it('complete segregation of 200 persons: every segregation index has p = 1 / (R + 1)', () => {
    // a relabelling reproduces complete segregation with probability 2 / C(200, 100) ~ 1e-58
    const r = permutationTest(segregated, catalogue.evaluate, direction, { permutations: 199, seed: 7 });
    const names = catalogue.specs.map((s) => `${s.name}:${s.group ?? ''}`);
    for (const name of ['dissimilarity:A', 'isolation:A', 'interaction:A', 'gini:B', 'multigroup_dissimilarity:', 'mutual_information:']) {
      close(r.pValue[names.indexOf(name)], 1 / 200);
    }
    // composition-only indices get no p-value
    expect(Number.isNaN(r.pValue[names.indexOf('entropy:')])).toBe(true);
    // the null of D is far below 1
    expect(r.nullHigh[names.indexOf('dissimilarity:A')]).toBeLessThan(0.3);
  });

  it('a 2x2 table whose only other allocation is the observed one: exact p = 1', () => {
    // units of one person each, one A and one B: every relabelling is complete segregation again
    const tiny = countMatrix(Float64Array.of(1, 0, 0, 1), 2, 2);
    const r = permutationTest(tiny, catalogue.evaluate, direction, { permutations: 49, seed: 1 });
    close(r.pValue[catalogue.specs.findIndex((s) => s.name === 'dissimilarity')], 1);
  });

  it('same seed, same numbers; the seed matters', () => {
    const m = countMatrix(Float64Array.of(30, 20, 25, 25, 10, 40), 3, 2);
    const a = permutationTest(m, catalogue.evaluate, direction, { permutations: 50, seed: 11 });
    const b = permutationTest(m, catalogue.evaluate, direction, { permutations: 50, seed: 11 });
    const c = permutationTest(m, catalogue.evaluate, direction, { permutations: 50, seed: 12 });
    expect(Array.from(a.nullMean)).toEqual(Array.from(b.nullMean));
    expect(Array.from(a.nullMean)).not.toEqual(Array.from(c.nullMean));
  });

  it('rejects non-integer counts', () => {
    expect(() => permutationTest(countMatrix(Float64Array.of(1.5, 2, 3, 4), 2, 2), catalogue.evaluate, direction, { permutations: 5, seed: 1 })).toThrowError(/whole-number counts/);
  });
});

describe('bootstrap of counts with bias correction', () => {
  it("Simpson's concentration: E*[lambda*] = lambda + (1 - lambda) / N, so the bias is (1 - lambda) / N", () => {
    // N = 10, P = (0.6, 0.4): lambda = 0.52, bootstrap bias 0.48 / 10 = 0.048, bias-corrected 0.472
    const m = countMatrix(Float64Array.of(3, 2, 3, 2), 2, 2);
    const r = bootstrapCounts(m, (x) => Float64Array.of(simpsonConcentration(x)), { replicates: 20000, seed: 3 });
    close(r.estimate[0], 0.52);
    // Monte Carlo error of the mean of 20000 replicates: sd(lambda*) ~ 0.04 -> 3e-4
    expect(Math.abs(r.bias[0] - 0.048)).toBeLessThan(0.002);
    expect(Math.abs(r.biasCorrected[0] - 0.472)).toBeLessThan(0.002);
    close(r.bias[0], r.estimate[0] - r.biasCorrected[0]);
    expect(r.ciLow[0]).toBeLessThan(r.biasCorrected[0]);
    expect(r.ciHigh[0]).toBeGreaterThan(r.biasCorrected[0]);
  });

  it('M of a small sample is biased upward; the correction lowers it (Elbers)', () => {
    // no association at all: M = 0 in the table, but any resample shows some
    const m = countMatrix(Float64Array.of(5, 5, 5, 5, 5, 5), 3, 2);
    const r = bootstrapCounts(m, (x) => Float64Array.of(mutualInformation(x)), { replicates: 500, seed: 9 });
    close(r.estimate[0], 0);
    expect(r.bias[0]).toBeGreaterThan(0);
    expect(r.biasCorrected[0]).toBeLessThan(0);
    // a plug-in M from a table with (U - 1)(K - 1) = 2 free cells has E[M] ~ 2 / (2 N) = 1/30 (chi-square / 2N)
    expect(Math.abs(r.bias[0] - 1 / 30)).toBeLessThan(0.01);
  });
});

describe("bootstrap on schools00 against Elbers' README", () => {
  it('M: bias 0.00361, se 0.000775; H: bias 0.00356, se 0.000712 (500 replicates there and here)', async () => {
    const { readSmallTable } = await import('../../src/io/small-table.js');
    const { compositionFromLong } = await import('../../src/residential/composition.js');
    const { multigroupTheilH } = await import('../../src/residential/multigroup.js');
    const t = await readSmallTable('data/residential/schools00.csv');
    const m = compositionFromLong(t.text('school'), t.text('race'), t.numbers('n'));
    const r = bootstrapCounts(m, (x) => Float64Array.of(mutualInformation(x), multigroupTheilH(x)), { replicates: 500, seed: 2024 });
    // Monte Carlo: the bias is a mean of 500 replicates (error ~ se / sqrt(500) ~ 3.5e-5, 1% of it);
    // the se estimate has ~3% relative error. Elbers prints 3 significant digits.
    expect(Math.abs(r.bias[0] - 0.00361) / 0.00361).toBeLessThan(0.05);
    expect(Math.abs(r.se[0] - 0.000775) / 0.000775).toBeLessThan(0.12);
    expect(Math.abs(r.bias[1] - 0.00356) / 0.00356).toBeLessThan(0.05);
    expect(Math.abs(r.se[1] - 0.000712) / 0.000712).toBeLessThan(0.12);
    // bias-corrected M printed as 0.422 (from 0.4255)
    expect(Math.round(r.biasCorrected[0] * 1000) / 1000).toBe(0.422);
    expect(Math.round(r.biasCorrected[1] * 1000) / 1000).toBe(0.415);
  });
});
