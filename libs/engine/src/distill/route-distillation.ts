/**
 * Route-constrained optimisation (RCO) from Jin et al., "Knowledge Distillation via Route
 * Constrained Optimization", ICCV 2019. The student is distilled from the teacher's intermediate
 * checkpoints, easy to hard, instead of from the converged teacher alone.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { loadModel } from '../model/io.js';
import type { HintonSettings } from '../train/losses.js';
import { trainModel, type BatchSource, type EpochCallback, type TrainResult } from '../train/trainer.js';
import { predictRowLogits, type RowImages } from './features.js';
import { validateRouteSchedule } from './route.js';

/** One anchor of a route: the logits of the teacher checkpoint saved after `epoch` teacher epochs. */
export interface RouteAnchor {
  epoch: number;
  /** Row-major logits over the rows of the training data. */
  teacherLogits: Float32Array;
}

/** A saved teacher checkpoint: the model directory written after `epoch` teacher epochs. */
export interface CheckpointLocation {
  epoch: number;
  dir: string;
}

/** Settings of {@link distillAlongRoute}. Every anchor is distilled with Hinton KD at λ and τ. */
export interface RouteDistillationOptions extends HintonSettings {
  /** Anchors ordered by teacher epoch, from the earliest checkpoint to the final teacher. */
  route: readonly RouteAnchor[];
  numClasses: number;
  /** Student epochs spent on each anchor before moving to the next. */
  epochsPerAnchor: number;
  /**
   * Student epochs in all, at least `(route.length − 1)·epochsPerAnchor + 1` so that the final
   * anchor is reached. Defaults to `route.length·epochsPerAnchor`. Epochs beyond that stay on the
   * final anchor.
   */
  epochs?: number;
  batchSize: number;
  /** Peak Adam learning rate of one cosine schedule over the whole route. */
  learningRate: number;
  onStep?: (step: number, totalSteps: number) => void;
  onEpoch?: EpochCallback;
  signal?: AbortSignal;
}

/** Outcome of {@link distillAlongRoute}. */
export interface RouteDistillationResult extends TrainResult {
  /** Index into the route of the anchor that each student epoch used, as the trainer reported it. */
  anchorByEpoch: number[];
  /** Teacher epoch of the anchor that each student epoch used. */
  anchorEpochByEpoch: number[];
}

/**
 * Distills `student` in place along `options.route`, where student epoch `e` (0-based) uses anchor
 * `min(⌊e / epochsPerAnchor⌋, route.length − 1)`. The whole route is one `trainModel` run, so
 * Adam's moments and the cosine learning-rate schedule carry over from one anchor to the next.
 * Throws INVALID_INPUT on an empty route, anchors out of epoch order, too few epochs to reach the
 * final anchor, or invalid Hinton settings.
 */
export async function distillAlongRoute(
  student: tfl.LayersModel,
  data: BatchSource,
  options: RouteDistillationOptions,
): Promise<RouteDistillationResult> {
  const { route, epochsPerAnchor } = options;
  validateRouteSchedule(route.length, epochsPerAnchor);
  validateAnchorOrder(route);
  const minimumEpochs = (route.length - 1) * epochsPerAnchor + 1;
  const epochs = options.epochs ?? route.length * epochsPerAnchor;
  if (!Number.isInteger(epochs) || epochs < minimumEpochs) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid epochs ${epochs} for a route of ${route.length} anchors at ${epochsPerAnchor} epochs each: use at least ${minimumEpochs} so that the final teacher is reached.`,
      { epochs, routeLength: route.length, epochsPerAnchor, minimumEpochs },
    );
  }

  const anchorByEpoch: number[] = [];
  const result = await trainModel(student, data, {
    epochs,
    batchSize: options.batchSize,
    learningRate: options.learningRate,
    loss: {
      kind: 'rco',
      route: route.map((anchor) => anchor.teacherLogits),
      numClasses: options.numClasses,
      epochsPerAnchor,
      lambda: options.lambda,
      temperature: options.temperature,
      onAnchor: (epoch, anchor) => (anchorByEpoch[epoch] = anchor),
    },
    onStep: options.onStep,
    onEpoch: options.onEpoch,
    signal: options.signal,
  });
  return {
    ...result,
    anchorByEpoch,
    anchorEpochByEpoch: anchorByEpoch.map((anchor) => route[anchor].epoch),
  };
}

/**
 * Loads every checkpoint of `checkpoints` in turn and computes its logits over `rows`, the rows
 * of the training data, disposing each model before loading the next.
 */
export async function loadRouteAnchors(
  checkpoints: readonly CheckpointLocation[],
  rows: RowImages,
): Promise<RouteAnchor[]> {
  validateRouteSchedule(checkpoints.length, 1);
  validateAnchorOrder(checkpoints);
  const anchors: RouteAnchor[] = [];
  for (const checkpoint of checkpoints) {
    const model = await loadModel(checkpoint.dir);
    try {
      anchors.push({ epoch: checkpoint.epoch, teacherLogits: predictRowLogits(model, rows) });
    } finally {
      model.dispose();
    }
  }
  return anchors;
}

function validateAnchorOrder(route: readonly { epoch: number }[]): void {
  route.forEach((anchor, i) => {
    const previous = i > 0 ? route[i - 1].epoch : 0;
    if (!Number.isInteger(anchor.epoch) || anchor.epoch <= previous) {
      throw new AkdError(
        'INVALID_INPUT',
        `Route anchor ${i} is at teacher epoch ${anchor.epoch}, not after ${previous}: order the route by increasing teacher epoch (1 or more), easy to hard.`,
        { anchor: i, epoch: anchor.epoch, previousEpoch: previous },
      );
    }
  });
}
