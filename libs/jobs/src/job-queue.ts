import { setTimeout as sleep } from 'node:timers/promises';
import PgBoss from 'pg-boss';
import { AkdError, Logger } from '@akd/core';
import { formatTarget } from '@akd/db';
import { isPermanentJobError, isTransientDatabaseError, PermanentJobError } from './errors.js';
import {
  QUEUE_NAMES,
  queueOptionsFromEnv,
  resolveQueueOptions,
  ROW_ID_FIELD,
  type JobPayloads,
  type JobSettings,
  type QueueName,
  type QueueOptions,
  type ResolvedQueueOptions,
} from './queues.js';

/** Postgres schema of the pg-boss tables, in the application's database. */
export const QUEUE_SCHEMA = 'pgboss';

/** Jobs of one queue that wait to start (`queued`, retries included) and that run (`active`). */
export interface QueueDepth {
  queued: number;
  active: number;
}

/** A running job, as passed to its handler. */
export interface RunningJob<Q extends QueueName = QueueName> {
  queue: Q;
  /** pg-boss job id; a retry keeps the id. */
  jobId: string;
  /** Id of the row the job works on, which is also its singleton key. */
  rowId: string;
  /** 1 on the first delivery, then one more per retry. */
  attempt: number;
  maxAttempts: number;
  /** Seconds after which pg-boss fails this attempt and retries it; see {@link JobSettings}. */
  expireInSeconds: number;
  startedAt: Date;
}

/** Options of {@link JobQueue.enqueue}. */
export interface EnqueueOptions {
  /** Seconds before the job may start; it starts at once when omitted or 0. */
  startAfterSeconds?: number;
}

/** Result of a handler, which pg-boss stores as the job's output. */
export interface JobOutcome {
  /** Short machine-readable result, such as `trained` or `skipped`. */
  outcome: string;
  /** Explanation of a skip or of what the job did, for people reading the job. */
  reason?: string;
  [field: string]: unknown;
}

/** Runs one job. Throw to fail the attempt: see {@link JobQueue.work} for which errors are retried. */
export type JobHandler<Q extends QueueName> = (
  payload: JobPayloads[Q],
  job: RunningJob<Q>,
) => Promise<JobOutcome>;

/** Options of {@link JobQueue.work}. */
export interface WorkOptions {
  /** Jobs of the queue this process runs at once. */
  concurrency: number;
  /** Called when a job starts, before the handler. */
  onStart?: (job: RunningJob) => void;
  /** Called when a job ends, however it ends. */
  onEnd?: (job: RunningJob) => void;
  /**
   * Maximum time to wait for Postgres after a handler failed because the database was
   * unreachable, so that pg-boss can record the failure and schedule the retry. Defaults to 60 s.
   */
  reconnectWaitMs?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Starts pg-boss in the database at `databaseUrl` (schema `pgboss`, created on first use) and
 * creates the five queues. `options` default to {@link queueOptionsFromEnv}.
 *
 * @throws AkdError UNAVAILABLE naming host, port and database when Postgres cannot be reached;
 *   INVALID_INPUT for invalid options.
 */
export async function openQueue(databaseUrl: string, options?: QueueOptions): Promise<JobQueue> {
  const resolved = resolveQueueOptions(options ?? queueOptionsFromEnv());
  const log = new Logger('JobQueue');
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: QUEUE_SCHEMA,
    application_name: 'akd-jobs',
    max: resolved.maxConnections,
    // AKD Studio schedules no cron jobs, and the scheduler would poll a queue of its own.
    schedule: false,
    supervise: true,
    migrate: true,
    maintenanceIntervalSeconds: resolved.maintenanceIntervalSeconds,
  });
  const errors = new ErrorReporter(log);
  // pg-boss emits pool and maintenance errors here; an EventEmitter without an 'error' listener
  // would throw them and end the process.
  boss.on('error', (error) => errors.report(error));
  try {
    await boss.start();
    for (const queue of QUEUE_NAMES) {
      const settings = resolved.jobs[queue];
      // 'short' keeps at most one queued (not yet started) job per singleton key.
      await boss.createQueue(queue, { name: queue, policy: 'short', ...toPgBossSettings(settings) });
    }
  } catch (error) {
    await boss.stop({ graceful: false }).catch(() => undefined);
    throw new AkdError(
      'UNAVAILABLE',
      `Cannot start the job queue in Postgres at ${describeTarget(databaseUrl)}: ${(error as Error).message}. ` +
        'Check that the server is running and that the user may create the pgboss schema.',
      { target: describeTarget(databaseUrl) },
      { cause: error },
    );
  }
  log.info('Job queue started', { target: describeTarget(databaseUrl), schema: QUEUE_SCHEMA });
  return new JobQueue(boss, resolved, log);
}

/**
 * The job queues of AKD Studio on pg-boss 10. Senders (the API, a search step) call the
 * `enqueue*` methods and workers call {@link work}.
 *
 * Each job's payload carries one row id, which is also its singleton key, and every queue has
 * the pg-boss policy `short`: while a job for a row waits to start, enqueueing the row again
 * returns null. A job for a row that is already running does not block a new one, so handlers
 * are idempotent by row: they check the row's status and take a row lock before working.
 */
export class JobQueue {
  /** Settings every job is sent with, per queue. */
  readonly settings: Readonly<Record<QueueName, Readonly<JobSettings>>>;
  readonly pollingIntervalSeconds: number;
  private stopped = false;
  private stopping: Promise<void> | null = null;

  /** Use {@link openQueue}. */
  constructor(
    private readonly boss: PgBoss,
    options: ResolvedQueueOptions,
    private readonly log: Logger,
  ) {
    this.settings = options.jobs;
    this.pollingIntervalSeconds = options.pollingIntervalSeconds;
  }

  /** Enqueues a search step of an experiment; returns the job id, or null when one is already queued. */
  enqueueSearch(experimentId: string): Promise<string | null> {
    return this.enqueue('search-step', { experimentId });
  }

  /** Enqueues the proxy training of a candidate; returns the job id, or null when one is already queued. */
  enqueueCandidate(candidateId: string): Promise<string | null> {
    return this.enqueue('candidate', { candidateId });
  }

  /** Enqueues the training of a zoo teacher row; returns the job id, or null when one is already queued. */
  enqueueTeacherTraining(teacherId: string): Promise<string | null> {
    return this.enqueue('teacher', { teacherId });
  }

  /** Enqueues the final training of a TrainedModel row; returns the job id, or null when one is already queued. */
  enqueueFinalTraining(trainedModelId: string): Promise<string | null> {
    return this.enqueue('final-model', { trainedModelId });
  }

  /**
   * Enqueues one study cell, to start after `options.startAfterSeconds` when given. A cell that
   * waits for a search re-enqueues itself this way. Returns the job id, or null when one is
   * already queued.
   */
  enqueueStudyCell(studyCellId: string, options: EnqueueOptions = {}): Promise<string | null> {
    return this.enqueue('study-cell', { studyCellId }, options);
  }

  /**
   * Sends a job with the queue's {@link settings} and the row id as singleton key, delayed by
   * `options.startAfterSeconds`. Returns the job id, or null when a job for the same row is queued
   * and has not started yet.
   *
   * @throws AkdError INVALID_INPUT when the row id is not a UUID, UNAVAILABLE after {@link stop}.
   */
  async enqueue<Q extends QueueName>(
    queue: Q,
    payload: JobPayloads[Q],
    options: EnqueueOptions = {},
  ): Promise<string | null> {
    this.checkOpen();
    const rowId = rowIdOf(queue, payload);
    if (!UUID.test(rowId)) {
      throw new AkdError('INVALID_INPUT', `Invalid ${ROW_ID_FIELD[queue]} "${rowId}": expected a row UUID.`, {
        queue,
      });
    }
    const startAfter = options.startAfterSeconds;
    if (startAfter !== undefined && !(Number.isInteger(startAfter) && startAfter >= 0)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid startAfterSeconds ${startAfter}: use a whole number of seconds of at least 0.`,
      );
    }
    const settings = this.settings[queue];
    const jobId = await this.boss.send(queue, payload as object, {
      singletonKey: rowId,
      ...toPgBossSettings(settings),
      ...(startAfter ? { startAfter } : {}),
    });
    this.log.debug(jobId ? 'Job enqueued' : 'Job already queued', { queue, rowId, jobId });
    return jobId;
  }

  /** Counts the jobs of every queue that wait to start and that run. */
  async queueDepth(): Promise<Record<QueueName, QueueDepth>> {
    const depth = Object.fromEntries(QUEUE_NAMES.map((queue) => [queue, { queued: 0, active: 0 }])) as Record<
      QueueName,
      QueueDepth
    >;
    const rows = await this.query<{ name: QueueName; state: string; count: number }>(
      `SELECT name, state::text AS state, count(*)::int AS count FROM ${QUEUE_SCHEMA}.job
       WHERE name = ANY($1::text[]) AND state IN ('created', 'retry', 'active')
       GROUP BY name, state`,
      [[...QUEUE_NAMES]],
    );
    for (const row of rows) {
      if (row.state === 'active') depth[row.name].active += row.count;
      else depth[row.name].queued += row.count;
    }
    return depth;
  }

  /** Returns the row ids among `rowIds` that have a job of `queue` queued, waiting for a retry, or running. */
  async liveRowIds(queue: QueueName, rowIds: readonly string[]): Promise<Set<string>> {
    if (rowIds.length === 0) return new Set();
    const rows = await this.query<{ key: string }>(
      `SELECT DISTINCT singleton_key AS key FROM ${QUEUE_SCHEMA}.job
       WHERE name = $1 AND singleton_key = ANY($2::text[]) AND state < 'completed'`,
      [queue, [...rowIds]],
    );
    return new Set(rows.map((row) => row.key));
  }

  /**
   * Fails the jobs among `jobIds` that are still running, so pg-boss retries them (or fails them
   * for good after the last retry) without waiting for their expiry. Workers use it for the jobs
   * of a worker that stopped sending heartbeats. Returns the ids it failed.
   */
  async failRunningJobs(queue: QueueName, jobIds: readonly string[], message: string): Promise<string[]> {
    if (jobIds.length === 0) return [];
    const rows = await this.query<{ id: string }>(
      `SELECT id::text AS id FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[]) AND state = 'active'`,
      [queue, [...jobIds]],
    );
    const ids = rows.map((row) => row.id);
    for (const id of ids) await this.boss.fail(queue, id, { message });
    return ids;
  }

  /**
   * Runs `handler` for the jobs of `queue`, `options.concurrency` at a time, until {@link stop}.
   * The payload's row id is checked first: a job without a valid one fails for good.
   *
   * A handler that throws fails the attempt. A {@link PermanentJobError}, or an AkdError whose code
   * a retry cannot fix (NOT_FOUND, INVALID_INPUT, INVALID_FILE, CONFLICT), fails the job without
   * retries. Any other error is retried after the queue's delay until the retry limit. When the
   * error shows that Postgres was unreachable, the handler's failure is reported only once the
   * database accepts queries again (or after `reconnectWaitMs`), so that pg-boss can record it.
   * A failure logs an error, except one after {@link stop} that pg-boss retries, which logs a warning.
   */
  async work<Q extends QueueName>(queue: Q, options: WorkOptions, handler: JobHandler<Q>): Promise<void> {
    this.checkOpen();
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid concurrency ${options.concurrency} for ${queue}: use at least 1.`,
      );
    }
    const workOptions = {
      batchSize: 1,
      includeMetadata: true as const,
      pollingIntervalSeconds: this.pollingIntervalSeconds,
    };
    // pg-boss 10 runs one batch at a time per registration, so concurrency means registrations.
    for (let i = 0; i < options.concurrency; i++) {
      await this.boss.work<JobPayloads[Q]>(queue, workOptions, async ([job]) =>
        this.run(queue, job, options, handler),
      );
    }
  }

  /**
   * Waits until Postgres runs a query, polling with exponential backoff up to `maxWaitMs`.
   * Returns true when a query succeeded, false when the time ran out or `signal` fired.
   */
  async waitUntilReachable(maxWaitMs: number, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + maxWaitMs;
    let delayMs = 250;
    for (;;) {
      try {
        await this.query('SELECT 1', []);
        return true;
      } catch {
        const left = deadline - Date.now();
        if (left <= 0 || signal?.aborted) return false;
        const aborted = await sleep(Math.min(delayMs, left), undefined, { signal }).then(
          () => false,
          () => true,
        );
        if (aborted) return false;
        delayMs = Math.min(delayMs * 2, 5_000);
      }
    }
  }

  /**
   * Stops polling, waits up to `graceSeconds` for running jobs, fails those still running (pg-boss
   * then retries them) and closes the connections. Enqueueing works until the connections close.
   * Safe to call twice.
   */
  async stop(options: { graceSeconds?: number } = {}): Promise<void> {
    // Running jobs may still enqueue (a search step hands over to its next step) until pg-boss stops.
    this.stopping ??= (async () => {
      const timeout = Math.max(1, options.graceSeconds ?? 0) * 1000;
      await this.boss.stop({ graceful: true, wait: true, close: true, timeout });
      this.stopped = true;
      this.log.info('Job queue stopped');
    })();
    return this.stopping;
  }

  private async run<Q extends QueueName>(
    queue: Q,
    job: PgBoss.JobWithMetadata<JobPayloads[Q]>,
    options: WorkOptions,
    handler: JobHandler<Q>,
  ): Promise<JobOutcome> {
    const running: RunningJob<Q> = {
      queue,
      jobId: job.id,
      rowId: rowIdOf(queue, job.data),
      attempt: job.retryCount + 1,
      maxAttempts: job.retryLimit + 1,
      expireInSeconds: job.expireInSeconds,
      startedAt: new Date(),
    };
    const fields = { queue, jobId: job.id, rowId: running.rowId, attempt: running.attempt };
    options.onStart?.(running);
    this.log.info('Job started', { ...fields, maxAttempts: running.maxAttempts });
    try {
      if (!UUID.test(running.rowId)) {
        throw new PermanentJobError(
          `Invalid ${queue} job payload ${JSON.stringify(job.data)}: ${ROW_ID_FIELD[queue]} must be a row UUID.`,
        );
      }
      const outcome = await handler(job.data, running);
      this.log.info('Job finished', { ...fields, ms: Date.now() - running.startedAt.getTime(), ...outcome });
      return outcome;
    } catch (error) {
      const permanent = isPermanentJobError(error);
      if (permanent) {
        await this.preventRetry(queue, job.id);
      } else if (isTransientDatabaseError(error)) {
        await this.waitUntilReachable(options.reconnectWaitMs ?? 60_000);
      }
      const willRetry = !permanent && running.attempt < running.maxAttempts;
      if (willRetry && this.stopping !== null) {
        // A stopping worker ends its training processes after the grace period, so failures now
        // are expected and pg-boss runs the job again. Failures that end the job stay errors.
        this.log.warn('Job interrupted by the stop; it will run again', { ...fields, error });
      } else {
        this.log.error('Job failed', { ...fields, willRetry, error });
      }
      throw error;
    } finally {
      options.onEnd?.(running);
    }
  }

  /** Sets the job's retry limit to its retry count, so pg-boss fails it for good. */
  private async preventRetry(queue: QueueName, jobId: string): Promise<void> {
    try {
      await this.query(
        `UPDATE ${QUEUE_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2 AND state = 'active'`,
        [queue, jobId],
      );
    } catch (error) {
      this.log.warn('Could not cancel the retries of a failed job; it will be retried', {
        queue,
        jobId,
        error,
      });
    }
  }

  private async query<Row>(sql: string, values: unknown[]): Promise<Row[]> {
    this.checkOpen();
    const result = await this.boss.getDb().executeSql(sql, values);
    // pg-boss's Db returns undefined instead of querying once its pool is closed.
    if (!result) throw new AkdError('UNAVAILABLE', 'The job queue is stopped.');
    return result.rows as Row[];
  }

  private checkOpen(): void {
    if (this.stopped) throw new AkdError('UNAVAILABLE', 'The job queue is stopped.');
  }
}

function rowIdOf<Q extends QueueName>(queue: Q, payload: JobPayloads[Q]): string {
  const value = (payload as Record<string, unknown> | null)?.[ROW_ID_FIELD[queue]];
  return typeof value === 'string' ? value : String(value);
}

function toPgBossSettings(settings: JobSettings): {
  expireInSeconds: number;
  retryLimit: number;
  retryDelay: number;
  retryBackoff: boolean;
} {
  return {
    expireInSeconds: settings.expireInSeconds,
    retryLimit: settings.retryLimit,
    retryDelay: settings.retryDelaySeconds,
    retryBackoff: settings.retryBackoff,
  };
}

/** `host:port/database` of a Postgres URL, without user or password. */
function describeTarget(url: string): string {
  try {
    return formatTarget(url);
  } catch {
    return 'an invalid URL';
  }
}

/** Logs pg-boss errors: the first at once, then a count at most once a minute. */
class ErrorReporter {
  private suppressed = 0;
  private lastLoggedAt = 0;

  constructor(private readonly log: Logger) {}

  report(error: unknown): void {
    const now = Date.now();
    if (now - this.lastLoggedAt < 60_000) {
      this.suppressed++;
      return;
    }
    this.log.warn('pg-boss reported an error', { error, suppressedSinceLast: this.suppressed });
    this.suppressed = 0;
    this.lastLoggedAt = now;
  }
}
