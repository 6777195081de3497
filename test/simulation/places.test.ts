import { describe, it, expect } from 'vitest';
import { placesInCategory, priceLevelOf } from '../../src/simulation/places.js';

describe('placesInCategory: round(per10k * (P / 10,000)^exponent), at least 1', () => {
  it('matches hand-computed counts', () => {
    // 25 * 1.4^1.15 = 25 * exp(1.15 * 0.336472) = 25 * 1.47255 = 36.81 -> 37
    expect(placesInCategory(25, 14000, 1.15)).toBe(37);
    // 25 * 0.6^1.15 = 25 * exp(1.15 * -0.510826) = 25 * 0.55571 = 13.89 -> 14
    expect(placesInCategory(25, 6000, 1.15)).toBe(14);
    // exponent 1: proportional to size, 8 per 10k at 2,500 persons -> 2
    expect(placesInCategory(8, 2500, 1)).toBe(2);
    // never zero
    expect(placesInCategory(5, 100, 1.15)).toBe(1);
  });

  it('gives large cities more places per person when the exponent exceeds 1, the same when it is 1', () => {
    const perPerson = (p: number, b: number) => placesInCategory(100, p, b) / p;
    expect(perPerson(1_000_000, 1.15)).toBeGreaterThan(perPerson(10_000, 1.15) * 1.9); // 100^0.15 = 1.995
    expect(perPerson(1_000_000, 1)).toBeCloseTo(perPerson(10_000, 1), 12);
  });
});

describe('priceLevelOf', () => {
  it('cuts price positions into quartiles', () => {
    expect([0.01, 0.2499, 0.25, 0.5, 0.74, 0.75, 0.999].map(priceLevelOf)).toEqual([1, 1, 2, 3, 3, 4, 4]);
  });
});
