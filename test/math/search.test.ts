import { describe, it, expect } from 'vitest';
import { createRng } from '../../src/math/random.js';
import { latinHypercube, nelderMead } from '../../src/math/search.js';

describe('latinHypercube', () => {
  it('puts exactly one point in each of the n strata of every dimension', () => {
    const n = 12;
    const d = 4;
    const points = latinHypercube(n, d, createRng('lhs'));
    expect(points).toHaveLength(n);
    for (let j = 0; j < d; j++) {
      const strata = points.map((p) => Math.floor(p[j] * n)).sort((a, b) => a - b);
      expect(strata).toEqual(Array.from({ length: n }, (_, k) => k));
    }
  });

  it('pairs the strata differently across dimensions and repeats with the seed', () => {
    const a = latinHypercube(16, 2, createRng(7));
    const b = latinHypercube(16, 2, createRng(7));
    expect(a).toEqual(b);
    // if dimension 1 reused dimension 0's permutation, every point would sit on the diagonal strata
    expect(a.some((p) => Math.floor(p[0] * 16) !== Math.floor(p[1] * 16))).toBe(true);
  });

  it('rejects a non-integer size', () => {
    expect(() => latinHypercube(2.5, 2, createRng(1))).toThrow(/n must be an integer/);
  });
});

describe('nelderMead', () => {
  it('finds the minimum of a shifted quadratic bowl', async () => {
    // f = (x - 1)^2 + 10 (y + 2)^2 + 3: minimum 3 at (1, -2)
    const r = await nelderMead((x) => (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2 + 3, [0, 0], { maxEvaluations: 400, step: 0.5 });
    expect(r.converged).toBe(true);
    expect(r.best[0]).toBeCloseTo(1, 3);
    expect(r.best[1]).toBeCloseTo(-2, 3);
    expect(r.loss).toBeCloseTo(3, 6);
  });

  it('finds the minimum of the Rosenbrock function from the classic start (-1.2, 1)', async () => {
    const rosenbrock = (x: Float64Array) => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;
    const r = await nelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 2000, step: 0.5, lossTolerance: 1e-12, pointTolerance: 1e-7 });
    expect(r.best[0]).toBeCloseTo(1, 3);
    expect(r.best[1]).toBeCloseTo(1, 3);
    expect(r.loss).toBeLessThan(1e-6);
  });

  it('stays in the box: a minimum outside [0, 1]^2 is found on its edge', async () => {
    const seen: number[][] = [];
    const r = await nelderMead(
      (x) => {
        seen.push([...x]);
        return (x[0] - 2) ** 2 + (x[1] - 0.3) ** 2;
      },
      [0.5, 0.5],
      { maxEvaluations: 300, lower: 0, upper: 1 },
    );
    expect(seen.every(([a, b]) => a >= 0 && a <= 1 && b >= 0 && b <= 1)).toBe(true);
    expect(r.best[0]).toBeCloseTo(1, 3);
    expect(r.best[1]).toBeCloseTo(0.3, 3);
  });

  it('never exceeds the evaluation budget and accepts an async loss', async () => {
    let calls = 0;
    const r = await nelderMead(
      async (x) => {
        calls++;
        return (x[0] - 5) ** 2 + (x[1] - 5) ** 2 + (x[2] - 5) ** 2;
      },
      [0, 0, 0],
      { maxEvaluations: 9 },
    );
    expect(calls).toBe(9);
    expect(r.evaluations).toBe(9);
    expect(r.converged).toBe(false);
    expect(r.loss).toBeLessThan(75); // better than the start
  });
});
