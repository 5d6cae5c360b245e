// Training process of a worker: runs one teacher or final-model job, replies, and exits. Long
// trainings run here, outside the worker's event loop, so heartbeats and polling go on meanwhile.
import { AkdError, Logger } from '@akd/core';
import { createPrismaClient, type PrismaClient } from '@akd/db';
import { initBackend } from '@akd/engine';
import { isPermanentJobError, isTransientDatabaseError, type JobOutcome } from '@akd/jobs';
import { trainFinalModel, trainTeacherRow } from '@akd/runner';
import type { TrainingReply, TrainingRequest } from './training-protocol.js';

const log = new Logger('TrainingProcess', { pid: process.pid });

async function run(prisma: PrismaClient, request: TrainingRequest): Promise<JobOutcome> {
  await initBackend();
  if (request.kind === 'teacher') {
    const { outcome, teacher } = await trainTeacherRow(prisma, request.rowId);
    return { outcome, status: teacher.status, testTop1: teacher.testAccuracy };
  }
  const { outcome, trainedModel } = await trainFinalModel(prisma, request.rowId);
  return {
    outcome,
    status: trainedModel.status,
    testTop1: trainedModel.testTop1,
    artifactDir: trainedModel.artifactDir,
  };
}

/** True when the job recorded the failure on its row, so a retry would only repeat it. */
async function failureRecorded(prisma: PrismaClient, request: TrainingRequest): Promise<boolean> {
  const row =
    request.kind === 'teacher'
      ? await prisma.teacher.findUnique({ where: { id: request.rowId }, select: { status: true } })
      : await prisma.trainedModel.findUnique({ where: { id: request.rowId }, select: { status: true } });
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
