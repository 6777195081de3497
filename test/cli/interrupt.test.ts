/**
 * A run interrupted while it writes (Ctrl-C): the temporary file of the file being written is removed,
 * the files finished before it stay whole, and the process ends by the signal, as it would without a
 * handler (a shell reports exit status 130).
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

describe('an interrupted write', () => {
  it('SIGINT while visits.csv is being written: no temporary file left, no visits.csv, ended by SIGINT', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mobiseg-sigint-')), 'city');
    // the default city's visits.csv is 13 MB, written in blocks of 50,000 rows with a wait between them
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'simulate', '--format', 'csv', '--out', out], { stdio: 'ignore' });
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const writingVisits = (): boolean => existsSync(out) && readdirSync(out).some((f) => f.startsWith('.visits.csv.') && f.endsWith('.tmp'));
    const deadline = Date.now() + 60_000;
    while (!writingVisits() && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
    expect(writingVisits()).toBe(true);
    child.kill('SIGINT');
    const { code, signal } = await ended;
    expect(signal).toBe('SIGINT');
    expect(code).toBe(null);
    const left = readdirSync(out);
    expect(left.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(left).not.toContain('visits.csv');
    expect(left).toEqual(expect.arrayContaining(['persons.csv', 'places.csv']));
  }, 120_000);
});
