/**
 * The Parquet page reader (src/io/parquet) against an independent implementation, hyparquet, on files
 * from other writers (apache/parquet-testing: parquet-mr, Impala, parquet-cpp; v1 and v2 data pages,
 * dictionaries, nulls, tiny pages) and on files hyparquet-writer makes with every option that matters
 * (pages, row groups, dictionaries, nulls, codecs), plus hand-checkable encodings.
 */
import { describe, it, expect } from 'vitest';
import { mkdtempSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { ColumnChunkReader, ParquetUnsupported, valueKindOf, type ChunkDescription } from '../../src/io/parquet/column-chunk.js';
import { decodeRleHybrid } from '../../src/io/parquet/rle-hybrid.js';
import { readThriftStruct } from '../../src/io/parquet/thrift-compact.js';
import { hyparquetCompressors } from '../../src/io/parquet/codecs.js';
import { openTable } from '../../src/io/table-source.js';
import { decodeIds, decodeNumbers, decodeStrings, decodeTimes, isMissingCell } from '../../src/io/column-decode.js';
import { IdIndex } from '../../src/io/id-index.js';
import { InputError } from '../../src/io/errors.js';
import { createRng } from '../../src/math/random.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'parquet-testing');
const dir = mkdtempSync(join(tmpdir(), 'mobiseg-parquet-'));
const utf8 = new TextDecoder();

/** Every flat column of every row group read by ColumnChunkReader, as plain JS values (null for nulls). */
async function readWithPageReader(file: string, step: number): Promise<Map<string, unknown[]>> {
  const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
  const top = parquetSchema(metadata).children;
  const out = new Map<string, unknown[]>();
  const fd = openSync(file, 'r');
  try {
    for (const rg of metadata.row_groups) {
      for (const node of top) {
        const name = node.element.name;
        const meta = rg.columns.find((c) => c.meta_data?.path_in_schema[0] === name)!.meta_data!;
        const description: ChunkDescription = { ...(node.element as unknown as ChunkDescription), num_children: node.children.length, codec: meta.codec, data_page_offset: meta.data_page_offset, dictionary_page_offset: meta.dictionary_page_offset, total_compressed_size: meta.total_compressed_size, num_values: meta.num_values };
        let reader: ColumnChunkReader;
        try {
          reader = new ColumnChunkReader({ fd }, description);
        } catch (e) {
          if (e instanceof ParquetUnsupported) continue;
          throw e;
        }
        if (!meta.encodings.every((e) => ['PLAIN', 'PLAIN_DICTIONARY', 'RLE_DICTIONARY', 'RLE', 'BIT_PACKED'].includes(e))) continue;
        const values = out.get(name) ?? [];
        const rows = Number(rg.num_rows);
        for (let r = 0; r < rows; r += step) {
          const n = Math.min(step, rows - r);
          if (reader.kindOfValues.kind === 'bytes') {
            const s = reader.readBytes(n);
            for (let i = 0; i < n; i++) values.push(s.ends[i] > s.starts[i] ? utf8.decode(s.bytes.subarray(s.starts[i], s.ends[i])) : null);
          } else {
            const s = reader.readNumbers(n);
            for (let i = 0; i < n; i++) values.push(s.valid !== null && (s.valid[i >>> 3] & (1 << (i & 7))) === 0 ? null : s.values[i]);
          }
        }
        out.set(name, values);
      }
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

/** hyparquet's reading of the same column, in the page reader's terms (text, bigint, ms for dates). */
async function readWithHyparquet(file: string, name: string): Promise<unknown[]> {
  const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: [name], compressors: hyparquetCompressors });
  return rows.map((r) => {
    const v = r[name];
    if (v === null || v === undefined) return null;
    if (v instanceof Date) return BigInt(v.getTime());
    if (v instanceof Uint8Array) return v.length === 0 ? null : utf8.decode(v);
    if (typeof v === 'string') return v === '' ? null : v;
    return v;
  });
}

/** the page reader's values in the same terms (timestamps as milliseconds) */
function asComparable(values: unknown[], unit: string | null): unknown[] {
  if (unit === null) return values;
  const per = unit === 'MICROS' ? 1000n : unit === 'NANOS' ? 1_000_000n : 1n;
  return values.map((v) => (typeof v === 'bigint' ? v / per : v));
}

describe('Parquet page reader against hyparquet on files from other writers (apache/parquet-testing)', () => {
  const files = [
    'alltypes_plain.parquet',
    'alltypes_plain.snappy.parquet',
    'alltypes_dictionary.parquet',
    'alltypes_tiny_pages.parquet',
    'datapage_v1-snappy-compressed-checksum.parquet',
    'datapage_v1-uncompressed-checksum.parquet',
    'rle-dict-snappy-checksum.parquet',
    'plain-dict-uncompressed-checksum.parquet',
    'int32_with_null_pages.parquet',
    'byte_stream_split_extended.gzip.parquet',
    'datapage_v2.snappy.parquet',
    'dict-page-offset-zero.parquet',
    'binary.parquet',
  ];
  for (const name of files) {
    it(`${name}: every flat column equal, read whole and in slices of 7 rows`, async () => {
      const file = join(fixtures, name);
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      for (const step of [1 << 30, 7]) {
        const ours = await readWithPageReader(file, step);
        expect(ours.size).toBeGreaterThan(0);
        for (const [column, values] of ours) {
          const element = metadata.schema.find((e) => e.name === column)!;
          const unit = valueKindOf(element as unknown as ChunkDescription);
          const theirs = await readWithHyparquet(file, column);
          expect(values.length, column).toBe(Number(metadata.num_rows));
          const mine = asComparable(values, unit.kind === 'int64' ? unit.timeUnit : null);
          const expected = element.type === 'FLOAT' ? theirs.map((v) => (v === null ? null : Math.fround(v as number))) : theirs;
          expect(mine, column).toEqual(expected);
        }
      }
    });
  }

  it('reads several v1 and dictionary layouts: the fixtures cover them', async () => {
    // guard against the list above silently losing coverage
    const kinds = new Set<string>();
    for (const name of files) {
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(join(fixtures, name)));
      for (const rg of metadata.row_groups) {
        for (const c of rg.columns) {
          for (const s of c.meta_data?.encoding_stats ?? []) kinds.add(`${s.page_type}/${s.encoding}`);
          kinds.add(`codec ${c.meta_data?.codec}`);
        }
      }
    }
    for (const k of ['DATA_PAGE/PLAIN', 'DATA_PAGE/PLAIN_DICTIONARY', 'DICTIONARY_PAGE/PLAIN_DICTIONARY', 'DATA_PAGE_V2/RLE_DICTIONARY', 'codec SNAPPY', 'codec UNCOMPRESSED', 'codec GZIP']) expect(kinds).toContain(k);
  });
});

describe('Parquet page reader on hyparquet-writer files', () => {
  const n = 3001;
  const rng = createRng(31);
  const ids = Array.from({ length: n }, () => (rng.next() < 0.1 ? null : `person-${rng.int(400)}`));
  const unique = Array.from({ length: n }, (_, i) => `u-${i}-${'x'.repeat(i % 23)}`);
  const ints = Int32Array.from({ length: n }, () => rng.int(2_000_000_000) - 1_000_000_000);
  const doubles = Float64Array.from({ length: n }, () => rng.next() * 1e9);
  const nullableDoubles = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : i / 3));
  const bigints = Array.from({ length: n }, (_, i) => BigInt(i) * 1_000_000_007n - 5n);
  const times = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2020, 0, 1) + i * 1234));

  const variants: Array<{ label: string; options: Record<string, unknown> }> = [
    { label: 'snappy, one page', options: {} },
    { label: 'uncompressed, 1 kB pages, 500-row groups', options: { codec: 'UNCOMPRESSED', pageSize: 1024, rowGroupSize: 500 } },
    { label: 'snappy, 2 kB pages', options: { pageSize: 2048 } },
    { label: 'gzip', options: { codec: 'GZIP', compressors: { GZIP: (b: Uint8Array) => new Uint8Array(gzipSync(b)) } } },
  ];
  for (const { label, options } of variants) {
    it(`${label}: text (dictionary and plain, with nulls), int32, int64, doubles (with nulls), timestamps`, async () => {
      const file = join(dir, `w-${label.replace(/\W+/g, '-')}.parquet`);
      const columnData = [
        { name: 'id', data: ids, type: 'STRING' },
        { name: 'unique', data: unique, type: 'STRING' },
        { name: 'i32', data: ints, type: 'INT32', nullable: false },
        { name: 'i64', data: bigints, type: 'INT64' },
        { name: 'f64', data: doubles, type: 'DOUBLE', nullable: false },
        { name: 'f64n', data: nullableDoubles, type: 'DOUBLE' },
        { name: 'ts', data: times, type: 'TIMESTAMP' },
      ];
      writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData, ...options } as never)));
      const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
      for (const step of [1 << 30, 333]) {
        const ours = await readWithPageReader(file, step);
        expect([...ours.keys()].sort()).toEqual(['f64', 'f64n', 'i32', 'i64', 'id', 'ts', 'unique']);
        expect(ours.get('id')).toEqual(ids);
        expect(ours.get('unique')).toEqual(unique);
        expect(ours.get('i32')).toEqual(Array.from(ints));
        expect(ours.get('i64')).toEqual(bigints);
        expect(ours.get('f64')).toEqual(Array.from(doubles));
        expect(ours.get('f64n')).toEqual(nullableDoubles);
        expect(ours.get('ts')).toEqual(times.map((t) => BigInt(t.getTime())));
      }
      if (label.startsWith('uncompressed')) expect(metadata.row_groups.length).toBe(7);
    });
  }

  it('hyparquet-writer dictionary-encodes the repeated ids (so the dictionary path above is exercised)', async () => {
    const file = join(dir, 'w-snappy-one-page.parquet');
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(file));
    const idChunk = metadata.row_groups[0].columns[0].meta_data!;
    expect(idChunk.encodings).toContain('RLE_DICTIONARY');
    expect(metadata.row_groups[0].columns[1].meta_data!.encodings).toContain('PLAIN');
  });
});

describe('dictionary-encoded Parquet ids: each dictionary entry looked up once', () => {
  it('gives the dense ids of the same text read plainly, in order of first appearance', async () => {
    const n = 3001;
    const rng = createRng(47);
    const ids = Array.from({ length: n }, () => (rng.next() < 0.1 ? null : `person-${rng.int(400)}`));
    const file = join(dir, 'dictionary-ids.parquet');
    const columnData = [
      { name: 'id', data: ids, type: 'STRING', encoding: 'RLE_DICTIONARY' },
      { name: 'plain', data: ids, type: 'STRING', encoding: 'PLAIN' },
    ];
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData, rowGroupSize: 500, pageSize: 1024 } as never)));
    const src = await openTable(file, { batchRows: 200 });
    const fromDictionary = new IdIndex();
    const fromPlain = new IdIndex();
    const a: number[] = [];
    const b: number[] = [];
    let dictionaryBatches = 0;
    for await (const batch of src.batches()) {
      const col = batch.column('id');
      if (col.kind === 'bytes' && col.data.dictionary !== undefined) dictionaryBatches++;
      expect(batch.column('plain').kind === 'bytes' && (batch.column('plain') as { data: { dictionary?: unknown } }).data.dictionary === undefined).toBe(true);
      const x = new Int32Array(batch.length);
      const y = new Int32Array(batch.length);
      decodeIds(col, batch.length, fromDictionary, true, x, 0);
      decodeIds(batch.column('plain'), batch.length, fromPlain, true, y, 0);
      a.push(...x);
      b.push(...y);
    }
    expect(dictionaryBatches).toBe(Math.ceil(500 / 200) * 6 + 1); // 6 full groups of 3 batches, one of 1 row
    expect(a).toEqual(b);
    expect(a.filter((v) => v < 0).length).toBe(ids.filter((v) => v === null).length);
    expect(fromDictionary.idsAsStrings()).toEqual(fromPlain.idsAsStrings());
    // order of first appearance, as the ids occur in the file
    expect(fromDictionary.idsAsStrings()).toEqual([...new Set(ids.filter((v) => v !== null))]);
  });

  it('mixes dictionary rows, PLAIN rows and nulls in one batch, and does not remember a miss', () => {
    const text = new TextEncoder();
    // the dictionary [cafe, park] copied into the batch's bytes, then the PLAIN value "zoo"
    const bytes = text.encode('cafeparkzoo');
    const entries = { bytes: text.encode('cafepark'), starts: Int32Array.from([0, 4]), ends: Int32Array.from([4, 8]) };
    // rows: park, zoo (PLAIN), cafe, null, park, cafe
    const starts = Int32Array.from([4, 8, 0, 0, 4, 0]);
    const ends = Int32Array.from([8, 11, 4, 0, 8, 4]);
    const entryOfRow = Int32Array.from([1, -1, 0, -1, 1, 0]);
    const col = { kind: 'bytes' as const, index: 0, data: { bytes, starts, ends, stride: 1, dictionary: { entries, entryOfRow } } };
    const places = new IdIndex();
    const out = new Int32Array(6);
    decodeIds(col, 6, places, true, out, 0);
    expect(Array.from(out)).toEqual([0, 1, 2, -1, 0, 2]);
    expect(places.idsAsStrings()).toEqual(['park', 'zoo', 'cafe']);

    // without insert: an unknown entry is -1, and is found once the index has it
    const known = new IdIndex();
    known.intern('cafe', true);
    decodeIds(col, 6, known, false, out, 0);
    expect(Array.from(out)).toEqual([-1, -1, 0, -1, -1, 0]);
    known.intern('park', true);
    decodeIds(col, 6, known, false, out, 0);
    expect(Array.from(out)).toEqual([1, -1, 0, -1, 1, 0]);
  });
});

describe('Parquet through openTable: the page reader where it applies, hyparquet elsewhere', () => {
  it('serves fast and general columns of one file alike, in batches that split row groups', async () => {
    // alltypes_tiny_pages: INT96 timestamps and booleans go to hyparquet; the rest to the page reader
    const file = join(fixtures, 'alltypes_tiny_pages.parquet');
    const src = await openTable(file, { batchRows: 1000 });
    const ids = new IdIndex();
    const strings: Array<string | null> = [];
    const doubles: number[] = [];
    const times: number[] = [];
    let batches = 0;
    for await (const b of src.batches()) {
      batches++;
      const idOut = new Int32Array(b.length);
      decodeIds(b.column('string_col'), b.length, ids, true, idOut, 0);
      strings.push(...decodeStrings(b.column('date_string_col'), b.length));
      const d = new Float64Array(b.length);
      decodeNumbers(b.column('double_col'), b.length, d, 0);
      doubles.push(...d);
      const t = new Float64Array(b.length);
      decodeTimes(b.column('timestamp_col'), b.length, t, 0);
      times.push(...t);
      expect(b.column('bool_col').kind).toBe('values');
      expect(b.column('double_col').kind).toBe('arrow');
      expect(b.column('string_col').kind).toBe('bytes');
    }
    expect(batches).toBe(8);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: ['date_string_col', 'double_col', 'timestamp_col', 'string_col'] });
    expect(strings).toEqual(rows.map((r) => r.date_string_col));
    expect(doubles).toEqual(rows.map((r) => r.double_col));
    expect(times).toEqual(rows.map((r) => (r.timestamp_col as Date).getTime() / 1000));
    expect(ids.size).toBe(new Set(rows.map((r) => r.string_col)).size);
  });

  it('reads columns of other encodings (DELTA_BINARY_PACKED, DELTA_BYTE_ARRAY, BYTE_STREAM_SPLIT) through hyparquet', async () => {
    const cases: Array<[string, string, 'numbers' | 'strings']> = [
      ['delta_encoding_required_column.parquet', 'c_customer_sk:', 'numbers'],
      ['delta_encoding_required_column.parquet', 'c_customer_id:', 'strings'],
      ['byte_stream_split_extended.gzip.parquet', 'double_byte_stream_split', 'numbers'],
    ];
    for (const [name, column, as] of cases) {
      const file = join(fixtures, name);
      const src = await openTable(file, { batchRows: 64 });
      const got: unknown[] = [];
      for await (const b of src.batches()) {
        expect(b.column(column).kind).toBe('values');
        if (as === 'strings') got.push(...decodeStrings(b.column(column), b.length));
        else {
          const out = new Float64Array(b.length);
          decodeNumbers(b.column(column), b.length, out, 0);
          got.push(...Array.from(out, (v) => (Number.isNaN(v) ? null : v)));
        }
      }
      const rows = await parquetReadObjects({ file: await asyncBufferFromFile(file), columns: [column], compressors: hyparquetCompressors });
      expect(got.length).toBeGreaterThan(0);
      expect(got, column).toEqual(rows.map((r) => (r[column] === undefined ? null : r[column])));
    }
  });

  it('marks null cells missing, in text and in numbers', async () => {
    const file = join(dir, 'nulls.parquet');
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'a', data: ['x', null, 'z'], type: 'STRING' }, { name: 'b', data: [1.5, null, 3], type: 'DOUBLE' }] })));
    const src = await openTable(file);
    for await (const b of src.batches()) {
      expect([0, 1, 2].map((i) => isMissingCell(b.column('a'), i))).toEqual([false, true, false]);
      expect([0, 1, 2].map((i) => isMissingCell(b.column('b'), i))).toEqual([false, true, false]);
      const out = new Float64Array(3);
      decodeNumbers(b.column('b'), 3, out, 0);
      expect(out[0]).toBe(1.5);
      expect(out[1]).toBeNaN();
    }
  });

  it('names file, row group and column when a page is corrupt', async () => {
    const file = join(dir, 'corrupt.parquet');
    const values = Array.from({ length: 50 }, (_, i) => `value-${i}`);
    writeFileSync(file, new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'id', data: values, type: 'STRING' }], codec: 'UNCOMPRESSED' })));
    const bytes = readFileSync(file);
    // the first value's length prefix (4 bytes before "value-0") made huge
    const at = bytes.indexOf(Buffer.from('value-0')) - 4;
    expect(bytes.readInt32LE(at)).toBe(7);
    bytes.writeInt32LE(1 << 30, at);
    writeFileSync(file, bytes);
    const src = await openTable(file);
    const read = async () => {
      for await (const b of src.batches()) b.column('id');
    };
    await expect(read()).rejects.toThrow(InputError);
    await expect(read()).rejects.toThrow(/corrupt\.parquet: row group 0, column "id": a BYTE_ARRAY value runs past its page/);
  });
});

describe('Parquet encodings, by hand', () => {
  it('decodes the RLE / bit-packing hybrid example of the Parquet spec and an RLE run', () => {
    // spec example: values 0..7 bit-packed with width 3 -> one group: header (1 << 1) | 1, then 0x88 0xC6 0xFA
    const out = new Int32Array(8);
    const end = decodeRleHybrid(Uint8Array.of(0x03, 0x88, 0xc6, 0xfa), 0, 4, 3, out, 8);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(end).toBe(4);
    // RLE run of 300 (varint 600 = 0xD8 0x04) copies of 0x1234 at width 13 (2 bytes), then 2 bit-packed ones at width 13
    const rle = new Int32Array(302);
    decodeRleHybrid(Uint8Array.of(0xd8, 0x04, 0x34, 0x12, 0x03, 0xff, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00), 0, 18, 13, rle, 302);
    expect(rle[0]).toBe(0x1234);
    expect(rle[299]).toBe(0x1234);
    expect(rle[300]).toBe(0x1fff);
    expect(rle[301]).toBe(0);
    expect(() => decodeRleHybrid(Uint8Array.of(0x08, 0x01), 0, 2, 1, new Int32Array(10), 10)).toThrow(/ends after 4 of 10/);
  });

  it('unpacks bit-packed runs of every width 1..32 exactly, up to the last byte of the data', () => {
    const rng = createRng(5);
    for (let width = 1; width <= 32; width++) {
      const groups = 37;
      const n = 8 * groups;
      // values of the full width (the top bit set in some), packed LSB-first by a bit-by-bit encoder
      const values = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? 2 ** width - 1 : Math.floor(rng.next() * 2 ** width)));
      const packed = new Uint8Array(1 + groups * width);
      packed[0] = (groups << 1) | 1; // one varint byte: groups < 64
      for (let i = 0; i < n; i++) for (let b = 0; b < width; b++) if (Math.floor(values[i] / 2 ** b) % 2 === 1) packed[1 + ((i * width + b) >> 3)] |= 1 << ((i * width + b) & 7);
      const out = new Int32Array(n);
      expect(decodeRleHybrid(packed, 0, packed.length, width, out, n)).toBe(packed.length);
      // as unsigned: a 32-bit value with its top bit set comes out as a negative int32
      expect(Array.from(out, (v) => v >>> 0)).toEqual(values);
    }
  });

  it('reads a compact-protocol struct with nested struct, list, binary, negative and long integers', () => {
    // field 1 i32 = -3 (zigzag 5); field 3 (delta 2) binary "ab"; field 4 struct { field 1 i64 = 2^40 }; field 20 (long form) list<i32> [1, 2]; true at field 21
    const twoTo40 = 2 ** 40 * 2; // zigzag of 2^40
    const varint: number[] = [];
    for (let v = twoTo40; ; ) {
      const low = v % 128;
      v = Math.floor(v / 128);
      if (v === 0) {
        varint.push(low);
        break;
      }
      varint.push(low | 0x80);
    }
    const bytes = Uint8Array.of(0x15, 0x05, 0x28, 0x02, 0x61, 0x62, 0x1c, 0x16, ...varint, 0x00, 0x09, 0x28, 0x25, 0x02, 0x04, 0x11, 0x00, 0xee);
    const { value, end } = readThriftStruct(bytes, 0);
    expect(value[1]).toBe(-3);
    expect(Array.from(value[3] as Uint8Array)).toEqual([0x61, 0x62]);
    expect((value[4] as Record<number, number>)[1]).toBe(2 ** 40);
    expect(value[20]).toEqual([1, 2]);
    expect(value[21]).toBe(true);
    expect(end).toBe(bytes.length - 1);
  });
});
