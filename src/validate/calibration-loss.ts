/**
 * The loss `calibrate --fit` minimises (issue 19): how far a simulated sweep's headline facts (SPEC
 * section 9, plus the level of BI) are from the published facts of the same MSAs, each miss divided by
 * its acceptance tolerance, so a term of 1 is a fact at the edge of its bound:
 *   loss = sum_k ((simulated_k - published_k) / tolerance_k)^2 + (KS(ES) / 0.12)^2,
 * KS(ES) the two-sample Kolmogorov-Smirnov distance between the simulated and published MSAs' ES.
 * Tolerances are those of the issue's acceptance (median ES 0.03, ratio 0.15, the three correlations
 * 0.08, median BI 0.03, mean BI of the 10 largest 0.06, KS 0.12); the mean ES of the ten largest and of
 * the MSAs under 100,000 (SPEC section 9 facts without a bound of their own) get the ratio's relative
 * tolerance, 9%: 0.04 of 0.457 and 0.025 of 0.274.
 */
import type { HeadlineFacts } from './validate.js';

export interface FitTerm {
  /** Key of the fact in HeadlineFacts (or 'ksEs'). */
  readonly key: keyof HeadlineFacts | 'ksEs';
  readonly label: string;
  readonly tolerance: number;
  /** An acceptance bound of issue 19 (|simulated - published| <= tolerance), not only a loss term. */
  readonly bound: boolean;
}

export const FIT_TERMS: readonly FitTerm[] = [
  { key: 'medianEs', label: 'median ES', tolerance: 0.03, bound: true },
  { key: 'meanEsLargest', label: 'mean ES, 10 largest MSAs', tolerance: 0.04, bound: false },
  { key: 'meanEsSmall', label: 'mean ES, MSAs under 100,000', tolerance: 0.025, bound: false },
  { key: 'ratioLargestToSmall', label: 'ratio largest / small', tolerance: 0.15, bound: true },
  { key: 'corrLogPopEs', label: 'corr(log population, ES)', tolerance: 0.08, bound: true },
  { key: 'corrLogPopBi', label: 'corr(log population, BI)', tolerance: 0.08, bound: true },
  { key: 'corrEsBi', label: 'corr(ES, BI)', tolerance: 0.08, bound: true },
  { key: 'medianBi', label: 'median BI', tolerance: 0.03, bound: true },
  { key: 'meanBiLargest', label: 'mean BI, 10 largest MSAs', tolerance: 0.06, bound: true },
  { key: 'ksEs', label: 'KS distance of ES', tolerance: 0.12, bound: true },
];

/** A fact that the simulation could not produce (NaN) where the published one exists counts as this many tolerances off. */
export const MISSING_FACT_MISS = 10;

export interface FitTermValue {
  readonly term: FitTerm;
  readonly simulated: number;
  /** the published value of the same MSAs (0 for the KS distance) */
  readonly target: number;
  /** (simulated - target) / tolerance */
  readonly miss: number;
  /** |miss| <= 1 (for the KS distance: below 0.12) */
  readonly withinBound: boolean;
}

export interface FitLoss {
  readonly loss: number;
  readonly terms: FitTermValue[];
}

/** The loss of one simulated sweep (module comment). Terms whose published value is NaN (no MSA under 100,000 in a subset) are left out. */
export function calibrationLoss(simulated: HeadlineFacts, published: HeadlineFacts, ksEs: number): FitLoss {
  const terms: FitTermValue[] = [];
  let loss = 0;
  for (const term of FIT_TERMS) {
    const sim = term.key === 'ksEs' ? ksEs : (simulated[term.key] as number);
    const target = term.key === 'ksEs' ? 0 : (published[term.key] as number);
    if (!Number.isFinite(target)) continue;
    const miss = Number.isFinite(sim) ? (sim - target) / term.tolerance : MISSING_FACT_MISS;
    loss += miss * miss;
    terms.push({ term, simulated: sim, target, miss, withinBound: term.key === 'ksEs' ? sim < term.tolerance : Math.abs(miss) <= 1 });
  }
  return { loss, terms };
}
