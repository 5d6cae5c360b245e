/**
 * Reader and writer for the IDX format of MNIST and Fashion-MNIST. An IDX file starts with a
 * 4-byte magic number (two zero bytes, the element type code, the number of dimensions), then one
 * big-endian uint32 per dimension, then the elements in row-major order, each big-endian.
 */
import { writeFile } from 'node:fs/promises';

import { AkdError } from '@akd/core';

import { gzipDeterministic, readFileDecompressed } from './compression.js';

/** Name of an IDX element type, as the format's description names them. */
export type IdxElementType = 'ubyte' | 'sbyte' | 'int16' | 'int32' | 'float32' | 'float64';

/** Typed array that stores each IDX element type in memory. */
export interface IdxArrayByType {
  ubyte: Uint8Array;
  sbyte: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/** Decoded IDX file: element type, dimensions and the elements in row-major order. */
export type IdxTensor = {
  [T in IdxElementType]: {
    /** Element type from the magic number. */
    elementType: T;
    /** Size of each dimension, outermost first (for MNIST images: count, height, width). */
    dims: number[];
    /** Elements in row-major order and native byte order. The length is the product of `dims`. */
    data: IdxArrayByType[T];
  };
}[IdxElementType];

interface ElementTypeInfo {
  name: IdxElementType;
  code: number;
  bytesPerElement: number;
}

/** Element types of the IDX format, with the code stored in the third byte of the magic number. */
const ELEMENT_TYPES: readonly ElementTypeInfo[] = [
  { name: 'ubyte', code: 0x08, bytesPerElement: 1 },
  { name: 'sbyte', code: 0x09, bytesPerElement: 1 },
  { name: 'int16', code: 0x0b, bytesPerElement: 2 },
  { name: 'int32', code: 0x0c, bytesPerElement: 4 },
  { name: 'float32', code: 0x0d, bytesPerElement: 4 },
  { name: 'float64', code: 0x0e, bytesPerElement: 8 },
];

const TYPE_BY_CODE = new Map(ELEMENT_TYPES.map((info) => [info.code, info]));
const TYPE_BY_NAME = new Map(ELEMENT_TYPES.map((info) => [info.name, info]));

/** Formats a number as `0x` followed by at least `digits` lowercase hex digits. */
function hex(value: number, digits = 2): string {
  return '0x' + (value >>> 0).toString(16).padStart(digits, '0');
}

function listElementTypes(): string {
  return ELEMENT_TYPES.map((info) => `${hex(info.code)} ${info.name}`).join(', ');
}

/**
 * Reads an IDX file, gzipped or raw. Gzip is detected from the first bytes, so a gzipped file
 * under a raw name also works. Throws INVALID_FILE naming the file on any format error.
 */
export async function readIdxFile(path: string): Promise<IdxTensor> {
  return parseIdx(await readFileDecompressed(path), path);
}

/**
 * Parses uncompressed IDX bytes. `source` is the file name used in error messages.
 * The returned data is a copy, so it does not keep `bytes` alive.
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxTensor {
  if (bytes.length < 4) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is truncated: an IDX file needs at least a 4-byte magic number, got ${bytes.length} bytes. ` +
        'Download the file again.',
      { file: source, actualBytes: bytes.length },
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} has the invalid IDX magic number ${hex(magic, 8)}: the first two bytes must be zero ` +
        '(magic = 0x0000, element type, number of dimensions). Check that the file is an IDX file ' +
        'such as train-images-idx3-ubyte, gzipped or raw.',
      { file: source, magic: hex(magic, 8) },
    );
  }

  const typeCode = bytes[2];
  const type = TYPE_BY_CODE.get(typeCode);
  if (!type) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} has the unknown IDX element type ${hex(typeCode)} in its magic number ${hex(magic, 8)}. ` +
        `Known types: ${listElementTypes()}. Check that the file is an IDX file.`,
      { file: source, magic: hex(magic, 8), elementTypeCode: hex(typeCode) },
    );
  }

  const dimCount = bytes[3];
  const headerBytes = 4 + 4 * dimCount;
  if (bytes.length < headerBytes) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is truncated: expected a ${headerBytes}-byte header for ${dimCount} dimensions, ` +
        `got ${bytes.length} bytes. Download the file again.`,
      { file: source, expectedBytes: headerBytes, actualBytes: bytes.length },
    );
  }
  const dims: number[] = [];
  for (let i = 0; i < dimCount; i++) dims.push(view.getUint32(4 + 4 * i, false));

  const elementCount = dims.reduce((product, size) => product * size, 1);
  const expectedBytes = headerBytes + elementCount * type.bytesPerElement;
  if (bytes.length !== expectedBytes) {
    const problem = bytes.length < expectedBytes ? 'is truncated' : 'has trailing bytes';
    throw new AkdError(
      'INVALID_FILE',
      `${source} ${problem}: expected ${expectedBytes} bytes for dims [${dims.join(', ')}] of ${type.name} ` +
        `(${headerBytes}-byte header + ${elementCount} × ${type.bytesPerElement} bytes), got ${bytes.length}. ` +
        'Download the file again or check that it was written completely.',
      { file: source, dims, elementType: type.name, expectedBytes, actualBytes: bytes.length },
    );
  }

  return decodeElements(view, headerBytes, type.name, dims, elementCount);
}

function decodeElements(
  view: DataView,
  offset: number,
  elementType: IdxElementType,
  dims: number[],
  count: number,
): IdxTensor {
  switch (elementType) {
    case 'ubyte':
      return {
        elementType,
        dims,
        data: new Uint8Array(view.buffer, view.byteOffset + offset, count).slice(),
      };
    case 'sbyte':
      return { elementType, dims, data: new Int8Array(view.buffer, view.byteOffset + offset, count).slice() };
    case 'int16': {
      const data = new Int16Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt16(offset + 2 * i, false);
      return { elementType, dims, data };
    }
    case 'int32': {
      const data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getInt32(offset + 4 * i, false);
      return { elementType, dims, data };
    }
    case 'float32': {
      const data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat32(offset + 4 * i, false);
      return { elementType, dims, data };
    }
    case 'float64': {
      const data = new Float64Array(count);
      for (let i = 0; i < count; i++) data[i] = view.getFloat64(offset + 8 * i, false);
      return { elementType, dims, data };
    }
  }
}

/**
 * Encodes a tensor as uncompressed IDX bytes. Throws INVALID_INPUT when the product of `dims`
 * differs from the number of elements or a dimension is not a uint32.
 */
export function encodeIdx(tensor: IdxTensor): Buffer {
  const type = TYPE_BY_NAME.get(tensor.elementType);
  if (!type) {
    throw new AkdError('INVALID_INPUT', `Unknown IDX element type "${String(tensor.elementType)}".`, {
      elementType: tensor.elementType,
    });
  }
  const { dims, data } = tensor;
  if (dims.length > 255 || dims.some((size) => !Number.isInteger(size) || size < 0 || size > 0xffffffff)) {
    throw new AkdError(
      'INVALID_INPUT',
      `IDX dims [${dims.join(', ')}] are invalid: each must be an integer in [0, 2^32) and there can be at most 255.`,
      { dims },
    );
  }
  const elementCount = dims.reduce((product, size) => product * size, 1);
  if (elementCount !== data.length) {
    throw new AkdError(
      'INVALID_INPUT',
      `IDX dims [${dims.join(', ')}] hold ${elementCount} elements but the data has ${data.length}.`,
      { dims, dataLength: data.length },
    );
  }

  const headerBytes = 4 + 4 * dims.length;
  const out = Buffer.alloc(headerBytes + elementCount * type.bytesPerElement);
  out[2] = type.code;
  out[3] = dims.length;
  dims.forEach((size, i) => out.writeUInt32BE(size, 4 + 4 * i));
  encodeElements(tensor, out, headerBytes);
  return out;
}

function encodeElements(tensor: IdxTensor, out: Buffer, offset: number): void {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  switch (tensor.elementType) {
    case 'ubyte':
      out.set(tensor.data, offset);
      return;
    case 'sbyte':
      out.set(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.length), offset);
      return;
    case 'int16':
      tensor.data.forEach((value, i) => view.setInt16(offset + 2 * i, value, false));
      return;
    case 'int32':
      tensor.data.forEach((value, i) => view.setInt32(offset + 4 * i, value, false));
      return;
    case 'float32':
      tensor.data.forEach((value, i) => view.setFloat32(offset + 4 * i, value, false));
      return;
    case 'float64':
      tensor.data.forEach((value, i) => view.setFloat64(offset + 8 * i, value, false));
      return;
  }
}

/**
 * Writes a tensor as an IDX file at `path`. With `gzip: true` the file is compressed by
 * {@link gzipDeterministic}, so equal tensors give equal bytes.
 */
export async function writeIdxFile(
  path: string,
  tensor: IdxTensor,
  options: { gzip: boolean },
): Promise<void> {
  const raw = encodeIdx(tensor);
  await writeFile(path, options.gzip ? gzipDeterministic(raw) : raw);
}
