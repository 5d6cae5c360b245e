import { AkdError } from '@akd/core';

/** Queues of AKD Studio, in the order a worker registers them. */
export const QUEUE_NAMES = ['search-step', 'candidate', 'teacher', 'final-model', 'study-cell'] as const;

/** Name of one of the {@link QUEUE_NAMES}. */
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Payload of each queue. A payload carries only the id of the database row the job works on. */
export interface JobPayloads {
  'search-step': { experimentId: string };
  candidate: { candidateId: string };
  teacher: { teacherId: string };
  'final-model': { trainedModelId: string };
  'study-cell': { studyCellId: string };
}

/** Payload field of each queue that contains the row id, which is also the job's singleton key. */
export const ROW_ID_FIELD = {
  'search-step': 'experimentId',
  candidate: 'candidateId',
  teacher: 'teacherId',
  'final-model': 'trainedModelId',
  'study-cell': 'studyCellId',
} as const satisfies { [Q in QueueName]: keyof JobPayloads[Q] };

/** Delivery settings of the jobs of one queue. */
export interface JobSettings {
  /**
   * Maximum run time of one attempt, in seconds. pg-boss fails an attempt that runs longer and
   * retries it, so this must exceed the longest training the queue runs. pg-boss 10 rejects
   * 24 hours or more.
   */
  expireInSeconds: number;
  /** Retries after the first attempt. */
  retryLimit: number;
  /** Delay before the first retry, in seconds. */
  retryDelaySeconds: number;
  /** Doubles the delay on each further retry (with jitter) when true. */
  retryBackoff: boolean;
}

/**
 * Settings used unless {@link QueueOptions.jobs} or the `AKD_JOB_*` variables override them.
 * A crashed worker's job runs again after its expiry, or sooner when a live worker reaps the
 * dead worker's jobs, so the expiries are generous upper bounds on one attempt.
 *
 * NOTE: the expiries are estimates, not measurements of full runs. On a 2-core VM with the wasm
 * backend, one epoch of the ResNet zoo teacher on the 6,000-image subset took 146 s, which
 * extrapolates to about 2.5 hours for six epochs of the full Fashion-MNIST. Raise the expiries
 * for larger datasets, longer recipes or slower machines.
 */
export const DEFAULT_JOB_SETTINGS: Readonly<Record<QueueName, Readonly<JobSettings>>> = {
  // A search step only waits for candidates, and yields before its expiry by enqueueing its
  // continuation, so one hour bounds the step, not the search.
  'search-step': { expireInSeconds: 3600, retryLimit: 10, retryDelaySeconds: 5, retryBackoff: true },
  candidate: { expireInSeconds: 4 * 3600, retryLimit: 3, retryDelaySeconds: 10, retryBackoff: true },
  teacher: { expireInSeconds: 12 * 3600, retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true },
  'final-model': { expireInSeconds: 23 * 3600, retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true },
  'study-cell': { expireInSeconds: 12 * 3600, retryLimit: 2, retryDelaySeconds: 60, retryBackoff: true },
};

/** pg-boss 10 rejects an expiry of 24 hours or more. */
export const MAX_EXPIRE_SECONDS = 24 * 3600 - 1;

/** Options of `openQueue`. */
export interface QueueOptions {
  /** Per-queue overrides of {@link DEFAULT_JOB_SETTINGS}. */
  jobs?: Partial<Record<QueueName, Partial<JobSettings>>>;
  /**
   * Seconds between pg-boss maintenance runs, which fail expired attempts so that they are
   * retried. Defaults to 60.
   */
  maintenanceIntervalSeconds?: number;
  /** Seconds between two polls of a queue by an idle worker loop. Defaults to 2. */
  pollingIntervalSeconds?: number;
  /** Maximum connections of the queue's own pool. Defaults to 4. */
  maxConnections?: number;
}

/** Options after defaults are applied. */
export interface ResolvedQueueOptions {
  jobs: Record<QueueName, JobSettings>;
  maintenanceIntervalSeconds: number;
  pollingIntervalSeconds: number;
  maxConnections: number;
}

/** Applies defaults to `options` and checks every value; throws INVALID_INPUT naming the bad one. */
export function resolveQueueOptions(options: QueueOptions = {}): ResolvedQueueOptions {
  const jobs = {} as Record<QueueName, JobSettings>;
  for (const queue of QUEUE_NAMES) {
    const settings = { ...DEFAULT_JOB_SETTINGS[queue], ...options.jobs?.[queue] };
    checkInteger(`expireInSeconds of ${queue}`, settings.expireInSeconds, 1, MAX_EXPIRE_SECONDS);
    checkInteger(`retryLimit of ${queue}`, settings.retryLimit, 0, 1000);
    checkInteger(`retryDelaySeconds of ${queue}`, settings.retryDelaySeconds, 0, MAX_EXPIRE_SECONDS);
    jobs[queue] = settings;
  }
  const resolved: ResolvedQueueOptions = {
    jobs,
    maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
    pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
    maxConnections: options.maxConnections ?? 4,
  };
  checkInteger('maintenanceIntervalSeconds', resolved.maintenanceIntervalSeconds, 1, 3600);
  if (!(resolved.pollingIntervalSeconds >= 0.5)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid pollingIntervalSeconds ${resolved.pollingIntervalSeconds}: pg-boss polls at most every 0.5 seconds.`,
    );
  }
  checkInteger('maxConnections', resolved.maxConnections, 1, 100);
  return resolved;
}

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${name} ${value}: use a whole number from ${min} to ${max}.`,
      {
        [name]: value,
      },
    );
  }
}

/**
 * Reads queue options from the environment:
 *
 * - `AKD_JOB_EXPIRE_SECONDS`, `AKD_JOB_RETRY_LIMIT`, `AKD_JOB_RETRY_DELAY_SECONDS`: one number for
 *   every queue, or `queue=number` pairs separated by commas (`candidate=600,teacher=7200`).
 * - `AKD_JOB_RETRY_BACKOFF`: `true` or `false`, for every queue.
 * - `AKD_QUEUE_MAINTENANCE_SECONDS`, `AKD_QUEUE_POLL_SECONDS`: see {@link QueueOptions}.
 *
 * Throws INVALID_INPUT naming the variable when a value cannot be parsed.
 */
export function queueOptionsFromEnv(env: Record<string, string | undefined> = process.env): QueueOptions {
  const jobs: Partial<Record<QueueName, Partial<JobSettings>>> = {};
  const perQueue: [string, keyof JobSettings][] = [
    ['AKD_JOB_EXPIRE_SECONDS', 'expireInSeconds'],
    ['AKD_JOB_RETRY_LIMIT', 'retryLimit'],
    ['AKD_JOB_RETRY_DELAY_SECONDS', 'retryDelaySeconds'],
  ];
  for (const [variable, field] of perQueue) {
    for (const [queue, value] of parsePerQueue(variable, env[variable])) {
      jobs[queue] = { ...jobs[queue], [field]: value };
    }
  }
  const backoff = env.AKD_JOB_RETRY_BACKOFF?.trim();
  if (backoff) {
    if (backoff !== 'true' && backoff !== 'false') {
      throw new AkdError('INVALID_INPUT', `Invalid AKD_JOB_RETRY_BACKOFF=${backoff}: use true or false.`);
    }
    for (const queue of QUEUE_NAMES) jobs[queue] = { ...jobs[queue], retryBackoff: backoff === 'true' };
  }
  return {
    jobs,
    maintenanceIntervalSeconds: parseNumber(
      'AKD_QUEUE_MAINTENANCE_SECONDS',
      env.AKD_QUEUE_MAINTENANCE_SECONDS,
    ),
    pollingIntervalSeconds: parseNumber('AKD_QUEUE_POLL_SECONDS', env.AKD_QUEUE_POLL_SECONDS),
  };
}

function parseNumber(variable: string, raw: string | undefined): number | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) {
    throw new AkdError('INVALID_INPUT', `Invalid ${variable}=${text}: expected a number.`);
  }
  return value;
}

function parsePerQueue(variable: string, raw: string | undefined): [QueueName, number][] {
  const text = raw?.trim();
  if (!text) return [];
  if (!text.includes('=')) {
    const value = parseNumber(variable, text) as number;
    return QUEUE_NAMES.map((queue) => [queue, value]);
  }
  return text.split(',').map((pair) => {
    const [queue, value] = pair.split('=').map((part) => part.trim());
    if (!isQueueName(queue)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid ${variable}: "${queue}" is not a queue. Use one of ${QUEUE_NAMES.join(', ')}.`,
      );
    }
    return [queue, parseNumber(variable, value ?? '') ?? Number.NaN];
  });
}

/** Returns true when `name` is one of the {@link QUEUE_NAMES}. */
export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
