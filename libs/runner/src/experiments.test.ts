import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { loadDatasetAt, locateDefaultDataset, type ImageDataset } from '@akd/data';
import type { Dataset, Experiment, LatencyProfile as LatencyProfileRow } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import {
  createLatencyModel,
  enumerateLayerKeys,
  initBackend,
  measureLatencyProfile,
  planKeySpecs,
  type LatencyModelKind,
} from '@akd/engine';
import { ProxyTaskPool, type ProxySettings } from '@akd/proxy-task';
import { computeReward } from '@akd/search';
import { defaultSearchSpace, expandGenome, type Genome, type SearchSpace } from '@akd/search-space';
import { syntheticProfile } from '../../engine/src/latency/test-fixtures.js';
import { registerDataset } from './datasets.js';
import { experimentRewardConfig } from './experiment-spec.js';
import { createExperiment, runExperiment, type ExperimentSettings } from './experiments.js';
import { latencyProfileFromRow, loadLatencyProfile, storeLatencyProfile } from './latency-profiles.js';

/** Proxy task that trains a candidate of {@link tinySpace} in well under a second. */
const TINY_PROXY: ProxySettings = {
  trainSize: 200,
  valSize: 100,
  epochs: 1,
  batchSize: 50,
  learningRate: 0.005,
  seed: 1,
};

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

let db: TestDatabase;
let dataset: ImageDataset;
let datasetRow: Dataset;
let space: SearchSpace;
let pool: ProxyTaskPool;
/** Complete synthetic wasm profile of `space`, with a FLOPs fit. */
let tableRow: LatencyProfileRow;

/** One block on 28×28×1 images: about 250 layer configurations, candidates of about a thousand parameters. */
function tinySpace(images: ImageDataset): SearchSpace {
  return {
    inputShape: images.shape,
    numClasses: images.numClasses,
    stemFilters: 8,
    stemStride: 2,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
  };
}

before(async () => {
  await initBackend();
  db = await createTestDatabase();
  const location = locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } });
  dataset = await loadDatasetAt(location);
  datasetRow = await registerDataset(db.prisma, location, dataset);
  space = tinySpace(dataset);
  tableRow = await storeLatencyProfile(db.prisma, syntheticProfile(space), 'tiny synthetic');
  pool = new ProxyTaskPool({ processes: 1 });
});

after(async () => {
  await pool?.close();
  await db?.drop();
});

function settings(overrides: Partial<ExperimentSettings> = {}): ExperimentSettings {
  return {
    name: 'latency test',
    datasetId: datasetRow.id,
    teacherId: null,
    searchBy: 'hard-label',
    strategy: { kind: 'random' },
    latencyModel: 'measured',
    latencyTargetMs: 1,
    proxy: TINY_PROXY,
    kd: { lambda: 0.5, temperature: 2 },
    budget: 2,
    generationSize: 2,
    seed: 3,
    space,
    ...overrides,
  };
}

/** Runs `experiment` to completion and checks each candidate's latency against the model of `kind`. */
async function searchAndCheckLatency(experiment: Experiment, kind: LatencyModelKind): Promise<void> {
  const summary = await runExperiment(db.prisma, experiment.id, { pool, dataset });
  assert.equal(summary.candidatesEvaluated, experiment.budget);
  const finished = await db.prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } });
  assert.equal(finished.status, 'completed', `experiment error: ${finished.error}`);

  const { profile } = await loadLatencyProfile(db.prisma, experiment.latencyProfileId as string);
  const model = createLatencyModel(kind, profile);
  const candidates = await db.prisma.candidate.findMany({ where: { experimentId: experiment.id } });
  assert.equal(candidates.length, experiment.budget);
  for (const candidate of candidates) {
    assert.equal(candidate.status, 'completed', `candidate error: ${candidate.error}`);
    assert.equal(candidate.latencyModel, kind);
    const expected = model.latencyMs(space, candidate.genome as unknown as Genome);
    assert.equal(candidate.latencyMs, expected, 'the stored latency is the model prediction');
    const metrics = candidate.metrics as { latencyModel: string; latencyProfileId: string | null };
    assert.equal(metrics.latencyModel, kind);
    assert.equal(metrics.latencyProfileId, experiment.latencyProfileId);
    const reward = computeReward(
      candidate.proxyAccuracy as number,
      expected,
      experimentRewardConfig(experiment),
    );
    assert.equal(candidate.reward, reward);
  }
}

describe('latency models of experiments', () => {
  it('table search stores predicted latencies', async () => {
    const experiment = await createExperiment(
      db.prisma,
      settings({
        name: 'table',
        latencyModel: 'table',
        latencyProfileId: tableRow.id,
        budget: 3,
        generationSize: 3,
      }),
    );
    assert.equal(experiment.latencyModel, 'table');
    assert.equal(experiment.latencyProfileId, tableRow.id);
    await searchAndCheckLatency(experiment, 'table');
  });

  it('flops search stores predicted latencies', async () => {
    const experiment = await createExperiment(
      db.prisma,
      settings({
        name: 'flops',
        latencyModel: 'flops',
        latencyProfileId: tableRow.id,
        latencyBackend: 'wasm',
      }),
    );
    assert.equal(experiment.latencyModel, 'flops');
    await searchAndCheckLatency(experiment, 'flops');
  });

  it('measured experiment stores no profile', async () => {
    const experiment = await createExperiment(db.prisma, settings({ name: 'measured' }));
    assert.equal(experiment.latencyModel, 'measured');
    assert.equal(experiment.latencyProfileId, null);
  });

  it('accepts a profile measured on this machine', async () => {
    // The profile `akd latency profile` would store, measured quickly: every key it times must be
    // one that the coverage check and the predictions look up.
    const measured = await measureLatencyProfile(space, { warmupRuns: 0, runs: 1, networks: 2 });
    const row = await storeLatencyProfile(db.prisma, measured, 'tiny measured');
    const experiment = await createExperiment(
      db.prisma,
      settings({ name: 'measured profile', latencyModel: 'table', latencyProfileId: row.id }),
    );
    assert.equal(experiment.latencyProfileId, row.id);
    assert.deepEqual((await loadLatencyProfile(db.prisma, row.id)).profile, measured);
  });

  it('accepts a flat table over the layer keys', async () => {
    const keys = enumerateLayerKeys(space).map((spec) => spec.key);
    const row = await db.prisma.latencyProfile.create({
      data: {
        name: 'tiny flat',
        device: 'Pixel 8',
        backend: 'webgl',
        inputShape: [28, 28, 1],
        table: Object.fromEntries(keys.map((key, index) => [key, 0.01 * (index + 1)])),
        measuredAt: new Date('2025-01-02T03:04:05Z'),
        source: 'browser',
      },
    });
    const experiment = await createExperiment(
      db.prisma,
      settings({ name: 'flat', latencyModel: 'table', latencyProfileId: row.id, latencyBackend: 'webgl' }),
    );
    assert.equal(experiment.latencyProfileId, row.id);

    // A flat table predicts the plain sum of the entries of the network's parts.
    const profile = latencyProfileFromRow(row);
    const genome: Genome = {
      blocks: [
        { op: 'mbconv6', kernelSize: 5, seRatio: 0.25, skip: 'none', filterMultiplier: 1.25, layerDelta: 1 },
      ],
    };
    const parts = planKeySpecs(expandGenome(space, genome)).map((spec) => spec.key);
    const sum = parts.reduce((total, key) => total + 0.01 * (keys.indexOf(key) + 1), 0);
    assert.ok(Math.abs(createLatencyModel('table', profile).latencyMs(space, genome) - sum) < 1e-12);
    assert.equal(profile.backend.name, 'webgl');
    assert.equal(profile.flopsFit, null);
  });

  describe('rejects', () => {
    const otherResolution = defaultSearchSpace([32, 32, 3], 10);
    const cases: [string, () => Promise<Partial<ExperimentSettings>>, string, RegExp][] = [
      [
        'a profile of another input shape',
        async () => ({
          latencyModel: 'table',
          latencyProfileId: (await storeLatencyProfile(db.prisma, syntheticProfile(otherResolution), 'cifar'))
            .id,
        }),
        'INVALID_INPUT',
        /measured at input 32×32×3, but the experiment uses input 28×28×1/,
      ],
      [
        'a profile of another backend',
        async () => ({ latencyModel: 'table', latencyProfileId: tableRow.id, latencyBackend: 'cpu' }),
        'INVALID_INPUT',
        /measured on the wasm backend, but the experiment runs on the cpu backend/,
      ],
      [
        'a table without some layer keys',
        async () => {
          const keys = enumerateLayerKeys(space).map((spec) => spec.key);
          const omitKeys = [keys[5], keys[40], keys[41]];
          const row = await storeLatencyProfile(db.prisma, syntheticProfile(space, { omitKeys }), 'gappy');
          return { latencyModel: 'table', latencyProfileId: row.id };
        },
        'INVALID_INPUT',
        /"gappy" has no entry for 3 layer configurations that this search space can produce/,
      ],
      [
        'a flops profile without a fit',
        async () => {
          const row = await storeLatencyProfile(
            db.prisma,
            syntheticProfile(space, { flopsFit: null }),
            'unfitted',
          );
          return { latencyModel: 'flops', latencyProfileId: row.id };
        },
        'INVALID_INPUT',
        /"unfitted" has no FLOPs fit/,
      ],
      [
        'an unknown profile id',
        async () => ({ latencyModel: 'table', latencyProfileId: UNKNOWN_ID }),
        'NOT_FOUND',
        /Latency profile 0193a1b2-0000-7000-8000-000000000000 does not exist/,
      ],
      [
        'a malformed profile id',
        async () => ({ latencyModel: 'table', latencyProfileId: 'fast-one' }),
        'INVALID_INPUT',
        /Invalid latency profile id "fast-one": expected a UUID/,
      ],
      [
        'table without a profile id',
        async () => ({ latencyModel: 'table' }),
        'INVALID_INPUT',
        /table latency model predicts from a latency profile, but latencyProfileId is not set/,
      ],
      [
        'flops without a profile id',
        async () => ({ latencyModel: 'flops', latencyProfileId: null }),
        'INVALID_INPUT',
        /flops latency model predicts from a latency profile, but latencyProfileId is not set/,
      ],
      [
        'measured with a profile id',
        async () => ({ latencyModel: 'measured', latencyProfileId: tableRow.id }),
        'INVALID_INPUT',
        /measured latency model times every candidate and uses no latency profile/,
      ],
      [
        'measured with a backend',
        async () => ({ latencyModel: 'measured', latencyBackend: 'wasm' }),
        'INVALID_INPUT',
        /latencyBackend "wasm" selects the backend a latency profile must have been measured on/,
      ],
      [
        'an unknown latency model',
        async () => ({ latencyModel: 'guess' as LatencyModelKind }),
        'INVALID_INPUT',
        /Unknown latency model "guess"/,
      ],
      [
        'a space of another input shape',
        async () => ({ space: { ...space, inputShape: [32, 32, 1] } }),
        'INVALID_INPUT',
        /takes input 32×32×1, but dataset fashion-mnist-subset has 28×28×1 images/,
      ],
    ];
    for (const [name, change, code, message] of cases) {
      it(name, async () => {
        const overrides = await change();
        const before = await db.prisma.experiment.count();
        await assert.rejects(createExperiment(db.prisma, settings(overrides)), (error: unknown) => {
          assert.ok(error instanceof AkdError, String(error));
          assert.equal(error.code, code);
          assert.match(error.message, message);
          return true;
        });
        assert.equal(await db.prisma.experiment.count(), before, 'no experiment is recorded');
      });
    }
  });
});

describe('storeLatencyProfile', () => {
  it('rejects a taken name', async () => {
    await assert.rejects(
      storeLatencyProfile(db.prisma, syntheticProfile(space), 'tiny synthetic'),
      /A latency profile named "tiny synthetic" already exists/,
    );
  });

  it('rejects an empty name', async () => {
    await assert.rejects(
      storeLatencyProfile(db.prisma, syntheticProfile(space), ' '),
      /use 1 to 100 characters/,
    );
  });
});
