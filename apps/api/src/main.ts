import 'reflect-metadata';
import { Logger } from '@akd/core';
import { openDatabase } from '@akd/db';
import { openQueue } from '@akd/jobs';
import { createApiApp } from './app.js';
import { AuthService } from './auth/auth.service.js';
import { configFromEnv } from './config.js';
import type { JobQueue } from './jobs/job-queue.js';

const log = new Logger('api');

/**
 * Starts the API: opens the database (DATABASE_URL or the embedded Postgres) and the job queue,
 * makes sure an editor token exists, and listens on AKD_API_HOST:AKD_API_PORT (127.0.0.1:4000).
 */
async function main(): Promise<void> {
  const config = configFromEnv();
  const db = await openDatabase({ logger: new Logger('db') });
  // The annotation checks at compile time that the queue of @akd/jobs fits the API's interface.
  const queue: JobQueue = await openQueue(db.url).catch(async (error: unknown) => {
    await db.close();
    throw error;
  });
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
