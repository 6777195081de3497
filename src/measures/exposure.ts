/**
 * Exposure segregation of one area (SPEC section 3) from per-person sufficient statistics.
 *
 * Input contract (computed from encounters by src/encounters): for every person i, with c any constant
 * centre (e.g. the global SES mean, to avoid cancellation),
 *     n[i]     = number of encounter endpoints n_i,
 *     sum[i]   = sum_j (y_ij - c),      sumSq[i] = sum_j (y_ij - c)^2,
 *     ses[i]   = the person's own SES minus c,
 * where y_ij is the SES of person i's j-th partner. The estimates do not depend on c.
 *
 * Steps, for the area's persons:
 *  1. Keep persons with n_i >= 1. With `maxPeople`, keep a uniform random sample of that many of them
 *     without replacement (the paper sampled 10,000 persons per area): a partial Fisher-Yates shuffle of
 *     the eligible persons, in the order given, driven by createRng(deriveSeed(seed, 'max-people', areaKey));
 *     the first maxPeople positions are the sample. Same seed, same area key: same sample.
 *  2. Minimum-sample rule: fewer than `minPersons` (10) persons or fewer than `minObservations` (100)
 *     observations (sum n_i) gives NaN estimates and the reason in `note`.
 *  3. Standardise with the kept persons' own SES: m = mean(ses), s = sd(ses) (n - 1 denominator);
 *     x_i = (ses_i - m) / s; partners' SES y with the same m and s, so
 *     ybar_i = (sum_i / n_i - m) / s and W_i = (sumSq_i - sum_i^2 / n_i) / s^2 (tiny negatives from
 *     rounding clamped to 0).
 *  4. Naive estimate: Pearson corr(x_i, ybar_i) (naive-exposure.ts). Paper estimate: the REML
 *     random-intercept fit y_ij = b + a x_i + u_i + e_ij (reml.ts), ES = sqrt(a^2 / (a^2 + tau^2)),
 *     1 when tau^2 = 0.
 */
import { createRng, deriveSeed } from '../math/random.js';
import { naiveExposure } from './naive-exposure.js';
import { fitRandomInterceptReml, type RandomInterceptData } from './reml.js';

/** Per-person sufficient statistics around a centre c (see the module comment). */
export interface PersonExposureStats {
  n: ArrayLike<number>;
  sum: ArrayLike<number>;
  sumSq: ArrayLike<number>;
  ses: ArrayLike<number>;
}

export interface AreaExposureOptions {
  /** Minimum persons with encounters (default 10, SPEC section 3). */
  minPersons?: number;
  /** Minimum observations = encounter endpoints, sum n_i (default 100). */
  minObservations?: number;
  /** Fit a seeded random sample of at most this many persons (the paper used 10,000). */
  maxPeople?: number;
  /** Seed of the `maxPeople` sample (default 0). */
  seed?: number | string;
  /** Names the area in derived seeds (e.g. "msa:Akron, OH"), so areas get independent samples. */
  areaKey?: string;
}

export interface AreaExposureInput extends PersonExposureStats, AreaExposureOptions {
  /** Indices (into n, sum, sumSq, ses) of the area's persons. */
  persons: ArrayLike<number>;
}

export interface AreaExposureEstimate {
  /** Exposure segregation from the REML fit (NaN when not estimated; see note). */
  es: number;
  /** Naive estimate: Pearson corr of x_i with ybar_i. */
  esNaive: number;
  /** Fixed effects and variance components of the fit, on the standardised scale. */
  a: number;
  b: number;
  tau2: number;
  sigma2: number;
  /** lme4's theta = tau / sigma, and whether the fit is on the boundary tau^2 = 0. */
  theta: number;
  boundary: boolean;
  /** Persons and observations (encounter endpoints) entering the fit. */
  nPeople: number;
  nObs: number;
  /** Empty when estimated; otherwise why not. */
  note: string;
}

const DEFAULT_MIN_PERSONS = 10;
const DEFAULT_MIN_OBSERVATIONS = 100;

/**
 * The persons that enter an area's fit (steps 1 of the module comment): those with n_i >= 1, or a seeded
 * sample of `maxPeople` of them, returned in ascending index order.
 */
export function selectFittedPersons(input: AreaExposureInput): Int32Array {
  const { persons, n } = input;
  let count = 0;
  for (let k = 0; k < persons.length; k++) if (n[persons[k]] >= 1) count++;
  const eligible = new Int32Array(count);
  count = 0;
  for (let k = 0; k < persons.length; k++) if (n[persons[k]] >= 1) eligible[count++] = persons[k];
  const maxPeople = input.maxPeople;
  if (maxPeople === undefined) return eligible;
  if (!(maxPeople >= 1) || !Number.isInteger(maxPeople)) throw new RangeError(`maxPeople must be a positive integer (got ${maxPeople})`);
  if (eligible.length <= maxPeople) return eligible;
  const rng = createRng(deriveSeed(input.seed ?? 0, 'max-people', input.areaKey ?? ''));
  for (let k = 0; k < maxPeople; k++) {
    const j = k + rng.int(eligible.length - k);
    const t = eligible[k];
    eligible[k] = eligible[j];
    eligible[j] = t;
  }
  return eligible.slice(0, maxPeople).sort();
}

/** The given persons' statistics as compact Float64Arrays (entry k = person indices[k]). */
export function gatherPersonStats(indices: ArrayLike<number>, stats: PersonExposureStats): PersonExposureStats & { n: Float64Array; sum: Float64Array; sumSq: Float64Array; ses: Float64Array } {
  const P = indices.length;
  const out = { n: new Float64Array(P), sum: new Float64Array(P), sumSq: new Float64Array(P), ses: new Float64Array(P) };
  for (let k = 0; k < P; k++) {
    const i = indices[k];
    out.n[k] = stats.n[i];
    out.sum[k] = stats.sum[i];
    out.sumSq[k] = stats.sumSq[i];
    out.ses[k] = stats.ses[i];
  }
  return out;
}

/** Standardised model data, reusable between bootstrap replicates. */
export interface StandardisedModelData extends RandomInterceptData {
  n: Float64Array;
  ybar: Float64Array;
  within: Float64Array;
  x: Float64Array;
  /** Mean and sd (n - 1) of the persons' SES (centred units), over the copies. */
  sesMean: number;
  sesSd: number;
}

/**
 * Step 3 on compact statistics (entry i = one person), each person counted copies[i] times when given
 * (frequency weights: a bootstrap resample). With m, s the mean and sd (n - 1) of ses over the counted
 * persons: x_i = (ses_i - m)/s, ybar_i = (sum_i/n_i - m)/s, W_i = max(0, sumSq_i - sum_i^2/n_i)/s^2.
 * `into` reuses arrays of a previous call (same length).
 */
export function standardiseWithCopies(stats: PersonExposureStats, copies?: ArrayLike<number> | null, into?: StandardisedModelData): StandardisedModelData {
  const { n, sum, sumSq, ses } = stats;
  const P = n.length;
  let w = 0;
  let s0 = 0;
  for (let i = 0; i < P; i++) {
    const c = copies ? copies[i] : 1;
    w += c;
    s0 += c * ses[i];
  }
  const m = s0 / w;
  let ss = 0;
  for (let i = 0; i < P; i++) {
    const d = ses[i] - m;
    ss += (copies ? copies[i] : 1) * d * d;
  }
  const sd = Math.sqrt(ss / (w - 1));
  const out: StandardisedModelData = into ?? { n: new Float64Array(P), ybar: new Float64Array(P), within: new Float64Array(P), x: new Float64Array(P), sesMean: 0, sesSd: 0 };
  out.sesMean = m;
  out.sesSd = sd;
  out.copies = copies ?? null;
  const inv = 1 / sd;
  for (let i = 0; i < P; i++) {
    const ni = n[i];
    out.n[i] = ni;
    out.x[i] = (ses[i] - m) * inv;
    out.ybar[i] = (sum[i] / ni - m) * inv;
    const wi = (sumSq[i] - (sum[i] * sum[i]) / ni) * inv * inv;
    out.within[i] = wi > 0 ? wi : 0;
  }
  return out;
}

/**
 * Step 3 for the given persons (indices into the statistics; an index may repeat, each occurrence is a
 * person of the fit): standardiseWithCopies on their gathered statistics.
 */
export function standardisedModelData(indices: ArrayLike<number>, stats: PersonExposureStats): StandardisedModelData {
  return standardiseWithCopies(gatherPersonStats(indices, stats));
}

/**
 * Steps 3-4 on compact statistics with optional frequency weights, without the minimum-sample rule
 * (the point estimate, and every bootstrap replicate). `scratch` reuses the arrays of a previous call.
 */
export function fitAreaPersonsWithCopies(stats: PersonExposureStats, copies?: ArrayLike<number> | null, scratch?: StandardisedModelData): AreaExposureEstimate {
  let nPeople = 0;
  let nObs = 0;
  for (let i = 0; i < stats.n.length; i++) {
    const c = copies ? copies[i] : 1;
    nPeople += c;
    nObs += c * stats.n[i];
  }
  const empty = (note: string): AreaExposureEstimate => ({
    es: NaN, esNaive: NaN, a: NaN, b: NaN, tau2: NaN, sigma2: NaN, theta: NaN, boundary: false, nPeople, nObs, note,
  });
  if (nPeople < 3) return empty(`too few persons to fit (${nPeople})`);
  const data = standardiseWithCopies(stats, copies, scratch);
  if (!(data.sesSd > 0) || !Number.isFinite(data.sesSd)) return empty("SES does not vary among the area's persons");
  const fit = fitRandomInterceptReml(data);
  return {
    es: fit.es,
    esNaive: naiveExposure(data.x, data.ybar, copies),
    a: fit.a,
    b: fit.b,
    tau2: fit.tau2,
    sigma2: fit.sigma2,
    theta: fit.theta,
    boundary: fit.boundary,
    nPeople,
    nObs,
    note: fit.note,
  };
}

/** Steps 3-4 on the given persons (indices may repeat), without the minimum-sample rule. */
export function fitAreaPersons(indices: ArrayLike<number>, stats: PersonExposureStats): AreaExposureEstimate {
  return fitAreaPersonsWithCopies(gatherPersonStats(indices, stats));
}

/** Minimum-sample rule (step 2): the reason an area gets no estimate, or '' if it qualifies. */
export function minimumSampleNote(nPeople: number, nObs: number, minPersons = DEFAULT_MIN_PERSONS, minObservations = DEFAULT_MIN_OBSERVATIONS): string {
  if (nPeople < minPersons) return `fewer than ${minPersons} persons with encounters (${nPeople})`;
  if (nObs < minObservations) return `fewer than ${minObservations} observations (encounter endpoints) (${nObs})`;
  return '';
}

/**
 * Exposure segregation of one area: naive and REML estimates on standardised SES (module comment,
 * steps 1-4). Areas failing the minimum-sample rule get NaN estimates and a `note`.
 */
export function estimateAreaExposure(input: AreaExposureInput): AreaExposureEstimate {
  const fitted = selectFittedPersons(input);
  const nPeople = fitted.length;
  let nObs = 0;
  for (let k = 0; k < nPeople; k++) nObs += input.n[fitted[k]];
  const rule = minimumSampleNote(nPeople, nObs, input.minPersons, input.minObservations);
  if (rule !== '') {
    return { es: NaN, esNaive: NaN, a: NaN, b: NaN, tau2: NaN, sigma2: NaN, theta: NaN, boundary: false, nPeople, nObs, note: rule };
  }
  return fitAreaPersons(fitted, input);
}
