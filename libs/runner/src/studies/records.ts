// Reading, recording and refreshing studies in Postgres.
import { AkdError, Logger } from '@akd/core';
import { fromEnumKey, toEnumKey, type Prisma, type PrismaClient, type Study, type StudyCell } from '@akd/db';
import { countCells, studyStatusFromCells, type CellRecord } from './cell-summary.js';
import { isUuid } from './inputs.js';
import { assembleStudyResult } from './results.js';
import type {
  ListStudiesOptions,
  StudyCellConfig,
  StudyCellCounts,
  StudyCellResult,
  StudyCellView,
  StudyConfig,
  StudyKindName,
  StudyQueue,
  StudyResult,
  StudyStatusName,
  StudyView,
} from './types.js';

const log = new Logger('studies');

/** A cell to record with a new study. */
export interface NewStudyCell {
  key: string;
  config: StudyCellConfig;
}

/** The configuration and cells of a new study. */
export interface StudyContent {
  config: StudyConfig;
  cells: NewStudyCell[];
}

/** New study that {@link recordStudy} writes. */
export interface NewStudy {
  kind: StudyKindName;
  name: string;
  datasetId: string;
  /**
   * The configuration and cells, or a function that writes rows the study refers to (such as the
   * searches of an ablation) in the study's transaction and returns them.
   */
  content: StudyContent | ((tx: Prisma.TransactionClient) => Promise<StudyContent>);
  /** Runs after the commit and before the cells are enqueued, when a queue is given. */
  afterCommit?: (queue: StudyQueue, content: StudyContent) => Promise<void>;
}

/**
 * Records the study and its cells in one transaction, then enqueues every cell when `queue` is
 * given. When the queue rejects a job, the study is deleted again (its cells with it) and
 * UNAVAILABLE is thrown. With a null queue the caller runs the cells, for example through
 * `runStudyLocally`.
 */
export async function recordStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  study: NewStudy,
): Promise<StudyView> {
  const { row, content } = await prisma.$transaction(async (tx) => {
    const content = typeof study.content === 'function' ? await study.content(tx) : study.content;
    const created = await tx.study.create({
      data: {
        kind: toEnumKey(study.kind),
        name: study.name,
        datasetId: study.datasetId,
        config: content.config as unknown as object,
        status: 'pending',
      },
    });
    await tx.studyCell.createMany({
      data: content.cells.map((cell) => ({
        studyId: created.id,
        key: cell.key,
        config: cell.config as unknown as object,
      })),
    });
    return { row: created, content };
  });

  if (queue) {
    try {
      await study.afterCommit?.(queue, content);
    } catch (error) {
      log.error('could not queue the work of a new study', { studyId: row.id, error });
      await prisma.study.delete({ where: { id: row.id } }).catch(() => undefined);
      throw new AkdError(
        'UNAVAILABLE',
        'The job queue is unavailable, so the study was not created. Try again later.',
        { studyId: row.id },
        { cause: error },
      );
    }
    await enqueueCells(prisma, queue, row.id, 'all');
  }
  log.info('study created', { studyId: row.id, kind: study.kind, cells: content.cells.length });
  return refreshStudyResult(prisma, row.id);
}

/**
 * Enqueues the pending cells of a study (`all` on creation). On a queue failure a new study is
 * deleted and UNAVAILABLE is thrown.
 */
async function enqueueCells(
  prisma: PrismaClient,
  queue: StudyQueue,
  studyId: string,
  which: 'all' | 'pending',
): Promise<number> {
  const cells = await prisma.studyCell.findMany({
    where: { studyId, ...(which === 'pending' ? { status: 'pending' } : {}) },
    select: { id: true },
    orderBy: { key: 'asc' },
  });
  try {
    for (const cell of cells) await queue.enqueueStudyCell(cell.id);
  } catch (error) {
    log.error('could not queue the study cells', { studyId, error });
    if (which === 'all') await prisma.study.delete({ where: { id: studyId } }).catch(() => undefined);
    throw new AkdError(
      'UNAVAILABLE',
      which === 'all'
        ? 'The job queue is unavailable, so the study was not created. Try again later.'
        : 'The job queue is unavailable, so the study cells were not queued. Try again later.',
      { studyId },
      { cause: error },
    );
  }
  return cells.length;
}

/** Decodes a StudyCell row. */
export function toCellRecord(cell: StudyCell): CellRecord {
  return {
    id: cell.id,
    key: cell.key,
    status: cell.status,
    attempts: cell.attempts,
    config: cell.config as unknown as StudyCellConfig,
    result: (cell.result ?? null) as unknown as StudyCellResult | null,
    error: cell.error,
  };
}

/** Returns the study's cells, decoded, in key order. */
export async function listStudyCells(prisma: PrismaClient, studyId: string): Promise<StudyCellView[]> {
  const cells = await prisma.studyCell.findMany({ where: { studyId }, orderBy: { key: 'asc' } });
  return cells.map((cell) => ({ ...toCellRecord(cell), updatedAt: cell.updatedAt }));
}

function toView(study: Study, cells: StudyCellCounts): StudyView {
  return {
    id: study.id,
    kind: fromEnumKey(study.kind) as StudyKindName,
    name: study.name,
    datasetId: study.datasetId,
    status: study.status,
    config: study.config as unknown as StudyConfig,
    result: (study.result ?? null) as unknown as StudyResult | null,
    cells,
    createdAt: study.createdAt,
    updatedAt: study.updatedAt,
  };
}

/** Returns the study `id` with its configuration, result and cell counts, or null if it does not exist. */
export async function getStudy(prisma: PrismaClient, id: string): Promise<StudyView | null> {
  if (!isUuid(id)) return null;
  const study = await prisma.study.findUnique({ where: { id }, include: { cells: true } });
  if (!study) return null;
  return toView(study, countCells(study.cells));
}

/** Returns the study `id`; throws NOT_FOUND naming the id when it does not exist. */
export async function requireStudy(prisma: PrismaClient, id: string): Promise<StudyView> {
  const study = await getStudy(prisma, id);
  if (!study) throw new AkdError('NOT_FOUND', `Study ${id} does not exist.`, { studyId: id });
  return study;
}

/** Returns studies newest first, filtered by `options`. */
export async function listStudies(
  prisma: PrismaClient,
  options: ListStudiesOptions = {},
): Promise<StudyView[]> {
  const limit = options.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new AkdError('INVALID_INPUT', `Invalid limit ${limit}: use a whole number from 1 to 1000.`);
  }
  const rows = await prisma.study.findMany({
    where: {
      ...(options.kind ? { kind: toEnumKey(options.kind) } : {}),
      ...(options.datasetId ? { datasetId: options.datasetId } : {}),
      ...(options.status ? { status: options.status } : {}),
    },
    include: { cells: { select: { status: true } } },
    orderBy: { createdAt: 'desc' },
    take: limit,
  });
  return rows.map((row) => toView(row, countCells(row.cells)));
}

/**
 * Assembles the study's result from its cells and stores it with the status the cells imply
 * (see `studyStatusFromCells`); a cancelled study keeps its status. Cells call it whenever they
 * finish, so the stored result is always current. Returns the refreshed study.
 *
 * The study row is locked while its cells are read and the result is written. So when two cells
 * finish at once, the refresh that writes last has read both cells, and no result misses a cell.
 */
export async function refreshStudyResult(prisma: PrismaClient, studyId: string): Promise<StudyView> {
  if (!isUuid(studyId)) throw new AkdError('NOT_FOUND', `Study ${studyId} does not exist.`, { studyId });
  const { updated, previous, counts } = await prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM studies WHERE id = ${studyId}::uuid FOR UPDATE`;
    const study = await tx.study.findUnique({ where: { id: studyId }, include: { cells: true } });
    if (!study) throw new AkdError('NOT_FOUND', `Study ${studyId} does not exist.`, { studyId });
    const cells = study.cells.map(toCellRecord);
    const result = assembleStudyResult(study.config as unknown as StudyConfig, cells);
    const status: StudyStatusName = study.status === 'cancelled' ? 'cancelled' : studyStatusFromCells(cells);
    const row = await tx.study.update({
      where: { id: studyId },
      data: { result: result as unknown as object, status },
    });
    return { updated: row, previous: study.status, counts: countCells(cells) };
  });
  if (updated.status !== previous) {
    log.info('study status changed', { studyId, from: previous, to: updated.status });
  }
  return toView(updated, counts);
}

/**
 * Cancels a study: its pending cells become cancelled and running ones finish but are not
 * retried. Throws NOT_FOUND for an unknown id and CONFLICT for a completed study.
 */
export async function cancelStudy(prisma: PrismaClient, studyId: string): Promise<StudyView> {
  const study = await requireStudy(prisma, studyId);
  if (study.status === 'completed') {
    throw new AkdError('CONFLICT', `Study ${studyId} is completed; there is nothing to cancel.`, { studyId });
  }
  await prisma.$transaction([
    prisma.studyCell.updateMany({ where: { studyId, status: 'pending' }, data: { status: 'cancelled' } }),
    prisma.study.update({ where: { id: studyId }, data: { status: 'cancelled' } }),
  ]);
  return refreshStudyResult(prisma, studyId);
}

/** Options of {@link resumeStudy}. */
export interface ResumeStudyOptions {
  /** Also reset failed and cancelled cells to pending with no attempts, so they run again. Default true. */
  retryFailed?: boolean;
}

/**
 * Runs a study again: failed and cancelled cells (with `retryFailed`) go back to pending, the
 * study leaves the cancelled status, and every pending cell is enqueued when `queue` is given.
 * Completed cells keep their results. Returns the refreshed study.
 */
export async function resumeStudy(
  prisma: PrismaClient,
  queue: StudyQueue | null,
  studyId: string,
  options: ResumeStudyOptions = {},
): Promise<StudyView> {
  await requireStudy(prisma, studyId);
  await prisma.$transaction(async (tx) => {
    if (options.retryFailed ?? true) {
      await tx.studyCell.updateMany({
        where: { studyId, status: { in: ['failed', 'cancelled'] } },
        data: { status: 'pending', attempts: 0 },
      });
    }
    await tx.study.update({ where: { id: studyId }, data: { status: 'pending' } });
  });
  if (queue) await enqueueCells(prisma, queue, studyId, 'pending');
  return refreshStudyResult(prisma, studyId);
}
