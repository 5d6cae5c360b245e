import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { AkdError, Rng } from '@akd/core';

import { decodeJpeg, isJpeg } from './jpeg.js';
import { jpegOf, pngOf } from './testing.js';

/** Pixels that change smoothly with position, which lossy JPEG keeps within a few levels. */
function smooth(width: number, height: number, channels: number, seed = 0): number[] {
  return Array.from({ length: width * height * channels }, (_, i) => {
    const pixel = Math.floor(i / channels);
    return Math.min(
      255,
      20 + seed * 10 + (pixel % width) * 6 + Math.floor(pixel / width) * 4 + (i % channels) * 30,
    );
  });
}

function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  assert.equal(actual.length, expected.length);
  let max = 0;
  for (let i = 0; i < actual.length; i++) max = Math.max(max, Math.abs(actual[i] - expected[i]));
  return max;
}

function assertInvalidFile(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AkdError, String(error));
    assert.equal(error.code, 'INVALID_FILE');
    assert.match(error.message, message);
    return true;
  });
}

/** Offset of the first segment with `marker` before the image data, found by walking the segment lengths. */
function findSegment(bytes: Uint8Array, marker: number): number {
  for (
    let offset = 2;
    offset + 4 <= bytes.length;
    offset += 2 + ((bytes[offset + 2] << 8) | bytes[offset + 3])
  ) {
    assert.equal(bytes[offset], 0xff, `a marker at byte ${offset}`);
    if (bytes[offset + 1] === marker) return offset;
  }
  assert.fail(`no segment with marker 0x${marker.toString(16)}`);
}

/** Replaces the JFIF APP0 segment of a jpeg-js file by an Adobe APP14 segment with `transform`. */
function withAdobeSegment(bytes: Buffer, transform: number): Buffer {
  const app0 = findSegment(bytes, 0xe0);
  const app0End = app0 + 2 + ((bytes[app0 + 2] << 8) | bytes[app0 + 3]);
  // "Adobe", version 100, flags0, flags1, transform.
  const adobe = Buffer.from([0xff, 0xee, 0, 14, ...Buffer.from('Adobe'), 0, 100, 0, 0, 0, 0, transform]);
  return Buffer.concat([bytes.subarray(0, app0), adobe, bytes.subarray(app0End)]);
}

describe('decodeJpeg', () => {
  test('greyscale gives one channel', () => {
    const pixels = smooth(13, 9, 1);
    const image = decodeJpeg(jpegOf(13, 9, 1, pixels), 'grey.jpg');
    assert.equal(image.width, 13);
    assert.equal(image.height, 9);
    assert.equal(image.channels, 1);
    assert.ok(
      maxDifference(image.pixels, pixels) <= 3,
      `max difference ${maxDifference(image.pixels, pixels)}`,
    );
  });

  test('colour gives RGB', () => {
    const pixels = smooth(11, 7, 3);
    const image = decodeJpeg(jpegOf(11, 7, 3, pixels, 95), 'colour.jpg');
    assert.equal(image.width, 11);
    assert.equal(image.height, 7);
    assert.equal(image.channels, 3);
    assert.ok(
      maxDifference(image.pixels, pixels) <= 8,
      `max difference ${maxDifference(image.pixels, pixels)}`,
    );
  });

  test('detects the signature', () => {
    assert.equal(isJpeg(jpegOf(2, 2, 1, [0, 1, 2, 3])), true);
    assert.equal(isJpeg(pngOf(1, 1, 1, [0])), false);
    assert.equal(isJpeg(Buffer.from([0xff, 0xd8])), false);
    assertInvalidFile(
      () => decodeJpeg(pngOf(1, 1, 1, [0]), 'a.png'),
      /a\.png is not a readable JPEG image: it does not start/,
    );
  });

  test('Adobe transform 0 keeps the samples as RGB', () => {
    // A uniform colour whose YCbCr samples are about (95, 103, 203).
    const colour = Array.from({ length: 16 * 8 }, () => [200, 50, 50]).flat();
    const encoded = jpegOf(16, 8, 3, colour, 100);
    const ycbcr = decodeJpeg(withAdobeSegment(encoded, 1), 'ycbcr.jpg');
    assert.ok(
      maxDifference(ycbcr.pixels.subarray(0, 3), [200, 50, 50]) <= 3,
      String(ycbcr.pixels.subarray(0, 3)),
    );
    const rgb = decodeJpeg(withAdobeSegment(encoded, 0), 'rgb.jpg');
    assert.ok(
      maxDifference(rgb.pixels.subarray(0, 3), [95, 103, 203]) <= 3,
      String(rgb.pixels.subarray(0, 3)),
    );
  });

  test('component ids R, G, B mean RGB', () => {
    const colour = Array.from({ length: 8 * 8 }, () => [200, 50, 50]).flat();
    const bytes = withAdobeSegment(jpegOf(8, 8, 3, colour, 100), 1);
    // Drop the Adobe segment again, so that only the component ids name the colour space.
    const adobe = findSegment(bytes, 0xee);
    const plain = Buffer.concat([bytes.subarray(0, adobe), bytes.subarray(adobe + 16)]);
    const frame = findSegment(plain, 0xc0) + 4;
    const scan = findSegment(plain, 0xda) + 4;
    for (const [i, id] of [0x52, 0x47, 0x42].entries()) {
      plain[frame + 6 + 3 * i] = id;
      plain[scan + 1 + 2 * i] = id;
    }
    const image = decodeJpeg(plain, 'ids.jpg');
    assert.ok(
      maxDifference(image.pixels.subarray(0, 3), [95, 103, 203]) <= 3,
      String(image.pixels.subarray(0, 3)),
    );
  });

  const unsupported: [string, (bytes: Buffer, frame: number) => void, RegExp][] = [
    [
      'lossless process',
      (bytes, frame) => (bytes[frame + 1] = 0xc3),
      /uses lossless coding, which the JPEG decoder does not support/,
    ],
    ['arithmetic coding', (bytes, frame) => (bytes[frame + 1] = 0xc9), /uses arithmetic coding/],
    ['12-bit samples', (bytes, frame) => (bytes[frame + 4] = 12), /has 12-bit samples/],
    ['height from DNL', (bytes, frame) => bytes.writeUInt16BE(0, frame + 5), /declares 8×0 pixels/],
    ['2 components', (bytes, frame) => (bytes[frame + 9] = 2), /has 2 colour components/],
  ];
  for (const [name, patch, message] of unsupported) {
    test(`rejects ${name}`, () => {
      const bytes = jpegOf(8, 8, 3, smooth(8, 8, 3));
      patch(bytes, findSegment(bytes, 0xc0));
      assertInvalidFile(() => decodeJpeg(bytes, 'odd.jpg'), message);
    });
  }

  test('rejects CMYK without Adobe segment', () => {
    const bytes = jpegOf(8, 8, 3, smooth(8, 8, 3));
    const frame = findSegment(bytes, 0xc0);
    const frameEnd = frame + 2 + bytes.readUInt16BE(frame + 2);
    // A fourth component (id 4, no subsampling, table 1), with the segment length and count raised.
    const cmyk = Buffer.concat([
      bytes.subarray(0, frameEnd),
      Buffer.from([4, 0x11, 1]),
      bytes.subarray(frameEnd),
    ]);
    cmyk.writeUInt16BE(cmyk.readUInt16BE(frame + 2) + 3, frame + 2);
    cmyk[frame + 9] = 4;
    assertInvalidFile(
      () => decodeJpeg(cmyk, 'cmyk.jpg'),
      /has 4 colour components \(CMYK\) without an Adobe segment/,
    );
  });

  test('checks the pixel limit before decoding', () => {
    const bytes = jpegOf(8, 8, 3, smooth(8, 8, 3));
    const frame = findSegment(bytes, 0xc0);
    bytes.writeUInt16BE(60000, frame + 5);
    bytes.writeUInt16BE(60000, frame + 7);
    // 60000 × 60000 RGB would need about 75 GB inside jpeg-js.
    assertInvalidFile(
      () => decodeJpeg(bytes, 'huge.jpg'),
      /huge\.jpg is 60000×60000 pixels with 3 channel\(s\), 10800000000 bytes decoded, above the limit of 268435456 bytes/,
    );
    assertInvalidFile(
      () => decodeJpeg(jpegOf(8, 8, 1, smooth(8, 8, 1)), 'small.jpg', { maxPixelBytes: 63 }),
      /small\.jpg is 8×8 pixels with 1 channel\(s\), 64 bytes decoded, above the limit of 63 bytes/,
    );
  });

  test('checks the decoder memory', () => {
    const bytes = jpegOf(64, 64, 3, smooth(64, 64, 3));
    assertInvalidFile(
      () => decodeJpeg(bytes, 'big.jpg', { maxDecoderBytes: 64 * 1024 }),
      /big\.jpg is 64×64 pixels, and decoding it needs more than the limit of 65536 bytes of decoder memory/,
    );
    assert.equal(decodeJpeg(bytes, 'big.jpg', { maxDecoderBytes: 1024 * 1024 }).channels, 3);
  });

  test('rejects every truncation', () => {
    for (const bytes of [jpegOf(16, 16, 1, smooth(16, 16, 1)), jpegOf(16, 16, 3, smooth(16, 16, 3))]) {
      for (let length = 3; length < bytes.length; length++) {
        assertInvalidFile(
          () => decodeJpeg(bytes.subarray(0, length), 'cut.jpg'),
          /cut\.jpg is not a readable JPEG image: .*truncated/,
        );
      }
    }
  });

  test('corrupted bytes fail as INVALID_FILE', () => {
    const original = jpegOf(16, 16, 3, smooth(16, 16, 3));
    const rng = new Rng(7);
    for (let trial = 0; trial < 300; trial++) {
      const bytes = Buffer.from(original);
      for (let flips = 1 + rng.int(3); flips > 0; flips--)
        bytes[3 + rng.int(bytes.length - 3)] = rng.int(256);
      try {
        const image = decodeJpeg(bytes, 'noisy.jpg');
        // Damage inside the image data may still decode, to other pixels.
        assert.equal(image.pixels.length, image.width * image.height * image.channels);
      } catch (error) {
        assert.ok(
          error instanceof AkdError && error.code === 'INVALID_FILE',
          `trial ${trial}: ${String(error)}`,
        );
      }
    }
  });
});
