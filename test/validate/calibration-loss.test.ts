import { describe, it, expect } from 'vitest';
import { calibrationLoss, FIT_TERMS, MISSING_FACT_MISS } from '../../src/validate/calibration-loss.js';
import type { HeadlineFacts } from '../../src/validate/validate.js';

// the published facts of the 382 MSAs (SPEC section 9, issue 19)
const published: HeadlineFacts = {
  n: 382,
  medianEs: 0.353,
  medianBi: 0.866,
  largestMsas: [],
  meanEsLargest: 0.457,
  nSmall: 29,
  meanEsSmall: 0.274,
  meanBiLargest: 0.653,
  meanBiSmall: 0.954,
  ratioLargestToSmall: 1.665,
  corrEsBi: -0.787,
  corrLogPopEs: 0.592,
  corrLogPopBi: -0.755,
};

describe('calibrationLoss', () => {
  it('is 0 for the published facts themselves with KS 0', () => {
    const r = calibrationLoss(published, published, 0);
    expect(r.loss).toBe(0);
    expect(r.terms).toHaveLength(FIT_TERMS.length);
    expect(r.terms.every((t) => t.withinBound)).toBe(true);
  });

  it('sums squared misses in units of each tolerance', () => {
    // median BI 0.06 too high = 2 tolerances (4); corr(ES, BI) 0.04 too weak = 0.5 (0.25); KS 0.06 = 0.5 (0.25)
    const sim = { ...published, medianBi: 0.926, corrEsBi: -0.747 };
    const r = calibrationLoss(sim, published, 0.06);
    expect(r.loss).toBeCloseTo(4 + 0.25 + 0.25, 10);
    const bi = r.terms.find((t) => t.term.key === 'medianBi')!;
    expect(bi.miss).toBeCloseTo(2, 10);
    expect(bi.withinBound).toBe(false);
    expect(r.terms.find((t) => t.term.key === 'corrEsBi')!.withinBound).toBe(true);
  });

  it('leaves out a fact the published subset lacks and penalises one the simulation lacks', () => {
    const noSmall = { ...published, meanEsSmall: NaN, ratioLargestToSmall: NaN };
    const r = calibrationLoss(noSmall, noSmall, 0);
    expect(r.terms.map((t) => t.term.key)).not.toContain('meanEsSmall');
    expect(r.loss).toBe(0);
    const missing = calibrationLoss({ ...published, corrLogPopBi: NaN }, published, 0);
    expect(missing.loss).toBe(MISSING_FACT_MISS ** 2);
  });

  it('judges KS against its bound (under 0.12), not within +-0.12 of 0', () => {
    const r = calibrationLoss(published, published, 0.12);
    expect(r.terms.find((t) => t.term.key === 'ksEs')!.withinBound).toBe(false);
  });
});
