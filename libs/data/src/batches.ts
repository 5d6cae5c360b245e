import { AkdError, Rng } from '@akd/core';

import { imageSizeBytes, type Split } from './dataset.js';
import { shuffleInPlace } from './shuffle.js';

/** Maps a pixel byte to its float value in [0, 1] (byte / 255). */
const PIXEL_TO_UNIT = Float32Array.from({ length: 256 }, (_, value) => value / 255);

/**
 * One mini-batch. Its arrays are views of buffers that the iterator reuses, so a batch is valid
 * only until the next batch is requested. Copy what must outlive that.
 */
export interface Batch {
  /** Pixels scaled to [0, 1], `size × height × width × channels` in HWC order. */
  x: Float32Array;
  /** Class index of each example. */
  labels: Int32Array;
  /** Index of each example in the split. */
  indices: Int32Array;
  /** Number of examples. It equals the batch size except in the last, partial batch of an epoch. */
  size: number;
}

/** Options of {@link BatchIterator}. */
export interface BatchIteratorOptions {
  /** Maximum number of examples per batch. */
  batchSize: number;
  /** Seed of the per-epoch shuffles. */
  seed: number;
  /** Whether each epoch visits the indices in a new seeded order (default true). If false, the given order is kept. */
  shuffle?: boolean;
}

/**
 * Mini-batch iterator over a subset of a split that never copies the dataset: each batch is
 * gathered from the split's bytes into buffers allocated once. Shuffling permutes a private copy
 * of the index array, so neither the split nor the caller's indices change.
 */
export class BatchIterator {
  /** Maximum number of examples per batch. */
  readonly batchSize: number;
  /** Number of examples visited per epoch (the length of the index array). */
  readonly exampleCount: number;
  /** Number of batches per epoch, counting the last partial batch. */
  readonly batchesPerEpoch: number;
  /** Number of values in one image (height × width × channels). */
  readonly valuesPerImage: number;

  private readonly split: Split;
  private readonly seed: number;
  private readonly shuffle: boolean;
  private readonly baseOrder: Int32Array;
  private readonly order: Int32Array;
  private readonly xBuffer: Float32Array;
  private readonly labelBuffer: Int32Array;
  private readonly indexBuffer: Int32Array;
  private activeEpoch = 0;

  /**
   * Creates an iterator over `indices` of `split`. Throws INVALID_INPUT when `batchSize` is not a
   * positive integer, `seed` is not an integer, `indices` is empty, or an index is outside the split.
   */
  constructor(split: Split, indices: ArrayLike<number>, options: BatchIteratorOptions) {
    const { batchSize, seed } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new AkdError('INVALID_INPUT', `batchSize must be a positive integer, got ${batchSize}.`, {
        batchSize,
      });
    }
    if (!Number.isInteger(seed)) {
      throw new AkdError('INVALID_INPUT', `seed must be an integer, got ${seed}.`, { seed });
    }
    if (indices.length === 0) {
      throw new AkdError('INVALID_INPUT', 'The index array is empty, so there is nothing to iterate over.');
    }
    checkIndices(split, indices);

    this.split = split;
    this.seed = seed;
    this.shuffle = options.shuffle ?? true;
    this.batchSize = batchSize;
    this.exampleCount = indices.length;
    this.batchesPerEpoch = Math.ceil(indices.length / batchSize);
    this.valuesPerImage = imageSizeBytes(split);

    this.baseOrder = Int32Array.from(indices);
    this.order = new Int32Array(this.baseOrder.length);
    const bufferSize = Math.min(batchSize, indices.length);
    this.xBuffer = new Float32Array(bufferSize * this.valuesPerImage);
    this.labelBuffer = new Int32Array(bufferSize);
    this.indexBuffer = new Int32Array(bufferSize);
  }

  /**
   * Yields the batches of epoch `epochIndex`. With shuffling, the order is a function of the seed
   * and `epochIndex` alone, so a resumed run gets the same order. All batches share the
   * iterator's buffers: starting another epoch makes the earlier generator throw on its next step.
   */
  *epoch(epochIndex = 0): Generator<Batch, void, undefined> {
    if (!Number.isInteger(epochIndex) || epochIndex < 0) {
      throw new AkdError('INVALID_INPUT', `epochIndex must be a non-negative integer, got ${epochIndex}.`, {
        epochIndex,
      });
    }
    const token = ++this.activeEpoch;
    this.order.set(this.baseOrder);
    if (this.shuffle) shuffleInPlace(this.order, new Rng(mixSeed(this.seed, epochIndex)));

    for (let start = 0; start < this.exampleCount; start += this.batchSize) {
      if (token !== this.activeEpoch) {
        throw new AkdError(
          'INTERNAL',
          'BatchIterator.epoch() was called again while an earlier epoch was still being iterated. ' +
            'Batches share one set of buffers, so finish or drop one epoch before starting the next.',
        );
      }
      const size = Math.min(this.batchSize, this.exampleCount - start);
      const batchIndices = this.order.subarray(start, start + size);
      this.indexBuffer.set(batchIndices);
      fillLabels(this.split, batchIndices, this.labelBuffer);
      fillImages(this.split, batchIndices, this.valuesPerImage, this.xBuffer);
      yield {
        x:
          size === this.labelBuffer.length
            ? this.xBuffer
            : this.xBuffer.subarray(0, size * this.valuesPerImage),
        labels: size === this.labelBuffer.length ? this.labelBuffer : this.labelBuffer.subarray(0, size),
        indices: size === this.indexBuffer.length ? this.indexBuffer : this.indexBuffer.subarray(0, size),
        size,
      };
    }
  }
}

/**
 * Gathers the images at `indices` of `split`, scaled to [0, 1], into `out` (or a new array) in
 * HWC order. Meant for evaluation in chunks: pass one chunk of indices per call and reuse `out`.
 * Returns the filled view of `out`. Throws INVALID_INPUT when an index is outside the split or
 * `out` is too small.
 */
export function gatherImages(split: Split, indices: ArrayLike<number>, out?: Float32Array): Float32Array {
  checkIndices(split, indices);
  const valuesPerImage = imageSizeBytes(split);
  const length = indices.length * valuesPerImage;
  if (out && out.length < length) {
    throw new AkdError(
      'INVALID_INPUT',
      `The output array has ${out.length} values but ${indices.length} images need ${length}.`,
      { outputLength: out.length, requiredLength: length },
    );
  }
  const target = out ? out.subarray(0, length) : new Float32Array(length);
  fillImages(split, indices, valuesPerImage, target);
  return target;
}

/** Returns the labels at `indices` of `split` as an Int32Array. Throws INVALID_INPUT on an index outside the split. */
export function gatherLabels(split: Split, indices: ArrayLike<number>): Int32Array {
  checkIndices(split, indices);
  const labels = new Int32Array(indices.length);
  fillLabels(split, indices, labels);
  return labels;
}

function fillImages(
  split: Split,
  indices: ArrayLike<number>,
  valuesPerImage: number,
  out: Float32Array,
): void {
  const images = split.images;
  for (let row = 0; row < indices.length; row++) {
    const source = indices[row] * valuesPerImage;
    const target = row * valuesPerImage;
    for (let i = 0; i < valuesPerImage; i++) out[target + i] = PIXEL_TO_UNIT[images[source + i]];
  }
}

function fillLabels(split: Split, indices: ArrayLike<number>, out: Int32Array): void {
  for (let row = 0; row < indices.length; row++) out[row] = split.labels[indices[row]];
}

function checkIndices(split: Split, indices: ArrayLike<number>): void {
  for (let i = 0; i < indices.length; i++) {
    const index = indices[i];
    if (!Number.isInteger(index) || index < 0 || index >= split.count) {
      throw new AkdError(
        'INVALID_INPUT',
        `Index ${index} at position ${i} is outside the split, which has ${split.count} examples.`,
        { position: i, index, count: split.count },
      );
    }
  }
}

/** Derives the seed of one epoch's shuffle, so epochs of one seed get unrelated orders. */
function mixSeed(seed: number, epochIndex: number): number {
  return finalizeHash32((seed >>> 0) ^ finalizeHash32((epochIndex + 0x632be5ab) >>> 0));
}

/** MurmurHash3's 32-bit finalizer: a bijection that spreads every input bit over the output. */
function finalizeHash32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
