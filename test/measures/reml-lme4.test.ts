/**
 * Golden tests of the REML random-intercept fit against R's lme4 1.1.31 (REML, bobyqa with
 * rhoend = 1e-12), data and values from test/golden/lme4/make-golden.R. Tolerances from SPEC section 3:
 * a and ES to 1e-6 relative, tau^2 and sigma^2 to 1e-5 relative; boundary fits: tau^2 = 0 and ES = 1 on
 * both sides.
 */
import { describe, expect, it } from 'vitest';
import { estimateAreaExposure, selectFittedPersons, standardisedModelData } from '../../src/measures/exposure.js';
import { fitRandomInterceptReml, poolByGroupSize, profiledRemlCriterion } from '../../src/measures/reml.js';
import { bigSetStats, RAW_SETS, rawSetStats, readGolden, readNumericCsv, type PersonStats } from './lme4-golden-data.js';

const golden = readGolden();
const value = (set: string, q: string): number => {
  const v = golden.get(set)?.get(q);
  if (v === undefined) throw new Error(`golden.csv has no ${set}/${q}`);
  return Number(v);
};
const relErr = (ours: number, ref: number): number => Math.abs(ours - ref) / Math.abs(ref);

function allPersons(stats: PersonStats): Int32Array {
  return Int32Array.from({ length: stats.n.length }, (_, i) => i);
}

function expectMatchesLme4(set: string, fit: { a: number; b: number; es: number; tau2: number; sigma2: number; boundary: boolean }): void {
  const isBoundary = golden.get(set)!.get('boundary') === 'true';
  expect(fit.boundary).toBe(isBoundary);
  expect(relErr(fit.a, value(set, 'a'))).toBeLessThan(1e-6);
  expect(relErr(fit.sigma2, value(set, 'sigma2'))).toBeLessThan(1e-5);
  // b is the intercept on the standardised scale; it can be near 0, so compare on the scale of y (sd ~ 1).
  expect(Math.abs(fit.b - value(set, 'b'))).toBeLessThan(1e-6);
  if (isBoundary) {
    expect(fit.tau2).toBe(0);
    expect(value(set, 'tau2')).toBe(0);
    expect(fit.es).toBe(1);
    expect(value(set, 'es')).toBe(1);
  } else {
    expect(relErr(fit.tau2, value(set, 'tau2'))).toBeLessThan(1e-5);
    expect(relErr(fit.es, value(set, 'es'))).toBeLessThan(1e-6);
  }
}

describe('golden sets cover the shapes the issue asks for', () => {
  it('has tiny, boundary, singleton-heavy, heavy-tailed and 100k-person sets', () => {
    expect(value('tiny', 'n_people')).toBeLessThanOrEqual(20);
    expect(golden.get('boundary')!.get('boundary')).toBe('true');
    expect(value('singletons', 'n_obs') / value('singletons', 'n_people')).toBeLessThan(1.5);
    expect(value('heavy', 'sigma2')).toBeGreaterThan(5); // t(2) residuals
    expect(value('big', 'n_people')).toBe(100000);
  });
});

describe('estimateAreaExposure vs lme4 (raw observations -> sufficient statistics -> fit)', () => {
  for (const set of RAW_SETS) {
    it(`${set}: a, b, tau^2, sigma^2, ES, REML criterion, naive`, () => {
      // A centre far from the data: the estimate must not depend on it (contract of exposure.ts).
      const stats = rawSetStats(set, 1234.5);
      const est = estimateAreaExposure({ persons: allPersons(stats), ...stats });
      expect(est.note).toBe('');
      expect(est.nPeople).toBe(value(set, 'n_people'));
      expect(est.nObs).toBe(value(set, 'n_obs'));
      expectMatchesLme4(set, est);
      expect(relErr(est.esNaive, value(set, 'es_naive'))).toBeLessThan(1e-12);
    });
  }

  it('big (100,000 persons, ~1M observations, statistics written by R)', () => {
    const stats = bigSetStats(0);
    const est = estimateAreaExposure({ persons: allPersons(stats), ...stats });
    expect(est.nPeople).toBe(100000);
    expect(est.nObs).toBe(value('big', 'n_obs'));
    expectMatchesLme4('big', est);
    expect(relErr(est.esNaive, value('big', 'es_naive'))).toBeLessThan(1e-12);
  });
});

describe('fitRandomInterceptReml vs lme4 (per-person ybar and W computed directly from the observations)', () => {
  for (const set of RAW_SETS) {
    it(`${set}`, () => {
      // Standardise exactly as make-golden.R: persons with observations, mean and sd (n - 1) of their SES.
      const persons = readNumericCsv(`${set}.persons.csv`);
      const obs = readNumericCsv(`${set}.obs.csv.gz`);
      const byPerson = new Map<number, number[]>();
      for (let r = 0; r < obs.person.length; r++) {
        const id = obs.person[r];
        if (!byPerson.has(id)) byPerson.set(id, []);
        byPerson.get(id)!.push(obs.partner_ses[r]);
      }
      const ids = [...byPerson.keys()].sort((p, q) => p - q);
      const sesOf = new Map<number, number>();
      for (let i = 0; i < persons.person.length; i++) sesOf.set(persons.person[i], persons.ses[i]);
      const ses = ids.map((id) => sesOf.get(id)!);
      const m = ses.reduce((s, v) => s + v, 0) / ses.length;
      const sd = Math.sqrt(ses.reduce((s, v) => s + (v - m) ** 2, 0) / (ses.length - 1));
      const n = new Float64Array(ids.length);
      const ybar = new Float64Array(ids.length);
      const within = new Float64Array(ids.length);
      const x = new Float64Array(ids.length);
      ids.forEach((id, k) => {
        const ys = byPerson.get(id)!.map((v) => (v - m) / sd);
        const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
        n[k] = ys.length;
        ybar[k] = mean;
        within[k] = ys.reduce((s, v) => s + (v - mean) ** 2, 0); // two-pass, no cancellation
        x[k] = (ses[k] - m) / sd;
      });
      const fit = fitRandomInterceptReml({ n, ybar, within, x });
      expect(fit.note).toBe('');
      expect(fit.nGroups).toBe(value(set, 'n_people'));
      expectMatchesLme4(set, fit);
      // At the optimum the criterion is flat: both optimisers' minima agree to rounding.
      expect(relErr(fit.remlCriterion, value(set, 'reml_criterion'))).toBeLessThan(1e-11);
      // Never worse than lme4's optimum (beyond rounding of the criterion itself).
      expect(fit.remlCriterion).toBeLessThanOrEqual(value(set, 'reml_criterion') * (1 + 1e-13));
    });
  }
});

describe("profiled REML criterion equals lme4's deviance function at fixed theta", () => {
  // make-golden.R evaluates lmer(..., devFunOnly = TRUE)(theta): lme4's own -2 log REML likelihood, with
  // beta and sigma^2 profiled out, independent of any optimiser. This checks the derivation in reml.ts.
  const thetas = [0, 0.1, 0.5, 1, 2.5];
  for (const set of [...RAW_SETS, 'big']) {
    it(`${set}`, () => {
      const stats = set === 'big' ? bigSetStats(0) : rawSetStats(set, 0);
      const fitted = selectFittedPersons({ persons: allPersons(stats), ...stats });
      const pooled = poolByGroupSize(standardisedModelData(fitted, stats));
      for (const theta of thetas) {
        expect(relErr(profiledRemlCriterion(pooled, theta), value(set, `devfun_theta_${theta}`))).toBeLessThan(1e-12);
      }
      expect(relErr(profiledRemlCriterion(pooled, value(set, 'theta')), value(set, 'reml_criterion'))).toBeLessThan(1e-12);
    });
  }
});
