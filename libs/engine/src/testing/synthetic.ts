import { Rng } from '@akd/core';
import type { BatchSource, TrainingBatch } from '../train/trainer.js';

/**
 * Builds a small synthetic image set for engine tests. Class k has a bright square in quadrant k
 * (up to four classes) on noise, so a tiny convolutional network separates it in a few steps.
 */
export function syntheticImages(
  count: number,
  shape: [number, number, number],
  numClasses: number,
  seed: number,
): { images: Float32Array; labels: Int32Array } {
  const [h, w, c] = shape;
  const rng = new Rng(seed);
  const images = new Float32Array(count * h * w * c);
  const labels = new Int32Array(count);
  for (let n = 0; n < count; n++) {
    const label = n % numClasses;
    labels[n] = label;
    const top = label < 2 ? 0 : Math.floor(h / 2);
    const left = label % 2 === 0 ? 0 : Math.floor(w / 2);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const inside = y >= top && y < top + h / 2 && x >= left && x < left + w / 2;
        for (let ch = 0; ch < c; ch++) {
          images[((n * h + y) * w + x) * c + ch] = (inside ? 0.7 : 0) + 0.3 * rng.next();
        }
      }
    }
  }
  return { images, labels };
}

/** In-memory {@link BatchSource} over `images`, shuffled per epoch by `seed`. */
export class ArrayBatchSource implements BatchSource {
  readonly count: number;

  constructor(
    private readonly images: Float32Array,
    private readonly labels: Int32Array,
    readonly shape: readonly [number, number, number],
    private readonly batchSize: number,
    private readonly seed = 1,
  ) {
    this.count = labels.length;
  }

  *batches(epoch: number): Iterable<TrainingBatch> {
    const per = this.shape[0] * this.shape[1] * this.shape[2];
    const order = new Rng(this.seed + epoch).shuffle(Array.from({ length: this.count }, (_, i) => i));
    const x = new Float32Array(this.batchSize * per);
    const labels = new Int32Array(this.batchSize);
    const rows = new Int32Array(this.batchSize);
    for (let start = 0; start < this.count; start += this.batchSize) {
      const size = Math.min(this.batchSize, this.count - start);
      for (let i = 0; i < size; i++) {
        const index = order[start + i];
        x.set(this.images.subarray(index * per, (index + 1) * per), i * per);
        labels[i] = this.labels[index];
        rows[i] = index;
      }
      yield { x, labels, rows, size };
    }
  }
}
