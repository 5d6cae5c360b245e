import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import { accuracyFromLogits, MODEL_JSON } from '@akd/engine';
import {
  DEFAULT_TEACHER_TRAINING,
  saveTeacherModel,
  trainZooTeacher,
  validateTeacherTraining,
  zooTeacher,
  type TeacherTrainingSettings,
} from '@akd/teachers';
import { datasetLocation } from './datasets.js';
import {
  cacheTeacherLogits,
  computeEnsembleLogits,
  ensembleMembers,
  fullSplitIndices,
  hasLogitsForSplit,
} from './teacher-logits.js';
import { checkDatasetMatchesRow, teacherArtifactDir } from './teacher-records.js';
import { modelChecksums } from './teachers.js';

const log = new Logger('teachers');

/** Options of {@link trainTeacherRow}. */
export interface TrainTeacherRowOptions {
  /** Loads the teacher's dataset; defaults to `loadDatasetAt`. */
  loadDataset?: (location: DatasetLocation) => Promise<ImageDataset>;
  /** Called after every training step of a zoo teacher. */
  onStep?: (step: number, totalSteps: number) => void;
  signal?: AbortSignal;
}

/** Result of {@link trainTeacherRow}. */
export interface TeacherRowOutcome {
  outcome: 'trained' | 'evaluated' | 'already-ready';
  teacher: Teacher;
}

/**
 * Makes the teacher row `teacherId` ready, as the worker's teacher job. A zoo teacher is trained
 * on the whole training split with the recipe in its `trainingSettings` (defaults from
 * `DEFAULT_TEACHER_TRAINING`). An ensemble gets the test accuracy of its averaged test logits.
 * A ready teacher whose files exist is left as it is. Any failure of a zoo or ensemble teacher
 * marks the row `failed` with the error before the error is rethrown.
 *
 * @throws AkdError NOT_FOUND when the row does not exist, INVALID_INPUT for an imported teacher
 *   (imports are ready when created) or invalid settings, CONFLICT when the dataset files changed.
 */
export async function trainTeacherRow(
  prisma: PrismaClient,
  teacherId: string,
  options: TrainTeacherRowOptions = {},
): Promise<TeacherRowOutcome> {
  const row = await prisma.teacher.findUnique({ where: { id: teacherId }, include: { dataset: true } });
  if (!row) throw new AkdError('NOT_FOUND', `Teacher ${teacherId} does not exist.`, { teacherId });
  const { dataset: datasetRow, ...teacher } = row;
  if (await isReady(teacher)) return { outcome: 'already-ready', teacher };

  try {
    switch (teacher.source) {
      case 'zoo':
        return { outcome: 'trained', teacher: await trainZooRow(prisma, teacher, datasetRow, options) };
      case 'ensemble':
        return {
          outcome: 'evaluated',
          teacher: await evaluateEnsembleRow(prisma, teacher, datasetRow, options),
        };
      case 'imported_model':
      case 'imported_logits':
        throw new AkdError(
          'INVALID_INPUT',
          `Teacher ${teacher.name} was imported (source ${teacher.source}), so there is nothing to train; import it again if it failed.`,
          { teacherId },
        );
    }
  } catch (error) {
    // An imported teacher keeps its status: the job was a mistake, not the teacher.
    if (teacher.source === 'zoo' || teacher.source === 'ensemble') await markFailed(prisma, teacherId, error);
    throw error;
  }
}

/** Records the error on the row; when the database is unreachable the row keeps its status. */
async function markFailed(prisma: PrismaClient, teacherId: string, error: unknown): Promise<void> {
  try {
    await prisma.teacher.update({
      where: { id: teacherId },
      data: { status: 'failed', error: (error as Error).message },
    });
  } catch (writeError) {
    log.warn('cannot mark the teacher failed', { teacherId, error: writeError });
  }
}

/** Returns true when the row's status is ready and, for a teacher with a model, its model file exists. */
async function isReady(teacher: Teacher): Promise<boolean> {
  if (teacher.status !== 'ready') return false;
  if (teacher.source === 'ensemble' || teacher.source === 'imported_logits') return true;
  if (!teacher.artifactDir) return false;
  return (await stat(join(teacher.artifactDir, MODEL_JSON)).catch(() => null)) !== null;
}

/** Reads the recipe of a zoo teacher row, filling missing fields from the defaults. */
function trainingSettingsOf(teacher: Teacher): TeacherTrainingSettings {
  const stored = (teacher.trainingSettings ?? {}) as Partial<TeacherTrainingSettings>;
  const settings: TeacherTrainingSettings = {
    epochs: stored.epochs ?? DEFAULT_TEACHER_TRAINING.epochs,
    batchSize: stored.batchSize ?? DEFAULT_TEACHER_TRAINING.batchSize,
    learningRate: stored.learningRate ?? DEFAULT_TEACHER_TRAINING.learningRate,
    seed: stored.seed ?? DEFAULT_TEACHER_TRAINING.seed,
  };
  validateTeacherTraining(settings);
  return settings;
}

async function loadTeacherDataset(
  datasetRow: Dataset,
  options: TrainTeacherRowOptions,
): Promise<ImageDataset> {
  const dataset = await (options.loadDataset ?? loadDatasetAt)(datasetLocation(datasetRow));
  checkDatasetMatchesRow(datasetRow, dataset);
  return dataset;
}

async function trainZooRow(
  prisma: PrismaClient,
  teacher: Teacher,
  datasetRow: Dataset,
  options: TrainTeacherRowOptions,
): Promise<Teacher> {
  const zoo = zooTeacher(teacher.family);
  const settings = trainingSettingsOf(teacher);
  const dataset = await loadTeacherDataset(datasetRow, options);
  await prisma.teacher.update({ where: { id: teacher.id }, data: { status: 'training', error: null } });

  const dir = teacherArtifactDir(datasetRow, teacher.name);
  // Every epoch's weights are kept, so RCO can distill along the teacher's route.
  const trained = await trainZooTeacher(dataset, zoo, settings, options.onStep, options.signal, {
    artifactDir: dir,
    checkpointEpochs: 'every',
  });
  try {
    await saveTeacherModel(trained.model, dir);
    const ready = await prisma.teacher.update({
      where: { id: teacher.id },
      data: {
        status: 'ready',
        error: null,
        testAccuracy: trained.testTop1,
        testTop5: trained.testTop5,
        params: BigInt(trained.model.countParams()),
        artifactDir: dir,
        checksums: await modelChecksums(dir),
        trainingSettings: { ...settings, trainMs: trained.trainMs },
      },
    });
    // Logits cached for an earlier model of this teacher are stale now.
    await prisma.teacherLogits.deleteMany({ where: { teacherId: teacher.id } });
    log.info('trained zoo teacher', {
      teacherId: teacher.id,
      name: teacher.name,
      testTop1: trained.testTop1,
    });
    return ready;
  } finally {
    trained.model.dispose();
  }
}

/**
 * Computes an ensemble's test accuracy from the mean of its members' test logits (cached on the
 * way), as `createEnsembleTeacher` does, and marks it ready. The accuracy stays null when a
 * member has no test logits.
 */
async function evaluateEnsembleRow(
  prisma: PrismaClient,
  teacher: Teacher,
  datasetRow: Dataset,
  options: TrainTeacherRowOptions,
): Promise<Teacher> {
  const members = await ensembleMembers(prisma, teacher);
  const dataset = await loadTeacherDataset(datasetRow, options);
  const testIndices = fullSplitIndices(dataset.test.count);
  const membersHaveTest = await Promise.all(
    members.map((member) => hasLogitsForSplit(prisma, member, 'test', dataset.test.count)),
  );
  let test: { top1: number; top5: number } | null = null;
  if (dataset.test.count > 0 && membersHaveTest.every(Boolean)) {
    const logits = await computeEnsembleLogits(prisma, members, dataset, 'test', testIndices);
    await cacheTeacherLogits(prisma, teacher.id, 'test', testIndices, logits, dataset.numClasses);
    test = accuracyFromLogits(logits, dataset.test.labels);
  }
  const ready = await prisma.teacher.update({
    where: { id: teacher.id },
    data: { status: 'ready', error: null, testAccuracy: test?.top1 ?? null, testTop5: test?.top5 ?? null },
  });
  log.info('evaluated ensemble teacher', {
    teacherId: teacher.id,
    members: members.length,
    testTop1: ready.testAccuracy,
  });
  return ready;
}
