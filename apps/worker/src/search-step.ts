import { AkdError, Logger } from '@akd/core';
import type { ExperimentStatus } from '@akd/db';
import {
  isTransientDatabaseError,
  PermanentJobError,
  type JobOutcome,
  type JobPayloads,
  type RunningJob,
} from '@akd/jobs';
import {
  buildProxyTaskSpec,
  decodeExperiment,
  experimentRewardConfig,
  PrismaSearchStore,
  type ExperimentWithRelations,
} from '@akd/runner';
import { runSearch, type SearchSummary } from '@akd/search';
import { sleepUnlessAborted } from './backoff.js';
import type { WorkerContext } from './context.js';
import { CandidateWatcher, DistributedEvaluator } from './distributed-evaluator.js';
import type { RowLock } from './row-locks.js';

/** Row lock kind that keeps one search step per experiment. */
const SEARCH_LOCK = 'search-step';

/** Statuses of an experiment whose search should run. */
const RUNNABLE: ReadonlySet<ExperimentStatus> = new Set(['queued', 'running']);

/** Part of a step's expiry that it may spend searching before it hands over to its continuation. */
const SLICE_FRACTION = 0.8;

/** Reason a search step stopped its search before the budget was spent. */
type StopReason = 'time-slice' | 'shutdown' | 'lock-lost' | `experiment-${ExperimentStatus}`;

/** Outcome of the part of a step that holds the experiment lock. */
type LockedOutcome = { finished: true; outcome: JobOutcome } | { finished: false; reason: StopReason };

/**
 * Runs a search-step job: `runSearch` for one experiment, resumed from its stored checkpoint,
 * with a {@link DistributedEvaluator} that enqueues one candidate job per new candidate and waits
 * for any worker to settle it.
 *
 * One step per experiment runs at a time: a step takes the experiment's row lock and a second
 * step waits `searchLockWaitSeconds` for it, then ends as skipped. The step stops its search
 * cleanly when the experiment is paused or cancelled, when the worker shuts down, and after 80%
 * of the job's expiry, because pg-boss fails a longer attempt. Running candidates keep training
 * and stay pending for the next step. After such a stop, if the experiment is still queued or
 * running, the step enqueues the next step. A search that spends its budget or stalls
 * completes the experiment; any other error fails it, except an unreachable database, which
 * fails only the attempt so that pg-boss retries it.
 */
export async function runSearchStep(
  ctx: WorkerContext,
  payload: JobPayloads['search-step'],
  job: RunningJob<'search-step'>,
): Promise<JobOutcome> {
  const { experimentId } = payload;
  const log = new Logger('SearchStep', { experimentId, jobId: job.jobId });
  const experiment = await findExperiment(ctx, experimentId);
  if (!RUNNABLE.has(experiment.status)) {
    return { outcome: 'skipped', reason: `experiment is ${experiment.status}` };
  }

  const lock = await ctx.locks.acquireWithin(
    SEARCH_LOCK,
    experimentId,
    ctx.config.searchLockWaitSeconds * 1000,
    ctx.stopping,
  );
  if (!lock) return { outcome: 'skipped', reason: 'another search step of this experiment is running' };
  let locked: LockedOutcome;
  try {
    locked = await searchWithLock(ctx, experimentId, job, lock, log);
  } finally {
    await lock.release();
  }
  if (locked.finished) return locked.outcome;

  // Read after the lock is released: when the experiment was paused and resumed while this step
  // wound down, the resume's step may have given up on the lock, and this one must continue.
  const current = await ctx.prisma.experiment.findUnique({
    where: { id: experimentId },
    select: { status: true },
  });
  if (!current || !RUNNABLE.has(current.status)) {
    return { outcome: 'stopped', reason: `experiment is ${current?.status ?? 'deleted'}` };
  }
  const nextJobId = await ctx.queue.enqueueSearch(experimentId);
  log.info('Search step handed over to the next step', { reason: locked.reason, nextJobId });
  return { outcome: 'continued', reason: locked.reason, nextJobId };
}

async function findExperiment(ctx: WorkerContext, experimentId: string): Promise<ExperimentWithRelations> {
  const experiment = await ctx.prisma.experiment.findUnique({
    where: { id: experimentId },
    include: { dataset: true, teacher: true },
  });
  if (!experiment)
    throw new AkdError('NOT_FOUND', `Experiment ${experimentId} does not exist.`, { experimentId });
  return experiment;
}

async function searchWithLock(
  ctx: WorkerContext,
  experimentId: string,
  job: RunningJob<'search-step'>,
  lock: RowLock,
  log: Logger,
): Promise<LockedOutcome> {
  // Read again under the lock, because the previous step may have changed the experiment.
  const experiment = await findExperiment(ctx, experimentId);
  const claimed = await ctx.prisma.experiment.updateMany({
    where: { id: experimentId, status: { in: [...RUNNABLE] } },
    data: { status: 'running', error: null, startedAt: experiment.startedAt ?? new Date() },
  });
  if (claimed.count === 0)
    return { finished: true, outcome: { outcome: 'skipped', reason: 'experiment stopped meanwhile' } };

  const stop = new AbortController();
  let reason: StopReason | null = null;
  const stopSearch = (why: StopReason): void => {
    if (reason !== null) return;
    reason = why;
    log.info('Stopping the search', { reason: why });
    stop.abort(new AkdError('UNAVAILABLE', `The search step stopped: ${why}.`));
  };
  const sliceTimer = setTimeout(() => stopSearch('time-slice'), job.expireInSeconds * 1000 * SLICE_FRACTION);
  const onShutdown = (): void => stopSearch('shutdown');
  const onLockLost = (): void => stopSearch('lock-lost');
  ctx.stopping.addEventListener('abort', onShutdown, { once: true });
  lock.lost.addEventListener('abort', onLockLost, { once: true });
  if (ctx.stopping.aborted) onShutdown();
  const statusWatch = watchStatus(ctx, experimentId, stop.signal, stopSearch, log);
  const watcher = new CandidateWatcher(ctx, log);

  let summary: SearchSummary;
  try {
    // Prepares the teacher logits once, so candidate jobs on every worker find them cached.
    await buildProxyTaskSpec(ctx.prisma, experiment, { loadDataset: ctx.datasets.load });
    const { space, strategy } = decodeExperiment(experiment);
    summary = await runSearch({
      space,
      strategy,
      store: new PrismaSearchStore(ctx.prisma, experimentId, space, experiment.latencyModel),
      evaluator: new DistributedEvaluator(watcher),
      budget: experiment.budget,
      generationSize: experiment.generationSize,
      // Every new candidate of a generation is queued at once; the workers' pools bound the training.
      concurrency: experiment.generationSize,
      rewardConfig: experimentRewardConfig(experiment),
      seed: experiment.seed,
      signal: stop.signal,
      logger: log,
    });
  } catch (error) {
    if (reason === 'shutdown' || reason === 'lock-lost' || isTransientDatabaseError(error)) throw error;
    await failExperiment(ctx, experimentId, error, log);
    throw new PermanentJobError(
      `The search of experiment ${experimentId} failed: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  } finally {
    clearTimeout(sliceTimer);
    ctx.stopping.removeEventListener('abort', onShutdown);
    lock.lost.removeEventListener('abort', onLockLost);
    stop.abort();
    await Promise.all([statusWatch, watcher.stop()]);
  }

  if (summary.status !== 'aborted') {
    await ctx.prisma.experiment.updateMany({
      where: { id: experimentId, status: 'running' },
      data: { status: 'completed', finishedAt: new Date() },
    });
    return {
      finished: true,
      outcome: {
        outcome: 'completed',
        reason: summary.status,
        candidatesEvaluated: summary.candidatesEvaluated,
        bestCandidateId: summary.best?.id ?? null,
      },
    };
  }
  const stoppedBy = reason as StopReason | null;
  if (stoppedBy === 'lock-lost') {
    throw new AkdError(
      'UNAVAILABLE',
      `Lost the lock of experiment ${experimentId}; the step will be retried.`,
    );
  }
  return { finished: false, reason: stoppedBy ?? 'time-slice' };
}

/**
 * Reads the experiment status every `statusPollSeconds` until `signal` fires. A pause, cancel,
 * completion or failure stops the search; a `queued` status (a resume that raced this step)
 * is set back to running.
 */
async function watchStatus(
  ctx: WorkerContext,
  experimentId: string,
  signal: AbortSignal,
  stopSearch: (reason: StopReason) => void,
  log: Logger,
): Promise<void> {
  while (await sleepUnlessAborted(ctx.config.statusPollSeconds * 1000, signal)) {
    try {
      const row = await ctx.prisma.experiment.findUnique({
        where: { id: experimentId },
        select: { status: true },
      });
      if (!row) {
        stopSearch('experiment-cancelled');
        return;
      }
      if (row.status === 'queued') {
        await ctx.prisma.experiment.updateMany({
          where: { id: experimentId, status: 'queued' },
          data: { status: 'running' },
        });
      } else if (row.status !== 'running') {
        stopSearch(`experiment-${row.status}`);
        return;
      }
    } catch (error) {
      log.debug('Cannot read the experiment status; trying again', { error });
    }
  }
}

async function failExperiment(
  ctx: WorkerContext,
  experimentId: string,
  error: unknown,
  log: Logger,
): Promise<void> {
  log.error('Search failed; marking the experiment failed', { error });
  try {
    await ctx.prisma.experiment.updateMany({
      where: { id: experimentId, status: { in: ['queued', 'running'] } },
      data: { status: 'failed', error: (error as Error).message, finishedAt: new Date() },
    });
  } catch (writeError) {
    log.error('Cannot mark the experiment failed', { error: writeError });
  }
}
