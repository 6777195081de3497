import { describe, it, expect } from 'vitest';
import { float64Words, hashString, keyedUniform, LANE_1, LANE_2, streamKey } from '../../src/math/keyed-random.js';

describe('keyed randomness', () => {
  it('is a pure function of (key, draw)', () => {
    const k = streamKey(42, 'intervention', 3);
    expect(streamKey(42, 'intervention', 3)).toEqual(k);
    expect(streamKey(42, 'intervention', 4)).not.toEqual(k);
    expect(streamKey('42', 'intervention', 3)).toEqual(k);
    expect(keyedUniform(k.a, k.b, 5)).toBe(keyedUniform(k.a, k.b, 5));
    expect(keyedUniform(k.a, k.b, 5)).not.toBe(keyedUniform(k.a, k.b, 6));
    expect(hashString('person-17', LANE_1)).not.toBe(hashString('person-17', LANE_2));
    expect(hashString('person-17', LANE_1)).not.toBe(hashString('person-71', LANE_1));
  });

  it('gives uniform doubles in [0, 1): mean, a 100-bin chi-square and lag-1 correlation within 6 sd', () => {
    // keys of consecutive "ids" (the hard case for a weak hash), one draw each, and draws 0..n of one key
    const n = 200_000;
    const byKey = new Float64Array(n);
    const byDraw = new Float64Array(n);
    const k = streamKey(1, 'test');
    for (let i = 0; i < n; i++) {
      byKey[i] = keyedUniform(hashString(`p${i}`, LANE_1), hashString(`p${i}`, LANE_2), 0);
      byDraw[i] = keyedUniform(k.a, k.b, i);
    }
    for (const u of [byKey, byDraw]) {
      let mean = 0;
      let outside = 0;
      const bins = new Float64Array(100);
      for (let i = 0; i < n; i++) {
        if (!(u[i] >= 0 && u[i] < 1)) outside++;
        mean += u[i] / n;
        bins[Math.floor(u[i] * 100)]++;
      }
      expect(outside).toBe(0);
      expect(Math.abs(mean - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
      let chi2 = 0;
      for (const b of bins) chi2 += (b - n / 100) ** 2 / (n / 100);
      expect(chi2).toBeLessThan(99 + 6 * Math.sqrt(2 * 99));
      let c = 0;
      for (let i = 1; i < n; i++) c += (u[i] - 0.5) * (u[i - 1] - 0.5);
      expect(Math.abs(c / (n - 1) / (1 / 12))).toBeLessThan(6 / Math.sqrt(n));
    }
  });

  it('reads every NaN as one NaN and -0 as 0, so equal times give equal keys', () => {
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    float64Words(NaN, a, 0);
    const other = new Float64Array(new Int32Array([1, 0x7ff80001]).buffer)[0];
    expect(Number.isNaN(other)).toBe(true);
    float64Words(other, b, 0);
    expect(b).toEqual(a);
    float64Words(-0, a, 0);
    float64Words(0, b, 0);
    expect(b).toEqual(a);
    float64Words(1.5e9, a, 0);
    float64Words(1.5e9 + 1, b, 0);
    expect(b).not.toEqual(a);
  });
});
