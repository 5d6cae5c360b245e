import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import { evaluateModel, SplitBatchSource, trainModel } from '@akd/engine';
import { gatherImages } from '@akd/data';
import type { ZooTeacher } from './zoo.js';

/** Settings of {@link trainZooTeacher}; recorded with every trained teacher. */
export interface TeacherTrainingSettings {
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate, decayed by a cosine schedule. */
  learningRate: number;
  /** Seed of the initial weights and the batch order. */
  seed: number;
}

/** Settings used by `akd teachers train` unless overridden. */
export const DEFAULT_TEACHER_TRAINING: TeacherTrainingSettings = {
  epochs: 6,
  batchSize: 64,
  learningRate: 0.004,
  seed: 1,
};

/** A trained teacher and its test accuracy. */
export interface TrainedTeacher {
  model: tfl.LayersModel;
  testTop1: number;
  testTop5: number;
  trainMs: number;
  epochLosses: number[];
}

/** Throws an INVALID_INPUT error naming the field unless every setting is usable. */
export function validateTeacherTraining(settings: TeacherTrainingSettings): void {
  const positiveInts = ['epochs', 'batchSize'] as const;
  for (const field of positiveInts) {
    const value = settings[field];
    if (!Number.isInteger(value) || value < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid teacher ${field} ${value}: use a whole number of at least 1.`,
        {
          [field]: value,
        },
      );
    }
  }
  if (!(settings.learningRate > 0)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid teacher learning rate ${settings.learningRate}: it must be greater than 0.`,
    );
  }
}

/**
 * Trains `teacher` on the whole training split of `dataset` with hard labels and evaluates it on
 * the test split. The test split is used only for this final figure.
 */
export async function trainZooTeacher(
  dataset: ImageDataset,
  teacher: ZooTeacher,
  settings: TeacherTrainingSettings,
  onStep?: (step: number, total: number) => void,
  signal?: AbortSignal,
): Promise<TrainedTeacher> {
  validateTeacherTraining(settings);
  const model = teacher.build(dataset.shape, dataset.numClasses, settings.seed);
  try {
    const indices = Int32Array.from({ length: dataset.train.count }, (_, i) => i);
    const source = new SplitBatchSource(
      dataset.train,
      indices,
      dataset.shape,
      settings.batchSize,
      settings.seed,
    );
    const result = await trainModel(model, source, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      loss: { kind: 'hard-label' },
      onStep,
      signal,
    });
    const test = evaluateTestSplit(model, dataset);
    return {
      model,
      testTop1: test.top1,
      testTop5: test.top5,
      trainMs: result.trainMs,
      epochLosses: result.epochLosses,
    };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** Top-1 and top-5 accuracy of `model` on the test split of `dataset`. */
export function evaluateTestSplit(
  model: tfl.LayersModel,
  dataset: ImageDataset,
): { top1: number; top5: number } {
  const indices = Int32Array.from({ length: dataset.test.count }, (_, i) => i);
  const images = gatherImages(dataset.test, indices);
  return evaluateModel(model, { images, labels: dataset.test.labels, shape: dataset.shape });
}
