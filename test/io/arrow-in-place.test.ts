import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, makeVector, tableToIPC } from 'apache-arrow';
import { loadPersons } from '../../src/io/load-persons.js';
import { concatVisitChunks, loadVisits } from '../../src/io/load-visits.js';
import { IdIndex } from '../../src/io/id-index.js';
import { InputError } from '../../src/io/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-inplace-'));
const personsFile = join(dir, 'persons.csv');
writeFileSync(personsFile, 'person_id,ses\n7,1\n8,2\n9,3\n');

function arrowFile(name: string, columns: Record<string, Int32Array | Float64Array>, format: 'file' | 'stream' = 'file'): string {
  const f = join(dir, name);
  writeFileSync(f, tableToIPC(new Table(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, makeVector(v)]))), format));
  return f;
}

/*
 * Arrow int32 ids and float64 times without nulls are read where they lie in the batch (ids replaced in
 * place by dense indices). These cases pin that the results equal the decoded ones, including when
 * columns share bytes or rows are dropped.
 */
describe('Arrow columns used in place', () => {
  for (const format of ['file', 'stream'] as const) {
    it(`maps int32 ids in place and keeps float64 times as read (IPC ${format} format)`, async () => {
      const p = await loadPersons(personsFile);
      const places = new IdIndex();
      const f = arrowFile(`v1-${format}.arrow`, {
        person_id: Int32Array.from([9, 7, 8, 7]),
        place_id: Int32Array.from([500, 400, 500, 600]),
        start: Float64Array.from([0, 10, 20.5, 30]),
        end: Float64Array.from([60, 10, 80, 31]),
      }, format);
      const v = await loadVisits(f, p.ids, places, { placesFixed: false });
      const c = concatVisitChunks(v.chunks);
      expect(Array.from(c.person)).toEqual([2, 0, 1, 0]);
      expect(Array.from(c.place)).toEqual([0, 1, 0, 2]);
      expect([0, 1, 2].map((q) => places.idOf(q))).toEqual([500, 400, 600]);
      expect(Array.from(c.start)).toEqual([0, 10, 20.5, 30]);
      expect(Array.from(c.end)).toEqual([60, 10, 80, 31]);
    });
  }

  it('keeps one chunk per record batch, each mapped in place', async () => {
    const p = await loadPersons(personsFile);
    const batches = [0, 1, 2].flatMap((b) =>
      new Table({
        person_id: makeVector(Int32Array.from([7, 8, 9].map((id, k) => [7, 8, 9][(id + b + k) % 3]))),
        place_id: makeVector(Int32Array.from([10 + b, 20, 10])),
        start: makeVector(Float64Array.from([100 * b, 100 * b + 1, 100 * b + 2])),
        end: makeVector(Float64Array.from([100 * b + 50, 100 * b + 51, 100 * b + 52])),
      }).batches,
    );
    const f = join(dir, 'v-batches.arrow');
    writeFileSync(f, tableToIPC(new Table(batches), 'file'));
    const places = new IdIndex();
    const v = await loadVisits(f, p.ids, places, { placesFixed: false });
    expect(v.chunks.length).toBe(3);
    const c = concatVisitChunks(v.chunks);
    const personIds = [0, 1, 2].flatMap((b) => [7, 8, 9].map((id, k) => [7, 8, 9][(id + b + k) % 3]));
    expect(Array.from(c.person)).toEqual(personIds.map((id) => id - 7));
    expect(Array.from(c.place, (q) => places.idOf(q))).toEqual([10, 20, 10, 11, 20, 10, 12, 20, 10]);
    expect(Array.from(c.start)).toEqual([0, 1, 2, 100, 101, 102, 200, 201, 202]);
  });

  it('gives the same visits when one file column feeds two logical columns', async () => {
    const p = await loadPersons(personsFile);
    // person_id and place_id both read column "who"; start and end both read column "t"
    const f = arrowFile('v2.arrow', { who: Int32Array.from([8, 9, 7]), t: Float64Array.from([5, 6, 7]) });
    const places = new IdIndex();
    const v = await loadVisits(f, p.ids, places, { placesFixed: false, remap: { person_id: 'who', place_id: 'who', start: 't', end: 't' } });
    const c = concatVisitChunks(v.chunks);
    expect(Array.from(c.person)).toEqual([1, 2, 0]);
    expect([...c.place].map((q) => places.idOf(q))).toEqual([8, 9, 7]);
    expect(Array.from(c.start)).toEqual([5, 6, 7]);
    expect(Array.from(c.end)).toEqual([5, 6, 7]);
  });

  it('drops rows in the middle of a batch and turns dwell into end', async () => {
    const p = await loadPersons(personsFile);
    const f = arrowFile('v3.arrow', {
      person_id: Int32Array.from([7, 99, 8, 9, 7]),
      place_id: Int32Array.from([1, 1, 1, 2, 2]),
      start: Float64Array.from([100, 100, 200, 300, 400]),
      dwell_s: Float64Array.from([10, 10, -5, 0, 1.5]),
    });
    const v = await loadVisits(f, p.ids, new IdIndex(), { placesFixed: false, dropInvalid: true });
    const c = concatVisitChunks(v.chunks);
    expect(v.rows).toBe(3);
    expect(v.dropped).toEqual({ 'unknown person (column person_id)': 1, 'negative or infinite dwell_s (column dwell_s)': 1 });
    expect(Array.from(c.person)).toEqual([0, 2, 0]);
    expect(Array.from(c.start)).toEqual([100, 300, 400]);
    expect(Array.from(c.end)).toEqual([110, 300, 401.5]);
  });

  it('reports a NaN end value (not a null) as unparseable, naming the row', async () => {
    const p = await loadPersons(personsFile);
    const f = arrowFile('v4.arrow', {
      person_id: Int32Array.from([7, 8]),
      place_id: Int32Array.from([1, 1]),
      start: Float64Array.from([100, 100]),
      end: Float64Array.from([200, NaN]),
    });
    const e = await loadVisits(f, p.ids, new IdIndex(), { placesFixed: false }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(InputError);
    expect((e as Error).message).toBe(`${f}: unparseable time in column "end" at row 2`);
  });
});

describe('IdIndex consecutive ids', () => {
  it('maps by subtraction while ids are consecutive and by table once they are not', () => {
    const index = new IdIndex();
    for (let v = 1000; v < 1010; v++) index.internInteger(v, true);
    const out = new Int32Array(6);
    index.internIntegersMany(Int32Array.from([1000, 1009, 1010, 999, 1004, -3]), 0, 6, false, out, 0);
    expect(Array.from(out)).toEqual([0, 9, -1, -1, 4, -1]);
    // inserting while mapping: 2000 breaks the run, later ids still resolve through the table
    index.internIntegersMany(Int32Array.from([1010, 2000, 1005, 1011]), 0, 4, true, out, 0);
    expect(Array.from(out.subarray(0, 4))).toEqual([10, 11, 5, 12]);
    expect([10, 11, 12].map((i) => index.idOf(i))).toEqual([1010, 2000, 1011]);
    index.internIntegersMany(Int32Array.from([1011, 2000, 1000]), 0, 3, false, out, 0);
    expect(Array.from(out.subarray(0, 3))).toEqual([12, 11, 0]);
  });
});
