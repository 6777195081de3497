import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPersons } from '../../src/io/load-persons.js';
import { loadPlaces } from '../../src/io/load-places.js';
import { concatVisitChunks, loadVisits } from '../../src/io/load-visits.js';
import { loadEncounters } from '../../src/io/load-encounters.js';
import { IdIndex } from '../../src/io/id-index.js';
import { InputError } from '../../src/io/errors.js';
import { parquetWriteBuffer } from 'hyparquet-writer';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-val-'));
function file(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
async function errorOf(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

const persons = file('persons.csv', 'person_id,ses,msa,county_fips,home_id\n1,10,"Akron, OH",39153,h1\n2,20,"Akron, OH",39153,h1\n3,30,"Albany, GA",13095,h2\n');

describe('persons validation', () => {
  it('reads the optional columns as codes', async () => {
    const p = await loadPersons(persons);
    expect(p.count).toBe(3);
    expect(Array.from(p.ses)).toEqual([10, 20, 30]);
    expect(p.msa!.names).toEqual(['Akron, OH', 'Albany, GA']);
    expect(Array.from(p.msa!.codes)).toEqual([0, 0, 1]);
    expect(Array.from(p.countyFips!)).toEqual([39153, 39153, 13095]);
    expect(Array.from(p.homeId!)).toEqual([0, 0, 1]);
  });

  it('missing column: names the file and the column', async () => {
    const f = file('nocol.csv', 'person_id,income\n1,3\n');
    const e = await errorOf(loadPersons(f));
    expect(e.message).toBe(`${f}: missing column "ses" (columns present: person_id, income)`);
    expect(e.exitCode).toBe(2);
  });

  it('a repeated column name: names the file, the column and its positions when the column is used', async () => {
    const f = file('twice.csv', 'person_id,ses,note,ses,note\n1,3,a,4,b\n');
    const e = await errorOf(loadPersons(f));
    expect(e.message).toBe(`${f}: column "ses" appears 2 times in the header (columns 2, 4); rename all but one`);
    expect(e.exitCode).toBe(2);
    // a repeated column nobody reads is no error
    const g = file('twice-unused.csv', 'person_id,ses,note,note\n1,3,a,b\n');
    expect((await loadPersons(g)).count).toBe(1);
  });

  it('duplicate id: names the rows and the column', async () => {
    const f = file('dup.csv', 'person_id,ses\na,1\nb,2\na,3\nc,4\nb,5\n');
    const e = await errorOf(loadPersons(f));
    expect(e.message).toBe(`${f}: duplicate id in column "person_id" at rows 3, 5`);
    expect(e.rows).toEqual([3, 5]);
  });

  it('non-finite SES: empty, NaN, Infinity and text are all reported, first ten rows listed', async () => {
    let text = 'person_id,ses\n';
    for (let i = 1; i <= 14; i++) text += `${i},${['', 'NaN', 'Infinity', 'abc'][i % 4]}\n`;
    const f = file('nonfinite.csv', text);
    const e = await errorOf(loadPersons(f));
    expect(e.message).toBe(`${f}: non-finite SES in column "ses" at rows 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 (and 4 more)`);
  });

  it('--drop-invalid drops and counts by reason, and keeps dense ids in row order', async () => {
    const f = file('mixed.csv', 'person_id,ses\na,1\nb,x\na,2\nc,3\nb,4\n');
    const p = await loadPersons(f, { dropInvalid: true });
    expect(p.count).toBe(3);
    expect(p.dropped).toEqual({ 'non-finite SES (column ses)': 1, 'duplicate id (column person_id)': 1 });
    expect([0, 1, 2].map((i) => p.ids.idOf(i))).toEqual(['a', 'c', 'b']);
    expect(Array.from(p.ses)).toEqual([1, 3, 4]);
  });

  it('a row with too few or too many fields: names the file and the rows; --drop-invalid drops and counts it', async () => {
    const f = file('ragged.csv', 'person_id,ses,msa\n1,10,"A, XX"\n2,20\n3,30,B,extra\n4,40,C\n');
    const e = await errorOf(loadPersons(f));
    expect(e.message).toBe(`${f}: wrong number of fields (expected 3, the header's) at rows 2, 3`);
    const p = await loadPersons(f, { dropInvalid: true, chunkBytes: 16 });
    expect(p.count).toBe(2);
    expect([0, 1].map((i) => p.ids.idOf(i))).toEqual([1, 4]);
    expect(p.msa!.names).toEqual(['A, XX', 'C']);
    expect(p.dropped).toEqual({ "wrong number of fields (expected 3, the header's)": 2 });
  });

  it('remaps a column (--col ses=rent)', async () => {
    const f = file('rent.csv', 'person_id,rent\n1,1200\n');
    const p = await loadPersons(f, { remap: { ses: 'rent' } });
    expect(Array.from(p.ses)).toEqual([1200]);
  });
});

describe('visits validation', () => {
  it('unknown person: names the rows and the column', async () => {
    const p = await loadPersons(persons);
    const f = file('v1.csv', 'person_id,place_id,start\n1,A,0\n9,A,0\n2,B,60\n8,B,60\n');
    const e = await errorOf(loadVisits(f, p.ids, new IdIndex(), { placesFixed: false }));
    expect(e.message).toBe(`${f}: unknown person in column "person_id" at rows 2, 4`);
  });

  it('unparseable time: names the rows and the column (start and end)', async () => {
    const p = await loadPersons(persons);
    const f = file('v2.csv', 'person_id,place_id,start,end\n1,A,2021-01-01T00:00:00Z,2021-01-01T00:10:00Z\n2,A,soon,\n');
    const e = await errorOf(loadVisits(f, p.ids, new IdIndex(), { placesFixed: false }));
    expect(e.message).toBe(`${f}: unparseable time in column "start" at row 2`);
    const g = file('v3.csv', 'person_id,place_id,start,end\n1,A,0,later\n');
    expect((await errorOf(loadVisits(g, p.ids, new IdIndex(), { placesFixed: false }))).message).toBe(`${g}: unparseable time in column "end" at row 1`);
    const h = file('v4.csv', 'person_id,place_id,start,end\n1,A,100,50\n');
    expect((await errorOf(loadVisits(h, p.ids, new IdIndex(), { placesFixed: false }))).message).toBe(`${h}: end before start in column "end" at row 1`);
  });

  it('unknown place when a places table is given', async () => {
    const p = await loadPersons(persons);
    const places = await loadPlaces(file('places.csv', 'place_id,category\nA,food\n'));
    const f = file('v5.csv', 'person_id,place_id,start\n1,A,0\n1,Z,0\n');
    const e = await errorOf(loadVisits(f, p.ids, places.ids, { placesFixed: true }));
    expect(e.message).toBe(`${f}: unknown place in column "place_id" at row 2`);
  });

  it('reads dwell_s and empty ends, and counts drops by reason', async () => {
    const p = await loadPersons(persons);
    const f = file('v6.csv', 'person_id,place_id,start,dwell_s\n1,A,0,600\n2,A,10,\n9,A,0,1\n3,A,x,1\n');
    const v = await loadVisits(f, p.ids, new IdIndex(), { placesFixed: false, dropInvalid: true });
    expect(Array.from(concatVisitChunks(v.chunks).end)).toEqual([600, NaN]);
    expect(v.rows).toBe(2);
    expect(v.rowsRead).toBe(4);
    expect(v.dropped).toEqual({ 'unknown person (column person_id)': 1, 'unparseable time (column start)': 1 });
  });
  it('Parquet visits (read by the page reader) give the same messages and drop counts as CSV', async () => {
    const p = await loadPersons(persons);
    const f = join(dir, 'v7.parquet');
    writeFileSync(
      f,
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'person_id', data: ['1', null, '9', '2', '3'], type: 'STRING' },
            { name: 'place_id', data: ['A', 'A', 'B', 'B', 'C'], type: 'STRING' },
            { name: 'start', data: [0, 10, 20, 30, 40], type: 'DOUBLE' },
            { name: 'end', data: [60, 70, 80, 20, null], type: 'DOUBLE' },
          ],
        }),
      ),
    );
    const e = await errorOf(loadVisits(f, p.ids, new IdIndex(), { placesFixed: false }));
    expect(e.message).toBe(`${f}: missing id in column "person_id" at row 2`);
    const v = await loadVisits(f, p.ids, new IdIndex(), { placesFixed: false, dropInvalid: true });
    expect(v.dropped).toEqual({ 'missing id (column person_id)': 1, 'unknown person (column person_id)': 1, 'end before start (column end)': 1 });
    const kept = concatVisitChunks(v.chunks);
    expect(Array.from(kept.person).map((i) => p.ids.idOf(i))).toEqual([1, 3]);
    expect(Array.from(kept.end)).toEqual([60, NaN]);
  });
});

describe('pair encounters validation', () => {
  it('drops and counts self-pairs, and errors on unknown persons', async () => {
    const p = await loadPersons(persons);
    const f = file('e1.csv', 'person_a,person_b\n1,2\n2,2\n3,1\n');
    const e = await loadEncounters(f, p.ids, new IdIndex(), { placesFixed: false });
    expect(Array.from(e.a)).toEqual([0, 2]);
    expect(e.dropped).toEqual({ 'self-pair (column person_b)': 1 });
    const g = file('e2.csv', 'person_a,person_b\n1,7\n');
    expect((await errorOf(loadEncounters(g, p.ids, new IdIndex(), { placesFixed: false }))).message).toBe(`${g}: unknown person in column "person_b" at row 1`);
  });
});
