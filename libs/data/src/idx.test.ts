import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { AkdError } from '@akd/core';

import { gzipDeterministic } from './compression.js';
import { encodeIdx, parseIdx, readIdxFile, writeIdxFile, type IdxTensor } from './idx.js';
import { makeTempDir } from './test-support.js';

const dir = makeTempDir();

/** One tensor per element type, with extreme and negative values where the type allows them. */
const SAMPLES: { tensor: IdxTensor; code: number; constructorName: string }[] = [
  {
    tensor: { elementType: 'ubyte', dims: [2, 3], data: Uint8Array.from([0, 1, 127, 128, 254, 255]) },
    code: 0x08,
    constructorName: 'Uint8Array',
  },
  {
    tensor: { elementType: 'sbyte', dims: [4], data: Int8Array.from([-128, -1, 0, 127]) },
    code: 0x09,
    constructorName: 'Int8Array',
  },
  {
    tensor: { elementType: 'int16', dims: [2, 2], data: Int16Array.from([-32768, -2, 258, 32767]) },
    code: 0x0b,
    constructorName: 'Int16Array',
  },
  {
    tensor: { elementType: 'int32', dims: [3], data: Int32Array.from([-2147483648, 16909060, 2147483647]) },
    code: 0x0c,
    constructorName: 'Int32Array',
  },
  {
    tensor: { elementType: 'float32', dims: [1, 3], data: Float32Array.from([-1.5, 0.1, 3.4e38]) },
    code: 0x0d,
    constructorName: 'Float32Array',
  },
  {
    tensor: { elementType: 'float64', dims: [2, 1, 2], data: Float64Array.from([-0.1, Math.PI, 1e300, -0]) },
    code: 0x0e,
    constructorName: 'Float64Array',
  },
];

/** Asserts that `fn` rejects with an INVALID_FILE AkdError whose message contains every fragment. */
async function assertInvalidFile(fn: () => Promise<unknown>, fragments: string[]): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_FILE');
    for (const fragment of fragments) {
      assert.ok(
        error.message.includes(fragment),
        `message ${JSON.stringify(error.message)} lacks "${fragment}"`,
      );
    }
    return true;
  });
}

describe('IDX round trip', () => {
  for (const { tensor, code, constructorName } of SAMPLES) {
    it(`keeps ${tensor.elementType} values and dims`, async () => {
      const encoded = encodeIdx(tensor);
      assert.deepEqual([...encoded.subarray(0, 4)], [0, 0, code, tensor.dims.length]);

      for (const gzip of [false, true]) {
        const path = join(dir, `${tensor.elementType}-${gzip ? 'gz' : 'raw'}.idx`);
        await writeIdxFile(path, tensor, { gzip });
        const decoded = await readIdxFile(path);
        assert.equal(decoded.elementType, tensor.elementType);
        assert.deepEqual(decoded.dims, tensor.dims);
        assert.equal(decoded.data.constructor.name, constructorName);
        assert.deepEqual([...decoded.data], [...tensor.data]);
      }
    });
  }

  it('stores multi-byte elements big-endian', () => {
    const int16 = encodeIdx({ elementType: 'int16', dims: [1], data: Int16Array.from([0x0102]) });
    assert.deepEqual([...int16.subarray(8)], [0x01, 0x02]);

    const float32 = encodeIdx({ elementType: 'float32', dims: [1], data: Float32Array.from([1]) });
    assert.deepEqual([...float32.subarray(8)], [0x3f, 0x80, 0x00, 0x00]);
  });

  it('parses hand-written int32 bytes', () => {
    const bytes = Uint8Array.from([
      0, 0, 0x0c, 1, 0, 0, 0, 2, 0xff, 0xff, 0xff, 0xfe, 0x00, 0x00, 0x01, 0x00,
    ]);
    const tensor = parseIdx(bytes, 'hand.idx');
    assert.equal(tensor.elementType, 'int32');
    assert.deepEqual(tensor.dims, [2]);
    assert.deepEqual([...tensor.data], [-2, 256]);
  });

  it('detects gzip under a raw name', async () => {
    const tensor: IdxTensor = { elementType: 'ubyte', dims: [2, 2], data: Uint8Array.from([9, 8, 7, 6]) };
    const path = join(dir, 'train-labels-idx1-ubyte');
    writeFileSync(path, gzipSync(encodeIdx(tensor)));
    const decoded = await readIdxFile(path);
    assert.deepEqual([...decoded.data], [9, 8, 7, 6]);
  });

  it('writes identical gzip bytes twice', () => {
    const raw = encodeIdx({ elementType: 'ubyte', dims: [100], data: new Uint8Array(100).fill(3) });
    const first = gzipDeterministic(raw);
    const second = gzipDeterministic(raw);
    assert.deepEqual(first, second);
    assert.deepEqual([...first.subarray(4, 8)], [0, 0, 0, 0], 'modification time must be zero');
  });
});

describe('IDX errors', () => {
  it('reports a truncated file with expected size', async () => {
    const full = encodeIdx({ elementType: 'int16', dims: [3, 2], data: new Int16Array(6) });
    const path = join(dir, 'truncated.idx');
    writeFileSync(path, full.subarray(0, full.length - 3));
    // Header 4 + 2 × 4 = 12 bytes, then 6 × 2 data bytes: 24 expected, 21 present.
    await assertInvalidFile(
      () => readIdxFile(path),
      [path, 'truncated', 'expected 24 bytes', '[3, 2]', 'int16', 'got 21'],
    );
  });

  it('reports a truncated header', async () => {
    const path = join(dir, 'short-header.idx');
    writeFileSync(path, Uint8Array.from([0, 0, 0x08, 3, 0, 0]));
    await assertInvalidFile(() => readIdxFile(path), [path, 'expected a 16-byte header', 'got 6 bytes']);
  });

  it('reports trailing bytes', async () => {
    const full = encodeIdx({ elementType: 'ubyte', dims: [2], data: Uint8Array.from([1, 2]) });
    const path = join(dir, 'trailing.idx');
    writeFileSync(path, Buffer.concat([full, Buffer.from([0])]));
    await assertInvalidFile(() => readIdxFile(path), [path, 'trailing bytes', 'expected 10 bytes', 'got 11']);
  });

  it('reports a wrong magic number in hex', async () => {
    const path = join(dir, 'wrong-magic.idx');
    writeFileSync(path, Uint8Array.from([0x01, 0x02, 0x08, 0x03, 0, 0, 0, 0]));
    await assertInvalidFile(() => readIdxFile(path), [path, 'invalid IDX magic number 0x01020803']);
  });

  it('reports an unknown element type', async () => {
    const path = join(dir, 'unknown-type.idx');
    writeFileSync(path, Uint8Array.from([0, 0, 0x0a, 1, 0, 0, 0, 0]));
    await assertInvalidFile(() => readIdxFile(path), [path, 'unknown IDX element type 0x0a', '0x0d float32']);
  });

  it('reports a corrupted gzip file', async () => {
    const gz = gzipSync(encodeIdx({ elementType: 'ubyte', dims: [64], data: new Uint8Array(64) }));
    const path = join(dir, 'corrupt.gz');
    writeFileSync(path, gz.subarray(0, gz.length - 6));
    await assertInvalidFile(() => readIdxFile(path), [path, 'could not be decompressed']);
  });

  it('rejects dims that do not match the data', () => {
    assert.throws(
      () => encodeIdx({ elementType: 'ubyte', dims: [2, 2], data: new Uint8Array(3) }),
      (error: unknown) =>
        error instanceof AkdError && error.code === 'INVALID_INPUT' && /4 elements/.test(error.message),
    );
  });
});
