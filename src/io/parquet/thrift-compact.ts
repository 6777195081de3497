/**
 * A reader for Thrift's compact protocol, enough for Parquet page headers: a struct becomes an object
 * keyed by field id. Integers are zigzag varints (i64 beyond 2^53 loses precision, which page headers
 * never need); binaries stay bytes; lists are arrays. Page headers are read once per page, so plain
 * objects are fine here.
 * Spec: https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md
 */

export type ThriftValue = number | boolean | Uint8Array | ThriftValue[] | ThriftStruct;
export interface ThriftStruct {
  [fieldId: number]: ThriftValue;
}

const STOP = 0;
const TRUE = 1;
const FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

/** Raised when the bytes end inside a struct (the caller may read more bytes and retry). */
export class ThriftTruncated extends Error {}

class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  byte(): number {
    if (this.pos >= this.bytes.length) throw new ThriftTruncated('thrift: bytes end inside a struct');
    return this.bytes[this.pos++];
  }

  /** unsigned LEB128 varint, as a double (exact below 2^53) */
  varint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return value;
      scale *= 128;
      if (scale > 2 ** 63) throw new Error('thrift: varint longer than 64 bits');
    }
  }

  /** zigzag-decoded varint: 0, -1, 1, -2, ... */
  zigzag(): number {
    const u = this.varint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
}

function readValue(c: Cursor, type: number): ThriftValue {
  switch (type) {
    case TRUE:
      return true;
    case FALSE:
      return false;
    case BYTE: {
      const b = c.byte();
      return b > 127 ? b - 256 : b;
    }
    case I16:
    case I32:
    case I64:
      return c.zigzag();
    case DOUBLE: {
      if (c.pos + 8 > c.bytes.length) throw new ThriftTruncated('thrift: bytes end inside a double');
      const v = new DataView(c.bytes.buffer, c.bytes.byteOffset + c.pos, 8).getFloat64(0, true);
      c.pos += 8;
      return v;
    }
    case BINARY: {
      const n = c.varint();
      if (c.pos + n > c.bytes.length) throw new ThriftTruncated('thrift: bytes end inside a binary');
      const v = c.bytes.subarray(c.pos, c.pos + n);
      c.pos += n;
      return v;
    }
    case LIST:
    case SET: {
      const head = c.byte();
      const size = head >> 4 === 15 ? c.varint() : head >> 4;
      const elementType = head & 0x0f;
      const out: ThriftValue[] = [];
      // booleans in a list are one byte each (1 = true)
      for (let i = 0; i < size; i++) out.push(elementType === TRUE || elementType === FALSE ? c.byte() === 1 : readValue(c, elementType));
      return out;
    }
    case MAP: {
      const size = c.varint();
      if (size === 0) return [];
      const types = c.byte();
      const out: ThriftValue[] = [];
      for (let i = 0; i < size; i++) out.push([readValue(c, types >> 4), readValue(c, types & 0x0f)]);
      return out;
    }
    case STRUCT:
      return readStructAt(c);
    default:
      throw new Error(`thrift: unknown compact type ${type}`);
  }
}

function readStructAt(c: Cursor): ThriftStruct {
  const out: ThriftStruct = {};
  let id = 0;
  for (;;) {
    const head = c.byte();
    const type = head & 0x0f;
    if (type === STOP) return out;
    const delta = head >> 4;
    id = delta !== 0 ? id + delta : c.zigzag();
    out[id] = readValue(c, type);
  }
}

/** Read the struct that starts at bytes[pos]; returns it and the position after its STOP byte. */
export function readThriftStruct(bytes: Uint8Array, pos: number): { value: ThriftStruct; end: number } {
  const c = new Cursor(bytes, pos);
  const value = readStructAt(c);
  return { value, end: c.pos };
}
