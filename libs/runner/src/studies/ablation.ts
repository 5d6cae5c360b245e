// Ablation study: per latency target, searching by {hard label, distillation} × training the best
// student by {hard label, distillation}, with test top-1 and top-5. The study reuses matching
// searches and final trainings and launches the ones it lacks.
import { isDeepStrictEqual } from 'node:util';
import { ABLATION_SETTINGS, LABEL_SOURCES, type LabelSource } from '@akd/analysis';
import { AkdError } from '@akd/core';
import {
  toEnumKey,
  type Dataset,
  type Experiment,
  type Prisma,
  type PrismaClient,
  type TrainedModel,
} from '@akd/db';
import { rewardPresets, validateRewardConfig, type StrategySpec } from '@akd/search';
import type { SearchSpace } from '@akd/search-space';
import { createExperiment, MAX_BUDGET, type ExperimentSettings } from '../experiments.js';
import { DEFAULT_FINAL_TRAINING } from '../final-settings.js';
import { ablationCellKey } from './ablation-result.js';
import {
  checkStudyName,
  checkWholeNumber,
  DEFAULT_STUDY_FULL_KD,
  DEFAULT_STUDY_PROXY_KD,
  loadStudyTeachers,
  resolveKd,
  resolveProxySettings,
  teacherRef,
} from './inputs.js';
import { recordStudy, type NewStudyCell, type StudyContent } from './records.js';
import type { CellWaiting } from './run-cell.js';
import { checkSpaceFitsDataset, datasetDefaultSpace } from './students.js';
import type {
  AblationCellResult,
  AblationFinalTraining,
  AblationSearchRef,
  AblationStudyConfig,
  AblationStudyInput,
  StudyCellConfig,
  StudyCellContext,
  StudyQueue,
  StudyView,
} from './types.js';

/** Seconds an ablation cell waits before it checks its search or final training again. */
export const ABLATION_POLL_SECONDS = 60;

const STRATEGY_KINDS: readonly StrategySpec['kind'][] = ['policy-gradient', 'evolution', 'random'];

/**
 * Validates the input and records an ablation study with four cells per latency target. For each
 * target and search signal it reuses a matching search (same dataset, teacher, target, strategy,
 * budget, generation size, proxy, KD settings, space, reward and seed, and not failed or
 * cancelled) or creates one in the study's transaction. With a queue, the new searches and the
 * cells are enqueued after the commit. Each cell waits for its search, then reuses or launches
 * the final training of the search's best student and reports its test top-1 and top-5.
 *
 * Throws INVALID_INPUT (NOT_FOUND for an unknown teacher) before anything is recorded for: a
 * teacher that is not ready, no or repeated latency targets, a target that is not positive, and
 * invalid search or training settings.
 */
export async function createAblationStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  input: AblationStudyInput,
): Promise<StudyView> {
  const {
    teachers: [teacher],
    dataset,
  } = await loadStudyTeachers(prisma, [input.teacherId], 1, 'train');
  const targets = checkLatencyTargets(input.latencyTargetsMs);
  const search = resolveSearch(input.search, dataset, targets);
  const finalTraining = resolveFinalTraining(input.finalTraining, search.proxy.seed);
  const teacherColumn = teacherRef(teacher);

  const build = async (tx: Prisma.TransactionClient): Promise<StudyContent> => {
    const searches: AblationSearchRef[] = [];
    for (const latencyTargetMs of targets) {
      for (const searchBy of LABEL_SOURCES) {
        const settings = searchSettings(search, dataset, teacher.id, latencyTargetMs, searchBy);
        const reused = await findMatchingSearch(tx, settings);
        const experiment = reused ?? (await createExperiment(tx as unknown as PrismaClient, settings));
        searches.push({ latencyTargetMs, searchBy, experimentId: experiment.id, reused: reused !== null });
      }
    }
    const cells: NewStudyCell[] = targets.flatMap((latencyTargetMs) =>
      ABLATION_SETTINGS.map(({ searchBy, trainBy }) => ({
        key: ablationCellKey(latencyTargetMs, searchBy, trainBy),
        config: {
          kind: 'ablation' as const,
          latencyTargetMs,
          searchBy,
          trainBy,
          experimentId: searchOf(searches, latencyTargetMs, searchBy).experimentId,
        },
      })),
    );
    const config: AblationStudyConfig = {
      kind: 'ablation',
      teacher: teacherColumn,
      latencyTargetsMs: targets,
      search,
      finalTraining,
      searches,
    };
    return { config, cells };
  };

  return recordStudy(prisma, queue, {
    kind: 'ablation',
    name: checkStudyName(input.name ?? `ablation of ${teacher.name} at ${targets.join(', ')} ms`),
    datasetId: dataset.id,
    content: build,
    afterCommit: async (jobs, content) => {
      const config = content.config as AblationStudyConfig;
      const ids = config.searches.map((ref) => ref.experimentId);
      const queued = await prisma.experiment.findMany({ where: { id: { in: ids }, status: 'queued' } });
      for (const experiment of queued) await jobs.enqueueSearch(experiment.id);
    },
  });
}

/** Throws INVALID_INPUT for no latency targets, a target that is not positive, or a repeated target. */
export function checkLatencyTargets(targets: readonly number[] | undefined): number[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      'No latency targets given: an ablation needs at least one target in ms.',
    );
  }
  const seen = new Set<number>();
  for (const target of targets) {
    if (!(Number.isFinite(target) && target > 0)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid latency target ${target} ms: use a number greater than 0.`,
      );
    }
    if (seen.has(target))
      throw new AkdError(
        'INVALID_INPUT',
        `Latency target ${target} ms is listed twice; list each target once.`,
      );
    seen.add(target);
  }
  return [...targets];
}

function resolveSearch(
  input: AblationStudyInput['search'],
  dataset: Dataset,
  targets: readonly number[],
): AblationStudyConfig['search'] {
  if (!input) {
    throw new AkdError(
      'INVALID_INPUT',
      'Search settings are missing: give at least budget and generationSize.',
    );
  }

  const strategy = input.strategy ?? { kind: 'policy-gradient' };
  if (!STRATEGY_KINDS.includes(strategy.kind)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Unknown strategy "${String(strategy.kind)}". Use one of: ${STRATEGY_KINDS.join(', ')}.`,
    );
  }

  checkWholeNumber(input.budget, 'search budget', 1, MAX_BUDGET);
  checkWholeNumber(input.generationSize, 'search generation size', 1, MAX_BUDGET);
  const seed = input.seed ?? 1;
  if (!Number.isInteger(seed)) {
    throw new AkdError('INVALID_INPUT', `Invalid search seed ${seed}: use a whole number.`);
  }

  const reward = input.reward ?? { ...rewardPresets.soft };
  for (const targetMs of targets) validateRewardConfig({ targetMs, ...reward });
  const space: SearchSpace = input.space ?? datasetDefaultSpace(dataset);
  checkSpaceFitsDataset(space, dataset, 'the ablation searches');

  return {
    strategy,
    budget: input.budget,
    generationSize: input.generationSize,
    proxy: resolveProxySettings(input.proxy, dataset.trainCount),
    kd: resolveKd(input.kd, DEFAULT_STUDY_PROXY_KD),
    space,
    seed,
    reward,
  };
}

function resolveFinalTraining(
  input: AblationStudyInput['finalTraining'],
  proxySeed: number,
): AblationFinalTraining {
  if (!input)
    throw new AkdError('INVALID_INPUT', 'Final training settings are missing: give at least epochs.');
  const training: AblationFinalTraining = {
    epochs: input.epochs,
    batchSize: input.batchSize ?? DEFAULT_FINAL_TRAINING.batchSize,
    learningRate: input.learningRate ?? DEFAULT_FINAL_TRAINING.learningRate,
    kd: resolveKd(input.kd, DEFAULT_STUDY_FULL_KD),
    seed: input.seed ?? proxySeed,
  };
  checkWholeNumber(training.epochs, 'final training epochs', 1, 1000);
  checkWholeNumber(training.batchSize, 'final training batch size', 1, 65536);
  if (!(training.learningRate > 0 && training.learningRate < 1)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid final training learning rate ${training.learningRate}: use a value between 0 and 1, such as 0.004.`,
    );
  }
  if (!Number.isInteger(training.seed)) {
    throw new AkdError('INVALID_INPUT', `Invalid final training seed ${training.seed}: use a whole number.`);
  }
  return training;
}

function searchSettings(
  search: AblationStudyConfig['search'],
  dataset: Dataset,
  teacherId: string,
  latencyTargetMs: number,
  searchBy: LabelSource,
): ExperimentSettings {
  return {
    name: `ablation search by ${searchBy} at ${latencyTargetMs} ms`,
    datasetId: dataset.id,
    teacherId: searchBy === 'distillation' ? teacherId : null,
    searchBy,
    strategy: search.strategy,
    latencyModel: 'measured',
    latencyTargetMs,
    reward: search.reward,
    proxy: search.proxy,
    kd: search.kd,
    budget: search.budget,
    generationSize: search.generationSize,
    seed: search.seed,
    space: search.space,
  };
}

/**
 * Returns a search with exactly these settings that is not failed or cancelled, completed ones
 * first, or null. Hard-label searches match whatever their KD settings, which they do not use.
 */
async function findMatchingSearch(
  tx: Prisma.TransactionClient,
  settings: ExperimentSettings,
): Promise<Experiment | null> {
  const rows = await tx.experiment.findMany({
    where: {
      datasetId: settings.datasetId,
      teacherId: settings.teacherId,
      searchBy: toEnumKey(settings.searchBy),
      strategy: toEnumKey(settings.strategy.kind),
      latencyModel: settings.latencyModel,
      latencyTargetMs: settings.latencyTargetMs,
      budget: settings.budget,
      generationSize: settings.generationSize,
      seed: settings.seed,
      rewardAlpha: settings.reward?.alpha,
      rewardBeta: settings.reward?.beta,
      status: { notIn: ['failed', 'cancelled'] },
    },
    orderBy: { createdAt: 'asc' },
  });
  const matching = rows.filter(
    (row) =>
      // JSONB does not keep key order, so compare structurally.
      isDeepStrictEqual(row.strategyOptions, { ...(settings.strategy.options ?? {}) }) &&
      isDeepStrictEqual(row.proxySettings, { ...settings.proxy }) &&
      isDeepStrictEqual(row.searchSpace, JSON.parse(JSON.stringify(settings.space))) &&
      (settings.searchBy === 'hard-label' || isDeepStrictEqual(row.kdSettings, { ...settings.kd })),
  );
  return matching.find((row) => row.status === 'completed') ?? matching[0] ?? null;
}

function searchOf(searches: readonly AblationSearchRef[], latencyTargetMs: number, searchBy: LabelSource) {
  const found = searches.find((ref) => ref.latencyTargetMs === latencyTargetMs && ref.searchBy === searchBy);
  if (!found) throw new AkdError('INTERNAL', `No search recorded for ${searchBy} at ${latencyTargetMs} ms.`);
  return found;
}

/**
 * Runs one ablation cell: waits for its search (starting it when it is queued), then reuses or
 * creates the final training of the search's best candidate by reward, waits for it, and returns
 * its test accuracies. Returns a {@link CellWaiting} while either is unfinished.
 *
 * @throws AkdError CONFLICT when the search or the final training failed or was cancelled, or the
 *   search finished without a completed candidate.
 */
export async function runAblationCell(
  ctx: StudyCellContext,
  config: AblationStudyConfig,
  cell: Extract<StudyCellConfig, { kind: 'ablation' }>,
): Promise<AblationCellResult | CellWaiting> {
  const experiment = await settledSearch(ctx, cell.experimentId);
  if ('waiting' in experiment) return experiment;

  const best = await ctx.prisma.candidate.findFirst({
    where: { experimentId: experiment.id, status: 'completed', reward: { not: null } },
    orderBy: [{ reward: 'desc' }, { id: 'asc' }],
  });
  if (!best) {
    throw new AkdError(
      'CONFLICT',
      `Search ${experiment.name} (${experiment.id}) completed without a completed candidate, so there is no student to train.`,
    );
  }
  const { model, reused } = await findOrCreateTrainedModel(ctx.prisma, config, cell, experiment.id, best.id);
  const trained = await settledTrainedModel(ctx, model);
  if ('waiting' in trained) return trained;
  return {
    kind: 'ablation',
    experimentId: experiment.id,
    candidateId: best.id,
    genomeHash: best.genomeHash,
    trainedModelId: trained.id,
    reusedTrainedModel: reused,
    top1: trained.testTop1 as number,
    top5: trained.testTop5 as number,
    latencyMs: trained.latencyMs,
    params: trained.params === null ? null : Number(trained.params),
    flops: trained.flops === null ? null : Number(trained.flops),
  };
}

/** Statuses a local launcher resumes, because no other process works on them. */
const RESUMABLE_SEARCH = new Set(['queued', 'paused', 'running']);
const RESUMABLE_TRAINING = new Set(['pending', 'running']);

async function settledSearch(ctx: StudyCellContext, experimentId: string): Promise<Experiment | CellWaiting> {
  const read = () => ctx.prisma.experiment.findUnique({ where: { id: experimentId } });
  let experiment = await read();
  if (!experiment) {
    throw new AkdError('NOT_FOUND', `Search ${experimentId} of this ablation no longer exists.`, {
      experimentId,
    });
  }
  const start =
    experiment.status === 'queued' ||
    (ctx.launcher.resumesInterrupted && RESUMABLE_SEARCH.has(experiment.status));
  if (start) {
    await ctx.launcher.startSearch(experimentId);
    experiment = (await read()) as Experiment;
  }
  if (experiment.status === 'completed') return experiment;
  if (experiment.status === 'failed' || experiment.status === 'cancelled') {
    throw new AkdError(
      'CONFLICT',
      `Search ${experiment.name} (${experimentId}) is ${experiment.status}${experiment.error ? `: ${experiment.error}` : ''}. Create the study again to start a new search.`,
      { experimentId },
    );
  }
  return {
    waiting: `search ${experimentId} is ${experiment.status}`,
    retryAfterSeconds: ABLATION_POLL_SECONDS,
  };
}

async function settledTrainedModel(
  ctx: StudyCellContext,
  model: TrainedModel,
): Promise<TrainedModel | CellWaiting> {
  let current = model;
  if (
    current.status === 'pending' ||
    (ctx.launcher.resumesInterrupted && RESUMABLE_TRAINING.has(current.status))
  ) {
    await ctx.launcher.startFinalTraining(current.id);
    current = await ctx.prisma.trainedModel.findUniqueOrThrow({ where: { id: current.id } });
  }
  if (current.status === 'completed') {
    if (current.testTop1 === null || current.testTop5 === null) {
      throw new AkdError('CONFLICT', `Final training ${current.id} completed without test accuracies.`);
    }
    return current;
  }
  if (current.status === 'failed' || current.status === 'cancelled') {
    throw new AkdError(
      'CONFLICT',
      `Final training ${current.id} is ${current.status}${current.error ? `: ${current.error}` : ''}.`,
      { trainedModelId: current.id },
    );
  }
  return {
    waiting: `final training ${current.id} is ${current.status}`,
    retryAfterSeconds: ABLATION_POLL_SECONDS,
  };
}

/** Recipe stored in TrainedModel.settings, as `trainFinalModel` reads it. */
function trainedModelSettings(
  training: AblationFinalTraining,
  trainBy: LabelSource,
): Record<string, unknown> {
  return {
    epochs: training.epochs,
    batchSize: training.batchSize,
    learningRate: training.learningRate,
    seed: training.seed,
    ...(trainBy === 'distillation' ? { kd: { ...training.kd } } : {}),
  };
}

/**
 * Returns the final training of `candidateId` with the cell's method and recipe that is not
 * failed or cancelled, or records a pending one. A transaction-scoped advisory lock on the
 * candidate and method keeps two cells from recording the same training twice.
 */
async function findOrCreateTrainedModel(
  prisma: PrismaClient,
  config: AblationStudyConfig,
  cell: Extract<StudyCellConfig, { kind: 'ablation' }>,
  experimentId: string,
  candidateId: string,
): Promise<{ model: TrainedModel; reused: boolean }> {
  const method = cell.trainBy === 'distillation' ? 'hinton' : 'hard_label';
  const teacherId = cell.trainBy === 'distillation' ? config.teacher.key : null;
  const settings = trainedModelSettings(config.finalTraining, cell.trainBy);
  return prisma.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`trained-model:${candidateId}:${method}`}, 0))`;
    const existing = await tx.trainedModel.findMany({
      where: {
        candidateId,
        method,
        teacherId,
        epochs: config.finalTraining.epochs,
        status: { notIn: ['failed', 'cancelled'] },
      },
      orderBy: { createdAt: 'asc' },
    });
    const match = existing.find((row) => sameRecipe(row.settings, settings, config.search));
    if (match) return { model: match, reused: true };
    const candidate = await tx.candidate.findUniqueOrThrow({ where: { id: candidateId } });
    const model = await tx.trainedModel.create({
      data: {
        candidateId,
        experimentId,
        teacherId,
        method,
        epochs: config.finalTraining.epochs,
        settings: settings as object,
        params: candidate.params,
        flops: candidate.flops,
        status: 'pending',
      },
    });
    return { model, reused: false };
  });
}

/**
 * Compares the recipe fields that change a final training's outcome, filling fields the row
 * leaves out the way `trainFinalModel` does: default batch size and learning rate, the search's
 * proxy seed, and the search's KD settings under the row's own.
 */
function sameRecipe(
  stored: unknown,
  wanted: Record<string, unknown>,
  search: AblationStudyConfig['search'],
): boolean {
  const row = (stored ?? {}) as Record<string, unknown>;
  const kd = wanted.kd === undefined ? null : { ...search.kd, ...(row.kd as object | undefined) };
  return (
    (row.batchSize ?? DEFAULT_FINAL_TRAINING.batchSize) === wanted.batchSize &&
    (row.learningRate ?? DEFAULT_FINAL_TRAINING.learningRate) === wanted.learningRate &&
    (row.seed ?? search.proxy.seed) === wanted.seed &&
    isDeepStrictEqual(kd, wanted.kd ?? null)
  );
}
