import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';

import { AkdError } from '@akd/core';

import { checkConnection, describeUrl } from './connection.js';
import { openDatabase, type Database } from './open.js';
import { isProcessAlive } from './process-lock.js';

const savedDatabaseUrl = process.env.DATABASE_URL;
let baseDir: string;

before(async () => {
  delete process.env.DATABASE_URL;
  baseDir = await mkdtemp(join(tmpdir(), 'akd-open-'));
  // When the tests run as root, the server runs as the postgres user, which must enter this folder.
  await chmod(baseDir, 0o755);
});

after(async () => {
  if (savedDatabaseUrl === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = savedDatabaseUrl;
  await rm(baseDir, { recursive: true, force: true });
});

/** Returns a port on 127.0.0.1 with nothing listening on it. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

async function isReachable(url: string): Promise<boolean> {
  try {
    await checkConnection(url, 2_000);
    return true;
  } catch {
    return false;
  }
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

async function addDataset(db: Database, name: string): Promise<void> {
  await db.prisma.dataset.create({
    data: {
      name,
      kind: 'idx',
      directory: '/data/mnist',
      inputHeight: 28,
      inputWidth: 28,
      inputChannels: 1,
      numClasses: 10,
      classNames: [],
      trainCount: 60_000,
      testCount: 10_000,
      fingerprint: name.padEnd(64, '0'),
    },
  });
}

describe('openDatabase with DATABASE_URL', () => {
  test('unreachable server gives clear error', async () => {
    const port = await closedPort();
    const dataDir = join(baseDir, 'unreachable');
    process.env.DATABASE_URL = `postgresql://akd:s3cret-password@127.0.0.1:${port}/akd_missing`;
    try {
      await assert.rejects(openDatabase({ dataDir }), (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.equal(error.code, 'UNAVAILABLE');
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}, database "akd_missing"`));
        assert.match(
          error.message,
          /Start that Postgres server, or unset DATABASE_URL to use the embedded Postgres/,
        );
        assert.doesNotMatch(error.message, /s3cret-password/);
        assert.doesNotMatch(JSON.stringify(error.details), /s3cret-password/);
        return true;
      });
    } finally {
      delete process.env.DATABASE_URL;
    }
    assert.equal(existsSync(join(dataDir, 'postgres')), false, 'the embedded Postgres was started');
  });
});

// The tests share one cluster, so initdb runs once. Each test leaves the server stopped.
describe('embedded Postgres', () => {
  let dataDir: string;
  let clusterDir: string;
  before(() => {
    dataDir = join(baseDir, 'embedded');
    clusterDir = join(dataDir, 'postgres', 'data');
  });

  test('starts, restarts with its data, and stops', async () => {
    const first = await openDatabase({ dataDir });
    assert.equal(first.embedded, true);
    assert.equal(describeUrl(first.url).host, '127.0.0.1');
    await addDataset(first, 'kept-across-restarts');
    const state = JSON.parse(await readFile(join(dataDir, 'postgres', 'server.json'), 'utf8'));
    assert.equal(state.port, describeUrl(first.url).port);
    assert.equal(state.pid, await postmasterPid(clusterDir));
    await first.close();

    assert.equal(await isReachable(first.url), false, 'close() left the server running');
    assert.equal(existsSync(join(clusterDir, 'postmaster.pid')), false);
    assert.equal(existsSync(join(dataDir, 'postgres', 'server.json')), false);

    const second = await openDatabase({ dataDir });
    try {
      const kept = await second.prisma.dataset.findUnique({ where: { name: 'kept-across-restarts' } });
      assert.ok(kept, 'the restarted server lost the data');
    } finally {
      await second.close();
    }
  });

  test('second process joins running server', async () => {
    const owner = await openDatabase({ dataDir });
    try {
      const joiner = await openDatabase({ dataDir });
      assert.equal(describeUrl(joiner.url).port, describeUrl(owner.url).port);
      await joiner.close();

      assert.ok(await owner.prisma.dataset.count(), 'closing one user stopped the shared server');
    } finally {
      await owner.close();
    }
    assert.equal(await isReachable(owner.url), false);
  });

  test('recovers from a crashed server', async () => {
    const before = await openDatabase({ dataDir });
    await addDataset(before, 'written-before-crash');
    await before.prisma.$disconnect();
    const pid = await postmasterPid(clusterDir);

    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 100 && isProcessAlive(pid); i++) await sleep(50);
    assert.equal(isProcessAlive(pid), false);
    assert.equal(
      existsSync(join(clusterDir, 'postmaster.pid')),
      true,
      'a killed server leaves postmaster.pid',
    );
    await before.close();

    const after = await openDatabase({ dataDir });
    try {
      assert.ok(await after.prisma.dataset.findUnique({ where: { name: 'written-before-crash' } }));
    } finally {
      await after.close();
    }
  });

  test('replaces postmaster.pid of a reused pid', async () => {
    assert.equal(existsSync(join(clusterDir, 'PG_VERSION')), true, 'the earlier tests created no cluster');
    // A live process that is not a postmaster: what a pid reused after a reboot looks like.
    const lines = ['', clusterDir, '0', '5', '', '127.0.0.1', '0 0', 'ready', ''];
    lines[0] = String(process.pid);
    await writeFile(join(clusterDir, 'postmaster.pid'), lines.join('\n'));

    const second = await openDatabase({ dataDir });
    try {
      assert.notEqual(describeUrl(second.url).port, 5);
      assert.notEqual(await postmasterPid(clusterDir), process.pid);
      assert.ok(await second.prisma.dataset.findUnique({ where: { name: 'kept-across-restarts' } }));
    } finally {
      await second.close();
    }
  });
});
