/**
 * --out checks made before any work: a folder or file that cannot be written fails at once, with a
 * UsageError naming the part of the path that stops it (exit code 2), and nothing is created.
 */
import { describe, it, expect } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outputFile, outputFolder } from '../../src/cli/options.js';
import { UsageError } from '../../src/io/errors.js';
import { thrownMessage } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-out-'));
const aFile = join(dir, 'a.csv');
writeFileSync(aFile, 'x\n');
mkdirSync(join(dir, 'existing'));

const usageMessage = (f: () => unknown): string => thrownMessage(f, UsageError);

describe('outputFolder', () => {
  it('accepts an existing folder and a new one under a writable folder, creating nothing', () => {
    expect(outputFolder(join(dir, 'existing'))).toBe(join(dir, 'existing'));
    expect(outputFolder(join(dir, 'new', 'deeper'))).toBe(join(dir, 'new', 'deeper'));
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('rejects a file, and a path through a file', () => {
    expect(usageMessage(() => outputFolder(aFile))).toBe(`--out ${aFile} exists and is not a folder`);
    expect(usageMessage(() => outputFolder(join(aFile, 'x', 'y')))).toBe(`--out ${join(aFile, 'x', 'y')}: ${aFile} is a file, so the folder cannot be created`);
  });
});

describe('outputFile', () => {
  it('accepts a file in an existing or a creatable folder, and an existing file (replaced atomically later)', () => {
    expect(outputFile(join(dir, 'existing', 'out.csv'))).toBe(join(dir, 'existing', 'out.csv'));
    expect(outputFile(join(dir, 'later', 'out.csv'))).toBe(join(dir, 'later', 'out.csv'));
    expect(outputFile(aFile)).toBe(aFile);
  });

  it('rejects a folder, and a file whose folder is a file', () => {
    expect(usageMessage(() => outputFile(join(dir, 'existing')))).toBe(`--out ${join(dir, 'existing')} is a folder; give the file to write`);
    expect(usageMessage(() => outputFile(join(aFile, 'out.csv')))).toBe(`--out ${join(aFile, 'out.csv')}: ${aFile} is not a folder`);
  });
});
