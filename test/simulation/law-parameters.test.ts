import { describe, it, expect } from 'vitest';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { DEFAULT_FIT_PARAMETERS, lawValue, parseLawParameter, withLaws } from '../../src/simulation/law-parameters.js';

const spec = loadCitySpec('sims/cities/tiny.json');

describe('named laws of a city spec', () => {
  it('reads a law by its dotted path', () => {
    expect(lawValue(spec, 'residential_sorting')).toBe(spec.residential_sorting);
    expect(lawValue(spec, 'ses.log_sd')).toBe(spec.ses.log_sd);
    for (const p of DEFAULT_FIT_PARAMETERS) expect(Number.isFinite(lawValue(spec, p.path))).toBe(true);
  });

  it('refuses per-city inputs, unknown paths and non-numbers', () => {
    expect(() => lawValue(spec, 'msas.0.population')).toThrow(/not a law shared by all MSAs/);
    expect(() => lawValue(spec, 'categories.0.places_per_10k')).toThrow(/not a law shared by all MSAs/);
    expect(() => lawValue(spec, 'mobility.no_such_law')).toThrow(/not a numeric field/);
    expect(() => lawValue(spec, 'mobility.hourly_profile')).toThrow(/not a numeric field/);
  });

  it('parses PATH=LOWER:UPPER and rejects malformed or empty ranges', () => {
    expect(parseLawParameter('ses.log_sd=0.3:1.3')).toEqual({ path: 'ses.log_sd', lower: 0.3, upper: 1.3 });
    expect(() => parseLawParameter('ses.log_sd=1:1')).toThrow(/--param must be PATH=LOWER:UPPER/);
    expect(() => parseLawParameter('ses.log_sd')).toThrow(/--param must be PATH=LOWER:UPPER/);
    expect(() => parseLawParameter('ses.log_sd=a:2')).toThrow(/got "ses.log_sd=a:2"/);
  });

  it('sets the laws, leaves the rest and the MSAs alone, and validates the result', () => {
    const params = [parseLawParameter('ses.log_sd=0.3:1.3'), parseLawParameter('mobility.price_taste_choice_elasticity=0:2')];
    const s = withLaws(spec, params, [0.9, 1.5]);
    expect(s.ses.log_sd).toBe(0.9);
    expect(s.mobility.price_taste_choice_elasticity).toBe(1.5);
    expect(s.ses.median).toBe(spec.ses.median);
    expect(s.msas).toEqual(spec.msas);
    expect(spec.ses.log_sd).not.toBe(0.9); // the input is not changed
    // residential sorting is a probability: 1.5 is refused with the path named
    expect(() => withLaws(spec, [parseLawParameter('residential_sorting=0:2')], [1.5])).toThrow(/residential_sorting/);
  });
});
