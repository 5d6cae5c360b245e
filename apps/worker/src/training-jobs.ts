import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AkdError, Logger } from '@akd/core';
import { PermanentJobError, type JobOutcome, type JobPayloads, type RunningJob } from '@akd/jobs';
import type { WorkerContext } from './context.js';
import type { TrainingReply, TrainingRequest } from './training-protocol.js';

const TRAINING_PROCESS_PATH = fileURLToPath(new URL('./training-process.ts', import.meta.url));

/** Runs a teacher job: trains a zoo teacher row, or evaluates an ensemble row, in a training process. */
export async function runTeacherJob(
  ctx: WorkerContext,
  payload: JobPayloads['teacher'],
  job: RunningJob<'teacher'>,
): Promise<JobOutcome> {
  const exists = await ctx.prisma.teacher.findUnique({
    where: { id: payload.teacherId },
    select: { id: true },
  });
  if (!exists)
    throw new AkdError('NOT_FOUND', `Teacher ${payload.teacherId} does not exist.`, {
      teacherId: payload.teacherId,
    });
  return runTrainingJob(ctx, { kind: 'teacher', rowId: payload.teacherId }, job);
}

/** Runs a final-model job: trains a TrainedModel row's candidate to completion in a training process. */
export async function runFinalModelJob(
  ctx: WorkerContext,
  payload: JobPayloads['final-model'],
  job: RunningJob<'final-model'>,
): Promise<JobOutcome> {
  const { trainedModelId } = payload;
  const exists = await ctx.prisma.trainedModel.findUnique({
    where: { id: trainedModelId },
    select: { id: true },
  });
  if (!exists)
    throw new AkdError('NOT_FOUND', `Trained model ${trainedModelId} does not exist.`, { trainedModelId });
  return runTrainingJob(ctx, { kind: 'final-model', rowId: trainedModelId }, job);
}

/**
 * Takes the row lock (a job delivered twice runs once), then runs the job in a new training
 * process. A failure that the process recorded on the row is permanent. A process that exits
 * without a reply (a crash, or the worker stopping) fails only this attempt, so pg-boss retries it.
 */
export async function runTrainingJob(
  ctx: WorkerContext,
  request: TrainingRequest,
  job: RunningJob,
): Promise<JobOutcome> {
  const log = new Logger('TrainingJob', { kind: request.kind, rowId: request.rowId, jobId: job.jobId });
  const lock = await ctx.locks.tryAcquire(request.kind, request.rowId);
  if (!lock) return { outcome: 'skipped', reason: `another worker is running this ${request.kind} job` };
  try {
    const reply = await runInTrainingProcess(ctx, request, log);
    if (reply.type === 'done') return reply.outcome;
    const error = new AkdError(reply.code, reply.message);
    throw reply.permanent ? new PermanentJobError(reply.message, { cause: error }) : error;
  } finally {
    await lock.release();
  }
}

function runInTrainingProcess(
  ctx: WorkerContext,
  request: TrainingRequest,
  log: Logger,
): Promise<TrainingReply> {
  return new Promise((resolve, reject) => {
    const child = fork(TRAINING_PROCESS_PATH, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, DATABASE_URL: ctx.databaseUrl },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    ctx.trainingProcesses.add(child);
    let reply: TrainingReply | null = null;
    child.on('message', (message: TrainingReply) => {
      reply = message;
    });
    child.on('error', (error) => log.error('Training process error', { pid: child.pid, error }));
    child.on('exit', (code, signal) => {
      ctx.trainingProcesses.delete(child);
      if (reply) return resolve(reply);
      reject(
        new AkdError(
          'INTERNAL',
          `Training process ${child.pid} exited (code ${code}, signal ${signal}) before reporting a result.`,
        ),
      );
    });
    log.info('Training process started', { pid: child.pid });
    child.send(request);
  });
}
