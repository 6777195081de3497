import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTable } from '../../src/io/table-source.js';
import { decodeIds, decodeNumbers, decodeStrings, decodeTimes } from '../../src/io/column-decode.js';
import { IdIndex } from '../../src/io/id-index.js';
import { writeTable } from '../../src/io/table-writer.js';
import { columnTable } from '../../src/io/column-table.js';
import { readSmallTable } from '../../src/io/small-table.js';
import { openCsv } from '../../src/io/csv-reader.js';
import { bytesToString } from '../../src/io/parse-bytes.js';
import { createRng } from '../../src/math/random.js';
import { parquetWriteBuffer } from 'hyparquet-writer';

const dir = mkdtempSync(join(tmpdir(), 'mobiseg-io-'));

async function readAll(file: string, opts: { chunkBytes?: number; batchRows?: number } = {}) {
  const src = await openTable(file, opts);
  const ids = new IdIndex();
  const person: number[] = [];
  const ses: number[] = [];
  const names: Array<string | null> = [];
  let batches = 0;
  const rowNumbers: number[] = [];
  for await (const b of src.batches()) {
    batches++;
    const idOut = new Int32Array(b.length);
    decodeIds(b.column('person_id'), b.length, ids, true, idOut, 0);
    const num = new Float64Array(b.length);
    decodeNumbers(b.column('ses'), b.length, num, 0);
    person.push(...idOut);
    ses.push(...num);
    names.push(...decodeStrings(b.column('name'), b.length));
    for (let i = 0; i < b.length; i++) rowNumbers.push(b.rowNumber(i));
  }
  return { ids, person, ses, names, batches, rowNumbers, format: src.format };
}

describe('CSV reader', () => {
  it('parses quoted fields, escaped quotes, embedded newlines, CRLF, BOM and a missing final newline', async () => {
    const f = join(dir, 'quoted.csv');
    writeFileSync(f, '\ufeffperson_id,ses,name\r\n1,2.5,"Akron, OH"\r\n"p ""2""",-3e2,"two\nlines"\r\n3,,plain');
    const r = await readAll(f);
    expect(r.person).toEqual([0, 1, 2]);
    expect(r.ids.idOf(0)).toBe(1);
    expect(r.ids.idOf(1)).toBe('p "2"');
    expect(r.ses.slice(0, 2)).toEqual([2.5, -300]);
    expect(Number.isNaN(r.ses[2])).toBe(true);
    expect(r.names).toEqual(['Akron, OH', 'two\nlines', 'plain']);
  });

  it('streams a file larger than one batch with identical results and continuous row numbers', async () => {
    const f = join(dir, 'big.csv');
    let text = 'person_id,ses,name\n';
    const n = 20_000;
    for (let i = 0; i < n; i++) text += `${i % 2 === 0 ? i : 'id' + i},${(i * 0.001).toFixed(3)},"n,${i}"\n`;
    writeFileSync(f, text);
    const small = await readAll(f, { chunkBytes: 4096 });
    const large = await readAll(f);
    expect(small.batches).toBeGreaterThan(50);
    expect(large.batches).toBe(1);
    expect(small.person).toEqual(large.person);
    expect(small.ses).toEqual(large.ses);
    expect(small.names).toEqual(large.names);
    expect(small.rowNumbers).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(small.ses[12345]).toBe(12.345);
    expect(small.ids.idOf(small.person[777])).toBe('id777');
  });

  it('splits unquoted fields of every length at every offset exactly as String.split, for , ; tab and | delimiters', async () => {
    // fields of 0..40 characters (ASCII letters, digits, spaces, dots, dashes, non-ASCII), CRLF or LF
    // endings; read in small odd chunks so that fields cross word and chunk boundaries everywhere
    const rng = createRng(41);
    const alphabet = ['a', 'Z', '7', '-', ' ', '.', 'é', '€', '_', '/'];
    for (const delimiter of [',', ';', '\t', '|']) {
      const rows: string[][] = [];
      let text = 'a' + delimiter + 'b' + delimiter + 'c\n';
      for (let r = 0; r < 400; r++) {
        const fields = [0, 1, 2].map(() => Array.from({ length: rng.int(41) }, () => alphabet[rng.int(alphabet.length)]).join(''));
        rows.push(fields);
        text += fields.join(delimiter) + (rng.next() < 0.3 ? '\r\n' : '\n');
      }
      const f = join(dir, `split-${delimiter.charCodeAt(0)}.csv`);
      writeFileSync(f, text);
      for (const chunkBytes of [37, 1 << 20]) {
        const csv = await openCsv(f, { chunkBytes, delimiter });
        const got: string[][] = [];
        for await (const b of csv.batches()) {
          for (let r = 0; r < b.rows; r++) got.push([0, 1, 2].map((c) => bytesToString(b.bytes, b.starts[r * b.stride + c], b.ends[r * b.stride + c])));
        }
        expect(got, `delimiter ${JSON.stringify(delimiter)}, chunks of ${chunkBytes}`).toEqual(rows);
      }
    }
  });

  it('reads gzip-compressed CSV (detected by magic bytes) the same as plain CSV', async () => {
    const text = 'person_id,ses,name\n10,1.25,a\n11,2.5,b\n12,3.75,c\n';
    writeFileSync(join(dir, 'plain.csv'), text);
    writeFileSync(join(dir, 'plain.csv.gz'), gzipSync(text));
    const a = await readAll(join(dir, 'plain.csv'));
    const b = await readAll(join(dir, 'plain.csv.gz'), { chunkBytes: 16 });
    expect(b.ses).toEqual([1.25, 2.5, 3.75]);
    expect(b.person).toEqual(a.person);
    expect(b.names).toEqual(a.names);
  });

  it('parses ISO-8601 and epoch-second times', async () => {
    const f = join(dir, 'times.csv');
    writeFileSync(f, 'start\n1609459200\n2021-01-01T00:00:00Z\n2021-01-01T01:00:00+01:00\n2021-01-01 00:05\n2021-02-30\nyesterday\n');
    const src = await openTable(f);
    for await (const b of src.batches()) {
      const out = new Float64Array(b.length);
      decodeTimes(b.column('start'), b.length, out, 0);
      expect(Array.from(out.slice(0, 4))).toEqual([1609459200, 1609459200, 1609459200, 1609459500]);
      expect(Number.isNaN(out[4])).toBe(true);
      expect(Number.isNaN(out[5])).toBe(true);
    }
  });
});

describe('Arrow and Parquet readers', () => {
  const n = 5000;
  const table = columnTable([
    { name: 'person_id', values: Int32Array.from({ length: n }, (_, i) => 1000 + i) },
    { name: 'ses', values: Float64Array.from({ length: n }, (_, i) => i / 7) },
    { name: 'name', values: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? null : `name ${i}`)) },
  ]);

  for (const format of ['arrow', 'parquet', 'csv'] as const) {
    it(`round-trips a table through ${format} with the same ids, numbers and strings`, async () => {
      const f = join(dir, `rt.${format}`);
      await writeTable(f, table, format);
      const r = await readAll(f, { batchRows: 1000, chunkBytes: 8192 });
      expect(r.format).toBe(format);
      expect(r.person.length).toBe(n);
      expect(r.ids.idOf(r.person[4321])).toBe(5321);
      expect(r.ses[4321]).toBe(4321 / 7);
      expect(r.names[3]).toBeNull();
      expect(r.names[4]).toBe('name 4');
      if (format === 'parquet') expect(r.batches).toBe(5);
    });
  }

  for (const format of ['arrow', 'parquet', 'csv'] as const) {
    it(`reports progress through a ${format} file, never decreasing, ending at 1`, async () => {
      const f = join(dir, `rt.${format}`);
      await writeTable(f, table, format);
      const src = await openTable(f, { batchRows: 1000, chunkBytes: 8192 });
      const seen: number[] = [src.progress()];
      for await (const b of src.batches()) {
        expect(b.length).toBeGreaterThan(0);
        seen.push(src.progress());
      }
      seen.push(src.progress());
      for (let k = 1; k < seen.length; k++) expect(seen[k]).toBeGreaterThanOrEqual(seen[k - 1]);
      expect(seen[0]).toBeLessThan(1);
      expect(seen[seen.length - 1]).toBe(1);
    });
  }

  it('reads Parquet TIMESTAMP columns as epoch seconds (sub-second precision kept)', async () => {
    const t0 = Date.UTC(2021, 0, 1, 8);
    const f = join(dir, 'ts.parquet');
    writeFileSync(f, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'start', data: [new Date(t0), new Date(t0 + 1500)], type: 'TIMESTAMP' }] })));
    const src = await openTable(f);
    for await (const b of src.batches()) {
      const out = new Float64Array(2);
      decodeTimes(b.column('start'), 2, out, 0);
      expect(Array.from(out)).toEqual([t0 / 1000, t0 / 1000 + 1.5]);
    }
  });

  it('keys integer ids the same whether they come as text or as integers', async () => {
    const ids = new IdIndex();
    expect(ids.internString('42', true)).toBe(0);
    expect(ids.internInteger(42, false)).toBe(0);
    expect(ids.intern(42n, false)).toBe(0);
    expect(ids.internString('042', true)).toBe(1); // leading zero: a distinct string id
    expect(ids.idOf(1)).toBe('042');
  });
});

describe('readSmallTable', () => {
  it('names file, rows and column for non-numeric cells', async () => {
    const f = join(dir, 'small.csv');
    writeFileSync(f, 'a,b\n1,x\n2,3\n3,y\n');
    const t = await readSmallTable(f);
    expect(Array.from(t.numbers('a'))).toEqual([1, 2, 3]);
    expect(() => t.numbers('b')).toThrow(/small\.csv: not a number in column "b" at rows 1, 3/);
    expect(() => t.text('c')).toThrow(/missing column "c"/);
  });

  it('remaps columns', async () => {
    const f = join(dir, 'remap.csv');
    writeFileSync(f, 'id,rent\n1,900\n');
    const t = await readSmallTable(f, { remap: { ses: 'rent' } });
    expect(Array.from(t.numbers('ses'))).toEqual([900]);
  });
});
