// Training process of a worker: runs one teacher, final-model or study-cell job (similarity and
// full-mode training cells), replies, and exits. Long
// trainings run here, outside the worker's event loop, so heartbeats and polling go on meanwhile.
import { AkdError, Logger } from '@akd/core';
import { createPrismaClient, type PrismaClient } from '@akd/db';
import { initBackend } from '@akd/engine';
import { isPermanentJobError, isTransientDatabaseError, type JobOutcome } from '@akd/jobs';
import { runStudyCell, trainFinalModel, trainTeacherRow, type StudyCellContext } from '@akd/runner';
import type { TrainingReply, TrainingRequest } from './training-protocol.js';

const log = new Logger('TrainingProcess', { pid: process.pid });

async function run(prisma: PrismaClient, request: TrainingRequest): Promise<JobOutcome> {
  await initBackend();
  if (request.kind === 'teacher') {
    const { outcome, teacher } = await trainTeacherRow(prisma, request.rowId);
    return { outcome, status: teacher.status, testTop1: teacher.testAccuracy };
  }
  if (request.kind === 'study-cell')
    return { ...(await runStudyCell(fullTrainingContext(prisma, request), request.rowId)) };
  const { outcome, trainedModel } = await trainFinalModel(prisma, request.rowId);
  return {
    outcome,
    status: trainedModel.status,
    testTop1: trainedModel.testTop1,
    artifactDir: trainedModel.artifactDir,
  };
}

/**
 * Returns the context of a study cell run here. It has no proxy pool and launches no searches,
 * because only similarity cells and full-mode training cells come here.
 */
function fullTrainingContext(prisma: PrismaClient, request: TrainingRequest): StudyCellContext {
  const unavailable = (): Promise<never> =>
    Promise.reject(
      new AkdError('INVALID_INPUT', 'A training process runs only similarity and full-mode training cells.'),
    );
  return {
    prisma,
    evaluator: { evaluate: unavailable },
    launcher: { startSearch: unavailable, startFinalTraining: unavailable },
    maxAttempts: request.maxAttempts ?? 1,
  };
}

/** True when the job recorded the failure on its row, so a retry would only repeat it. */
async function failureRecorded(prisma: PrismaClient, request: TrainingRequest): Promise<boolean> {
  const where = { where: { id: request.rowId }, select: { status: true } };
  let row: { status: string } | null;
  if (request.kind === 'teacher') row = await prisma.teacher.findUnique(where);
  else if (request.kind === 'study-cell') row = await prisma.studyCell.findUnique(where);
  else row = await prisma.trainedModel.findUnique(where);
  return row?.status === 'failed';
}

async function handle(request: TrainingRequest): Promise<TrainingReply> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    return {
      type: 'error',
      code: 'INTERNAL',
      message: 'The training process got no DATABASE_URL.',
      permanent: false,
    };
  }
  const prisma = createPrismaClient(url, { maxConnections: 2 });
  try {
    return { type: 'done', outcome: await run(prisma, request) };
  } catch (error) {
    log.warn('Training job failed', { kind: request.kind, rowId: request.rowId, error });
    const permanent =
      isPermanentJobError(error) ||
      (!isTransientDatabaseError(error) && (await failureRecorded(prisma, request).catch(() => false)));
    return {
      type: 'error',
      code: error instanceof AkdError ? error.code : 'INTERNAL',
      message: (error as Error).message,
      permanent,
    };
  } finally {
    await prisma.$disconnect().catch(() => undefined);
  }
}

process.once('message', (request: TrainingRequest) => {
  void handle(request).then((reply) => process.send?.(reply, () => process.exit(0)));
});
process.on('disconnect', () => process.exit(0));
