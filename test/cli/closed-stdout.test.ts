/**
 * The CLI as a process whose stdout reader is gone (as after `mobiseg ... | head -1` has its line): no
 * crash on EPIPE, the exit code of the command, and its files still written.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Run the CLI with stdout a pipe whose reading end is closed at once, before the CLI writes. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.stdout.destroy();
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a closed stdout', () => {
  it('--help: exits 0 without an EPIPE error', async () => {
    const r = await runWithClosedStdout(['--help']);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('simulate still writes its files and exits 0', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mobiseg-epipe-')), 'city');
    const r = await runWithClosedStdout(['simulate', '--city', 'tiny', '--out', out]);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(r.code).toBe(0);
    for (const f of ['persons.csv', 'places.csv', 'visits.csv']) expect(existsSync(join(out, f))).toBe(true);
  }, 120_000);
});
