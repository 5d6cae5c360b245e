import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { AkdError } from '@akd/core';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { isPermanentJobError, isTransientDatabaseError, PermanentJobError } from './errors.js';
import { openQueue, QUEUE_SCHEMA, type JobQueue, type RunningJob } from './job-queue.js';
import { DEFAULT_JOB_SETTINGS, QUEUE_NAMES, queueOptionsFromEnv, resolveQueueOptions } from './queues.js';

let db: TestDatabase;
let queue: JobQueue;
let sql: pg.Client;

/** Fast settings: a failed job of the `teacher` queue is retried after 1 s, at most twice. */
const options = {
  pollingIntervalSeconds: 0.5,
  maintenanceIntervalSeconds: 1,
  jobs: { teacher: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false } },
};

before(async () => {
  db = await createTestDatabase();
  queue = await openQueue(db.url, options);
  sql = new pg.Client({ connectionString: db.url });
  await sql.connect();
});

after(async () => {
  await sql?.end();
  await queue?.stop();
  await db?.drop();
});

interface JobRow {
  state: string;
  retry_count: number;
  retry_limit: number;
  retry_delay: number;
  retry_backoff: boolean;
  expire_seconds: number;
  singleton_key: string;
  output: { message?: string; outcome?: string } | null;
}

async function jobRow(name: string, id: string): Promise<JobRow> {
  const result = await sql.query<JobRow>(
    `SELECT state::text, retry_count, retry_limit, retry_delay, retry_backoff,
            EXTRACT(epoch FROM expire_in)::int AS expire_seconds, singleton_key, output
     FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = $2`,
    [name, id],
  );
  assert.equal(result.rows.length, 1, `job ${id} of ${name} exists`);
  return result.rows[0];
}

async function waitForState(name: string, id: string, states: string[], timeoutMs = 15_000): Promise<JobRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await jobRow(name, id);
    if (states.includes(row.state)) return row;
    if (Date.now() > deadline) assert.fail(`job ${id} is ${row.state}, expected ${states.join(' or ')}`);
    await sleep(100);
  }
}

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

describe('openQueue', () => {
  test('creates the five queues with policy short', async () => {
    const result = await sql.query<{ name: string; policy: string }>(
      `SELECT name, policy FROM ${QUEUE_SCHEMA}.queue ORDER BY name`,
    );
    assert.deepEqual(
      result.rows.map((row) => row.name),
      [...QUEUE_NAMES].sort(),
    );
    for (const row of result.rows) assert.equal(row.policy, 'short', row.name);
  });

  test('unreachable server gives UNAVAILABLE without password', async () => {
    const port = await closedPort();
    await assert.rejects(
      openQueue(`postgresql://akd:s3cret@127.0.0.1:${port}/akd`, options),
      (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.equal(error.code, 'UNAVAILABLE');
        assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}/akd`));
        assert.doesNotMatch(error.message, /s3cret/);
        assert.ok(isTransientDatabaseError(error));
        return true;
      },
    );
  });
});

describe('enqueue', () => {
  test('sends the row id as payload and singleton key', async () => {
    const experimentId = randomUUID();
    const jobId = await queue.enqueueSearch(experimentId);
    assert.ok(jobId);
    const row = await jobRow('search-step', jobId);
    assert.equal(row.singleton_key, experimentId);
    assert.equal(row.state, 'created');
    const payload = await sql.query(`SELECT data FROM ${QUEUE_SCHEMA}.job WHERE id = $1`, [jobId]);
    assert.deepEqual(payload.rows[0].data, { experimentId });
  });

  test('same row while queued returns null', async () => {
    const teacherId = randomUUID();
    const first = await queue.enqueueTeacherTraining(teacherId);
    assert.ok(first);
    assert.equal(await queue.enqueueTeacherTraining(teacherId), null);
    assert.ok(await queue.enqueueTeacherTraining(randomUUID()));
  });

  test('job carries the queue settings', async () => {
    const candidateJob = await queue.enqueueCandidate(randomUUID());
    const candidate = await jobRow('candidate', candidateJob as string);
    assert.equal(candidate.expire_seconds, DEFAULT_JOB_SETTINGS.candidate.expireInSeconds);
    assert.equal(candidate.retry_limit, DEFAULT_JOB_SETTINGS.candidate.retryLimit);
    assert.equal(candidate.retry_delay, DEFAULT_JOB_SETTINGS.candidate.retryDelaySeconds);
    assert.equal(candidate.retry_backoff, true);

    const teacherJob = await queue.enqueueTeacherTraining(randomUUID());
    const teacher = await jobRow('teacher', teacherJob as string);
    assert.equal(teacher.retry_limit, 2);
    assert.equal(teacher.retry_delay, 1);
    assert.equal(teacher.retry_backoff, false);
    assert.equal(teacher.expire_seconds, DEFAULT_JOB_SETTINGS.teacher.expireInSeconds);
  });

  test('invalid row id is rejected', async () => {
    await assert.rejects(queue.enqueueFinalTraining('42'), (error: unknown) => {
      assert.ok(error instanceof AkdError);
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, /trainedModelId "42"/);
      return true;
    });
  });

  test('study cell starts after its delay', async () => {
    const rowId = randomUUID();
    const jobId = await queue.enqueueStudyCell(rowId, { startAfterSeconds: 120 });
    assert.ok(jobId);
    const result = await sql.query<{ delay: number }>(
      `SELECT EXTRACT(epoch FROM start_after - created_on)::int AS delay FROM ${QUEUE_SCHEMA}.job WHERE id = $1`,
      [jobId],
    );
    assert.ok(result.rows[0].delay >= 119, `start delayed by ${result.rows[0].delay} s`);
    assert.ok(result.rows[0].delay <= 121, `start delayed by ${result.rows[0].delay} s`);
    await assert.rejects(
      queue.enqueueStudyCell(randomUUID(), { startAfterSeconds: -1 }),
      /Invalid startAfterSeconds -1/,
    );
  });

  test('queueDepth counts queued and active jobs', async () => {
    const before = await queue.queueDepth();
    assert.deepEqual(Object.keys(before).sort(), [...QUEUE_NAMES].sort());
    await queue.enqueueStudyCell(randomUUID());
    await queue.enqueueStudyCell(randomUUID());
    const depth = await queue.queueDepth();
    assert.equal(depth['study-cell'].queued, before['study-cell'].queued + 2);
    assert.equal(depth['study-cell'].active, 0);
  });

  test('liveRowIds lists rows with a queued job', async () => {
    const queued = randomUUID();
    await queue.enqueueCandidate(queued);
    const live = await queue.liveRowIds('candidate', [queued, randomUUID()]);
    assert.deepEqual([...live], [queued]);
  });
});

describe('work', () => {
  test('handler result completes the job', async () => {
    const rowId = randomUUID();
    const seen: RunningJob[] = [];
    const started: string[] = [];
    // Only this test enqueues final-model jobs, so this handler receives only its own job.
    await queue.work(
      'final-model',
      { concurrency: 1, onStart: (job) => started.push(job.jobId) },
      async (payload, job) => {
        assert.deepEqual(payload, { trainedModelId: rowId });
        seen.push(job);
        return { outcome: 'trained', testTop1: 0.5 };
      },
    );
    const jobId = (await queue.enqueueFinalTraining(rowId)) as string;
    const row = await waitForState('final-model', jobId, ['completed']);
    assert.deepEqual(row.output, { outcome: 'trained', testTop1: 0.5 });
    assert.equal(seen.length, 1);
    assert.equal(seen[0].rowId, rowId);
    assert.equal(seen[0].attempt, 1);
    assert.equal(seen[0].maxAttempts, DEFAULT_JOB_SETTINGS['final-model'].retryLimit + 1);
    assert.deepEqual(started, [jobId]);
  });

  test('permanent error fails without retry, other errors retry', async () => {
    const permanentRow = randomUUID();
    const retriedRow = randomUUID();
    const attempts = new Map<string, number>();
    await queue.work('teacher', { concurrency: 1 }, async ({ teacherId }) => {
      attempts.set(teacherId, (attempts.get(teacherId) ?? 0) + 1);
      if (teacherId === permanentRow) throw new AkdError('NOT_FOUND', `Teacher ${teacherId} does not exist.`);
      if (teacherId === retriedRow) throw new Error('training process crashed');
      return { outcome: 'skipped' };
    });

    const permanentJob = (await queue.enqueueTeacherTraining(permanentRow)) as string;
    const failed = await waitForState('teacher', permanentJob, ['failed']);
    assert.equal(failed.retry_count, 0);
    assert.match(failed.output?.message ?? '', /does not exist/);

    const retriedJob = (await queue.enqueueTeacherTraining(retriedRow)) as string;
    const exhausted = await waitForState('teacher', retriedJob, ['failed'], 20_000);
    assert.equal(exhausted.retry_count, 2);
    assert.equal(attempts.get(retriedRow), 3);
    assert.equal(attempts.get(permanentRow), 1);
  });

  test('invalid payload fails for good', async () => {
    await queue.work('study-cell', { concurrency: 1 }, async () => ({ outcome: 'unexpected' }));
    const result = await sql.query<{ id: string }>(
      `INSERT INTO ${QUEUE_SCHEMA}.job (name, data, singleton_key, retry_limit) VALUES ('study-cell', '{"studyCellId": 7}', 'x', 3) RETURNING id::text`,
    );
    const row = await waitForState('study-cell', result.rows[0].id, ['failed']);
    assert.equal(row.retry_count, 0);
    assert.match(row.output?.message ?? '', /studyCellId must be a row UUID/);
  });

  test('failRunningJobs retries an active job', async () => {
    const rowId = randomUUID();
    let release: () => void = () => undefined;
    const running = new Promise<RunningJob>((resolveStarted) => {
      void queue.work('candidate', { concurrency: 1 }, (_payload, job) => {
        if (job.rowId !== rowId) return Promise.resolve({ outcome: 'ignored' });
        resolveStarted(job);
        return new Promise((resolve) => (release = () => resolve({ outcome: 'late' })));
      });
    });
    await queue.enqueueCandidate(rowId);
    const job = await running;
    assert.deepEqual(
      await queue.failRunningJobs('candidate', [job.jobId], 'worker stopped sending heartbeats'),
      [job.jobId],
    );
    const row = await jobRow('candidate', job.jobId);
    assert.equal(row.state, 'retry');
    assert.match(row.output?.message ?? '', /heartbeats/);
    assert.deepEqual(await queue.failRunningJobs('candidate', [job.jobId], 'again'), []);
    release();
  });
});

describe('queue options', () => {
  test('environment values per queue and for all', () => {
    const parsed = queueOptionsFromEnv({
      AKD_JOB_EXPIRE_SECONDS: 'candidate=20, search-step=30',
      AKD_JOB_RETRY_LIMIT: '5',
      AKD_JOB_RETRY_BACKOFF: 'false',
      AKD_QUEUE_MAINTENANCE_SECONDS: '2',
    });
    const resolved = resolveQueueOptions(parsed);
    assert.equal(resolved.jobs.candidate.expireInSeconds, 20);
    assert.equal(resolved.jobs['search-step'].expireInSeconds, 30);
    assert.equal(resolved.jobs.teacher.expireInSeconds, DEFAULT_JOB_SETTINGS.teacher.expireInSeconds);
    for (const name of QUEUE_NAMES) {
      assert.equal(resolved.jobs[name].retryLimit, 5);
      assert.equal(resolved.jobs[name].retryBackoff, false);
    }
    assert.equal(resolved.maintenanceIntervalSeconds, 2);
    assert.equal(resolved.pollingIntervalSeconds, 2);
  });

  test('invalid values name the setting', () => {
    assert.throws(
      () => queueOptionsFromEnv({ AKD_JOB_EXPIRE_SECONDS: 'trainer=20' }),
      /"trainer" is not a queue/,
    );
    assert.throws(() => queueOptionsFromEnv({ AKD_JOB_RETRY_LIMIT: 'many' }), /AKD_JOB_RETRY_LIMIT=many/);
    assert.throws(
      () => resolveQueueOptions({ jobs: { teacher: { expireInSeconds: 24 * 3600 } } }),
      /expireInSeconds of teacher 86400/,
    );
    assert.throws(() => resolveQueueOptions({ pollingIntervalSeconds: 0.1 }), /pollingIntervalSeconds 0.1/);
  });
});

describe('error classification', () => {
  test('permanent errors', () => {
    assert.ok(isPermanentJobError(new PermanentJobError('recorded on the row')));
    assert.ok(isPermanentJobError(new AkdError('NOT_FOUND', 'missing')));
    assert.ok(!isPermanentJobError(new AkdError('UNAVAILABLE', 'down')));
    assert.ok(!isPermanentJobError(new Error('crash')));
  });

  test('transient database errors', () => {
    assert.ok(
      isTransientDatabaseError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    );
    assert.ok(
      isTransientDatabaseError(Object.assign(new Error('terminating connection'), { code: '57P01' })),
    );
    assert.ok(
      isTransientDatabaseError(
        Object.assign(new Error('Raw query failed'), {
          code: 'P2010',
          meta: { driverAdapterError: { cause: { kind: 'postgres', code: '57P01' } } },
        }),
      ),
    );
    assert.ok(
      isTransientDatabaseError(
        new AkdError(
          'UNAVAILABLE',
          'Cannot connect',
          {},
          { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) },
        ),
      ),
    );
    assert.ok(!isTransientDatabaseError(Object.assign(new Error('duplicate key'), { code: '23505' })));
    assert.ok(!isTransientDatabaseError(new Error('Training diverged')));
  });
});
