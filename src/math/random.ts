/**
 * Seeded random numbers. Every random step in mobiseg takes a seed and draws from these streams, so the
 * same seed gives the same numbers. Parallel work derives one independent stream per unit of work
 * (bootstrap replicate, permutation, scenario seed) with `deriveSeed`, never per thread, so results do
 * not depend on the thread count.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** Uniform double in [0, 1) with 53 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller, one value per call). */
  normal(): number;
}

/** A seeded generator (seedrandom's xor4096: long period, fast, well tested). */
export function createRng(seed: number | string): Rng {
  const prng = seedrandom.xor4096(String(seed));
  let spare = NaN;
  return {
    next: () => prng.double(),
    int: (n: number) => Math.floor(prng.double() * n),
    normal: () => {
      if (!Number.isNaN(spare)) {
        const s = spare;
        spare = NaN;
        return s;
      }
      let u = 0;
      while (u === 0) u = prng.double();
      const v = prng.double();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

/** A seed for a sub-stream, e.g. deriveSeed(seed, 'bootstrap', b): a stable string, independent of threads. */
export function deriveSeed(seed: number | string, ...keys: Array<number | string>): string {
  return [String(seed), ...keys.map(String)].join('/');
}

/** Fisher-Yates shuffle in place. */
export function shuffleInPlace<T extends { length: number; [i: number]: any }>(a: T, rng: Rng): T {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}
