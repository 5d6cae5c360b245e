import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { Rng } from '@akd/core';
import { loadDatasetAt, writeIdxFile } from '@akd/data';
import type { Experiment, Teacher } from '@akd/db';
import { testServerUrl } from '@akd/db/testing';
import type { RunningJob } from '@akd/jobs';
import { ProxyTaskPool } from '@akd/proxy-task';
import { experimentRewardConfig, PrismaSearchStore, registerDataset } from '@akd/runner';
import { computeReward } from '@akd/search';
import { genomeHash, sampleGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { listTeacherCheckpoints } from '@akd/teachers';
import { runCandidateJob } from './candidate-job.js';
import type { JobWorker } from './job-worker.js';
import {
  fakeTeacher,
  handlerContext,
  latestJob,
  setUp,
  startWorker,
  tinyExperiment,
  waitFor,
  waitForExperiment,
  type TestSetup,
} from './test-support.js';

let setup: TestSetup;
let worker: JobWorker;
let teacher: Teacher;
/** The experiment of the first test, whose candidates later tests reuse. */
let searched: Experiment;

before(async () => {
  setup = await setUp();
  teacher = await fakeTeacher(setup);
  // Reaping after 3 s lets the reaping test finish quickly; this worker beats every second.
  worker = await startWorker(setup.db.url, { staleWorkerSeconds: 3 });
});

after(async () => {
  await worker?.stop();
  await setup?.cleanup();
});

function candidateJob(rowId: string): RunningJob<'candidate'> {
  return {
    queue: 'candidate',
    jobId: randomUUID(),
    rowId,
    attempt: 1,
    maxAttempts: 4,
    expireInSeconds: 60,
    startedAt: new Date(),
  };
}

/** Creates generation 0 of `experiment` with `genomes` and returns the candidate ids. */
async function addCandidates(experiment: Experiment, genomes: Genome[]): Promise<string[]> {
  const space = experiment.searchSpace as unknown as SearchSpace;
  const store = new PrismaSearchStore(setup.db.prisma, experiment.id, space, 'measured');
  const proposed = genomes.map((genome) => ({ hash: genomeHash(space, genome), genome }));
  const snapshot = await store.beginGeneration(0, proposed, [1, 2, 3, 4]);
  return snapshot.generation.candidateIds;
}

/** Distinct genomes of `space`, sampled with a fixed seed. */
function distinctGenomes(space: SearchSpace, count: number): Genome[] {
  const rng = new Rng(11);
  const byHash = new Map<string, Genome>();
  while (byHash.size < count) {
    const genome = sampleGenome(space, rng);
    byHash.set(genomeHash(space, genome), genome);
  }
  return [...byHash.values()];
}

async function trainedJobCount(candidateId: string): Promise<number> {
  const rows = await setup.db.prisma.$queryRawUnsafe<{ count: number }[]>(
    `SELECT count(*)::int AS count FROM pgboss.job
     WHERE name = 'candidate' AND singleton_key = $1 AND state = 'completed' AND output->>'outcome' = 'trained'`,
    candidateId,
  );
  return rows[0].count;
}

describe('distributed search', () => {
  test('budget 4 completes through the queue', async () => {
    const prisma = setup.db.prisma;
    searched = await tinyExperiment(setup, {
      searchBy: 'distillation',
      teacherId: teacher.id,
      strategy: { kind: 'policy-gradient' },
    });
    const jobId = await setup.queue.enqueueSearch(searched.id);
    assert.ok(jobId);

    const running = await waitForExperiment(prisma, searched.id, ['running', 'completed']);
    assert.ok(running.startedAt);
    const registered = await prisma.worker.findUniqueOrThrow({ where: { id: worker.workerId as string } });
    assert.ok(Date.now() - registered.heartbeatAt.getTime() < 10_000, 'worker heartbeat is recent');

    const done = await waitForExperiment(prisma, searched.id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', `experiment error: ${done.error}`);
    assert.ok(done.finishedAt);

    const space = searched.searchSpace as unknown as SearchSpace;
    const candidates = await prisma.candidate.findMany({ where: { experimentId: searched.id } });
    assert.equal(candidates.length, 4);
    assert.equal(new Set(candidates.map((c) => c.genomeHash)).size, 4);
    const generations = await prisma.generation.findMany({ where: { experimentId: searched.id } });
    const proposedHashes = new Set(
      generations.flatMap((g) =>
        (g.proposals as unknown as Genome[]).map((genome) => genomeHash(space, genome)),
      ),
    );
    assert.deepEqual([...proposedHashes].sort(), candidates.map((c) => c.genomeHash).sort());
    for (const candidate of candidates) {
      assert.equal(candidate.status, 'completed', `candidate ${candidate.id}: ${candidate.error}`);
      assert.equal(candidate.attempts, 1);
      const expected = computeReward(
        candidate.proxyAccuracy as number,
        candidate.latencyMs as number,
        experimentRewardConfig(searched),
      );
      assert.equal(candidate.reward, expected);
      assert.equal(await trainedJobCount(candidate.id), 1);
    }
    const logits = await prisma.teacherLogits.count({ where: { teacherId: teacher.id, split: 'train' } });
    assert.equal(logits, 1);

    const search = await latestJob(prisma, 'search-step', searched.id);
    await waitFor(
      'the search step job to complete',
      () => latestJob(prisma, 'search-step', searched.id),
      (job) => job?.state === 'completed',
    );
    assert.equal(search?.id, jobId);
  });

  test('candidate job delivered twice trains once', async () => {
    const experiment = await tinyExperiment(setup, { name: 'twice' });
    const [first, second] = await addCandidates(
      experiment,
      distinctGenomes(experiment.searchSpace as unknown as SearchSpace, 2),
    );
    const pool = new ProxyTaskPool({ processes: 1 });
    const workerA = handlerContext(setup, pool);
    const workerB = handlerContext(setup, pool);
    try {
      // Two workers, each with its own lock session, receive the same candidate.
      const acrossWorkers = await Promise.all([
        runCandidateJob(workerA, { candidateId: first }, candidateJob(first)),
        runCandidateJob(workerB, { candidateId: first }, candidateJob(first)),
      ]);
      assert.deepEqual(acrossWorkers.map((o) => o.outcome).sort(), ['skipped', 'trained']);

      // One worker receives the same candidate twice at once.
      const inOneWorker = await Promise.all([
        runCandidateJob(workerA, { candidateId: second }, candidateJob(second)),
        runCandidateJob(workerA, { candidateId: second }, candidateJob(second)),
      ]);
      assert.deepEqual(inOneWorker.map((o) => o.outcome).sort(), ['skipped', 'trained']);

      const trained = await setup.db.prisma.candidate.findUniqueOrThrow({ where: { id: first } });
      assert.equal(trained.status, 'completed');
      assert.equal(trained.attempts, 1);

      const again = await runCandidateJob(workerB, { candidateId: first }, candidateJob(first));
      assert.equal(again.outcome, 'skipped');
      assert.match(again.reason as string, /already completed/);
      const unchanged = await setup.db.prisma.candidate.findUniqueOrThrow({ where: { id: first } });
      assert.equal(unchanged.attempts, 1);
      assert.deepEqual(unchanged.finishedAt, trained.finishedAt);
    } finally {
      await workerA.close();
      await workerB.close();
      await pool.close();
    }
  });

  test('second enqueue of a queued candidate returns null', async () => {
    const experiment = await tinyExperiment(setup, { name: 'dedupe' });
    // Paused, so the worker skips the job and the candidate stays pending.
    await setup.db.prisma.experiment.update({ where: { id: experiment.id }, data: { status: 'paused' } });
    const [candidateId] = await addCandidates(
      experiment,
      distinctGenomes(experiment.searchSpace as unknown as SearchSpace, 1),
    );
    const results = await Promise.all([
      setup.queue.enqueueCandidate(candidateId),
      setup.queue.enqueueCandidate(candidateId),
    ]);
    assert.equal(results.filter((id) => id === null).length, 1);
    const job = await waitFor(
      'the candidate job to finish',
      () => latestJob(setup.db.prisma, 'candidate', candidateId),
      (row) => row?.state === 'completed',
    );
    assert.equal(job?.output?.outcome, 'skipped');
    const row = await setup.db.prisma.candidate.findUniqueOrThrow({ where: { id: candidateId } });
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 0);
  });
});

describe('database outage', () => {
  test('dropped connections mid-search, search completes', async () => {
    const prisma = setup.db.prisma;
    const slowerProxy = {
      trainSize: 1000,
      valSize: 200,
      epochs: 2,
      batchSize: 50,
      learningRate: 0.005,
      seed: 1,
    };
    const experiment = await tinyExperiment(setup, { name: 'outage', budget: 4, proxy: slowerProxy });
    await setup.queue.enqueueSearch(experiment.id);
    await waitFor(
      'a candidate in training',
      () => prisma.candidate.findFirst({ where: { experimentId: experiment.id, status: 'training' } }),
      (row) => row !== null,
    );

    // What a Postgres restart does to its clients: every session of the database ends, which
    // also drops the worker's row locks.
    const admin = new pg.Client({ connectionString: testServerUrl() });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: number }>(
        `SELECT count(pg_terminate_backend(pid))::int AS ended FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [new URL(setup.db.url).pathname.slice(1)],
      );
      assert.ok(rows[0].ended > 0);
    } finally {
      await admin.end();
    }

    const done = await waitForExperiment(prisma, experiment.id, ['completed', 'failed'], 90_000);
    assert.equal(done.status, 'completed', `experiment error: ${done.error}`);
    const candidates = await prisma.candidate.findMany({ where: { experimentId: experiment.id } });
    assert.equal(candidates.length, 4);
    for (const candidate of candidates) {
      assert.equal(candidate.status, 'completed', `candidate ${candidate.id}: ${candidate.error}`);
      assert.equal(await trainedJobCount(candidate.id), 1, `candidate ${candidate.id} trained once`);
    }
  });
});

describe('experiment lifecycle', () => {
  /** Slower proxy training (about a second per candidate) so that a pause lands mid-search. */
  const slowerProxy = {
    trainSize: 1000,
    valSize: 200,
    epochs: 2,
    batchSize: 50,
    learningRate: 0.005,
    seed: 1,
  };

  async function statusCounts(experimentId: string): Promise<Record<string, number>> {
    const groups = await setup.db.prisma.candidate.groupBy({
      by: ['status'],
      where: { experimentId },
      _count: { _all: true },
    });
    return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
  }

  /** Waits until the search step is gone and no candidate trains, then checks that nothing moves for 2 s. */
  async function waitUntilIdle(experimentId: string): Promise<Record<string, number>> {
    await waitFor(
      'the search step to stop',
      () => setup.queue.queueDepth(),
      (depth) => depth['search-step'].active === 0 && depth['search-step'].queued === 0,
    );
    const idle = await waitFor(
      'training to stop',
      () => statusCounts(experimentId),
      (counts) => !counts.training,
    );
    await sleep(2_000);
    assert.deepEqual(await statusCounts(experimentId), idle, 'no candidate trains while stopped');
    return idle;
  }

  test('pause stops and resume completes', async () => {
    const prisma = setup.db.prisma;
    const experiment = await tinyExperiment(setup, { name: 'pause', budget: 6, proxy: slowerProxy });
    await setup.queue.enqueueSearch(experiment.id);
    await waitFor(
      'a completed candidate',
      () => statusCounts(experiment.id),
      (counts) => (counts.completed ?? 0) >= 1,
    );

    await prisma.experiment.update({ where: { id: experiment.id }, data: { status: 'paused' } });
    const paused = await waitUntilIdle(experiment.id);
    assert.equal(
      (await prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } })).status,
      'paused',
    );
    assert.ok((paused.completed ?? 0) < 6, `the pause stopped the search early: ${JSON.stringify(paused)}`);

    await prisma.experiment.update({ where: { id: experiment.id }, data: { status: 'queued' } });
    await setup.queue.enqueueSearch(experiment.id);
    const done = await waitForExperiment(prisma, experiment.id, ['completed', 'failed']);
    assert.equal(done.status, 'completed', `experiment error: ${done.error}`);
    const candidates = await prisma.candidate.findMany({ where: { experimentId: experiment.id } });
    assert.equal(candidates.length, 6);
    assert.equal(new Set(candidates.map((c) => c.genomeHash)).size, 6);
    for (const candidate of candidates) {
      assert.equal(candidate.status, 'completed');
      assert.equal(candidate.attempts, 1, `candidate ${candidate.id} trained once`);
    }
  });

  test('cancel stops the search for good', async () => {
    const prisma = setup.db.prisma;
    const experiment = await tinyExperiment(setup, { name: 'cancel', budget: 6, proxy: slowerProxy });
    await setup.queue.enqueueSearch(experiment.id);
    await waitFor(
      'a completed candidate',
      () => statusCounts(experiment.id),
      (counts) => (counts.completed ?? 0) >= 1,
    );

    await prisma.experiment.update({
      where: { id: experiment.id },
      data: { status: 'cancelled', finishedAt: new Date() },
    });
    const idle = await waitUntilIdle(experiment.id);
    assert.ok((idle.completed ?? 0) < 6);
    assert.equal(
      (await prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } })).status,
      'cancelled',
    );

    // A stray step for a cancelled experiment does nothing.
    await setup.queue.enqueueSearch(experiment.id);
    const stray = await waitFor(
      'the stray search step to finish',
      () => latestJob(prisma, 'search-step', experiment.id),
      (job) => job?.state === 'completed',
    );
    assert.equal(stray?.output?.outcome, 'skipped');
    assert.deepEqual(await statusCounts(experiment.id), idle);
  });
});

describe('job errors', () => {
  test('missing rows fail without retries', async () => {
    const sent = [
      ['search-step', await setup.queue.enqueueSearch(randomUUID())],
      ['candidate', await setup.queue.enqueueCandidate(randomUUID())],
      ['teacher', await setup.queue.enqueueTeacherTraining(randomUUID())],
      ['final-model', await setup.queue.enqueueFinalTraining(randomUUID())],
      ['study-cell', await setup.queue.enqueueStudyCell(randomUUID())],
    ] as const;
    for (const [queue, jobId] of sent) {
      const job = await waitFor(
        `the ${queue} job to fail`,
        () =>
          setup.db.prisma.$queryRawUnsafe<
            { state: string; retry_count: number; output: { message?: string } }[]
          >(`SELECT state::text, retry_count, output FROM pgboss.job WHERE id = $1::uuid`, jobId),
        (rows) => rows[0]?.state === 'failed',
      );
      assert.equal(job[0].retry_count, 0, `${queue} job was not retried`);
      assert.match(job[0].output.message ?? '', /does not exist/, queue);
    }
  });

  test('study cell with a foreign config fails once', async () => {
    const prisma = setup.db.prisma;
    const study = await prisma.study.create({
      data: { kind: 'ranking', name: 'foreign cell', datasetId: setup.datasetRow.id, config: {} },
    });
    const cell = await prisma.studyCell.create({ data: { studyId: study.id, key: 'cell-1', config: {} } });
    await setup.queue.enqueueStudyCell(cell.id);
    const failed = await waitFor(
      'the study cell to fail',
      () => prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } }),
      (row) => row.status === 'failed',
    );
    assert.match(failed.error ?? '', /cell-1 cannot run: its configuration kind \(missing\) does not fit/);
    assert.equal(failed.attempts, 1);
    const job = await waitFor(
      'the study-cell job to finish',
      () => latestJob(prisma, 'study-cell', cell.id),
      (row) => row?.state === 'completed',
    );
    assert.equal(job?.output?.outcome, 'failed');
    assert.equal((await prisma.study.findUniqueOrThrow({ where: { id: study.id } })).status, 'failed');
  });

  test('stale worker is reaped and its job retried', async () => {
    const prisma = setup.db.prisma;
    const study = await prisma.study.create({
      data: { kind: 'ranking', name: 'reap', datasetId: setup.datasetRow.id, config: {} },
    });
    const cell = await prisma.studyCell.create({ data: { studyId: study.id, key: 'cell-reap', config: {} } });
    // A job that a dead worker took: active, never finished.
    const [job] = await prisma.$queryRawUnsafe<{ id: string }[]>(
      `INSERT INTO pgboss.job (name, data, state, started_on, singleton_key, retry_limit, retry_delay, expire_in, policy)
       VALUES ('study-cell', $1::jsonb, 'active', now(), $2, 2, 0, interval '1 hour', 'short') RETURNING id::text`,
      JSON.stringify({ studyCellId: cell.id }),
      cell.id,
    );
    const dead = await prisma.worker.create({
      data: {
        host: 'gone',
        pid: 1,
        backend: 'cpu',
        heartbeatAt: new Date(Date.now() - 3_600_000),
        currentJob: {
          kind: 'study-cell',
          id: cell.id,
          jobId: job.id,
          startedAt: new Date().toISOString(),
          running: [{ kind: 'study-cell', id: cell.id, jobId: job.id, startedAt: new Date().toISOString() }],
        },
      },
    });

    await waitFor(
      'the dead worker row to be deleted',
      () => prisma.worker.count({ where: { id: dead.id } }),
      (count) => count === 0,
      20_000,
    );
    const retried = await waitFor(
      'the job to run again',
      () => latestJob(prisma, 'study-cell', cell.id),
      (row) => row?.state === 'completed',
      20_000,
    );
    assert.equal(retried?.id, job.id);
    assert.equal(retried?.retryCount, 1);
    assert.equal((await prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } })).status, 'failed');
  });
});

describe('training jobs', () => {
  test('final model trains with hinton', async () => {
    const prisma = setup.db.prisma;
    const best = await prisma.candidate.findFirstOrThrow({
      where: { experimentId: searched.id, status: 'completed' },
      orderBy: { reward: 'desc' },
    });
    const row = await prisma.trainedModel.create({
      data: {
        candidateId: best.id,
        experimentId: searched.id,
        teacherId: teacher.id,
        method: 'hinton',
        epochs: 1,
        settings: { epochs: 1, kd: { lambda: 0.5, temperature: 2 } },
      },
    });
    await setup.queue.enqueueFinalTraining(row.id);
    const done = await waitFor(
      'the final model to finish',
      () => prisma.trainedModel.findUniqueOrThrow({ where: { id: row.id } }),
      (model) => model.status === 'completed' || model.status === 'failed',
      90_000,
    );
    assert.equal(done.status, 'completed', `final training error: ${done.error}`);
    const top1 = done.testTop1 as number;
    assert.ok(top1 >= 0, `test top-1 ${top1}`);
    assert.ok(top1 <= 1, `test top-1 ${top1}`);
    assert.ok((done.testTop5 as number) >= top1, `test top-5 ${done.testTop5}`);
    assert.ok((done.latencyMs ?? 0) > 0);
    assert.equal(done.params, best.params);
    assert.equal(done.artifactDir, join(setup.dataDir, 'artifacts', 'models', row.id));

    const dir = done.artifactDir as string;
    for (const file of ['model.json', 'weights.bin', 'genome.json', 'metadata.json']) {
      assert.ok(await stat(join(dir, file)), `${file} exists`);
    }
    const genome = JSON.parse(await readFile(join(dir, 'genome.json'), 'utf8'));
    assert.deepEqual(genome.genome, best.genome);
    assert.equal(genome.genomeHash, best.genomeHash);
    const metadata = JSON.parse(await readFile(join(dir, 'metadata.json'), 'utf8'));
    assert.equal(metadata.dataset.id, setup.datasetRow.id);
    assert.equal(metadata.teacher.id, teacher.id);
    assert.equal(metadata.experiment.id, searched.id);
    assert.deepEqual(metadata.distillation.kd, { lambda: 0.5, temperature: 2 });
    assert.equal(metadata.distillation.method, 'hinton');
    assert.equal(metadata.testTop1, done.testTop1);
    assert.equal(metadata.latencyMs, done.latencyMs);
    assert.equal(metadata.backend, best.backend);
    assert.deepEqual(metadata.input.shape, [...setup.dataset.shape]);
    assert.equal(metadata.input.layout, 'NHWC');
    assert.equal(metadata.input.scaling, 'byte / 255');
    assert.equal(metadata.output.kind, 'logits');
    assert.deepEqual(metadata.output.classNames, setup.datasetRow.classNames);
    const fullTrain = await prisma.teacherLogits.findFirst({
      where: { teacherId: teacher.id, split: 'train', count: setup.dataset.train.count },
    });
    assert.ok(fullTrain, 'teacher logits of the whole training split are cached');
  });

  test('final model trains with cc', async () => {
    const prisma = setup.db.prisma;
    const best = await prisma.candidate.findFirstOrThrow({
      where: { experimentId: searched.id, status: 'completed' },
      orderBy: { reward: 'desc' },
    });
    const row = await prisma.trainedModel.create({
      data: {
        candidateId: best.id,
        experimentId: searched.id,
        teacherId: teacher.id,
        method: 'cc',
        epochs: 1,
        settings: { cc: { beta: 0.5, gamma: 0.4 } },
      },
    });
    await setup.queue.enqueueFinalTraining(row.id);
    const done = await waitFor(
      'the cc model to finish',
      () => prisma.trainedModel.findUniqueOrThrow({ where: { id: row.id } }),
      (model) => model.status === 'completed' || model.status === 'failed',
      90_000,
    );
    assert.equal(done.status, 'completed', `final training error: ${done.error}`);
    const settings = done.settings as { method: string; kd: unknown; cc: unknown };
    assert.equal(settings.method, 'cc');
    assert.deepEqual(settings.kd, { lambda: 1, temperature: 1 });
    assert.deepEqual(settings.cc, { beta: 0.5, gamma: 0.4 });
    const metadata = JSON.parse(await readFile(join(done.artifactDir as string, 'metadata.json'), 'utf8'));
    assert.equal(metadata.method, 'cc');
    assert.ok(metadata.teacherFeatureSize > 0, `teacher features ${metadata.teacherFeatureSize}`);
  });

  test('invalid recorded settings fail the row for good', async () => {
    const prisma = setup.db.prisma;
    const candidate = await prisma.candidate.findFirstOrThrow({ where: { experimentId: searched.id } });
    const row = await prisma.trainedModel.create({
      data: {
        candidateId: candidate.id,
        experimentId: searched.id,
        teacherId: teacher.id,
        method: 'hinton',
        epochs: 1,
        settings: { kd: { lambda: 0.5, temperature: 0 } },
      },
    });
    const jobId = await setup.queue.enqueueFinalTraining(row.id);
    const job = await waitFor(
      'the final-model job to fail',
      () => latestJob(prisma, 'final-model', row.id),
      (latest) => latest?.state === 'failed',
      60_000,
    );
    assert.equal(job?.id, jobId);
    assert.equal(job?.retryCount, 0);
    assert.match(String(job?.output?.message), /Invalid distillation temperature 0/);
    const failed = await prisma.trainedModel.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /Invalid distillation temperature 0: it must be greater than 0/);
  });

  test('rco with a teacher without checkpoints fails for good', async () => {
    const prisma = setup.db.prisma;
    const candidate = await prisma.candidate.findFirstOrThrow({ where: { experimentId: searched.id } });
    const row = await prisma.trainedModel.create({
      data: {
        candidateId: candidate.id,
        experimentId: searched.id,
        teacherId: teacher.id,
        method: 'rco',
        epochs: 2,
        settings: {},
      },
    });
    await setup.queue.enqueueFinalTraining(row.id);
    const failed = await waitFor(
      'the rco model to fail',
      () => prisma.trainedModel.findUniqueOrThrow({ where: { id: row.id } }),
      (model) => model.status === 'failed' || model.status === 'completed',
      60_000,
    );
    assert.equal(failed.status, 'failed');
    assert.match(
      failed.error ?? '',
      /RCO distills along the teacher's training checkpoints, but teacher fake-teacher is an imported model/,
    );
  });

  test('teacher job trains a zoo teacher', async () => {
    const prisma = setup.db.prisma;
    // The first 300 training and 100 test images of the subset, so a VGG epoch takes seconds.
    const dir = join(setup.dataDir, 'tiny-idx');
    await mkdir(dir, { recursive: true });
    const [h, w] = setup.dataset.shape;
    const pixels = h * w;
    const splits = [
      ['train', setup.dataset.train, 300],
      ['t10k', setup.dataset.test, 100],
    ] as const;
    for (const [prefix, split, count] of splits) {
      const images = split.images.slice(0, count * pixels);
      const labels = split.labels.slice(0, count);
      await writeIdxFile(
        join(dir, `${prefix}-images-idx3-ubyte`),
        { elementType: 'ubyte', dims: [count, h, w], data: images },
        { gzip: false },
      );
      await writeIdxFile(
        join(dir, `${prefix}-labels-idx1-ubyte`),
        { elementType: 'ubyte', dims: [count], data: labels },
        { gzip: false },
      );
    }

    const location = { format: 'idx' as const, name: 'tiny-idx', path: dir, reason: 'test' };
    const datasetRow = await registerDataset(prisma, location, await loadDatasetAt(location));
    const row = await prisma.teacher.create({
      data: {
        datasetId: datasetRow.id,
        name: 'small-vgg',
        source: 'zoo',
        family: 'vgg',
        config: {},
        trainingSettings: { epochs: 1, batchSize: 64, learningRate: 0.004, seed: 1 },
      },
    });

    await setup.queue.enqueueTeacherTraining(row.id);
    const ready = await waitFor(
      'the teacher to be trained',
      () => prisma.teacher.findUniqueOrThrow({ where: { id: row.id } }),
      (current) => current.status === 'ready' || current.status === 'failed',
      90_000,
    );
    assert.equal(ready.status, 'ready', `teacher error: ${ready.error}`);
    assert.ok((ready.testAccuracy as number) >= 0, `test accuracy ${ready.testAccuracy}`);
    assert.ok((ready.testAccuracy as number) <= 1, `test accuracy ${ready.testAccuracy}`);
    assert.ok(Number(ready.params) > 0);
    assert.ok(await stat(join(ready.artifactDir as string, 'model.json')));
    assert.deepEqual(Object.keys(ready.checksums as object).sort(), ['model.json', 'weights.bin']);
    assert.equal((ready.trainingSettings as { epochs: number }).epochs, 1);
    const checkpoints = await listTeacherCheckpoints(ready.artifactDir as string);
    assert.deepEqual(
      checkpoints.map((checkpoint) => checkpoint.epoch),
      [1],
      'the teacher keeps its checkpoint for RCO',
    );
  });

  test('teacher job evaluates an ensemble', async () => {
    const prisma = setup.db.prisma;
    const second = await prisma.teacher.create({
      data: {
        datasetId: setup.datasetRow.id,
        name: 'fake-teacher-2',
        source: 'imported_model',
        family: 'student',
        config: {},
        trainingSettings: {},
        status: 'ready',
        artifactDir: teacher.artifactDir,
      },
    });
    const ensemble = await prisma.teacher.create({
      data: {
        datasetId: setup.datasetRow.id,
        name: 'pair',
        source: 'ensemble',
        family: 'ensemble',
        config: {},
        trainingSettings: {},
        members: [teacher.id, second.id],
      },
    });
    await setup.queue.enqueueTeacherTraining(ensemble.id);
    const ready = await waitFor(
      'the ensemble to be evaluated',
      () => prisma.teacher.findUniqueOrThrow({ where: { id: ensemble.id } }),
      (current) => current.status === 'ready' || current.status === 'failed',
      60_000,
    );
    assert.equal(ready.status, 'ready', `ensemble error: ${ready.error}`);
    assert.ok((ready.testAccuracy as number) >= 0, `test accuracy ${ready.testAccuracy}`);
    assert.ok((ready.testAccuracy as number) <= 1, `test accuracy ${ready.testAccuracy}`);
    const testLogits = await prisma.teacherLogits.count({ where: { teacherId: ensemble.id, split: 'test' } });
    assert.equal(testLogits, 1);
  });
});
