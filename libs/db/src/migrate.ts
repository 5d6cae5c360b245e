import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AkdError, Logger } from '@akd/core';
import pg from 'pg';

import { formatTarget } from './connection.js';

/** `prisma/migrations` of this repository. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));

/**
 * Key of the session-level advisory lock that Prisma Migrate takes on Postgres
 * (`pg_advisory_lock(72707369)` in schema engine 7.x and 8.x). Taking the same key means this
 * runner and `prisma migrate deploy` never apply migrations at the same time.
 */
export const MIGRATION_LOCK_KEY = 72707369;

/** Default time to wait for another process that holds the migration lock. */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

/** The history table of Prisma Migrate, with the DDL that its schema engine uses on Postgres. */
const CREATE_HISTORY_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/** One folder of the migrations directory. */
export interface Migration {
  /** Folder name, `<YYYYMMDDHHMMSS>_<name>`. Migrations apply in ascending name order. */
  name: string;
  sql: string;
  /** SHA-256 (hex) of `migration.sql`, as Prisma stores it in `_prisma_migrations.checksum`. */
  checksum: string;
}

export interface MigrateOptions {
  /** Folder with one sub-folder per migration. Defaults to {@link DEFAULT_MIGRATIONS_DIR}. */
  migrationsDir?: string;
  /** Time to wait for the migration lock, in milliseconds. */
  lockTimeoutMs?: number;
  logger?: Logger;
}

export interface MigrateResult {
  /** Names of the migrations this call applied, in order. */
  applied: string[];
  /** Number of migrations that were already applied before this call. */
  alreadyApplied: number;
}

/** A row of `_prisma_migrations`. */
interface HistoryRow {
  migration_name: string;
  checksum: string;
  started_at: Date;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Returns the SHA-256 (hex) of a migration script, the checksum Prisma records. */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql, 'utf8').digest('hex');
}

/**
 * Checks a script against a recorded checksum. Like Prisma's schema engine, this accepts the
 * script with LF or CRLF line endings, so a checkout that converted line endings still matches.
 */
export function matchesChecksum(sql: string, checksum: string): boolean {
  const lf = sql.replace(/\r\n/g, '\n');
  const crlf = lf.replace(/\n/g, '\r\n');
  return [sql, lf, crlf].some((variant) => migrationChecksum(variant) === checksum);
}

/**
 * Reads the migrations directory in Prisma's layout: `migration_lock.toml` and one folder per
 * migration containing `migration.sql`. Throws INVALID_FILE for a folder without a script or a
 * lock file that names another provider.
 */
export async function readMigrations(dir: string = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  if (!existsSync(dir)) {
    throw new AkdError('INVALID_FILE', `Migrations directory not found: ${dir}.`, { dir });
  }

  const lockPath = join(dir, 'migration_lock.toml');
  if (existsSync(lockPath)) {
    const lock = await readFile(lockPath, 'utf8');
    const provider = /^\s*provider\s*=\s*"([^"]*)"/m.exec(lock)?.[1];
    if (provider !== 'postgresql') {
      throw new AkdError(
        'INVALID_FILE',
        `${lockPath} names provider "${provider ?? '(none)'}", but these migrations run on "postgresql".`,
        { path: lockPath },
      );
    }
  }

  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  const migrations: Migration[] = [];
  for (const name of names) {
    const scriptPath = join(dir, name, 'migration.sql');
    if (!existsSync(scriptPath)) {
      throw new AkdError('INVALID_FILE', `Migration folder ${name} has no migration.sql (in ${dir}).`, {
        migration: name,
      });
    }
    const sql = await readFile(scriptPath, 'utf8');
    migrations.push({ name, sql, checksum: migrationChecksum(sql) });
  }
  return migrations;
}

/**
 * Applies the pending migrations of `options.migrationsDir` to the database at `url`.
 *
 * Guarantees:
 * - Each migration runs in its own transaction together with its `_prisma_migrations` row, so a
 *   failing migration leaves neither schema changes nor a history row behind.
 * - A session-level advisory lock on {@link MIGRATION_LOCK_KEY} serialises concurrent runners,
 *   including `prisma migrate deploy`. A runner that waited re-reads the history and applies
 *   only what is still pending.
 * - Applied migrations are checked first: a checksum that no longer matches its file, an applied
 *   migration missing from the directory, or an unfinished (failed) Prisma run rejects the whole
 *   call with CONFLICT before anything is applied.
 *
 * Migration scripts must not contain their own BEGIN/COMMIT, and statements that Postgres refuses
 * inside a transaction block (CREATE INDEX CONCURRENTLY, for example) fail.
 */
export async function migrate(url: string, options: MigrateOptions = {}): Promise<MigrateResult> {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const logger = options.logger ?? new Logger('db.migrate');
  const target = formatTarget(url);
  const migrations = await readMigrations(dir);

  const client = new pg.Client({ connectionString: url });
  client.on('error', (error) => logger.warn('Migration connection failed', { target, error }));
  try {
    await client.connect();
  } catch (error) {
    throw new AkdError(
      'UNAVAILABLE',
      `Cannot connect to Postgres at ${target} to apply migrations.`,
      { target },
      {
        cause: error,
      },
    );
  }

  try {
    await acquireLock(client, target, options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS);
    try {
      await client.query(CREATE_HISTORY_TABLE);
      const history = await readHistory(client);
      const appliedNames = checkHistory(history, migrations, dir);

      const pending = migrations.filter((migration) => !appliedNames.has(migration.name));
      for (const migration of pending) {
        await applyOne(client, migration, dir);
        logger.info('Applied migration', { migration: migration.name, target });
      }
      return { applied: pending.map((migration) => migration.name), alreadyApplied: appliedNames.size };
    } finally {
      // Ending the session below releases the lock too, so a failed unlock must not hide the real error.
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Lists the migrations of `options.migrationsDir` that are not yet applied to `url`, without applying them. */
export async function pendingMigrations(url: string, options: MigrateOptions = {}): Promise<Migration[]> {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const migrations = await readMigrations(dir);
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const exists = await client.query<{ table: string | null }>(
      `SELECT to_regclass('"_prisma_migrations"')::text AS "table"`,
    );
    if (exists.rows[0]?.table === null) return migrations;
    const appliedNames = checkHistory(await readHistory(client), migrations, dir);
    return migrations.filter((migration) => !appliedNames.has(migration.name));
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function acquireLock(client: pg.Client, target: string, timeoutMs: number): Promise<void> {
  // lock_timeout also bounds the wait for advisory locks. It is reset so migrations run without it.
  await client.query(`SET lock_timeout = ${Math.max(1, Math.round(timeoutMs))}`);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  } catch (error) {
    if ((error as { code?: string }).code === '55P03') {
      throw new AkdError(
        'UNAVAILABLE',
        `Timed out after ${timeoutMs} ms waiting for the migration lock pg_advisory_lock(${MIGRATION_LOCK_KEY}) ` +
          `on ${target}. Another process is applying migrations; if none is, find the session that holds ` +
          `the lock in pg_locks (locktype 'advisory', objid ${MIGRATION_LOCK_KEY}) and end it.`,
        { target },
        { cause: error },
      );
    }
    throw error;
  } finally {
    await client.query('RESET lock_timeout');
  }
}

async function readHistory(client: pg.Client): Promise<HistoryRow[]> {
  const result = await client.query<HistoryRow>(
    `SELECT migration_name, checksum, started_at, finished_at, rolled_back_at
       FROM "_prisma_migrations"
      ORDER BY started_at, migration_name`,
  );
  return result.rows;
}

/**
 * Validates the recorded history against the local migrations and returns the names of the
 * applied ones. Rows marked rolled back are ignored, as Prisma does.
 */
function checkHistory(history: HistoryRow[], migrations: Migration[], dir: string): Set<string> {
  const local = new Map(migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();

  for (const row of history) {
    if (row.rolled_back_at !== null) continue;
    const name = row.migration_name;

    if (row.finished_at === null) {
      throw new AkdError(
        'CONFLICT',
        `Migration ${name} started at ${row.started_at.toISOString()} but never finished, so the database ` +
          `may be partly migrated. Repair the database by hand, then mark the attempt rolled back with ` +
          `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${name}' ` +
          `AND finished_at IS NULL (or prisma migrate resolve --rolled-back ${name}).`,
        { migration: name },
      );
    }

    const migration = local.get(name);
    if (!migration) {
      throw new AkdError(
        'CONFLICT',
        `Migration ${name} is applied to the database but missing from ${dir}. The database was migrated ` +
          `by a newer version of AKD Studio: update this checkout before using it.`,
        { migration: name },
      );
    }
    if (!matchesChecksum(migration.sql, row.checksum)) {
      throw new AkdError(
        'CONFLICT',
        `Migration ${name} was modified after it was applied: its checksum in the database is ` +
          `${row.checksum}, but ${join(dir, name, 'migration.sql')} hashes to ${migration.checksum}. ` +
          `Restore the original file and put the change in a new migration.`,
        { migration: name, recorded: row.checksum, actual: migration.checksum },
      );
    }
    applied.add(name);
  }
  return applied;
}

async function applyOne(client: pg.Client, migration: Migration, dir: string): Promise<void> {
  await client.query('BEGIN');
  try {
    // A parameterless query uses the simple protocol, which accepts a multi-statement script.
    await client.query(migration.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations"
         (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
       VALUES ($1, $2, clock_timestamp(), $3, NULL, NULL, now(), 1)`,
      [randomUUID(), migration.checksum, migration.name],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const line = errorLine(migration.sql, error);
    const where = line === undefined ? '' : ` at line ${line}`;
    throw new AkdError(
      'INTERNAL',
      `Migration ${migration.name} failed${where} and was rolled back, so the database is unchanged: ` +
        `${(error as Error).message}. Script: ${join(dir, migration.name, 'migration.sql')}.`,
      { migration: migration.name },
      { cause: error },
    );
  }
}

/** Converts the 1-based character position of a Postgres syntax error into a line number. */
function errorLine(sql: string, error: unknown): number | undefined {
  const position = Number((error as { position?: string }).position);
  if (!Number.isInteger(position) || position < 1) return undefined;
  return sql.slice(0, position - 1).split('\n').length;
}
