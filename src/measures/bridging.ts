/**
 * The bridging index (SPEC section 4): how much lower-SES residents of an area encounter higher-SES
 * people, relative to random mixing. For an area with persons P (those entering the ES estimate: at
 * least one encounter) and m = median SES of P:
 *   low person:    ses_i < m;          high partner: ses_j >= m (partners may live anywhere)
 *   P_obs  = sum_{i in P, low} h_i / sum_{i in P, low} n_i        (h_i = endpoints of i with a high partner)
 *   P_rand = sum_{i in P} h_i / sum_{i in P} n_i                 (mass-action baseline)
 *   BI     = min(1, P_obs / P_rand)
 *   ec     = 2 * mean_{i in P, low} (h_i / n_i)                   (Chetty et al. 2022, economic connectedness)
 * Endpoints are counted in the run's mode (distinct or weighted). An area without an ES estimate has no
 * BI either (the caller passes its persons only when the ES rule is met).
 */
import { median } from '../math/stats.js';

export interface BridgingEstimate {
  median: number;
  pObs: number;
  pRand: number;
  bi: number;
  ec: number;
  nLow: number;
  /** empty, or why BI is missing */
  note: string;
}

/** Median SES of the given persons (type-7, the mean of the two middle values for an even count). */
export function areaMedianSes(persons: ArrayLike<number>, ses: Float64Array): number {
  const v = new Float64Array(persons.length);
  for (let k = 0; k < persons.length; k++) v[k] = ses[persons[k]];
  return median(v);
}

/**
 * BI, P_obs, P_rand and ec for one area, from each person's endpoint count n_i and high-partner count
 * h_i (computed against this area's median). `persons` = the area's persons with n_i >= 1.
 */
export function bridgingIndex(persons: ArrayLike<number>, ses: Float64Array, n: Float64Array, high: Float64Array, m: number): BridgingEstimate {
  let lowN = 0;
  let lowH = 0;
  let allN = 0;
  let allH = 0;
  let ecSum = 0;
  let nLow = 0;
  for (let k = 0; k < persons.length; k++) {
    const i = persons[k];
    if (!(n[i] > 0)) continue;
    allN += n[i];
    allH += high[i];
    if (ses[i] < m) {
      nLow++;
      lowN += n[i];
      lowH += high[i];
      ecSum += high[i] / n[i];
    }
  }
  const pRand = allN > 0 ? allH / allN : NaN;
  if (nLow === 0 || lowN === 0) {
    return { median: m, pObs: NaN, pRand, bi: NaN, ec: NaN, nLow, note: 'no encounters of low-SES persons (SES below the area median)' };
  }
  const pObs = lowH / lowN;
  if (!(pRand > 0)) return { median: m, pObs, pRand, bi: NaN, ec: (2 * ecSum) / nLow, nLow, note: 'no encounters with high-SES partners in the area' };
  return { median: m, pObs, pRand, bi: Math.min(1, pObs / pRand), ec: (2 * ecSum) / nLow, nLow, note: '' };
}
