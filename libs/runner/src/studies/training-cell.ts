// Training cells: one student trained from one teacher (or hard labels) with one seed.
import { AkdError } from '@akd/core';
import { loadDatasetAt, type ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import {
  activeBackend,
  buildStudent,
  measureLatencyMs,
  SplitBatchSource,
  trainModel,
  type TrainingLoss,
} from '@akd/engine';
import { proxySplit, type ProxyTaskSpec } from '@akd/proxy-task';
import { evaluateTestSplit, readLogitsFile } from '@akd/teachers';
import { datasetLocation } from '../datasets.js';
import { ensureTeacherLogitsAnySource, fullSplitIndices } from '../teacher-logits.js';
import { checkDatasetMatchesRow } from '../teacher-records.js';
import {
  GROUND_TRUTH_KEY,
  type KdFriendlinessStudyConfig,
  type RankingStudyConfig,
  type StudyCellConfig,
  type StudyCellContext,
  type StudyStudent,
  type TrainCellResult,
} from './types.js';

/** Study configurations whose cells train students. */
export type TrainingStudyConfig = RankingStudyConfig | KdFriendlinessStudyConfig;

/**
 * Trains the cell's student with the cell's seed, by Hinton distillation from the teacher's cached
 * logits or on hard labels for GT, and scores it. Proxy mode scores on mini-val through
 * `ctx.evaluator`. Full mode trains in this process and scores on the test split.
 */
export async function runTrainCell(
  ctx: StudyCellContext,
  datasetRow: Dataset,
  config: TrainingStudyConfig,
  cell: Extract<StudyCellConfig, { kind: 'train' }>,
): Promise<TrainCellResult> {
  const student = config.students.find((candidate) => candidate.key === cell.student);
  if (!student) {
    throw new AkdError(
      'INVALID_INPUT',
      `The cell names student ${cell.student}, which the study does not list.`,
    );
  }
  const teacher = cell.teacher === GROUND_TRUTH_KEY ? null : await loadTeacher(ctx.prisma, cell.teacher);
  let dataset: ImageDataset | null = null;
  const loadDataset = async (): Promise<ImageDataset> => {
    dataset ??= await (ctx.loadDataset ?? loadDatasetAt)(datasetLocation(datasetRow));
    checkDatasetMatchesRow(datasetRow, dataset);
    return dataset;
  };

  if (config.training.mode === 'proxy') {
    const { proxy, kd } = config.training;
    let teacherLogitsPath: string | null = null;
    if (teacher) {
      const loaded = await loadDataset();
      teacherLogitsPath = await ensureTeacherLogitsAnySource(
        ctx.prisma,
        teacher,
        loaded,
        'train',
        proxySplit(loaded, proxy).train,
      );
    }
    const spec: ProxyTaskSpec = {
      dataset: datasetLocation(datasetRow),
      datasetFingerprint: datasetRow.fingerprint,
      space: student.space,
      proxy,
      searchBy: teacher ? 'distillation' : 'hard-label',
      kd,
      teacherLogitsPath,
    };
    const result = await ctx.evaluator.evaluate(spec, student.genome, cell.seed);
    return {
      kind: 'train',
      accuracy: result.accuracy,
      top5: result.top5,
      evaluatedOn: 'mini-val',
      latencyMs: result.latencyMs,
      params: result.params,
      flops: result.flops,
      trainMs: result.trainMs,
      backend: result.backend,
      epochLosses: result.epochLosses,
    };
  }
  return trainFully(ctx, await loadDataset(), config.training, student, teacher, cell.seed);
}

async function loadTeacher(prisma: PrismaClient, id: string): Promise<Teacher> {
  const teacher = await prisma.teacher.findUnique({ where: { id } });
  if (!teacher)
    throw new AkdError('NOT_FOUND', `Teacher ${id} of this study no longer exists.`, { teacherId: id });
  if (teacher.status !== 'ready') {
    throw new AkdError('INVALID_INPUT', `Teacher ${teacher.name} is ${teacher.status}, not ready.`, {
      teacherId: id,
    });
  }
  return teacher;
}

/**
 * Trains `student` on the whole training split and scores it on the test split, in this process.
 *
 * NOTE: full-mode cells train in the calling process (the worker's main process for queued
 * cells). Training yields to the event loop every few steps, so heartbeats go on, but one worker
 * runs `AKD_STUDY_CELL_CONCURRENCY` such trainings at a time next to its candidate pool.
 */
async function trainFully(
  ctx: StudyCellContext,
  dataset: ImageDataset,
  training: Extract<TrainingStudyConfig['training'], { mode: 'full' }>,
  student: StudyStudent,
  teacher: Teacher | null,
  seed: number,
): Promise<TrainCellResult> {
  const indices = fullSplitIndices(dataset.train.count);
  let loss: TrainingLoss = { kind: 'hard-label' };
  if (teacher) {
    const path = await ensureTeacherLogitsAnySource(ctx.prisma, teacher, dataset, 'train', indices);
    const teacherLogits = await readLogitsFile(path, indices.length, dataset.numClasses);
    loss = { kind: 'hinton', teacherLogits, numClasses: dataset.numClasses, ...training.kd };
  }
  const model = buildStudent(student.space, student.genome, seed);
  try {
    const source = new SplitBatchSource(dataset.train, indices, dataset.shape, training.batchSize, seed);
    const trained = await trainModel(model, source, {
      epochs: training.epochs,
      batchSize: training.batchSize,
      learningRate: training.learningRate,
      loss,
      signal: ctx.signal,
    });
    const test = evaluateTestSplit(model, dataset);
    return {
      kind: 'train',
      accuracy: test.top1,
      top5: test.top5,
      evaluatedOn: 'test',
      latencyMs: measureLatencyMs(model, dataset.shape),
      params: student.params,
      flops: student.flops,
      trainMs: trained.trainMs,
      backend: activeBackend()?.name ?? 'unknown',
      epochLosses: trained.epochLosses,
    };
  } finally {
    model.dispose();
  }
}
