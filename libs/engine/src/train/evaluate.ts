import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** Images and labels to evaluate on, in dataset order. */
export interface EvaluationData {
  /** Images, `count × H × W × C`, scaled to [0, 1]. */
  images: Float32Array;
  labels: Uint8Array | Int32Array;
  shape: readonly [number, number, number];
}

/** Accuracy of a model on a labelled set. */
export interface EvaluationResult {
  top1: number;
  top5: number;
  count: number;
}

/**
 * Runs `model` in inference mode over `data` in chunks of `batchSize` and returns the logits as a
 * row-major `count × classes` matrix.
 */
export function predictLogits(
  model: tfl.LayersModel,
  images: Float32Array,
  shape: readonly [number, number, number],
  batchSize = 256,
): Float32Array {
  const [h, w, c] = shape;
  const per = h * w * c;
  const count = images.length / per;
  let out: Float32Array | null = null;
  let classes = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const chunk = tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * per, (start + size) * per), [size, h, w, c]);
      return (model.apply(x, { training: false }) as tf.Tensor2D).dataSync() as Float32Array;
    });
    if (!out) {
      classes = chunk.length / size;
      out = new Float32Array(count * classes);
    }
    out.set(chunk, start * classes);
  }
  return out ?? new Float32Array(0);
}

/** Top-1 and top-5 accuracy of row-major `logits` (`count × classes`) against `labels`. */
export function accuracyFromLogits(logits: Float32Array, labels: ArrayLike<number>): EvaluationResult {
  const count = labels.length;
  if (count === 0) return { top1: 0, top5: 0, count: 0 };
  const classes = logits.length / count;
  let top1 = 0;
  let top5 = 0;
  for (let i = 0; i < count; i++) {
    const row = i * classes;
    const target = logits[row + labels[i]];
    let greater = 0;
    for (let k = 0; k < classes; k++) {
      const v = logits[row + k];
      // Ties count against the example, so a constant output never scores as correct.
      if (v > target || (v === target && k !== labels[i])) greater++;
    }
    if (greater === 0) top1++;
    if (greater < 5) top5++;
  }
  return { top1: top1 / count, top5: top5 / count, count };
}

/** Evaluates `model` on `data` and returns top-1 and top-5 accuracy. */
export function evaluateModel(
  model: tfl.LayersModel,
  data: EvaluationData,
  batchSize = 256,
): EvaluationResult {
  return accuracyFromLogits(predictLogits(model, data.images, data.shape, batchSize), data.labels);
}
