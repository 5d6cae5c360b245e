import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import { FASHION_MNIST_SUBSET_DIR, locateDefaultDataset, resolveDefaultDataset } from './default-dataset.js';
import { MNIST_FILE_NAMES } from './idx-dataset.js';
import { writeIdxFile } from './idx.js';
import { makeTempDir } from './test-support.js';

const root = makeTempDir();
const missingDir = join(root, 'not-installed');

/** Writes a tiny valid dataset in MNIST layout (3 training and 1 test image of 2×2) into `dir`. */
async function writeTinyDataset(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  await writeIdxFile(
    join(dir, `${MNIST_FILE_NAMES.trainImages}.gz`),
    { elementType: 'ubyte', dims: [3, 2, 2], data: new Uint8Array(12) },
    { gzip: true },
  );
  await writeIdxFile(
    join(dir, `${MNIST_FILE_NAMES.trainLabels}.gz`),
    { elementType: 'ubyte', dims: [3], data: Uint8Array.from([0, 1, 1]) },
    { gzip: true },
  );
  await writeIdxFile(
    join(dir, MNIST_FILE_NAMES.testImages),
    { elementType: 'ubyte', dims: [1, 2, 2], data: new Uint8Array(4) },
    { gzip: false },
  );
  await writeIdxFile(
    join(dir, MNIST_FILE_NAMES.testLabels),
    { elementType: 'ubyte', dims: [1], data: Uint8Array.from([1]) },
    { gzip: false },
  );
}

const installedDir = join(root, 'installed');
await writeTinyDataset(installedDir);

describe('locateDefaultDataset', () => {
  it('uses the full set when installed', () => {
    const location = locateDefaultDataset({ env: {}, fullDatasetDir: installedDir });
    assert.equal(location.name, 'fashion-mnist');
    assert.equal(location.path, installedDir);
    assert.equal(location.format, 'fashion-mnist');
  });

  it('falls back to the subset', () => {
    const location = locateDefaultDataset({ env: {}, fullDatasetDir: missingDir });
    assert.equal(location.name, 'fashion-mnist-subset');
    assert.equal(location.path, FASHION_MNIST_SUBSET_DIR);
  });

  it('uses the subset when forced', () => {
    const location = locateDefaultDataset({
      env: { AKD_DATASET: 'fashion-mnist-subset' },
      fullDatasetDir: installedDir,
    });
    assert.equal(location.name, 'fashion-mnist-subset');
  });

  it('explains a forced missing full set', () => {
    assert.throws(
      () => locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist' }, fullDatasetDir: missingDir }),
      (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.equal(error.code, 'NOT_FOUND');
        assert.ok(error.message.includes(missingDir), error.message);
        assert.ok(error.message.includes('apt-get install dataset-fashion-mnist'), error.message);
        return true;
      },
    );
  });

  it('accepts a directory path', () => {
    const location = locateDefaultDataset({ env: { AKD_DATASET: installedDir }, fullDatasetDir: missingDir });
    assert.equal(location.format, 'idx');
    assert.equal(location.name, 'installed');
    assert.equal(location.path, installedDir);
  });

  it('recognises CIFAR-10 paths', () => {
    const cifarDir = join(root, 'cifar');
    mkdirSync(cifarDir);
    writeFileSync(join(cifarDir, 'data_batch_1.bin'), Buffer.alloc(0));
    const location = locateDefaultDataset({ env: { AKD_DATASET: cifarDir }, fullDatasetDir: missingDir });
    assert.equal(location.format, 'cifar-10');
  });

  it('rejects a path that does not exist', () => {
    const value = join(root, 'nowhere');
    assert.throws(
      () => locateDefaultDataset({ env: { AKD_DATASET: value } }),
      (error: unknown) =>
        error instanceof AkdError && error.code === 'NOT_FOUND' && error.message.includes(value),
    );
  });
});

describe('resolveDefaultDataset', () => {
  it('loads a forced directory', async () => {
    const dataset = await resolveDefaultDataset({
      env: { AKD_DATASET: installedDir },
      fullDatasetDir: missingDir,
    });
    assert.equal(dataset.name, 'installed');
    assert.equal(dataset.train.count, 3);
    assert.equal(dataset.test.count, 1);
    assert.deepEqual(dataset.classNames, ['0', '1']);
  });

  it('loads the subset by default', async () => {
    const dataset = await resolveDefaultDataset({ env: {}, fullDatasetDir: missingDir });
    assert.equal(dataset.name, 'fashion-mnist-subset');
    assert.equal(dataset.train.count, 6000);
    assert.equal(dataset.classNames[9], 'Ankle boot');
  });
});
