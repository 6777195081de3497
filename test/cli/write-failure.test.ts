/**
 * An output the system refuses mid-run. A file-size limit (`ulimit -f`, which needs no privileges) makes
 * the write of the largest file fail for real with EFBIG, the same path as a full disk: the CLI names the
 * file asked for (not its temporary sibling), exits 3, removes the temporary file and leaves an earlier
 * file of that name as it was.
 */
import { describe, it, expect } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asOutputError, OutputError } from '../../src/io/errors.js';

const main = join(import.meta.dirname, '..', '..', 'src', 'cli', 'main.ts');

/** Run the CLI under a file-size limit of `kib` KiB (bash counts ulimit -f in 1024-byte blocks; dash in 512). */
function runWithFileSizeLimit(kib: number, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const quoted = [process.execPath, '--import', 'tsx', main, ...args].map((a) => `'${a}'`).join(' ');
    const child = spawn('bash', ['-c', `ulimit -f ${kib} && exec ${quoted}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b) => (stderr += String(b)));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('a write the system refuses', () => {
  // the tiny city: persons.csv 36 KB, visits.csv 72 KB; persons.arrow 38 KB, visits.arrow 63 KB
  it('a streamed CSV: message names the file, exit 3, no temporary file, the earlier file kept', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mobiseg-efbig-')), 'city');
    mkdirSync(out);
    writeFileSync(join(out, 'visits.csv'), 'an earlier run\n');
    const r = await runWithFileSizeLimit(50, ['simulate', '--city', 'tiny', '--format', 'csv', '--out', out]);
    expect(r.stderr.trim()).toBe(`mobiseg: cannot write ${join(out, 'visits.csv')}: file too large for the file-size limit (see ulimit -f) (EFBIG)`);
    expect(r.code).toBe(3);
    expect(readFileSync(join(out, 'visits.csv'), 'utf8')).toBe('an earlier run\n');
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, 'persons.csv'))).toBe(true); // written before the limit was reached
  }, 120_000);

  it('a whole-buffer Arrow file: the same message and exit code, nothing under the final name', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mobiseg-efbig-')), 'city');
    const r = await runWithFileSizeLimit(50, ['simulate', '--city', 'tiny', '--format', 'arrow', '--out', out]);
    expect(r.stderr.trim()).toBe(`mobiseg: cannot write ${join(out, 'visits.arrow')}: file too large for the file-size limit (see ulimit -f) (EFBIG)`);
    expect(r.code).toBe(3);
    expect(existsSync(join(out, 'visits.arrow'))).toBe(false);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});

describe('asOutputError', () => {
  it('names the file asked for and the system code, and passes on errors that are not system errors', () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/d/.msa.csv.1.ab.tmp'"), { code: 'ENOSPC' });
    const e = asOutputError('/d/msa.csv', enospc);
    expect(e).toBeInstanceOf(OutputError);
    expect((e as OutputError).message).toBe('cannot write /d/msa.csv: no space left on the device (ENOSPC)');
    expect((e as OutputError).exitCode).toBe(3);
    // a code without a wording of its own keeps Node's description, without the temporary path
    const other = Object.assign(new Error("ETXTBSY: text file is busy, open '/d/.x.tmp'"), { code: 'ETXTBSY' });
    expect((asOutputError('/d/x', other) as Error).message).toBe('cannot write /d/x: text file is busy (ETXTBSY)');
    const bug = new TypeError('x is undefined');
    expect(asOutputError('/d/msa.csv', bug)).toBe(bug);
  });
});
