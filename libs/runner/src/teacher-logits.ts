import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AkdError } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import type { PrismaClient, Teacher, TeacherLogits } from '@akd/db';
import {
  averageLogits,
  gatherLogitsRows,
  indexFingerprint,
  readLogitsFile,
  writeLogitsFile,
} from '@akd/teachers';
import { ensureTeacherLogits } from './logits.js';
import { artifactDir } from './paths.js';

/** Split of a dataset that teacher logits are cached for. */
export type LogitsSplit = 'train' | 'test';

/** Returns the indices 0 … count − 1 of a whole split, whose fingerprint names full-split logits. */
export function fullSplitIndices(count: number): Int32Array {
  return Int32Array.from({ length: count }, (_, i) => i);
}

/** Returns the path of cached logits for `teacherId`, in the layout {@link ensureTeacherLogits} uses. */
export function cachedLogitsPath(teacherId: string, split: LogitsSplit, fingerprint: string): string {
  return join(artifactDir(), 'logits', teacherId, `${split}-${fingerprint.slice(0, 16)}.npy`);
}

/** Returns the cached logits row of a teacher, split and index fingerprint if its file exists. */
async function findCachedLogits(
  prisma: PrismaClient,
  teacherId: string,
  split: LogitsSplit,
  fingerprint: string,
): Promise<TeacherLogits | null> {
  const row = await prisma.teacherLogits.findUnique({
    where: { teacherId_split_indexFingerprint: { teacherId, split, indexFingerprint: fingerprint } },
  });
  if (!row || !(await stat(row.path).catch(() => null))) return null;
  return row;
}

/** Writes `data` as the cached logits of a teacher for one index list and records the row. */
export async function cacheTeacherLogits(
  prisma: PrismaClient,
  teacherId: string,
  split: LogitsSplit,
  indices: Int32Array,
  data: Float32Array,
  classes: number,
): Promise<string> {
  const fingerprint = indexFingerprint(indices);
  const path = cachedLogitsPath(teacherId, split, fingerprint);
  await writeLogitsFile(path, data, indices.length, classes);
  await prisma.teacherLogits.upsert({
    where: { teacherId_split_indexFingerprint: { teacherId, split, indexFingerprint: fingerprint } },
    update: { path, count: indices.length, classes },
    create: { teacherId, split, indexFingerprint: fingerprint, path, count: indices.length, classes },
  });
  return path;
}

function checkReady(teacher: Teacher): void {
  if (teacher.status !== 'ready') {
    throw new AkdError('INVALID_INPUT', `Teacher ${teacher.name} is not ready (status ${teacher.status}).`, {
      teacherId: teacher.id,
    });
  }
}

/**
 * Returns the path of a teacher's logits for `indices` of the `split` split, like
 * {@link ensureTeacherLogits}, for every teacher source. Zoo and imported-model teachers run their
 * model once. Imported-logits teachers gather the rows from their full-split file. Ensembles
 * average the logits of their members. Each result is cached as a `.npy` file with a
 * `TeacherLogits` row, so later calls with the same indices only read the file.
 */
export async function ensureTeacherLogitsAnySource(
  prisma: PrismaClient,
  teacher: Teacher,
  dataset: ImageDataset,
  split: LogitsSplit,
  indices: Int32Array,
): Promise<string> {
  switch (teacher.source) {
    case 'zoo':
    case 'imported_model':
      return ensureTeacherLogits(prisma, teacher, dataset, split, indices);
    case 'imported_logits':
      return ensureImportedLogits(prisma, teacher, dataset, split, indices);
    case 'ensemble':
      return ensureEnsembleLogits(prisma, teacher, dataset, split, indices);
  }
}

/** Gathers the rows `indices` from the full-split logits file of an imported-logits teacher. */
async function ensureImportedLogits(
  prisma: PrismaClient,
  teacher: Teacher,
  dataset: ImageDataset,
  split: LogitsSplit,
  indices: Int32Array,
): Promise<string> {
  checkReady(teacher);
  const cached = await findCachedLogits(prisma, teacher.id, split, indexFingerprint(indices));
  if (cached) return cached.path;

  const splitCount = split === 'train' ? dataset.train.count : dataset.test.count;
  const full = await findCachedLogits(
    prisma,
    teacher.id,
    split,
    indexFingerprint(fullSplitIndices(splitCount)),
  );
  if (!full) {
    throw new AkdError(
      'NOT_FOUND',
      `Teacher ${teacher.name} has no imported ${split} logits (or its file is missing), so it has no logits for the ${split} split. Import it again with a ${split} logits file.`,
      { teacherId: teacher.id, split },
    );
  }
  const data = await readLogitsFile(full.path, full.count, full.classes);
  return cacheTeacherLogits(
    prisma,
    teacher.id,
    split,
    indices,
    gatherLogitsRows(data, full.classes, indices),
    full.classes,
  );
}

/** Returns the member teachers of an ensemble in their recorded order, each checked to be ready. */
export async function ensembleMembers(prisma: PrismaClient, ensemble: Teacher): Promise<Teacher[]> {
  const ids = (ensemble.members ?? []) as string[];
  const rows = await prisma.teacher.findMany({ where: { id: { in: ids } } });
  return ids.map((id) => {
    const member = rows.find((row) => row.id === id);
    if (!member) {
      throw new AkdError('NOT_FOUND', `Member ${id} of ensemble teacher ${ensemble.name} no longer exists.`, {
        teacherId: ensemble.id,
        memberId: id,
      });
    }
    if (member.status !== 'ready') {
      throw new AkdError(
        'INVALID_INPUT',
        `Member ${member.name} of ensemble teacher ${ensemble.name} is ${member.status}, not ready.`,
        { teacherId: ensemble.id, memberId: id, status: member.status },
      );
    }
    return member;
  });
}

/**
 * Returns the latest update time of the members of an ensemble, at any depth. Retraining a member
 * updates its row, so cached ensemble logits older than this are stale.
 */
async function latestMemberUpdate(prisma: PrismaClient, ensemble: Teacher): Promise<number> {
  let latest = 0;
  for (const member of await ensembleMembers(prisma, ensemble)) {
    latest = Math.max(latest, member.updatedAt.getTime());
    if (member.source === 'ensemble') latest = Math.max(latest, await latestMemberUpdate(prisma, member));
  }
  return latest;
}

/**
 * Returns the mean of the members' logits for `indices` of `split`: row `i` averages every
 * member's row for `indices[i]`. Each member's logits are cached on the way.
 */
export async function computeEnsembleLogits(
  prisma: PrismaClient,
  members: readonly Teacher[],
  dataset: ImageDataset,
  split: LogitsSplit,
  indices: Int32Array,
): Promise<Float32Array> {
  const logits: Float32Array[] = [];
  for (const member of members) {
    const path = await ensureTeacherLogitsAnySource(prisma, member, dataset, split, indices);
    logits.push(await readLogitsFile(path, indices.length, dataset.numClasses));
  }
  return averageLogits(logits);
}

async function ensureEnsembleLogits(
  prisma: PrismaClient,
  teacher: Teacher,
  dataset: ImageDataset,
  split: LogitsSplit,
  indices: Int32Array,
): Promise<string> {
  checkReady(teacher);
  const members = await ensembleMembers(prisma, teacher);
  const cached = await findCachedLogits(prisma, teacher.id, split, indexFingerprint(indices));
  if (cached && cached.updatedAt.getTime() >= (await latestMemberUpdate(prisma, teacher))) return cached.path;

  const mean = await computeEnsembleLogits(prisma, members, dataset, split, indices);
  return cacheTeacherLogits(prisma, teacher.id, split, indices, mean, dataset.numClasses);
}

/**
 * Returns whether `teacher` can produce logits for the whole `split`: imported-logits teachers
 * only for the splits they were imported with, ensembles only if every member can.
 */
export async function hasLogitsForSplit(
  prisma: PrismaClient,
  teacher: Teacher,
  split: LogitsSplit,
  count: number,
): Promise<boolean> {
  switch (teacher.source) {
    case 'zoo':
    case 'imported_model':
      return true;
    case 'imported_logits':
      return (
        (await findCachedLogits(prisma, teacher.id, split, indexFingerprint(fullSplitIndices(count)))) !==
        null
      );
    case 'ensemble':
      for (const member of await ensembleMembers(prisma, teacher)) {
        if (!(await hasLogitsForSplit(prisma, member, split, count))) return false;
      }
      return true;
  }
}
