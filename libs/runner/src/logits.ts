import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageDataset } from '@akd/data';
import type { PrismaClient, Teacher } from '@akd/db';
import { loadModel } from '@akd/engine';
import { computeLogits, indexFingerprint, writeLogitsFile } from '@akd/teachers';
import { AkdError } from '@akd/core';
import { artifactDir } from './paths.js';

/**
 * Returns the path of the teacher's logits for `indices` of the `split` split, computing them
 * once (in inference mode) and caching the `.npy` file and its row. Training a candidate then
 * reads the file and never runs the teacher.
 */
export async function ensureTeacherLogits(
  prisma: PrismaClient,
  teacher: Teacher,
  dataset: ImageDataset,
  splitName: 'train' | 'test',
  indices: Int32Array,
): Promise<string> {
  const fingerprint = indexFingerprint(indices);
  const cached = await prisma.teacherLogits.findUnique({
    where: {
      teacherId_split_indexFingerprint: {
        teacherId: teacher.id,
        split: splitName,
        indexFingerprint: fingerprint,
      },
    },
  });
  if (cached && (await stat(cached.path).catch(() => null))) return cached.path;
  if (!teacher.artifactDir || teacher.status !== 'ready') {
    throw new AkdError('INVALID_INPUT', `Teacher ${teacher.name} is not ready (status ${teacher.status}).`, {
      teacherId: teacher.id,
    });
  }
  const model = await loadModel(teacher.artifactDir);
  try {
    const split = splitName === 'train' ? dataset.train : dataset.test;
    const { data, classes } = computeLogits(model, split, indices, dataset.shape);
    const path = join(artifactDir(), 'logits', teacher.id, `${splitName}-${fingerprint.slice(0, 16)}.npy`);
    await writeLogitsFile(path, data, indices.length, classes);
    await prisma.teacherLogits.upsert({
      where: {
        teacherId_split_indexFingerprint: {
          teacherId: teacher.id,
          split: splitName,
          indexFingerprint: fingerprint,
        },
      },
      update: { path, count: indices.length, classes },
      create: {
        teacherId: teacher.id,
        split: splitName,
        indexFingerprint: fingerprint,
        path,
        count: indices.length,
        classes,
      },
    });
    return path;
  } finally {
    model.dispose();
  }
}
