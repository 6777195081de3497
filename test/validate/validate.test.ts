import { describe, expect, it } from 'vitest';
import {
  compareAlignedColumns,
  computeHeadlineFacts,
  duplicateKeys,
  joinOnKey,
  normaliseMsaName,
  suggestMsaNames,
} from '../../src/validate/validate.js';

describe('compareAlignedColumns', () => {
  it('gives the hand-computed r, rho, MAE and largest differences', () => {
    // published x = .1 .2 .3 .4, ours y = .1 .2 .4 .3 (last two swapped). Means .25 and .25;
    // dx = (-.15, -.05, .05, .15), dy = (-.15, -.05, .15, .05):
    // sum dx dy = .0225 + .0025 + .0075 + .0075 = .04, sum dx^2 = sum dy^2 = .05 -> r = .04 / .05 = 0.8.
    // Ranks (1 2 3 4) vs (1 2 4 3): rho = 1 - 6 * 2 / (4 * 15) = 0.8. MAE = (0 + 0 + .1 + .1) / 4 = 0.05.
    const c = compareAlignedColumns('es', [0.1, 0.2, 0.4, 0.3], [0.1, 0.2, 0.3, 0.4], ['a', 'b', 'c', 'd'], ['A', 'B', 'C', 'D']);
    expect(c.n).toBe(4);
    expect(c.pearson).toBeCloseTo(0.8, 12);
    expect(c.spearman).toBeCloseTo(0.8, 12);
    expect(c.mae).toBeCloseTo(0.05, 12);
    expect(c.maxAbsDifference).toBeCloseTo(0.1, 12);
    expect(c.identical).toBe(2);
    // Equal |difference| keeps our row order; zero differences are not listed.
    expect(c.largest.map((d) => [d.key, d.label])).toEqual([['c', 'C'], ['d', 'D']]);
    expect(c.largest[0].difference).toBeCloseTo(0.1, 12);
    expect(c.largest[1].difference).toBeCloseTo(-0.1, 12);
  });

  it('leaves out and counts rows missing on either side', () => {
    const c = compareAlignedColumns('es', [0.1, NaN, 0.3, 0.5], [0.1, 0.2, NaN, 0.4], ['a', 'b', 'c', 'd'], ['a', 'b', 'c', 'd'], 1);
    expect([c.n, c.missingOurs, c.missingPublished]).toEqual([2, 1, 1]);
    expect(c.mae).toBeCloseTo(0.05, 12); // (0 + .1) / 2
    expect(c.pearson).toBeCloseTo(1, 12); // two points
    expect(c.largest.map((d) => d.key)).toEqual(['d']);
  });
});

describe('joins on MSA names and FIPS', () => {
  it('pairs equal keys and lists the unmatched both ways', () => {
    const j = joinOnKey(['Akron, OH', 'Nowhere, XX', 'Abilene, TX'], ['Abilene, TX', 'Akron, OH', 'Albany, GA']);
    expect(j.pairs).toEqual([[0, 1], [2, 0]]);
    expect(j.unmatchedOurs).toEqual(['Nowhere, XX']);
    expect(j.unmatchedPublished).toEqual(['Albany, GA']);
    expect(() => joinOnKey([1, 1], [1])).toThrow(/duplicate key 1/);
    expect(duplicateKeys([1001, 1003, 1001, 1005, 1003])).toEqual([1001, 1003]);
  });

  it('suggests the published title for near-miss MSA names', () => {
    expect(normaliseMsaName('Akron, OH Metropolitan Statistical Area')).toBe('akron oh');
    const s = suggestMsaNames(
      ['Akron OH', 'boston, ma', 'Atlantis, XX'],
      ['Akron, OH', 'Boston-Cambridge-Newton, MA-NH', 'Abilene, TX'],
    );
    expect(s.get('Akron OH')).toEqual(['Akron, OH']);
    expect(s.get('boston, ma')).toEqual(['Boston-Cambridge-Newton, MA-NH']);
    expect(s.has('Atlantis, XX')).toBe(false);
  });
});

describe('computeHeadlineFacts', () => {
  it('gives the hand-computed ratio and correlations', () => {
    // Five MSAs; the 2 largest (nLargest = 2) are C (1,000,000; ES .5) and A (500,000; ES .4): mean .45.
    // Under 100,000: B (50,000; .2) and D (80,000; .3): mean .25. Ratio .45 / .25 = 1.8.
    // BI = 1 - ES exactly, so corr(ES, BI) = -1. E has no population: left out.
    const names = ['A', 'B', 'C', 'D', 'E', 'F'];
    const es = [0.4, 0.2, 0.5, 0.3, 0.9, 0.35];
    const bi = es.map((e) => 1 - e);
    const pop = [500_000, 50_000, 1_000_000, 80_000, NaN, 200_000];
    const f = computeHeadlineFacts(names, es, bi, pop, 2, 100_000);
    expect(f.n).toBe(5);
    // ES of A, B, C, D, F: .4, .2, .5, .3, .35 -> median .35; BI = 1 - ES -> median .65
    expect(f.medianEs).toBeCloseTo(0.35, 12);
    expect(f.medianBi).toBeCloseTo(0.65, 12);
    expect(f.largestMsas).toEqual(['C', 'A']);
    expect(f.meanEsLargest).toBeCloseTo(0.45, 12);
    expect(f.nSmall).toBe(2);
    expect(f.meanEsSmall).toBeCloseTo(0.25, 12);
    expect(f.ratioLargestToSmall).toBeCloseTo(1.8, 12);
    // BI of C and A: .5, .6 -> .55; of B and D: .8, .7 -> .75
    expect(f.meanBiLargest).toBeCloseTo(0.55, 12);
    expect(f.meanBiSmall).toBeCloseTo(0.75, 12);
    expect(f.corrEsBi).toBeCloseTo(-1, 12);
    expect(f.corrLogPopBi).toBeCloseTo(-f.corrLogPopEs, 12);
  });
});
