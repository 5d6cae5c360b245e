import { resolve } from 'node:path';

import { AkdError, Logger } from '@akd/core';

import { createPrismaClient } from './client.js';
import { checkConnection, describeUrl } from './connection.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { migrate } from './migrate.js';

export interface OpenDatabaseOptions {
  /** Postgres URL to use in place of the DATABASE_URL environment variable. */
  url?: string;
  /** Folder for the embedded Postgres in place of AKD_DATA_DIR (default `./var`). */
  dataDir?: string;
  /** Apply pending migrations before returning. Defaults to true. */
  migrate?: boolean;
  /** Migrations folder. Defaults to this repository's prisma/migrations. */
  migrationsDir?: string;
  logger?: Logger;
}

export interface Database {
  prisma: PrismaClient;
  /** Connection URL, including the password. Do not log it. */
  url: string;
  /** True when the database lives in the embedded Postgres that this library manages. */
  embedded: boolean;
  /** Disconnects, and stops the embedded Postgres when no other process uses it. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Opens the AKD Studio database. With DATABASE_URL set (or `options.url`), connects to that
 * server and throws UNAVAILABLE when it cannot, and never falls back to the embedded server.
 * Without it, starts or joins the embedded Postgres under `<AKD_DATA_DIR or ./var>/postgres`.
 * Then applies pending migrations, unless `options.migrate` is false.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  const logger = options.logger ?? new Logger('db');
  const configuredUrl = options.url ?? (process.env.DATABASE_URL || undefined);
  const dataDir = resolve(options.dataDir ?? (process.env.AKD_DATA_DIR || './var'));

  let url: string;
  let server: EmbeddedPostgres | undefined;
  if (configuredUrl !== undefined) {
    await ensureReachable(
      configuredUrl,
      options.url === undefined ? 'DATABASE_URL' : 'the given URL',
      dataDir,
    );
    url = configuredUrl;
  } else {
    server = await startEmbeddedPostgres({
      baseDir: dataDir,
      logger: logger.child({ component: 'embedded' }),
    });
    url = server.url;
  }

  try {
    if (options.migrate !== false) {
      await migrate(url, { migrationsDir: options.migrationsDir, logger });
    }
  } catch (error) {
    await server?.release();
    throw error;
  }

  const prisma = createPrismaClient(url);
  let closed = false;
  return {
    prisma,
    url,
    embedded: server !== undefined,
    async close() {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await server?.release();
    },
  };
}

async function ensureReachable(url: string, source: string, dataDir: string): Promise<void> {
  const target = describeUrl(url);
  try {
    await checkConnection(url);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = (error as Error).message || code || 'unknown error';
    // A five-character SQLSTATE means the server replied and rejected the login or the database.
    const advice = /^[0-9A-Z]{5}$/.test(code ?? '')
      ? `Check the user, password and database name in ${source}`
      : 'Start that Postgres server';
    throw new AkdError(
      'UNAVAILABLE',
      `Cannot connect to Postgres at ${target.host}:${target.port}, database "${target.database}", ` +
        `user "${target.user}" (from ${source}): ${reason}. ${advice}, or unset DATABASE_URL to use ` +
        `the embedded Postgres in ${dataDir}/postgres.`,
      { host: target.host, port: target.port, database: target.database },
      { cause: error },
    );
  }
}
