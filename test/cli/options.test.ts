/**
 * Every numeric option of every command is parsed by one helper with its range (cli/options.ts): a bad
 * value is exit 2 naming the option, the range and the text, before any input is read; and a seed is
 * the text given, as written.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { thrownMessage } from '../helpers/errors.js';
import { describeRange, parseNumberOption, parseSeed } from '../../src/cli/options.js';
import { UsageError } from '../../src/io/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-options-'));
/** a file that does not exist: reading it first would name it instead of the option */
const missing = join(dir, 'no-such-file.csv');

describe('parseNumberOption', () => {
  it('returns the number when it lies in the range, bounds included unless open', () => {
    expect(parseNumberOption('--bin', '300', { min: 1, max: 86_400 })).toBe(300);
    expect(parseNumberOption('--bin', '1', { min: 1, max: 86_400 })).toBe(1);
    expect(parseNumberOption('--bin', '86400', { min: 1, max: 86_400 })).toBe(86_400);
    expect(parseNumberOption('--day-offset', '-3600', { min: -86_400, max: 86_400 })).toBe(-3600);
    expect(parseNumberOption('--weight', '.25', { min: 0, max: 1 })).toBe(0.25);
    expect(parseNumberOption('--k', '1e1', { integer: true, min: 1 })).toBe(10);
    expect(parseNumberOption('--k', ' 7 ', { integer: true, min: 1 })).toBe(7);
  });

  it('rejects text that is not a plain decimal number, non-finite values, non-integers and values out of range, naming the option', () => {
    const bad: Array<[string, Parameters<typeof parseNumberOption>[2], string]> = [
      ['5h', {}, 'a finite number'],
      ['x', {}, 'a finite number'],
      ['', {}, 'a finite number'],
      ['Infinity', {}, 'a finite number'],
      ['1e400', {}, 'a finite number'],
      ['0x10', {}, 'a finite number'],
      ['1.5', { integer: true, min: 1 }, 'an integer >= 1'],
      ['0', { min: 0, minOpen: true }, 'a positive number'],
      ['1', { min: 0, max: 1, minOpen: true, maxOpen: true }, 'a number in (0, 1)'],
      ['1e-9', { min: 1, max: 86_400 }, 'a number in [1, 86400]'],
      ['9007199254740993', { integer: true, min: 0 }, 'an integer >= 0'],
    ];
    for (const [text, range, described] of bad) {
      expect(describeRange(range)).toBe(described);
      expect(thrownMessage(() => parseNumberOption('--opt', text, range), UsageError)).toBe(`--opt must be ${described}, got "${text}"`);
    }
  });

  it('a seed is the text given: 1, 01 and 1e0 are three seeds; empty or space-padded text is refused', () => {
    expect(['1', '01', '1e0', 'abc'].map(parseSeed)).toEqual(['1', '01', '1e0', 'abc']);
    expect(thrownMessage(() => parseSeed(''), UsageError)).toBe('--seed must not be empty');
    expect(thrownMessage(() => parseSeed(' 1'), UsageError)).toBe('--seed must not begin or end with spaces, got " 1"');
  });
});

describe('every numeric option of every command is checked before any input is read', () => {
  const inputs = ['--persons', missing, '--visits', missing];
  const cases: Array<[string[], string, string, string]> = [
    // [command and its other arguments, option, bad value, the range in the message]
    [['run', ...inputs, '--out', join(dir, 'o')], '--bin', '1e-9', 'a number in [1, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--bin', '90000', 'a number in [1, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--min-days', '1.5', 'an integer in [1, 100000]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--day-offset', '5h', 'a number in [-86400, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--day-offset', 'x', 'a number in [-86400, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--day-offset', 'Infinity', 'a number in [-86400, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--day-offset', '90000', 'a number in [-86400, 86400]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--max-people', '0', 'an integer >= 1'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--bootstrap', '-1', 'an integer in [0, 1000000]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--permutations', '2.5', 'an integer in [0, 1000000]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--threads', '0', 'an integer in [1, 256]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--k', '0', 'an integer in [1, 10000]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--weight', '2', 'a number in [0, 1]'],
    [['run', ...inputs, '--out', join(dir, 'o')], '--weight', 'abc', 'a number in [0, 1]'],
    [['smooth', '--county', missing, '--out', join(dir, 's.csv')], '--k', '0', 'an integer in [1, 10000]'],
    [['smooth', '--county', missing, '--out', join(dir, 's.csv')], '--weight', '-0.1', 'a number in [0, 1]'],
    [['smooth', '--county', missing, '--out', join(dir, 's.csv')], '--round', '16', 'an integer in [0, 15]'],
    [['validate', '--msa', missing], '--top', '-1', 'an integer in [0, 10000]'],
    [['calibrate', '--city', missing, '--out', join(dir, 'c')], '--smallest', '5', 'an integer in [10, 1000000]'],
    [['calibrate', '--city', missing, '--out', join(dir, 'c')], '--exponent', '2', 'a number in [0.05, 1]'],
    [['calibrate', '--city', missing, '--out', join(dir, 'c')], '--every', '0', 'an integer in [1, 382]'],
    [['calibrate', '--city', missing, '--out', join(dir, 'c')], '--threads', '999', 'an integer in [1, 256]'],
    [['simulate', '--city', missing, '--out', join(dir, 'm')], '--sorting', '1.5', 'a number in [0, 1]'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--level', '1', 'a number in (0, 1)'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--share-tolerance', '0', 'a number in (0, 1]'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--alpha', '0', 'a positive number'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--beta', 'x', 'a positive number'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--permutations', '-1', 'an integer in [0, 1000000]'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--bootstrap', '1.5', 'an integer in [0, 1000000]'],
    [['residential', '--units', missing, '--groups', 'a,b', '--out', join(dir, 'r')], '--centre', ',3', 'a finite number'],
  ];
  for (const [args, option, value, range] of cases) {
    it(`${args[0]} ${option} ${value}`, async () => {
      const r = await runCli(...args, option, value);
      expect(r.code).toBe(2);
      const shown = option === '--centre' ? '--centre X' : option;
      expect(r.stderr).toBe(`mobiseg: ${shown} must be ${range}, got "${option === '--centre' ? '' : value}"\n`);
    });
  }
});

describe('seeds', () => {
  const simulate = async (seed: string, name: string) => {
    const out = join(dir, name);
    const r = await runCli('simulate', '--city', 'tiny', '--out', out, '--seed', seed, '--quiet');
    expect(r.code, r.stderr).toBe(0);
    return { seed: JSON.parse(readFileSync(join(out, 'city.json'), 'utf8')).seed, visits: readFileSync(join(out, 'visits.csv'), 'utf8') };
  };
  it('01 and 1 are different seeds (different cities), recorded as given; the same seed gives the same city', async () => {
    const one = await simulate('1', 'seed-1');
    const zeroOne = await simulate('01', 'seed-01');
    const again = await simulate('1', 'seed-1-again');
    expect(one.seed).toBe('1');
    expect(zeroOne.seed).toBe('01');
    expect(again.visits).toBe(one.visits);
    expect(zeroOne.visits).not.toBe(one.visits);
  });
});
