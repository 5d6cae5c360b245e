import { hostname } from 'node:os';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type ImageDataset } from '@akd/data';
import { toEnumKey, type Experiment, type PrismaClient } from '@akd/db';
import { formatShape, validateHintonSettings, type HintonSettings } from '@akd/engine';
import { validateProxySettings, type ProxySettings, type ProxyTaskPool } from '@akd/proxy-task';
import {
  rewardPresets,
  runSearch,
  validateRewardConfig,
  type EvaluationResult,
  type SearchProgressEvent,
  type SearchSummary,
  type StrategyKind,
  type StrategySpec,
} from '@akd/search';
import { defaultSearchSpace, validateSearchSpace, type SearchSpace } from '@akd/search-space';
import { datasetLocation } from './datasets.js';
import { buildProxyTaskSpec, decodeExperiment, experimentRewardConfig } from './experiment-spec.js';
import { checkExperimentLatency, type ExperimentLatencyChoice } from './latency-profiles.js';
import { PrismaSearchStore } from './prisma-search-store.js';

const STRATEGIES: readonly StrategyKind[] = ['policy-gradient', 'evolution', 'random'];

/** Largest candidate budget an experiment may ask for. */
export const MAX_BUDGET = 5000;

/**
 * Settings a user chooses when creating an experiment. `latencyModel`, `latencyProfileId` and
 * `latencyBackend` choose how candidate latency is obtained (see {@link ExperimentLatencyChoice}).
 */
export interface ExperimentSettings extends ExperimentLatencyChoice {
  name: string;
  datasetId: string;
  /** Teacher to distill from; null for a conventional search on hard labels. */
  teacherId: string | null;
  searchBy: 'distillation' | 'hard-label';
  strategy: StrategySpec;
  latencyTargetMs: number;
  /** Reward exponents; `rewardPresets.soft` by default. */
  reward?: { alpha: number; beta: number };
  proxy: ProxySettings;
  kd: HintonSettings;
  /** Number of distinct candidates to evaluate. */
  budget: number;
  generationSize: number;
  seed: number;
  space?: SearchSpace;
}

/**
 * Validates `settings` and records a queued experiment. Every rule is checked before anything is
 * written, and each error names the field and value. The latency rules are those of
 * {@link checkExperimentLatency}.
 */
export async function createExperiment(
  prisma: PrismaClient,
  settings: ExperimentSettings,
): Promise<Experiment> {
  const dataset = await prisma.dataset.findUnique({ where: { id: settings.datasetId } });
  if (!dataset) throw new AkdError('NOT_FOUND', `Dataset ${settings.datasetId} does not exist.`);
  if (!STRATEGIES.includes(settings.strategy.kind)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown strategy "${settings.strategy.kind}". Use one of: ${STRATEGIES.join(', ')}.`,
    );
  }
  if (settings.searchBy !== 'distillation' && settings.searchBy !== 'hard-label') {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown searchBy "${String(settings.searchBy)}": use distillation or hard-label.`,
    );
  }
  if (!Number.isInteger(settings.budget) || settings.budget < 1 || settings.budget > MAX_BUDGET) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid budget ${settings.budget}: use a whole number of candidates from 1 to ${MAX_BUDGET}.`,
    );
  }
  if (!Number.isInteger(settings.generationSize) || settings.generationSize < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid generation size ${settings.generationSize}: use at least 1.`,
    );
  }
  if (!Number.isInteger(settings.seed)) {
    throw new AkdError('INVALID_INPUT', `Invalid seed ${settings.seed}: use a whole number.`);
  }
  const reward = settings.reward ?? rewardPresets.soft;
  validateRewardConfig({ targetMs: settings.latencyTargetMs, ...reward });
  validateProxySettings(settings.proxy, dataset.trainCount);
  validateHintonSettings(settings.kd);
  if (settings.searchBy === 'distillation') {
    if (!settings.teacherId) {
      throw new AkdError(
        'INVALID_INPUT',
        'Searching by distillation needs a teacher: set teacherId or search by hard-label.',
      );
    }
    const teacher = await prisma.teacher.findUnique({ where: { id: settings.teacherId } });
    if (!teacher) throw new AkdError('NOT_FOUND', `Teacher ${settings.teacherId} does not exist.`);
    if (teacher.datasetId !== dataset.id) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} was trained on another dataset than ${dataset.name}; pick a teacher of this dataset.`,
      );
    }
    if (teacher.status !== 'ready') {
      throw new AkdError('INVALID_INPUT', `Teacher ${teacher.name} is not ready (status ${teacher.status}).`);
    }
  }
  const space =
    settings.space ??
    defaultSearchSpace([dataset.inputHeight, dataset.inputWidth, dataset.inputChannels], dataset.numClasses);
  validateSearchSpace(space);
  if (space.numClasses !== dataset.numClasses) {
    throw new AkdError(
      'INVALID_INPUT',
      `The search space has ${space.numClasses} classes but dataset ${dataset.name} has ${dataset.numClasses}.`,
    );
  }
  const datasetShape = [dataset.inputHeight, dataset.inputWidth, dataset.inputChannels];
  if (formatShape(space.inputShape) !== formatShape(datasetShape)) {
    throw new AkdError(
      'INVALID_INPUT',
      `The search space takes input ${formatShape(space.inputShape)}, but dataset ${dataset.name} has ` +
        `${formatShape(datasetShape)} images. Set the space's inputShape to [${datasetShape.join(', ')}].`,
    );
  }
  const latencyProfileId = await checkExperimentLatency(prisma, settings, space);

  return prisma.experiment.create({
    data: {
      name: settings.name,
      datasetId: dataset.id,
      teacherId: settings.searchBy === 'distillation' ? settings.teacherId : null,
      strategy: toEnumKey(settings.strategy.kind),
      strategyOptions: (settings.strategy.options ?? {}) as object,
      searchBy: toEnumKey(settings.searchBy),
      latencyModel: settings.latencyModel,
      latencyProfileId,
      latencyTargetMs: settings.latencyTargetMs,
      rewardAlpha: reward.alpha,
      rewardBeta: reward.beta,
      searchSpace: space as unknown as object,
      proxySettings: { ...settings.proxy },
      kdSettings: { ...settings.kd },
      budget: settings.budget,
      generationSize: settings.generationSize,
      seed: settings.seed,
    },
  });
}

/** Options of {@link runExperiment}. */
export interface RunExperimentOptions {
  pool: ProxyTaskPool;
  /** The loaded dataset, if the caller has it, to avoid reading it again. */
  dataset?: ImageDataset;
  signal?: AbortSignal;
  onProgress?: (event: SearchProgressEvent) => void;
}

/**
 * Runs (or resumes) the search of an experiment until its budget is spent. Candidates are scored
 * by `options.pool` and progress is stored after every candidate and generation. The experiment
 * ends `completed`, `paused` (aborted through the signal) or `failed` with its error.
 */
export async function runExperiment(
  prisma: PrismaClient,
  experimentId: string,
  options: RunExperimentOptions,
): Promise<SearchSummary> {
  const log = new Logger('runExperiment', { experimentId });
  const experiment = await prisma.experiment.findUniqueOrThrow({
    where: { id: experimentId },
    include: { dataset: true, teacher: true },
  });
  if (experiment.status === 'completed' || experiment.status === 'cancelled') {
    throw new AkdError(
      'CONFLICT',
      `Experiment ${experimentId} is ${experiment.status}; it cannot run again.`,
    );
  }
  const { space, strategy } = decodeExperiment(experiment);
  const dataset = options.dataset ?? (await loadDatasetAt(datasetLocation(experiment.dataset)));

  await prisma.experiment.update({
    where: { id: experimentId },
    data: { status: 'running', error: null, startedAt: experiment.startedAt ?? new Date() },
  });
  try {
    const spec = await buildProxyTaskSpec(prisma, experiment, { dataset });
    const host = hostname();
    const summary = await runSearch({
      space,
      strategy,
      store: new PrismaSearchStore(prisma, experimentId, space, experiment.latencyModel),
      budget: experiment.budget,
      generationSize: experiment.generationSize,
      concurrency: Math.max(1, options.pool.size),
      rewardConfig: experimentRewardConfig(experiment),
      seed: experiment.seed,
      signal: options.signal,
      onProgress: options.onProgress,
      logger: log,
      evaluator: {
        evaluate: async (genome, context) => {
          await prisma.candidate.update({
            where: { id: context.candidateId },
            data: { status: 'training', attempts: { increment: 1 }, startedAt: new Date(), host },
          });
          const result = await options.pool.evaluate(spec, genome);
          return { ...result } as unknown as EvaluationResult;
        },
      },
    });
    const status =
      summary.status === 'aborted' && summary.candidatesEvaluated < experiment.budget
        ? 'paused'
        : 'completed';
    await prisma.experiment.update({
      where: { id: experimentId },
      data: { status, finishedAt: status === 'completed' ? new Date() : null },
    });
    return summary;
  } catch (error) {
    log.error('experiment failed', { error });
    await prisma.experiment.update({
      where: { id: experimentId },
      data: { status: 'failed', error: (error as Error).message, finishedAt: new Date() },
    });
    throw error;
  }
}
