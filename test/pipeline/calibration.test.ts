import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

// the 382-MSA sweep itself is in test/slow/calibration.test.ts (npm run test:slow)
const root = mkdtempSync(join(tmpdir(), 'mobiseg-calibrate-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('mobiseg calibrate options', () => {
  it('rejects a bad option with a usage error', async () => {
    const r = await runCli('calibrate', '--out', join(root, 'bad'), '--exponent', '2');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--exponent must be a number in \[0.05, 1\], got "2"/);
  });
});
