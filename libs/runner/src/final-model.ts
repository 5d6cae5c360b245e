import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import { fromEnumKey, type Candidate, type PrismaClient, type Teacher, type TrainedModel } from '@akd/db';
import {
  activeBackend,
  buildStudent,
  measureLatencyMs,
  saveModel,
  SplitBatchSource,
  trainModel,
  validateHintonSettings,
  type HintonSettings,
  type TrainingLoss,
} from '@akd/engine';
import { countFlops, countParams, type Genome } from '@akd/search-space';
import { evaluateTestSplit, readLogitsFile } from '@akd/teachers';
import { datasetLocation } from './datasets.js';
import { decodeExperiment, type ExperimentWithRelations } from './experiment-spec.js';
import { artifactDir } from './paths.js';
import { ensureTeacherLogitsAnySource, fullSplitIndices } from './teacher-logits.js';
import { checkDatasetMatchesRow, publishDirectory } from './teacher-records.js';

const log = new Logger('finalModel');

/** Batch size and learning rate of a final training unless the row's `settings` give others. */
export const DEFAULT_FINAL_TRAINING = { batchSize: 64, learningRate: 0.004 } as const;

/** Distillation methods {@link trainFinalModel} can train with. */
export type FinalTrainingMethod = 'hinton' | 'hard-label';

/** Recipe of one final training, as recorded in `metadata.json`. */
export interface FinalTrainingSettings {
  method: FinalTrainingMethod;
  epochs: number;
  batchSize: number;
  /** Peak Adam learning rate, decayed by a cosine schedule. */
  learningRate: number;
  /** Seed of the initial weights and the batch order; defaults to the experiment's proxy seed. */
  seed: number;
  /** Hinton settings; null for hard-label training. */
  kd: HintonSettings | null;
}

/** Options of {@link trainFinalModel}. */
export interface TrainFinalModelOptions {
  /** Loads the dataset; defaults to `loadDatasetAt`. */
  loadDataset?: (location: DatasetLocation) => Promise<ImageDataset>;
  /** Called after every training step. */
  onStep?: (step: number, totalSteps: number) => void;
  signal?: AbortSignal;
}

/** Result of {@link trainFinalModel}. */
export interface FinalModelOutcome {
  outcome: 'trained' | 'already-completed' | 'cancelled';
  trainedModel: TrainedModel;
}

type TrainedModelRow = TrainedModel & {
  teacher: Teacher | null;
  candidate: (Candidate & { experiment: ExperimentWithRelations }) | null;
};

/**
 * Trains the TrainedModel row `trainedModelId` as the worker's final-model job. Its candidate's
 * genome is trained from scratch on the whole training split, with Hinton distillation from the
 * teacher's logits on that split or with hard labels, then scored on the test split. The model is
 * saved in `<artifacts>/models/<id>/` with `genome.json` (space, genome, hash) and
 * `metadata.json` (dataset, teacher, experiment, settings, accuracies, latency, backend), and
 * the row is completed. A completed row is left as it is and a cancelled one is skipped. Any
 * failure after the row is read marks it `failed` with the error before the error is rethrown.
 *
 * @throws AkdError NOT_FOUND when the row or its candidate does not exist, INVALID_INPUT for a
 *   method other than hinton and hard-label, a missing or unready teacher, or invalid settings.
 */
export async function trainFinalModel(
  prisma: PrismaClient,
  trainedModelId: string,
  options: TrainFinalModelOptions = {},
): Promise<FinalModelOutcome> {
  const row = (await prisma.trainedModel.findUnique({
    where: { id: trainedModelId },
    include: {
      teacher: true,
      candidate: { include: { experiment: { include: { dataset: true, teacher: true } } } },
    },
  })) as TrainedModelRow | null;
  if (!row)
    throw new AkdError('NOT_FOUND', `Trained model ${trainedModelId} does not exist.`, { trainedModelId });
  if (row.status === 'completed') return { outcome: 'already-completed', trainedModel: row };
  if (row.status === 'cancelled') return { outcome: 'cancelled', trainedModel: row };

  try {
    const trained = await trainRow(prisma, row, options);
    log.info('trained final model', {
      trainedModelId: row.id,
      testTop1: trained.testTop1,
      epochs: trained.epochs,
    });
    return { outcome: 'trained', trainedModel: trained };
  } catch (error) {
    await markFailed(prisma, row.id, error);
    throw error;
  }
}

async function trainRow(
  prisma: PrismaClient,
  row: TrainedModelRow,
  options: TrainFinalModelOptions,
): Promise<TrainedModel> {
  const { candidate } = row;
  if (!candidate) {
    throw new AkdError(
      'NOT_FOUND',
      `Trained model ${row.id} has no candidate (it was deleted), so there is no genome to train.`,
      { trainedModelId: row.id },
    );
  }
  const experiment = candidate.experiment;
  const settings = finalTrainingSettings(row, experiment);
  const teacher = settings.method === 'hinton' ? (row.teacher ?? experiment.teacher) : null;
  if (settings.method === 'hinton' && !teacher) {
    throw new AkdError('INVALID_INPUT', `Trained model ${row.id} distills with hinton but has no teacher.`, {
      trainedModelId: row.id,
    });
  }
  await prisma.trainedModel.update({ where: { id: row.id }, data: { status: 'running', error: null } });
  return trainAndSave(prisma, row, candidate, experiment, teacher, settings, options);
}

/** Records the error on the row; when the database is unreachable the row keeps its status. */
async function markFailed(prisma: PrismaClient, trainedModelId: string, error: unknown): Promise<void> {
  try {
    await prisma.trainedModel.update({
      where: { id: trainedModelId },
      data: { status: 'failed', error: (error as Error).message },
    });
  } catch (writeError) {
    log.warn('cannot mark the trained model failed', { trainedModelId, error: writeError });
  }
}

/** Reads the recipe from the row's `settings`, falling back to the defaults and the experiment. */
function finalTrainingSettings(
  row: TrainedModel,
  experiment: ExperimentWithRelations,
): FinalTrainingSettings {
  const method = fromEnumKey(row.method);
  if (method !== 'hinton' && method !== 'hard-label') {
    // TODO: train cc, ta and rco final models once their losses are wired into this job.
    throw new AkdError(
      'INVALID_INPUT',
      `Final training with method ${method} is not implemented yet; use hinton or hard-label.`,
      { trainedModelId: row.id, method },
    );
  }
  const stored = (row.settings ?? {}) as Partial<Omit<FinalTrainingSettings, 'method'>>;
  const decoded = decodeExperiment(experiment);
  const settings: FinalTrainingSettings = {
    method,
    epochs: row.epochs,
    batchSize: stored.batchSize ?? DEFAULT_FINAL_TRAINING.batchSize,
    learningRate: stored.learningRate ?? DEFAULT_FINAL_TRAINING.learningRate,
    seed: stored.seed ?? decoded.proxy.seed,
    kd: method === 'hinton' ? { ...decoded.kd, ...stored.kd } : null,
  };
  if (settings.kd) validateHintonSettings(settings.kd);
  return settings;
}

async function trainAndSave(
  prisma: PrismaClient,
  row: TrainedModel,
  candidate: Candidate,
  experiment: ExperimentWithRelations,
  teacher: Teacher | null,
  settings: FinalTrainingSettings,
  options: TrainFinalModelOptions,
): Promise<TrainedModel> {
  const { space } = decodeExperiment(experiment);
  const genome = candidate.genome as unknown as Genome;
  const dataset = await (options.loadDataset ?? loadDatasetAt)(datasetLocation(experiment.dataset));
  checkDatasetMatchesRow(experiment.dataset, dataset);

  const indices = fullSplitIndices(dataset.train.count);
  let loss: TrainingLoss = { kind: 'hard-label' };
  if (teacher && settings.kd) {
    const path = await ensureTeacherLogitsAnySource(prisma, teacher, dataset, 'train', indices);
    const teacherLogits = await readLogitsFile(path, indices.length, dataset.numClasses);
    loss = { kind: 'hinton', teacherLogits, numClasses: dataset.numClasses, ...settings.kd };
  }

  const model = buildStudent(space, genome, settings.seed);
  try {
    const source = new SplitBatchSource(
      dataset.train,
      indices,
      dataset.shape,
      settings.batchSize,
      settings.seed,
    );
    const trained = await trainModel(model, source, {
      epochs: settings.epochs,
      batchSize: settings.batchSize,
      learningRate: settings.learningRate,
      loss,
      onStep: options.onStep,
      signal: options.signal,
    });
    const test = evaluateTestSplit(model, dataset);
    const latencyMs = measureLatencyMs(model, dataset.shape);
    const params = countParams(space, genome);
    const flops = countFlops(space, genome);
    const metadata = {
      trainedModelId: row.id,
      createdAt: new Date().toISOString(),
      dataset: {
        id: experiment.dataset.id,
        name: experiment.dataset.name,
        fingerprint: experiment.dataset.fingerprint,
        trainCount: dataset.train.count,
        testCount: dataset.test.count,
      },
      teacher: teacher
        ? {
            id: teacher.id,
            name: teacher.name,
            source: fromEnumKey(teacher.source),
            testAccuracy: teacher.testAccuracy,
          }
        : null,
      experiment: { id: experiment.id, name: experiment.name, searchBy: fromEnumKey(experiment.searchBy) },
      candidate: {
        id: candidate.id,
        genomeHash: candidate.genomeHash,
        proxyAccuracy: candidate.proxyAccuracy,
      },
      distillation: settings,
      testTop1: test.top1,
      testTop5: test.top5,
      latencyMs,
      params,
      flops,
      backend: activeBackend()?.name ?? 'unknown',
      trainMs: trained.trainMs,
      epochLosses: trained.epochLosses,
    };

    const dir = join(artifactDir(), 'models', row.id);
    await publishDirectory(dir, async (staging) => {
      await saveModel(model, staging);
      await writeFile(
        join(staging, 'genome.json'),
        JSON.stringify({ space, genome, genomeHash: candidate.genomeHash }, null, 2) + '\n',
      );
      await writeFile(join(staging, 'metadata.json'), JSON.stringify(metadata, null, 2) + '\n');
    });
    return await prisma.trainedModel.update({
      where: { id: row.id },
      data: {
        status: 'completed',
        error: null,
        testTop1: test.top1,
        testTop5: test.top5,
        latencyMs,
        params: BigInt(params),
        flops: BigInt(flops),
        artifactDir: dir,
      },
    });
  } finally {
    model.dispose();
  }
}
