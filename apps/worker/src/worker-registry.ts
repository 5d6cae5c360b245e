import { Logger } from '@akd/core';
import { Prisma, type PrismaClient } from '@akd/db';
import {
  isQueueName,
  type JobQueue,
  type QueueName,
  type RunningJob,
  type WorkerCurrentJob,
  type WorkerJobRecord,
} from '@akd/jobs';
import { RepeatedFailureLog } from './backoff.js';

/** Identity of a worker process, as stored in its row. */
export interface WorkerIdentity {
  host: string;
  pid: number;
  /** TensorFlow.js backend of the worker, from `initBackend`. */
  backend: string;
}

/** Timing of {@link WorkerRegistry}. */
export interface RegistryTiming {
  heartbeatMs: number;
  /** Heartbeat age after which a worker counts as dead; 0 turns reaping off. */
  staleMs: number;
}

/**
 * The `workers` row of this process: created at start, updated with a heartbeat and the running
 * jobs (`current_job`, a {@link WorkerCurrentJob}), deleted at a clean stop. It also reaps other
 * workers whose heartbeat is older than `staleMs`: their row is deleted and their running jobs
 * are failed, so pg-boss retries them without waiting for the jobs' expiry.
 */
export class WorkerRegistry {
  private workerId: string | null = null;
  private readonly running = new Map<string, WorkerJobRecord>();
  private timer: NodeJS.Timeout | null = null;
  private beats = 0;
  private writes: Promise<void> = Promise.resolve();
  private readonly heartbeatFailures: RepeatedFailureLog;
  private readonly log = new Logger('WorkerRegistry');

  constructor(
    private readonly prisma: PrismaClient,
    private readonly queue: JobQueue,
    private readonly identity: WorkerIdentity,
    private readonly timing: RegistryTiming,
  ) {
    this.heartbeatFailures = new RepeatedFailureLog(this.log, 'Cannot write the worker heartbeat; retrying');
  }

  /** Id of the worker row, once registered. */
  get id(): string | null {
    return this.workerId;
  }

  /** Creates the worker row and returns its id. */
  async register(): Promise<string> {
    const now = new Date();
    const row = await this.prisma.worker.create({
      data: { ...this.identity, startedAt: now, heartbeatAt: now },
    });
    this.workerId = row.id;
    this.log.info('Worker registered', { workerId: row.id, ...this.identity });
    return row.id;
  }

  /** Starts the heartbeat timer; reaping runs about twice per stale interval. */
  start(): void {
    const reapEvery = Math.max(1, Math.round(this.timing.staleMs / 2 / this.timing.heartbeatMs));
    this.timer = setInterval(() => {
      this.beats++;
      void this.write();
      if (this.timing.staleMs > 0 && this.beats % reapEvery === 0) void this.reapQuietly();
    }, this.timing.heartbeatMs);
  }

  /** Records a job that started on this worker and writes the row at once. */
  jobStarted(job: RunningJob): void {
    this.running.set(job.jobId, {
      kind: job.queue,
      id: job.rowId,
      jobId: job.jobId,
      startedAt: job.startedAt.toISOString(),
    });
    void this.write();
  }

  /** Records the end of a job and writes the row at once. */
  jobEnded(job: RunningJob): void {
    this.running.delete(job.jobId);
    void this.write();
  }

  /**
   * Deletes the rows of workers without a heartbeat for `staleMs` and fails their running jobs.
   * Each dead worker is handled by the one live worker whose delete wins. Returns the number of
   * workers reaped.
   */
  async reap(): Promise<number> {
    if (this.timing.staleMs <= 0) return 0;
    const threshold = new Date(Date.now() - this.timing.staleMs);
    const stale = await this.prisma.worker.findMany({
      where: { heartbeatAt: { lt: threshold }, ...(this.workerId ? { id: { not: this.workerId } } : {}) },
    });
    let reaped = 0;
    for (const worker of stale) {
      const deleted = await this.prisma.worker.deleteMany({
        where: { id: worker.id, heartbeatAt: { lt: threshold } },
      });
      if (deleted.count !== 1) continue;
      reaped++;
      const message = `Worker ${worker.id} on ${worker.host} (pid ${worker.pid}) stopped sending heartbeats.`;
      const failed: string[] = [];
      for (const [queue, jobIds] of jobsByQueue(worker.currentJob)) {
        failed.push(...(await this.queue.failRunningJobs(queue, jobIds, message)));
      }
      this.log.warn('Reaped a worker that stopped sending heartbeats; its running jobs will be retried', {
        workerId: worker.id,
        host: worker.host,
        pid: worker.pid,
        lastHeartbeat: worker.heartbeatAt.toISOString(),
        failedJobIds: failed,
      });
    }
    return reaped;
  }

  /** Stops the heartbeat and deletes the worker row. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.writes;
    if (!this.workerId) return;
    try {
      await this.prisma.worker.deleteMany({ where: { id: this.workerId } });
    } catch (error) {
      this.log.warn('Cannot delete the worker row; another worker will reap it', {
        workerId: this.workerId,
        error,
      });
    }
  }

  private currentJob(): WorkerCurrentJob | null {
    const running = [...this.running.values()];
    if (running.length === 0) return null;
    return { ...running[running.length - 1], running };
  }

  /** Writes the heartbeat and the running jobs; writes run one after the other, in call order. */
  private write(): Promise<void> {
    this.writes = this.writes.then(async () => {
      if (!this.workerId) return;
      const job = this.currentJob();
      const currentJob = job ? (job as unknown as Prisma.InputJsonObject) : Prisma.DbNull;
      const now = new Date();
      try {
        // An upsert re-creates the row when a worker reaped this one during a database outage.
        await this.prisma.worker.upsert({
          where: { id: this.workerId },
          update: { heartbeatAt: now, currentJob },
          create: {
            id: this.workerId,
            ...this.identity,
            heartbeatAt: now,
            currentJob,
          },
        });
        this.heartbeatFailures.succeeded('Worker heartbeat restored', { workerId: this.workerId });
      } catch (error) {
        this.heartbeatFailures.failed(error, { workerId: this.workerId });
      }
    });
    return this.writes;
  }

  private async reapQuietly(): Promise<void> {
    try {
      await this.reap();
    } catch (error) {
      this.log.warn('Cannot reap stale workers; trying again later', { error });
    }
  }
}

/** Groups the running jobs recorded in a worker's `current_job` by queue. */
function jobsByQueue(value: Prisma.JsonValue | null): Map<QueueName, string[]> {
  const groups = new Map<QueueName, string[]>();
  const running = (value as Partial<WorkerCurrentJob> | null)?.running;
  if (!Array.isArray(running)) return groups;
  for (const job of running) {
    if (!job || typeof job.jobId !== 'string' || !isQueueName(job.kind)) continue;
    groups.set(job.kind, [...(groups.get(job.kind) ?? []), job.jobId]);
  }
  return groups;
}
