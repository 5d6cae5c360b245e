import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { AkdError, Logger } from '@akd/core';
import { openDatabase, type Database } from '@akd/db';
import { initBackend } from '@akd/engine';
import {
  isTransientDatabaseError,
  openQueue,
  type JobHandler,
  type JobQueue,
  type QueueName,
  type RunningJob,
} from '@akd/jobs';
import { ProxyTaskPool } from '@akd/proxy-task';
import { retryWithBackoff, sleepUnlessAborted } from './backoff.js';
import { runCandidateJob } from './candidate-job.js';
import type { WorkerConfig } from './config.js';
import type { WorkerContext } from './context.js';
import { DatasetCache } from './dataset-cache.js';
import { RowLocks } from './row-locks.js';
import { runSearchStep } from './search-step.js';
import { runStudyCellJob } from './study-cell-job.js';
import { runFinalModelJob, runTeacherJob } from './training-jobs.js';
import { WorkerRegistry } from './worker-registry.js';

/** Time given to handlers to record their end after the pool and training processes are stopped. */
const SETTLE_AFTER_RELEASE_MS = 5_000;

/**
 * One worker process: connects to Postgres (retrying while it is unreachable), registers a
 * `workers` row with a heartbeat, and runs the five queues. {@link stop} stops it gracefully.
 */
export class JobWorker {
  private readonly log = new Logger('Worker', { pid: process.pid });
  private readonly stopping = new AbortController();
  private readonly trainingProcesses = new Set<ChildProcess>();
  private readonly runningHandlers = new Set<Promise<unknown>>();
  private starting: Promise<boolean> | null = null;
  private stopped: Promise<void> | null = null;
  private db: Database | null = null;
  private queue: JobQueue | null = null;
  private locks: RowLocks | null = null;
  private pool: ProxyTaskPool | null = null;
  private registry: WorkerRegistry | null = null;

  constructor(private readonly config: WorkerConfig) {}

  /** Id of the worker row, once registered. */
  get workerId(): string | null {
    return this.registry?.id ?? null;
  }

  /**
   * Connects, registers and starts working the queues. Resolves true once the worker runs, or
   * false when {@link stop} was called first. Errors other than an unreachable database (an
   * invalid URL, a failed migration) are thrown.
   */
  start(): Promise<boolean> {
    this.starting ??= this.connectAndWork();
    return this.starting;
  }

  /**
   * Stops the worker: search steps stop at once (each enqueues its next step), the queues stop
   * fetching, running jobs get `shutdownGraceSeconds` to finish, and jobs still running then are
   * failed so that pg-boss retries them elsewhere. Then the training processes end, the worker
   * row is deleted and the connections close. Safe to call twice; resolves when done.
   */
  stop(): Promise<void> {
    this.stopped ??= this.shutDown();
    return this.stopped;
  }

  private async connectAndWork(): Promise<boolean> {
    const signal = this.stopping.signal;
    const retry = <T>(action: string, attempt: () => Promise<T>): Promise<T | null> =>
      retryWithBackoff(action, attempt, {
        initialDelayMs: 500,
        maxDelayMs: this.config.connectRetryMaxSeconds * 1000,
        signal,
        isRetryable: (error) =>
          isTransientDatabaseError(error) || (error instanceof AkdError && error.code === 'UNAVAILABLE'),
        log: this.log,
      });

    const backend = await initBackend();
    this.db = await retry('open the database', () =>
      openDatabase({ url: this.config.databaseUrl, logger: new Logger('db') }),
    );
    if (!this.db) return false;
    const db = this.db;
    this.queue = await retry('start the job queue', () => openQueue(db.url, this.config.queue));
    if (!this.queue) return false;
    this.registry = new WorkerRegistry(
      db.prisma,
      this.queue,
      { host: hostname(), pid: process.pid, backend: backend.name },
      {
        heartbeatMs: this.config.heartbeatSeconds * 1000,
        staleMs: this.config.staleWorkerSeconds * 1000,
      },
    );
    const registry = this.registry;
    if ((await retry('register the worker', () => registry.register())) === null) return false;

    this.locks = new RowLocks(db.url, new Logger('RowLocks'));
    this.pool = new ProxyTaskPool({ processes: this.config.poolSize });
    const ctx: WorkerContext = {
      prisma: db.prisma,
      databaseUrl: db.url,
      queue: this.queue,
      locks: this.locks,
      pool: this.pool,
      datasets: new DatasetCache(),
      config: this.config,
      host: hostname(),
      stopping: signal,
      trainingProcesses: this.trainingProcesses,
    };
    await this.work('search-step', this.config.searchConcurrency, (payload, job) =>
      runSearchStep(ctx, payload, job),
    );
    await this.work('candidate', this.config.poolSize, (payload, job) => runCandidateJob(ctx, payload, job));
    await this.work('teacher', this.config.teacherConcurrency, (payload, job) =>
      runTeacherJob(ctx, payload, job),
    );
    await this.work('final-model', this.config.finalModelConcurrency, (payload, job) =>
      runFinalModelJob(ctx, payload, job),
    );
    await this.work('study-cell', this.config.studyCellConcurrency, (payload, job) =>
      runStudyCellJob(ctx, payload, job),
    );
    registry.start();
    // A worker that stopped without deleting its row is reaped now rather than after a full interval.
    void registry.reap().catch((error: unknown) => this.log.warn('Cannot reap stale workers', { error }));
    this.log.info('Worker started', {
      workerId: registry.id,
      host: hostname(),
      backend: backend.name,
      poolSize: this.config.poolSize,
      searchConcurrency: this.config.searchConcurrency,
    });
    return true;
  }

  private async work<Q extends QueueName>(
    queue: Q,
    concurrency: number,
    handler: JobHandler<Q>,
  ): Promise<void> {
    const registry = this.registry as WorkerRegistry;
    await (this.queue as JobQueue).work(
      queue,
      {
        concurrency,
        onStart: (job: RunningJob) => registry.jobStarted(job),
        onEnd: (job: RunningJob) => registry.jobEnded(job),
      },
      (payload, job) => {
        const running = handler(payload, job);
        this.runningHandlers.add(running);
        void running.catch(() => undefined).finally(() => this.runningHandlers.delete(running));
        return running;
      },
    );
  }

  private async shutDown(): Promise<void> {
    this.log.info('Worker stopping', { graceSeconds: this.config.shutdownGraceSeconds });
    this.stopping.abort();
    await this.starting?.catch(() => false);

    await this.queue?.stop({ graceSeconds: this.config.shutdownGraceSeconds }).catch((error: unknown) => {
      this.log.warn('Cannot stop the job queue cleanly', { error });
    });
    for (const child of this.trainingProcesses) child.kill('SIGTERM');
    await this.pool?.close();
    if (this.runningHandlers.size > 0) {
      // Handlers whose training was cut short put their rows back (a candidate returns to pending).
      const settled = Promise.allSettled([...this.runningHandlers]);
      const timeout = sleepUnlessAborted(SETTLE_AFTER_RELEASE_MS);
      await Promise.race([settled, timeout]);
    }
    await this.registry?.stop();
    await this.locks?.close();
    await this.db
      ?.close()
      .catch((error: unknown) => this.log.warn('Cannot close the database cleanly', { error }));
    this.log.info('Worker stopped', { workerId: this.workerId });
  }
}
