import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import {
  evaluateModel,
  MODEL_JSON,
  saveModel,
  SplitBatchSource,
  trainModel,
  type CheckpointLocation,
} from '@akd/engine';
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

/**
 * Intermediate checkpoints to keep while a teacher trains, for distillation along the teacher's
 * training route (RCO). Checkpoint N contains the weights after N epochs.
 */
export interface TeacherCheckpointing {
  /** Artifact directory of the teacher. Checkpoint N is saved to `checkpoints/epoch-N/` inside it. */
  artifactDir: string;
  /** 1-based epochs after which to save a checkpoint, or `'every'` for every epoch. */
  checkpointEpochs: readonly number[] | 'every';
}

/** Folder of the checkpoints inside a teacher's artifact directory. */
export const CHECKPOINTS_DIR = 'checkpoints';

/** Returns the directory of the checkpoint saved after `epoch` epochs (1-based). */
export function teacherCheckpointDir(artifactDir: string, epoch: number): string {
  return join(artifactDir, CHECKPOINTS_DIR, `epoch-${epoch}`);
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
 *
 * With `checkpointing`, the checkpoints of an earlier run are deleted first, and the model is
 * saved after each requested epoch with `saveModel`, which writes to a temporary directory and
 * renames it into place. Save the final model with {@link saveTeacherModel} to keep them.
 */
export async function trainZooTeacher(
  dataset: ImageDataset,
  teacher: ZooTeacher,
  settings: TeacherTrainingSettings,
  onStep?: (step: number, total: number) => void,
  signal?: AbortSignal,
  checkpointing?: TeacherCheckpointing,
): Promise<TrainedTeacher> {
  validateTeacherTraining(settings);
  const saveAfter = checkpointing ? checkpointEpochSet(checkpointing, settings.epochs) : null;
  if (checkpointing) {
    // Checkpoints of an earlier training run of this teacher would mix into the new route.
    await rm(join(checkpointing.artifactDir, CHECKPOINTS_DIR), { recursive: true, force: true });
  }
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
      onEpoch: async (epoch) => {
        if (checkpointing && saveAfter?.has(epoch + 1)) {
          await saveModel(model, teacherCheckpointDir(checkpointing.artifactDir, epoch + 1));
        }
      },
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

function checkpointEpochSet(checkpointing: TeacherCheckpointing, epochs: number): Set<number> {
  if (!checkpointing.artifactDir) {
    throw new AkdError('INVALID_INPUT', 'Missing teacher artifact directory for the checkpoints.');
  }
  const requested = checkpointing.checkpointEpochs;
  if (requested === 'every') return new Set(Array.from({ length: epochs }, (_, i) => i + 1));
  if (requested.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      "Invalid checkpoint epochs []: list at least one epoch, use 'every', or train without checkpointing.",
    );
  }
  for (const epoch of requested) {
    if (!Number.isInteger(epoch) || epoch < 1 || epoch > epochs) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid checkpoint epoch ${epoch}: use whole numbers from 1 to the ${epochs} training epochs.`,
        { epoch, epochs },
      );
    }
  }
  return new Set(requested);
}

/**
 * Lists the checkpoints saved under `artifactDir` by {@link trainZooTeacher}, sorted by epoch.
 * Only complete checkpoints count, which are directories named `epoch-N` containing `model.json`.
 * Returns an empty list when the teacher has no checkpoints.
 */
export async function listTeacherCheckpoints(artifactDir: string): Promise<CheckpointLocation[]> {
  const root = join(artifactDir, CHECKPOINTS_DIR);
  let names: string[];
  try {
    names = await readdir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const checkpoints: CheckpointLocation[] = [];
  for (const name of names) {
    const match = /^epoch-([1-9][0-9]*)$/.exec(name);
    if (!match) continue;
    const dir = join(root, name);
    if (!(await isFile(join(dir, MODEL_JSON)))) continue;
    checkpoints.push({ epoch: Number(match[1]), dir });
  }
  return checkpoints.sort((a, b) => a.epoch - b.epoch);
}

/**
 * Saves the final teacher model into `artifactDir` like `saveModel`, but keeps the `checkpoints/`
 * folder that `saveModel` would delete with the old directory. The model is written to a sibling
 * temporary directory first, the checkpoints are moved into it, and it is renamed into place.
 * Checkpoints of an earlier run stay unless `trainZooTeacher` ran with checkpointing, which
 * deletes them before training.
 *
 * NOTE: a crash between moving the checkpoints and the final rename leaves the new model and the
 * checkpoints in the sibling `<artifactDir>.model-*` directory and no `model.json` in `artifactDir`.
 */
export async function saveTeacherModel(model: tfl.LayersModel, artifactDir: string): Promise<void> {
  const target = resolve(artifactDir);
  const staging = `${target}.model-${process.pid}-${Date.now()}`;
  await saveModel(model, staging);
  const checkpoints = join(target, CHECKPOINTS_DIR);
  const moved = join(staging, CHECKPOINTS_DIR);
  const hasCheckpoints = await isDirectory(checkpoints);
  try {
    if (hasCheckpoints) await rename(checkpoints, moved);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
  } catch (error) {
    // Put the checkpoints back before dropping the staging directory, so a failed save loses none.
    if (hasCheckpoints && (await isDirectory(moved))) {
      try {
        await mkdir(target, { recursive: true });
        await rename(moved, checkpoints);
      } catch {
        throw new AkdError(
          'INTERNAL',
          `Saving the teacher model to ${target} failed (${(error as Error).message}), and its checkpoints could not be moved back: they are in ${moved}.`,
          { target, checkpoints: moved },
          { cause: error },
        );
      }
    }
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}
