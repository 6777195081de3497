import { describe, it, expect, afterAll } from 'vitest';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { loadCitySpec } from '../../src/simulation/city-spec.js';
import { nthSeed } from '../../src/pipeline/calibration-fit.js';
import { FIT_TERMS } from '../../src/validate/calibration-loss.js';

const root = mkdtempSync(join(tmpdir(), 'mobiseg-fit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mobiseg calibrate --fit options (checked before any work)', () => {
  const bad = async (args: string[], message: RegExp) => {
    const out = join(root, `bad-${args.join('').replace(/\W/g, '')}`);
    const r = await runCli('calibrate', '--fit', '--out', out, ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(out, 'fit.csv'))).toBe(false);
  };
  it('rejects a bad budget, a bad range and a path that is no shared law', async () => {
    await bad(['--evaluations', '0'], /--evaluations must be an integer in \[1, 10000\], got "0"/);
    await bad(['--check-seeds', '-1'], /--check-seeds must be an integer in \[0, 100\]/);
    await bad(['--param', 'ses.log_sd=2:1'], /--param must be PATH=LOWER:UPPER with LOWER < UPPER/);
    await bad(['--param', 'msas.0.population=100:200'], /not a law shared by all MSAs/);
    await bad(['--param', 'mobility.nope=0:1'], /not a numeric field of the city spec/);
  });
  it('refuses --param without --fit', async () => {
    const r = await runCli('calibrate', '--out', join(root, 'nofit'), '--param', 'ses.log_sd=0.3:1');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--param needs --fit/);
  });
});

describe('nthSeed', () => {
  it('counts up from an integer seed and suffixes any other', () => {
    expect([0, 1, 2].map((i) => nthSeed('7', i))).toEqual(['7', '8', '9']);
    expect(nthSeed('abc', 0)).toBe('abc');
    expect(nthSeed('abc', 2)).toBe('abc-2');
  });
});

describe('mobiseg calibrate --fit, a tiny search (6 MSAs of 200 to ~1,100 persons, 4 evaluations)', () => {
  it('writes the path, picks its best point, and the chosen spec holds the best laws', async () => {
    const out = join(root, 'fit');
    const args = ['calibrate', '--fit', '--every', '64', '--smallest', '200', '--evaluations', '4', '--lhs', '2', '--fit-seeds', '1', '--check-seeds', '0', '--threads', '1', '--quiet', '--city', 'tiny', '--out', out];
    const r = await runCli(...args, '--param', 'mobility.price_taste_ses_correlation=0.2:1', '--param', 'ses.log_sd=0.3:1.3');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const path = await readSmallTable(join(out, 'fit.csv'));
    const phase = path.text('phase');
    // the base laws (projected onto the ranges), 2 hypercube points, then Nelder-Mead
    expect(phase.slice(0, 3)).toEqual(['base', 'lhs', 'lhs']);
    expect(phase.length).toBeGreaterThanOrEqual(3);
    expect(phase.length).toBeLessThanOrEqual(4);
    const taste = path.numbers('mobility.price_taste_ses_correlation');
    const logSd = path.numbers('ses.log_sd');
    const loss = path.numbers('loss');
    // the base is tiny.json's own laws where they fall in the ranges
    const tiny = loadCitySpec('sims/cities/tiny.json');
    expect(taste[0]).toBeCloseTo(Math.min(1, Math.max(0.2, tiny.mobility.price_taste_ses_correlation)), 12);
    expect(logSd[0]).toBeCloseTo(Math.min(1.3, Math.max(0.3, tiny.ses.log_sd)), 12);
    // the two hypercube points sit in different halves of each range (2 strata per axis)
    expect(Math.floor((taste[1] - 0.2) / 0.4)).not.toBe(Math.floor((taste[2] - 0.2) / 0.4));
    expect(Math.floor((logSd[1] - 0.3) / 0.5)).not.toBe(Math.floor((logSd[2] - 0.3) / 0.5));
    // the loss is the sum of squared misses, at least the KS term's (KS / 0.12)^2 when KS is present
    const ks = path.numbers('KS distance of ES', { allowMissing: true });
    for (let i = 0; i < loss.length; i++) expect(loss[i]).toBeGreaterThanOrEqual((ks[i] / 0.12) ** 2 - 1e-9);
    expect(path.names).toEqual(expect.arrayContaining(FIT_TERMS.map((t) => t.label)));
    // the chosen spec: the laws of the evaluation with the least loss, MSAs of the base
    let best = 0;
    for (let i = 1; i < loss.length; i++) if (loss[i] < loss[best]) best = i;
    const chosen = loadCitySpec(join(out, 'city.json'));
    expect(chosen.mobility.price_taste_ses_correlation).toBeCloseTo(taste[best], 12);
    expect(chosen.ses.log_sd).toBeCloseTo(logSd[best], 12);
    expect(chosen.msas).toEqual(tiny.msas);
    expect(r.stdout).toMatch(new RegExp(`best: evaluation ${best + 1} `));
    expect(r.stdout.split('\n').filter((l) => /^#\d+ (base|lhs|nelder-mead) /.test(l))).toHaveLength(loss.length);
  }, 120_000);
});
