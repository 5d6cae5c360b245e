import { createHash } from 'node:crypto';
import { cp, mkdir, readFile, rm, writeFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError, Logger } from '@akd/core';
import { datasetFingerprint, type ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import { loadModel } from '@akd/engine';
import {
  DEFAULT_TEACHER_TRAINING,
  evaluateTestSplit,
  saveTeacherModel,
  trainZooTeacher,
  zooTeacher,
  type TeacherTrainingSettings,
} from '@akd/teachers';
import { artifactDir, SHIPPED_TEACHERS_DIR } from './paths.js';

const log = new Logger('teachers');

/** Metadata written next to shipped teacher weights by `akd teachers train --ship`. */
export interface ShippedTeacherManifest {
  name: string;
  family: string;
  dataset: string;
  datasetFingerprint: string;
  settings: TeacherTrainingSettings;
  testTop1: number;
  testTop5: number;
  params: number;
  trainMs: number;
  /** SHA-256 (hex) of each model file. */
  checksums: Record<string, string>;
  command: string;
  backend: string;
  createdAt: string;
}

/** Progress of {@link ensureZooTeachers}. */
export type TeacherProgress =
  | { type: 'reused' | 'imported'; name: string; testTop1: number }
  | { type: 'training'; name: string; step: number; totalSteps: number }
  | { type: 'trained'; name: string; testTop1: number; trainMs: number };

/** Options of {@link ensureZooTeachers}. */
export interface EnsureTeachersOptions {
  names: readonly string[];
  /** Train even when a trained or shipped teacher exists. */
  retrain?: boolean;
  settings?: TeacherTrainingSettings;
  /** Directory of shipped teachers; defaults to the repository's `data/teachers`. */
  shippedDir?: string;
  onProgress?: (event: TeacherProgress) => void;
  signal?: AbortSignal;
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}

/** Returns the SHA-256 of `model.json` and `weights.bin` in `dir`. */
export async function modelChecksums(dir: string): Promise<Record<string, string>> {
  return {
    'model.json': await sha256File(join(dir, 'model.json')),
    'weights.bin': await sha256File(join(dir, 'weights.bin')),
  };
}

function teacherModelDir(datasetRow: Dataset, name: string): string {
  return join(artifactDir(), 'teachers', datasetRow.id, name);
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/**
 * Reads the shipped teacher `name` for `dataset` when it exists, its fingerprint matches and its
 * files match their checksums. Returns null otherwise, with a warning when files are corrupt.
 */
async function findShippedTeacher(
  shippedDir: string,
  dataset: ImageDataset,
  name: string,
): Promise<{ dir: string; manifest: ShippedTeacherManifest } | null> {
  const dir = join(shippedDir, dataset.name, name);
  const manifestPath = join(dir, 'teacher.json');
  if (!(await exists(manifestPath))) return null;
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as ShippedTeacherManifest;
  if (manifest.datasetFingerprint !== datasetFingerprint(dataset)) {
    log.warn('shipped teacher was trained on other data; ignoring it', { name, dir });
    return null;
  }
  const actual = await modelChecksums(dir);
  for (const [file, sum] of Object.entries(manifest.checksums)) {
    if (actual[file] !== sum) {
      log.warn('shipped teacher file does not match its checksum; ignoring it', { name, file });
      return null;
    }
  }
  return { dir, manifest };
}

/**
 * Makes every zoo teacher in `options.names` ready for `datasetRow`: reuses a ready one, imports
 * shipped weights whose checksums and dataset fingerprint match (re-evaluating them on the test
 * split), or trains it. Model files are written atomically and the row turns `ready` only after
 * they are complete, so an interrupted run leaves nothing that a later run would trust.
 */
export async function ensureZooTeachers(
  prisma: PrismaClient,
  datasetRow: Dataset,
  dataset: ImageDataset,
  options: EnsureTeachersOptions,
): Promise<Teacher[]> {
  const settings = options.settings ?? DEFAULT_TEACHER_TRAINING;
  const shippedDir = options.shippedDir ?? SHIPPED_TEACHERS_DIR;
  const ready: Teacher[] = [];
  for (const name of options.names) {
    const zoo = zooTeacher(name);
    const existing = await prisma.teacher.findUnique({
      where: { datasetId_name: { datasetId: datasetRow.id, name: zoo.name } },
    });
    if (
      !options.retrain &&
      existing?.status === 'ready' &&
      existing.artifactDir &&
      (await exists(join(existing.artifactDir, 'model.json')))
    ) {
      options.onProgress?.({ type: 'reused', name: zoo.name, testTop1: existing.testAccuracy ?? 0 });
      ready.push(existing);
      continue;
    }

    const target = teacherModelDir(datasetRow, zoo.name);
    const shipped = options.retrain ? null : await findShippedTeacher(shippedDir, dataset, zoo.name);
    let model: tfl.LayersModel;
    let trainingSettings: TeacherTrainingSettings;
    let trainMs: number;
    let source: 'imported' | 'trained';
    if (shipped) {
      model = await loadModel(shipped.dir);
      trainingSettings = shipped.manifest.settings;
      trainMs = shipped.manifest.trainMs;
      source = 'imported';
    } else {
      await prisma.teacher.upsert({
        where: { datasetId_name: { datasetId: datasetRow.id, name: zoo.name } },
        update: { status: 'training', error: null },
        create: {
          datasetId: datasetRow.id,
          name: zoo.name,
          source: 'zoo',
          family: zoo.family,
          config: { description: zoo.description },
          trainingSettings: { ...settings },
          status: 'training',
        },
      });
      try {
        const trained = await trainZooTeacher(
          dataset,
          zoo,
          settings,
          (step, totalSteps) => options.onProgress?.({ type: 'training', name: zoo.name, step, totalSteps }),
          options.signal,
          // Every epoch's weights are kept, so RCO can distill along the teacher's route.
          { artifactDir: target, checkpointEpochs: 'every' },
        );
        model = trained.model;
        trainingSettings = settings;
        trainMs = trained.trainMs;
        source = 'trained';
      } catch (error) {
        await prisma.teacher.update({
          where: { datasetId_name: { datasetId: datasetRow.id, name: zoo.name } },
          data: { status: 'failed', error: (error as Error).message },
        });
        throw error;
      }
    }

    try {
      const test = evaluateTestSplit(model, dataset);
      await saveTeacherModel(model, target);
      const row = await prisma.teacher.upsert({
        where: { datasetId_name: { datasetId: datasetRow.id, name: zoo.name } },
        update: {
          status: 'ready',
          error: null,
          testAccuracy: test.top1,
          testTop5: test.top5,
          params: BigInt(model.countParams()),
          artifactDir: target,
          checksums: await modelChecksums(target),
          trainingSettings: { ...trainingSettings, trainMs },
        },
        create: {
          datasetId: datasetRow.id,
          name: zoo.name,
          source: 'zoo',
          family: zoo.family,
          config: { description: zoo.description },
          trainingSettings: { ...trainingSettings, trainMs },
          status: 'ready',
          testAccuracy: test.top1,
          testTop5: test.top5,
          params: BigInt(model.countParams()),
          artifactDir: target,
          checksums: await modelChecksums(target),
        },
      });
      // Logits cached for an earlier model of this teacher are stale now.
      await prisma.teacherLogits.deleteMany({ where: { teacherId: row.id } });
      options.onProgress?.(
        source === 'imported'
          ? { type: 'imported', name: zoo.name, testTop1: test.top1 }
          : { type: 'trained', name: zoo.name, testTop1: test.top1, trainMs },
      );
      ready.push(row);
    } finally {
      model.dispose();
    }
  }
  return ready;
}

/**
 * Copies a ready teacher's model into `shippedDir/<dataset>/<name>/` with a `teacher.json`
 * manifest (settings, accuracy, checksums), so later runs import it instead of training.
 */
export async function shipTeacher(
  teacher: Teacher,
  dataset: ImageDataset,
  shippedDir: string,
  details: { command: string; backend: string },
): Promise<string> {
  if (!teacher.artifactDir || teacher.status !== 'ready') {
    throw new AkdError('INVALID_INPUT', `Teacher ${teacher.name} is not ready, so it cannot be shipped.`);
  }
  const dir = join(shippedDir, dataset.name, teacher.name);
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await cp(join(teacher.artifactDir, 'model.json'), join(staging, 'model.json'));
  await cp(join(teacher.artifactDir, 'weights.bin'), join(staging, 'weights.bin'));
  const settings = teacher.trainingSettings as unknown as TeacherTrainingSettings & { trainMs: number };
  const manifest: ShippedTeacherManifest = {
    name: teacher.name,
    family: teacher.family,
    dataset: dataset.name,
    datasetFingerprint: datasetFingerprint(dataset),
    settings: {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      seed: settings.seed,
    },
    testTop1: teacher.testAccuracy ?? 0,
    testTop5: teacher.testTop5 ?? 0,
    params: Number(teacher.params ?? 0),
    trainMs: settings.trainMs,
    checksums: await modelChecksums(staging),
    command: details.command,
    backend: details.backend,
    createdAt: new Date().toISOString(),
  };
  await writeFile(join(staging, 'teacher.json'), JSON.stringify(manifest, null, 2) + '\n');
  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, '..'), { recursive: true });
  await rename(staging, dir);
  return dir;
}
