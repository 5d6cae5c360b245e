import { AkdError, checkLogSettings } from '@akd/core';
import { queueOptionsFromEnv, type QueueOptions } from '@akd/jobs';
import { defaultProcessCount } from '@akd/proxy-task';

/** Settings of a worker process. `workerConfigFromEnv` documents the variable of each. */
export interface WorkerConfig {
  /** Postgres URL; when absent, `openDatabase` uses DATABASE_URL or the embedded server. */
  databaseUrl?: string;
  /** Processes of the candidate training pool, which is also the number of candidate jobs run at once. */
  poolSize: number;
  /** Search steps run at once; a step only waits for its candidates, so several fit on one core. */
  searchConcurrency: number;
  /** Teacher jobs run at once, each in its own training process. */
  teacherConcurrency: number;
  /** Final-model jobs run at once, each in its own training process. */
  finalModelConcurrency: number;
  studyCellConcurrency: number;
  /** Seconds between two heartbeats of the worker row. */
  heartbeatSeconds: number;
  /**
   * Seconds without a heartbeat after which another worker deletes a worker's row and fails its
   * running jobs so that pg-boss retries them at once. 0 turns reaping off, and then a crashed
   * worker's jobs run again only after their expiry.
   */
  staleWorkerSeconds: number;
  /** Seconds the worker waits for running jobs after SIGTERM before it releases them. */
  shutdownGraceSeconds: number;
  /** Maximum delay, in seconds, between two attempts to reach Postgres at start. */
  connectRetryMaxSeconds: number;
  /**
   * Training attempts of a candidate after which it is marked failed: each attempt that ends
   * without a result (a crashed worker or training process) counts.
   */
  candidateMaxAttempts: number;
  /** Seconds a search step waits for the experiment lock held by the previous step of the same experiment. */
  searchLockWaitSeconds: number;
  /** Maximum seconds between two reads of the awaited candidate rows by a search step. */
  searchPollMaxSeconds: number;
  /** Seconds between two reads of the experiment status by a search step, to notice pause and cancel. */
  statusPollSeconds: number;
  /** Options of the job queue. */
  queue: QueueOptions;
}

/**
 * Reads the worker settings from the environment. Every variable is optional:
 *
 * | Variable | Setting | Default |
 * | --- | --- | --- |
 * | `AKD_WORKERS` | poolSize | one per core |
 * | `AKD_SEARCH_CONCURRENCY` | searchConcurrency | 4 |
 * | `AKD_TEACHER_CONCURRENCY` | teacherConcurrency | 1 |
 * | `AKD_FINAL_MODEL_CONCURRENCY` | finalModelConcurrency | 1 |
 * | `AKD_STUDY_CELL_CONCURRENCY` | studyCellConcurrency | poolSize |
 * | `AKD_HEARTBEAT_SECONDS` | heartbeatSeconds | 5 |
 * | `AKD_WORKER_STALE_SECONDS` | staleWorkerSeconds | 60 |
 * | `AKD_SHUTDOWN_GRACE_SECONDS` | shutdownGraceSeconds | 30 |
 * | `AKD_CONNECT_RETRY_MAX_SECONDS` | connectRetryMaxSeconds | 30 |
 * | `AKD_CANDIDATE_MAX_ATTEMPTS` | candidateMaxAttempts | 3 |
 * | `AKD_SEARCH_LOCK_WAIT_SECONDS` | searchLockWaitSeconds | 30 |
 * | `AKD_SEARCH_POLL_MAX_SECONDS` | searchPollMaxSeconds | 5 |
 * | `AKD_STATUS_POLL_SECONDS` | statusPollSeconds | 2 |
 *
 * The queue options come from `queueOptionsFromEnv` (`AKD_JOB_*`, `AKD_QUEUE_*`) and the
 * database from DATABASE_URL. Throws INVALID_INPUT naming the variable of an invalid value.
 */
export function workerConfigFromEnv(env: Record<string, string | undefined> = process.env): WorkerConfig {
  checkLogSettings(env);
  const read = (variable: string, fallback: number, min: number, integer: boolean): number => {
    const text = env[variable]?.trim();
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
      const kind = integer ? 'a whole number' : 'a number';
      throw new AkdError('INVALID_INPUT', `Invalid ${variable}=${text}: use ${kind} of at least ${min}.`, {
        [variable]: text,
      });
    }
    return value;
  };
  const poolSize = defaultProcessCount();
  return {
    poolSize,
    searchConcurrency: read('AKD_SEARCH_CONCURRENCY', 4, 1, true),
    teacherConcurrency: read('AKD_TEACHER_CONCURRENCY', 1, 1, true),
    finalModelConcurrency: read('AKD_FINAL_MODEL_CONCURRENCY', 1, 1, true),
    // Proxy cells train in the pool, so one cell per pool process keeps every core busy.
    studyCellConcurrency: read('AKD_STUDY_CELL_CONCURRENCY', poolSize, 1, true),
    heartbeatSeconds: read('AKD_HEARTBEAT_SECONDS', 5, 0.1, false),
    staleWorkerSeconds: read('AKD_WORKER_STALE_SECONDS', 60, 0, false),
    shutdownGraceSeconds: read('AKD_SHUTDOWN_GRACE_SECONDS', 30, 0, false),
    connectRetryMaxSeconds: read('AKD_CONNECT_RETRY_MAX_SECONDS', 30, 0.1, false),
    candidateMaxAttempts: read('AKD_CANDIDATE_MAX_ATTEMPTS', 3, 1, true),
    searchLockWaitSeconds: read('AKD_SEARCH_LOCK_WAIT_SECONDS', 30, 0, false),
    searchPollMaxSeconds: read('AKD_SEARCH_POLL_MAX_SECONDS', 5, 0.1, false),
    statusPollSeconds: read('AKD_STATUS_POLL_SECONDS', 2, 0.1, false),
    queue: queueOptionsFromEnv(env),
  };
}
