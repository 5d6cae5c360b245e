import { AkdError } from '@akd/core';

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** A 2-D float matrix read from or written to a NumPy `.npy` file, row-major. */
export interface NpyMatrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/**
 * Encodes `data` (`rows × cols`, row-major) as a version 1.0 `.npy` file of little-endian
 * float32, the format NumPy writes with `np.save(path, array.astype('<f4'))`.
 */
export function encodeNpy(data: Float32Array, rows: number, cols: number): Buffer {
  if (data.length !== rows * cols) {
    throw new AkdError('INVALID_INPUT', `Cannot write ${data.length} values as a ${rows}×${cols} matrix.`);
  }
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${rows}, ${cols}), }`;
  // The header is padded with spaces and a newline so the data starts at a multiple of 64 bytes.
  const unpadded = MAGIC.length + 2 + 2 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(MAGIC.length + 4);
  MAGIC.copy(prefix, 0);
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  const body = Buffer.alloc(data.length * 4);
  for (let i = 0; i < data.length; i++) body.writeFloatLE(data[i], i * 4);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/**
 * Decodes a 2-D `.npy` file of float32 or float64 in either byte order into float32. Rejects
 * other dtypes, Fortran order, other ranks and a body whose size differs from the shape, naming
 * `source` and the value found.
 */
export function decodeNpy(bytes: Uint8Array, source: string): NpyMatrix {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) {
    throw new AkdError('INVALID_FILE', `${source} is not a .npy file: it does not start with \\x93NUMPY.`, {
      source,
    });
  }
  const major = buf[6];
  const headerLength = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (!descr || !fortran || shapeText === undefined) {
    throw new AkdError('INVALID_FILE', `${source} has an unreadable .npy header: ${header.trim()}`, {
      source,
    });
  }
  if (fortran === 'True') {
    throw new AkdError(
      'INVALID_FILE',
      `${source} is stored in Fortran (column-major) order. Save it in C order, e.g. np.save(path, np.ascontiguousarray(a)).`,
      { source },
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.length !== 2 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} has shape (${shape.join(', ')}); a logits file must be 2-D: [examples, classes].`,
      { source, shape },
    );
  }
  const kinds: Record<string, { size: number; read: (offset: number) => number }> = {
    '<f4': { size: 4, read: (o) => buf.readFloatLE(o) },
    '>f4': { size: 4, read: (o) => buf.readFloatBE(o) },
    '<f8': { size: 8, read: (o) => buf.readDoubleLE(o) },
    '>f8': { size: 8, read: (o) => buf.readDoubleBE(o) },
  };
  const kind = kinds[descr];
  if (!kind) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} has dtype '${descr}'; logits must be float32 or float64 ('<f4', '>f4', '<f8', '>f8').`,
      { source, dtype: descr },
    );
  }
  const [rows, cols] = shape;
  const dataStart = headerStart + headerLength;
  const expected = rows * cols * kind.size;
  if (buf.length - dataStart !== expected) {
    throw new AkdError(
      'INVALID_FILE',
      `${source} holds ${buf.length - dataStart} data bytes but shape (${rows}, ${cols}) of ${descr} needs ${expected}; the file may be truncated.`,
      { source, expected, actual: buf.length - dataStart },
    );
  }
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = kind.read(dataStart + i * kind.size);
  return { rows, cols, data };
}
