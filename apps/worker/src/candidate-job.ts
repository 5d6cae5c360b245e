import { AkdError, Logger } from '@akd/core';
import type { ExperimentStatus } from '@akd/db';
import { isTransientDatabaseError, type JobOutcome, type JobPayloads, type RunningJob } from '@akd/jobs';
import type { ProxyResult, ProxyTaskSpec } from '@akd/proxy-task';
import { buildProxyTaskSpec, completedCandidateData, experimentRewardConfig } from '@akd/runner';
import { computeReward, type EvaluationResult } from '@akd/search';
import type { Genome } from '@akd/search-space';
import { retryWithBackoff } from './backoff.js';
import type { WorkerContext } from './context.js';
import { CANDIDATE_LOCK } from './distributed-evaluator.js';

/** Experiment statuses under which candidates are trained; any other leaves them pending. */
const TRAINING_STATUSES: ReadonlySet<ExperimentStatus> = new Set(['queued', 'running']);

/**
 * Runs a candidate job: trains the candidate on its experiment's proxy task in this worker's
 * pool and stores the result and reward in the candidate row.
 *
 * It is idempotent by row. A completed or failed candidate is never trained again, a candidate
 * whose row lock another worker holds is being trained there, and a candidate of a paused,
 * cancelled or finished experiment stays pending. Each training attempt counts in `attempts`;
 * past `candidateMaxAttempts` (attempts that crashed without a result) the candidate is failed.
 *
 * A training error reported by the pool (an invalid genome, a diverged loss) fails the candidate,
 * as it would fail the same genome in a local search. A training process that exits mid-training
 * fails only the job, so pg-boss retries it and another attempt trains the candidate again.
 */
export async function runCandidateJob(
  ctx: WorkerContext,
  payload: JobPayloads['candidate'],
  job: RunningJob<'candidate'>,
): Promise<JobOutcome> {
  const { candidateId } = payload;
  const log = new Logger('CandidateJob', { candidateId, jobId: job.jobId });
  const row = await ctx.prisma.candidate.findUnique({
    where: { id: candidateId },
    include: { experiment: { include: { dataset: true, teacher: true } } },
  });
  if (!row) {
    throw new AkdError(
      'NOT_FOUND',
      `Candidate ${candidateId} does not exist; it may have been deleted with its experiment.`,
      {
        candidateId,
      },
    );
  }
  if (row.status === 'completed' || row.status === 'failed') {
    return { outcome: 'skipped', reason: `the candidate is already ${row.status}` };
  }
  if (!TRAINING_STATUSES.has(row.experiment.status)) {
    return { outcome: 'skipped', reason: `experiment ${row.experimentId} is ${row.experiment.status}` };
  }

  const lock = await ctx.locks.tryAcquire(CANDIDATE_LOCK, candidateId);
  if (!lock) return { outcome: 'skipped', reason: 'another worker is training this candidate' };
  try {
    const claimed = await ctx.prisma.candidate.updateMany({
      where: { id: candidateId, status: { in: ['pending', 'training'] } },
      data: {
        status: 'training',
        attempts: { increment: 1 },
        startedAt: new Date(),
        host: ctx.host,
        error: null,
      },
    });
    if (claimed.count === 0) return { outcome: 'skipped', reason: 'the candidate settled meanwhile' };
    const { attempts } = await ctx.prisma.candidate.findUniqueOrThrow({
      where: { id: candidateId },
      select: { attempts: true },
    });
    if (attempts > ctx.config.candidateMaxAttempts) {
      const message =
        `Training of this candidate started ${attempts - 1} times without a result (a worker or ` +
        'training process crashed each time), so the candidate is failed.';
      await failCandidate(ctx, candidateId, message);
      log.warn('Candidate failed after repeated interrupted attempts', { attempts });
      return { outcome: 'failed', reason: message };
    }

    let spec: ProxyTaskSpec;
    try {
      spec = await buildProxyTaskSpec(ctx.prisma, row.experiment, { loadDataset: ctx.datasets.load });
      if (ctx.pool.size === 0) {
        throw new AkdError(
          'UNAVAILABLE',
          'The training processes of this worker failed to start, so it cannot train candidates.',
        );
      }
    } catch (error) {
      // Training never started, so this attempt does not count against the candidate.
      await releaseCandidate(ctx, candidateId);
      throw error;
    }
    log.info('Training candidate', {
      experimentId: row.experimentId,
      attempt: attempts,
      latencyModel: row.experiment.latencyModel,
    });
    let result: ProxyResult;
    try {
      result = await ctx.pool.evaluate(spec, row.genome as unknown as Genome);
    } catch (error) {
      if (!isTrainingProcessExit(error)) {
        await failCandidate(ctx, candidateId, (error as Error).message);
        return { outcome: 'failed', reason: (error as Error).message };
      }
      if (ctx.stopping.aborted) await releaseCandidate(ctx, candidateId);
      throw error;
    }

    const evaluation = { ...result } as unknown as EvaluationResult;
    let reward: number;
    try {
      reward = computeReward(result.accuracy, result.latencyMs, experimentRewardConfig(row.experiment));
    } catch (error) {
      await failCandidate(ctx, candidateId, (error as Error).message);
      return { outcome: 'failed', reason: (error as Error).message };
    }
    const saved = await withDatabaseRetry(log, 'store the candidate result', () =>
      ctx.prisma.candidate.updateMany({
        where: { id: candidateId, status: 'training' },
        data: completedCandidateData(evaluation, reward),
      }),
    );
    if (saved.count === 0) return { outcome: 'skipped', reason: 'another attempt stored a result first' };
    return { outcome: 'trained', accuracy: result.accuracy, latencyMs: result.latencyMs, reward };
  } finally {
    await lock.release();
  }
}

/**
 * Returns true when the pool rejected because its process exited or the pool closed, as opposed
 * to a training error the process reported.
 */
function isTrainingProcessExit(error: unknown): boolean {
  if (!(error instanceof AkdError)) return false;
  // ProxyTaskPool (libs/proxy-task/src/pool.ts) rejects with UNAVAILABLE once closed, and with
  // INTERNAL "Worker process <pid> exited (...) while training." when a process dies.
  return error.code === 'UNAVAILABLE' || /^Worker process \d+ exited/.test(error.message);
}

/** Marks a training candidate failed with `message`; a candidate that settled meanwhile keeps its status. */
async function failCandidate(ctx: WorkerContext, candidateId: string, message: string): Promise<void> {
  await ctx.prisma.candidate.updateMany({
    where: { id: candidateId, status: { in: ['pending', 'training'] } },
    data: { status: 'failed', error: message, finishedAt: new Date() },
  });
}

/**
 * Puts a claimed candidate back to pending and takes back its attempt, when training did not
 * start or this worker's shutdown cut it short: only crashes count as attempts.
 */
async function releaseCandidate(ctx: WorkerContext, candidateId: string): Promise<void> {
  await ctx.prisma.candidate
    .updateMany({
      where: { id: candidateId, status: 'training', attempts: { gt: 0 } },
      data: { status: 'pending', attempts: { decrement: 1 }, startedAt: null, host: null },
    })
    .catch(() => undefined);
}

/**
 * Runs a write that must not be lost, retrying it for up to about five minutes while Postgres is
 * unreachable: losing it would mean training the candidate again.
 */
async function withDatabaseRetry<T>(log: Logger, action: string, write: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 5 * 60_000;
  const result = await retryWithBackoff(action, write, {
    initialDelayMs: 500,
    maxDelayMs: 10_000,
    isRetryable: (error) => isTransientDatabaseError(error) && Date.now() < deadline,
    log,
  });
  return result as T;
}
