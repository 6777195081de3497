/**
 * `mobiseg serve` as a process: it prints the address it listens on (127.0.0.1 by default), serves the
 * page, and Ctrl-C (SIGINT) stops it cleanly: exit code 0, its temporary folder removed.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

describe('mobiseg serve', () => {
  it('prints its URL, serves the page, and stops on SIGINT during a run with exit code 0 leaving no temporary folder', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'mobiseg-serve-cli-'));
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve', '--port', '0', '--threads', '1'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += String(c)));
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 60_000;
    while (!/on (http:\S+)/.test(stdout) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    const url = /mobiseg planner on (http:\/\/127\.0\.0\.1:\d+\/) \(Ctrl-C stops it\)/.exec(stdout)?.[1];
    expect(url, stdout + stderr).toBeDefined();
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>mobiseg planner</title>');
    expect(readdirSync(tmp).filter((f) => f.startsWith('mobiseg-serve-'))).toHaveLength(1);
    // a long run under way when Ctrl-C comes
    const body = JSON.stringify({ name: 'long', base: { city: 'tiny' }, interventions: [], seeds: 5000 });
    const job = (await (await fetch(`${url}api/jobs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body })).json()) as { id: string };
    const running = async () => ((await (await fetch(`${url}api/jobs/${job.id}`)).json()) as { progress: { seedsDone: number } }).progress.seedsDone > 0;
    while (!(await running()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    child.kill('SIGINT');
    const { code, signal } = await ended;
    expect(stderr).toMatch(/SIGINT: stopping/);
    expect(stdout).toMatch(/mobiseg planner stopped\n$/);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(stderr).toMatch(/\(long\) cancelled: the server stopped/);
    expect(readdirSync(tmp).filter((f) => f.startsWith('mobiseg-serve-'))).toEqual([]);
  }, 120_000);

  it('bad options are usage errors (exit code 2) naming the option', async () => {
    const port = await runCli('serve', '--port', '70000');
    expect(port.code).toBe(2);
    expect(port.stderr).toMatch(/--port must be an integer in \[0, 65535\], got "70000"/);
    const data = await runCli('serve', '--port', '0', '--data', join(tmpdir(), 'no-such-folder-mobiseg'));
    expect(data.code).toBe(2);
    expect(data.stderr).toMatch(/--data .*no-such-folder-mobiseg: no such folder/);
  });
});
