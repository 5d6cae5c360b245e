import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Experiment, LatencyProfile as LatencyProfileRow } from '@akd/db';
import { createLatencyModel, type LatencyModelKind } from '@akd/engine';
import { loadLatencyProfile, storeLatencyProfile } from '@akd/runner';
import type { Genome, SearchSpace } from '@akd/search-space';
import { syntheticProfile } from '../../../libs/engine/src/latency/test-fixtures.js';
import type { JobWorker } from './job-worker.js';
import {
  setUp,
  startWorker,
  tinyExperiment,
  tinySpace,
  waitForExperiment,
  type TestSetup,
} from './test-support.js';

let setup: TestSetup;
let worker: JobWorker;
let profileRow: LatencyProfileRow;

before(async () => {
  setup = await setUp();
  profileRow = await storeLatencyProfile(setup.db.prisma, syntheticProfile(tinySpace(setup.dataset)), 'tiny');
  worker = await startWorker(setup.db.url);
});

after(async () => {
  await worker?.stop();
  await setup?.cleanup();
});

/** Runs `experiment` through the queue and checks that every candidate has the latency the model predicts. */
async function searchThroughQueue(experiment: Experiment, kind: LatencyModelKind): Promise<void> {
  const prisma = setup.db.prisma;
  await setup.queue.enqueueSearch(experiment.id);
  const done = await waitForExperiment(prisma, experiment.id, ['completed', 'failed']);
  assert.equal(done.status, 'completed', `experiment error: ${done.error}`);

  const space = experiment.searchSpace as unknown as SearchSpace;
  const { profile } = await loadLatencyProfile(prisma, profileRow.id);
  const model = createLatencyModel(kind, profile);
  const candidates = await prisma.candidate.findMany({ where: { experimentId: experiment.id } });
  assert.equal(candidates.length, experiment.budget);
  for (const candidate of candidates) {
    assert.equal(candidate.status, 'completed', `candidate error: ${candidate.error}`);
    assert.equal(candidate.latencyModel, kind);
    assert.equal(candidate.latencyMs, model.latencyMs(space, candidate.genome as unknown as Genome));
    const metrics = candidate.metrics as { latencyModel: string; latencyProfileId: string };
    assert.equal(metrics.latencyModel, kind);
    assert.equal(metrics.latencyProfileId, profileRow.id);
  }
}

describe('predicted latency in a distributed search', () => {
  test('table experiment', async () => {
    const experiment = await tinyExperiment(setup, {
      name: 'table',
      latencyModel: 'table',
      latencyProfileId: profileRow.id,
      budget: 3,
    });
    await searchThroughQueue(experiment, 'table');
  });

  test('flops experiment', async () => {
    const experiment = await tinyExperiment(setup, {
      name: 'flops',
      latencyModel: 'flops',
      latencyProfileId: profileRow.id,
      latencyBackend: 'wasm',
      budget: 2,
    });
    await searchThroughQueue(experiment, 'flops');
  });
});
