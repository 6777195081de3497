import { describe, it, expect } from 'vitest';
import { loadCitySpec, parseCitySpec } from '../../src/simulation/city-spec.js';
import { msaSweepSpec, syntheticTitle } from '../../src/simulation/msa-sweep.js';

const base = loadCitySpec('sims/cities/default.json');
const real = [
  { title: 'Smallville, KS', population: 50_000 },
  { title: 'Metropolis, NY-NJ', population: 5_000_000 },
  { title: 'Midtown, OH', population: 200_000 },
];

describe('msaSweepSpec', () => {
  it('sizes each MSA as smallest * (population / smallest)^exponent, largest first, with the real population kept', () => {
    const spec = msaSweepSpec(base, real, { smallestPersons: 500, exponent: 0.5 }, 'sweep', 'test');
    // 5,000,000 / 50,000 = 100 -> 500 * 10 = 5000; 200,000 / 50,000 = 4 -> 500 * 2 = 1000
    expect(spec.msas.map((m) => [m.name, m.population, m.reference_population])).toEqual([
      ['Synthetic Metropolis, NY-NJ', 5000, 5_000_000],
      ['Synthetic Midtown, OH', 1000, 200_000],
      ['Synthetic Smallville, KS', 500, 50_000],
    ]);
    // exponent 1: one scale factor for all (1/100 here)
    const uniform = msaSweepSpec(base, real, { smallestPersons: 500, exponent: 1 }, 'sweep', 'test');
    expect(uniform.msas.map((m) => m.population)).toEqual([50_000, 2000, 500]);
  });

  it('keeps every law of the base spec and gives each MSA one county with an unassigned state FIPS, on a grid', () => {
    const spec = msaSweepSpec(base, real, { smallestPersons: 500, exponent: 0.5 }, 'sweep', 'test');
    const { msas: _a, name: _b, description: _c, ...laws } = spec;
    const { msas: _d, name: _e, description: _f, ...baseLaws } = base;
    expect(laws).toEqual(baseLaws);
    expect(spec.msas.map((m) => m.counties)).toEqual([
      [{ fips: 93001, name: 'Metropolis County', share: 1 }],
      [{ fips: 93003, name: 'Midtown County', share: 1 }],
      [{ fips: 93005, name: 'Smallville County', share: 1 }],
    ]);
    expect(spec.msas.map((m) => [m.center_lat, m.center_lon])).toEqual([[20, -130], [20, -128], [20, -126]]);
    // a valid spec (zod schema and its cross-field checks)
    expect(() => parseCitySpec(JSON.parse(JSON.stringify(spec)), 'sweep')).not.toThrow();
    expect(syntheticTitle('Abilene, TX')).toBe('Synthetic Abilene, TX');
  });

  it('rejects a bad scaling', () => {
    expect(() => msaSweepSpec(base, real, { smallestPersons: 500, exponent: 0 }, 's', 'd')).toThrow(/exponent/);
    expect(() => msaSweepSpec(base, real, { smallestPersons: 1, exponent: 0.5 }, 's', 'd')).toThrow(/smallestPersons/);
    expect(() => msaSweepSpec(base, [], { smallestPersons: 500, exponent: 0.5 }, 's', 'd')).toThrow(/no MSAs/);
  });
});
