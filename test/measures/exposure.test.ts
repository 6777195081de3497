/**
 * The per-area estimator: input contract (centre c), standardisation over the fitted persons, the
 * minimum-sample rule, the --max-people sample, and the paper's recovery check (data simulated from the
 * model recover the true segregation; design of Nilforoshan et al.'s unit test `basic_unit_tests_on_mixed_model`).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/math/random.js';
import { pearson } from '../../src/math/stats.js';
import { estimateAreaExposure, fitAreaPersons, fitAreaPersonsWithCopies, gatherPersonStats, selectFittedPersons } from '../../src/measures/exposure.js';
import { rawSetStats, readGolden } from './lme4-golden-data.js';

const golden = readGolden();

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

interface Simulated {
  n: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
  ses: Float64Array;
  mu: Float64Array;
}

/**
 * The paper's simulation (simulate_data_to_test_mixed_model): x_i ~ N(0, xScale^2), latent mean exposure
 * mu_i = a x_i + b + noise1 z_i, n_i uniform on 1..maxPoints, y_ij = mu_i + noise2 e_ij. Statistics
 * around centre c = 0.
 */
function simulatePaperDesign(seed: string, P: number, a: number, b: number, noise1: number, noise2: number, maxPoints: number, xScale: number): Simulated {
  const rng = createRng(seed);
  const out: Simulated = { n: new Float64Array(P), sum: new Float64Array(P), sumSq: new Float64Array(P), ses: new Float64Array(P), mu: new Float64Array(P) };
  for (let i = 0; i < P; i++) {
    const x = xScale * rng.normal();
    out.ses[i] = x;
    out.mu[i] = a * x + b + noise1 * rng.normal();
    const k = 1 + rng.int(maxPoints);
    out.n[i] = k;
    for (let j = 0; j < k; j++) {
      const y = out.mu[i] + noise2 * rng.normal();
      out.sum[i] += y;
      out.sumSq[i] += y * y;
    }
  }
  return out;
}

/**
 * Large-sample sd of the ES estimate, from the Fisher information of the random-intercept model
 * (Searle, Casella & McCulloch 1992, "Variance Components", sections 6.2-6.3) and the delta method.
 * Person i has V_i = sigma^2 I + tau^2 J with eigenvalues l_i = sigma^2 + n_i tau^2 (once) and sigma^2;
 *   var(a*) = 1 / sum n_i / l_i          (a* = slope per sd of x; x standardised),
 *   I(tau2, tau2) = 1/2 sum n_i^2 / l_i^2,  I(tau2, sigma2) = 1/2 sum n_i / l_i^2,
 *   I(sigma2, sigma2) = 1/2 sum [1 / l_i^2 + (n_i - 1) / sigma^4],   var(tau2) = [I^-1](tau2, tau2);
 *   ES = a* / sqrt(a*^2 + tau2): dES/da* = tau2 / (a*^2 + tau2)^1.5, dES/dtau2 = -a* / (2 (a*^2 + tau2)^1.5).
 */
function asymptoticEsSd(n: Float64Array, aStar: number, tau2: number, sigma2: number): number {
  let infoA = 0;
  let itt = 0;
  let its = 0;
  let iss = 0;
  for (let i = 0; i < n.length; i++) {
    const l = sigma2 + n[i] * tau2;
    infoA += n[i] / l;
    itt += (0.5 * n[i] * n[i]) / (l * l);
    its += (0.5 * n[i]) / (l * l);
    iss += 0.5 * (1 / (l * l) + (n[i] - 1) / (sigma2 * sigma2));
  }
  const varA = 1 / infoA;
  const varTau2 = iss / (itt * iss - its * its);
  const s = Math.pow(aStar * aStar + tau2, 1.5);
  const dA = tau2 / s;
  const dT = -aStar / (2 * s);
  return Math.sqrt(dA * dA * varA + dT * dT * varTau2);
}

describe('estimateAreaExposure: input contract and standardisation', () => {
  const set = 'heavy';
  const ref = rawSetStats(set, 0);

  it('does not depend on the centre c of the sufficient statistics', () => {
    const e0 = estimateAreaExposure({ persons: range(ref.n.length), ...ref });
    for (const c of [-50000, 9999.25, 1e6]) {
      const s = rawSetStats(set, c);
      const e = estimateAreaExposure({ persons: range(s.n.length), ...s });
      expect(Math.abs(e.es - e0.es)).toBeLessThan(1e-9);
      expect(Math.abs(e.a - e0.a)).toBeLessThan(1e-9);
      expect(Math.abs(e.tau2 - e0.tau2) / e0.tau2).toBeLessThan(1e-8);
      expect(Math.abs(e.esNaive - e0.esNaive)).toBeLessThan(1e-12);
    }
  });

  it('does not depend on the units of SES (x 50 - 2934: the paper test "scale makes no difference")', () => {
    const k = 50;
    const shift = -2934;
    // sum(k y + shift) = k S + n shift; sum (k y + shift)^2 = k^2 SS + 2 k shift S + n shift^2.
    const s = {
      n: ref.n,
      sum: ref.sum.map((v, i) => k * v + ref.n[i] * shift),
      sumSq: ref.sumSq.map((v, i) => k * k * v + 2 * k * shift * ref.sum[i] + ref.n[i] * shift * shift),
      ses: ref.ses.map((v) => k * v + shift),
    };
    const e0 = estimateAreaExposure({ persons: range(ref.n.length), ...ref });
    const e = estimateAreaExposure({ persons: range(s.n.length), ...s });
    expect(Math.abs(e.es - e0.es)).toBeLessThan(1e-8);
    expect(Math.abs(e.esNaive - e0.esNaive)).toBeLessThan(1e-10);
  });

  it('standardises over the fitted persons only: persons without encounters have no influence', () => {
    // heavy.persons.csv has 25 persons without observations; the lme4 golden standardises without them.
    const zero = Array.from(ref.n).filter((v) => v === 0).length;
    expect(zero).toBe(25);
    const e = estimateAreaExposure({ persons: range(ref.n.length), ...ref });
    expect(Math.abs(e.a - Number(golden.get(set)!.get('a'))) / Math.abs(e.a)).toBeLessThan(1e-6);
    // Give those persons absurd SES: nothing changes.
    const ses = ref.ses.map((v, i) => (ref.n[i] === 0 ? 1e9 : v));
    const e2 = estimateAreaExposure({ persons: range(ref.n.length), ...ref, ses });
    expect(e2.es).toBe(e.es);
    expect(e2.nPeople).toBe(ref.n.length - 25);
  });

  it('a person listed twice is two persons of the fit; copies = 2 is the same (naive estimate too)', () => {
    const some = range(200).filter((i) => ref.n[i] > 0);
    const listed = Int32Array.from([...some, ...some.slice(0, 50)]);
    const copies = Float64Array.from(some, (_, k) => (k < 50 ? 2 : 1));
    const e1 = fitAreaPersons(listed, ref);
    const e2 = fitAreaPersonsWithCopies(gatherPersonStats(some, ref), copies);
    expect(e2.nPeople).toBe(listed.length);
    expect(e2.nObs).toBe(e1.nObs);
    expect(e2.es).toBeCloseTo(e1.es, 12);
    expect(e2.esNaive).toBeCloseTo(e1.esNaive, 12);
    expect(e2.esNaive).not.toBeCloseTo(fitAreaPersons(some, ref).esNaive, 6);
  });

  it('fits only the given persons (the area), in any order', () => {
    const all = range(ref.n.length);
    const half = all.filter((i) => i % 2 === 0);
    const reversed = Int32Array.from(half).reverse();
    const e1 = estimateAreaExposure({ persons: half, ...ref });
    const e2 = estimateAreaExposure({ persons: reversed, ...ref });
    expect(e1.nPeople).toBeLessThan(ref.n.length / 2 + 1);
    expect(Math.abs(e1.es - e2.es)).toBeLessThan(1e-12);
  });
});

describe('minimum-sample rule (SPEC: fewer than 10 persons or 100 observations: NaN and a note)', () => {
  const s = rawSetStats('tiny', 0); // 12 persons with 131 observations, 2 persons without encounters

  it('12 persons / 131 observations is estimated', () => {
    const e = estimateAreaExposure({ persons: range(s.n.length), ...s });
    expect(e.nPeople).toBe(12);
    expect(e.nObs).toBe(131);
    expect(Number.isFinite(e.es)).toBe(true);
    expect(e.note).toBe('');
  });

  it('9 persons with encounters: NaN with the reason', () => {
    const withObs = range(s.n.length).filter((i) => s.n[i] > 0).slice(0, 9);
    const withZero = Int32Array.from([...withObs, ...range(s.n.length).filter((i) => s.n[i] === 0)]);
    const e = estimateAreaExposure({ persons: withZero, ...s });
    expect(e.nPeople).toBe(9);
    expect(e.es).toBeNaN();
    expect(e.esNaive).toBeNaN();
    expect(e.note).toBe('fewer than 10 persons with encounters (9)');
  });

  it('fewer than 100 observations: NaN with the reason; thresholds are options', () => {
    const n = s.n.map((v) => Math.min(v, 8)); // cap at 8 per person: at most 96 observations
    const sum = s.sum.map((v, i) => (s.n[i] > 8 ? (v / s.n[i]) * 8 : v));
    const sumSq = s.sumSq.map((v, i) => (s.n[i] > 8 ? (v / s.n[i]) * 8 : v));
    const e = estimateAreaExposure({ persons: range(s.n.length), n, sum, sumSq, ses: s.ses });
    expect(e.nObs).toBeLessThan(100);
    expect(e.es).toBeNaN();
    expect(e.note).toMatch(/^fewer than 100 observations/);
    const relaxed = estimateAreaExposure({ persons: range(s.n.length), n, sum, sumSq, ses: s.ses, minObservations: 50 });
    expect(Number.isFinite(relaxed.es)).toBe(true);
  });
});

describe('--max-people sampling', () => {
  const sim = simulatePaperDesign('max-people', 3000, 1, -0.5, 5, 5, 10, 2);
  const persons = range(3000);

  it('fits a seeded sample of exactly maxPeople persons, standardised after sampling', () => {
    const e1 = estimateAreaExposure({ persons, ...sim, maxPeople: 500, seed: 7, areaKey: 'msa:X' });
    const e2 = estimateAreaExposure({ persons, ...sim, maxPeople: 500, seed: 7, areaKey: 'msa:X' });
    const e3 = estimateAreaExposure({ persons, ...sim, maxPeople: 500, seed: 8, areaKey: 'msa:X' });
    expect(e1.nPeople).toBe(500);
    expect(e1.es).toBe(e2.es);
    expect(e3.es).not.toBe(e1.es);
    // The same persons fitted directly (no sampling) give the same estimate: the standardisation uses
    // the sample's own mean and sd.
    const sample = selectFittedPersons({ persons, ...sim, maxPeople: 500, seed: 7, areaKey: 'msa:X' });
    expect(new Set(sample).size).toBe(500);
    const direct = estimateAreaExposure({ persons: sample, ...sim });
    expect(direct.es).toBe(e1.es);
    expect(direct.nObs).toBe(e1.nObs);
  });

  it('areas get independent samples; maxPeople above the area size fits everyone', () => {
    const a = selectFittedPersons({ persons, ...sim, maxPeople: 100, seed: 1, areaKey: 'msa:A' });
    const b = selectFittedPersons({ persons, ...sim, maxPeople: 100, seed: 1, areaKey: 'msa:B' });
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(selectFittedPersons({ persons, ...sim, maxPeople: 5000, seed: 1 }).length).toBe(3000);
  });
});

describe("recovery of the true segregation (the paper's unit-test design)", () => {
  // The paper's grid: a = 1, b = -0.5, x_scale = 2, noise_scale_1 (person effect) in {2, 5, 10},
  // noise_scale_2 (encounter noise) in {5, 10}, 1..max_points encounters with max_points in {20, 10, 5}.
  // True segregation, as in the paper, is the in-sample Pearson correlation of the latent means mu_i
  // with x_i. We use 20,000 persons (the paper reports errors shrinking toward 0 at that size) and a
  // tolerance of 4 large-sample sds of the estimator (asymptoticEsSd above), which shrinks as
  // 1/sqrt(persons). The naive estimate is biased toward 0 when encounters are few and noisy; the
  // mixed model is not.
  const P = 20000;
  const persons = range(P);
  const zScores: number[] = [];
  for (const maxPoints of [20, 10, 5]) {
    for (const noise1 of [2, 5, 10]) {
      for (const noise2 of [5, 10]) {
        it(`max_points ${maxPoints}, noise_1 ${noise1}, noise_2 ${noise2}`, () => {
          const sim = simulatePaperDesign(`recovery/${maxPoints}/${noise1}/${noise2}`, P, 1, -0.5, noise1, noise2, maxPoints, 2);
          const truth = pearson(sim.mu, sim.ses);
          const e = estimateAreaExposure({ persons, ...sim });
          const sd = asymptoticEsSd(sim.n, 1 * 2, noise1 * noise1, noise2 * noise2);
          expect(sd).toBeLessThan(0.03);
          expect(Math.abs(e.es - truth)).toBeLessThan(4 * sd);
          zScores.push((e.es - truth) / sd);
          // Where the naive estimate's attenuation is large, the mixed model is much closer to the truth.
          const attenuation = truth - e.esNaive;
          if (attenuation > 10 * sd) expect(Math.abs(e.es - truth)).toBeLessThan(attenuation / 2);
        });
      }
    }
  }
  it('no systematic bias across the 18 conditions (mean z-score within 4 / sqrt(18))', () => {
    expect(zScores.length).toBe(18);
    const meanZ = zScores.reduce((s, v) => s + v, 0) / zScores.length;
    expect(Math.abs(meanZ)).toBeLessThan(4 / Math.sqrt(18));
  });

  it('tight recovery with 400,000 persons (sd ~ 1/sqrt(persons))', () => {
    const big = 400000;
    const sim = simulatePaperDesign('recovery/big', big, 1, -0.5, 5, 10, 10, 2);
    const truth = pearson(sim.mu, sim.ses);
    const e = estimateAreaExposure({ persons: range(big), ...sim });
    const sd = asymptoticEsSd(sim.n, 2, 25, 100);
    expect(sd).toBeLessThan(0.002);
    expect(Math.abs(e.es - truth)).toBeLessThan(4 * sd);
  });
});
