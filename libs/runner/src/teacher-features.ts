import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AkdError, Logger } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import type { Teacher } from '@akd/db';
import { loadModel, predictRowFeatures } from '@akd/engine';
import { decodeNpy, indexFingerprint, writeLogitsFile } from '@akd/teachers';
import { artifactDir } from './paths.js';

const log = new Logger('teacherFeatures');

/** Penultimate features of a teacher over rows of the training split, row-major. */
export interface TeacherFeatures {
  features: Float32Array;
  /** Number of columns of `features`. */
  featureSize: number;
}

/**
 * Returns the path of the cached penultimate features of `teacher` over `indices` of the training
 * split, or null when the teacher records no checksums to key the cache by. The name contains the
 * index fingerprint and a hash of the model's checksums, so a retrained teacher never reads the
 * features of its earlier model.
 */
export function teacherFeaturesPath(teacher: Teacher, indices: Int32Array): string | null {
  if (!teacher.checksums) return null;
  const model = createHash('sha256').update(JSON.stringify(teacher.checksums)).digest('hex');
  const name = `train-${indexFingerprint(indices).slice(0, 16)}-${model.slice(0, 16)}.npy`;
  return join(artifactDir(), 'features', teacher.id, name);
}

/**
 * Returns the teacher's penultimate features (the input of its final dense layer) for `indices`
 * of the training split. They are computed once with the teacher model in inference mode and
 * cached as a `.npy` file, which later calls read.
 *
 * @throws AkdError INVALID_INPUT when the teacher has no model files or its model does not end in
 *   a dense classifier.
 */
export async function ensureTeacherFeatures(
  teacher: Teacher,
  dataset: ImageDataset,
  indices: Int32Array,
): Promise<TeacherFeatures> {
  const path = teacherFeaturesPath(teacher, indices);
  if (path && (await stat(path).catch(() => null))) {
    const matrix = decodeNpy(await readFile(path), path);
    if (matrix.rows === indices.length) return { features: matrix.data, featureSize: matrix.cols };
    log.warn('cached teacher features have the wrong row count, computing them again', {
      teacherId: teacher.id,
      path,
      rows: matrix.rows,
      expected: indices.length,
    });
  }
  if (!teacher.artifactDir) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher ${teacher.name} has no model files, so its penultimate features cannot be computed.`,
      { teacherId: teacher.id },
    );
  }
  const model = await loadModel(teacher.artifactDir);
  try {
    const { features, featureSize } = predictRowFeatures(model, {
      split: dataset.train,
      indices,
      shape: dataset.shape,
    });
    if (path) await writeLogitsFile(path, features, indices.length, featureSize);
    return { features, featureSize };
  } finally {
    model.dispose();
  }
}
