/**
 * Helpers for the tests of final training and model export: a small IDX dataset cut from the
 * committed Fashion-MNIST subset, a zoo teacher trained on it by `trainTeacherRow` (so it keeps
 * its checkpoints), and an experiment with one completed candidate. Not exported from the package
 * entry point.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDatasetAt, locateDefaultDataset, writeIdxFile, type ImageDataset } from '@akd/data';
import type { Candidate, Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { initBackend } from '@akd/engine';
import { countFlops, countParams, genomeHash, type Genome, type SearchSpace } from '@akd/search-space';
import { registerDataset } from './datasets.js';
import { trainTeacherRow } from './teacher-training.js';

/** Epochs of the teacher that {@link setUpFinalTraining} trains; it keeps one checkpoint per epoch. */
export const TEACHER_EPOCHS = 2;

/** Genome of the candidate that {@link setUpFinalTraining} records. */
export const STUDENT_GENOME: Genome = {
  blocks: [{ op: 'conv', kernelSize: 3, seRatio: 0, skip: 'none', filterMultiplier: 1, layerDelta: 0 }],
};

/** Everything the final-training tests share. */
export interface FinalTrainingSetup {
  db: TestDatabase;
  /** Value of AKD_DATA_DIR while the tests run. */
  dataDir: string;
  dataset: ImageDataset;
  datasetRow: Dataset;
  /** Ready ResNet-like zoo teacher trained for {@link TEACHER_EPOCHS} epochs, with its checkpoints. */
  teacher: Teacher;
  space: SearchSpace;
  /** Distillation experiment of `teacher` over `space`. */
  experiment: Experiment;
  /** Completed candidate of `experiment` with {@link STUDENT_GENOME}. */
  candidate: Candidate;
  cleanup(): Promise<void>;
}

/** Returns a space of one block on 28×28×1 images, whose students have about a thousand parameters. */
export function tinySpace(dataset: ImageDataset): SearchSpace {
  return {
    inputShape: [...dataset.shape],
    numClasses: dataset.numClasses,
    stemFilters: 8,
    stemStride: 2,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
  };
}

/**
 * Creates a test database, points AKD_DATA_DIR at a temporary folder, registers the first
 * `trainCount` training and `testCount` test images of the committed subset as an IDX dataset,
 * trains the teacher and records the experiment and its candidate.
 */
export async function setUpFinalTraining(trainCount = 128, testCount = 64): Promise<FinalTrainingSetup> {
  await initBackend();
  const dataDir = await mkdtemp(join(tmpdir(), 'akd-final-test-'));
  const savedDataDir = process.env.AKD_DATA_DIR;
  process.env.AKD_DATA_DIR = dataDir;
  const db = await createTestDatabase();
  const cleanup = async (): Promise<void> => {
    await db.drop();
    await rm(dataDir, { recursive: true, force: true });
    if (savedDataDir === undefined) delete process.env.AKD_DATA_DIR;
    else process.env.AKD_DATA_DIR = savedDataDir;
  };
  try {
    const { dataset, datasetRow } = await registerSmallDataset(db.prisma, dataDir, trainCount, testCount);
    const teacher = await trainSmallTeacher(db.prisma, datasetRow);
    const space = tinySpace(dataset);
    const experiment = await recordExperiment(db.prisma, datasetRow, teacher, space);
    const candidate = await recordCandidate(db.prisma, experiment, space, STUDENT_GENOME);
    return { db, dataDir, dataset, datasetRow, teacher, space, experiment, candidate, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function registerSmallDataset(
  prisma: PrismaClient,
  dataDir: string,
  trainCount: number,
  testCount: number,
): Promise<{ dataset: ImageDataset; datasetRow: Dataset }> {
  const subset = await loadDatasetAt(locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } }));
  const dir = join(dataDir, 'small-idx');
  await mkdir(dir, { recursive: true });
  const [h, w] = subset.shape;
  const splits = [
    ['train', subset.train, trainCount],
    ['t10k', subset.test, testCount],
  ] as const;
  for (const [prefix, split, count] of splits) {
    await writeIdxFile(
      join(dir, `${prefix}-images-idx3-ubyte`),
      { elementType: 'ubyte', dims: [count, h, w], data: split.images.slice(0, count * h * w) },
      { gzip: false },
    );
    await writeIdxFile(
      join(dir, `${prefix}-labels-idx1-ubyte`),
      { elementType: 'ubyte', dims: [count], data: split.labels.slice(0, count) },
      { gzip: false },
    );
  }
  const location = { format: 'idx' as const, name: `fashion-mnist-${trainCount}`, path: dir, reason: 'test' };
  const dataset = await loadDatasetAt(location);
  return { dataset, datasetRow: await registerDataset(prisma, location, dataset) };
}

async function trainSmallTeacher(prisma: PrismaClient, datasetRow: Dataset): Promise<Teacher> {
  const row = await prisma.teacher.create({
    data: {
      datasetId: datasetRow.id,
      name: 'small-resnet',
      source: 'zoo',
      family: 'resnet',
      config: {},
      trainingSettings: { epochs: TEACHER_EPOCHS, batchSize: 32, learningRate: 0.004, seed: 1 },
    },
  });
  return (await trainTeacherRow(prisma, row.id)).teacher;
}

/** Records a completed experiment over `space`, searched by distillation from `teacher` or by hard labels without one. */
export function recordExperiment(
  prisma: PrismaClient,
  datasetRow: Dataset,
  teacher: Teacher | null,
  space: SearchSpace,
): Promise<Experiment> {
  return prisma.experiment.create({
    data: {
      name: 'final training',
      datasetId: datasetRow.id,
      teacherId: teacher?.id ?? null,
      strategy: 'random',
      strategyOptions: {},
      searchBy: teacher ? 'distillation' : 'hard_label',
      latencyModel: 'measured',
      latencyTargetMs: 2,
      rewardAlpha: -0.07,
      rewardBeta: -0.07,
      searchSpace: space as unknown as object,
      proxySettings: { trainSize: 64, valSize: 32, epochs: 1, batchSize: 32, learningRate: 0.005, seed: 3 },
      kdSettings: { lambda: 0.5, temperature: 2 },
      budget: 4,
      generationSize: 2,
      seed: 1,
      status: 'completed',
    },
  });
}

/** Records a completed candidate of `experiment` with `genome`, its proxy scores made up. */
export function recordCandidate(
  prisma: PrismaClient,
  experiment: Experiment,
  space: SearchSpace,
  genome: Genome,
  reward = 0.5,
): Promise<Candidate> {
  return prisma.candidate.create({
    data: {
      experimentId: experiment.id,
      generation: 0,
      genome: genome as unknown as object,
      genomeHash: genomeHash(space, genome),
      params: BigInt(countParams(space, genome)),
      flops: BigInt(countFlops(space, genome)),
      latencyMs: 1,
      latencyModel: 'measured',
      proxyAccuracy: reward,
      reward,
      status: 'completed',
    },
  });
}
