import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { AkdError } from '@akd/core';
import pg from 'pg';

import {
  DEFAULT_MIGRATIONS_DIR,
  MIGRATION_LOCK_KEY,
  matchesChecksum,
  migrate,
  migrationChecksum,
  pendingMigrations,
  readMigrations,
} from './migrate.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch.js';
import { testServerUrl } from './testing.js';

const scratches: ScratchDatabase[] = [];
const tempDirs: string[] = [];

after(async () => {
  for (const scratch of scratches) await scratch.drop();
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function emptyDatabase(): Promise<string> {
  const scratch = await createScratchDatabase(testServerUrl(), 'akd_test');
  scratches.push(scratch);
  return scratch.url;
}

/** Copies prisma/migrations to a temporary folder that a test may change. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'akd-migrations-'));
  tempDirs.push(dir);
  await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
  return dir;
}

async function addMigration(dir: string, name: string, sql: string): Promise<void> {
  await mkdir(join(dir, name), { recursive: true });
  await writeFile(join(dir, name, 'migration.sql'), sql);
}

async function query<T extends pg.QueryResultRow>(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const rows = await query<{ found: string | null }>(url, 'SELECT to_regclass($1)::text AS found', [table]);
  return rows[0].found !== null;
}

interface HistoryRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  started_at: Date;
  logs: string | null;
  applied_steps_count: number;
}

async function history(url: string): Promise<HistoryRow[]> {
  return query<HistoryRow>(url, 'SELECT * FROM "_prisma_migrations" ORDER BY migration_name');
}

function isAkdError(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected AkdError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('readMigrations', () => {
  test('reads repository migrations in order', async () => {
    const migrations = await readMigrations();
    assert.ok(migrations.length > 0);
    const names = migrations.map((migration) => migration.name);
    assert.deepEqual(names, [...names].sort());
    for (const migration of migrations) {
      assert.match(migration.name, /^\d{14}_[a-z0-9_]+$/);
      assert.equal(migration.checksum, migrationChecksum(migration.sql));
    }
  });

  test('rejects lock file of another provider', async () => {
    const dir = await copyOfMigrations();
    await writeFile(join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    await assert.rejects(readMigrations(dir), isAkdError('INVALID_FILE', /provider "mysql"/));
  });

  test('rejects folder without migration.sql', async () => {
    const dir = await copyOfMigrations();
    await mkdir(join(dir, '20990101000000_empty'));
    await assert.rejects(
      readMigrations(dir),
      isAkdError('INVALID_FILE', /20990101000000_empty has no migration\.sql/),
    );
  });

  test('checksum accepts LF and CRLF variants', () => {
    const lf = 'SELECT 1;\nSELECT 2;\n';
    const crlf = 'SELECT 1;\r\nSELECT 2;\r\n';
    assert.equal(matchesChecksum(crlf, migrationChecksum(lf)), true);
    assert.equal(matchesChecksum(lf, migrationChecksum(crlf)), true);
    assert.equal(matchesChecksum('SELECT 3;\n', migrationChecksum(lf)), false);
  });
});

describe('migrate', () => {
  test('applies every migration once', async () => {
    const url = await emptyDatabase();
    const migrations = await readMigrations();

    const result = await migrate(url);

    assert.deepEqual(
      result.applied,
      migrations.map((migration) => migration.name),
    );
    assert.equal(result.alreadyApplied, 0);
    assert.equal(await tableExists(url, 'candidates'), true);

    const rows = await history(url);
    assert.equal(rows.length, migrations.length);
    for (const [i, row] of rows.entries()) {
      assert.equal(row.migration_name, migrations[i].name);
      assert.equal(
        row.checksum,
        migrationChecksum(
          await readFile(join(DEFAULT_MIGRATIONS_DIR, row.migration_name, 'migration.sql'), 'utf8'),
        ),
      );
      assert.match(row.id, /^[0-9a-f-]{36}$/);
      assert.ok(row.finished_at instanceof Date);
      assert.ok(row.finished_at >= row.started_at);
      assert.equal(row.rolled_back_at, null);
      assert.equal(row.logs, null);
      assert.equal(row.applied_steps_count, 1);
    }
  });

  test('second run is a no-op', async () => {
    const url = await emptyDatabase();
    const first = await migrate(url);

    const second = await migrate(url);

    assert.deepEqual(second.applied, []);
    assert.equal(second.alreadyApplied, first.applied.length);
    assert.equal((await history(url)).length, first.applied.length);
    assert.deepEqual(await pendingMigrations(url), []);
  });

  test('applies new migrations in name order', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { migrationsDir: dir });
    // The second migration needs the first one's table, so the wrong order fails.
    await addMigration(dir, '20990101000002_second', 'ALTER TABLE "probe_order" ADD COLUMN "b" INTEGER;');
    await addMigration(dir, '20990101000001_first', 'CREATE TABLE "probe_order" ("a" INTEGER);');
    assert.deepEqual(
      (await pendingMigrations(url, { migrationsDir: dir })).map((migration) => migration.name),
      ['20990101000001_first', '20990101000002_second'],
    );

    const result = await migrate(url, { migrationsDir: dir });

    assert.deepEqual(result.applied, ['20990101000001_first', '20990101000002_second']);
  });

  test('rejects modified applied migration', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await migrate(url, { migrationsDir: dir });
    await writeFile(join(dir, first.name, 'migration.sql'), first.sql + '\n-- edited after deploy\n');
    await addMigration(dir, '20990101000000_probe', 'CREATE TABLE "probe_after_edit" ("a" INTEGER);');

    await assert.rejects(
      migrate(url, { migrationsDir: dir }),
      isAkdError('CONFLICT', new RegExp(`Migration ${first.name} was modified after it was applied`)),
    );
    await assert.rejects(
      migrate(url, { migrationsDir: dir }),
      isAkdError('CONFLICT', /Restore the original file/),
    );
    assert.equal(
      await tableExists(url, 'probe_after_edit'),
      false,
      'no migration runs after a checksum mismatch',
    );
  });

  test('accepts applied migration with CRLF endings', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    const [first] = await readMigrations(dir);
    await migrate(url, { migrationsDir: dir });
    await writeFile(join(dir, first.name, 'migration.sql'), first.sql.replace(/\n/g, '\r\n'));

    const result = await migrate(url, { migrationsDir: dir });

    assert.deepEqual(result.applied, []);
  });

  test('rolls back failing migration', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { migrationsDir: dir });
    await addMigration(
      dir,
      '20990101000001_broken',
      'CREATE TABLE "probe_broken" ("a" INTEGER);\nSELEC 1;\n',
    );
    await addMigration(dir, '20990101000002_later', 'CREATE TABLE "probe_later" ("a" INTEGER);');

    await assert.rejects(
      migrate(url, { migrationsDir: dir }),
      isAkdError('INTERNAL', /Migration 20990101000001_broken failed at line 2 and was rolled back/),
    );
    assert.equal(await tableExists(url, 'probe_broken'), false, 'the failed migration left its table behind');
    assert.equal(await tableExists(url, 'probe_later'), false, 'a migration after the failed one ran');
    const names = (await history(url)).map((row) => row.migration_name);
    assert.equal(names.includes('20990101000001_broken'), false);
  });

  test('rejects unfinished Prisma migration', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await migrate(url, { migrationsDir: dir });
    await addMigration(dir, '20990101000000_crashed', 'CREATE TABLE "probe_crashed" ("a" INTEGER);');
    // The row that `prisma migrate deploy` leaves when a migration fails.
    await query(
      url,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES (gen_random_uuid()::text, $1, '20990101000000_crashed', now(), 0)`,
      [migrationChecksum('CREATE TABLE "probe_crashed" ("a" INTEGER);')],
    );

    await assert.rejects(
      migrate(url, { migrationsDir: dir }),
      isAkdError('CONFLICT', /20990101000000_crashed started at .* but never finished/),
    );

    await query(url, `UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE finished_at IS NULL`);
    const result = await migrate(url, { migrationsDir: dir });
    assert.deepEqual(result.applied, ['20990101000000_crashed'], 'a rolled-back attempt is applied again');
  });

  test('rejects applied migration missing locally', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    await addMigration(dir, '20990101000000_newer', 'CREATE TABLE "probe_newer" ("a" INTEGER);');
    await migrate(url, { migrationsDir: dir });
    await rm(join(dir, '20990101000000_newer'), { recursive: true });

    await assert.rejects(
      migrate(url, { migrationsDir: dir }),
      isAkdError('CONFLICT', /20990101000000_newer is applied to the database but missing from/),
    );
  });

  test('concurrent runners apply each migration once', async () => {
    const url = await emptyDatabase();
    const dir = await copyOfMigrations();
    // A slow migration keeps the first runner inside the lock while the others arrive.
    await addMigration(
      dir,
      '20990101000000_slow',
      'SELECT pg_sleep(0.5);\nCREATE TABLE "probe_slow" ("a" INTEGER);',
    );
    const all = (await readMigrations(dir)).map((migration) => migration.name);

    const results = await Promise.all([1, 2, 3].map(() => migrate(url, { migrationsDir: dir })));

    const applied = results.flatMap((result) => result.applied).sort();
    assert.deepEqual(applied, all, 'each migration is applied by exactly one runner');
    assert.equal(results.filter((result) => result.applied.length > 0).length, 1);
    const rows = await history(url);
    assert.deepEqual(
      rows.map((row) => row.migration_name),
      all,
    );
  });

  test('times out waiting for lock', async () => {
    const url = await emptyDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await assert.rejects(
        migrate(url, { lockTimeoutMs: 300 }),
        isAkdError('UNAVAILABLE', /Timed out after 300 ms waiting for the migration lock/),
      );
    } finally {
      await holder.end();
    }
    assert.equal(await tableExists(url, 'candidates'), false);
  });
});
