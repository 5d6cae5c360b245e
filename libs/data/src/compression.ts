import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { deflateRawSync, gunzip } from 'node:zlib';

import { AkdError } from '@akd/core';

const gunzipAsync = promisify(gunzip);

/** First two bytes of every gzip member (RFC 1952, ID1 and ID2). */
const GZIP_SIGNATURE = [0x1f, 0x8b] as const;

/** Returns whether `bytes` starts with the gzip signature 0x1f 0x8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === GZIP_SIGNATURE[0] && bytes[1] === GZIP_SIGNATURE[1];
}

/**
 * Reads a file and decompresses it when its first bytes are the gzip signature, whatever the file
 * is called. Throws INVALID_FILE, naming `path`, when a gzip file cannot be decompressed.
 */
export async function readFileDecompressed(path: string): Promise<Buffer> {
  const bytes = await readFile(path);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new AkdError(
      'INVALID_FILE',
      `${path} starts with the gzip signature but could not be decompressed (${reason}). ` +
        'The file is probably truncated or corrupted: download it again.',
      { file: path, compressedBytes: bytes.length, reason },
      { cause: error },
    );
  }
}

/**
 * Compresses `bytes` into a single gzip member whose bytes depend only on the input. The header
 * has no file name, a zero modification time and the OS field fixed to 3 (Unix). Node's own
 * `gzipSync` writes the OS code that zlib was built with (zutil.h: 3 Unix, 10 Windows, 19 macOS).
 * NOTE: the deflate stream comes from the zlib bundled with Node.js, so a different zlib build
 * may choose different (equally valid) compressed bytes for the same input.
 */
export function gzipDeterministic(bytes: Uint8Array): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03]);
  const body = deflateRawSync(bytes, { level: 9 });
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(bytes), 0);
  trailer.writeUInt32LE(bytes.length % 2 ** 32, 4);
  return Buffer.concat([header, body, trailer]);
}

let crcTable: Uint32Array | undefined;

/** Computes the CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) that gzip stores in its trailer. */
export function crc32(bytes: Uint8Array): number {
  crcTable ??= buildCrcTable();
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    crc = crcTable[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}
