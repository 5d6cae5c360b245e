import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { Prisma, type Dataset, type Experiment } from './generated/prisma/client.js';
import { createTestDatabase, type TestDatabase } from './testing.js';

let db: TestDatabase;

before(async () => {
  db = await createTestDatabase();
});

after(async () => {
  await db?.drop();
});

async function createDataset(): Promise<Dataset> {
  const id = randomUUID();
  return db.prisma.dataset.create({
    data: {
      name: `cifar10-${id}`,
      kind: 'cifar10',
      directory: '/data/cifar10',
      inputHeight: 32,
      inputWidth: 32,
      inputChannels: 3,
      numClasses: 10,
      classNames: ['airplane', 'automobile'],
      trainCount: 50_000,
      testCount: 10_000,
      fingerprint: id.replace(/-/g, '').padEnd(64, '0'),
    },
  });
}

async function createExperiment(dataset: Dataset): Promise<Experiment> {
  return db.prisma.experiment.create({
    data: {
      name: 'search',
      datasetId: dataset.id,
      strategy: 'policy_gradient',
      strategyOptions: { learningRate: 0.01 },
      searchBy: 'hard_label',
      latencyModel: 'flops',
      latencyTargetMs: 5,
      rewardAlpha: -0.07,
      rewardBeta: -0.07,
      searchSpace: { blocks: 7 },
      proxySettings: { epochs: 1 },
      kdSettings: { temperature: 4 },
      budget: 100,
      generationSize: 10,
      seed: -1,
    },
  });
}

function candidateData(experiment: Experiment, genomeHash: string) {
  return {
    experimentId: experiment.id,
    generation: 0,
    genome: { blocks: [{ op: 'mbconv', expansion: 6, kernel: 3 }] },
    genomeHash,
    params: 1_000n,
    flops: 2_000n,
    latencyMs: 1.5,
    latencyModel: 'flops' as const,
  };
}

function hasPrismaCode(code: string) {
  return (error: unknown): boolean => {
    assert.ok(
      error instanceof Prisma.PrismaClientKnownRequestError,
      `expected a Prisma error, got ${String(error)}`,
    );
    assert.equal(error.code, code);
    return true;
  };
}

describe('prisma client on migrated database', () => {
  test('BigInt round trip above 2^31', async () => {
    const experiment = await createExperiment(await createDataset());
    const params = 2n ** 31n + 7n;
    // Above 2^53, where a JavaScript number would lose the last digit.
    const flops = 2n ** 53n + 1n;

    const created = await db.prisma.candidate.create({
      data: { ...candidateData(experiment, 'bigint'), params, flops },
    });
    const read = await db.prisma.candidate.findUniqueOrThrow({ where: { id: created.id } });

    assert.equal(read.params, params);
    assert.equal(read.flops, flops);
    const [raw] = await db.prisma.$queryRaw<{ flops: string; type: string }[]>`
      SELECT flops::text AS flops, pg_typeof(flops)::text AS type FROM candidates WHERE id = ${created.id}::uuid`;
    assert.equal(raw.flops, '9007199254740993');
    assert.equal(raw.type, 'bigint');
  });

  test('unique experimentId genomeHash enforced', async () => {
    const dataset = await createDataset();
    const experiment = await createExperiment(dataset);
    const other = await createExperiment(dataset);
    await db.prisma.candidate.create({ data: candidateData(experiment, 'same-genome') });

    await assert.rejects(
      db.prisma.candidate.create({ data: candidateData(experiment, 'same-genome') }),
      hasPrismaCode('P2002'),
    );
    const inOther = await db.prisma.candidate.create({ data: candidateData(other, 'same-genome') });
    assert.equal(inOther.genomeHash, 'same-genome', 'the same genome is allowed in another experiment');
  });

  test('enum values stored in kebab case', async () => {
    const experiment = await createExperiment(await createDataset());

    const read = await db.prisma.experiment.findUniqueOrThrow({ where: { id: experiment.id } });
    const [raw] = await db.prisma.$queryRaw<{ strategy: string; search_by: string }[]>`
      SELECT strategy::text AS strategy, search_by::text AS search_by FROM experiments WHERE id = ${experiment.id}::uuid`;

    assert.equal(read.strategy, 'policy_gradient');
    assert.equal(read.searchBy, 'hard_label');
    assert.equal(raw.strategy, 'policy-gradient');
    assert.equal(raw.search_by, 'hard-label');
    const filtered = await db.prisma.experiment.count({
      where: { id: experiment.id, strategy: 'policy_gradient' },
    });
    assert.equal(filtered, 1);
  });

  test('defaults and JSON round trip', async () => {
    const experiment = await createExperiment(await createDataset());
    const candidate = await db.prisma.candidate.create({ data: candidateData(experiment, 'defaults') });

    assert.equal(experiment.status, 'queued');
    assert.equal(experiment.strategyState, null);
    assert.deepEqual(experiment.kdSettings, { temperature: 4 });
    assert.equal(candidate.status, 'pending');
    assert.equal(candidate.attempts, 0);
    assert.deepEqual(candidate.genome, { blocks: [{ op: 'mbconv', expansion: 6, kernel: 3 }] });
    assert.match(candidate.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/, 'ids are UUIDv7');
  });

  test('updatedAt advances on update', async () => {
    const experiment = await createExperiment(await createDataset());

    const updated = await db.prisma.experiment.update({
      where: { id: experiment.id },
      data: { status: 'running', strategyState: { rng: [1, 2, 3, 4] } },
    });

    assert.ok(updated.updatedAt > experiment.updatedAt);
    assert.deepEqual(updated.strategyState, { rng: [1, 2, 3, 4] });
  });

  test('deleting experiment deletes its candidates', async () => {
    const experiment = await createExperiment(await createDataset());
    await db.prisma.candidate.create({ data: candidateData(experiment, 'cascade') });
    await db.prisma.generation.create({ data: { experimentId: experiment.id, index: 0 } });

    await db.prisma.experiment.delete({ where: { id: experiment.id } });

    assert.equal(await db.prisma.candidate.count({ where: { experimentId: experiment.id } }), 0);
    assert.equal(await db.prisma.generation.count({ where: { experimentId: experiment.id } }), 0);
  });

  test('dataset in use cannot be deleted', async () => {
    const dataset = await createDataset();
    await createExperiment(dataset);

    await assert.rejects(db.prisma.dataset.delete({ where: { id: dataset.id } }), hasPrismaCode('P2003'));
  });

  test('trained model keeps history when candidate is deleted', async () => {
    const experiment = await createExperiment(await createDataset());
    const candidate = await db.prisma.candidate.create({ data: candidateData(experiment, 'trained') });
    const model = await db.prisma.trainedModel.create({
      data: {
        candidateId: candidate.id,
        experimentId: experiment.id,
        method: 'hard_label',
        epochs: 30,
        settings: { batchSize: 128 },
      },
    });

    await db.prisma.candidate.delete({ where: { id: candidate.id } });

    const read = await db.prisma.trainedModel.findUniqueOrThrow({ where: { id: model.id } });
    assert.equal(read.candidateId, null);
    assert.equal(read.experimentId, experiment.id);
  });
});

describe('experiment candidate counts', () => {
  async function countOf(experiment: Experiment): Promise<number | null> {
    const row = await db.prisma.experimentCandidateCount.findUnique({
      where: { experimentId: experiment.id },
    });
    return row?.total ?? null;
  }

  test('follow inserts of one or many rows and deletes, per experiment', async () => {
    const dataset = await createDataset();
    const first = await createExperiment(dataset);
    const second = await createExperiment(dataset);
    assert.equal(await countOf(first), null);

    await db.prisma.candidate.create({ data: candidateData(first, 'a') });
    await db.prisma.candidate.createMany({
      data: [
        candidateData(first, 'b'),
        candidateData(second, 'c'),
        candidateData(first, 'd'),
        candidateData(second, 'e'),
      ],
    });
    assert.equal(await countOf(first), 3);
    assert.equal(await countOf(second), 2);

    await db.prisma.candidate.deleteMany({ where: { genomeHash: { in: ['a', 'c', 'd'] } } });
    assert.equal(await countOf(first), 1);
    assert.equal(await countOf(second), 1);
    for (const experiment of [first, second]) {
      assert.equal(
        await countOf(experiment),
        await db.prisma.candidate.count({ where: { experimentId: experiment.id } }),
      );
    }
  });

  test('a rolled-back insert leaves the count unchanged', async () => {
    const experiment = await createExperiment(await createDataset());
    await db.prisma.candidate.create({ data: candidateData(experiment, 'kept') });
    // The second row repeats the genome hash, so the whole statement fails.
    await assert.rejects(
      db.prisma.candidate.createMany({
        data: [candidateData(experiment, 'new'), candidateData(experiment, 'kept')],
      }),
      hasPrismaCode('P2002'),
    );
    assert.equal(await countOf(experiment), 1);
  });

  test('disappear with their experiment', async () => {
    const experiment = await createExperiment(await createDataset());
    await db.prisma.candidate.createMany({
      data: [candidateData(experiment, 'x'), candidateData(experiment, 'y')],
    });
    assert.equal(await countOf(experiment), 2);

    await db.prisma.experiment.delete({ where: { id: experiment.id } });
    assert.equal(await countOf(experiment), null);
  });
});
