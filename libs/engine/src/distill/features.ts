import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { gatherImages, type Split } from '@akd/data';
import type { Genome, SearchSpace } from '@akd/search-space';
import { buildStudent } from '../model/student.js';
import { predictLogits } from '../train/evaluate.js';

/**
 * Images behind the rows of a cached teacher matrix. Row `i` is image `indices[i]` of `split`,
 * which is the layout of teacher logits computed over `indices` and of a `SplitBatchSource` over
 * the same `indices`.
 */
export interface RowImages {
  split: Split;
  indices: Int32Array;
  /** Image shape [H, W, C]. */
  shape: readonly [number, number, number];
}

/** Logits and penultimate features of a model over a set of images, both row-major. */
export interface LogitsAndFeatures {
  logits: Float32Array;
  classes: number;
  features: Float32Array;
  featureSize: number;
}

/**
 * Returns a model with two outputs, `[logits, features]`, that shares every layer and weight with
 * `model`. `features` is the input of the final dense layer, which is the global-average-pool
 * output for students and for the zoo teachers that pool before their classifier, and the hidden
 * dense layer for the VGG teacher. The parameter count and the weights stay those of `model`, and
 * training the returned model trains `model`.
 *
 * Do not dispose the returned model, because its `dispose()` would release the weights it shares
 * with `model`. It owns no tensors of its own, so disposing `model` frees everything.
 */
export function withPenultimateOutput(model: tfl.LayersModel): tfl.LayersModel {
  if (model.outputs.length !== 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Model "${model.name}" has ${model.outputs.length} outputs: penultimate features can only be exposed on a model with one logits output.`,
      { model: model.name, outputs: model.outputs.length },
    );
  }
  const logits = model.outputs[0];
  const head = logits.sourceLayer;
  if (head.getClassName() !== 'Dense' || logits.inputs.length !== 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Model "${model.name}" ends in a ${head.getClassName()} layer, not a dense classifier, so it has no penultimate features to expose.`,
      { model: model.name, layer: head.name },
    );
  }
  return tfl.model({
    inputs: model.inputs,
    outputs: [logits, logits.inputs[0]],
    name: `${model.name}_features`,
  });
}

/** Returns the width of the penultimate features of `model` (the input width of its final dense layer). */
export function penultimateFeatureSize(model: tfl.LayersModel): number {
  const features = withPenultimateOutput(model).outputs[1];
  return features.shape[features.shape.length - 1] as number;
}

/**
 * Builds the student of `genome` like `buildStudent` and also returns the two-output view of
 * {@link withPenultimateOutput} for feature distillation. Both share the same weights, so the
 * student has the same seeded initial weights and parameter count as `buildStudent` gives.
 */
export function buildStudentWithFeatures(
  space: SearchSpace,
  genome: Genome,
  seed: number,
): { student: tfl.LayersModel; withFeatures: tfl.LayersModel } {
  const student = buildStudent(space, genome, seed);
  return { student, withFeatures: withPenultimateOutput(student) };
}

/**
 * Runs `model` in inference mode over `images` (`count × H × W × C`) in chunks of `batchSize` and
 * returns its logits and penultimate features as row-major matrices.
 */
export function predictLogitsAndFeatures(
  model: tfl.LayersModel,
  images: Float32Array,
  shape: readonly [number, number, number],
  batchSize = 256,
): LogitsAndFeatures {
  const network = withPenultimateOutput(model);
  const [h, w, c] = shape;
  const per = h * w * c;
  const count = images.length / per;
  const classes = network.outputs[0].shape[1] as number;
  const featureSize = network.outputs[1].shape[1] as number;
  const logits = new Float32Array(count * classes);
  const features = new Float32Array(count * featureSize);
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    tf.tidy(() => {
      const x = tf.tensor4d(images.subarray(start * per, (start + size) * per), [size, h, w, c]);
      const [chunkLogits, chunkFeatures] = network.apply(x, { training: false }) as tf.Tensor[];
      logits.set(chunkLogits.dataSync(), start * classes);
      features.set(chunkFeatures.dataSync(), start * featureSize);
    });
  }
  return { logits, classes, features, featureSize };
}

/**
 * Computes the logits and penultimate features of `model` for every row of `rows`, in chunks of
 * `chunkSize` images so that memory stays bounded. Cache the features next to the logits, for
 * example with the teachers library's `.npy` writer, and pass them to the trainer's `cc-kd` loss.
 */
export function predictRowFeatures(
  model: tfl.LayersModel,
  rows: RowImages,
  chunkSize = 1024,
): LogitsAndFeatures {
  let result: LogitsAndFeatures | null = null;
  for (let start = 0; start < rows.indices.length; start += chunkSize) {
    const chunk = rows.indices.subarray(start, Math.min(rows.indices.length, start + chunkSize));
    const part = predictLogitsAndFeatures(model, gatherImages(rows.split, chunk), rows.shape);
    result ??= {
      logits: new Float32Array(rows.indices.length * part.classes),
      classes: part.classes,
      features: new Float32Array(rows.indices.length * part.featureSize),
      featureSize: part.featureSize,
    };
    result.logits.set(part.logits, start * part.classes);
    result.features.set(part.features, start * part.featureSize);
  }
  return result ?? { logits: new Float32Array(0), classes: 0, features: new Float32Array(0), featureSize: 0 };
}

/** Computes the logits of `model` in inference mode for every row of `rows`, chunk by chunk. */
export function predictRowLogits(model: tfl.LayersModel, rows: RowImages, chunkSize = 1024): Float32Array {
  let out: Float32Array | null = null;
  for (let start = 0; start < rows.indices.length; start += chunkSize) {
    const chunk = rows.indices.subarray(start, Math.min(rows.indices.length, start + chunkSize));
    const logits = predictLogits(model, gatherImages(rows.split, chunk), rows.shape);
    const classes = logits.length / chunk.length;
    out ??= new Float32Array(rows.indices.length * classes);
    out.set(logits, start * classes);
  }
  return out ?? new Float32Array(0);
}
