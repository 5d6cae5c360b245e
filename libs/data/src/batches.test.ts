import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import { BatchIterator, gatherImages, gatherLabels, type Batch } from './batches.js';
import { makeSyntheticSplit } from './test-support.js';

const VALUES_PER_IMAGE = 6;
const split = makeSyntheticSplit(40, VALUES_PER_IMAGE, 4);
/** Every third index below 40, so the iterator must not assume contiguous indices. */
const indices = Int32Array.from({ length: 14 }, (_, i) => i * 3);

function epochOrder(iterator: BatchIterator, epochIndex: number): number[] {
  const order: number[] = [];
  for (const batch of iterator.epoch(epochIndex)) order.push(...batch.indices);
  return order;
}

function assertBatchMatchesSplit(batch: Batch): void {
  for (let row = 0; row < batch.size; row++) {
    const index = batch.indices[row];
    assert.equal(batch.labels[row], split.labels[index], `label of row ${row}`);
    for (let i = 0; i < VALUES_PER_IMAGE; i++) {
      const expected = split.images[index * VALUES_PER_IMAGE + i] / 255;
      assert.ok(Math.abs(batch.x[row * VALUES_PER_IMAGE + i] - expected) < 1e-7, `pixel ${i} of row ${row}`);
    }
  }
}

describe('BatchIterator', () => {
  it('visits every index once per epoch', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 5, seed: 7 });
    assert.equal(iterator.batchesPerEpoch, 3);
    for (const epochIndex of [0, 1, 2]) {
      const sizes: number[] = [];
      const seen: number[] = [];
      for (const batch of iterator.epoch(epochIndex)) {
        sizes.push(batch.size);
        seen.push(...batch.indices);
        assert.equal(batch.x.length, batch.size * VALUES_PER_IMAGE);
        assert.equal(batch.labels.length, batch.size);
        assert.equal(batch.indices.length, batch.size);
        assertBatchMatchesSplit(batch);
      }
      assert.deepEqual(sizes, [5, 5, 4]);
      assert.deepEqual(
        seen.sort((a, b) => a - b),
        [...indices],
      );
    }
  });

  it('reshuffles each epoch by seed', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 4, seed: 11 });
    const epoch0 = epochOrder(iterator, 0);
    const epoch1 = epochOrder(iterator, 1);
    assert.notDeepEqual(epoch0, epoch1);
    assert.notDeepEqual(epoch0, [...indices], 'shuffled order should differ from the input order');

    const again = new BatchIterator(split, indices, { batchSize: 4, seed: 11 });
    assert.deepEqual(epochOrder(again, 1), epoch1, 'same seed and epoch must give the same order');
    assert.deepEqual(epochOrder(again, 0), epoch0);

    const otherSeed = new BatchIterator(split, indices, { batchSize: 4, seed: 12 });
    assert.notDeepEqual(epochOrder(otherSeed, 0), epoch0);
  });

  it('keeps input order without shuffle', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 4, seed: 11, shuffle: false });
    assert.deepEqual(epochOrder(iterator, 3), [...indices]);
  });

  it('reuses its buffers', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 5, seed: 1 });
    const buffers = new Set<ArrayBufferLike>();
    const labelBuffers = new Set<ArrayBufferLike>();
    for (const epochIndex of [0, 1]) {
      for (const batch of iterator.epoch(epochIndex)) {
        buffers.add(batch.x.buffer);
        labelBuffers.add(batch.labels.buffer);
      }
    }
    assert.equal(buffers.size, 1, 'every batch must use the same x buffer');
    assert.equal(labelBuffers.size, 1, 'every batch must use the same label buffer');
  });

  it('overwrites a batch with the next', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 5, seed: 1, shuffle: false });
    const generator = iterator.epoch(0);
    const first = generator.next().value as Batch;
    const firstIndex = first.indices[0];
    generator.next();
    assert.notEqual(first.indices[0], firstIndex, 'the first batch view now shows the second batch');
  });

  it('leaves the dataset and indices unchanged', () => {
    const imagesBefore = split.images.slice();
    const labelsBefore = split.labels.slice();
    const indicesBefore = indices.slice();
    const iterator = new BatchIterator(split, indices, { batchSize: 3, seed: 5 });
    for (const epochIndex of [0, 1, 2]) for (const batch of iterator.epoch(epochIndex)) batch.x.fill(-1);
    assert.deepEqual(split.images, imagesBefore);
    assert.deepEqual(split.labels, labelsBefore);
    assert.deepEqual(indices, indicesBefore);
  });

  it('rejects a second active epoch', () => {
    const iterator = new BatchIterator(split, indices, { batchSize: 2, seed: 1 });
    const first = iterator.epoch(0);
    first.next();
    const second = iterator.epoch(1);
    second.next();
    assert.throws(
      () => first.next(),
      (error: unknown) => error instanceof AkdError && error.message.includes('earlier epoch'),
    );
  });

  it('rejects invalid options and indices', () => {
    const isInvalidInput = (fragment: string) => (error: unknown) =>
      error instanceof AkdError && error.code === 'INVALID_INPUT' && error.message.includes(fragment);
    assert.throws(
      () => new BatchIterator(split, indices, { batchSize: 0, seed: 1 }),
      isInvalidInput('batchSize'),
    );
    assert.throws(() => new BatchIterator(split, [], { batchSize: 2, seed: 1 }), isInvalidInput('empty'));
    assert.throws(
      () => new BatchIterator(split, [0, 40], { batchSize: 2, seed: 1 }),
      isInvalidInput('Index 40'),
    );
  });
});

describe('gatherImages', () => {
  it('scales the selected images', () => {
    const x = gatherImages(split, [39, 0]);
    assert.equal(x.length, 2 * VALUES_PER_IMAGE);
    for (let i = 0; i < VALUES_PER_IMAGE; i++) {
      assert.ok(Math.abs(x[i] - split.images[39 * VALUES_PER_IMAGE + i] / 255) < 1e-7);
      assert.ok(Math.abs(x[VALUES_PER_IMAGE + i] - split.images[i] / 255) < 1e-7);
    }
    assert.deepEqual([...gatherLabels(split, [39, 0])], [split.labels[39], split.labels[0]]);
  });

  it('fills a reused output array', () => {
    const out = new Float32Array(3 * VALUES_PER_IMAGE);
    const view = gatherImages(split, [5], out);
    assert.equal(view.buffer, out.buffer);
    assert.equal(view.length, VALUES_PER_IMAGE);
    assert.ok(Math.abs(out[0] - split.images[5 * VALUES_PER_IMAGE] / 255) < 1e-7);
    assert.throws(() => gatherImages(split, [1, 2, 3, 4], out), /has 18 values/);
  });

  it('maps bytes 0 and 255 to 0 and 1', () => {
    const edge = { images: Uint8Array.from([0, 255]), labels: Uint8Array.from([0]), count: 1 };
    assert.deepEqual([...gatherImages(edge, [0])], [0, 1]);
  });
});
