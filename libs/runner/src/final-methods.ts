/**
 * The training step of each final-training method: hard labels, Hinton KD, CC-KD, TA-KD and RCO,
 * each on the whole training split with the teacher outputs it needs.
 */
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import type { PrismaClient, Teacher } from '@akd/db';
import {
  buildStudent,
  distillAlongRoute,
  distillThroughAssistant,
  loadRouteAnchors,
  SplitBatchSource,
  trainModel,
  type TrainResult,
} from '@akd/engine';
import type { SearchSpace } from '@akd/search-space';
import { evaluateTestSplit, listTeacherCheckpoints, readLogitsFile } from '@akd/teachers';
import type { FinalTrainingSettings } from './final-settings.js';
import { ensureTeacherFeatures } from './teacher-features.js';
import { ensureTeacherLogitsAnySource } from './teacher-logits.js';

/** Inputs of {@link trainStudent}. */
export interface StudentTraining {
  prisma: PrismaClient;
  /** Untrained student, trained in place. */
  student: tfl.LayersModel;
  space: SearchSpace;
  settings: FinalTrainingSettings;
  /** Teacher to distill from; null for hard-label training. */
  teacher: Teacher | null;
  dataset: ImageDataset;
  /** Indices of the training split to train on. */
  indices: Int32Array;
  /** Called after every training step, counted over all hops of the method. */
  onStep?: (step: number, totalSteps: number) => void;
  signal?: AbortSignal;
}

/** Outcome of {@link trainStudent}: the student's training and what the method adds to the metadata. */
export interface StudentTrainingResult {
  train: TrainResult;
  /** CC-KD: width of the teacher's penultimate features. */
  teacherFeatureSize?: number;
  /** TA-KD: the trained assistant's test accuracy and training. */
  assistant?: { testTop1: number; testTop5: number; trainMs: number; epochLosses: number[] };
  /** RCO: teacher epoch of the anchor that each student epoch distilled from. */
  anchorEpochByEpoch?: number[];
}

/** Trains `job.student` in place with the method of `job.settings`. */
export async function trainStudent(job: StudentTraining): Promise<StudentTrainingResult> {
  const { settings } = job;
  switch (settings.method) {
    case 'hard-label':
      return { train: await trainWithLoss(job, { kind: 'hard-label' }) };
    case 'hinton':
      return trainHinton(job);
    case 'cc':
      return trainCorrelationCongruence(job);
    case 'ta':
      return trainThroughAssistant(job);
    case 'rco':
      return trainAlongRoute(job);
  }
}

function batchSource(job: StudentTraining): SplitBatchSource {
  const { dataset, indices, settings } = job;
  return new SplitBatchSource(dataset.train, indices, dataset.shape, settings.batchSize, settings.seed);
}

function trainWithLoss(
  job: StudentTraining,
  loss: Parameters<typeof trainModel>[2]['loss'],
): Promise<TrainResult> {
  const { settings } = job;
  return trainModel(job.student, batchSource(job), {
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    loss,
    onStep: job.onStep,
    signal: job.signal,
  });
}

/** Reads the teacher's cached logits over the training rows, computing them first if needed. */
async function teacherLogits(job: StudentTraining): Promise<Float32Array> {
  const { prisma, dataset, indices } = job;
  const teacher = job.teacher as Teacher;
  const path = await ensureTeacherLogitsAnySource(prisma, teacher, dataset, 'train', indices);
  return readLogitsFile(path, indices.length, dataset.numClasses);
}

async function trainHinton(job: StudentTraining): Promise<StudentTrainingResult> {
  const logits = await teacherLogits(job);
  const kd = job.settings.kd as NonNullable<FinalTrainingSettings['kd']>;
  return {
    train: await trainWithLoss(job, {
      kind: 'hinton',
      teacherLogits: logits,
      numClasses: job.dataset.numClasses,
      ...kd,
    }),
  };
}

async function trainCorrelationCongruence(job: StudentTraining): Promise<StudentTrainingResult> {
  const logits = await teacherLogits(job);
  const { features, featureSize } = await ensureTeacherFeatures(
    job.teacher as Teacher,
    job.dataset,
    job.indices,
  );
  const kd = job.settings.kd as NonNullable<FinalTrainingSettings['kd']>;
  const cc = job.settings.cc as NonNullable<FinalTrainingSettings['cc']>;
  const train = await trainWithLoss(job, {
    kind: 'cc-kd',
    teacherLogits: logits,
    numClasses: job.dataset.numClasses,
    teacherFeatures: features,
    teacherFeatureSize: featureSize,
    ...kd,
    ...cc,
  });
  return { train, teacherFeatureSize: featureSize };
}

async function trainThroughAssistant(job: StudentTraining): Promise<StudentTrainingResult> {
  const { settings, dataset, indices } = job;
  const teacher = job.teacher as Teacher;
  const assistantSettings = settings.assistant as NonNullable<FinalTrainingSettings['assistant']>;
  const kd = settings.kd as NonNullable<FinalTrainingSettings['kd']>;
  const logits = await teacherLogits(job);
  const stepsPerEpoch = Math.ceil(indices.length / settings.batchSize);
  const assistantSteps = stepsPerEpoch * assistantSettings.epochs;
  const totalSteps = assistantSteps + stepsPerEpoch * settings.epochs;

  // Seed + 1 gives the assistant initial weights drawn independently of the student's.
  const assistant = buildStudent(job.space, assistantSettings.genome, settings.seed + 1);
  try {
    const result = await distillThroughAssistant({
      assistant,
      student: job.student,
      teacherLogits: logits,
      numClasses: dataset.numClasses,
      teacherParams: Number(teacher.params),
      data: batchSource(job),
      batchSize: settings.batchSize,
      rows: { split: dataset.train, indices, shape: dataset.shape },
      assistantHop: { epochs: assistantSettings.epochs, learningRate: settings.learningRate, ...kd },
      studentHop: { epochs: settings.epochs, learningRate: settings.learningRate, ...kd },
      onStep: (hop, step) => job.onStep?.(hop === 'assistant' ? step : assistantSteps + step, totalSteps),
      signal: job.signal,
    });
    const test = evaluateTestSplit(assistant, dataset);
    return {
      train: result.student,
      assistant: {
        testTop1: test.top1,
        testTop5: test.top5,
        trainMs: result.assistant.trainMs,
        epochLosses: result.assistant.epochLosses,
      },
    };
  } finally {
    assistant.dispose();
  }
}

async function trainAlongRoute(job: StudentTraining): Promise<StudentTrainingResult> {
  const { settings, dataset, indices } = job;
  const teacher = job.teacher as Teacher;
  const route = settings.route as NonNullable<FinalTrainingSettings['route']>;
  const kd = settings.kd as NonNullable<FinalTrainingSettings['kd']>;

  const checkpoints = await listTeacherCheckpoints(teacher.artifactDir as string);
  const chosen = route.teacherEpochs.map((epoch) =>
    checkpoints.find((checkpoint) => checkpoint.epoch === epoch),
  );
  const missing = route.teacherEpochs.filter((_, i) => !chosen[i]);
  if (missing.length > 0) {
    throw new AkdError(
      'CONFLICT',
      `The checkpoints of teacher ${teacher.name} after epochs ${missing.join(', ')} disappeared while the route was being read. Train the model again.`,
      { teacherId: teacher.id, missing },
    );
  }

  const anchors = await loadRouteAnchors(
    chosen.map((checkpoint) => checkpoint as NonNullable<typeof checkpoint>),
    { split: dataset.train, indices, shape: dataset.shape },
  );
  const result = await distillAlongRoute(job.student, batchSource(job), {
    route: anchors,
    numClasses: dataset.numClasses,
    epochsPerAnchor: route.epochsPerAnchor,
    epochs: settings.epochs,
    batchSize: settings.batchSize,
    learningRate: settings.learningRate,
    ...kd,
    onStep: job.onStep,
    signal: job.signal,
  });

  const { epochLosses, steps, images, trainMs } = result;
  return { train: { epochLosses, steps, images, trainMs }, anchorEpochByEpoch: result.anchorEpochByEpoch };
}
