import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import {
  fromEnumKey,
  toEnumKey,
  type Candidate,
  type Prisma,
  type PrismaClient,
  type Teacher,
  type TrainedModel,
} from '@akd/db';
import { activeBackend, buildStudent, measureLatencyMs, saveModel } from '@akd/engine';
import { countFlops, countParams, type Genome } from '@akd/search-space';
import { evaluateTestSplit } from '@akd/teachers';
import { datasetLocation } from './datasets.js';
import { decodeExperiment, type ExperimentWithRelations } from './experiment-spec.js';
import { trainStudent } from './final-methods.js';
import {
  finalTrainingInputFromRecord,
  resolveFinalTrainingSettings,
  type FinalTrainingInput,
  type FinalTrainingMethod,
  type FinalTrainingSettings,
} from './final-settings.js';
import {
  describeModelTensors,
  GENOME_JSON,
  LATENCY_MEASUREMENT,
  METADATA_JSON,
  type TrainedModelGenome,
  type TrainedModelMetadata,
} from './model-export.js';
import { artifactDir } from './paths.js';
import { fullSplitIndices } from './teacher-logits.js';
import { checkDatasetMatchesRow, publishDirectory } from './teacher-records.js';

const log = new Logger('finalModel');

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
 * Trains the TrainedModel row `trainedModelId` as the worker's final-model job. The recipe
 * recorded in its `settings` is resolved again by `resolveFinalTrainingSettings`. The candidate's
 * genome is then trained from scratch on the whole training split with the row's method (hard
 * labels, Hinton KD, CC-KD, TA-KD or RCO, see `trainStudent`) and scored on the test split. The
 * model is saved in `<artifacts>/models/<id>/` with `genome.json` (space, genome, hash) and
 * `metadata.json` (dataset, input and output tensors, teacher, experiment, settings, accuracies,
 * latency, backend), and the row is completed with the resolved recipe. A completed row is left
 * as it is and a cancelled one is skipped. Any failure after the row is read marks it `failed`
 * with the error before the error is rethrown.
 *
 * @throws AkdError NOT_FOUND when the row or its candidate does not exist, INVALID_INPUT for a
 *   missing or unready teacher or invalid settings (see `resolveFinalTrainingSettings`).
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

/** Options of {@link recordFinalModel}. */
export interface RecordFinalModelOptions {
  candidateId: string;
  method: FinalTrainingMethod;
  epochs: number;
  /** Overrides of the method's defaults. */
  input?: FinalTrainingInput;
}

/**
 * Resolves the recipe of a final training of candidate `candidateId` and records it as a
 * pending TrainedModel row, which {@link trainFinalModel} then trains. The recipe is validated
 * before the row is created, so invalid input records nothing.
 *
 * @throws AkdError NOT_FOUND for an unknown candidate, INVALID_INPUT for a candidate that has not
 *   completed or for invalid settings (see `resolveFinalTrainingSettings`).
 */
export async function recordFinalModel(
  prisma: PrismaClient,
  options: RecordFinalModelOptions,
): Promise<TrainedModel> {
  const candidate = await prisma.candidate.findUnique({
    where: { id: options.candidateId },
    include: { experiment: { include: { dataset: true, teacher: true } } },
  });
  if (!candidate) {
    throw new AkdError('NOT_FOUND', `Candidate ${options.candidateId} does not exist.`, {
      candidateId: options.candidateId,
    });
  }
  if (candidate.status !== 'completed') {
    throw new AkdError(
      'INVALID_INPUT',
      `Candidate ${candidate.id} is ${candidate.status}, not completed: train only candidates the search has scored.`,
      { candidateId: candidate.id, status: candidate.status },
    );
  }
  const { experiment } = candidate;
  const teacher = options.method === 'hard-label' ? null : experiment.teacher;
  const decoded = decodeExperiment(experiment);
  const settings = await resolveFinalTrainingSettings({
    method: options.method,
    epochs: options.epochs,
    input: options.input ?? {},
    space: decoded.space,
    experimentKd: decoded.kd,
    experimentSeed: decoded.proxy.seed,
    studentGenome: candidate.genome as unknown as Genome,
    teacher,
  });
  return prisma.trainedModel.create({
    data: {
      candidateId: candidate.id,
      experimentId: experiment.id,
      teacherId: teacher?.id ?? null,
      method: toEnumKey(options.method),
      epochs: settings.epochs,
      settings: settings as unknown as Prisma.InputJsonObject,
      params: candidate.params,
      flops: candidate.flops,
      status: 'pending',
    },
  });
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
  const method = fromEnumKey(row.method);
  const teacher = method === 'hard-label' ? null : (row.teacher ?? experiment.teacher);
  const decoded = decodeExperiment(experiment);
  const settings = await resolveFinalTrainingSettings({
    method,
    epochs: row.epochs,
    input: finalTrainingInputFromRecord(row.settings),
    space: decoded.space,
    experimentKd: decoded.kd,
    experimentSeed: decoded.proxy.seed,
    studentGenome: candidate.genome as unknown as Genome,
    teacher,
  });
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

  const model = buildStudent(space, genome, settings.seed);
  try {
    const trained = await trainStudent({
      prisma,
      student: model,
      space,
      settings,
      teacher,
      dataset,
      indices: fullSplitIndices(dataset.train.count),
      onStep: options.onStep,
      signal: options.signal,
    });
    const test = evaluateTestSplit(model, dataset);
    const latencyMs = measureLatencyMs(model, dataset.shape);
    const params = countParams(space, genome);
    const flops = countFlops(space, genome);
    const metadata: TrainedModelMetadata = {
      id: row.id,
      createdAt: new Date().toISOString(),
      method: settings.method,
      epochs: settings.epochs,
      dataset: {
        id: experiment.dataset.id,
        name: experiment.dataset.name,
        fingerprint: experiment.dataset.fingerprint,
        trainCount: dataset.train.count,
        testCount: dataset.test.count,
      },
      // Class names of the registered row, which the API returns. The loaded dataset can name them
      // differently, because datasetLocation picks the reader from the dataset's name.
      ...describeModelTensors(dataset.shape, experiment.dataset.classNames as string[]),
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
      backend: activeBackend()?.name ?? 'unknown',
      latencyMeasurement: LATENCY_MEASUREMENT,
      params,
      flops,
      trainMs: trained.train.trainMs,
      epochLosses: trained.train.epochLosses,
      ...(trained.teacherFeatureSize !== undefined && { teacherFeatureSize: trained.teacherFeatureSize }),
      ...(trained.assistant && { assistant: trained.assistant }),
      ...(trained.anchorEpochByEpoch && { anchorEpochByEpoch: trained.anchorEpochByEpoch }),
    };

    const dir = join(artifactDir(), 'models', row.id);
    await publishDirectory(dir, async (staging) => {
      await saveModel(model, staging);
      const genomeFile: TrainedModelGenome = { space, genome, genomeHash: candidate.genomeHash };
      await writeFile(join(staging, GENOME_JSON), JSON.stringify(genomeFile, null, 2) + '\n');
      await writeFile(join(staging, METADATA_JSON), JSON.stringify(metadata, null, 2) + '\n');
    });
    return await prisma.trainedModel.update({
      where: { id: row.id },
      data: {
        status: 'completed',
        error: null,
        settings: settings as unknown as Prisma.InputJsonObject,
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
