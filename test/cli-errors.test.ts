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
import { createServer, type AddressInfo } from 'node:net';
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
    assert.equal(existsSync(join(dataDir, 'demo-token')), false, 'no token file was written');
  });

  it('fails when AKD_BACKEND names a backend that cannot load', async () => {
    const run = await runCli(['demo', '--quick'], { env: { AKD_BACKEND: 'node', DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /The node TensorFlow\.js backend is unavailable/);
  });

  it('fails on an unknown AKD_LOG_LEVEL', async () => {
    const run = await runCli(['demo', '--quick'], {
      env: { AKD_LOG_LEVEL: 'verbose', DATABASE_URL: db.url, AKD_DATA_DIR: dataDir },
    });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Invalid AKD_LOG_LEVEL=verbose: use debug, info, warn or error/);
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

  it('rejects --web-port without --web', async () => {
    const run = await runCli(['demo', '--web-port', '3001'], { env: { DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--web-port .*needs --web/);
  });

  it('rejects an API port above 65535', async () => {
    const run = await runCli(['demo', '--api-port', '70000'], { env: { DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--api-port.*from 0 to 65535.*"70000"/);
  });

  it('rejects a malformed AKD_API_PORT', async () => {
    const run = await runCli(['demo'], { env: { DATABASE_URL: db.url, AKD_API_PORT: 'http' } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /Invalid AKD_API_PORT=http/);
  });

  it('rejects a short AKD_ADMIN_TOKEN', async () => {
    const run = await runCli(['demo'], {
      env: { DATABASE_URL: db.url, AKD_DATA_DIR: dataDir, AKD_ADMIN_TOKEN: 'secret' },
    });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /AKD_ADMIN_TOKEN is 6 characters long/);
  });

  it('names an API port in use and records nothing', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    try {
      const run = await runCli(['demo', '--api-port', String(port)], {
        env: { DATABASE_URL: db.url, AKD_DATA_DIR: dataDir, AKD_DATASET: 'fashion-mnist-subset' },
      });
      assert.notEqual(run.code, 0);
      assert.match(run.stderr, new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is in use`));
      assert.match(run.stderr, /--api-port/);
      assert.equal(await db.prisma.dataset.count(), 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects a budget of zero', async () => {
    const run = await runCli(['demo', '--budget', '0'], { env: { DATABASE_URL: db.url } });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /--budget.*at least 1/);
  });
});

describe('akd usage errors', () => {
  const cases = [
    {
      name: 'unknown option',
      args: ['study', 'ranking', '--teachers', 'a,b', '--seeds', '1', '--bogus'],
      error: /^error: unknown option '--bogus'$/m,
      hint: 'Run "akd study ranking --help" for the options.',
    },
    {
      name: 'missing required option',
      args: ['study', 'ranking', '--seeds', '1'],
      error: /^error: required option '--teachers <list>' not specified$/m,
      hint: 'Run "akd study ranking --help" for the options.',
    },
    {
      name: 'invalid choice',
      args: ['study', 'list', '--kind', 'nope'],
      error: /^error: option '--kind <kind>' argument 'nope' is invalid\. Allowed choices are similarity,/m,
      hint: 'Run "akd study list --help" for the options.',
    },
    {
      name: 'unknown command',
      args: ['studdy'],
      error: /^error: unknown command 'studdy'$/m,
      hint: 'Run "akd --help" for the commands.',
    },
  ];
  for (const { name, args, error, hint } of cases) {
    it(`prints the error and a hint for ${name}`, async () => {
      const run = await runCli(args, { env: { DATABASE_URL: db.url } });
      assert.equal(run.code, 2, run.stderr);
      assert.match(run.stderr, error);
      assert.ok(run.stderr.includes(hint), `hint missing from: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /Usage:/, 'the help text is not printed');
      assert.equal(run.stdout, '');
    });
  }

  it('prints the help for --help with code 0', async () => {
    const run = await runCli(['study', 'ranking', '--help'], { env: { DATABASE_URL: db.url } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Usage: akd study ranking \[options\]/);
  });
});
