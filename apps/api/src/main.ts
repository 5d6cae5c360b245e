import 'reflect-metadata';
import cluster from 'node:cluster';
import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError, Logger } from '@akd/core';
import { openDatabase, type Database } from '@akd/db';
import { isTransientDatabaseError, openQueue } from '@akd/jobs';
import { createApiApp } from './app.js';
import { ApiTokensRepository } from './auth/api-tokens.repository.js';
import { AuthService } from './auth/auth.service.js';
import { runApiProcessGroup } from './cluster/api-cluster.js';
import { apiProcessesFromEnv } from './cluster/processes.js';
import { configFromEnv, type ApiConfig } from './config.js';
import type { JobQueue } from './jobs/job-queue.js';

const log = new Logger('api');

/** Maximum wait between two attempts to reach the database at start, from AKD_CONNECT_RETRY_MAX_SECONDS. */
function connectRetryMaxMs(): number {
  const text = process.env.AKD_CONNECT_RETRY_MAX_SECONDS?.trim();
  if (!text) return 30_000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0.1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid AKD_CONNECT_RETRY_MAX_SECONDS=${text}: use a number of at least 0.1.`,
    );
  }
  return seconds * 1000;
}

/**
 * Opens the database (and the job queue unless `withQueue` is false), retrying with exponential
 * backoff (0.5 s, doubling up to AKD_CONNECT_RETRY_MAX_SECONDS, 30 s by default) while the
 * database is unreachable. Returns null when `stopping` fires first. Other errors, such as a failed
 * migration, are thrown.
 */
async function connect(
  stopping: AbortSignal,
  options: { withQueue: boolean; migrate: boolean },
): Promise<{ db: Database; queue: JobQueue | null } | null> {
  const maxDelayMs = connectRetryMaxMs();
  let delayMs = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      const db = await openDatabase({ logger: new Logger('db'), migrate: options.migrate });
      if (!options.withQueue) return { db, queue: null };
      // The annotation checks at compile time that the queue of @akd/jobs fits the API's interface.
      const queue: JobQueue = await openQueue(db.url).catch(async (error: unknown) => {
        await db.close();
        throw error;
      });
      return { db, queue };
    } catch (error) {
      const unreachable =
        isTransientDatabaseError(error) || (error instanceof AkdError && error.code === 'UNAVAILABLE');
      if (!unreachable) throw error;
      log.warn('Cannot open the database; retrying', { attempt, retryInMs: delayMs, error });
    }
    try {
      await sleep(delayMs, undefined, { signal: stopping });
    } catch {
      return null;
    }
    delayMs = Math.min(delayMs * 2, maxDelayMs);
  }
}

/**
 * Waits for the database like {@link connect}, stopping the wait on SIGINT or SIGTERM (then it
 * returns null).
 */
async function connectUntilStopped(options: {
  withQueue: boolean;
  migrate: boolean;
}): Promise<{ db: Database; queue: JobQueue | null } | null> {
  const starting = new AbortController();
  const stopWaiting = (signal: NodeJS.Signals): void => {
    log.info('stopping before the database was reached', { signal });
    starting.abort();
  };
  process.once('SIGINT', stopWaiting);
  process.once('SIGTERM', stopWaiting);
  try {
    return await connect(starting.signal, options);
  } finally {
    process.off('SIGINT', stopWaiting);
    process.off('SIGTERM', stopWaiting);
  }
}

/**
 * Makes sure an editor token exists (recording AKD_ADMIN_TOKEN when set) and prints a created
 * token once to stdout.
 */
async function ensureInitialToken(auth: AuthService): Promise<void> {
  const initial = await auth.ensureInitialToken(process.env.AKD_ADMIN_TOKEN || undefined);
  if (initial) {
    process.stdout.write(
      `No API token existed, so an editor token was created. It is shown only this once:\n\n  ${initial.token}\n\n` +
        'Send it as "Authorization: Bearer <token>".\n',
    );
  }
}

/**
 * Disconnects a process of a process group from the primary process. The IPC channel keeps the
 * process alive until then, even when it has nothing left to do.
 */
function leaveGroup(): void {
  if (cluster.isWorker) cluster.worker?.disconnect();
}

/**
 * Serves the API in this process: opens the database and the job queue, waiting while the
 * database is unreachable, and listens on AKD_API_HOST:AKD_API_PORT. A single API process
 * (`inGroup` false) also applies the migrations and makes sure an editor token exists. In a
 * process group the primary process has done both.
 */
async function serve(config: ApiConfig, inGroup: boolean): Promise<void> {
  const connection = await connectUntilStopped({ withQueue: true, migrate: !inGroup });
  if (connection === null) {
    leaveGroup();
    return;
  }
  const { db } = connection;
  const queue = connection.queue as JobQueue;
  let app: Awaited<ReturnType<typeof createApiApp>> | null = null;
  try {
    app = await createApiApp({ prisma: db.prisma, databaseUrl: db.url, queue, config });
    if (!inGroup) await ensureInitialToken(app.get(AuthService));
    await app.listen(config.port, config.host);
  } catch (error) {
    // Close what is open, or the database pool and the queue would keep the process alive.
    await app?.close();
    await queue.stop();
    await db.close();
    throw error;
  }
  const server = app;
  if (!inGroup) log.info('API listening', { url: await server.getUrl(), publicRead: config.publicRead });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal, pid: process.pid });
    try {
      await server.close();
      await queue.stop();
    } finally {
      await db.close();
      leaveGroup();
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

/**
 * Starts a group of `processes` API processes: applies the migrations and makes sure an editor
 * token exists here, once, then forks the processes that serve. The database stays open in this
 * process until they have stopped, so that an embedded Postgres keeps running.
 */
async function serveGroup(config: ApiConfig, processes: number): Promise<void> {
  const connection = await connectUntilStopped({ withQueue: false, migrate: true });
  if (connection === null) return;
  const { db } = connection;
  try {
    await ensureInitialToken(new AuthService(new ApiTokensRepository(db.prisma), config));
  } catch (error) {
    await db.close();
    throw error;
  }
  log.info('starting the API processes', { processes, publicRead: config.publicRead });
  runApiProcessGroup({ processes, host: config.host, port: config.port, onStopped: () => db.close() });
}

/**
 * Starts the API: one process, or with AKD_API_PROCESSES above 1 a primary process and that many
 * worker processes (node:cluster) that share the port.
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  if (cluster.isWorker) return serve(config, true);
  const processes = apiProcessesFromEnv();
  return processes === 1 ? serve(config, false) : serveGroup(config, processes);
}

main().catch((error: unknown) => {
  log.error('API failed to start', { error });
  process.exitCode = 1;
  leaveGroup();
});
