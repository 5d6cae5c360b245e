// End to end through the service: the real API and a real worker run as child processes on a test
// database. The test uses only GraphQL, graphql-ws and REST to talk to them, as a client would.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadDatasetAt, locateDefaultDataset, type ImageDataset } from '@akd/data';
import type { Dataset, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { initBackend, loadModel } from '@akd/engine';
import { ensureZooTeachers, registerDataset } from '@akd/runner';
import { evaluateTestSplit } from '@akd/teachers';
import { openSubscriptionClient } from '../apps/api/src/testing/subscriptions.js';
import { readZip } from '../apps/api/src/testing/zip-reader.js';
import { freePort, startService, stopService, waitFor, type ServiceChild } from './support.js';

const TOKEN = `akd_${randomBytes(32).toString('base64url')}`;
const BUDGET = 3;

/** Fast polling everywhere, so that the test waits on work rather than on timers. */
const WORKER_ENV = {
  AKD_WORKERS: '1',
  AKD_HEARTBEAT_SECONDS: '1',
  AKD_STATUS_POLL_SECONDS: '0.5',
  AKD_SEARCH_POLL_MAX_SECONDS: '0.5',
  AKD_QUEUE_POLL_SECONDS: '0.5',
  AKD_QUEUE_MAINTENANCE_SECONDS: '1',
  AKD_SHUTDOWN_GRACE_SECONDS: '2',
};

interface ExperimentEvent {
  status: string;
  error: string | null;
  progress: { completed: number; failed: number; inProgress: number };
}

let db: TestDatabase;
let dataDir: string;
let savedDataDir: string | undefined;
let dataset: ImageDataset;
let datasetRow: Dataset;
let teacher: Teacher;
let apiUrl: string;
let apiEnv: Record<string, string>;
let api: ServiceChild;
let worker: ServiceChild;

async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await fetch(`${apiUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: { message: string }[] };
  assert.equal(body.errors, undefined, JSON.stringify(body.errors));
  return body.data as T;
}

function startApi(): Promise<ServiceChild> {
  const started = startService('apps/api/src/main.ts', apiEnv);
  return waitFor(
    'the API to answer /health',
    async () => {
      if (started.child.exitCode !== null) throw new Error(`The API exited:\n${started.output()}`);
      const status = await fetch(`${apiUrl}/health`).then(
        (response) => response.status,
        () => null,
      );
      return status === 200 ? started : null;
    },
    90_000,
  );
}

/**
 * Follows `experimentUpdated` over graphql-ws until `stop` returns true for an event, and returns
 * that event. The subscription ends with the loop, before the caller does anything else.
 */
async function followExperiment(
  id: string,
  stop: (event: ExperimentEvent) => boolean,
): Promise<ExperimentEvent> {
  const client = openSubscriptionClient(apiUrl, TOKEN);
  try {
    const events = client.iterate<{ experimentUpdated: ExperimentEvent }>({
      query: `subscription($id: ID!) {
        experimentUpdated(id: $id) { status error progress { completed failed inProgress } }
      }`,
      variables: { id },
    });
    for await (const event of events) {
      assert.equal(event.errors, undefined, JSON.stringify(event.errors));
      const update = event.data?.experimentUpdated;
      assert.ok(update, 'an experimentUpdated event without data');
      if (stop(update)) return update;
    }
    throw new Error(`The experimentUpdated stream of ${id} ended early.`);
  } finally {
    await client.dispose();
  }
}

before(async () => {
  db = await createTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'akd-service-e2e-'));
  savedDataDir = process.env.AKD_DATA_DIR;
  // The teacher's model is stored under the data directory that the worker reads too.
  process.env.AKD_DATA_DIR = dataDir;
  await initBackend();

  // The dataset and the teacher are registered as `akd demo` registers them.
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  dataset = await loadDatasetAt(location);
  datasetRow = await registerDataset(db.prisma, location, dataset);
  [teacher] = await ensureZooTeachers(db.prisma, datasetRow, dataset, { names: ['mobilenetv2'] });

  const port = await freePort();
  apiUrl = `http://127.0.0.1:${port}`;
  const shared = { DATABASE_URL: db.url, AKD_DATA_DIR: dataDir };
  apiEnv = { ...shared, AKD_API_PORT: String(port), AKD_ADMIN_TOKEN: TOKEN, AKD_API_POLL_MS: '200' };
  worker = startService('apps/worker/src/main.ts', { ...shared, ...WORKER_ENV });
  api = await startApi();
});

after(async () => {
  await Promise.all([api && stopService(api), worker && stopService(worker)]);
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
  if (savedDataDir === undefined) delete process.env.AKD_DATA_DIR;
  else process.env.AKD_DATA_DIR = savedDataDir;
});

describe('service end to end', () => {
  it('searches, survives kill -9 of the API, trains and serves a model', async () => {
    const { createExperiment } = await graphql<{ createExperiment: { id: string; status: string } }>(
      `
        mutation ($input: CreateExperimentInput!) {
          createExperiment(input: $input) {
            id
            status
          }
        }
      `,
      {
        input: {
          name: 'service e2e',
          datasetId: datasetRow.id,
          teacherId: teacher.id,
          searchBy: 'DISTILLATION',
          latencyTargetMs: 2,
          budget: BUDGET,
          // One candidate per generation, so the search is still running after the first one.
          generationSize: 1,
          proxy: { trainSize: 200, valSize: 100, epochs: 1, batchSize: 50 },
          kd: { lambda: 0.5, temperature: 2 },
          // A small space keeps the final training on the 6,000 training images short.
          space: {
            inputShape: dataset.shape,
            numClasses: dataset.numClasses,
            stemFilters: 8,
            stemStride: 2,
            blocks: [
              { baseFilters: 16, baseLayers: 1, stride: 2 },
              { baseFilters: 24, baseLayers: 1, stride: 1 },
            ],
            headFilters: 32,
            allowEmptyBlocks: false,
          },
        },
      },
    );
    const experimentId = createExperiment.id;
    assert.equal(createExperiment.status, 'QUEUED');

    // Kill the API once the first candidate is scored, while the worker goes on with the search.
    const first = await followExperiment(experimentId, (event) => {
      assert.notEqual(event.status, 'FAILED', event.error ?? '');
      return event.progress.completed >= 1;
    });
    assert.notEqual(first.status, 'COMPLETED', 'the search finished before the API was killed');
    api.child.kill('SIGKILL');
    assert.equal((await api.exited).signal, 'SIGKILL');
    const atKill = await db.prisma.experiment.findUniqueOrThrow({ where: { id: experimentId } });
    assert.equal(atKill.status, 'running');

    api = await startApi();
    const done = await followExperiment(experimentId, (event) =>
      ['COMPLETED', 'FAILED', 'CANCELLED'].includes(event.status),
    );
    assert.equal(done.status, 'COMPLETED', done.error ?? '');
    assert.deepEqual(done.progress, { completed: BUDGET, failed: 0, inProgress: 0 });

    const { experiment } = await graphql<{
      experiment: {
        generations: { index: number }[];
        candidates: { edges: { node: { status: string; attempts: number; genomeHash: string } }[] };
      };
    }>(
      `
        query ($id: ID!) {
          experiment(id: $id) {
            generations {
              index
            }
            candidates(first: 10) {
              edges {
                node {
                  status
                  attempts
                  genomeHash
                }
              }
            }
          }
        }
      `,
      { id: experimentId },
    );
    const candidates = experiment.candidates.edges.map((edge) => edge.node);
    assert.equal(candidates.length, BUDGET);
    assert.equal(new Set(candidates.map((candidate) => candidate.genomeHash)).size, BUDGET);
    for (const candidate of candidates) {
      assert.equal(candidate.status, 'COMPLETED');
      assert.equal(candidate.attempts, 1, 'no candidate was trained twice');
    }
    assert.deepEqual(
      experiment.generations.map((generation) => generation.index),
      [0, 1, 2],
    );

    const { trainFinalModels } = await graphql<{ trainFinalModels: { id: string }[] }>(
      `
        mutation ($id: ID!) {
          trainFinalModels(experimentId: $id, topK: 1, epochs: 1) {
            id
          }
        }
      `,
      { id: experimentId },
    );
    assert.equal(trainFinalModels.length, 1);
    const modelId = trainFinalModels[0].id;
    type ModelRow = {
      status: string;
      error: string | null;
      testTop1: number;
      testTop5: number;
      latencyMs: number;
      teacherId: string;
    };
    const model = await waitFor(
      'the final model',
      async () => {
        const { trainedModel } = await graphql<{ trainedModel: ModelRow }>(
          `
            query ($id: ID!) {
              trainedModel(id: $id) {
                status
                error
                testTop1
                testTop5
                latencyMs
                teacherId
              }
            }
          `,
          { id: modelId },
        );
        assert.notEqual(trainedModel.status, 'FAILED', trainedModel.error ?? '');
        return trainedModel.status === 'COMPLETED' ? trainedModel : null;
      },
      150_000,
    );
    assert.equal(model.teacherId, teacher.id);

    const download = await fetch(`${apiUrl}/api/models/${modelId}/download`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(download.status, 200);
    const entries = readZip(Buffer.from(await download.arrayBuffer()));
    const unzipped = await mkdtemp(join(dataDir, 'download-'));
    for (const [name, bytes] of entries) await writeFile(join(unzipped, name), bytes);

    const loaded = await loadModel(unzipped);
    try {
      const test = evaluateTestSplit(loaded, dataset);
      assert.ok(
        Math.abs(test.top1 - model.testTop1) < 1e-9,
        `accuracy of the download ${test.top1} differs from the stored ${model.testTop1}`,
      );
      assert.ok(Math.abs(test.top5 - model.testTop5) < 1e-9);
    } finally {
      loaded.dispose();
    }

    const metadata = JSON.parse(entries.get('metadata.json')?.toString('utf8') ?? '{}') as {
      dataset?: { id: string; name: string };
      teacher?: { id: string; name: string };
      experiment?: { id: string; name: string };
      distillation?: { method: string; epochs: number; kd: { lambda: number; temperature: number } | null };
      testTop1?: number;
      testTop5?: number;
      latencyMs?: number;
      backend?: string;
    };
    assert.deepEqual(metadata.dataset && { id: metadata.dataset.id, name: metadata.dataset.name }, {
      id: datasetRow.id,
      name: 'fashion-mnist-subset',
    });
    assert.deepEqual(metadata.teacher && { id: metadata.teacher.id, name: metadata.teacher.name }, {
      id: teacher.id,
      name: 'mobilenetv2',
    });
    assert.deepEqual(metadata.experiment && { id: metadata.experiment.id, name: metadata.experiment.name }, {
      id: experimentId,
      name: 'service e2e',
    });
    assert.equal(metadata.distillation?.method, 'hinton');
    assert.equal(metadata.distillation?.epochs, 1);
    assert.ok((metadata.distillation?.kd?.temperature ?? 0) > 0, JSON.stringify(metadata.distillation));
    assert.equal(metadata.testTop1, model.testTop1);
    assert.equal(metadata.testTop5, model.testTop5);
    assert.equal(metadata.latencyMs, model.latencyMs);
    assert.ok((metadata.latencyMs ?? 0) > 0);
    assert.equal(metadata.backend, 'wasm');
    assert.ok(entries.has('genome.json'));
  });
});
