import { describe, it, expect } from 'vitest';
import { choiceSetRatio, placesInCategory, priceLevelOf, tasteSesCorrelation } from '../../src/simulation/places.js';

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

describe('choiceSetRatio: places per person over those of the 10,000-person reference', () => {
  it('is 1 at the reference and (P / 10,000)^(e - 1) elsewhere', () => {
    // 10,000 persons, 30 + 70 places per 10k: 100 places, 0.01 per person = the reference
    expect(choiceSetRatio([30, 70], [30, 70], 10_000)).toBeCloseTo(1, 12);
    // 40,000 persons with exponent 1.5: 100 * 4^1.5 = 800 places, 0.02 per person: k = 2 = 4^0.5
    const counts = [30, 70].map((r) => placesInCategory(r, 40_000, 1.5));
    expect(counts).toEqual([240, 560]);
    expect(choiceSetRatio(counts, [30, 70], 40_000)).toBeCloseTo(2, 12);
  });
});

describe('tasteSesCorrelation: min(1, rho k^elasticity)', () => {
  it('leaves rho alone at elasticity 0 and grows it with the choice set otherwise, capped at 1', () => {
    expect(tasteSesCorrelation(0.25, 3, 0)).toBe(0.25);
    expect(tasteSesCorrelation(0.25, 2, 1)).toBeCloseTo(0.5, 12);
    expect(tasteSesCorrelation(0.4, 0.5, 2)).toBeCloseTo(0.1, 12);
    expect(tasteSesCorrelation(0.6, 2, 1)).toBe(1);
  });
});
