import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { ROOT, runCli } from './support.js';

let db: TestDatabase;
let dataDir: string;

before(async () => {
  db = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'akd-cli-'));
});

after(async () => {
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('akd demo with bad input', () => {
  it('fails on an unreachable DATABASE_URL without starting the embedded database', async () => {
    const run = await runCli(['demo', '--quick'], {
      env: { DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/akd', AKD_DATA_DIR: dataDir },
    });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /127\.0\.0\.1:1/);
    assert.match(run.stderr, /DATABASE_URL/);
    assert.equal(existsSync(join(dataDir, 'postgres')), false, 'no embedded database was started');
  });

  it('fails when AKD_BACKEND names a backend that cannot load', async () => {
    const run = await runCli(['demo', '--quick'], { env: { AKD_BACKEND: 'node', DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /The node TensorFlow\.js backend is unavailable/);
  });

  it('fails on an unknown AKD_BACKEND value', async () => {
    const run = await runCli(['demo', '--quick'], { env: { AKD_BACKEND: 'tpu', DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /tpu/);
  });

  it('names a truncated IDX file and records nothing', async () => {
    const dir = join(dataDir, 'truncated');
    mkdirSync(dir);
    const source = join(ROOT, 'data', 'fashion-mnist-subset');
    for (const name of [
      'train-labels-idx1-ubyte.gz',
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
    ]) {
      copyFileSync(join(source, name), join(dir, name));
    }
    const images = gunzipSync(readFileSync(join(source, 'train-images-idx3-ubyte.gz')));
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), images.subarray(0, images.length - 1000));
    const run = await runCli(['demo', '--quick'], { env: { AKD_DATASET: dir, DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /train-images-idx3-ubyte/);
    assert.match(run.stderr, /truncated/i);
    assert.equal(await db.prisma.dataset.count(), 0);
    assert.equal(await db.prisma.experiment.count(), 0);
  });

  it('rejects a budget of zero', async () => {
    const run = await runCli(['demo', '--budget', '0'], { env: { DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--budget.*at least 1/);
  });
});
