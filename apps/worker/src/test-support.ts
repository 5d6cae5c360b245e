// Helpers shared by the worker's *.test.ts files.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Logger } from '@akd/core';
import { loadDatasetAt, locateDefaultDataset, type ImageDataset } from '@akd/data';
import type { Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { buildStudent, initBackend, saveModel } from '@akd/engine';
import { openQueue, type JobQueue, type QueueOptions } from '@akd/jobs';
import { ProxyTaskPool, type ProxySettings } from '@akd/proxy-task';
import { createExperiment, registerDataset, type ExperimentSettings } from '@akd/runner';
import type { SearchSpace } from '@akd/search-space';
import { workerConfigFromEnv, type WorkerConfig } from './config.js';
import type { WorkerContext } from './context.js';
import { DatasetCache } from './dataset-cache.js';
import { JobWorker } from './job-worker.js';
import { RowLocks } from './row-locks.js';

/** Proxy task that trains a candidate of {@link tinySpace} in well under a second. */
export const TINY_PROXY: ProxySettings = {
  trainSize: 200,
  valSize: 100,
  epochs: 1,
  batchSize: 50,
  learningRate: 0.005,
  seed: 1,
};

/** Queue timing for tests: fast polling and maintenance. */
export const FAST_QUEUE: QueueOptions = { pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 };

/** Environment of the worker processes the tests start. */
export const WORKER_TEST_ENV = {
  AKD_DATASET: 'fashion-mnist-subset',
  AKD_WORKERS: '1',
  AKD_SEARCH_CONCURRENCY: '2',
  AKD_HEARTBEAT_SECONDS: '1',
  AKD_STATUS_POLL_SECONDS: '0.5',
  AKD_SEARCH_POLL_MAX_SECONDS: '0.5',
  AKD_SEARCH_LOCK_WAIT_SECONDS: '5',
  AKD_SHUTDOWN_GRACE_SECONDS: '2',
  AKD_QUEUE_POLL_SECONDS: '0.5',
  AKD_QUEUE_MAINTENANCE_SECONDS: '1',
  AKD_JOB_RETRY_DELAY_SECONDS: '1',
  AKD_JOB_RETRY_BACKOFF: 'false',
  AKD_LOG_LEVEL: 'info',
};

/** Returns a space of one block on 28×28×1 images, whose candidates have about a thousand parameters. */
export function tinySpace(dataset: ImageDataset): SearchSpace {
  return {
    inputShape: dataset.shape,
    numClasses: dataset.numClasses,
    stemFilters: 8,
    stemStride: 2,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
  };
}

/** A test database with the committed Fashion-MNIST subset registered, and an artifact directory. */
export interface TestSetup {
  db: TestDatabase;
  dataset: ImageDataset;
  datasetRow: Dataset;
  /** Value of AKD_DATA_DIR for this file's runs; artifacts (logits, models) go below it. */
  dataDir: string;
  queue: JobQueue;
  cleanup(): Promise<void>;
}

/**
 * Creates the database, registers the dataset, opens a queue (with `queueOptions`, by default
 * {@link FAST_QUEUE}) and points AKD_DATA_DIR at a temporary folder.
 */
export async function setUp(queueOptions: QueueOptions = FAST_QUEUE): Promise<TestSetup> {
  await initBackend();
  const dataDir = await mkdtemp(join(tmpdir(), 'akd-worker-test-'));
  const savedDataDir = process.env.AKD_DATA_DIR;
  process.env.AKD_DATA_DIR = dataDir;
  const db = await createTestDatabase();
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  const dataset = await loadDatasetAt(location);
  const datasetRow = await registerDataset(db.prisma, location, dataset);
  const queue = await openQueue(db.url, queueOptions);
  return {
    db,
    dataset,
    datasetRow,
    dataDir,
    queue,
    async cleanup() {
      await queue.stop();
      await db.drop();
      await rm(dataDir, { recursive: true, force: true });
      if (savedDataDir === undefined) delete process.env.AKD_DATA_DIR;
      else process.env.AKD_DATA_DIR = savedDataDir;
    },
  };
}

/** Creates a queued experiment over {@link tinySpace} with {@link TINY_PROXY}. */
export function tinyExperiment(
  setup: TestSetup,
  overrides: Partial<ExperimentSettings> = {},
): Promise<Experiment> {
  return createExperiment(setup.db.prisma, {
    name: 'tiny search',
    datasetId: setup.datasetRow.id,
    teacherId: null,
    searchBy: 'hard-label',
    strategy: { kind: 'random' },
    latencyModel: 'measured',
    latencyTargetMs: 1,
    proxy: TINY_PROXY,
    kd: { lambda: 0.5, temperature: 2 },
    budget: 4,
    generationSize: 2,
    seed: 7,
    space: tinySpace(setup.dataset),
    ...overrides,
  });
}

/**
 * Records a ready teacher whose model is an untrained tiny student: it produces logits for every
 * image, which is all distillation needs, without the minutes a zoo teacher trains.
 */
export async function fakeTeacher(setup: TestSetup): Promise<Teacher> {
  const space = tinySpace(setup.dataset);
  const model = buildStudent(
    space,
    { blocks: [{ op: 'conv', kernelSize: 3, seRatio: 0, skip: 'none', filterMultiplier: 1, layerDelta: 0 }] },
    5,
  );
  const dir = join(setup.dataDir, 'fake-teacher');
  try {
    await saveModel(model, dir);
  } finally {
    model.dispose();
  }
  return setup.db.prisma.teacher.create({
    data: {
      datasetId: setup.datasetRow.id,
      name: 'fake-teacher',
      source: 'imported_model',
      family: 'student',
      config: {},
      trainingSettings: {},
      status: 'ready',
      artifactDir: dir,
      testAccuracy: 0.1,
    },
  });
}

/** Worker settings for in-process test workers. */
export function testWorkerConfig(url: string, overrides: Partial<WorkerConfig> = {}): WorkerConfig {
  return {
    ...workerConfigFromEnv(WORKER_TEST_ENV),
    databaseUrl: url,
    poolSize: 1,
    queue: FAST_QUEUE,
    ...overrides,
  };
}

/** Starts a worker in this process. */
export async function startWorker(url: string, overrides: Partial<WorkerConfig> = {}): Promise<JobWorker> {
  const worker = new JobWorker(testWorkerConfig(url, overrides));
  assert.equal(await worker.start(), true, 'worker started');
  return worker;
}

/**
 * Builds the context of a worker without its queue loops, so a test can call a handler
 * directly. `close` stops the pool and the lock connection.
 */
export function handlerContext(
  setup: TestSetup,
  pool: ProxyTaskPool,
  overrides: Partial<WorkerConfig> = {},
): WorkerContext & { close(): Promise<void> } {
  const locks = new RowLocks(setup.db.url, new Logger('RowLocks'));
  return {
    prisma: setup.db.prisma,
    databaseUrl: setup.db.url,
    queue: setup.queue,
    locks,
    pool,
    datasets: new DatasetCache(),
    config: testWorkerConfig(setup.db.url, overrides),
    host: hostname(),
    stopping: new AbortController().signal,
    trainingProcesses: new Set(),
    close: () => locks.close(),
  };
}

/** Polls `read` every 200 ms until `done` accepts its value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T;
    try {
      value = await read();
    } catch (error) {
      // Tests that end every session of the database also end the pooled connection of this
      // poll; the next read gets a fresh one.
      if (!isDroppedConnection(error) || Date.now() > deadline) throw error;
      await sleep(200);
      continue;
    }
    if (done(value)) return value;
    if (Date.now() > deadline)
      assert.fail(
        `Timed out after ${timeoutMs} ms waiting for ${what}; last value: ${JSON.stringify(value)}`,
      );
    await sleep(200);
  }
}

/** True for the errors a client gets when its Postgres session was terminated or reset. */
function isDroppedConnection(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${(error as { code?: unknown }).code ?? ''}` : '';
  return /57P01|terminating connection|Connection terminated|ECONNRESET|P1017|Server has closed the connection/i.test(
    text,
  );
}

/** Waits until the experiment reaches one of `statuses`. */
export function waitForExperiment(
  prisma: PrismaClient,
  id: string,
  statuses: string[],
  timeoutMs = 60_000,
): Promise<Experiment> {
  return waitFor(
    `experiment ${id} to become ${statuses.join(' or ')}`,
    () => prisma.experiment.findUniqueOrThrow({ where: { id } }),
    (row) => statuses.includes(row.status),
    timeoutMs,
  );
}

/** State and output of the newest pg-boss job for `rowId` in `queue`. */
export async function latestJob(
  prisma: PrismaClient,
  queue: string,
  rowId: string,
): Promise<{ id: string; state: string; retryCount: number; output: Record<string, unknown> | null } | null> {
  const rows = await prisma.$queryRawUnsafe<
    { id: string; state: string; retry_count: number; output: Record<string, unknown> | null }[]
  >(
    `SELECT id::text, state::text, retry_count, output FROM pgboss.job
     WHERE name = $1 AND singleton_key = $2 ORDER BY created_on DESC LIMIT 1`,
    queue,
    rowId,
  );
  const row = rows[0];
  return row ? { id: row.id, state: row.state, retryCount: row.retry_count, output: row.output } : null;
}

/** A worker started with `tsx` as a child process, with its stderr collected. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything the worker wrote to stderr so far. */
  stderr(): string;
  /** Resolves with the exit code and signal once the process exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const MAIN_PATH = fileURLToPath(new URL('./main.ts', import.meta.url));

/** Starts `apps/worker/src/main.ts` with {@link WORKER_TEST_ENV} and `env`. */
export function spawnWorker(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN_PATH], {
    env: { ...process.env, ...WORKER_TEST_ENV, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, stderr: () => stderr, exited };
}
