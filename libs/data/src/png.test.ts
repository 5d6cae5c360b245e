import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AkdError } from '@akd/core';

import { crc32 } from './compression.js';
import { decodePng, isPng } from './png.js';
import { encodeTestPng, pngOf } from './testing.js';

/** Sample values 0..max in a pattern that differs between neighbouring pixels and channels. */
function samples(count: number, max: number): number[] {
  return Array.from({ length: count }, (_, i) => (i * 7919 + 13) % (max + 1));
}

function assertInvalidFile(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AkdError);
    assert.equal(error.code, 'INVALID_FILE');
    assert.match(error.message, message);
    return true;
  });
}

describe('decodePng', () => {
  for (const [colorType, channels] of [
    [0, 1],
    [4, 2],
    [2, 3],
    [6, 4],
  ] as const) {
    for (const interlace of [false, true]) {
      test(`colour type ${colorType}, 8-bit, interlace ${interlace}`, () => {
        const [width, height] = [11, 9];
        const values = samples(width * height * channels, 255);
        const image = decodePng(encodeTestPng(width, height, values, { colorType, interlace }), 'a.png');
        assert.equal(image.width, width);
        assert.equal(image.height, height);
        assert.equal(image.channels, channels);
        assert.deepEqual([...image.pixels], values);
      });
    }
  }

  test('16-bit samples keep their high byte', () => {
    const values = samples(5 * 4 * 3, 65535);
    const image = decodePng(encodeTestPng(5, 4, values, { colorType: 2, bitDepth: 16 }), 'deep.png');
    assert.deepEqual(
      [...image.pixels],
      values.map((value) => value >> 8),
    );
  });

  for (const bitDepth of [1, 2, 4] as const) {
    test(`${bitDepth}-bit grey scales to 0-255`, () => {
      const max = (1 << bitDepth) - 1;
      const values = samples(13 * 3, max);
      const image = decodePng(encodeTestPng(13, 3, values, { bitDepth, interlace: bitDepth === 2 }), 'g.png');
      assert.equal(image.channels, 1);
      assert.deepEqual(
        [...image.pixels],
        values.map((value) => Math.round((value * 255) / max)),
      );
    });
  }

  test('palette image becomes RGB', () => {
    const palette = Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30]);
    const indices = samples(7 * 5, 3);
    const image = decodePng(encodeTestPng(7, 5, indices, { colorType: 3, bitDepth: 2, palette }), 'p.png');
    assert.equal(image.channels, 3);
    assert.deepEqual(
      [...image.pixels],
      indices.flatMap((index) => [...palette.subarray(3 * index, 3 * index + 3)]),
    );
  });

  test('palette with tRNS becomes RGBA', () => {
    const palette = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const png = encodeTestPng(2, 1, [0, 1], { colorType: 3, palette, paletteAlpha: Uint8Array.from([128]) });
    assert.deepEqual([...decodePng(png, 't.png').pixels], [1, 2, 3, 128, 4, 5, 6, 255]);
  });

  test('isPng checks the signature', () => {
    assert.equal(isPng(pngOf(1, 1, 1, [0])), true);
    assert.equal(isPng(Buffer.from('GIF89a')), false);
  });

  test('rejects bytes that are not PNG', () => {
    assertInvalidFile(
      () => decodePng(Buffer.from('not an image at all'), 'x.png'),
      /^x\.png is not a readable PNG image: it does not start with the PNG signature/,
    );
  });

  test('rejects a truncated file', () => {
    const png = pngOf(8, 8, 3, samples(8 * 8 * 3, 255));
    assertInvalidFile(() => decodePng(png.subarray(0, png.length - 30), 'cut.png'), /truncated/);
  });

  test('rejects a corrupted chunk', () => {
    const png = Buffer.from(pngOf(8, 8, 1, samples(64, 255)));
    png[40] ^= 0xff;
    assertInvalidFile(() => decodePng(png, 'bad.png'), /CRC .* does not match/);
  });

  test('rejects image data shorter than declared', () => {
    const short = encodeTestPng(4, 2, samples(8, 255));
    // Same data under a header that declares twice the height.
    const header = Buffer.from(short);
    header.writeUInt32BE(4, 20);
    const fixed = Buffer.concat([short.subarray(0, 8), rechunk(header.subarray(8, 33)), short.subarray(33)]);
    assertInvalidFile(() => decodePng(fixed, 'short.png'), /image data (does not inflate|holds)/);
  });

  test('rejects an image above the pixel limit', () => {
    const png = pngOf(20, 20, 3, samples(1200, 255));
    assertInvalidFile(
      () => decodePng(png, 'big.png', { maxPixelBytes: 1000 }),
      /20×20 pixels .* above the limit of 1000 bytes/,
    );
  });
});

/** Returns a chunk given with its length, type, data and old CRC, with the CRC recomputed. */
function rechunk(chunkBytes: Buffer): Buffer {
  const out = Buffer.from(chunkBytes);
  out.writeUInt32BE(crc32(out.subarray(4, out.length - 4)), out.length - 4);
  return out;
}
