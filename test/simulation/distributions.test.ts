import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/math/random.js';
import { mean, variance } from '../../src/math/stats.js';
import { cumulativeWeights, gammaDraw, poissonDraw, sampleCumulative } from '../../src/simulation/distributions.js';

/*
 * Moments against the textbook values: Gamma(k, 1) has mean k and variance k; Poisson(m) has mean and
 * variance m. With n = 40,000 draws the standard error of the mean is sqrt(var / n) (0.005 sqrt(var)), so a
 * tolerance of 5 standard errors cannot be met by a wrong sampler yet is never missed by a right one
 * (the seed is fixed anyway). The variance tolerance uses its own approximate standard error.
 */
const n = 40_000;

describe('gammaDraw (Marsaglia-Tsang)', () => {
  for (const k of [0.5, 1, 4, 12]) {
    it(`Gamma(${k}, 1): mean ${k}, variance ${k}`, () => {
      const rng = createRng(`gamma-${k}`);
      const x = Float64Array.from({ length: n }, () => gammaDraw(rng, k));
      expect(Math.abs(mean(x) - k)).toBeLessThan(5 * Math.sqrt(k / n));
      // var of the sample variance of a gamma: (mu4 - sigma^4) / n with mu4 = 3k^2 + 6k.
      expect(Math.abs(variance(x) - k)).toBeLessThan(5 * Math.sqrt((3 * k * k + 6 * k - k * k) / n));
      expect(Math.min(...x)).toBeGreaterThan(0);
    });
  }
});

describe('poissonDraw (Knuth, chunked)', () => {
  for (const m of [0.3, 2, 45]) {
    it(`Poisson(${m}): mean and variance ${m}`, () => {
      const rng = createRng(`poisson-${m}`);
      const x = Float64Array.from({ length: n }, () => poissonDraw(rng, m));
      expect(Math.abs(mean(x) - m)).toBeLessThan(5 * Math.sqrt(m / n));
      // var of the sample variance of a Poisson: (mu4 - sigma^4) / n with mu4 = m + 3 m^2.
      expect(Math.abs(variance(x) - m)).toBeLessThan(5 * Math.sqrt((m + 2 * m * m) / n));
    });
  }
  it('P(0) = exp(-m)', () => {
    const rng = createRng('p0');
    let zeros = 0;
    for (let i = 0; i < n; i++) if (poissonDraw(rng, 1) === 0) zeros++;
    const p = Math.exp(-1);
    expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });
});

describe('sampleCumulative', () => {
  it('draws index k with probability w_k / sum w, never a zero-weight index', () => {
    const w = [1, 0, 3, 6];
    const cum = cumulativeWeights(w);
    expect(Array.from(cum)).toEqual([1, 1, 4, 10]);
    const rng = createRng('cum');
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < n; i++) counts[sampleCumulative(rng, cum)]++;
    expect(counts[1]).toBe(0);
    for (const k of [0, 2, 3]) {
      const p = w[k] / 10;
      expect(Math.abs(counts[k] / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
    }
  });
});
