import 'reflect-metadata';
import { setTimeout as sleep } from 'node:timers/promises';
import { AkdError, Logger } from '@akd/core';
import { openDatabase, type Database } from '@akd/db';
import { isTransientDatabaseError, openQueue } from '@akd/jobs';
import { createApiApp } from './app.js';
import { AuthService } from './auth/auth.service.js';
import { configFromEnv } from './config.js';
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
 * Opens the database and the job queue, retrying with exponential backoff (0.5 s, doubling up to
 * AKD_CONNECT_RETRY_MAX_SECONDS, 30 s by default) while the database is unreachable. Returns null
 * when `stopping` fires first. Other errors, such as a failed migration, are thrown.
 */
async function connect(stopping: AbortSignal): Promise<{ db: Database; queue: JobQueue } | null> {
  const maxDelayMs = connectRetryMaxMs();
  let delayMs = 500;
  for (let attempt = 1; ; attempt++) {
    try {
      const db = await openDatabase({ logger: new Logger('db') });
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
 * Starts the API: opens the database (DATABASE_URL or the embedded Postgres) and the job queue,
 * waiting for the database while it is unreachable, makes sure an editor token exists, and
 * listens on AKD_API_HOST:AKD_API_PORT (127.0.0.1:4000).
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const starting = new AbortController();
  const stopWaiting = (signal: NodeJS.Signals): void => {
    log.info('stopping before the database was reached', { signal });
    starting.abort();
  };
  process.once('SIGINT', stopWaiting);
  process.once('SIGTERM', stopWaiting);
  const connection = await connect(starting.signal);
  process.off('SIGINT', stopWaiting);
  process.off('SIGTERM', stopWaiting);
  if (connection === null) return;
  const { db, queue } = connection;
  let app: Awaited<ReturnType<typeof createApiApp>> | null = null;
  try {
    app = await createApiApp({ prisma: db.prisma, queue, config });
    const initial = await app.get(AuthService).ensureInitialToken(process.env.AKD_ADMIN_TOKEN || undefined);
    if (initial) {
      process.stdout.write(
        `No API token existed, so an editor token was created. It is shown only this once:\n\n  ${initial.token}\n\n` +
          'Send it as "Authorization: Bearer <token>".\n',
      );
    }
    await app.listen(config.port, config.host);
  } catch (error) {
    // Close what is open, or the database pool and the queue would keep the process alive.
    await app?.close();
    await queue.stop();
    await db.close();
    throw error;
  }
  const server = app;
  log.info('API listening', { url: await server.getUrl(), publicRead: config.publicRead });

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    try {
      await server.close();
      await queue.stop();
    } finally {
      await db.close();
    }
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  log.error('API failed to start', { error });
  process.exitCode = 1;
});
