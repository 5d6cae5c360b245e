/**
 * Builders of test inputs for the image-folder reader, exported as `@akd/data/testing`. The PNG
 * encoder covers every colour type, bit depth, filter type and Adam7 interlacing. The zip writer
 * stores any entry name and Unix mode, including the unsafe ones that a reader must reject. Only
 * tests use them.
 */
import { deflateRawSync, deflateSync } from 'node:zlib';

import { crc32 } from './compression.js';
import { PNG_SIGNATURE } from './png.js';

/** Settings of {@link encodeTestPng}. */
export interface TestPngOptions {
  /** 0 grey, 2 RGB, 3 palette, 4 grey and alpha, 6 RGBA. Default: from `channels` of {@link pngOf}, else 0. */
  colorType?: 0 | 2 | 3 | 4 | 6;
  /** Default 8. */
  bitDepth?: 1 | 2 | 4 | 8 | 16;
  interlace?: boolean;
  /** RGB triplets of a palette image. */
  palette?: Uint8Array;
  /** tRNS alpha of the first palette entries. */
  paletteAlpha?: Uint8Array;
}

const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const PASSES = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Packs the samples of one row at `bitDepth` (16-bit big-endian, sub-byte samples from the high bit). */
function packRow(samples: number[], bitDepth: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((samples.length * bitDepth) / 8));
  samples.forEach((value, i) => {
    if (bitDepth === 16) {
      out[2 * i] = value >> 8;
      out[2 * i + 1] = value & 0xff;
    } else if (bitDepth === 8) {
      out[i] = value;
    } else {
      const bit = i * bitDepth;
      out[bit >> 3] |= value << (8 - bitDepth - (bit & 7));
    }
  });
  return out;
}

/** Filters a packed row with filter `type` against the previous packed row. */
function filterRow(type: number, row: Uint8Array, previous: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(row.length + 1);
  out[0] = type;
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = previous[i];
    const c = i >= bpp ? previous[i - bpp] : 0;
    let predictor = 0;
    if (type === 1) predictor = a;
    else if (type === 2) predictor = b;
    else if (type === 3) predictor = (a + b) >> 1;
    else if (type === 4) {
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      if (pa <= pb && pa <= pc) predictor = a;
      else predictor = pb <= pc ? b : c;
    }
    out[i + 1] = (row[i] - predictor) & 0xff;
  }
  return out;
}

/**
 * Encodes `samples` (one value per sample at the bit depth, pixel after pixel in row order, palette
 * indices for colour type 3) as a PNG file. Row r uses filter type r mod 5, so every filter occurs.
 */
export function encodeTestPng(width: number, height: number, samples: ArrayLike<number>, options: TestPngOptions = {}): Buffer {
  const colorType = options.colorType ?? 0;
  const bitDepth = options.bitDepth ?? 8;
  const perPixel = SAMPLES[colorType];
  const bpp = Math.max(1, (perPixel * bitDepth) / 8);
  const passes = options.interlace ? PASSES : ([[0, 0, 1, 1]] as const);

  const filtered: Uint8Array[] = [];
  let rowNumber = 0;
  for (const [x0, y0, dx, dy] of passes) {
    let previous: Uint8Array | null = null;
    for (let y = y0; y < height; y += dy) {
      const rowSamples: number[] = [];
      for (let x = x0; x < width; x += dx) {
        for (let s = 0; s < perPixel; s++) rowSamples.push(samples[(y * width + x) * perPixel + s]);
      }
      if (rowSamples.length === 0) continue;
      const packed = packRow(rowSamples, bitDepth);
      filtered.push(filterRow(rowNumber++ % 5, packed, previous ?? new Uint8Array(packed.length), bpp));
      previous = packed;
    }
  }

  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([bitDepth, colorType, 0, 0, options.interlace ? 1 : 0], 8);
  const chunks = [chunk('IHDR', header)];
  if (options.palette) chunks.push(chunk('PLTE', options.palette));
  if (options.paletteAlpha) chunks.push(chunk('tRNS', options.paletteAlpha));
  chunks.push(chunk('IDAT', deflateSync(Buffer.concat(filtered))), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat([PNG_SIGNATURE, ...chunks]);
}

/** Encodes 8-bit pixels with 1 (grey), 2 (grey and alpha), 3 (RGB) or 4 (RGBA) channels as a PNG file. */
export function pngOf(width: number, height: number, channels: 1 | 2 | 3 | 4, pixels: ArrayLike<number>): Buffer {
  const colorType = ({ 1: 0, 2: 4, 3: 2, 4: 6 } as const)[channels];
  return encodeTestPng(width, height, pixels, { colorType });
}

/** One entry of {@link buildZip}. */
export interface TestZipEntry {
  /** Stored name, unchecked, so that names such as `../x` or `/etc/x` can be written. */
  name: string;
  data?: Uint8Array;
  /** Unix mode stored in the external attributes, e.g. 0o120777 for a symbolic link. Default 0o100644. */
  mode?: number;
  /** 0 stored or 8 deflate (the default). */
  method?: 0 | 8;
}

/** Writes a zip archive of `entries` made on Unix, with UTF-8 names. A name ending in `/` is a directory. */
export function buildZip(entries: TestZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.from(entry.data ?? new Uint8Array(0));
    const method = entry.method ?? 8;
    const stored = method === 8 ? deflateRawSync(data) : data;
    const directory = entry.name.endsWith('/');
    const mode = entry.mode ?? (directory ? 0o040755 : 0o100644);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc32(data), 14);
    local.writeUInt32LE(stored.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 30, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc32(data), 16);
    central.writeUInt32LE(stored.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((mode << 16) | (directory ? 0x10 : 0)) >>> 0, 38);
    central.writeUInt32LE(offset, 42);

    locals.push(local, name, stored);
    centrals.push(central, name);
    offset += local.length + name.length + stored.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Returns a `width × height` PNG with `channels` channels whose pixels follow from `seed`, so that
 * images with different seeds differ.
 */
export function patternPng(width: number, height: number, channels: 1 | 3, seed: number): Buffer {
  const pixels = Array.from({ length: width * height * channels }, (_, i) => (i * 37 + seed * 101) % 256);
  return pngOf(width, height, channels, pixels);
}
