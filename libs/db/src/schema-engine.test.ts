import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import pg from 'pg';

import { DEFAULT_MIGRATIONS_DIR, migrate, readMigrations } from './migrate.js';
import { createScratchDatabase } from './scratch.js';
import { createMigration, DEFAULT_SCHEMA_PATH, diffDatabaseAgainstSchema } from './schema-engine.js';
import { createTestDatabase, testServerUrl, type TestDatabase } from './testing.js';

const tempDirs: string[] = [];

after(async () => {
  for (const dir of tempDirs) await rm(dir, { recursive: true, force: true });
});

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

async function execute(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('migrated database', () => {
  let db: TestDatabase;
  before(async () => {
    db = await createTestDatabase();
  });
  after(async () => {
    await db.drop();
  });

  test('matches the Prisma schema', async () => {
    const diff = await diffDatabaseAgainstSchema(db.url);

    assert.equal(diff.empty, true, `prisma/migrations and prisma/schema.prisma differ:\n${diff.script}`);
  });

  test('drift is detected', async () => {
    await execute(
      db.url,
      `ALTER TABLE "candidates" ALTER COLUMN "reward" SET NOT NULL;
       ALTER TABLE "candidates" ALTER COLUMN "params" TYPE INTEGER;
       ALTER TABLE "datasets" ALTER COLUMN "created_at" DROP DEFAULT;
       DROP INDEX "candidates_experiment_id_status_idx";
       DROP INDEX "candidates_experiment_id_genome_hash_key";
       ALTER TABLE "candidates" DROP CONSTRAINT "candidates_experiment_id_fkey";
       ALTER TABLE "candidates" ADD CONSTRAINT "candidates_experiment_id_fkey" FOREIGN KEY ("experiment_id")
         REFERENCES "experiments"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
    );

    const diff = await diffDatabaseAgainstSchema(db.url);

    assert.equal(diff.empty, false);
    assert.match(diff.script, /ALTER COLUMN "reward" DROP NOT NULL/);
    assert.match(diff.script, /ALTER COLUMN "params" SET DATA TYPE BIGINT/);
    assert.match(
      diff.script,
      /ALTER TABLE "datasets" ALTER COLUMN "created_at" SET DEFAULT CURRENT_TIMESTAMP/,
    );
    assert.match(diff.script, /CREATE INDEX "candidates_experiment_id_status_idx"/);
    assert.match(diff.script, /CREATE UNIQUE INDEX "candidates_experiment_id_genome_hash_key"/);
    assert.match(diff.script, /"candidates_experiment_id_fkey" FOREIGN KEY .* ON DELETE CASCADE/);
  });
});

describe('createMigration', () => {
  test('returns null when in sync', async () => {
    const dir = await tempDir('akd-migrations-');
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });

    const created = await createMigration({
      serverUrl: testServerUrl(),
      name: 'nothing',
      migrationsDir: dir,
    });

    assert.equal(created, null);
    assert.deepEqual((await readdir(dir)).sort(), (await readdir(DEFAULT_MIGRATIONS_DIR)).sort());
  });

  test('writes the next migration', async () => {
    const dir = await tempDir('akd-migrations-');
    await cp(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const schemaPath = join(await tempDir('akd-schema-'), 'schema.prisma');
    const schema = await readFile(DEFAULT_SCHEMA_PATH, 'utf8');
    const changed = schema.replace(/(model Worker \{\n)/, '$1  note String?\n');
    assert.notEqual(changed, schema, 'the test could not find model Worker to change');
    await writeFile(schemaPath, changed);
    const before = await readMigrations(dir);

    const created = await createMigration({
      serverUrl: testServerUrl(),
      name: 'Add worker note',
      migrationsDir: dir,
      schemaPath,
      now: new Date('2000-01-01T00:00:00Z'),
    });

    assert.ok(created);
    assert.match(created.sql, /ALTER TABLE "workers" ADD COLUMN\s+"note" TEXT;/);
    const after = await readMigrations(dir);
    assert.equal(after.length, before.length + 1);
    assert.equal(after.at(-1)?.name, created.name, 'a clock behind the newest migration still sorts last');
    assert.match(created.name, /^\d{14}_add_worker_note$/);

    const scratch = await createScratchDatabase(testServerUrl(), 'akd_test');
    try {
      await migrate(scratch.url, { migrationsDir: dir });
      const diff = await diffDatabaseAgainstSchema(scratch.url, schemaPath);
      assert.equal(diff.empty, true, diff.script);
    } finally {
      await scratch.drop();
    }
  });
});
