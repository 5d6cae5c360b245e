import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import {
  FAST_QUEUE,
  latestJob,
  setUp,
  spawnWorker,
  tinyExperiment,
  waitFor,
  waitForExperiment,
  type TestSetup,
  type WorkerProcess,
} from './test-support.js';

/**
 * Expiry of search-step and candidate jobs in these tests: a crashed worker's jobs run again about
 * this long after they started. It must exceed the training of one candidate (about 2 s here).
 */
const EXPIRE_SECONDS = 15;

let setup: TestSetup;
const started: WorkerProcess[] = [];

before(async () => {
  setup = await setUp({
    ...FAST_QUEUE,
    jobs: {
      'search-step': { expireInSeconds: EXPIRE_SECONDS },
      candidate: { expireInSeconds: EXPIRE_SECONDS },
    },
  });
});

after(async () => {
  for (const worker of started) worker.child.kill('SIGKILL');
  await setup?.cleanup();
});

function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const worker = spawnWorker(env);
  started.push(worker);
  return worker;
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('worker process', () => {
  test('killed worker mid-training, search completes', async () => {
    const prisma = setup.db.prisma;
    const env = {
      DATABASE_URL: setup.db.url,
      AKD_DATA_DIR: setup.dataDir,
      AKD_JOB_EXPIRE_SECONDS: `search-step=${EXPIRE_SECONDS},candidate=${EXPIRE_SECONDS}`,
      // Reaping off: the killed worker's jobs come back through pg-boss expiry alone.
      AKD_WORKER_STALE_SECONDS: '0',
    };
    // About two seconds per candidate, so the kill lands while one trains.
    const proxy = { trainSize: 1500, valSize: 200, epochs: 2, batchSize: 50, learningRate: 0.005, seed: 1 };
    const experiment = await tinyExperiment(setup, { name: 'crash', budget: 4, proxy });
    await setup.queue.enqueueSearch(experiment.id);

    const first = startWorkerProcess(env);
    const training = await waitFor(
      'a candidate in training',
      () => prisma.candidate.findFirst({ where: { experimentId: experiment.id, status: 'training' } }),
      (row) => row !== null,
      90_000,
    );
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');
    const interrupted = training?.id as string;

    const second = startWorkerProcess(env);
    const done = await waitForExperiment(prisma, experiment.id, ['completed', 'failed'], 120_000);
    assert.equal(done.status, 'completed', `experiment error: ${done.error}`);

    const candidates = await prisma.candidate.findMany({ where: { experimentId: experiment.id } });
    assert.equal(candidates.length, 4);
    assert.equal(new Set(candidates.map((c) => c.genomeHash)).size, 4);
    for (const candidate of candidates) {
      assert.equal(candidate.status, 'completed', `candidate ${candidate.id}: ${candidate.error}`);
      // The interrupted candidate started twice; every other one once.
      assert.equal(candidate.attempts, candidate.id === interrupted ? 2 : 1, `attempts of ${candidate.id}`);
      const job = await latestJob(prisma, 'candidate', candidate.id);
      assert.equal(job?.output?.outcome, 'trained');
    }
    const retried = await latestJob(prisma, 'candidate', interrupted);
    assert.ok((retried?.retryCount ?? 0) >= 1, 'the interrupted candidate job ran again after its expiry');
    assert.match(second.stderr(), /Search resumed/);

    const secondId = await prisma.worker.findFirst({ where: { pid: second.child.pid } });
    second.child.kill('SIGTERM');
    assert.deepEqual(await second.exited, { code: 0, signal: null });
    assert.equal(
      await prisma.worker.count({ where: { id: secondId?.id } }),
      0,
      'a clean stop deletes the worker row',
    );
  });

  test('SIGTERM mid-training releases the candidate', async () => {
    const prisma = setup.db.prisma;
    // Training that lasts far longer than the 1 s grace period. With 3 epochs of 3,000 images, a
    // tiny student once finished within the grace period on a 2-core Zen 5 VM, so the candidate was
    // completed instead of released. The worker stops long before 30 epochs end, so they cost no time.
    const proxy = { trainSize: 3000, valSize: 200, epochs: 30, batchSize: 50, learningRate: 0.005, seed: 1 };
    const experiment = await tinyExperiment(setup, { name: 'sigterm', budget: 2, proxy });
    await setup.queue.enqueueSearch(experiment.id);
    const worker = startWorkerProcess({
      DATABASE_URL: setup.db.url,
      AKD_DATA_DIR: setup.dataDir,
      AKD_SHUTDOWN_GRACE_SECONDS: '1',
    });
    const training = await waitFor(
      'a candidate in training',
      () => prisma.candidate.findFirst({ where: { experimentId: experiment.id, status: 'training' } }),
      (row) => row !== null,
      90_000,
    );
    worker.child.kill('SIGTERM');
    assert.deepEqual(await worker.exited, { code: 0, signal: null });
    assert.match(worker.stderr(), /Worker stopped/);
    assert.doesNotMatch(worker.stderr(), /^error /m, 'a graceful stop logs nothing at error level');

    const released = await prisma.candidate.findUniqueOrThrow({ where: { id: training?.id } });
    assert.equal(released.status, 'pending');
    assert.equal(released.attempts, 0, 'a shutdown does not count as an attempt');
    const candidateJob = await latestJob(prisma, 'candidate', released.id);
    assert.equal(candidateJob?.state, 'retry', 'the released candidate job will run again');
    const searchJob = await latestJob(prisma, 'search-step', experiment.id);
    assert.equal(searchJob?.state, 'created', 'the search step handed over to a queued step');
    assert.equal(
      (await prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } })).status,
      'running',
    );
  });

  test('Postgres unavailable at start: retries, then stops on SIGTERM', async () => {
    const port = await closedPort();
    const worker = startWorkerProcess({
      DATABASE_URL: `postgresql://akd:s3cret-password@127.0.0.1:${port}/akd`,
      AKD_CONNECT_RETRY_MAX_SECONDS: '0.5',
    });
    const retries = (): number => (worker.stderr().match(/Cannot open the database; retrying/g) ?? []).length;
    await waitFor(
      'three connection retries',
      async () => retries(),
      (count) => count >= 3,
      60_000,
    );
    assert.equal(worker.child.exitCode, null, 'the worker is still running');
    assert.match(worker.stderr(), new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(worker.stderr(), /s3cret-password/);

    worker.child.kill('SIGTERM');
    assert.deepEqual(await worker.exited, { code: 0, signal: null });
  });
});
