import { AkdError, Logger } from '@akd/core';
import type { JobOutcome, JobPayloads, RunningJob } from '@akd/jobs';
import {
  queueLauncher,
  runStudyCell,
  type StudyCellConfig,
  type StudyCellOutcome,
  type StudyConfig,
} from '@akd/runner';
import type { WorkerContext } from './context.js';
import { runTrainingJob } from './training-jobs.js';

/** Advisory-lock kind of study cells, so a job delivered twice runs its cell once. */
export const STUDY_CELL_LOCK = 'study-cell';

/** Maximum delay, in seconds, before a failed cell's next attempt. */
const MAX_RETRY_DELAY_SECONDS = 3600;

/**
 * Runs a study-cell job through `runStudyCell` of `@akd/runner`. Proxy trainings go to this
 * worker's pool and ablation cells enqueue the searches and final trainings they need. Similarity
 * cells, which run teachers over a whole split, and the cells of full-mode studies, which train
 * on the whole training split, run in a training process as final-model jobs do. That keeps the
 * worker's event loop, and so its heartbeats, free during long computations.
 *
 * A cell whose attempt failed with attempts left is enqueued again as a new job after the
 * queue's retry delay (doubled per attempt when the queue backs off). A cell that waits for a
 * search or final training re-enqueues itself after its `retryAfterSeconds`, so no job blocks a
 * worker while it waits. A job that throws (the worker stopping, a database outage, a crash) is
 * retried by pg-boss, and the cell's attempt count bounds the attempts in all.
 */
export async function runStudyCellJob(
  ctx: WorkerContext,
  payload: JobPayloads['study-cell'],
  job: RunningJob<'study-cell'>,
): Promise<JobOutcome> {
  const { studyCellId } = payload;
  const log = new Logger('StudyCellJob', { studyCellId, jobId: job.jobId });
  const cell = await ctx.prisma.studyCell.findUnique({
    where: { id: studyCellId },
    select: { config: true, study: { select: { config: true } } },
  });
  if (!cell) throw new AkdError('NOT_FOUND', `Study cell ${studyCellId} does not exist.`, { studyCellId });

  if (
    needsTrainingProcess(
      cell.study.config as unknown as StudyConfig,
      cell.config as unknown as StudyCellConfig,
    )
  ) {
    return runInTrainingProcess(ctx, studyCellId, job, log);
  }
  const lock = await ctx.locks.tryAcquire(STUDY_CELL_LOCK, studyCellId);
  if (!lock) return { outcome: 'skipped', reason: 'another worker is running this study cell' };
  try {
    const outcome = await runStudyCell(
      {
        prisma: ctx.prisma,
        evaluator: ctx.pool,
        launcher: queueLauncher(ctx.queue),
        maxAttempts: job.maxAttempts,
        loadDataset: ctx.datasets.load,
        signal: ctx.stopping,
      },
      studyCellId,
    );
    return settle(ctx, studyCellId, outcome, log);
  } finally {
    await lock.release();
  }
}

/** Returns true for a similarity cell and for a training cell of a full-mode study. */
function needsTrainingProcess(study: StudyConfig, cell: StudyCellConfig): boolean {
  if (study?.kind === 'similarity') return cell?.kind === 'similarity';
  const training = study?.kind === 'ranking' || study?.kind === 'kd-friendliness' ? study.training : null;
  return training?.mode === 'full' && cell?.kind === 'train';
}

/**
 * Runs the cell in a training process. When the worker stops meanwhile, the process is ended and
 * the cell gets its attempt back, as a candidate does, before the job fails for pg-boss to retry.
 */
async function runInTrainingProcess(
  ctx: WorkerContext,
  studyCellId: string,
  job: RunningJob<'study-cell'>,
  log: Logger,
): Promise<JobOutcome> {
  let outcome: JobOutcome;
  try {
    outcome = await runTrainingJob(
      ctx,
      { kind: 'study-cell', rowId: studyCellId, maxAttempts: job.maxAttempts },
      job,
    );
  } catch (error) {
    if (ctx.stopping.aborted) {
      await ctx.prisma.studyCell
        .updateMany({
          where: { id: studyCellId, status: 'running', attempts: { gt: 0 } },
          data: { status: 'pending', attempts: { decrement: 1 } },
        })
        .catch((writeError: unknown) =>
          log.warn('Cannot put the study cell back to pending', { error: writeError }),
        );
    }
    throw error;
  }
  return settle(ctx, studyCellId, outcome as unknown as StudyCellOutcome, log);
}

/** Turns a cell outcome into the job's outcome, enqueueing the cell again for `retry` and `waiting`. */
async function settle(
  ctx: WorkerContext,
  studyCellId: string,
  outcome: StudyCellOutcome,
  log: Logger,
): Promise<JobOutcome> {
  switch (outcome.outcome) {
    case 'completed':
      return { outcome: 'completed', studyId: outcome.studyId };
    case 'skipped':
      return { outcome: 'skipped', reason: outcome.reason };
    case 'failed':
      log.warn('Study cell failed', {
        studyId: outcome.studyId,
        attempts: outcome.attempts,
        error: outcome.error,
      });
      return { outcome: 'failed', studyId: outcome.studyId, reason: outcome.error };
    case 'retry': {
      const settings = ctx.queue.settings['study-cell'];
      const factor = settings.retryBackoff ? 2 ** (outcome.attempts - 1) : 1;
      const delay = Math.min(MAX_RETRY_DELAY_SECONDS, settings.retryDelaySeconds * factor);
      await ctx.queue.enqueueStudyCell(studyCellId, { startAfterSeconds: delay });
      log.warn('Study cell attempt failed; retrying', {
        attempts: outcome.attempts,
        delay,
        error: outcome.error,
      });
      return { outcome: 'retry', studyId: outcome.studyId, reason: outcome.error, retryInSeconds: delay };
    }
    case 'waiting':
      await ctx.queue.enqueueStudyCell(studyCellId, { startAfterSeconds: outcome.retryAfterSeconds });
      return { outcome: 'waiting', studyId: outcome.studyId, reason: outcome.reason };
  }
}
