import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { MemorySearchStore, runSearch, type RunSearchOptions, type SearchStore } from '@akd/search';
import { defaultSearchSpace } from '@akd/search-space';
import { HiddenTargetEvaluator, randomTarget } from '../../search/src/test-fixtures.js';
import { PrismaSearchStore } from './prisma-search-store.js';

const space = defaultSearchSpace([28, 28, 1], 10);
let db: TestDatabase;
let datasetId: string;

before(async () => {
  db = await createTestDatabase();
  const dataset = await db.prisma.dataset.create({
    data: {
      name: 'store-test',
      kind: 'idx',
      directory: '/nonexistent',
      inputHeight: 28,
      inputWidth: 28,
      inputChannels: 1,
      numClasses: 10,
      classNames: [],
      trainCount: 100,
      testCount: 10,
      fingerprint: 'store-test-fingerprint',
    },
  });
  datasetId = dataset.id;
});

after(async () => {
  await db.drop();
});

async function newExperiment(): Promise<string> {
  const experiment = await db.prisma.experiment.create({
    data: {
      name: 'store test',
      datasetId,
      strategy: 'policy_gradient',
      strategyOptions: {},
      searchBy: 'hard_label',
      latencyModel: 'measured',
      latencyTargetMs: 10,
      rewardAlpha: -0.07,
      rewardBeta: -0.07,
      searchSpace: space as unknown as object,
      proxySettings: {},
      kdSettings: {},
      budget: 12,
      generationSize: 4,
      seed: 3,
    },
  });
  return experiment.id;
}

function options(
  store: SearchStore,
  evaluator: HiddenTargetEvaluator,
  signal?: AbortSignal,
): RunSearchOptions {
  return {
    space,
    strategy: { kind: 'policy-gradient', options: { seed: 5 } },
    evaluator,
    store,
    budget: 12,
    generationSize: 4,
    concurrency: 2,
    rewardConfig: { targetMs: 10 },
    seed: 3,
    signal,
  };
}

describe('PrismaSearchStore', () => {
  const target = randomTarget(space, 9);

  it('gives the same search as the in-memory store', async () => {
    const memory = new MemorySearchStore();
    const expected = await runSearch(options(memory, new HiddenTargetEvaluator(space, target)));
    const experimentId = await newExperiment();
    const store = new PrismaSearchStore(db.prisma, experimentId, space, 'measured');
    const actual = await runSearch(options(store, new HiddenTargetEvaluator(space, target)));

    assert.equal(actual.candidatesEvaluated, expected.candidatesEvaluated);
    assert.equal(actual.best?.hash, expected.best?.hash);
    const memoryRewards = (await memory.listCandidates()).map((c) => [c.hash, c.reward] as const);
    const prismaRewards = (await store.listCandidates()).map((c) => [c.hash, c.reward] as const);
    assert.deepEqual(new Map(prismaRewards), new Map(memoryRewards));
    const rows = await db.prisma.candidate.count({ where: { experimentId } });
    assert.equal(rows, new Set(prismaRewards.map(([hash]) => hash)).size, 'one row per genome hash');
    const generations = await db.prisma.generation.findMany({
      where: { experimentId },
      orderBy: { index: 'asc' },
    });
    assert.ok(generations.length >= 3);
    for (const g of generations) assert.equal(g.status, 'completed');
    assert.ok(generations.every((g) => g.rewardMax !== null && g.entropy !== null));
  });

  it('resumes an interrupted search to the same result', async () => {
    const reference = new MemorySearchStore();
    const expected = await runSearch(options(reference, new HiddenTargetEvaluator(space, target)));

    const experimentId = await newExperiment();
    const controller = new AbortController();
    const interrupted = new HiddenTargetEvaluator(space, target);
    const original = interrupted.evaluate.bind(interrupted);
    let calls = 0;
    interrupted.evaluate = async (genome, context) => {
      calls++;
      if (calls === 6) controller.abort();
      return original(genome, context);
    };
    const first = await runSearch(
      options(
        new PrismaSearchStore(db.prisma, experimentId, space, 'measured'),
        interrupted,
        controller.signal,
      ),
    );
    assert.equal(first.status, 'aborted');

    const resumedEvaluator = new HiddenTargetEvaluator(space, target);
    const resumed = await runSearch(
      options(new PrismaSearchStore(db.prisma, experimentId, space, 'measured'), resumedEvaluator),
    );
    assert.equal(resumed.status, 'budget-exhausted');
    assert.equal(resumed.best?.hash, expected.best?.hash);
    const store = new PrismaSearchStore(db.prisma, experimentId, space, 'measured');
    const rewards = new Map((await store.listCandidates()).map((c) => [c.hash, c.reward]));
    assert.deepEqual(rewards, new Map((await reference.listCandidates()).map((c) => [c.hash, c.reward])));
    const trainedTwice = resumedEvaluator.calls.filter((call) =>
      interrupted.calls.some((earlier) => earlier.hash === call.hash),
    );
    // Only candidates that were in flight when the search stopped may be scored again.
    assert.ok(trainedTwice.length <= 2, `re-evaluated ${trainedTwice.length} candidates`);
  });

  it('rejects a second initial checkpoint', async () => {
    const experimentId = await newExperiment();
    const store = new PrismaSearchStore(db.prisma, experimentId, space, 'measured');
    const checkpoint = {
      spaceFingerprint: 'x',
      strategyKind: 'random' as const,
      strategyState: {},
      rngState: [1, 2, 3, 4],
      nextGeneration: 0,
      candidatesEvaluated: 0,
      stalledGenerations: 0,
    };
    await store.saveCheckpoint(checkpoint);
    await assert.rejects(store.saveCheckpoint(checkpoint), /already has a search checkpoint/);
  });
});
