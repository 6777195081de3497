/** isInside: what lies in a served folder, by path alone (links are checked by fileInside). */
import { describe, it, expect } from 'vitest';
import { join, resolve } from 'node:path';
import { isInside } from '../../src/serve/safe-path.js';

describe('isInside', () => {
  const root = resolve('/srv/data');
  it('the folder itself and what lies below it, including names that start with two dots', () => {
    expect(isInside(root, root)).toBe(true);
    expect(isInside(root, join(root, 'city', 'persons.csv'))).toBe(true);
    expect(isInside(root, join(root, '..cache', 'persons.csv'))).toBe(true);
    expect(isInside(root, join(root, '...'))).toBe(true);
  });
  it('not its parent, a sibling with the same prefix, or anything above', () => {
    expect(isInside(root, resolve('/srv'))).toBe(false);
    expect(isInside(root, resolve('/srv/data2/x.csv'))).toBe(false);
    expect(isInside(root, resolve('/etc/passwd'))).toBe(false);
  });
});
