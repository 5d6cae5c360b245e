/**
 * Helpers for tests of teachers and of the runner: `.npy` files in any dtype, byte order and
 * memory order. Not exported from the package entry point.
 */

/** Element types {@link npyBytes} can write. */
export type NpyTestDtype = '<f4' | '>f4' | '<f8' | '>f8' | '<i4';

/**
 * Encodes `values` (row-major) as a version 1.0 `.npy` file with the given dtype and shape.
 * `fortranOrder` only sets the header flag and leaves the values in row-major order.
 */
export function npyBytes(
  values: readonly number[],
  shape: readonly number[],
  dtype: NpyTestDtype,
  fortranOrder = false,
): Buffer {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${dtype}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const prefix = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]);
  prefix.writeUInt16LE(header.length, 8);
  const size = dtype.endsWith('8') ? 8 : 4;
  const body = Buffer.alloc(values.length * size);
  values.forEach((value, i) => {
    const offset = i * size;
    if (dtype === '<f4') body.writeFloatLE(value, offset);
    else if (dtype === '>f4') body.writeFloatBE(value, offset);
    else if (dtype === '<f8') body.writeDoubleLE(value, offset);
    else if (dtype === '>f8') body.writeDoubleBE(value, offset);
    else body.writeInt32LE(value, offset);
  });
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]);
}

/** Returns `rows × cols` values `scale × (row × cols + col) − offset`, distinct and easy to check. */
export function rampMatrix(rows: number, cols: number, scale = 0.25, offset = 3): number[] {
  return Array.from({ length: rows * cols }, (_, i) => scale * i - offset);
}
