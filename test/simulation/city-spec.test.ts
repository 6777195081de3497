import { describe, it, expect } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCitySpec, parseCitySpec, withResidentialSorting } from '../../src/simulation/city-spec.js';
import { formatJsonPath } from '../../src/io/json-spec.js';
import { UsageError } from '../../src/io/errors.js';
import { thrownMessage } from '../helpers/errors.js';

/** A minimal valid spec: every optional block left to its defaults. */
function minimal(): any {
  return {
    seed: 1,
    start: 1546819200,
    days: 2,
    residential_sorting: 0.5,
    categories: [{ name: 'grocery', places_per_10k: 8, visit_weight: 1, open_hour: 7, close_hour: 22, dwell_median_minutes: 20, dwell_log_sd: 0.5 }],
    msas: [
      {
        name: 'Lakeside, XS',
        population: 100,
        counties: [
          { fips: 91101, name: 'Pine County', share: 0.6 },
          { fips: 91103, name: 'Oak County', share: 0.4 },
        ],
      },
    ],
  };
}

const messageOf = (f: () => unknown): string => thrownMessage(f, UsageError);

describe('city spec validation', () => {
  it('fills the documented defaults', () => {
    const spec = parseCitySpec(minimal(), 'x.json');
    expect(spec.bin_seconds).toBe(300);
    expect(spec.ses).toEqual({ median: 1200, log_sd: 0.5, log_sd_size_elasticity: 0, household_size_shares: [0.28, 0.34, 0.16, 0.22] });
    expect(spec.mobility.ses_price_affinity).toBe(1.5);
    expect(spec.mobility.hourly_profile).toHaveLength(24);
    expect(spec.categories[0].price_affinity).toBe(1);
  });

  it('formats JSON paths', () => {
    expect(formatJsonPath(['msas', 0, 'counties', 1, 'share'])).toBe('msas[0].counties[1].share');
    expect(formatJsonPath([])).toBe('(top level)');
  });

  it('names the file and the JSON path of a bad value', () => {
    const bad = minimal();
    bad.msas[0].counties[1].share = -0.4;
    const msg = messageOf(() => parseCitySpec(bad, 'cities/bad.json'));
    expect(msg).toContain('cities/bad.json');
    expect(msg).toContain('msas[0].counties[1].share');
    const spread = minimal();
    spread.ses = { log_sd_size_elasticity: 2 };
    expect(messageOf(() => parseCitySpec(spread, 'cities/bad.json'))).toMatch(/cities\/bad\.json.*ses\.log_sd_size_elasticity/s);
  });

  it('rejects county shares that do not sum to 1, at the counties path', () => {
    const bad = minimal();
    bad.msas[0].counties[1].share = 0.3;
    expect(messageOf(() => parseCitySpec(bad, 'b.json'))).toMatch(/msas\[0\]\.counties: county shares sum to 0\.9/);
  });

  it('rejects unknown keys (typos), non-CBSA names, duplicate FIPS and closing before opening', () => {
    const typo = minimal();
    typo.mobility = { distance_decay: 2 };
    expect(messageOf(() => parseCitySpec(typo, 'b.json'))).toMatch(/mobility.*distance_decay/);
    const name = minimal();
    name.msas[0].name = 'Lakeside';
    expect(messageOf(() => parseCitySpec(name, 'b.json'))).toContain('msas[0].name');
    const dup = minimal();
    dup.msas[0].counties[1].fips = 91101;
    expect(messageOf(() => parseCitySpec(dup, 'b.json'))).toContain('msas[0].counties[1].fips: duplicate county FIPS 91101');
    const hours = minimal();
    hours.categories[0].close_hour = 7;
    expect(messageOf(() => parseCitySpec(hours, 'b.json'))).toContain('categories[0].close_hour');
  });

  it('caps tracts per county at 9,999 (6-digit tract codes 000100..999900)', () => {
    const big = minimal();
    big.msas[0].counties[0].tracts = 10000;
    expect(messageOf(() => parseCitySpec(big, 'b.json'))).toContain('msas[0].counties[0]: 10000 tracts in one county');
  });

  it('reports unreadable files and bad JSON with the file name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mobiseg-spec-'));
    expect(messageOf(() => loadCitySpec(join(dir, 'none.json')))).toContain('none.json: cannot read city spec');
    writeFileSync(join(dir, 'broken.json'), '{"seed": 1,');
    expect(messageOf(() => loadCitySpec(join(dir, 'broken.json')))).toContain('broken.json: not valid JSON');
    rmSync(dir, { recursive: true, force: true });
  });

  it('withResidentialSorting sets every MSA and drops per-MSA overrides', () => {
    const raw = minimal();
    raw.msas[0].residential_sorting = 0.1;
    const spec = withResidentialSorting(parseCitySpec(raw, 'x.json'), 0.9);
    expect(spec.residential_sorting).toBe(0.9);
    expect('residential_sorting' in spec.msas[0]).toBe(false);
    expect(() => withResidentialSorting(spec, 1.5)).toThrow(UsageError);
  });

  it('accepts the bundled city files', () => {
    for (const f of ['default', 'tiny']) expect(() => loadCitySpec(`sims/cities/${f}.json`)).not.toThrow();
  });
});
