/**
 * REML fit checked against closed forms. For balanced data (every n_i = m) the REML estimates of the
 * one-way random model with a person-level covariate are the ANOVA estimators (Searle, Casella &
 * McCulloch 1992, "Variance Components", sections 3.7 and 6.8):
 *     beta = OLS of ybar_i on (1, x_i),   MSW = sum W_i / (N - P),
 *     MSB = m * sum (ybar_i - fitted_i)^2 / (P - 2),
 *     sigma^2 = MSW, tau^2 = (MSB - MSW) / m when MSB > MSW, else tau^2 = 0 and sigma^2 = RSS(0) / (N - 2).
 * (Derivation: with equal weights w = m / (1 + m lambda) beta does not depend on lambda, and with
 * v = 1 + m lambda the profiled criterion is (N - 2) log(SW + m B / v) + (P - 2) log v + const, minimised
 * at v = MSB / MSW.)
 */
import { describe, expect, it } from 'vitest';
import { fitRandomInterceptReml, profiledRemlCriterion } from '../../src/measures/reml.js';

/** Balanced data from hand-picked per-person values. */
function balanced(m: number, ybar: number[], within: number[], x: number[]) {
  const P = ybar.length;
  return { n: new Float64Array(P).fill(m), ybar: Float64Array.from(ybar), within: Float64Array.from(within), x: Float64Array.from(x) };
}

/** The ANOVA closed form of the module comment. */
function anovaReml(m: number, ybar: number[], within: number[], x: number[]) {
  const P = ybar.length;
  const N = m * P;
  const mx = x.reduce((s, v) => s + v, 0) / P;
  const my = ybar.reduce((s, v) => s + v, 0) / P;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < P; i++) {
    sxy += (x[i] - mx) * (ybar[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const a = sxy / sxx;
  const b = my - a * mx;
  let B = 0;
  for (let i = 0; i < P; i++) B += (ybar[i] - b - a * x[i]) ** 2;
  const SW = within.reduce((s, v) => s + v, 0);
  const msw = SW / (N - P);
  const msb = (m * B) / (P - 2);
  if (msb > msw) return { a, b, sigma2: msw, tau2: (msb - msw) / m };
  return { a, b, sigma2: (SW + m * B) / (N - 2), tau2: 0 };
}

describe('fitRandomInterceptReml: balanced closed form', () => {
  it('interior optimum: sigma^2 = MSW, tau^2 = (MSB - MSW)/m', () => {
    const ybar = [1.2, -0.4, 0.9, 2.1, -1.3, 0.2, 1.7, -0.8];
    const x = [0.5, -0.7, 0.1, 1.4, -1.6, 0.3, 0.9, -0.9];
    const within = [0.52, 0.85, 0.43, 0.7, 0.98, 0.55, 0.38, 0.65];
    const ref = anovaReml(4, ybar, within, x);
    expect(ref.tau2).toBeGreaterThan(0);
    const fit = fitRandomInterceptReml(balanced(4, ybar, within, x));
    expect(fit.boundary).toBe(false);
    expect(fit.a).toBeCloseTo(ref.a, 12);
    expect(fit.b).toBeCloseTo(ref.b, 12);
    expect(fit.sigma2).toBeCloseTo(ref.sigma2, 10);
    expect(fit.tau2).toBeCloseTo(ref.tau2, 10);
    expect(fit.es).toBeCloseTo(Math.sqrt(ref.a ** 2 / (ref.a ** 2 + ref.tau2)), 10);
    expect(fit.theta).toBeCloseTo(Math.sqrt(ref.tau2 / ref.sigma2), 10);
  });

  it('boundary: MSB < MSW gives tau^2 = 0, ES = 1, sigma^2 = RSS(0)/(N - 2)', () => {
    // ybar exactly linear in x up to small deviations, large within-person spread.
    const x = [-1.5, -1, -0.5, 0, 0.5, 1, 1.5];
    const ybar = x.map((v, i) => 0.3 + 0.8 * v + [0.01, -0.02, 0.015, 0, -0.01, 0.02, -0.005][i]);
    const within = [9, 11, 10, 12, 8, 10, 9];
    const ref = anovaReml(3, ybar, within, x);
    expect(ref.tau2).toBe(0);
    const fit = fitRandomInterceptReml(balanced(3, ybar, within, x));
    expect(fit.boundary).toBe(true);
    expect(fit.theta).toBe(0);
    expect(fit.tau2).toBe(0);
    expect(fit.es).toBe(1);
    expect(fit.a).toBeCloseTo(ref.a, 12);
    expect(fit.sigma2).toBeCloseTo(ref.sigma2, 12);
    // A boundary minimum: the criterion increases away from theta = 0.
    const data = balanced(3, ybar, within, x);
    expect(profiledRemlCriterion(data, 0)).toBeLessThan(profiledRemlCriterion(data, 1e-3));
  });
});

describe('fitRandomInterceptReml: invariances and degenerate designs', () => {
  const base = {
    n: Float64Array.from([1, 3, 2, 7, 4, 1, 5, 2, 6, 3, 1, 2]),
    ybar: Float64Array.from([1.3, -0.2, 0.9, -0.4, 2.5, -0.3, 1.4, -1.1, 0.6, 0.5, -0.9, 1.1]),
    within: Float64Array.from([0, 0.55, 0.1, 1.5, 0.8, 0, 1.1, 0.2, 1.3, 0.45, 0, 0.3]),
    x: Float64Array.from([-0.2, 0.9, -0.6, 0.4, 1.5, -1.8, 0.1, -0.3, 1.1, -1.0, 0.2, 1.7]),
  };

  it('affine change of x: same theta, tau^2, sigma^2; a scales by 1/k (the column space of X is unchanged)', () => {
    const f1 = fitRandomInterceptReml(base);
    const k = 3.7;
    const f2 = fitRandomInterceptReml({ ...base, x: base.x.map((v) => k * v - 12) });
    expect(f2.theta).toBeCloseTo(f1.theta, 10);
    expect(f2.tau2).toBeCloseTo(f1.tau2, 10);
    expect(f2.sigma2).toBeCloseTo(f1.sigma2, 10);
    expect(f2.a).toBeCloseTo(f1.a / k, 10);
  });

  it('scaling y by s scales tau^2 and sigma^2 by s^2, a by s; theta and ES unchanged', () => {
    const f1 = fitRandomInterceptReml(base);
    const s = 25;
    const f2 = fitRandomInterceptReml({ ...base, ybar: base.ybar.map((v) => s * v + 100), within: base.within.map((v) => s * s * v) });
    expect(f2.theta).toBeCloseTo(f1.theta, 9);
    expect(f2.es).toBeCloseTo(f1.es, 10);
    expect(f2.a / s).toBeCloseTo(f1.a, 10);
    expect(f2.tau2 / (s * s)).toBeCloseTo(f1.tau2, 9);
  });

  it('the optimum is a minimum of the profiled criterion (neighbours are higher)', () => {
    const f = fitRandomInterceptReml(base);
    expect(f.theta).toBeGreaterThan(0);
    expect(profiledRemlCriterion(base, f.theta)).toBeCloseTo(f.remlCriterion, 12);
    expect(profiledRemlCriterion(base, f.theta * 0.99)).toBeGreaterThan(f.remlCriterion);
    expect(profiledRemlCriterion(base, f.theta * 1.01)).toBeGreaterThan(f.remlCriterion);
  });

  it('every person with one observation: criterion flat, variance components not identifiable', () => {
    const P = 20;
    const x = Float64Array.from({ length: P }, (_, i) => Math.sin(i));
    const ybar = Float64Array.from({ length: P }, (_, i) => 0.5 * x[i] + Math.cos(3 * i));
    const data = { n: new Float64Array(P).fill(1), ybar, within: new Float64Array(P), x };
    // Flatness: with n_i = 1 all weights are 1/(1 + lambda); the criterion does not depend on theta.
    expect(profiledRemlCriterion(data, 0.3)).toBeCloseTo(profiledRemlCriterion(data, 3), 9);
    const fit = fitRandomInterceptReml(data);
    expect(fit.note).toMatch(/not separately identifiable/);
    expect(fit.es).toBeNaN();
    expect(fit.tau2).toBeNaN();
    // a is still the OLS slope of ybar on x.
    const mx = x.reduce((s, v) => s + v, 0) / P;
    const my = ybar.reduce((s, v) => s + v, 0) / P;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < P; i++) {
      sxy += (x[i] - mx) * (ybar[i] - my);
      sxx += (x[i] - mx) ** 2;
    }
    expect(fit.a).toBeCloseTo(sxy / sxx, 12);
  });

  it('constant x and too few persons give NaN with a note instead of throwing', () => {
    expect(fitRandomInterceptReml({ ...base, x: new Float64Array(12).fill(2) }).note).toMatch(/x is constant/);
    const two = { n: Float64Array.from([3, 4]), ybar: Float64Array.from([1, 2]), within: Float64Array.from([1, 1]), x: Float64Array.from([0, 1]) };
    expect(fitRandomInterceptReml(two).note).toMatch(/too few persons/);
  });

  it('rejects n_i = 0 and negative W_i (the caller must leave such persons out)', () => {
    expect(() => fitRandomInterceptReml({ ...base, n: Float64Array.from([0, ...base.n.slice(1)]) })).toThrow(RangeError);
    expect(() => fitRandomInterceptReml({ ...base, within: Float64Array.from([-1, ...base.within.slice(1)]) })).toThrow(RangeError);
  });

  it('non-integer group sizes (pooled through a Map): the returned theta minimises the criterion', () => {
    const data = { ...base, n: base.n.map((v) => v + 0.5) };
    const f = fitRandomInterceptReml(data);
    expect(f.note).toBe('');
    expect(profiledRemlCriterion(data, f.theta)).toBeCloseTo(f.remlCriterion, 12);
    expect(profiledRemlCriterion(data, f.theta * 0.999)).toBeGreaterThan(f.remlCriterion);
    expect(profiledRemlCriterion(data, f.theta * 1.001)).toBeGreaterThan(f.remlCriterion);
  });

  it('frequency weights (copies) equal repeating the persons; copies 0 leaves a person out', () => {
    const copies = Float64Array.from([2, 0, 1, 3, 1, 1, 0, 2, 1, 1, 4, 1]);
    const repeated = { n: [] as number[], ybar: [] as number[], within: [] as number[], x: [] as number[] };
    copies.forEach((c, i) => {
      for (let k = 0; k < c; k++) {
        repeated.n.push(base.n[i]);
        repeated.ybar.push(base.ybar[i]);
        repeated.within.push(base.within[i]);
        repeated.x.push(base.x[i]);
      }
    });
    const weighted = fitRandomInterceptReml({ ...base, copies });
    const listed = fitRandomInterceptReml({
      n: Float64Array.from(repeated.n), ybar: Float64Array.from(repeated.ybar),
      within: Float64Array.from(repeated.within), x: Float64Array.from(repeated.x),
    });
    expect(weighted.nGroups).toBe(17);
    expect(weighted.nObs).toBe(listed.nObs);
    expect(weighted.theta).toBeCloseTo(listed.theta, 10);
    expect(weighted.a).toBeCloseTo(listed.a, 12);
    expect(weighted.tau2).toBeCloseTo(listed.tau2, 10);
    expect(weighted.remlCriterion).toBeCloseTo(listed.remlCriterion, 10);
  });
});
