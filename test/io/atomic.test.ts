import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAtomicStream, writeFileAtomic } from '../../src/io/atomic.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-atomic-'));

describe('atomic output', () => {
  it('a stream shows nothing under the final name until commit, and leaves no listeners behind', async () => {
    const path = join(dir, 'big.txt');
    const out = openAtomicStream(path);
    const chunk = 'x'.repeat(1 << 16);
    for (let k = 0; k < 200; k++) await out.write(chunk); // 12.5 MiB: many waits for drain
    expect(existsSync(path)).toBe(false);
    expect(out.stream.listenerCount('error')).toBeLessThanOrEqual(1);
    await out.commit();
    expect(readFileSync(path, 'utf8').length).toBe(200 * (1 << 16));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('abort removes the temporary file and leaves an earlier file untouched', async () => {
    const path = join(dir, 'keep.txt');
    writeFileAtomic(path, 'old');
    const out = openAtomicStream(path);
    await out.write('new, half written');
    out.abort();
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
