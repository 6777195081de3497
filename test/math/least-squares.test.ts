import { describe, it, expect } from 'vitest';
import { leastSquaresLine } from '../../src/math/stats.js';

describe('leastSquaresLine', () => {
  it('recovers an exact line and the hand-computed fit of noisy points', () => {
    expect(leastSquaresLine([1, 2, 3, 4], [3, 5, 7, 9])).toEqual({ intercept: 1, slope: 2 });
    // x = 0, 1, 2; y = 1, 2, 4: mean x 1, mean y 7/3, Sxy = (-1)(-4/3) + 0 + (1)(5/3) = 3, Sxx = 2
    const fit = leastSquaresLine([0, 1, 2], [1, 2, 4]);
    expect(fit.slope).toBeCloseTo(1.5, 14);
    expect(fit.intercept).toBeCloseTo(7 / 3 - 1.5, 14);
  });

  it('is undefined (NaN) for fewer than two points or a constant x', () => {
    expect(leastSquaresLine([1], [2])).toEqual({ intercept: NaN, slope: NaN });
    expect(leastSquaresLine([2, 2, 2], [1, 2, 3])).toEqual({ intercept: NaN, slope: NaN });
    expect(() => leastSquaresLine([1, 2], [1])).toThrow(RangeError);
  });
});
