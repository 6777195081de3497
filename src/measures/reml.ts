/**
 * REML fit of the random-intercept linear mixed model from per-group sufficient statistics.
 *
 * Model (lme4: `lmer(y ~ x + (1 | person), REML = TRUE)`), for person i = 1..P with n_i observations j:
 *
 *     y_ij = b + a x_i + u_i + e_ij,   u_i ~ N(0, tau^2),   e_ij ~ N(0, sigma^2),
 *
 * with x constant within a person. Write lambda = tau^2 / sigma^2 = theta^2 (theta is lme4's relative
 * covariance factor), N = sum n_i observations, p = 2 fixed effects, z_i = (1, x_i).
 *
 * Derivation of the profiled REML criterion. Person i's covariance is V_i = sigma^2 (I + lambda 1 1'), so
 * V_i^-1 = (I - lambda/(1 + n_i lambda) 1 1') / sigma^2 and log det V_i = n_i log sigma^2 + log(1 + n_i lambda).
 * Because X_i = 1 z_i', with weights w_i = n_i / (1 + n_i lambda):
 *
 *     X' V^-1 X   = sum w_i z_i z_i' / sigma^2,         X' V^-1 y = sum w_i ybar_i z_i / sigma^2,
 *     (y - X beta)' V^-1 (y - X beta) = [ sum W_i + sum w_i (ybar_i - z_i' beta)^2 ] / sigma^2,
 *
 * where ybar_i is the person's mean and W_i = sum_j (y_ij - ybar_i)^2. So beta_hat(lambda) is the weighted
 * least-squares fit of ybar_i on z_i with weights w_i, and RSS(lambda) = sum W_i + sum w_i (ybar_i - z_i' beta_hat)^2
 * (lme4's penalised weighted residual sum of squares, pwrss). The REML log-likelihood (Harville 1977;
 * Bates et al. 2015, J. Stat. Softw. 67(1), eq. 42) is
 *
 *     -2 l_R = sum log det V_i + log det(X' V^-1 X) + (y - X beta_hat)' V^-1 (y - X beta_hat) + (N - p) log(2 pi);
 *
 * substituting and maximising over sigma^2 gives sigma_hat^2 = RSS / (N - p) and the profiled criterion
 *
 *     -2 l_R(lambda) = (N - p) log(2 pi sigma_hat^2) + sum log(1 + n_i lambda) + log det(Z' W Z) + (N - p),
 *
 * with Z' W Z = sum w_i z_i z_i'. This is lme4's "REML criterion at convergence" (`REMLcrit(fit)`):
 * in its notation log|L_theta|^2 = sum log(1 + n_i lambda), log|R_X|^2 = log det(Z' W Z). The test suite
 * checks it against lme4's own deviance function at fixed theta (test/golden/lme4).
 *
 * Evaluation cost. Every term depends on a person only through n_i, so the persons are pooled once by
 * distinct n (O(persons)); each evaluation of the criterion and its derivative is then O(distinct n),
 * allocation-free. (When n takes many distinct values, e.g. non-integer weights, this degrades gracefully
 * to O(persons) per evaluation.)
 *
 * Derivative (used to polish the optimum to machine precision). With dw_i/dlambda = -w_i^2 and the
 * envelope theorem for beta_hat,
 *
 *     d(-2 l_R)/dlambda = -(N - p) sum w_i^2 r_i^2 / RSS + sum w_i - tr[(Z'WZ)^-1 sum w_i^2 z_i z_i'],
 *
 * r_i = ybar_i - z_i' beta_hat. In theta, d/dtheta = 2 theta d/dlambda: zero at theta = 0 always, so the
 * boundary test uses the lambda-derivative at 0 (a boundary minimum needs it >= 0).
 *
 * Optimisation (one dimension, theta >= 0, as lme4): the criterion is evaluated at theta = 0 and on a
 * log grid 10^(k/8), k = -40..24 (extended upward while still decreasing), the best grid point is bracketed
 * by its neighbours, and the minimum inside the bracket is found as the zero of the derivative with Brent's
 * zeroin (bracket verified by signs; otherwise Brent's golden-section/parabolic minimiser on the criterion).
 * theta is located to ~1e-15 relative, well below lme4's bobyqa (rhoend 1e-12).
 */

/** Per-person (per-group) sufficient statistics of the random-intercept model. */
export interface RandomInterceptData {
  /** Observations of person i (n_i >= 1; persons with n_i = 0 must be left out). */
  n: ArrayLike<number>;
  /** Mean outcome of person i, ybar_i = sum_j y_ij / n_i. */
  ybar: ArrayLike<number>;
  /** Within-person sum of squares W_i = sum_j (y_ij - ybar_i)^2 (>= 0). */
  within: ArrayLike<number>;
  /** The person-level covariate x_i. */
  x: ArrayLike<number>;
  /**
   * Optional frequency weights: person i enters the fit copies[i] times (0 = left out), exactly as if
   * its statistics were repeated. A bootstrap resample is the fitted persons with multinomial copies.
   */
  copies?: ArrayLike<number> | null;
}

export interface RandomInterceptFit {
  /** Slope on x. */
  a: number;
  /** Intercept. */
  b: number;
  /** Random-intercept variance tau^2 = theta^2 sigma^2. */
  tau2: number;
  /** Residual variance sigma^2 = RSS / (N - p). */
  sigma2: number;
  /** lme4's theta = tau / sigma. */
  theta: number;
  /** Exposure segregation sqrt(a^2 / (a^2 + tau^2)); 1 on the boundary tau^2 = 0 (SPEC section 3). */
  es: number;
  /** -2 times the REML log-likelihood at the optimum (lme4's REMLcrit). */
  remlCriterion: number;
  /** Criterion (and derivative) evaluations used. */
  evaluations: number;
  /** True when the optimum is at theta = 0 (tau^2 = 0). */
  boundary: boolean;
  /** Number of persons (groups) and observations fitted. */
  nGroups: number;
  nObs: number;
  /** Empty when the fit is valid; otherwise why the variance components (and es) are NaN. */
  note: string;
}

/** Persons pooled by distinct n_i, with x and ybar centred (see `poolByGroupSize`). */
export interface PooledRandomInterceptStats {
  /** Distinct group sizes. */
  size: Float64Array;
  /** Per distinct size: number of persons, sum x, sum x^2, sum ybar, sum x ybar, sum ybar^2 (centred x, ybar). */
  count: Float64Array;
  sx: Float64Array;
  sxx: Float64Array;
  sy: Float64Array;
  sxy: Float64Array;
  syy: Float64Array;
  /** sum_i W_i. */
  withinTotal: number;
  /** N = sum n_i, P = persons. */
  nObs: number;
  nGroups: number;
  /** Centres subtracted from x and ybar (their unweighted means over persons). */
  xCentre: number;
  yCentre: number;
}

const P_FIXED = 2;
const LOG_2PI = Math.log(2 * Math.PI);

/**
 * Pool persons by distinct n_i: for each size s, the count and the sums of x, x^2, ybar, x ybar, ybar^2
 * over persons with n_i = s (each person counted `copies[i]` times when given), after centring x and ybar
 * at their person means (to avoid cancellation; the fit is equivariant, intercept restored at the end).
 * O(persons); integer sizes use a direct index.
 */
export function poolByGroupSize(data: RandomInterceptData): PooledRandomInterceptStats {
  const { n, ybar, within, x } = data;
  const copies = data.copies ?? null;
  const P = n.length;
  if (ybar.length !== P || within.length !== P || x.length !== P || (copies !== null && copies.length !== P)) {
    throw new RangeError(`poolByGroupSize: lengths differ (n ${P}, ybar ${ybar.length}, within ${within.length}, x ${x.length}${copies ? `, copies ${copies.length}` : ''})`);
  }
  let xs = 0;
  let ys = 0;
  let nObs = 0;
  let nGroups = 0;
  let withinTotal = 0;
  let allSmallIntegers = true;
  let maxN = 0;
  for (let i = 0; i < P; i++) {
    const c = copies === null ? 1 : copies[i];
    if (c === 0) continue;
    if (!(c > 0) || !Number.isFinite(c)) throw new RangeError(`poolByGroupSize: copies[${i}] = ${c}`);
    const ni = n[i];
    if (!(ni > 0) || !Number.isFinite(ni)) throw new RangeError(`poolByGroupSize: n[${i}] = ${ni}; every person needs n_i > 0`);
    if (!Number.isFinite(x[i]) || !Number.isFinite(ybar[i]) || !(within[i] >= 0) || !Number.isFinite(within[i])) {
      throw new RangeError(`poolByGroupSize: non-finite or negative statistic for person ${i}`);
    }
    xs += c * x[i];
    ys += c * ybar[i];
    nObs += c * ni;
    nGroups += c;
    withinTotal += c * within[i];
    if (ni !== Math.floor(ni)) allSmallIntegers = false;
    if (ni > maxN) maxN = ni;
  }
  const xCentre = nGroups > 0 ? xs / nGroups : 0;
  const yCentre = nGroups > 0 ? ys / nGroups : 0;
  // Group id per person: direct index for integer sizes of moderate range, a Map otherwise.
  const groupOf = new Int32Array(P).fill(-1);
  const sizes: number[] = [];
  if (allSmallIntegers && maxN <= Math.max(1 << 20, 4 * P)) {
    const index = new Int32Array(maxN + 1).fill(-1);
    for (let i = 0; i < P; i++) {
      if (copies !== null && copies[i] === 0) continue;
      const ni = n[i];
      let g = index[ni];
      if (g < 0) {
        g = sizes.length;
        index[ni] = g;
        sizes.push(ni);
      }
      groupOf[i] = g;
    }
  } else {
    const index = new Map<number, number>();
    for (let i = 0; i < P; i++) {
      if (copies !== null && copies[i] === 0) continue;
      const ni = n[i];
      let g = index.get(ni);
      if (g === undefined) {
        g = sizes.length;
        index.set(ni, g);
        sizes.push(ni);
      }
      groupOf[i] = g;
    }
  }
  const G = sizes.length;
  const count = new Float64Array(G);
  const sx = new Float64Array(G);
  const sxx = new Float64Array(G);
  const sy = new Float64Array(G);
  const sxy = new Float64Array(G);
  const syy = new Float64Array(G);
  for (let i = 0; i < P; i++) {
    const g = groupOf[i];
    if (g < 0) continue;
    const c = copies === null ? 1 : copies[i];
    const xi = x[i] - xCentre;
    const yi = ybar[i] - yCentre;
    const cx = c * xi;
    const cy = c * yi;
    count[g] += c;
    sx[g] += cx;
    sxx[g] += cx * xi;
    sy[g] += cy;
    sxy[g] += cx * yi;
    syy[g] += cy * yi;
  }
  return { size: Float64Array.from(sizes), count, sx, sxx, sy, sxy, syy, withinTotal, nObs, nGroups, xCentre, yCentre };
}

/** Scratch slots filled by `evaluateProfiledReml`. */
const CRIT = 0;
const DERIV = 1;
const BETA0 = 2;
const BETA1 = 3;
const RSS = 4;

/**
 * Profiled REML criterion -2 l_R(lambda) and its lambda-derivative (formulas in the module comment),
 * written to out[CRIT], out[DERIV]; also beta_hat (centred coordinates) and RSS. Allocation-free, O(sizes).
 */
function evaluateProfiledReml(s: PooledRandomInterceptStats, lambda: number, out: Float64Array): void {
  const { size, count, sx, sxx, sy, sxy, syy } = s;
  const G = size.length;
  let m00 = 0, m01 = 0, m11 = 0, v0 = 0, v1 = 0, yy = 0;
  let q00 = 0, q01 = 0, q11 = 0, u0 = 0, u1 = 0, uyy = 0;
  let sumW = 0;
  let logDetL = 0;
  for (let g = 0; g < G; g++) {
    const nl = size[g] * lambda;
    const w = size[g] / (1 + nl);
    const c = count[g];
    m00 += w * c;
    m01 += w * sx[g];
    m11 += w * sxx[g];
    v0 += w * sy[g];
    v1 += w * sxy[g];
    yy += w * syy[g];
    const w2 = w * w;
    q00 += w2 * c;
    q01 += w2 * sx[g];
    q11 += w2 * sxx[g];
    u0 += w2 * sy[g];
    u1 += w2 * sxy[g];
    uyy += w2 * syy[g];
    sumW += c * w;
    logDetL += c * Math.log1p(nl);
  }
  const det = m00 * m11 - m01 * m01;
  const beta0 = (m11 * v0 - m01 * v1) / det;
  const beta1 = (m00 * v1 - m01 * v0) / det;
  // sum w r^2 and sum w^2 r^2 expanded in the pooled moments (x, ybar are centred, so this is well conditioned).
  let between = yy - 2 * beta0 * v0 - 2 * beta1 * v1 + beta0 * beta0 * m00 + 2 * beta0 * beta1 * m01 + beta1 * beta1 * m11;
  if (between < 0) between = 0;
  let between2 = uyy - 2 * beta0 * u0 - 2 * beta1 * u1 + beta0 * beta0 * q00 + 2 * beta0 * beta1 * q01 + beta1 * beta1 * q11;
  if (between2 < 0) between2 = 0;
  const rss = s.withinTotal + between;
  const dof = s.nObs - P_FIXED;
  out[CRIT] = dof * (LOG_2PI + Math.log(rss / dof)) + logDetL + Math.log(det) + dof;
  out[DERIV] = (-dof * between2) / rss + sumW - (m11 * q00 - 2 * m01 * q01 + m00 * q11) / det;
  out[BETA0] = beta0;
  out[BETA1] = beta1;
  out[RSS] = rss;
}

/**
 * -2 REML log-likelihood of the random-intercept model at a given theta = tau / sigma, with beta and
 * sigma^2 profiled out: (N - p) log(2 pi RSS/(N - p)) + sum log(1 + n_i theta^2) + log det(Z'WZ) + (N - p).
 * Equals lme4's deviance function `lmer(..., devFunOnly = TRUE)(theta)` for a REML fit.
 */
export function profiledRemlCriterion(data: RandomInterceptData | PooledRandomInterceptStats, theta: number): number {
  const pooled = 'size' in data ? data : poolByGroupSize(data);
  const out = new Float64Array(5);
  evaluateProfiledReml(pooled, theta * theta, out);
  return out[CRIT];
}

/** Log grid of theta for the initial scan: 10^(k/8), k = -40..24 (1e-5 .. 1e3). */
const GRID_LOG10_STEP = 1 / 8;
const GRID_K_MIN = -40;
const GRID_K_MAX = 24;
/** Upward extension stops at theta = 1e8 (sigma^2 -> 0: every person's partners identical). */
const GRID_K_LIMIT = 64;

/**
 * Fit y_ij = b + a x_i + u_i + e_ij by REML from per-person sufficient statistics (module comment:
 * criterion, derivative, optimiser). Invalid designs do not throw: the result carries NaN and a `note`
 * (fewer than 3 persons, N <= 2, constant x, no within-person replication so that tau^2 and sigma^2
 * are not separately identifiable, or zero residual variation).
 */
export function fitRandomInterceptReml(data: RandomInterceptData): RandomInterceptFit {
  const pooled = poolByGroupSize(data);
  return fitPooledRandomInterceptReml(pooled);
}

/** `fitRandomInterceptReml` on already pooled statistics (see `poolByGroupSize`). */
export function fitPooledRandomInterceptReml(s: PooledRandomInterceptStats): RandomInterceptFit {
  const fail = (note: string, a = NaN, b = NaN): RandomInterceptFit => ({
    a, b, tau2: NaN, sigma2: NaN, theta: NaN, es: NaN, remlCriterion: NaN, evaluations: 0, boundary: false,
    nGroups: s.nGroups, nObs: s.nObs, note,
  });
  if (s.nGroups < 3) return fail(`too few persons to fit (${s.nGroups})`);
  if (s.nObs <= P_FIXED) return fail(`too few observations to fit (${s.nObs})`);
  let sxxTotal = 0;
  for (let g = 0; g < s.size.length; g++) sxxTotal += s.sxx[g];
  if (!(sxxTotal > 0)) return fail('x is constant: the slope a is not identifiable');

  const out = new Float64Array(5);
  let evaluations = 0;
  const crit = (theta: number): number => {
    evaluations++;
    evaluateProfiledReml(s, theta * theta, out);
    return out[CRIT];
  };
  const slope = (theta: number): number => {
    evaluations++;
    evaluateProfiledReml(s, theta * theta, out);
    return out[DERIV];
  };

  if (s.nObs === s.nGroups) {
    // Every n_i = 1: all weights equal 1/(1 + lambda), the criterion is constant in theta.
    evaluateProfiledReml(s, 0, out);
    const a = out[BETA1];
    return fail('tau^2 and sigma^2 are not separately identifiable: every person has exactly one observation', a, out[BETA0] + s.yCentre - a * s.xCentre);
  }
  if (!(crit(0) > -Infinity) || !(out[RSS] > 0)) return fail('no residual variation: the outcome is exactly linear in x');

  // 1. Scan theta = 0 and the log grid; extend upward while the criterion still decreases at the top.
  const thetas: number[] = [0];
  const values: number[] = [crit(0)];
  for (let k = GRID_K_MIN; k <= GRID_K_MAX; k++) {
    const t = Math.pow(10, k * GRID_LOG10_STEP);
    thetas.push(t);
    values.push(crit(t));
  }
  for (let k = GRID_K_MAX + 1; k <= GRID_K_LIMIT && values[values.length - 1] < values[values.length - 2]; k++) {
    const t = Math.pow(10, k * GRID_LOG10_STEP);
    thetas.push(t);
    values.push(crit(t));
  }
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] < values[best]) best = k;

  // 2. Refine inside the bracket of the best grid point.
  let theta: number;
  let boundary = false;
  if (best === 0 && slope(0) >= 0) {
    theta = 0;
    boundary = true;
  } else if (best === thetas.length - 1) {
    theta = thetas[best];
  } else {
    const lo = best === 0 ? 0 : thetas[best - 1];
    const hi = thetas[best + 1];
    const sLo = lo === 0 ? slope(0) : slope(lo);
    const sHi = slope(hi);
    if (sLo < 0 && sHi > 0) {
      theta = brentZero(slope, lo, hi, sLo, sHi);
    } else {
      theta = brentMinimise(crit, lo, hi);
    }
    if (!(crit(theta) <= values[best])) theta = thetas[best];
  }

  evaluateProfiledReml(s, theta * theta, out);
  evaluations++;
  const dof = s.nObs - P_FIXED;
  const sigma2 = out[RSS] / dof;
  const tau2 = theta * theta * sigma2;
  const a = out[BETA1];
  const b = out[BETA0] + s.yCentre - a * s.xCentre;
  const es = boundary || tau2 === 0 ? 1 : Math.sqrt((a * a) / (a * a + tau2));
  return {
    a, b, tau2, sigma2, theta, es, remlCriterion: out[CRIT], evaluations, boundary: boundary || theta === 0,
    nGroups: s.nGroups, nObs: s.nObs, note: '',
  };
}

const EPS = 2.220446049250313e-16;

/**
 * Zero of f on [a, b] with f(a) f(b) < 0: Brent (1973), "Algorithms for Minimization without
 * Derivatives", ch. 4 (zeroin: bisection, secant and inverse quadratic interpolation), tolerance
 * 4 eps |x| + 1e-300.
 */
function brentZero(f: (x: number) => number, a: number, b: number, fa: number, fb: number): number {
  let c = a;
  let fc = fa;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < 300; iter++) {
    if (fb * fc > 0) {
      c = a;
      fc = fa;
      d = b - a;
      e = d;
    }
    if (Math.abs(fc) < Math.abs(fb)) {
      a = b;
      b = c;
      c = a;
      fa = fb;
      fb = fc;
      fc = fa;
    }
    const tol = 4 * EPS * Math.abs(b) + 1e-300;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || fb === 0) return b;
    if (Math.abs(e) < tol || Math.abs(fa) <= Math.abs(fb)) {
      d = m;
      e = m;
    } else {
      let s = fb / fa;
      let p: number;
      let q: number;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = fa / fc;
        const r = fb / fc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      s = e;
      e = d;
      if (2 * p < 3 * m * q - Math.abs(tol * q) && p < Math.abs(0.5 * s * q)) {
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    }
    a = b;
    fa = fb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    fb = f(b);
  }
  return b;
}

/**
 * Minimum of f on [a, b]: Brent (1973) ch. 5 (golden section with parabolic interpolation, R's
 * optimize), tolerance sqrt(eps) |x| + 1e-12. Used only when the derivative does not bracket a zero.
 */
function brentMinimise(f: (x: number) => number, a: number, b: number): number {
  const golden = 0.3819660112501051;
  let x = a + golden * (b - a);
  let w = x;
  let v = x;
  let fx = f(x);
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < 500; iter++) {
    const xm = 0.5 * (a + b);
    const tol1 = Math.sqrt(EPS) * Math.abs(x) + 1e-12;
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      let r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      r = e;
      e = d;
      if (Math.abs(p) < Math.abs(0.5 * q * r) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < xm ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = (x < xm ? b : a) - x;
      d = golden * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = f(u);
    if (fu <= fx) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fx;
      x = u;
      fx = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  return x;
}
