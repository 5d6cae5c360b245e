import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { defaultSearchSpace } from '@akd/search-space';
import { storeLatencyProfile } from '@akd/runner';
import { syntheticProfile } from '../../../../libs/engine/src/latency/test-fixtures.js';
import { runCli } from '../../../../test/support.js';

// Measuring a whole profile takes about a minute, so these runs stop at a bad input before it starts.
let db: TestDatabase;

before(async () => {
  db = await createTestDatabase();
  await storeLatencyProfile(db.prisma, syntheticProfile(defaultSearchSpace([28, 28, 1], 10)), 'taken');
});

after(async () => {
  await db?.drop();
});

describe('akd latency profile with bad input', () => {
  const env = (): Record<string, string> => ({ DATABASE_URL: db.url, AKD_DATASET: 'fashion-mnist-subset' });

  it('rejects a taken name before measuring', async () => {
    const run = await runCli(['latency', 'profile', '--name', 'taken'], { env: env() });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /A latency profile named "taken" already exists\. Choose another name\./);
    assert.doesNotMatch(run.stderr, /time parts/, 'nothing was measured');
    assert.equal(await db.prisma.latencyProfile.count(), 1);
  });

  it('rejects an empty name', async () => {
    const run = await runCli(['latency', 'profile', '--name', ''], { env: env() });
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /Invalid --name "": use 1 to 100 characters/);
  });

  it('rejects an unknown backend', async () => {
    const run = await runCli(['latency', 'profile', '--backend', 'tpu'], { env: env() });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /argument 'tpu' is invalid\. Allowed choices are node-gpu, node, wasm, cpu/);
  });

  it('names --dataset when the dataset it gives is missing', async () => {
    const run = await runCli(['latency', 'profile', '--dataset', '/nonexistent/akd-images'], { env: env() });
    assert.equal(run.code, 2, run.stderr);
    assert.match(
      run.stderr,
      /--dataset=\/nonexistent\/akd-images is neither fashion-mnist nor fashion-mnist-subset/,
    );
    assert.doesNotMatch(run.stderr, /AKD_DATASET/);
    assert.equal(await db.prisma.latencyProfile.count(), 1);
  });
});
