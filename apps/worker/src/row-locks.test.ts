import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Logger } from '@akd/core';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { RowLocks } from './row-locks.js';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase({ migrate: false });
});

after(async () => {
  await db?.drop();
});

describe('RowLocks', () => {
  test('concurrent calls run queries in turn', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => {
      warnings.push(warning.message);
    };
    process.on('warning', onWarning);
    const locks = new RowLocks(db.url, new Logger('row-locks.test'));
    try {
      const ids = ['a', 'b', 'c', 'd', 'e', 'f'].map((letter) => `row-${letter}`);
      // Both sets of calls start before any query returns, so the connection gets them at once.
      const [acquired, held] = await Promise.all([
        Promise.all(ids.map((id) => locks.tryAcquire('candidate', id))),
        Promise.all(ids.map((id) => locks.heldIds('candidate', [id]))),
      ]);
      assert.equal(acquired.filter((lock) => lock !== null).length, ids.length, 'every lock was taken');
      assert.equal(held.length, ids.length);
      assert.deepEqual(await locks.heldIds('candidate', ids), new Set(ids));

      await Promise.all(acquired.map((lock) => lock?.release()));
      assert.deepEqual(await locks.heldIds('candidate', ids), new Set());
      // Node emits 'warning' on the next tick.
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(
        warnings.filter((message) => /already executing a query/.test(message)),
        [],
        'node-postgres warned about a query sent while another ran',
      );
    } finally {
      process.off('warning', onWarning);
      await locks.close();
    }
  });
});
