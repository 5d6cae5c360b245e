/**
 * Builders of test inputs for the image-folder reader, exported as `@akd/data/testing`. The PNG
 * encoder covers every colour type, bit depth, filter type and Adam7 interlacing. Colour JPEGs come
 * from the jpeg-js encoder, and greyscale JPEGs, which jpeg-js cannot write, from a baseline
 * encoder here. The zip writer stores any entry name and Unix mode, including the unsafe ones that
 * a reader must reject. Only tests use them.
 */
import { deflateRawSync, deflateSync } from 'node:zlib';

import jpeg from 'jpeg-js';

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
export function encodeTestPng(
  width: number,
  height: number,
  samples: ArrayLike<number>,
  options: TestPngOptions = {},
): Buffer {
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
export function pngOf(
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  pixels: ArrayLike<number>,
): Buffer {
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

/** Row and column of the 64 coefficients of an 8×8 block in JPEG zigzag order. */
const ZIGZAG: readonly (readonly [number, number])[] = (() => {
  const order: [number, number][] = [];
  for (let sum = 0; sum <= 14; sum++) {
    const rows = [];
    for (let row = Math.max(0, sum - 7); row <= Math.min(sum, 7); row++) rows.push(row);
    // Even diagonals run from bottom-left to top-right, odd ones the other way.
    if (sum % 2 === 0) rows.reverse();
    for (const row of rows) order.push([row, sum - row]);
  }
  return order;
})();

/** Quantizer step of every coefficient in {@link encodeTestGreyJpeg}. It keeps every value within 10 bits. */
const GREY_JPEG_QUANTIZER = 2;

/** Symbols of the AC Huffman table: EOB, ZRL, then every (zero run, size) pair of baseline JPEG. */
const AC_SYMBOLS = [
  0x00,
  0xf0,
  ...Array.from({ length: 160 }, (_, i) => (Math.floor(i / 10) << 4) | ((i % 10) + 1)),
];

function segment(marker: number, body: number[]): number[] {
  const length = body.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...body];
}

/** Size category of a coefficient (its bit length) and the bits that encode it. */
function magnitude(value: number): { size: number; bits: number } {
  const size = value === 0 ? 0 : Math.floor(Math.log2(Math.abs(value))) + 1;
  return { size, bits: value >= 0 ? value : value + (1 << size) - 1 };
}

/** Writes bits most significant first and stuffs a 0x00 after every 0xFF byte of the entropy-coded data. */
class BitWriter {
  readonly bytes: number[] = [];
  private current = 0;
  private count = 0;

  write(value: number, length: number): void {
    for (let bit = length - 1; bit >= 0; bit--) {
      this.current = (this.current << 1) | ((value >> bit) & 1);
      if (++this.count === 8) this.flushByte();
    }
  }

  /** Pads the last byte with 1 bits, as the JPEG standard requires. */
  finish(): void {
    while (this.count !== 0) this.write(1, 1);
  }

  private flushByte(): void {
    this.bytes.push(this.current);
    if (this.current === 0xff) this.bytes.push(0x00);
    this.current = 0;
    this.count = 0;
  }
}

/**
 * Encodes 8-bit grey `pixels` (row order) as a baseline JPEG with one component. Every coefficient
 * is quantized with step 2, so the decoded pixels stay within a few levels of the input. The
 * Huffman tables give every symbol a code of one length (4 bits for DC sizes, 8 bits for AC
 * symbols), which is valid JPEG and needs no frequency count.
 */
export function encodeTestGreyJpeg(width: number, height: number, pixels: ArrayLike<number>): Buffer {
  const q = GREY_JPEG_QUANTIZER;
  const out = new BitWriter();
  let previousDc = 0;
  for (let blockY = 0; blockY < height; blockY += 8) {
    for (let blockX = 0; blockX < width; blockX += 8) {
      // Edge blocks repeat the last row and column.
      const samples = (x: number, y: number) =>
        pixels[Math.min(blockY + y, height - 1) * width + Math.min(blockX + x, width - 1)] - 128;
      const coefficients = ZIGZAG.map(([v, u]) => {
        let sum = 0;
        for (let y = 0; y < 8; y++) {
          for (let x = 0; x < 8; x++) {
            const cosX = Math.cos(((2 * x + 1) * u * Math.PI) / 16);
            sum += samples(x, y) * cosX * Math.cos(((2 * y + 1) * v * Math.PI) / 16);
          }
        }
        const scale = (u === 0 ? Math.SQRT1_2 : 1) * (v === 0 ? Math.SQRT1_2 : 1) * 0.25;
        return Math.round((scale * sum) / q);
      });

      const dc = magnitude(coefficients[0] - previousDc);
      previousDc = coefficients[0];
      out.write(dc.size, 4);
      out.write(dc.bits, dc.size);
      let run = 0;
      for (let k = 1; k < 64; k++) {
        if (coefficients[k] === 0) {
          run++;
          continue;
        }
        for (; run > 15; run -= 16) out.write(AC_SYMBOLS.indexOf(0xf0), 8);
        const ac = magnitude(coefficients[k]);
        out.write(AC_SYMBOLS.indexOf((run << 4) | ac.size), 8);
        out.write(ac.bits, ac.size);
        run = 0;
      }
      if (run > 0) out.write(AC_SYMBOLS.indexOf(0x00), 8);
    }
  }
  out.finish();

  // Number of Huffman codes of each length from 1 to 16 bits, all `symbols` codes having `length` bits.
  const counts = (length: number, symbols: number) =>
    Array.from({ length: 16 }, (_, i) => (i === length - 1 ? symbols : 0));
  return Buffer.from([
    // SOI.
    0xff,
    0xd8,
    // DQT: table 0 with 8-bit steps.
    ...segment(0xdb, [0, ...new Array<number>(64).fill(q)]),
    // SOF0: 8-bit samples, one component (id 1, no subsampling, quantization table 0).
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    // DHT: DC table 0 for the sizes 0 to 11, then AC table 0.
    ...segment(0xc4, [0x00, ...counts(4, 12), ...Array.from({ length: 12 }, (_, i) => i)]),
    ...segment(0xc4, [0x10, ...counts(8, AC_SYMBOLS.length), ...AC_SYMBOLS]),
    // SOS: component 1 with DC and AC table 0, coefficients 0 to 63.
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...out.bytes,
    // EOI.
    0xff,
    0xd9,
  ]);
}

/**
 * Encodes 8-bit pixels with 1 (grey) or 3 (RGB) channels as a JPEG file: RGB with the jpeg-js
 * encoder at `quality` (1 to 100, default 90, no chroma subsampling), grey with {@link encodeTestGreyJpeg}.
 */
export function jpegOf(
  width: number,
  height: number,
  channels: 1 | 3,
  pixels: ArrayLike<number>,
  quality = 90,
): Buffer {
  if (channels === 1) return encodeTestGreyJpeg(width, height, pixels);
  const rgba = new Uint8Array(width * height * 4).fill(255);
  for (let i = 0; i < width * height; i++) {
    rgba[4 * i] = pixels[3 * i];
    rgba[4 * i + 1] = pixels[3 * i + 1];
    rgba[4 * i + 2] = pixels[3 * i + 2];
  }
  return jpeg.encode({ width, height, data: rgba }, quality).data;
}
