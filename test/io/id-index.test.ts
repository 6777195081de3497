import { describe, it, expect } from 'vitest';
import { IdIndex } from '../../src/io/id-index.js';
import { createRng } from '../../src/math/random.js';

describe('IdIndex', () => {
  it('gives every distinct id one dense index in order of first appearance, across dense, sparse, negative and text ids', () => {
    const ids = new IdIndex();
    const rng = createRng(5);
    const reference = new Map<string, number>();
    const keys: Array<string | number> = [];
    for (let k = 0; k < 200_000; k++) {
      const r = rng.next();
      const key = r < 0.5 ? rng.int(60_000) : r < 0.7 ? 1e9 + rng.int(1e6) : r < 0.8 ? -rng.int(1000) : `id-${rng.int(30_000)}`;
      keys.push(key);
      const canonical = String(key);
      if (!reference.has(canonical)) reference.set(canonical, reference.size);
      const idx = typeof key === 'number' ? ids.internInteger(key, true) : ids.internString(key, true);
      expect(idx).toBe(reference.get(canonical));
    }
    expect(ids.size).toBe(reference.size);
    for (const [canonical, idx] of reference) expect(String(ids.idOf(idx))).toBe(canonical);
    // lookups without insert: known ids found, unknown ones -1, and nothing added
    expect(ids.internInteger(59_999 + 100_000, false)).toBe(-1);
    expect(ids.internString('id-unknown', false)).toBe(-1);
    expect(ids.internString(String(keys[7]), false)).toBe(reference.get(String(keys[7])));
    const bytes = new TextEncoder().encode(`x,${keys[11]},y`);
    expect(ids.internBytes(bytes, 2, bytes.length - 2, false)).toBe(reference.get(String(keys[11])));
    expect(ids.size).toBe(reference.size);
  });
});
