import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeGenomePca2d, countArchitectureChoices } from '@akd/analysis';
import { Rng } from '@akd/core';
import type { Candidate, Dataset, Experiment, PrismaClient, Teacher } from '@akd/db';
import { genomeHash, sampleGenome, type Genome } from '@akd/search-space';
import {
  HUGE_PARAMS,
  seedDataset,
  seedExperiment,
  seededSpace,
  seedTeacher,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

function firstError(reply: GraphqlReply): { message: string; code: string | undefined } {
  const error = reply.body.errors?.[0];
  return { message: error?.message ?? '', code: error?.extensions?.code };
}

function data<T>(reply: GraphqlReply): T {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return reply.body.data as T;
}

function near(actual: number | null | undefined, expected: number, tolerance = 1e-9): void {
  assert.ok(
    typeof actual === 'number' && Math.abs(actual - expected) <= tolerance,
    `expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}

/** Distinct genomes of the seeded space, the same on every call. */
function distinctGenomes(count: number): Genome[] {
  const space = seededSpace();
  const rng = new Rng(11);
  const byHash = new Map<string, Genome>();
  while (byHash.size < count) {
    const genome = sampleGenome(space, rng);
    byHash.set(genomeHash(space, genome), genome);
  }
  return [...byHash.values()];
}

interface CandidateFields {
  generation?: number;
  accuracy?: number;
  latencyMs?: number;
  flops?: bigint;
  params?: bigint;
  status?: Candidate['status'];
}

function insertCandidate(
  prisma: PrismaClient,
  experiment: Experiment,
  genome: Genome,
  fields: CandidateFields,
): Promise<Candidate> {
  const scored = fields.accuracy !== undefined;
  return prisma.candidate.create({
    data: {
      experimentId: experiment.id,
      generation: fields.generation ?? 0,
      genome: genome as unknown as object,
      genomeHash: genomeHash(seededSpace(), genome),
      params: fields.params ?? 1000n,
      flops: fields.flops ?? 5000n,
      latencyMs: fields.latencyMs ?? null,
      latencyModel: 'measured',
      proxyAccuracy: fields.accuracy ?? null,
      reward: fields.accuracy ?? null,
      status: fields.status ?? (scored ? 'completed' : 'pending'),
    },
  });
}

function insertFinalModel(
  prisma: PrismaClient,
  candidate: Candidate,
  fields: {
    method: 'hinton' | 'hard_label';
    teacher: Teacher | null;
    testTop1: number;
    epochs?: number;
    status?: 'completed' | 'pending';
  },
): Promise<unknown> {
  return prisma.trainedModel.create({
    data: {
      candidateId: candidate.id,
      experimentId: candidate.experimentId,
      teacherId: fields.teacher?.id ?? null,
      method: fields.method,
      epochs: fields.epochs ?? 10,
      settings: {},
      testTop1: fields.status === 'pending' ? null : fields.testTop1,
      status: fields.status ?? 'completed',
    },
  });
}

describe('analysis queries', () => {
  let api: TestApi;
  let dataset: Dataset;
  let teacher: Teacher;
  const genomes = distinctGenomes(12);

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'analysis');
    teacher = await seedTeacher(api.prisma, dataset);
  });

  after(() => api.close());

  describe('experimentStructure', () => {
    const QUERY = `query($ids: [ID!]!) { experimentStructure(experimentIds: $ids) {
      experimentIds candidateCount pcaUnavailableReason
      pca { points { candidateId experimentId generation status x y reward accuracy }
            components { index variance explainedVarianceRatio topLoadings { label weight } } }
      distributions { experimentId generation genomes blocks ops { value count share } kernelSizes { value count }
                      seRatios { value count } skips { value count } }
      latencyVersusFlops { points { candidateId flops latencyMs } fit { slopeMsPerFlop interceptMs rSquared n } unavailableReason }
    } }`;

    type Structure = {
      experimentIds: string[];
      candidateCount: number;
      pcaUnavailableReason: string | null;
      pca: {
        points: {
          candidateId: string;
          experimentId: string;
          generation: number;
          status: string;
          x: number;
          y: number;
          accuracy: number | null;
        }[];
        components: {
          index: number;
          variance: number;
          explainedVarianceRatio: number;
          topLoadings: { label: string; weight: number }[];
        }[];
      } | null;
      distributions: {
        experimentId: string;
        generation: number;
        genomes: number;
        blocks: number;
        ops: { value: string; count: number; share: number }[];
        kernelSizes: { value: string; count: number }[];
        seRatios: { value: string; count: number }[];
        skips: { value: string; count: number }[];
      }[];
      latencyVersusFlops: {
        points: { candidateId: string; flops: string; latencyMs: number }[];
        fit: { slopeMsPerFlop: number; interceptMs: number; rSquared: number | null; n: number } | null;
        unavailableReason: string | null;
      };
    };

    let searched: Experiment;
    let other: Experiment;
    let rows: Candidate[];

    before(async () => {
      searched = await seedExperiment(api.prisma, dataset, teacher, 'completed');
      other = await seedExperiment(api.prisma, dataset, null, 'completed');
      rows = [];
      for (let index = 0; index < 6; index++) {
        const flops = 1_000_000n * BigInt(index + 1);
        const pending = index === 5;
        rows.push(
          await insertCandidate(api.prisma, searched, genomes[index], {
            generation: index < 3 ? 0 : 1,
            flops,
            accuracy: pending ? undefined : 0.5 + index / 100,
            latencyMs: pending ? undefined : 0.5 + 2e-6 * Number(flops),
          }),
        );
      }
      await insertCandidate(api.prisma, other, genomes[6], { accuracy: 0.6, latencyMs: 9, flops: 2n ** 60n });
    });

    it('projects, counts and fits one experiment', async () => {
      const result = data<{ experimentStructure: Structure }>(
        await api.graphql(QUERY, { ids: [searched.id] }),
      ).experimentStructure;
      assert.deepEqual(result.experimentIds, [searched.id]);
      assert.equal(result.candidateCount, 6);
      assert.equal(result.pcaUnavailableReason, null);

      const expected = computeGenomePca2d(seededSpace(), genomes.slice(0, 6));
      const points = result.pca?.points ?? [];
      assert.deepEqual(
        points.map((point) => point.candidateId),
        rows.map((row) => row.id),
      );
      points.forEach((point, index) => {
        near(point.x, expected.coordinates[index][0]);
        near(point.y, expected.coordinates[index][1]);
      });
      assert.equal(points[5].status, 'PENDING');
      assert.equal(points[5].accuracy, null);
      assert.deepEqual(
        points.map((point) => point.generation),
        [0, 0, 0, 1, 1, 1],
      );

      const components = result.pca?.components ?? [];
      assert.equal(components.length, 2);
      near(components[0].explainedVarianceRatio, expected.explainedVarianceRatio[0]);
      near(components[1].variance, expected.variances[1]);
      assert.equal(components[0].topLoadings.length, 5);
      const topWeight = Math.max(...expected.loadings[0].map(Math.abs));
      near(Math.abs(components[0].topLoadings[0].weight), topWeight);
      assert.match(components[0].topLoadings[0].label, /^blocks\[\d\]\.\w+=/);
    });

    it('counts block choices per generation', async () => {
      const result = data<{ experimentStructure: Structure }>(
        await api.graphql(QUERY, { ids: [searched.id] }),
      ).experimentStructure;
      const expected = countArchitectureChoices(seededSpace(), [
        { generation: 0, genomes: genomes.slice(0, 3) },
        { generation: 1, genomes: genomes.slice(3, 6) },
      ]);
      assert.deepEqual(
        result.distributions.map((entry) => [
          entry.experimentId,
          entry.generation,
          entry.genomes,
          entry.blocks,
        ]),
        expected.map((entry) => [searched.id, entry.generation, 3, entry.blocks]),
      );
      result.distributions.forEach((entry, index) => {
        assert.deepEqual(
          entry.ops.map((op) => [op.value, op.count]),
          expected[index].op.map((op) => [op.value, op.count]),
        );
        assert.deepEqual(
          entry.skips.map((skip) => [skip.value, skip.count]),
          expected[index].skip.map((skip) => [skip.value, skip.count]),
        );
        assert.deepEqual(
          entry.seRatios.map((se) => se.value),
          ['0', '0.25'],
        );
        near(
          entry.ops.reduce((sum, op) => sum + op.share, 0),
          1,
        );
      });
    });

    it('fits latency against FLOPs of completed candidates', async () => {
      const result = data<{ experimentStructure: Structure }>(
        await api.graphql(QUERY, { ids: [searched.id] }),
      ).experimentStructure;
      const { points, fit } = result.latencyVersusFlops;
      assert.equal(points.length, 5);
      assert.equal(points[0].flops, '1000000');
      assert.equal(fit?.n, 5);
      near(fit?.slopeMsPerFlop, 2e-6, 1e-15);
      near(fit?.interceptMs, 0.5, 1e-9);
      near(fit?.rSquared, 1, 1e-12);
    });

    it('combines experiments in the given order', async () => {
      const result = data<{ experimentStructure: Structure }>(
        await api.graphql(QUERY, { ids: [other.id, searched.id] }),
      ).experimentStructure;
      assert.equal(result.candidateCount, 7);
      assert.equal(result.pca?.points[0].experimentId, other.id);
      assert.deepEqual(
        result.distributions.map((entry) => [entry.experimentId, entry.generation]),
        [
          [other.id, 0],
          [searched.id, 0],
          [searched.id, 1],
        ],
      );
      assert.equal(result.latencyVersusFlops.points[0].flops, (2n ** 60n).toString());
    });

    it('explains a missing projection and fit', async () => {
      const result = data<{ experimentStructure: Structure }>(
        await api.graphql(QUERY, { ids: [other.id] }),
      ).experimentStructure;
      assert.equal(result.pca, null);
      assert.match(result.pcaUnavailableReason ?? '', /at least two candidates, and the experiments have 1/);
      assert.equal(result.latencyVersusFlops.fit, null);
      assert.match(result.latencyVersusFlops.unavailableReason ?? '', /at least two completed candidates/);
    });

    it('is a field of Experiment', async () => {
      const reply = await api.graphql(
        'query($id: ID!) { experiment(id: $id) { structure { candidateCount pca { points { candidateId } } } } }',
        { id: searched.id },
      );
      const structure = data<{
        experiment: { structure: { candidateCount: number; pca: { points: unknown[] } } };
      }>(reply).experiment.structure;
      assert.equal(structure.candidateCount, 6);
      assert.equal(structure.pca.points.length, 6);
    });

    it('rejects experiments whose encodings differ', async () => {
      const smaller = await seedExperiment(api.prisma, dataset, null, 'completed');
      const space = seededSpace();
      await api.prisma.experiment.update({
        where: { id: smaller.id },
        data: { searchSpace: { ...space, blocks: space.blocks.slice(0, 4) } as unknown as object },
      });
      const reply = await api.graphql(QUERY, { ids: [searched.id, smaller.id] });
      assert.equal(reply.status, 400);
      assert.equal(firstError(reply).code, 'BAD_USER_INPUT');
      assert.match(firstError(reply).message, /genome encodings differ/);
    });

    const invalid: [string, () => unknown[], number, string, RegExp][] = [
      ['an unknown experiment', () => [UNKNOWN_ID], 404, 'NOT_FOUND', /Experiment\(s\) .* do not exist/],
      ['a repeated experiment', () => [searched.id, searched.id], 400, 'BAD_USER_INPUT', /twice/],
      ['no experiments', () => [], 400, 'BAD_USER_INPUT', /at least one experiment/],
      ['a malformed id', () => ['../x'], 400, 'BAD_USER_INPUT', /Invalid experiment id/],
    ];
    for (const [name, ids, status, code, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const reply = await api.graphql(QUERY, { ids: ids() });
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(firstError(reply).code, code);
        assert.match(firstError(reply).message, message);
      });
    }
  });

  describe('proxyFidelity', () => {
    const QUERY = `query($id: ID!, $method: DistillationMethod) { proxyFidelity(experimentId: $id, method: $method) {
      experimentId method n spearman unavailableReason pairs { candidateId trainedModelId proxyAccuracy testAccuracy epochs }
    } }`;
    type Fidelity = {
      experimentId: string;
      method: string;
      n: number;
      spearman: number | null;
      unavailableReason: string | null;
      pairs: { candidateId: string; proxyAccuracy: number; testAccuracy: number }[];
    };
    let experiment: Experiment;
    let candidates: Candidate[];

    before(async () => {
      experiment = await seedExperiment(api.prisma, dataset, teacher, 'completed');
      candidates = [];
      const proxy = [0.5, 0.6, 0.7, 0.8];
      for (const [index, accuracy] of proxy.entries()) {
        candidates.push(
          await insertCandidate(api.prisma, experiment, genomes[index], { accuracy, latencyMs: 1 }),
        );
      }
      // An older model of the first candidate, which the newer one replaces.
      await insertFinalModel(api.prisma, candidates[0], { method: 'hinton', teacher, testTop1: 0.99 });
      const test = [0.55, 0.7, 0.65, 0.9];
      for (const [index, testTop1] of test.entries()) {
        await insertFinalModel(api.prisma, candidates[index], { method: 'hinton', teacher, testTop1 });
      }
      await insertFinalModel(api.prisma, candidates[1], {
        method: 'hard_label',
        teacher: null,
        testTop1: 0.6,
      });
      await insertFinalModel(api.prisma, candidates[2], {
        method: 'hard_label',
        teacher: null,
        testTop1: 0.5,
      });
      await insertFinalModel(api.prisma, candidates[3], {
        method: 'hard_label',
        teacher: null,
        testTop1: 0,
        status: 'pending',
      });
    });

    it('correlates proxy and test accuracy', async () => {
      const result = data<{ proxyFidelity: Fidelity }>(
        await api.graphql(QUERY, { id: experiment.id }),
      ).proxyFidelity;
      assert.equal(result.method, 'HINTON');
      assert.equal(result.n, 4);
      // Ranks 1,2,3,4 against 1,3,2,4: rho = 1 - 6 * 2 / (4 * 15).
      near(result.spearman, 0.8);
      assert.equal(result.unavailableReason, null);
      assert.deepEqual(
        result.pairs.map((pair) => [pair.candidateId, pair.proxyAccuracy, pair.testAccuracy]),
        [
          [candidates[3].id, 0.8, 0.9],
          [candidates[2].id, 0.7, 0.65],
          [candidates[1].id, 0.6, 0.7],
          [candidates[0].id, 0.5, 0.55],
        ],
      );
    });

    it('reports fewer than three pairs', async () => {
      const result = data<{ proxyFidelity: Fidelity }>(
        await api.graphql(QUERY, { id: experiment.id, method: 'HARD_LABEL' }),
      ).proxyFidelity;
      assert.equal(result.n, 2);
      assert.equal(result.spearman, null);
      assert.match(
        result.unavailableReason ?? '',
        /at least 3 candidates .* has 2\. Train more with trainFinalModels/,
      );
    });

    it('is a field of Experiment', async () => {
      const reply = await api.graphql(
        'query($id: ID!) { experiment(id: $id) { proxyFidelity { n spearman } } }',
        {
          id: experiment.id,
        },
      );
      const fidelity = data<{ experiment: { proxyFidelity: { n: number; spearman: number } } }>(reply)
        .experiment.proxyFidelity;
      assert.equal(fidelity.n, 4);
      near(fidelity.spearman, 0.8);
    });

    it('rejects an unknown experiment', async () => {
      const reply = await api.graphql(QUERY, { id: UNKNOWN_ID });
      assert.equal(reply.status, 404);
      assert.equal(firstError(reply).code, 'NOT_FOUND');
    });
  });

  describe('teacher comparisons', () => {
    let comparison: Dataset;
    let resnet: Teacher;
    let vgg: Teacher;
    let wide: Teacher;
    let akdResnet: Candidate[];
    let akdVgg: Candidate[];
    let nas: Candidate[];

    before(async () => {
      comparison = await seedDataset(api.prisma, 'comparison');
      resnet = await seedTeacher(api.prisma, comparison, 'resnet');
      vgg = await api.prisma.teacher.update({
        where: { id: (await seedTeacher(api.prisma, comparison, 'vgg')).id },
        data: { testAccuracy: 0.8 },
      });
      wide = await seedTeacher(api.prisma, comparison, 'wide');
      await seedTeacher(api.prisma, comparison, 'failed', 'failed');

      const resnetSearch = await seedExperiment(api.prisma, comparison, resnet, 'completed');
      const resnetRepeat = await seedExperiment(api.prisma, comparison, resnet, 'completed');
      const vggSearch = await seedExperiment(api.prisma, comparison, vgg, 'completed');
      const nasSearch = await seedExperiment(api.prisma, comparison, null, 'completed');
      akdResnet = [
        await insertCandidate(api.prisma, resnetSearch, genomes[0], {
          accuracy: 0.8,
          latencyMs: 1.5,
          params: HUGE_PARAMS,
        }),
        await insertCandidate(api.prisma, resnetSearch, genomes[1], { accuracy: 0.85, latencyMs: 2.5 }),
        await insertCandidate(api.prisma, resnetSearch, genomes[2], { accuracy: 0.7, latencyMs: 0.8 }),
        await insertCandidate(api.prisma, resnetSearch, genomes[3], { status: 'failed' }),
      ];
      // The same genome as akdResnet[0], less accurate: the leaderboard lists each genome once.
      await insertCandidate(api.prisma, resnetRepeat, genomes[0], { accuracy: 0.79, latencyMs: 1.4 });
      akdVgg = [
        await insertCandidate(api.prisma, vggSearch, genomes[4], { accuracy: 0.82, latencyMs: 1.9 }),
        await insertCandidate(api.prisma, vggSearch, genomes[5], { accuracy: 0.9, latencyMs: 3.5 }),
      ];
      nas = [
        await insertCandidate(api.prisma, nasSearch, genomes[0], { accuracy: 0.78, latencyMs: 1 }),
        await insertCandidate(api.prisma, nasSearch, genomes[1], { accuracy: 0.83, latencyMs: 2.2 }),
        await insertCandidate(api.prisma, nasSearch, genomes[6], { accuracy: 0.6, latencyMs: 5 }),
      ];
      await insertFinalModel(api.prisma, akdResnet[0], { method: 'hinton', teacher: resnet, testTop1: 0.88 });
      await insertFinalModel(api.prisma, nas[0], { method: 'hard_label', teacher: null, testTop1: 0.85 });
      await insertFinalModel(api.prisma, nas[0], {
        method: 'hard_label',
        teacher: null,
        testTop1: 0.5,
        epochs: 3,
      });
    });

    describe('teacherAdvice', () => {
      const QUERY = `query($datasetId: ID!, $target: Float!) { teacherAdvice(datasetId: $datasetId, latencyTargetMs: $target) {
        rank teacherName teacher { id } best { id proxyAccuracy params } bestAccuracy candidatesUnderTarget candidates
      } }`;
      type Advice = {
        rank: number | null;
        teacherName: string;
        teacher: { id: string } | null;
        best: { id: string; params: string } | null;
        bestAccuracy: number | null;
        candidatesUnderTarget: number;
        candidates: number;
      };

      it('ranks teachers by their best student under the target', async () => {
        const advice = data<{ teacherAdvice: Advice[] }>(
          await api.graphql(QUERY, { datasetId: comparison.id, target: 2 }),
        ).teacherAdvice;
        assert.deepEqual(
          advice.map((entry) => [
            entry.teacherName,
            entry.rank,
            entry.bestAccuracy,
            entry.candidatesUnderTarget,
            entry.candidates,
          ]),
          [
            ['vgg', 1, 0.82, 1, 2],
            ['resnet', 2, 0.8, 3, 4],
            ['GT', 3, 0.78, 1, 3],
            ['wide', null, null, 0, 0],
          ],
        );
        assert.equal(advice[0].best?.id, akdVgg[0].id);
        assert.equal(advice[1].best?.params, HUGE_PARAMS.toString());
        assert.equal(advice[2].teacher, null);
        assert.equal(advice[3].teacher?.id, wide.id);
      });

      it('rejects a latency target of 0', async () => {
        const reply = await api.graphql(QUERY, { datasetId: comparison.id, target: 0 });
        assert.equal(reply.status, 400);
        assert.match(firstError(reply).message, /latencyTargetMs must be greater than 0/);
      });

      it('rejects an unknown dataset', async () => {
        const reply = await api.graphql(QUERY, { datasetId: UNKNOWN_ID, target: 2 });
        assert.equal(reply.status, 404);
        assert.match(firstError(reply).message, /Dataset .* does not exist/);
      });
    });

    describe('teacherLeaderboards', () => {
      const QUERY = `query($datasetId: ID!, $buckets: [Float!]!, $perBucket: Int) {
        teacherLeaderboards(datasetId: $datasetId, bucketsMs: $buckets, perBucket: $perBucket) {
          teacherName teacherTestAccuracy teacher { id }
          buckets { minLatencyMs maxLatencyMs candidates entries {
            rank candidate { id } experimentId accuracy accuracySource proxyAccuracy testAccuracy latencyMs params flops
            hardLabelAccuracy gain gainSource teacherAccuracyRetained
          } }
        } }`;
      type Entry = {
        rank: number;
        candidate: { id: string };
        accuracy: number;
        accuracySource: string;
        proxyAccuracy: number;
        testAccuracy: number | null;
        latencyMs: number;
        params: string;
        flops: string;
        hardLabelAccuracy: number | null;
        gain: number | null;
        gainSource: string | null;
        teacherAccuracyRetained: number | null;
      };
      type Board = {
        teacherName: string;
        teacherTestAccuracy: number | null;
        teacher: { id: string } | null;
        buckets: { minLatencyMs: number; maxLatencyMs: number; candidates: number; entries: Entry[] }[];
      };

      async function boards(buckets: number[], perBucket = 3): Promise<Board[]> {
        return data<{ teacherLeaderboards: Board[] }>(
          await api.graphql(QUERY, { datasetId: comparison.id, buckets, perBucket }),
        ).teacherLeaderboards;
      }

      it('lists one board per teacher and GT', async () => {
        const result = await boards([4, 2]);
        assert.deepEqual(
          result.map((board) => [board.teacherName, board.teacherTestAccuracy]),
          [
            ['resnet', 0.9],
            ['vgg', 0.8],
            ['wide', 0.9],
            ['GT', null],
          ],
        );
        assert.ok(result.every((board) => board.buckets.length === 2));
        assert.deepEqual(
          result[0].buckets.map((bucket) => [bucket.minLatencyMs, bucket.maxLatencyMs, bucket.candidates]),
          [
            [0, 2, 3],
            [2, 4, 1],
          ],
        );
        assert.deepEqual(result[2].buckets[0].entries, []);
      });

      it('ranks distinct genomes per bucket', async () => {
        const [resnetBoard, vggBoard] = await boards([2, 4]);
        assert.deepEqual(
          resnetBoard.buckets[0].entries.map((entry) => [entry.rank, entry.candidate.id]),
          [
            [1, akdResnet[0].id],
            [2, akdResnet[2].id],
          ],
        );
        assert.deepEqual(
          vggBoard.buckets.map((bucket) => bucket.entries.map((entry) => entry.candidate.id)),
          [[akdVgg[0].id], [akdVgg[1].id]],
        );
        const limited = await boards([2, 4], 1);
        assert.deepEqual(
          limited[0].buckets[0].entries.map((entry) => entry.candidate.id),
          [akdResnet[0].id],
        );
      });

      it('prefers test accuracy and compares with hard labels', async () => {
        const [resnetBoard] = await boards([2, 4]);
        const [tested, untested] = resnetBoard.buckets[0].entries;
        assert.equal(tested.accuracySource, 'TEST');
        assert.equal(tested.accuracy, 0.88);
        assert.equal(tested.proxyAccuracy, 0.8);
        assert.equal(tested.params, HUGE_PARAMS.toString());
        assert.equal(tested.gainSource, 'TEST');
        assert.equal(tested.hardLabelAccuracy, 0.85, 'the hard-label model with the same epochs');
        near(tested.gain, 0.03);
        near(tested.teacherAccuracyRetained, 0.88 / 0.9);

        assert.equal(untested.accuracySource, 'PROXY');
        assert.equal(untested.testAccuracy, null);
        assert.equal(untested.gain, null);
        assert.equal(untested.gainSource, null);

        const proxyOnly = resnetBoard.buckets[1].entries[0];
        assert.equal(proxyOnly.candidate.id, akdResnet[1].id);
        assert.equal(proxyOnly.gainSource, 'PROXY');
        assert.equal(proxyOnly.hardLabelAccuracy, 0.83);
        near(proxyOnly.gain, 0.02);
        near(proxyOnly.teacherAccuracyRetained, 0.85 / 0.9);
      });

      it('shows hard-label searches under GT', async () => {
        const result = await boards([2, 4]);
        const gt = result[3];
        assert.equal(gt.teacher, null);
        const [first] = gt.buckets[0].entries;
        assert.equal(first.candidate.id, nas[0].id);
        assert.equal(first.accuracySource, 'TEST');
        assert.equal(first.accuracy, 0.85);
        assert.equal(first.gain, null);
        assert.equal(first.teacherAccuracyRetained, null);
        assert.deepEqual(
          gt.buckets[1].entries.map((entry) => entry.candidate.id),
          [nas[1].id],
          'the candidate at 5 ms is above every bucket',
        );
      });

      const invalid: [string, Record<string, unknown>, RegExp][] = [
        ['no buckets', { buckets: [] }, /bucketsMs must list at least one bound/],
        ['a repeated bound', { buckets: [2, 2] }, /bucketsMs lists 2 ms twice/],
        ['a bound of 0', { buckets: [0, 2] }, /each of bucketsMs must be greater than 0/],
        ['perBucket 0', { buckets: [2], perBucket: 0 }, /perBucket must not be less than 1/],
      ];
      for (const [name, change, message] of invalid) {
        it(`rejects ${name}`, async () => {
          const reply = await api.graphql(QUERY, { datasetId: comparison.id, perBucket: 3, ...change });
          assert.equal(reply.status, 400, JSON.stringify(reply.body));
          assert.equal(firstError(reply).code, 'BAD_USER_INPUT');
          assert.match(firstError(reply).message, message);
        });
      }
    });
  });
});
