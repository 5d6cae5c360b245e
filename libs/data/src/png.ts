/**
 * PNG decoder (ISO/IEC 15948, the PNG specification) built on Node's zlib: every colour type, bit
 * depths 1 to 16 and Adam7 interlacing. Samples are returned as 8-bit values, 16-bit samples
 * keeping their high byte. Palette images become RGB, or RGBA when a tRNS chunk gives the palette
 * alpha. The tRNS colour key of grey and RGB images is ignored, so those keep their channel count.
 */
import { inflateSync } from 'node:zlib';

import { AkdError } from '@akd/core';

import { crc32 } from './compression.js';

/** A decoded image: `height × width × channels` bytes in HWC order. */
export interface DecodedImage {
  width: number;
  height: number;
  /** 1 grey, 2 grey and alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  pixels: Uint8Array;
}

/** Options of {@link decodePng}. */
export interface DecodePngOptions {
  /** Largest accepted `width × height × channels` of the decoded image; larger images fail before inflating. */
  maxPixelBytes?: number;
}

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Default of {@link DecodePngOptions.maxPixelBytes}: 256 MiB, a 8192 × 8192 RGBA image. */
const DEFAULT_MAX_PIXEL_BYTES = 256 * 1024 * 1024;

/** Samples per pixel of each PNG colour type. */
const SAMPLES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/** Bit depths allowed for each colour type. */
const ALLOWED_BIT_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};

/** Start column, start row, column step and row step of the seven Adam7 passes. */
const ADAM7_PASSES: readonly (readonly [number, number, number, number])[] = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

interface Header {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

/** Returns whether `bytes` starts with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= PNG_SIGNATURE.length && PNG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * Decodes a PNG file. `source` names the file in error messages. Throws INVALID_FILE when the
 * bytes are not a PNG, are truncated, fail a chunk CRC, or the image data does not inflate to
 * the size the header declares, and when the image exceeds `options.maxPixelBytes`.
 */
export function decodePng(bytes: Uint8Array, source: string, options: DecodePngOptions = {}): DecodedImage {
  const fail: (reason: string) => never = (reason) => {
    throw new AkdError('INVALID_FILE', `${source} is not a readable PNG image: ${reason}.`, { file: source });
  };
  if (!isPng(bytes)) fail('it does not start with the PNG signature');

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | null = null;
  let palette: Uint8Array | null = null;
  let paletteAlpha: Uint8Array | null = null;
  const data: Uint8Array[] = [];
  let ended = false;

  for (let offset = PNG_SIGNATURE.length; !ended;) {
    if (offset + 12 > bytes.length) fail('the file is truncated (it ends before the IEND chunk)');
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) fail(`the file is truncated inside the ${type} chunk`);
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (crc32(bytes.subarray(offset + 4, offset + 8 + length)) !== view.getUint32(offset + 8 + length)) {
      fail(`the CRC of the ${type} chunk does not match, so the file is corrupted`);
    }
    if (header === null && type !== 'IHDR') fail('the first chunk is not IHDR');

    switch (type) {
      case 'IHDR':
        header = parseHeader(body, fail);
        break;
      case 'PLTE':
        if (length % 3 !== 0 || length === 0 || length > 768) fail(`the palette has ${length} bytes`);
        palette = body;
        break;
      case 'tRNS':
        if (header?.colorType === 3) paletteAlpha = body;
        break;
      case 'IDAT':
        data.push(body);
        break;
      case 'IEND':
        ended = true;
        break;
      default:
        // Bit 5 of the first type byte is 0 for critical chunks, which a decoder must understand.
        if ((bytes[offset + 4] & 0x20) === 0) fail(`it has the unknown critical chunk ${type}`);
    }
    offset = end;
  }

  const { width, height, bitDepth, colorType } = header as Header;
  if (data.length === 0) fail('it has no IDAT chunk');
  if (colorType === 3 && palette === null) fail('the palette image has no PLTE chunk');

  let outChannels = SAMPLES_PER_PIXEL[colorType] as DecodedImage['channels'];
  if (colorType === 3) outChannels = paletteAlpha ? 4 : 3;
  const pixelBytes = width * height * outChannels;
  const maxPixelBytes = options.maxPixelBytes ?? DEFAULT_MAX_PIXEL_BYTES;
  if (pixelBytes > maxPixelBytes) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is ${width}×${height} pixels with ${outChannels} channel(s), ${pixelBytes} bytes decoded, ` +
        `above the limit of ${maxPixelBytes} bytes. Resize the image.`,
      { file: source, width, height, maxPixelBytes },
    );
  }

  const samples = unfilterImage(header as Header, inflateImageData(data, header as Header, fail), fail);
  const pixels = new Uint8Array(pixelBytes);
  if (colorType === 3) {
    expandPalette(samples, palette as Uint8Array, paletteAlpha, pixels, outChannels, fail);
  } else if (bitDepth < 8) {
    const scale = 255 / ((1 << bitDepth) - 1);
    for (let i = 0; i < samples.length; i++) pixels[i] = Math.round(samples[i] * scale);
  } else {
    pixels.set(samples);
  }
  return { width, height, channels: outChannels, pixels };
}

function parseHeader(body: Uint8Array, fail: (reason: string) => never): Header {
  if (body.length !== 13) fail(`the IHDR chunk has ${body.length} bytes instead of 13`);
  const view = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const width = view.getUint32(0);
  const height = view.getUint32(4);
  const [bitDepth, colorType, compression, filter, interlace] = body.subarray(8, 13);
  if (width === 0 || height === 0 || width > 0x7fffffff || height > 0x7fffffff) {
    fail(`the header declares ${width}×${height} pixels`);
  }
  if (!(colorType in ALLOWED_BIT_DEPTHS)) fail(`the colour type ${colorType} does not exist`);
  if (!ALLOWED_BIT_DEPTHS[colorType].includes(bitDepth)) {
    fail(`bit depth ${bitDepth} is not allowed with colour type ${colorType}`);
  }
  if (compression !== 0 || filter !== 0 || interlace > 1) {
    fail(`compression ${compression}, filter ${filter} or interlace ${interlace} method is unknown`);
  }
  return { width, height, bitDepth, colorType, interlaced: interlace === 1 };
}

/** Bytes of one filtered scanline of `width` pixels, without its filter-type byte. */
function rowBytes(header: Header, width: number): number {
  return Math.ceil((width * SAMPLES_PER_PIXEL[header.colorType] * header.bitDepth) / 8);
}

/** Sizes of the sub-images the image data holds: the whole image, or the non-empty Adam7 passes. */
function subImages(header: Header): { width: number; height: number; pass: number }[] {
  if (!header.interlaced) return [{ width: header.width, height: header.height, pass: -1 }];
  return ADAM7_PASSES.map(([x0, y0, dx, dy], pass) => ({
    width: Math.ceil((header.width - x0) / dx),
    height: Math.ceil((header.height - y0) / dy),
    pass,
  })).filter((image) => image.width > 0 && image.height > 0);
}

function inflateImageData(chunks: Uint8Array[], header: Header, fail: (reason: string) => never): Buffer {
  const expected = subImages(header).reduce(
    (sum, image) => sum + image.height * (1 + rowBytes(header, image.width)),
    0,
  );
  let inflated: Buffer;
  try {
    inflated = inflateSync(Buffer.concat(chunks), { maxOutputLength: expected });
  } catch (error) {
    // zlib reports an incomplete stream as "unexpected end of file".
    return fail(
      `the image data does not inflate (${(error as Error).message}); the file is probably truncated`,
    );
  }
  if (inflated.length < expected) {
    fail(`the image data holds ${inflated.length} of the ${expected} bytes that the header declares`);
  }
  return inflated;
}

/**
 * Reverses the scanline filters and returns the samples of every pixel in row order, one sample
 * per byte (16-bit samples keep their high byte, sub-byte samples are unpacked).
 */
function unfilterImage(header: Header, inflated: Buffer, fail: (reason: string) => never): Uint8Array {
  const samplesPerPixel = SAMPLES_PER_PIXEL[header.colorType];
  const out = new Uint8Array(header.width * header.height * samplesPerPixel);
  // Distance in bytes to the corresponding byte of the pixel to the left, at least 1.
  const bpp = Math.max(1, (samplesPerPixel * header.bitDepth) / 8);
  let offset = 0;
  for (const image of subImages(header)) {
    const stride = rowBytes(header, image.width);
    let previous = new Uint8Array(stride);
    for (let y = 0; y < image.height; y++) {
      const filterType = inflated[offset];
      const row = Uint8Array.from(inflated.subarray(offset + 1, offset + 1 + stride));
      offset += 1 + stride;
      unfilterRow(filterType, row, previous, bpp, fail);
      const [x0, y0, dx, dy] = image.pass < 0 ? [0, 0, 1, 1] : ADAM7_PASSES[image.pass];
      writeRow(header, row, image.width, out, y0 + y * dy, x0, dx);
      previous = row;
    }
  }
  return out;
}

function unfilterRow(
  filterType: number,
  row: Uint8Array,
  previous: Uint8Array,
  bpp: number,
  fail: (reason: string) => never,
): void {
  for (let i = 0; i < row.length; i++) {
    const left = i >= bpp ? row[i - bpp] : 0;
    const up = previous[i];
    const upLeft = i >= bpp ? previous[i - bpp] : 0;
    switch (filterType) {
      case 0:
        return;
      case 1:
        row[i] = (row[i] + left) & 0xff;
        break;
      case 2:
        row[i] = (row[i] + up) & 0xff;
        break;
      case 3:
        row[i] = (row[i] + ((left + up) >> 1)) & 0xff;
        break;
      case 4:
        row[i] = (row[i] + paeth(left, up, upLeft)) & 0xff;
        break;
      default:
        fail(`a scanline has the unknown filter type ${filterType}`);
    }
  }
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft;
  const toLeft = Math.abs(estimate - left);
  const toUp = Math.abs(estimate - up);
  const toUpLeft = Math.abs(estimate - upLeft);
  if (toLeft <= toUp && toLeft <= toUpLeft) return left;
  return toUp <= toUpLeft ? up : upLeft;
}

/** Writes the samples of one unfiltered scanline to row `y` of `out`, pixel i at column x0 + i·dx. */
function writeRow(
  header: Header,
  row: Uint8Array,
  width: number,
  out: Uint8Array,
  y: number,
  x0: number,
  dx: number,
): void {
  const samplesPerPixel = SAMPLES_PER_PIXEL[header.colorType];
  const { bitDepth } = header;
  const rowStart = y * header.width * samplesPerPixel;
  for (let i = 0; i < width; i++) {
    const target = rowStart + (x0 + i * dx) * samplesPerPixel;
    for (let s = 0; s < samplesPerPixel; s++) {
      const sample = i * samplesPerPixel + s;
      if (bitDepth === 8) out[target + s] = row[sample];
      else if (bitDepth === 16) out[target + s] = row[2 * sample];
      else {
        const bit = sample * bitDepth;
        out[target + s] = (row[bit >> 3] >> (8 - bitDepth - (bit & 7))) & ((1 << bitDepth) - 1);
      }
    }
  }
}

function expandPalette(
  indices: Uint8Array,
  palette: Uint8Array,
  alpha: Uint8Array | null,
  out: Uint8Array,
  channels: number,
  fail: (reason: string) => never,
): void {
  const entries = palette.length / 3;
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (index >= entries) fail(`a pixel uses palette entry ${index} of ${entries}`);
    out.set(palette.subarray(3 * index, 3 * index + 3), i * channels);
    if (alpha) out[i * channels + 3] = index < alpha.length ? alpha[index] : 255;
  }
}
