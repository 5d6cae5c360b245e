import { AkdError, Logger } from '@akd/core';

import { createPrismaClient } from './client.js';
import { checkConnection, formatTarget } from './connection.js';
import type { PrismaClient } from './generated/prisma/client.js';
import { migrate } from './migrate.js';
import { createScratchDatabase } from './scratch.js';

/** Server that test databases are created on unless TEST_DATABASE_URL names another. */
export const DEFAULT_TEST_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabaseOptions {
  /** Server to create the database on. Defaults to TEST_DATABASE_URL, then {@link DEFAULT_TEST_SERVER_URL}. */
  serverUrl?: string;
  /** Apply this repository's migrations. Defaults to true. */
  migrate?: boolean;
  /** Migrations folder to apply in place of prisma/migrations. */
  migrationsDir?: string;
}

export interface TestDatabase {
  prisma: PrismaClient;
  url: string;
  /** Disconnects and drops the database. Safe to call twice. */
  drop(): Promise<void>;
}

/** Returns the server that test databases go to. */
export function testServerUrl(): string {
  return process.env.TEST_DATABASE_URL || DEFAULT_TEST_SERVER_URL;
}

/**
 * Creates a uniquely named database on the test server, migrates it and returns a client.
 * Throws UNAVAILABLE, naming the server, when it cannot be reached.
 */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const serverUrl = options.serverUrl ?? testServerUrl();
  try {
    await checkConnection(serverUrl);
  } catch (error) {
    throw new AkdError(
      'UNAVAILABLE',
      `Tests need a Postgres server at ${formatTarget(serverUrl)} whose user may create databases: ` +
        `${(error as Error).message}. Start one, or set TEST_DATABASE_URL.`,
      {},
      { cause: error },
    );
  }

  const scratch = await createScratchDatabase(serverUrl, 'akd_test');
  try {
    if (options.migrate !== false) {
      await migrate(scratch.url, { migrationsDir: options.migrationsDir, logger: new Logger('db.test') });
    }
  } catch (error) {
    await scratch.drop();
    throw error;
  }

  const prisma = createPrismaClient(scratch.url, { maxConnections: 4 });
  return {
    prisma,
    url: scratch.url,
    async drop() {
      await prisma.$disconnect();
      await scratch.drop();
    },
  };
}
