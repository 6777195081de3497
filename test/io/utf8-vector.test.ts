/**
 * Text columns of Arrow files are written by utf8Vector (offsets and bytes built directly); the file
 * bytes must be those apache-arrow's own builder (vectorFromArray) gives for the same texts, with and
 * without missing values, with non-ASCII texts, empty texts and more distinct texts than it caches.
 */
import { describe, it, expect } from 'vitest';
import { Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { utf8Vector } from '../../src/io/table-writer.js';

const ipc = (v: ReturnType<typeof utf8Vector>) => Buffer.from(tableToIPC(new Table({ t: v }), 'file'));

describe('utf8Vector', () => {
  const cases: Record<string, Array<string | null>> = {
    'repeated names': Array.from({ length: 1000 }, (_, i) => `Synthetic Área ${i % 7}, XS`),
    'with missing values and empty texts': Array.from({ length: 1003 }, (_, i) => (i % 5 === 0 ? null : i % 7 === 0 ? '' : `tract ${i % 13} — ü`)),
    'more distinct texts than the cache': Array.from({ length: 70000 }, (_, i) => (i % 11 === 3 ? null : `person-${i}`)),
    'only missing values': [null, null, null],
    empty: [],
  };
  for (const [name, values] of Object.entries(cases)) {
    it(`writes the same Arrow file bytes as apache-arrow's builder: ${name}`, () => {
      const mine = utf8Vector(values);
      expect(mine.toArray()).toEqual(values);
      expect(ipc(mine).equals(ipc(vectorFromArray(values, new Utf8())))).toBe(true);
    });
  }
});
