import { BatchIterator, type Split } from '@akd/data';
import type { BatchSource, TrainingBatch } from './trainer.js';

/**
 * {@link BatchSource} over `indices` of a dataset split. The row of each example is its position
 * in `indices`, which is how teacher logits computed over the same index list are laid out.
 */
export class SplitBatchSource implements BatchSource {
  readonly count: number;
  private readonly iterator: BatchIterator;
  private readonly rowOf: Int32Array;
  private readonly rows: Int32Array;

  constructor(
    split: Split,
    indices: Int32Array,
    readonly shape: readonly [number, number, number],
    batchSize: number,
    seed: number,
  ) {
    this.count = indices.length;
    this.iterator = new BatchIterator(split, indices, { batchSize, seed, shuffle: true });
    this.rowOf = new Int32Array(split.count).fill(-1);
    indices.forEach((index, row) => (this.rowOf[index] = row));
    this.rows = new Int32Array(batchSize);
  }

  *batches(epoch: number): Iterable<TrainingBatch> {
    for (const batch of this.iterator.epoch(epoch)) {
      for (let i = 0; i < batch.size; i++) this.rows[i] = this.rowOf[batch.indices[i]];
      yield { x: batch.x, labels: batch.labels, rows: this.rows, size: batch.size };
    }
  }
}
