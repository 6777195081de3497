import { describe, expect, it } from 'vitest';
import { nearestCounties, roundDecimal, smoothCountyKnn } from '../../src/smoothing/knn.js';

/*
 * Five counties on a plane (lon, lat in degrees), worked on paper:
 *   A 1001 ( 0, 0) raw 0.10
 *   B 1003 ( 1, 0) raw 0.20
 *   C 1005 (-1, 0) raw 0.30
 *   D 1007 ( 0, 2) raw 0.60
 *   E 1009 ( 1, 0.5) raw NaN  (no estimate: never a neighbour, even though it is B's closest county)
 * Squared distances: AB 1, AC 1, AD 4, BC 4, BD 5, CD 5, BE 0.25.
 * k = 2, w = 0.5:
 *   A: B, C (tie at 1, both taken)      mean 0.25 -> 0.5*0.10 + 0.5*0.25 = 0.175
 *   B: A (1), C (4); E skipped            mean 0.20 -> 0.5*0.20 + 0.5*0.20 = 0.200
 *   C: A (1), B (4)                       mean 0.15 -> 0.5*0.30 + 0.5*0.15 = 0.225
 *   D: A (4), then B and C tie at 5: B by FIPS order -> mean 0.15 -> 0.5*0.60 + 0.5*0.15 = 0.375
 *   E: no estimate -> NaN
 * k = 1, w = 0.25: A's nearest is the B/C tie -> B (lower FIPS): 0.75*0.10 + 0.25*0.20 = 0.125
 *   (C would give 0.150).
 */
const fips = Int32Array.from([1001, 1003, 1005, 1007, 1009]);
const lon = Float64Array.from([0, 1, -1, 0, 1]);
const lat = Float64Array.from([0, 0, 0, 2, 0.5]);
const raw = Float64Array.from([0.1, 0.2, 0.3, 0.6, NaN]);

describe('smoothCountyKnn on a hand-worked example', () => {
  it('averages the k nearest counties with an estimate, ties by FIPS', () => {
    const s = smoothCountyKnn({ fips, raw, lon, lat, k: 2, weight: 0.5, round: null });
    const expected = [0.175, 0.2, 0.225, 0.375];
    for (let i = 0; i < 4; i++) expect(s[i]).toBeCloseTo(expected[i], 14);
    expect(Number.isNaN(s[4])).toBe(true);
  });

  it('rounds to 3 decimals by default', () => {
    const s = smoothCountyKnn({ fips, raw, lon, lat, k: 2 });
    expect(Array.from(s.subarray(0, 4))).toEqual([0.175, 0.2, 0.225, 0.375]);
  });

  it('breaks a distance tie by the lower FIPS, whatever the row order', () => {
    expect(smoothCountyKnn({ fips, raw, lon, lat, k: 1, weight: 0.25, round: null })[0]).toBeCloseTo(0.125, 14);
    // Same counties with C listed before B: the tie still goes to B (FIPS 1003).
    const order = [0, 2, 1, 3, 4];
    const pick = <T extends Float64Array | Int32Array>(a: T) => a.map((_, i) => a[order[i]]) as T;
    const s = smoothCountyKnn({ fips: pick(fips), raw: pick(raw), lon: pick(lon), lat: pick(lat), k: 1, weight: 0.25, round: null });
    expect(s[0]).toBeCloseTo(0.125, 14);
  });

  it('lists neighbours nearest first and -1 where there are fewer than k candidates', () => {
    const nb = nearestCounties(fips, lon, lat, [true, true, true, true, false], 4);
    // D (row 3): A at 4, then B and C at 5 (B first by FIPS); only 3 candidates besides D itself.
    expect(Array.from(nb.subarray(12, 16))).toEqual([0, 1, 2, -1]);
  });

  it('keeps the raw value of a county with no other estimate, and rejects bad options', () => {
    const one = smoothCountyKnn({ fips: [1], raw: [0.4], lon: [0], lat: [0] });
    expect(one[0]).toBe(0.4);
    expect(() => smoothCountyKnn({ fips, raw, lon, lat, k: 0 })).toThrow(/k must be/);
    expect(() => smoothCountyKnn({ fips, raw, lon, lat, weight: 1.5 })).toThrow(/weight/);
    expect(() => smoothCountyKnn({ fips, raw, lon: [0, 1, NaN, 0, 1], lat, k: 1 })).toThrow(/1005/);
  });
});

describe('roundDecimal (numpy.round semantics)', () => {
  it('rounds on the binary product, exact halves to even', () => {
    // 0.2805 * 1000 = 280.49999999999994 in binary: numpy.round(0.2805, 3) == 0.28, Python round() too.
    expect(roundDecimal(0.2805, 3)).toBe(0.28);
    // 0.125 * 100 = 12.5 exactly: half to even -> 0.12 (numpy.round(0.125, 2) == 0.12); 0.375 -> 0.38.
    expect(roundDecimal(0.125, 2)).toBe(0.12);
    expect(roundDecimal(0.375, 2)).toBe(0.38);
    expect(roundDecimal(-0.375, 2)).toBe(-0.38);
    expect(roundDecimal(0.30953534856422393, 3)).toBe(0.31);
    expect(Number.isNaN(roundDecimal(NaN, 3))).toBe(true);
  });
});
