// Runs a study's cells in this process, for the CLI: proxy trainings go to a ProxyTaskPool, and
// the searches and final trainings of ablation cells run here too.
import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError, Logger } from '@akd/core';
import { loadDatasetAt, type DatasetLocation, type ImageDataset } from '@akd/data';
import type { PrismaClient } from '@akd/db';
import type { ProxyTaskPool } from '@akd/proxy-task';
import { datasetLocation } from '../datasets.js';
import { runExperiment } from '../experiments.js';
import { trainFinalModel } from '../final-model.js';
import { refreshStudyResult, requireStudy } from './records.js';
import { runStudyCell } from './run-cell.js';
import type {
  StudyCellContext,
  StudyCellOutcome,
  StudyDependencyLauncher,
  StudyQueue,
  StudyView,
} from './types.js';

const log = new Logger('studyLocal');

/** Attempts per cell of a local run unless the options give another number. */
export const DEFAULT_LOCAL_MAX_ATTEMPTS = 3;

/** Progress of {@link runStudyLocally}. */
export type LocalStudyEvent =
  | { type: 'cell-started'; key: string; done: number; total: number }
  | { type: 'cell-finished'; key: string; outcome: StudyCellOutcome; done: number; total: number };

/** Options of {@link runStudyLocally}. */
export interface RunStudyLocallyOptions {
  /**
   * Trains proxy-mode cells and the candidates of ablation searches. Studies that train nothing
   * (similarity) need none.
   */
  pool?: ProxyTaskPool;
  /** The study's dataset, if the caller has it loaded. */
  dataset?: { location: DatasetLocation; data: ImageDataset };
  /** Cells run at once. Default: the pool's process count. */
  concurrency?: number;
  /** Default {@link DEFAULT_LOCAL_MAX_ATTEMPTS}. */
  maxAttempts?: number;
  signal?: AbortSignal;
  onEvent?: (event: LocalStudyEvent) => void;
}

function noPool(): AkdError {
  return new AkdError('INVALID_INPUT', 'This study trains students, so running it needs a training pool.');
}

/** Returns a launcher that enqueues searches and final trainings, for queued cells. */
export function queueLauncher(queue: StudyQueue): StudyDependencyLauncher {
  return {
    startSearch: async (experimentId) => {
      await queue.enqueueSearch(experimentId);
    },
    startFinalTraining: async (trainedModelId) => {
      await queue.enqueueFinalTraining(trainedModelId);
    },
  };
}

/**
 * Returns a launcher that runs searches (in `pool`) and final trainings (in this process) to
 * completion before it returns. Concurrent requests for the same row share one run.
 */
export function localLauncher(
  prisma: PrismaClient,
  pool: ProxyTaskPool,
  loadDataset: (location: DatasetLocation) => Promise<ImageDataset>,
  signal?: AbortSignal,
): StudyDependencyLauncher {
  const running = new Map<string, Promise<void>>();
  const once = (key: string, work: () => Promise<unknown>): Promise<void> => {
    let promise = running.get(key);
    if (!promise) {
      promise = work()
        .then(() => undefined)
        .finally(() => running.delete(key));
      running.set(key, promise);
    }
    return promise;
  };
  return {
    resumesInterrupted: true,
    startSearch: (experimentId) =>
      once(`search:${experimentId}`, async () => {
        const experiment = await prisma.experiment.findUniqueOrThrow({
          where: { id: experimentId },
          include: { dataset: true },
        });
        if (experiment.status === 'completed' || experiment.status === 'cancelled') return;
        log.info('running the search of an ablation cell', { experimentId });
        const dataset = await loadDataset(datasetLocation(experiment.dataset));
        await runExperiment(prisma, experimentId, { pool, dataset, signal });
      }),
    startFinalTraining: (trainedModelId) =>
      once(`final:${trainedModelId}`, async () => {
        // A row left running by a stopped process is trained again from the start.
        await prisma.trainedModel.updateMany({
          where: { id: trainedModelId, status: 'running' },
          data: { status: 'pending' },
        });
        log.info('running the final training of an ablation cell', { trainedModelId });
        await trainFinalModel(prisma, trainedModelId, { loadDataset, signal });
      }),
  };
}

/**
 * Runs every unfinished cell of the study in this process, `concurrency` at a time, and returns
 * the refreshed study. Cells left running by a stopped process go back to pending first.
 * NOTE: that reset assumes that no worker runs the study's cells at the same time. A cell that a
 * worker runs meanwhile would train twice. A cell
 * that returns `retry` runs again at once, up to `maxAttempts`. A cell that waits for a search or
 * final training of another process runs again after its `retryAfterSeconds`. Stops between cells when
 * `signal` fires.
 */
export async function runStudyLocally(
  prisma: PrismaClient,
  studyId: string,
  options: RunStudyLocallyOptions,
): Promise<StudyView> {
  const study = await requireStudy(prisma, studyId);
  if (study.status === 'cancelled') {
    throw new AkdError('CONFLICT', `Study ${studyId} is cancelled; resume it before running it.`, {
      studyId,
    });
  }
  await prisma.studyCell.updateMany({ where: { studyId, status: 'running' }, data: { status: 'pending' } });
  const cells = await prisma.studyCell.findMany({
    where: { studyId, status: 'pending' },
    select: { id: true, key: true },
    orderBy: { key: 'asc' },
  });
  const total = cells.length;
  let done = 0;
  const datasets = new Map<string, Promise<ImageDataset>>();
  if (options.dataset) datasets.set(options.dataset.location.path, Promise.resolve(options.dataset.data));
  const loadDataset = (location: DatasetLocation): Promise<ImageDataset> => {
    let entry = datasets.get(location.path);
    if (!entry) {
      entry = loadDatasetAt(location);
      datasets.set(location.path, entry);
    }
    return entry;
  };
  const pool = options.pool ?? null;
  const ctx: StudyCellContext = {
    prisma,
    evaluator: pool ?? { evaluate: () => Promise.reject(noPool()) },
    launcher: pool
      ? localLauncher(prisma, pool, loadDataset, options.signal)
      : { startSearch: () => Promise.reject(noPool()), startFinalTraining: () => Promise.reject(noPool()) },
    maxAttempts: options.maxAttempts ?? DEFAULT_LOCAL_MAX_ATTEMPTS,
    loadDataset,
    signal: options.signal,
  };

  const runCell = async (cell: { id: string; key: string }): Promise<void> => {
    options.onEvent?.({ type: 'cell-started', key: cell.key, done, total });
    let outcome: StudyCellOutcome;
    for (;;) {
      outcome = await runStudyCell(ctx, cell.id);
      if (options.signal?.aborted) break;
      if (outcome.outcome === 'retry') continue;
      if (outcome.outcome !== 'waiting') break;
      await sleep(outcome.retryAfterSeconds * 1000, undefined, { signal: options.signal }).catch(
        () => undefined,
      );
      if (options.signal?.aborted) break;
    }
    done++;
    options.onEvent?.({ type: 'cell-finished', key: cell.key, outcome, done, total });
  };

  const queue = [...cells];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? pool?.size ?? 1) }, async () => {
    for (let cell = queue.shift(); cell && !options.signal?.aborted; cell = queue.shift())
      await runCell(cell);
  });
  await Promise.all(workers);
  return refreshStudyResult(prisma, studyId);
}
