import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { hardLabelLoss, hintonLoss, validateHintonSettings, type HintonSettings } from './losses.js';
import {
  ccKdLoss,
  validateCcKdTrainingLoss,
  type CcKdTrainingLoss,
} from '../distill/correlation-congruence.js';
import { withPenultimateOutput } from '../distill/features.js';
import { routeAnchorIndex, validateRouteTrainingLoss, type RouteTrainingLoss } from '../distill/route.js';

/** One mini-batch, valid until the next one is requested. */
export interface TrainingBatch {
  /** Images, `size × H × W × C`, scaled to [0, 1]. */
  x: Float32Array;
  /** Integer class labels, length `size`. */
  labels: Int32Array;
  /** Row of each example in the teacher-logits matrix, length `size`. */
  rows: Int32Array;
  size: number;
}

/** Source of shuffled mini-batches; `epoch` seeds the shuffle. */
export interface BatchSource {
  /** Number of examples in one epoch. */
  readonly count: number;
  /** Image shape [H, W, C]. */
  readonly shape: readonly [number, number, number];
  batches(epoch: number): Iterable<TrainingBatch>;
}

/**
 * Training objective: hard labels only, Hinton distillation from cached teacher logits, CC-KD
 * (Hinton plus correlation congruence of the penultimate features, see `ccKdLoss`), or RCO
 * (Hinton against the anchor of the epoch on a route of teacher checkpoints, see
 * `routeAnchorIndex`).
 */
export type TrainingLoss =
  | { kind: 'hard-label' }
  | ({ kind: 'hinton'; teacherLogits: Float32Array; numClasses: number } & HintonSettings)
  | CcKdTrainingLoss
  | RouteTrainingLoss;

/**
 * Callback after an epoch (0-based) with its mean loss. It is a union rather than one function
 * returning `void | Promise<void>`, so that a callback returning another value still type-checks.
 */
export type EpochCallback =
  ((epoch: number, meanLoss: number) => void) | ((epoch: number, meanLoss: number) => Promise<void>);

/** Settings of {@link trainModel}. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  /** Peak learning rate of Adam, decayed to 0 by a cosine schedule over all steps. */
  learningRate: number;
  loss: TrainingLoss;
  /** Called after every step with the 1-based step and the total number of steps. */
  onStep?: (step: number, totalSteps: number) => void;
  /**
   * Called after every epoch with its mean loss. Training waits for a returned promise, so the
   * callback can save a checkpoint of the weights of that epoch.
   */
  onEpoch?: EpochCallback;
  signal?: AbortSignal;
}

/** Outcome of {@link trainModel}. */
export interface TrainResult {
  /** Mean training loss of each epoch. */
  epochLosses: number[];
  steps: number;
  images: number;
  trainMs: number;
}

/** Learning rate at `step` (0-based) of `totalSteps` under cosine decay from `peak` to 0. */
export function cosineLearningRate(peak: number, step: number, totalSteps: number): number {
  if (totalSteps <= 1) return peak;
  return 0.5 * peak * (1 + Math.cos((Math.PI * step) / totalSteps));
}

/**
 * Trains `model` in place with Adam and cosine learning-rate decay. Batch-norm layers run in
 * training mode. Every step runs inside `tf.tidy` and the optimizer's slots are disposed before
 * returning, so the tensor count after training equals the count before.
 *
 * With the `cc-kd` loss, a model with one output is trained through its two-output view
 * `[logits, penultimate features]` from `withPenultimateOutput`, and a model with two outputs is
 * taken to be that view already.
 */
export async function trainModel(
  model: tfl.LayersModel,
  data: BatchSource,
  options: TrainOptions,
): Promise<TrainResult> {
  const { epochs, batchSize, learningRate, loss } = options;
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new AkdError('INVALID_INPUT', `Invalid epochs ${epochs}: use a whole number of at least 1.`, {
      epochs,
    });
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid batch size ${batchSize}: use a whole number of at least 1.`,
      {
        batchSize,
      },
    );
  }
  if (!(learningRate > 0)) {
    throw new AkdError('INVALID_INPUT', `Invalid learning rate ${learningRate}: it must be greater than 0.`, {
      learningRate,
    });
  }
  if (loss.kind === 'hinton') validateHintonSettings(loss);
  if (loss.kind === 'cc-kd') validateCcKdTrainingLoss(loss);
  if (loss.kind === 'rco') validateRouteTrainingLoss(loss);
  const network = loss.kind === 'cc-kd' && model.outputs.length === 1 ? withPenultimateOutput(model) : model;

  const [h, w, c] = data.shape;
  const stepsPerEpoch = Math.ceil(data.count / batchSize);
  const totalSteps = stepsPerEpoch * epochs;
  const optimizer = tf.train.adam(learningRate);
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const started = performance.now();
  const epochLosses: number[] = [];
  let step = 0;
  let images = 0;

  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      let lossSum = 0;
      let lossCount = 0;
      const teacherLogits = epochTeacherLogits(loss, epoch);
      for (const batch of data.batches(epoch)) {
        if (options.signal?.aborted) throw new AkdError('INTERNAL', 'Training was aborted.', { epoch, step });
        (optimizer as unknown as { learningRate: number }).learningRate = cosineLearningRate(
          learningRate,
          step,
          totalSteps,
        );
        const value = tf.tidy(() => {
          const x = tf.tensor4d(batch.x.subarray(0, batch.size * h * w * c), [batch.size, h, w, c]);
          const labels = tf.tensor1d(batch.labels.subarray(0, batch.size), 'int32');
          const teacher = gatherTeacherTargets(loss, teacherLogits, batch);
          const { value: cost, grads } = tf.variableGrads(
            () => computeBatchLoss(network, x, labels, loss, teacher),
            variables,
          );
          optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
          return cost.dataSync()[0];
        });
        if (!Number.isFinite(value)) {
          throw new AkdError(
            'INTERNAL',
            `Training diverged: the loss became ${value} at epoch ${epoch + 1}, step ${step + 1}. Lower the learning rate.`,
            { epoch, step, learningRate },
          );
        }
        lossSum += value * batch.size;
        lossCount += batch.size;
        images += batch.size;
        step++;
        options.onStep?.(step, totalSteps);
        if (step % 8 === 0) await yieldToEventLoop();
      }
      const meanLoss = lossSum / Math.max(1, lossCount);
      epochLosses.push(meanLoss);
      await options.onEpoch?.(epoch, meanLoss);
    }
  } finally {
    optimizer.dispose();
  }
  return { epochLosses, steps: step, images, trainMs: performance.now() - started };
}

/** Teacher tensors of one batch: logits, and penultimate features for CC-KD. */
interface TeacherTargets {
  logits: tf.Tensor2D;
  features?: tf.Tensor2D;
}

/** Returns the teacher-logits matrix that `epoch` distills from, or null for hard labels. */
function epochTeacherLogits(loss: TrainingLoss, epoch: number): Float32Array | null {
  switch (loss.kind) {
    case 'hard-label':
      return null;
    case 'hinton':
    case 'cc-kd':
      return loss.teacherLogits;
    case 'rco': {
      const anchor = routeAnchorIndex(epoch, loss.epochsPerAnchor, loss.route.length);
      loss.onAnchor?.(epoch, anchor);
      return loss.route[anchor];
    }
  }
}

function gatherTeacherTargets(
  loss: TrainingLoss,
  teacherLogits: Float32Array | null,
  batch: TrainingBatch,
): TeacherTargets | null {
  if (loss.kind === 'hard-label' || !teacherLogits) return null;
  const logits = gatherRows(teacherLogits, loss.numClasses, batch);
  if (loss.kind !== 'cc-kd') return { logits };
  return { logits, features: gatherRows(loss.teacherFeatures, loss.teacherFeatureSize, batch) };
}

function computeBatchLoss(
  network: tfl.LayersModel,
  x: tf.Tensor4D,
  labels: tf.Tensor1D,
  loss: TrainingLoss,
  teacher: TeacherTargets | null,
): tf.Scalar {
  if (loss.kind === 'cc-kd' && teacher?.features) {
    const [logits, features] = network.apply(x, { training: true }) as tf.Tensor2D[];
    return ccKdLoss(
      { logits, embeddings: features },
      { logits: teacher.logits, embeddings: teacher.features },
      labels,
      loss,
    );
  }
  const logits = network.apply(x, { training: true }) as tf.Tensor2D;
  if (loss.kind === 'hard-label' || !teacher) return hardLabelLoss(logits, labels);
  return hintonLoss(logits, teacher.logits, labels, loss);
}

/** Gathers the rows `batch.rows` of a row-major matrix with `width` columns into a [size, width] tensor. */
function gatherRows(matrix: Float32Array, width: number, batch: TrainingBatch): tf.Tensor2D {
  const out = new Float32Array(batch.size * width);
  for (let i = 0; i < batch.size; i++) {
    const row = batch.rows[i];
    out.set(matrix.subarray(row * width, row * width + width), i * width);
  }
  return tf.tensor2d(out, [batch.size, width]);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
