/**
 * JPEG decoder built on jpeg-js 0.4.4, a pure-JavaScript decoder of baseline, extended sequential
 * and progressive Huffman-coded JPEGs with 8-bit samples. The frame header is read here first, so
 * that an unsupported file gets a precise message and an image above the pixel limit fails before
 * jpeg-js allocates anything. Greyscale JPEGs decode to 1 channel, colour and CMYK JPEGs to RGB.
 *
 * NOTE: the EXIF orientation is ignored, so pixels come out in stored order, not rotated as
 * photo viewers display them.
 */
import { AkdError } from '@akd/core';
import jpeg from 'jpeg-js';

import type { DecodedImage } from './png.js';

/** Options of {@link decodeJpeg}. */
export interface DecodeJpegOptions {
  /** Largest accepted `width × height × channels` of the decoded image; larger images fail before decoding. */
  maxPixelBytes?: number;
  /**
   * Largest memory that jpeg-js may allocate for one image, in bytes. It counts its coefficient
   * blocks (4 bytes per sample), sample planes and output: by the jpeg-js 0.4.4 source, about 9
   * bytes per pixel for greyscale and up to 27 for CMYK.
   */
  maxDecoderBytes?: number;
}

/** The 3 bytes every JPEG file starts with: the SOI marker and the 0xFF of the next marker. */
export const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);

/** Default of {@link DecodeJpegOptions.maxPixelBytes}: 256 MiB, as for PNG. */
const DEFAULT_MAX_PIXEL_BYTES = 256 * 1024 * 1024;
/** Default of {@link DecodeJpegOptions.maxDecoderBytes}: 512 MiB, the default of jpeg-js itself. */
const DEFAULT_MAX_DECODER_BYTES = 512 * 1024 * 1024;
const MIB = 1024 * 1024;
const FIX = 'Export the image again as a baseline JPEG or as PNG, or remove it';

/** Coding processes of the SOFn markers that jpeg-js 0.4.4 cannot decode, by marker byte. */
const UNSUPPORTED_PROCESSES: Record<number, string> = {
  0xc3: 'lossless coding',
  0xc5: 'hierarchical (differential) coding',
  0xc6: 'hierarchical (differential) coding',
  0xc7: 'hierarchical (differential) lossless coding',
  0xc9: 'arithmetic coding',
  0xca: 'arithmetic coding',
  0xcb: 'arithmetic coding',
  0xcd: 'arithmetic coding',
  0xce: 'arithmetic coding',
  0xcf: 'arithmetic coding',
};

/** The frame header (SOFn segment) and the colour-space markers seen before it. */
interface FrameHeader {
  marker: number;
  precision: number;
  width: number;
  height: number;
  componentIds: number[];
  /** Whether a JFIF APP0 segment precedes the frame, which fixes YCbCr for 3 components. */
  jfif: boolean;
  /** Colour transform of an Adobe APP14 segment (0 none, 1 YCbCr, 2 YCCK), or null without one. */
  adobeTransform: number | null;
}

/** Returns whether `bytes` starts with the JPEG signature. */
export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= JPEG_SIGNATURE.length && JPEG_SIGNATURE.every((byte, i) => bytes[i] === byte);
}

/**
 * Decodes a JPEG file into 1 (greyscale) or 3 (RGB) channels. `source` names the file in error
 * messages. Throws INVALID_FILE when the bytes are not a JPEG, are truncated or corrupted, use a
 * process or sample precision that jpeg-js does not decode, or the image exceeds
 * `options.maxPixelBytes` or needs more than `options.maxDecoderBytes` to decode.
 */
export function decodeJpeg(bytes: Uint8Array, source: string, options: DecodeJpegOptions = {}): DecodedImage {
  const fail = (reason: string): never => {
    throw new AkdError('INVALID_FILE', `${source} is not a readable JPEG image: ${reason}. ${FIX}.`, {
      file: source,
    });
  };
  if (!isJpeg(bytes)) fail('it does not start with the JPEG signature');

  const header = readFrameHeader(bytes, fail);
  const { width, height } = header;
  const channels = checkFrame(header, source);
  const pixelBytes = width * height * channels;
  const maxPixelBytes = options.maxPixelBytes ?? DEFAULT_MAX_PIXEL_BYTES;
  if (pixelBytes > maxPixelBytes) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is ${width}×${height} pixels with ${channels} channel(s), ${pixelBytes} bytes decoded, ` +
        `above the limit of ${maxPixelBytes} bytes. Resize the image.`,
      { file: source, width, height, maxPixelBytes },
    );
  }

  const maxDecoderBytes = options.maxDecoderBytes ?? DEFAULT_MAX_DECODER_BYTES;
  const decoded = runJpegJs(
    bytes,
    header,
    source,
    { maxPixels: maxPixelBytes / channels, maxDecoderBytes },
    fail,
  );
  if (decoded.width !== width || decoded.height !== height || decoded.data.length !== width * height * 3) {
    fail(
      `the decoded image is ${decoded.width}×${decoded.height} pixels but the frame header declares ${width}×${height}`,
    );
  }
  if (channels === 3) return { width, height, channels, pixels: decoded.data };

  // jpeg-js writes a greyscale image as RGB with three equal samples.
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = decoded.data[3 * i];
  return { width, height, channels: 1, pixels };
}

/**
 * Decodes with jpeg-js into RGB, at most `limits.maxPixels` pixels and `limits.maxDecoderBytes` of
 * decoder memory, and turns its errors into INVALID_FILE.
 */
function runJpegJs(
  bytes: Uint8Array,
  header: FrameHeader,
  source: string,
  limits: { maxPixels: number; maxDecoderBytes: number },
  fail: (reason: string) => never,
): { width: number; height: number; data: Uint8Array } {
  try {
    return jpeg.decode(bytes, {
      useTArray: true,
      formatAsRGBA: false,
      colorTransform: header.componentIds.length === 3 ? colourTransform(header) : undefined,
      maxResolutionInMP: limits.maxPixels / 1e6,
      maxMemoryUsageInMB: limits.maxDecoderBytes / MIB,
    });
  } catch (error) {
    // jpeg-js throws plain Error (and TypeError on some malformed segments) for every data problem.
    const message = error instanceof Error ? error.message : String(error);
    if (message.startsWith('maxMemoryUsageInMB limit exceeded')) {
      const { width, height } = header;
      throw new AkdError(
        'INVALID_FILE',
        `${source} is ${width}×${height} pixels, and decoding it needs more than the limit of ` +
          `${limits.maxDecoderBytes} bytes of decoder memory. Resize the image.`,
        { file: source, width, height, maxDecoderBytes: limits.maxDecoderBytes },
      );
    }
    return fail(`decoding failed with "${message}", so the file is probably truncated or corrupted`);
  }
}

/**
 * Walks the marker segments up to the first SOFn and returns the frame header. Fails for a file
 * that ends or reaches its image data before a frame header.
 */
function readFrameHeader(bytes: Uint8Array, fail: (reason: string) => never): FrameHeader {
  let jfif = false;
  let adobeTransform: number | null = null;
  let offset = 2;
  for (;;) {
    if (offset >= bytes.length) fail('the file is truncated (it ends before the frame header)');
    if (bytes[offset] !== 0xff) fail(`byte ${offset} should start a marker, so the file is corrupted`);
    // Any number of 0xFF fill bytes may precede a marker.
    while (bytes[offset] === 0xff) offset++;
    if (offset >= bytes.length) fail('the file is truncated (it ends before the frame header)');
    const marker = bytes[offset++];
    // TEM and RST0 to RST7 have no segment.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue;
    if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) {
      fail('it has no frame header (SOF marker) before its end or its image data');
    }
    if (offset + 2 > bytes.length) fail('the file is truncated (it ends before the frame header)');
    const length = (bytes[offset] << 8) | bytes[offset + 1];
    const name = `0xFF${marker.toString(16).toUpperCase()}`;
    if (length < 2) fail(`the segment of marker ${name} declares ${length} bytes`);
    if (offset + length > bytes.length) fail(`the file is truncated inside the segment of marker ${name}`);
    const segment = bytes.subarray(offset + 2, offset + length);
    offset += length;

    if (marker === 0xe0 && startsWithText(segment, 'JFIF\0')) jfif = true;
    if (marker === 0xee && segment.length >= 12 && startsWithText(segment, 'Adobe'))
      adobeTransform = segment[11];
    // SOF0 to SOF15, except DHT (0xC4), JPG (0xC8) and DAC (0xCC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (segment.length < 6 || segment.length < 6 + 3 * segment[5])
        fail(`its frame header has ${segment.length} bytes`);
      const componentIds = Array.from({ length: segment[5] }, (_, i) => segment[6 + 3 * i]);
      return {
        marker,
        precision: segment[0],
        height: (segment[1] << 8) | segment[2],
        width: (segment[3] << 8) | segment[4],
        componentIds,
        jfif,
        adobeTransform,
      };
    }
  }
}

function startsWithText(segment: Uint8Array, text: string): boolean {
  return segment.length >= text.length && [...text].every((char, i) => segment[i] === char.charCodeAt(0));
}

/** Returns the decoded channel count of a frame, or throws INVALID_FILE for one that jpeg-js cannot decode. */
function checkFrame(header: FrameHeader, source: string): 1 | 3 {
  const unsupported = (reason: string): never => {
    throw new AkdError(
      'INVALID_FILE',
      `${source} ${reason}, which the JPEG decoder does not support. ${FIX}.`,
      {
        file: source,
      },
    );
  };
  const process = UNSUPPORTED_PROCESSES[header.marker];
  if (process !== undefined) unsupported(`uses ${process}`);
  if (header.precision !== 8) unsupported(`has ${header.precision}-bit samples`);
  if (header.width === 0 || header.height === 0) {
    unsupported(
      `declares ${header.width}×${header.height} pixels (a height of 0 is set later by a DNL marker)`,
    );
  }
  const components = header.componentIds.length;
  if (components === 1) return 1;
  if (components === 3) return 3;
  // jpeg-js converts CMYK and YCCK to RGB, and reads the colour space from the Adobe segment.
  if (components === 4 && header.adobeTransform !== null) return 3;
  if (components === 4)
    unsupported('has 4 colour components (CMYK) without an Adobe segment that names their colour space');
  return unsupported(`has ${components} colour components`);
}

/**
 * Returns whether 3 components are YCbCr, to be converted to RGB. The rule is the one of
 * libjpeg-turbo (`default_decompress_parms` in jdapimin.c): a JFIF segment means YCbCr, else an
 * Adobe segment decides (transform 0 is RGB), else the component ids R, G, B mean RGB. jpeg-js
 * 0.4.4 ignores an Adobe transform of 0 and the component ids, so this function decides instead.
 */
function colourTransform(header: FrameHeader): boolean {
  if (header.jfif) return true;
  if (header.adobeTransform !== null) return header.adobeTransform !== 0;
  const [r, g, b] = header.componentIds;
  return !(r === 0x52 && g === 0x47 && b === 0x42);
}
