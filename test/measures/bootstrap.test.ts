/**
 * Percentile bootstrap over persons: identical for any thread count, replicates follow the documented
 * per-replicate streams, type-7 percentiles, and a standard error that agrees with the large-sample
 * theory of the estimator.
 */
import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from '../../src/math/random.js';
import { bootstrapAreaExposure } from '../../src/measures/bootstrap.js';
import { estimateAreaExposure, fitAreaPersons, selectFittedPersons } from '../../src/measures/exposure.js';
import { WorkerPool } from '../../src/parallel/pool.js';
import { rawSetStats } from './lme4-golden-data.js';

const range = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);

describe('bootstrapAreaExposure', () => {
  const stats = rawSetStats('heavy', 0); // 3,000 persons with encounters (+25 without), heavy tails
  const input = { persons: range(stats.n.length), ...stats, areaKey: 'msa:Heavy' };

  it('gives identical replicates and intervals on 1 and 2 threads', async () => {
    const one = await bootstrapAreaExposure(input, { replicates: 40, seed: 11, threads: 1 });
    const two = await bootstrapAreaExposure(input, { replicates: 40, seed: 11, threads: 2 });
    expect(Array.from(two.replicateEs)).toEqual(Array.from(one.replicateEs));
    expect(two.esCiLow).toBe(one.esCiLow);
    expect(two.esCiHigh).toBe(one.esCiHigh);
    expect(two.esSe).toBe(one.esSe);
    expect(one.failed).toBe(0);
    // A reused pool gives the same numbers too.
    const pool = new WorkerPool(2);
    try {
      const pooled = await bootstrapAreaExposure(input, { replicates: 40, seed: 11, pool });
      expect(Array.from(pooled.replicateEs)).toEqual(Array.from(one.replicateEs));
    } finally {
      await pool.close();
    }
  });

  it('replicate b is the fit on P persons drawn with createRng(deriveSeed(seed, "bootstrap", areaKey, b))', async () => {
    const boot = await bootstrapAreaExposure(input, { replicates: 5, seed: 'abc', threads: 1 });
    const fitted = selectFittedPersons(input);
    for (const b of [0, 4]) {
      const rng = createRng(deriveSeed('abc', 'bootstrap', 'msa:Heavy', b));
      const draw = Int32Array.from({ length: fitted.length }, () => fitted[rng.int(fitted.length)]);
      // Same fit as the drawn persons listed one by one (up to summation order).
      expect(boot.replicateEs[b]).toBeCloseTo(fitAreaPersons(draw, stats).es, 12);
    }
    // Different seed, different replicates.
    const other = await bootstrapAreaExposure(input, { replicates: 5, seed: 'abd', threads: 1 });
    expect(other.replicateEs[0]).not.toBe(boot.replicateEs[0]);
  });

  it('CI = type-7 2.5% and 97.5% percentiles of the replicates; SE = their sd', async () => {
    const boot = await bootstrapAreaExposure(input, { replicates: 41, seed: 3, threads: 1 });
    const sorted = Array.from(boot.replicateEs).sort((p, q) => p - q);
    // Type 7 with 41 values: h = 40 p; p = 0.025 -> h = 1 exactly; p = 0.975 -> h = 39 exactly.
    expect(boot.esCiLow).toBe(sorted[1]);
    expect(boot.esCiHigh).toBe(sorted[39]);
    const m = sorted.reduce((s, v) => s + v, 0) / sorted.length;
    const sd = Math.sqrt(sorted.reduce((s, v) => s + (v - m) ** 2, 0) / (sorted.length - 1));
    expect(boot.esSe).toBeCloseTo(sd, 14);
    const point = estimateAreaExposure(input).es;
    expect(boot.esCiLow).toBeLessThan(point);
    expect(boot.esCiHigh).toBeGreaterThan(point);
  });

  it('the bootstrap SE agrees with the large-sample sd of the estimator (Gaussian data)', async () => {
    // Model: x ~ N(0,1), y_ij = 0.5 x_i + u_i + e_ij, tau = 0.6, sigma = 1, n_i uniform 2..8, 4,000 persons.
    // Large-sample sd from the Fisher information and the delta method (see exposure.test.ts,
    // asymptoticEsSd), here computed with the true parameters: about 0.0114.
    const P = 4000;
    const rng = createRng('boot-se');
    const n = new Float64Array(P), sum = new Float64Array(P), sumSq = new Float64Array(P), ses = new Float64Array(P);
    for (let i = 0; i < P; i++) {
      ses[i] = rng.normal();
      const mu = 0.5 * ses[i] + 0.6 * rng.normal();
      n[i] = 2 + rng.int(7);
      for (let j = 0; j < n[i]; j++) {
        const y = mu + rng.normal();
        sum[i] += y;
        sumSq[i] += y * y;
      }
    }
    let infoA = 0, itt = 0, its = 0, iss = 0;
    const tau2 = 0.36, sigma2 = 1, a = 0.5;
    for (let i = 0; i < P; i++) {
      const l = sigma2 + n[i] * tau2;
      infoA += n[i] / l;
      itt += (0.5 * n[i] * n[i]) / (l * l);
      its += (0.5 * n[i]) / (l * l);
      iss += 0.5 * (1 / (l * l) + (n[i] - 1) / (sigma2 * sigma2));
    }
    const s3 = Math.pow(a * a + tau2, 1.5);
    const theorySd = Math.sqrt((tau2 / s3) ** 2 / infoA + (a / (2 * s3)) ** 2 * (iss / (itt * iss - its * its)));
    const boot = await bootstrapAreaExposure({ persons: range(P), n, sum, sumSq, ses }, { replicates: 200, seed: 5, threads: 2 });
    // With 200 replicates the SE itself is known to about +-10%; allow a factor 1.35 either way.
    expect(boot.esSe / theorySd).toBeGreaterThan(1 / 1.35);
    expect(boot.esSe / theorySd).toBeLessThan(1.35);
    const truth = a / Math.sqrt(a * a + tau2);
    expect(boot.esCiLow).toBeLessThan(boot.esCiHigh);
    expect(boot.esCiHigh - boot.esCiLow).toBeLessThan(8 * theorySd);
    expect(Math.abs(estimateAreaExposure({ persons: range(P), n, sum, sumSq, ses }).es - truth)).toBeLessThan(4 * theorySd);
  });

  it('areas failing the minimum-sample rule get no interval, with the note', async () => {
    const boot = await bootstrapAreaExposure({ ...input, persons: range(9) }, { replicates: 10, seed: 1, threads: 2 });
    expect(boot.esCiLow).toBeNaN();
    expect(boot.note).toMatch(/fewer than 10 persons/);
  });
});
