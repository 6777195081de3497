import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, TimestampMillisecond, TimestampNanosecond, Utf8, Dictionary, Int32, Vector, makeData, vectorFromArray, makeVector, tableToIPC } from 'apache-arrow';
import { loadPersons } from '../../src/io/load-persons.js';
import { concatVisitChunks, loadVisits } from '../../src/io/load-visits.js';
import { IdIndex } from '../../src/io/id-index.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-arrow-'));

/*
 * What pyarrow and pandas usually write: int64 ids, dictionary-encoded text, timestamps in ms or ns,
 * and nulls. Both IPC formats (file and stream).
 */
describe('Arrow inputs as other tools write them', () => {
  const persons = new Table({
    person_id: makeVector(BigInt64Array.from([101n, 102n, 103n])),
    ses: makeVector(Float64Array.from([1.5, 2.5, 3.5])),
    msa: vectorFromArray(['Akron, OH', 'Akron, OH', 'Albany, GA'], new Dictionary(new Utf8(), new Int32())),
  });
  const t0 = Date.UTC(2021, 0, 1, 8, 0, 0);
  const visits = new Table({
    person_id: makeVector(BigInt64Array.from([101n, 103n, 102n, 101n])),
    place_id: vectorFromArray(['cafe', 'park', 'cafe', null], new Dictionary(new Utf8(), new Int32())),
    start: vectorFromArray([new Date(t0), new Date(t0 + 60_000), new Date(t0 + 120_000), new Date(t0)], new TimestampMillisecond()),
    // arrow-js builders take epoch milliseconds for every timestamp unit and store nanoseconds here
    end: vectorFromArray([t0 + 600_000, null, t0 + 900_000, t0 + 60_000], new TimestampNanosecond()),
  });

  for (const format of ['file', 'stream'] as const) {
    it(`reads int64 ids, dictionary text, ms and ns timestamps and nulls (IPC ${format} format)`, async () => {
      const pf = join(dir, `persons-${format}.arrow`);
      const vf = join(dir, `visits-${format}.arrow`);
      writeFileSync(pf, tableToIPC(persons, format));
      writeFileSync(vf, tableToIPC(visits, format));
      const p = await loadPersons(pf);
      expect([0, 1, 2].map((i) => p.ids.idOf(i))).toEqual([101, 102, 103]);
      expect(p.msa!.names).toEqual(['Akron, OH', 'Albany, GA']);
      expect(Array.from(p.msa!.codes)).toEqual([0, 0, 1]);
      const places = new IdIndex();
      const v = await loadVisits(vf, p.ids, places, { placesFixed: false, dropInvalid: true });
      // the visit with a null place is dropped and counted
      expect(v.dropped).toEqual({ 'missing id (column place_id)': 1 });
      const columns = concatVisitChunks(v.chunks);
      expect(Array.from(columns.person)).toEqual([0, 2, 1]);
      expect([0, 1].map((q) => places.idOf(q))).toEqual(['cafe', 'park']);
      expect(Array.from(columns.start)).toEqual([t0 / 1000, t0 / 1000 + 60, t0 / 1000 + 120]);
      expect(Array.from(columns.end)).toEqual([t0 / 1000 + 600, NaN, t0 / 1000 + 900]);
    });
  }
});

/**
 * A dictionary-encoded id column whose dictionary is not in the order of first appearance and holds an
 * entry no row uses (as pandas categoricals and concatenated tables often are): the ids must come out
 * as from plain text, in order of first appearance, and an unused entry is no person and no place.
 */
function dictionaryIds(dictionary: string[], keys: number[]): Vector {
  const type = new Dictionary(new Utf8(), new Int32());
  return new Vector([makeData({ type, length: keys.length, nullCount: 0, data: Int32Array.from(keys), dictionary: vectorFromArray(dictionary, new Utf8()) })]);
}

describe('dictionary-encoded Arrow ids', () => {
  it('maps ids in order of first appearance and adds no unused dictionary entry', async () => {
    const pf = join(dir, 'persons-dict.arrow');
    const vf = join(dir, 'visits-dict.arrow');
    // persons b, a, c (rows); dictionary [ghost, c, a, b]: "ghost" is no person
    const persons = new Table({ person_id: dictionaryIds(['ghost', 'c', 'a', 'b'], [3, 2, 1]), ses: makeVector(Float64Array.from([2, 1, 3])) });
    // visits: cafe, park, cafe; dictionary [closed, park, cafe]: "closed" is no place
    const visits = new Table({
      person_id: dictionaryIds(['ghost', 'c', 'a', 'b'], [2, 3, 1]),
      place_id: dictionaryIds(['closed', 'park', 'cafe'], [2, 1, 2]),
      start: makeVector(Float64Array.from([100, 200, 300])),
    });
    writeFileSync(pf, tableToIPC(persons, 'file'));
    writeFileSync(vf, tableToIPC(visits, 'file'));
    const p = await loadPersons(pf);
    expect(p.count).toBe(3);
    expect(p.ids.size).toBe(3);
    expect([0, 1, 2].map((i) => p.ids.idOf(i))).toEqual(['b', 'a', 'c']);
    expect(Array.from(p.ses)).toEqual([2, 1, 3]);
    const places = new IdIndex();
    const v = await loadVisits(vf, p.ids, places, { placesFixed: false });
    expect(places.size).toBe(2);
    expect([0, 1].map((q) => places.idOf(q))).toEqual(['cafe', 'park']);
    const columns = concatVisitChunks(v.chunks);
    expect(Array.from(columns.person)).toEqual([1, 0, 2]);
    expect(Array.from(columns.place)).toEqual([0, 1, 0]);
  });
});
