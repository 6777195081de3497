/**
 * Parquet's RLE / bit-packing hybrid encoding (definition levels and dictionary indices).
 * A run header is a varint h: h & 1 = 0 is an RLE run of h >>> 1 copies of one value stored in
 * ceil(bitWidth / 8) little-endian bytes; h & 1 = 1 is (h >>> 1) groups of 8 values bit-packed
 * LSB-first in bitWidth bits each.
 * Spec: https://parquet.apache.org/docs/file-format/data-pages/encodings/#run-length-encoding--bit-packing-hybrid-rle--3
 */

/**
 * Decode `count` values of width `bitWidth` (0..32) from bytes[pos, end) into out[0, count). Returns the
 * position after the last run read. Throws when the runs end before `count` values.
 */
export function decodeRleHybrid(bytes: Uint8Array, pos: number, end: number, bitWidth: number, out: Int32Array, count: number): number {
  if (bitWidth === 0) {
    out.fill(0, 0, count);
    return pos;
  }
  const valueBytes = (bitWidth + 7) >>> 3;
  const mask = bitWidth === 32 ? -1 : (1 << bitWidth) - 1;
  let filled = 0;
  while (filled < count) {
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${filled} of ${count} values`);
    // varint run header
    let header = 0;
    let shift = 0;
    for (;;) {
      if (pos >= end) throw new Error('RLE/bit-packed data ends inside a run header');
      const b = bytes[pos++];
      header += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
    }
    if (header % 2 === 0) {
      const run = header / 2;
      if (pos + valueBytes > end) throw new Error('RLE/bit-packed data ends inside a repeated value');
      let value = 0;
      for (let b = 0; b < valueBytes; b++) value |= bytes[pos + b] << (8 * b);
      pos += valueBytes;
      const take = Math.min(run, count - filled);
      out.fill(value & mask, filled, filled + take);
      filled += take;
    } else {
      const groups = (header - 1) / 2;
      const runBytes = groups * bitWidth;
      // the last group may be cut short by the end of the data (writers pad it, but only up to the page)
      const available = Math.min(runBytes, end - pos);
      const values = Math.min(groups * 8, count - filled, Math.floor((available * 8) / bitWidth));
      let bitPos = pos * 8;
      let i = 0;
      // while 5 bytes from the value's first byte lie inside the data: a value of up to 24 bits is in the
      // little-endian word at its first byte, shifted by its bit offset (at most 7); a wider one may
      // reach into the fifth byte
      const wide = bitWidth > 24;
      for (; i < values; i++, bitPos += bitWidth) {
        const byte = bitPos >>> 3;
        if (byte + 5 > end) break;
        const offset = bitPos & 7;
        let v = (bytes[byte] | (bytes[byte + 1] << 8) | (bytes[byte + 2] << 16) | (bytes[byte + 3] << 24)) >>> offset;
        if (wide && offset > 0) v |= bytes[byte + 4] << (32 - offset);
        out[filled + i] = v & mask;
      }
      // the last few values, byte by byte (bytes past the end read as 0)
      for (; i < values; i++, bitPos += bitWidth) {
        const byte = bitPos >>> 3;
        const offset = bitPos & 7;
        let v = bytes[byte] >>> offset;
        let got = 8 - offset;
        for (let k = 1; got < bitWidth; k++, got += 8) v |= (byte + k < end ? bytes[byte + k] : 0) * 2 ** got;
        out[filled + i] = v & mask;
      }
      filled += values;
      pos += runBytes;
      if (values < Math.min(groups * 8, count - (filled - values))) throw new Error('RLE/bit-packed data ends inside a bit-packed run');
    }
  }
  return pos;
}
