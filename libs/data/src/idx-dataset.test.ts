import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import { datasetFingerprint } from './dataset.js';
import { FASHION_MNIST_SUBSET_DIR } from './default-dataset.js';
import {
  FASHION_MNIST_CLASS_NAMES,
  loadFashionMnist,
  loadIdxDataset,
  MNIST_FILE_NAMES,
} from './idx-dataset.js';
import { writeIdxFile, type IdxTensor } from './idx.js';
import { makeTempDir } from './test-support.js';

const root = makeTempDir();
let dirCounter = 0;

interface DatasetFiles {
  trainImages: IdxTensor;
  trainLabels: IdxTensor;
  testImages: IdxTensor;
  testLabels: IdxTensor;
}

/** Valid 2×3 grayscale dataset: 4 training and 2 test images, labels 0..2. */
function validFiles(): DatasetFiles {
  return {
    trainImages: {
      elementType: 'ubyte',
      dims: [4, 2, 3],
      data: Uint8Array.from({ length: 24 }, (_, i) => i * 10),
    },
    trainLabels: { elementType: 'ubyte', dims: [4], data: Uint8Array.from([0, 1, 2, 1]) },
    testImages: {
      elementType: 'ubyte',
      dims: [2, 2, 3],
      data: Uint8Array.from({ length: 12 }, (_, i) => 255 - i),
    },
    testLabels: { elementType: 'ubyte', dims: [2], data: Uint8Array.from([2, 0]) },
  };
}

/** Writes the four files under their MNIST names (gzipped) into a new directory and returns it. */
async function writeDataset(files: DatasetFiles): Promise<string> {
  const dir = join(root, `dataset-${dirCounter++}`);
  mkdirSync(dir);
  for (const key of Object.keys(files) as (keyof DatasetFiles)[]) {
    await writeIdxFile(join(dir, `${MNIST_FILE_NAMES[key]}.gz`), files[key], { gzip: true });
  }
  return dir;
}

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

describe('loadIdxDataset', () => {
  it('loads grayscale images and labels', async () => {
    const files = validFiles();
    const dir = await writeDataset(files);
    const dataset = await loadIdxDataset(dir, { name: 'tiny', classNames: ['a', 'b', 'c'] });
    assert.equal(dataset.name, 'tiny');
    assert.deepEqual(dataset.shape, [2, 3, 1]);
    assert.equal(dataset.numClasses, 3);
    assert.deepEqual(dataset.classNames, ['a', 'b', 'c']);
    assert.equal(dataset.train.count, 4);
    assert.equal(dataset.test.count, 2);
    assert.deepEqual([...dataset.train.images], [...files.trainImages.data]);
    assert.deepEqual([...dataset.train.labels], [0, 1, 2, 1]);
    assert.deepEqual([...dataset.test.images], [...files.testImages.data]);
    assert.deepEqual([...dataset.test.labels], [2, 0]);
  });

  it('loads four-dimensional images as channels', async () => {
    const files = validFiles();
    files.trainImages = { elementType: 'ubyte', dims: [4, 1, 2, 3], data: new Uint8Array(24) };
    files.testImages = { elementType: 'ubyte', dims: [2, 1, 2, 3], data: new Uint8Array(12) };
    const dataset = await loadIdxDataset(await writeDataset(files), { name: 'rgb' });
    assert.deepEqual(dataset.shape, [1, 2, 3]);
  });

  it('infers class names from labels', async () => {
    const dataset = await loadIdxDataset(await writeDataset(validFiles()), { name: 'inferred' });
    assert.equal(dataset.numClasses, 3);
    assert.deepEqual(dataset.classNames, ['0', '1', '2']);
  });

  it('rejects differing image and label counts', async () => {
    const files = validFiles();
    files.trainLabels = { elementType: 'ubyte', dims: [3], data: Uint8Array.from([0, 1, 2]) };
    const dir = await writeDataset(files);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x' }), 'INVALID_FILE', [
      join(dir, 'train-images-idx3-ubyte.gz'),
      join(dir, 'train-labels-idx1-ubyte.gz'),
      '4 images',
      '3 labels',
    ]);
  });

  it('rejects a label outside the class range', async () => {
    const files = validFiles();
    files.testLabels = { elementType: 'ubyte', dims: [2], data: Uint8Array.from([0, 7]) };
    const dir = await writeDataset(files);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x', numClasses: 3 }), 'INVALID_FILE', [
      join(dir, 't10k-labels-idx1-ubyte.gz'),
      'label 7 at index 1',
      'class range 0..2',
    ]);
  });

  it('rejects images that are not ubyte', async () => {
    const files = validFiles();
    files.trainImages = { elementType: 'float32', dims: [4, 2, 3], data: new Float32Array(24) };
    const dir = await writeDataset(files);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x' }), 'INVALID_FILE', [
      join(dir, 'train-images-idx3-ubyte.gz'),
      'float32',
      'must be ubyte',
    ]);
  });

  it('rejects float labels', async () => {
    const files = validFiles();
    files.trainLabels = { elementType: 'float64', dims: [4], data: new Float64Array(4) };
    const dir = await writeDataset(files);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x' }), 'INVALID_FILE', [
      join(dir, 'train-labels-idx1-ubyte.gz'),
      'float64',
    ]);
  });

  it('rejects mismatched train and test shapes', async () => {
    const files = validFiles();
    files.testImages = { elementType: 'ubyte', dims: [2, 3, 2], data: new Uint8Array(12) };
    const dir = await writeDataset(files);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x' }), 'INVALID_FILE', [
      '[3, 2, 1]',
      '[2, 3, 1]',
    ]);
  });

  it('names a missing file', async () => {
    const dir = join(root, 'empty');
    mkdirSync(dir);
    await assertRejectsWith(() => loadIdxDataset(dir, { name: 'x' }), 'NOT_FOUND', [
      dir,
      't10k-images-idx3-ubyte',
    ]);
  });
});

describe('datasetFingerprint', () => {
  it('ignores the name but not the pixels', async () => {
    const dir = await writeDataset(validFiles());
    const first = await loadIdxDataset(dir, { name: 'one' });
    const second = await loadIdxDataset(dir, { name: 'two' });
    assert.match(datasetFingerprint(first), /^[0-9a-f]{64}$/);
    assert.equal(datasetFingerprint(first), datasetFingerprint(second));

    const changedFiles = validFiles();
    changedFiles.testImages.data[5] ^= 1;
    const changed = await loadIdxDataset(await writeDataset(changedFiles), { name: 'one' });
    assert.notEqual(datasetFingerprint(changed), datasetFingerprint(first));
  });

  it('depends on labels and caches per object', async () => {
    const dataset = await loadIdxDataset(await writeDataset(validFiles()), { name: 'x' });
    const original = datasetFingerprint(dataset);
    const relabelled = { ...dataset, train: { ...dataset.train, labels: Uint8Array.from([1, 1, 2, 1]) } };
    assert.notEqual(datasetFingerprint(relabelled), original);

    dataset.train.labels[0] = 2;
    assert.equal(datasetFingerprint(dataset), original, 'the cached value is returned for the same object');
  });
});

describe('committed Fashion-MNIST subset', () => {
  it('has 600 and 100 images per class', async () => {
    const dataset = await loadFashionMnist(FASHION_MNIST_SUBSET_DIR, { name: 'fashion-mnist-subset' });
    assert.equal(dataset.name, 'fashion-mnist-subset');
    assert.deepEqual(dataset.shape, [28, 28, 1]);
    assert.equal(dataset.numClasses, 10);
    assert.deepEqual(dataset.classNames, FASHION_MNIST_CLASS_NAMES);
    assert.equal(dataset.train.count, 6000);
    assert.equal(dataset.test.count, 1000);
    assert.equal(dataset.train.images.length, 6000 * 28 * 28);
    assert.equal(dataset.test.images.length, 1000 * 28 * 28);

    const trainPerClass = new Array<number>(10).fill(0);
    for (const label of dataset.train.labels) trainPerClass[label]++;
    assert.deepEqual(trainPerClass, new Array<number>(10).fill(600));
    const testPerClass = new Array<number>(10).fill(0);
    for (const label of dataset.test.labels) testPerClass[label]++;
    assert.deepEqual(testPerClass, new Array<number>(10).fill(100));
  });
});
