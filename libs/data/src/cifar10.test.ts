import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';

import { AkdError } from '@akd/core';

import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES, loadCifar10, parseCifar10Batch } from './cifar10.js';
import { buildTar, makeTempDir } from './test-support.js';

const root = makeTempDir();

/** Value of channel `channel` at pixel `pixel` (row-major in 32×32) of record `id`. */
function pixelValue(id: number, channel: number, pixel: number): number {
  return (id * 31 + channel * 85 + pixel) % 256;
}

/** Encodes records in the CIFAR-10 layout: label byte, then the red, green and blue planes. */
function makeBatch(records: { id: number; label: number }[]): Buffer {
  const bytes = Buffer.alloc(records.length * CIFAR10_RECORD_BYTES);
  records.forEach(({ id, label }, record) => {
    const start = record * CIFAR10_RECORD_BYTES;
    bytes[start] = label;
    for (let channel = 0; channel < 3; channel++) {
      for (let pixel = 0; pixel < 1024; pixel++)
        bytes[start + 1 + channel * 1024 + pixel] = pixelValue(id, channel, pixel);
    }
  });
  return bytes;
}

/** Asserts that image `row` of `images` (HWC) contains the pixels of record `id`. */
function assertImageIs(images: Uint8Array, row: number, id: number): void {
  for (const pixel of [0, 1, 31, 32, 500, 1023]) {
    for (let channel = 0; channel < 3; channel++) {
      assert.equal(
        images[row * 3072 + pixel * 3 + channel],
        pixelValue(id, channel, pixel),
        `pixel ${pixel} channel ${channel}`,
      );
    }
  }
}

const train1 = makeBatch([
  { id: 1, label: 3 },
  { id: 2, label: 9 },
]);
const train2 = makeBatch([{ id: 3, label: 0 }]);
const test = makeBatch([
  { id: 4, label: 5 },
  { id: 5, label: 1 },
]);

async function assertRejectsWith(
  fn: () => Promise<unknown>,
  code: string,
  fragments: string[],
): Promise<void> {
  await assert.rejects(fn, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code);
    for (const fragment of fragments) {
      assert.ok(
        error.message.includes(fragment),
        `message ${JSON.stringify(error.message)} lacks "${fragment}"`,
      );
    }
    return true;
  });
}

describe('parseCifar10Batch', () => {
  it('converts channel planes to HWC', () => {
    const split = parseCifar10Batch(train1, 'batch');
    assert.equal(split.count, 2);
    assert.deepEqual([...split.labels], [3, 9]);
    assert.equal(split.images.length, 2 * 32 * 32 * 3);
    assertImageIs(split.images, 0, 1);
    assertImageIs(split.images, 1, 2);
  });

  it('rejects a partial record', () => {
    assert.throws(
      () => parseCifar10Batch(train1.subarray(0, 5000), 'short.bin'),
      (error: unknown) =>
        error instanceof AkdError &&
        error.code === 'INVALID_FILE' &&
        error.message.includes('short.bin has 5000 bytes') &&
        error.message.includes('3073-byte'),
    );
  });

  it('rejects a label above 9', () => {
    const bytes = makeBatch([
      { id: 1, label: 0 },
      { id: 2, label: 10 },
    ]);
    assert.throws(
      () => parseCifar10Batch(bytes, 'labels.bin'),
      (error: unknown) =>
        error instanceof AkdError && error.message.includes('labels.bin has label 10 in record 1'),
    );
  });
});

describe('loadCifar10', () => {
  it('loads a batch directory in batch order', async () => {
    const dir = join(root, 'batches');
    mkdirSync(dir);
    // data_batch_10 must come after data_batch_2 (numeric, not lexical, order).
    writeFileSync(join(dir, 'data_batch_10.bin'), train2);
    writeFileSync(join(dir, 'data_batch_2.bin'), train1);
    writeFileSync(join(dir, 'test_batch.bin'), test);
    writeFileSync(join(dir, 'batches.meta.txt'), CIFAR10_CLASS_NAMES.join('\n'));

    const dataset = await loadCifar10(dir);
    assert.equal(dataset.name, 'cifar-10');
    assert.deepEqual(dataset.shape, [32, 32, 3]);
    assert.equal(dataset.numClasses, 10);
    assert.deepEqual(dataset.classNames, CIFAR10_CLASS_NAMES);
    assert.equal(dataset.train.count, 3);
    assert.deepEqual([...dataset.train.labels], [3, 9, 0]);
    assertImageIs(dataset.train.images, 2, 3);
    assert.equal(dataset.test.count, 2);
    assert.deepEqual([...dataset.test.labels], [5, 1]);
    assertImageIs(dataset.test.images, 1, 5);
  });

  it('finds the unpacked archive folder', async () => {
    const dir = join(root, 'parent');
    mkdirSync(join(dir, 'cifar-10-batches-bin'), { recursive: true });
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'data_batch_1.bin'), train1);
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'test_batch.bin'), test);
    const dataset = await loadCifar10(dir);
    assert.equal(dataset.train.count, 2);
    assert.equal(dataset.test.count, 2);
  });

  it('loads a .tar.gz archive', async () => {
    const archive = buildTar([
      { name: 'cifar-10-batches-bin/', typeFlag: '5' },
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: Buffer.from(CIFAR10_CLASS_NAMES.join('\n')) },
      { name: 'cifar-10-batches-bin/data_batch_2.bin', data: train2 },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: train1 },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: test },
      { name: 'cifar-10-batches-bin/readme.html', data: Buffer.from('<html></html>') },
    ]);
    const path = join(root, 'cifar-10-binary.tar.gz');
    writeFileSync(path, gzipSync(archive));

    const dataset = await loadCifar10(path);
    assert.equal(dataset.train.count, 3);
    assert.deepEqual([...dataset.train.labels], [3, 9, 0]);
    assertImageIs(dataset.train.images, 0, 1);
    assertImageIs(dataset.train.images, 2, 3);
    assert.deepEqual([...dataset.test.labels], [5, 1]);
  });

  it('rejects an archive entry with ..', async () => {
    const archive = buildTar([
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: train1 },
      { name: 'cifar-10-batches-bin/../../test_batch.bin', data: test },
    ]);
    const path = join(root, 'escape.tgz');
    writeFileSync(path, gzipSync(archive));
    await assertRejectsWith(() => loadCifar10(path), 'INVALID_FILE', [path, '../../test_batch.bin']);
  });

  it('rejects an archive without batches', async () => {
    const path = join(root, 'cifar-10-python.tar.gz');
    writeFileSync(
      path,
      gzipSync(buildTar([{ name: 'cifar-10-batches-py/data_batch_1', data: Buffer.from('pickle') }])),
    );
    await assertRejectsWith(() => loadCifar10(path), 'INVALID_FILE', [path, 'found 0 data_batch_<n>.bin']);
  });

  it('names the archive entry with a bad size', async () => {
    const archive = buildTar([
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: train1.subarray(0, 4000) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: test },
    ]);
    const path = join(root, 'bad-size.tar.gz');
    writeFileSync(path, gzipSync(archive));
    await assertRejectsWith(() => loadCifar10(path), 'INVALID_FILE', [
      `${path}:cifar-10-batches-bin/data_batch_1.bin has 4000 bytes`,
      '3073-byte',
    ]);
  });

  it('loads one .bin file as training data', async () => {
    const path = join(root, 'data_batch_1.bin');
    writeFileSync(path, train1);
    const dataset = await loadCifar10(path);
    assert.equal(dataset.train.count, 2);
    assert.equal(dataset.test.count, 0);
    assert.equal(dataset.test.images.length, 0);
  });

  it('reports a .bin file of the wrong size', async () => {
    const path = join(root, 'odd.bin');
    writeFileSync(path, Buffer.alloc(3073 * 2 + 10));
    await assertRejectsWith(() => loadCifar10(path), 'INVALID_FILE', [`${path} has 6156 bytes`, '3073-byte']);
  });

  it('reports a directory without batches', async () => {
    const dir = join(root, 'no-batches');
    mkdirSync(dir);
    writeFileSync(join(dir, 'data_batch_1.bin'), train1);
    await assertRejectsWith(() => loadCifar10(dir), 'NOT_FOUND', [dir, 'test_batch.bin']);
  });
});
