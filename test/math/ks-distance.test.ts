import { describe, it, expect } from 'vitest';
import { ksDistance } from '../../src/math/stats.js';

describe('ksDistance (two-sample Kolmogorov-Smirnov D)', () => {
  it('is 0 for the same sample in any order and 1 for disjoint ranges', () => {
    expect(ksDistance([3, 1, 2], [1, 2, 3])).toBe(0);
    expect(ksDistance([1, 2, 3], [4, 5])).toBe(1);
  });

  it('matches a hand count: {1,2,3,4} against {3,4,5,6} differ most at x = 2 (2/4 - 0)', () => {
    expect(ksDistance([1, 2, 3, 4], [3, 4, 5, 6])).toBeCloseTo(0.5, 12);
  });

  it('steps over ties together: {1,1,2} vs {1,2,2} has D = |2/3 - 1/3| at x = 1', () => {
    expect(ksDistance([1, 1, 2], [1, 2, 2])).toBeCloseTo(1 / 3, 12);
  });

  it('handles unequal sizes: {0.5} vs {0,1}: D = |1 - 1/2| = 1/2', () => {
    expect(ksDistance([0.5], [0, 1])).toBeCloseTo(0.5, 12);
  });

  it('leaves NaN out and is NaN for an empty sample', () => {
    expect(ksDistance([1, NaN, 2], [1, 2])).toBe(0);
    expect(ksDistance([], [1])).toBeNaN();
  });
});
