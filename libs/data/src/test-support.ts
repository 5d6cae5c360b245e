/**
 * Helpers for the tests of this package: temporary directories, a minimal ustar writer and
 * synthetic datasets. Not exported from the package entry point.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

import type { Split } from './dataset.js';

/** Creates a temporary directory that is removed after the current test file. */
export function makeTempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'akd-data-test-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** One entry for {@link buildTar}. */
export interface TarTestEntry {
  /** Value of the 100-byte name field. */
  name: string;
  /** Value of the 155-byte ustar prefix field. */
  prefix?: string;
  /** Type flag: '0' file (default), '5' directory, 'x' pax header, 'L' GNU long name. */
  typeFlag?: string;
  /** Entry body. */
  data?: Uint8Array;
}

/** Builds an uncompressed POSIX ustar archive, ending with two zero blocks. */
export function buildTar(entries: TarTestEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = Buffer.from(entry.data ?? new Uint8Array(0));
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100, 'latin1');
    header.write('0000000\0', 108, 'latin1');
    header.write('0000000\0', 116, 'latin1');
    header.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    header.write('00000000000\0', 136, 'latin1');
    header.write(' '.repeat(8), 148, 'latin1');
    header.write(entry.typeFlag ?? '0', 156, 'latin1');
    header.write('ustar\0', 257, 'latin1');
    header.write('00', 263, 'latin1');
    if (entry.prefix) header.write(entry.prefix, 345, 155, 'utf8');
    let checksum = 0;
    for (const byte of header) checksum += byte;
    header.write(checksum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');

    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Encodes one pax extended-header record, `"<length> <key>=<value>\n"`, with the length counting itself. */
export function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = body.length + 1;
  while (String(length).length + body.length !== length) length = String(length).length + body.length;
  return `${length}${body}`;
}

/**
 * Builds a split of `count` images of `valuesPerImage` bytes whose pixels encode their index
 * (`(index × 7 + position) mod 256`), so a test can check which image a batch row came from.
 */
export function makeSyntheticSplit(count: number, valuesPerImage: number, numClasses: number): Split {
  const images = new Uint8Array(count * valuesPerImage);
  for (let index = 0; index < count; index++) {
    for (let position = 0; position < valuesPerImage; position++) {
      images[index * valuesPerImage + position] = (index * 7 + position) % 256;
    }
  }
  const labels = Uint8Array.from({ length: count }, (_, index) => index % numClasses);
  return { images, labels, count };
}
