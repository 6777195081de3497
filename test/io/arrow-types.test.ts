import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, TimestampMillisecond, TimestampNanosecond, Utf8, LargeUtf8, Dictionary, Int32, Vector, makeData, vectorFromArray, makeVector, tableToIPC } from 'apache-arrow';
import { loadPersons } from '../../src/io/load-persons.js';
import { concatVisitChunks, loadVisits } from '../../src/io/load-visits.js';
import { IdIndex } from '../../src/io/id-index.js';
import { decodeIds } from '../../src/io/column-decode.js';

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

/**
 * 64-bit integer ids, as pandas and pyarrow write them: small ones (within int32) map like int32 ids,
 * and large ones (hashed device ids) stay distinct: a double would round ids past 2^53 together.
 * Both map to the same dense ids as the same ids spelled in a CSV.
 */
describe('int64 ids', () => {
  it('keeps ids past 2^53 apart and maps every id as its CSV spelling does', async () => {
    const big = 2n ** 60n;
    const personIds = [7n, big + 1n, big + 2n, -3n, 2n ** 31n, 12n];
    const placeIds = [2n ** 53n, 2n ** 53n + 1n, 5n, 2n ** 53n];
    const pf = join(dir, 'persons-int64.arrow');
    const vf = join(dir, 'visits-int64.arrow');
    writeFileSync(pf, tableToIPC(new Table({ person_id: makeVector(BigInt64Array.from(personIds)), ses: makeVector(Float64Array.from([1, 2, 3, 4, 5, 6])) }), 'file'));
    const visitPersons = [big + 2n, big + 1n, 7n, 2n ** 31n];
    writeFileSync(vf, tableToIPC(new Table({ person_id: makeVector(BigInt64Array.from(visitPersons)), place_id: makeVector(BigInt64Array.from(placeIds)), start: makeVector(Float64Array.from([1, 2, 3, 4])) }), 'file'));
    const p = await loadPersons(pf);
    expect(p.count).toBe(6);
    const places = new IdIndex();
    const v = await loadVisits(vf, p.ids, places, { placesFixed: false });
    const columns = concatVisitChunks(v.chunks);
    expect(Array.from(columns.person)).toEqual([2, 1, 0, 4]);
    expect(places.size).toBe(3);
    expect(Array.from(columns.place)).toEqual([0, 1, 2, 0]);

    // the same tables as CSV text: the same dense ids and the same ids back
    const pc = join(dir, 'persons-int64.csv');
    const vc = join(dir, 'visits-int64.csv');
    writeFileSync(pc, 'person_id,ses\n' + personIds.map((id, i) => `${id},${i + 1}`).join('\n') + '\n');
    writeFileSync(vc, 'person_id,place_id,start\n' + visitPersons.map((id, i) => `${id},${placeIds[i]},${i + 1}`).join('\n') + '\n');
    const pText = await loadPersons(pc);
    const placesText = new IdIndex();
    const vText = concatVisitChunks((await loadVisits(vc, pText.ids, placesText, { placesFixed: false })).chunks);
    expect(Array.from(vText.person)).toEqual(Array.from(columns.person));
    expect(Array.from(vText.place)).toEqual(Array.from(columns.place));
    expect(p.ids.idsAsStrings()).toEqual(pText.ids.idsAsStrings());
    expect(places.idsAsStrings()).toEqual(placesText.idsAsStrings());
    expect(places.idsAsStrings()).toEqual([String(2n ** 53n), String(2n ** 53n + 1n), '5']);
  });
  it('maps blocks of small int64 ids (low words, in bulk) and blocks with large ones (one by one) alike', async () => {
    // 10,000 visits: ids 1..500 as int64, with a large id in the third block of 4,096 only
    const n = 10_000;
    const ids = Array.from({ length: n }, (_, i) => (i === 9_000 ? 2n ** 62n + 9n : BigInt(1 + ((i * 7919) % 500))));
    const vf = join(dir, 'places-int64-blocks.arrow');
    const vc = join(dir, 'places-int64-blocks.csv');
    const persons = join(dir, 'persons-one.csv');
    writeFileSync(persons, 'person_id,ses\n1,1\n');
    writeFileSync(vf, tableToIPC(new Table({ person_id: makeVector(new BigInt64Array(n).fill(1n)), place_id: makeVector(BigInt64Array.from(ids)), start: makeVector(new Float64Array(n).fill(1)) }), 'file'));
    writeFileSync(vc, 'person_id,place_id,start\n' + ids.map((id) => `1,${id},1`).join('\n') + '\n');
    const p = await loadPersons(persons);
    const a = new IdIndex();
    const b = new IdIndex();
    const fromArrow = concatVisitChunks((await loadVisits(vf, p.ids, a, { placesFixed: false })).chunks);
    const fromCsv = concatVisitChunks((await loadVisits(vc, p.ids, b, { placesFixed: false })).chunks);
    expect(a.size).toBe(501);
    expect(Array.from(fromArrow.place)).toEqual(Array.from(fromCsv.place));
    expect(a.idsAsStrings()).toEqual(b.idsAsStrings());
  });
});

/** large_string ids (64-bit offsets), as pandas with pyarrow strings and Polars write them. */
describe('large_string ids', () => {
  const ids = ['cafe', 'park', null, 'cafe', 'a much longer place id, past twenty bytes', 'zoo', 'park'];
  it('map like the same ids as utf8, with nulls and in a slice', () => {
    for (const slice of [0, 2]) {
      const small = vectorFromArray(ids, new Utf8()).slice(slice);
      const large = vectorFromArray(ids, new LargeUtf8()).slice(slice);
      const a = new IdIndex();
      const b = new IdIndex();
      const x = new Int32Array(small.length);
      const y = new Int32Array(large.length);
      decodeIds({ kind: 'arrow', vector: small }, small.length, a, true, x, 0);
      decodeIds({ kind: 'arrow', vector: large }, large.length, b, true, y, 0);
      expect(Array.from(y)).toEqual(Array.from(x));
      expect(b.idsAsStrings()).toEqual(a.idsAsStrings());
    }
    const all = new IdIndex();
    const out = new Int32Array(ids.length);
    decodeIds({ kind: 'arrow', vector: vectorFromArray(ids, new LargeUtf8()) }, ids.length, all, true, out, 0);
    expect(Array.from(out)).toEqual([0, 1, -1, 0, 2, 3, 1]);
  });

  it('load from an IPC file without nulls (the bulk path)', async () => {
    const vf = join(dir, 'visits-large-utf8.arrow');
    const pf = join(dir, 'persons-large-utf8.csv');
    writeFileSync(pf, 'person_id,ses\nann,1\nbob,2\n');
    const place = ['cafe', 'park', 'cafe', 'a much longer place id, past twenty bytes'];
    writeFileSync(vf, tableToIPC(new Table({ person_id: vectorFromArray(['bob', 'ann', 'bob', 'ann'], new LargeUtf8()), place_id: vectorFromArray(place, new LargeUtf8()), start: makeVector(Float64Array.from([1, 2, 3, 4])) }), 'file'));
    const p = await loadPersons(pf);
    const places = new IdIndex();
    const v = concatVisitChunks((await loadVisits(vf, p.ids, places, { placesFixed: false })).chunks);
    expect(Array.from(v.person)).toEqual([1, 0, 1, 0]);
    expect(Array.from(v.place)).toEqual([0, 1, 0, 2]);
    expect(places.idsAsStrings()).toEqual(['cafe', 'park', place[3]]);
  });
});
