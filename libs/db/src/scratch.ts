import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { quoteIdentifier, withDatabase } from './connection.js';

/** A database created for one run (a test file, a migration diff) and dropped afterwards. */
export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a unique name starting with `prefix` on the server of
 * `serverUrl`. The role in `serverUrl` needs the CREATEDB privilege.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await runOnServer(serverUrl, `CREATE DATABASE ${quoteIdentifier(name)}`);

  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      // WITH (FORCE) needs Postgres 13 or later.
      await runOnServer(serverUrl, `DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    },
  };
}

async function runOnServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end().catch(() => undefined);
  }
}
