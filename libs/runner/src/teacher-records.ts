/**
 * Steps shared by the teachers that are created from existing outputs instead of being trained:
 * imported models, imported logits and ensembles.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AkdError, Logger } from '@akd/core';
import { datasetFingerprint, type ImageDataset } from '@akd/data';
import { Prisma, type Dataset, type PrismaClient, type Teacher } from '@akd/db';
import { artifactDir } from './paths.js';

const log = new Logger('teachers');

/** Teacher names become directory names, so they are limited to these characters. */
const TEACHER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Throws INVALID_INPUT unless `name` is 1–64 letters, digits, `.`, `_` or `-`, starting with a letter or digit. */
export function validateTeacherName(name: string): void {
  if (!TEACHER_NAME.test(name)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid teacher name "${name}": use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      { name },
    );
  }
}

/** Returns the directory of a teacher's files: `<artifacts>/teachers/<dataset id>/<name>`, as for zoo teachers. */
export function teacherArtifactDir(datasetRow: Dataset, name: string): string {
  return join(artifactDir(), 'teachers', datasetRow.id, name);
}

/** Throws CONFLICT unless the in-memory `dataset` has the content fingerprint recorded in `datasetRow`. */
export function checkDatasetMatchesRow(datasetRow: Dataset, dataset: ImageDataset): void {
  const fingerprint = datasetFingerprint(dataset);
  if (fingerprint !== datasetRow.fingerprint) {
    throw new AkdError(
      'CONFLICT',
      `The loaded dataset ${dataset.name} (fingerprint ${fingerprint.slice(0, 12)}) is not the registered dataset ${datasetRow.name} (fingerprint ${datasetRow.fingerprint.slice(0, 12)}).`,
      { datasetId: datasetRow.id },
    );
  }
}

/** Throws CONFLICT when the dataset already has a teacher called `name`. */
export async function checkTeacherNameFree(
  prisma: PrismaClient,
  datasetRow: Dataset,
  name: string,
): Promise<void> {
  const existing = await prisma.teacher.findUnique({
    where: { datasetId_name: { datasetId: datasetRow.id, name } },
    select: { id: true, status: true },
  });
  if (existing) throw nameTakenError(datasetRow, name, existing.status);
}

function nameTakenError(datasetRow: Dataset, name: string, status?: string): AkdError {
  return new AkdError(
    'CONFLICT',
    `Dataset ${datasetRow.name} already has a teacher named ${name}${status ? ` (status ${status})` : ''}. Choose another name or delete that teacher.`,
    { datasetId: datasetRow.id, name },
  );
}

/**
 * Creates the teacher row with status `pending`, which reserves its name: a concurrent create of
 * the same name fails with CONFLICT instead of overwriting this teacher's files.
 */
export async function reserveTeacher(
  prisma: PrismaClient,
  datasetRow: Dataset,
  data: Omit<Prisma.TeacherUncheckedCreateInput, 'datasetId' | 'status'>,
): Promise<Teacher> {
  try {
    return await prisma.teacher.create({ data: { ...data, datasetId: datasetRow.id, status: 'pending' } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      throw nameTakenError(datasetRow, data.name);
    }
    throw error;
  }
}

/**
 * Fills a new directory and moves it to `target` in one rename, so `target` contains either all of
 * its files or none. `fill` writes into the staging directory it is given. A leftover `target`
 * is replaced: callers reserve the teacher name first, so no recorded teacher owns it.
 */
export async function publishDirectory(
  target: string,
  fill: (staging: string) => Promise<void>,
): Promise<void> {
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await fill(staging);
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Returns the SHA-256 (hex) of each of `files`, relative paths under `dir`. */
export async function fileChecksums(dir: string, files: readonly string[]): Promise<Record<string, string>> {
  const checksums: Record<string, string> = {};
  for (const file of files) {
    checksums[file] = createHash('sha256')
      .update(await readFile(join(dir, file)))
      .digest('hex');
  }
  return checksums;
}

/**
 * Undoes a failed create: deletes the reserved row (its cached logits rows cascade) and removes
 * `paths`. Cleanup errors are logged, not thrown, so the caller re-throws the error that caused
 * the failure.
 */
export async function discardTeacher(
  prisma: PrismaClient,
  teacherId: string,
  paths: readonly string[],
): Promise<void> {
  try {
    await prisma.teacher.deleteMany({ where: { id: teacherId } });
  } catch (error) {
    log.error('cannot delete the row of a failed teacher', { teacherId, error: (error as Error).message });
  }
  for (const path of paths) {
    try {
      await rm(path, { recursive: true, force: true });
    } catch (error) {
      log.error('cannot remove a file of a failed teacher', {
        teacherId,
        path,
        error: (error as Error).message,
      });
    }
  }
}
