/**
 * Parquet page decompression: UNCOMPRESSED, SNAPPY (hysnappy, WebAssembly: about 3 times the speed of
 * a JavaScript decoder on this project's pages) and GZIP (node:zlib). The same functions serve
 * hyparquet for the columns it reads, so both readers accept the same codecs.
 */
import { gunzipSync } from 'node:zlib';
import { snappyUncompressor } from 'hysnappy';

const snappy = snappyUncompressor();

/** Codecs decompressPage accepts. */
export const SUPPORTED_CODECS: readonly string[] = ['UNCOMPRESSED', 'SNAPPY', 'GZIP'];

/** The uncompressed bytes of a page body of `size` bytes once uncompressed; throws on another codec. */
export function decompressPage(codec: string, body: Uint8Array, size: number): Uint8Array {
  if (codec === 'UNCOMPRESSED') return body;
  if (size === 0) return new Uint8Array(0);
  if (codec === 'SNAPPY') return snappy(body, size);
  if (codec === 'GZIP') return new Uint8Array(gunzipSync(body));
  throw new Error(`codec ${codec}`);
}

/** hyparquet's `compressors` option with the same decoders. */
export const hyparquetCompressors = {
  SNAPPY: (input: Uint8Array, size: number): Uint8Array => decompressPage('SNAPPY', input, size),
  GZIP: (input: Uint8Array, size: number): Uint8Array => decompressPage('GZIP', input, size),
};
