// Runs one study cell: claims it, does its work, records the result or the error, and refreshes
// the study's assembled result.
import { AkdError, Logger, type AkdErrorCode } from '@akd/core';
import type { Dataset, Study, StudyCell } from '@akd/db';
import { runAblationCell } from './ablation.js';
import { refreshStudyResult } from './records.js';
import { runSimilarityCell } from './similarity.js';
import { runTrainCell } from './training-cell.js';
import type {
  StudyCellConfig,
  StudyCellContext,
  StudyCellOutcome,
  StudyCellResult,
  StudyConfig,
} from './types.js';

const log = new Logger('studyCell');

/** Error codes a retry cannot fix: the input or the rows it names are wrong. */
const PERMANENT_CODES: ReadonlySet<AkdErrorCode> = new Set([
  'INVALID_INPUT',
  'INVALID_FILE',
  'NOT_FOUND',
  'CONFLICT',
]);

/** A dependency that is not finished: the cell runs again after `retryAfterSeconds`. */
export interface CellWaiting {
  waiting: string;
  retryAfterSeconds: number;
}

type CellRow = StudyCell & { study: Study & { dataset: Dataset } };

/**
 * Runs the study cell `cellId` once and returns what happened. It is idempotent by row: a
 * completed, failed or cancelled cell is skipped, and a cell of a cancelled study is cancelled.
 *
 * Every claim counts one attempt. A failure that a retry cannot fix (invalid input, a missing
 * row) fails the cell at once. Any other failure (a diverged loss, a crashed training process)
 * records the error and puts the cell back to pending while attempts are left (`retry`), and
 * fails it on the last attempt. A claim beyond `ctx.maxAttempts`, which happens only when the
 * last attempt ended without a result (a crashed worker), fails the cell. When `ctx.signal`
 * fired, the attempt is given back and the error is rethrown. An ablation cell whose search or
 * final training is not finished gives its attempt back and returns `waiting`.
 *
 * @throws AkdError NOT_FOUND when the cell does not exist.
 */
export async function runStudyCell(ctx: StudyCellContext, cellId: string): Promise<StudyCellOutcome> {
  const { prisma } = ctx;
  const cell = (await prisma.studyCell.findUnique({
    where: { id: cellId },
    include: { study: { include: { dataset: true } } },
  })) as CellRow | null;
  if (!cell) throw new AkdError('NOT_FOUND', `Study cell ${cellId} does not exist.`, { studyCellId: cellId });
  const studyId = cell.studyId;
  if (cell.status === 'completed' || cell.status === 'failed' || cell.status === 'cancelled') {
    return { outcome: 'skipped', studyId, cellId, reason: `the study cell is already ${cell.status}` };
  }
  if (cell.study.status === 'cancelled') {
    await prisma.studyCell.updateMany({
      where: { id: cellId, status: { in: ['pending', 'running'] } },
      data: { status: 'cancelled' },
    });
    await refreshStudyResult(prisma, studyId);
    return { outcome: 'skipped', studyId, cellId, reason: 'the study is cancelled' };
  }

  const claimed = await prisma.studyCell.updateMany({
    where: { id: cellId, status: { in: ['pending', 'running'] } },
    data: { status: 'running', attempts: { increment: 1 } },
  });
  if (claimed.count === 0) {
    return { outcome: 'skipped', studyId, cellId, reason: 'the cell settled meanwhile' };
  }
  const { attempts } = await prisma.studyCell.findUniqueOrThrow({
    where: { id: cellId },
    select: { attempts: true },
  });
  const cellLog = log.child({ studyId, cellId, key: cell.key, attempt: attempts });
  if (attempts > ctx.maxAttempts) {
    const error =
      `The cell used up its ${ctx.maxAttempts} attempts, the last of them ending without a result ` +
      '(a worker or training process crashed).' +
      (cell.error ? ` Last error: ${cell.error}` : '');
    return finish(ctx, cell, { outcome: 'failed', studyId, cellId, error, attempts });
  }
  await refreshStudyResult(prisma, studyId);

  let done: StudyCellResult | CellWaiting;
  try {
    cellLog.debug('study cell started');
    done = await execute(ctx, cell);
  } catch (error) {
    const message = (error as Error).message;
    if (ctx.signal?.aborted) {
      await giveBackAttempt(ctx, cellId, message);
      throw error;
    }
    const permanent = error instanceof AkdError && PERMANENT_CODES.has(error.code);
    cellLog.warn('study cell attempt failed', { error, permanent, maxAttempts: ctx.maxAttempts });
    if (permanent || attempts >= ctx.maxAttempts) {
      return finish(ctx, cell, { outcome: 'failed', studyId, cellId, error: message, attempts });
    }
    return finish(ctx, cell, { outcome: 'retry', studyId, cellId, error: message, attempts });
  }

  if ('waiting' in done) {
    await giveBackAttempt(ctx, cellId, null);
    cellLog.info('study cell waits for a dependency', { reason: done.waiting });
    return {
      outcome: 'waiting',
      studyId,
      cellId,
      reason: done.waiting,
      retryAfterSeconds: done.retryAfterSeconds,
    };
  }
  cellLog.debug('study cell completed');
  return finish(ctx, cell, { outcome: 'completed', studyId, cellId, result: done });
}

function execute(ctx: StudyCellContext, cell: CellRow): Promise<StudyCellResult | CellWaiting> {
  const config = cell.study.config as unknown as StudyConfig;
  const cellConfig = cell.config as unknown as StudyCellConfig;
  if (config?.kind === 'similarity' && cellConfig?.kind === 'similarity') {
    return runSimilarityCell(ctx, cell.studyId, config);
  }
  if ((config?.kind === 'ranking' || config?.kind === 'kd-friendliness') && cellConfig?.kind === 'train') {
    return runTrainCell(ctx, cell.study.dataset, config, cellConfig);
  }
  if (config?.kind === 'ablation' && cellConfig?.kind === 'ablation') {
    return runAblationCell(ctx, config, cellConfig);
  }
  const cellKind = typeof cellConfig?.kind === 'string' ? cellConfig.kind : 'missing';
  const studyKind = typeof config?.kind === 'string' ? config.kind : 'missing';
  return Promise.reject(
    new AkdError(
      'INVALID_INPUT',
      `Study cell ${cell.key} cannot run: its configuration kind (${cellKind}) does not fit the study's configuration kind (${studyKind}). Create the study again.`,
      { studyCellId: cell.id },
    ),
  );
}

/** Records the outcome on the cell, refreshes the study and returns the outcome. */
async function finish(
  ctx: StudyCellContext,
  cell: CellRow,
  outcome: Extract<StudyCellOutcome, { outcome: 'completed' | 'failed' | 'retry' }>,
): Promise<StudyCellOutcome> {
  const data =
    outcome.outcome === 'completed'
      ? { status: 'completed' as const, result: outcome.result as unknown as object, error: null }
      : {
          status: outcome.outcome === 'failed' ? ('failed' as const) : ('pending' as const),
          error: outcome.error,
        };
  const saved = await ctx.prisma.studyCell.updateMany({ where: { id: cell.id, status: 'running' }, data });
  if (saved.count === 0) {
    return {
      outcome: 'skipped',
      studyId: cell.studyId,
      cellId: cell.id,
      reason: 'another attempt settled the cell first',
    };
  }
  await refreshStudyResult(ctx.prisma, cell.studyId);
  return outcome;
}

/** Puts a running cell back to pending without counting the attempt; `error` replaces its error when given. */
async function giveBackAttempt(ctx: StudyCellContext, cellId: string, error: string | null): Promise<void> {
  await ctx.prisma.studyCell
    .updateMany({
      where: { id: cellId, status: 'running', attempts: { gt: 0 } },
      data: { status: 'pending', attempts: { decrement: 1 }, ...(error === null ? {} : { error }) },
    })
    .catch((writeError: unknown) =>
      log.warn('cannot put the study cell back to pending', { cellId, error: writeError }),
    );
}
