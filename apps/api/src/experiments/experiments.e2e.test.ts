import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import type { Dataset, Experiment, Teacher } from '@akd/db';
import { enumerateLayerKeys } from '@akd/engine';
import { storeLatencyProfile } from '@akd/runner';
import { defaultSearchSpace } from '@akd/search-space';
import { syntheticProfile } from '../../../../libs/engine/src/latency/test-fixtures.js';
import {
  HUGE_PARAMS,
  seedCandidates,
  seedDataset,
  seedExperiment,
  seedTeacher,
  seededSpace,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';
import { ChangeFeedService } from '../subscriptions/change-feed.service.js';

const CREATE = `mutation($input: CreateExperimentInput!) {
  createExperiment(input: $input) { id name status budget teacherId strategy latencyTargetMs proxySettings { trainSize valSize } kdSettings { lambda temperature } }
}`;

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

function firstError(reply: GraphqlReply): { message: string; code: string | undefined } {
  const error = reply.body.errors?.[0];
  return { message: error?.message ?? '', code: error?.extensions?.code };
}

function data<T>(reply: GraphqlReply): T {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return reply.body.data as T;
}

describe('experiments', () => {
  let api: TestApi;
  let dataset: Dataset;
  let otherDataset: Dataset;
  let teacher: Teacher;
  let foreignTeacher: Teacher;
  let pendingTeacher: Teacher;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'main');
    otherDataset = await seedDataset(api.prisma, 'other');
    teacher = await seedTeacher(api.prisma, dataset);
    foreignTeacher = await seedTeacher(api.prisma, otherDataset);
    pendingTeacher = await seedTeacher(api.prisma, dataset, 'vgg', 'training');
  });

  after(() => api.close());

  const baseInput = (): Record<string, unknown> => ({
    name: 'search',
    datasetId: dataset.id,
    teacherId: teacher.id,
    latencyTargetMs: 2,
    budget: 10,
  });

  describe('createExperiment', () => {
    it('records a queued experiment and queues its search', async () => {
      const reply = await api.graphql(CREATE, { input: baseInput() });
      const created = data<{ createExperiment: Record<string, unknown> & { id: string } }>(
        reply,
      ).createExperiment;
      assert.equal(created.status, 'QUEUED');
      assert.equal(created.strategy, 'POLICY_GRADIENT');
      assert.equal(created.teacherId, teacher.id);
      assert.deepEqual(created.proxySettings, { trainSize: 2000, valSize: 1000 });
      assert.deepEqual(created.kdSettings, { lambda: 0.5, temperature: 2 });
      assert.deepEqual(api.queue.jobs.at(-1), { kind: 'search', id: created.id });
    });

    it('hard-label search needs no teacher', async () => {
      const input = { ...baseInput(), teacherId: null, searchBy: 'HARD_LABEL', strategy: 'RANDOM' };
      const created = data<{ createExperiment: { teacherId: string | null } }>(
        await api.graphql(CREATE, { input }),
      ).createExperiment;
      assert.equal(created.teacherId, null);
    });

    const invalid: [string, Record<string, unknown>, number, string, RegExp][] = [
      [
        'zero latency target',
        { latencyTargetMs: 0 },
        400,
        'BAD_USER_INPUT',
        /latencyTargetMs must be greater than 0/,
      ],
      ['negative latency target', { latencyTargetMs: -3 }, 400, 'BAD_USER_INPUT', /latencyTargetMs/],
      ['zero budget', { budget: 0 }, 400, 'BAD_USER_INPUT', /budget must not be less than 1/],
      ['budget above max', { budget: 5001 }, 400, 'BAD_USER_INPUT', /budget must not be greater than 5000/],
      ['unknown teacher', { teacherId: UNKNOWN_ID }, 404, 'NOT_FOUND', /Teacher .* does not exist/],
      ['teacher of another dataset', { teacherId: '' }, 400, 'BAD_USER_INPUT', /another dataset/],
      ['teacher not ready', { teacherId: '' }, 400, 'BAD_USER_INPUT', /not ready/],
      ['distillation without teacher', { teacherId: null }, 400, 'BAD_USER_INPUT', /needs a teacher/],
      ['unknown dataset', { datasetId: UNKNOWN_ID }, 404, 'NOT_FOUND', /Dataset .* does not exist/],
      ['malformed dataset id', { datasetId: '../x' }, 400, 'BAD_USER_INPUT', /Invalid dataset id/],
      [
        'proxy larger than dataset',
        { proxy: { trainSize: 5000, valSize: 2000 } },
        400,
        'BAD_USER_INPUT',
        /exceeds the 6000 training images/,
      ],
      ['distillation temperature 0', { kd: { temperature: 0 } }, 400, 'BAD_USER_INPUT', /temperature/],
      [
        'unknown strategy',
        { strategy: 'GREEDY' },
        400,
        'BAD_USER_INPUT',
        /"GREEDY" does not exist in "SearchStrategy" enum/,
      ],
    ];
    for (const [name, change, status, code, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const input = { ...baseInput(), ...change };
        if (name === 'teacher of another dataset') input.teacherId = foreignTeacher.id;
        if (name === 'teacher not ready') input.teacherId = pendingTeacher.id;
        const before = await api.prisma.experiment.count();
        const reply = await api.graphql(CREATE, { input });
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(firstError(reply).code, code);
        assert.match(firstError(reply).message, message);
        assert.equal(await api.prisma.experiment.count(), before, 'no experiment is recorded');
      });
    }

    it('records nothing when the queue is down', async () => {
      const before = await api.prisma.experiment.count();
      api.queue.failing = true;
      try {
        const reply = await api.graphql(CREATE, { input: baseInput() });
        assert.equal(reply.status, 503);
        assert.equal(firstError(reply).code, 'UNAVAILABLE');
      } finally {
        api.queue.failing = false;
      }
      assert.equal(await api.prisma.experiment.count(), before);
    });
  });

  describe('createExperiment latency models', () => {
    const CREATE_PROFILE =
      'mutation($input: CreateLatencyProfileInput!) { createLatencyProfile(input: $input) { id } }';
    const CREATE_WITH_LATENCY = `mutation($input: CreateExperimentInput!) {
      createExperiment(input: $input) { id latencyModel latencyProfileId }
    }`;
    const FIT = { slopeMsPerFlop: 2e-8, interceptMs: 0.3, r2: 0.9 };
    /** Flat wasm table over every layer configuration of the default 28×28×1 space, with a FLOPs fit. */
    let fullId: string;
    /** The same table without a FLOPs fit. */
    let unfittedId: string;
    /** The same table without three of its keys. */
    let gappyId: string;
    /** Complete profile of the default 32×32×3 space. */
    let otherShapeId: string;

    const profileInput = (change: Record<string, unknown>): Record<string, unknown> => ({
      device: 'Test CPU',
      backend: 'wasm',
      inputShape: [28, 28, 1],
      ...change,
    });

    before(async () => {
      const keys = enumerateLayerKeys(seededSpace()).map((spec) => spec.key);
      const table = Object.fromEntries(keys.map((key, index) => [key, 0.01 + (index % 7) * 0.01]));
      const createProfile = async (change: Record<string, unknown>): Promise<string> =>
        data<{ createLatencyProfile: { id: string } }>(
          await api.graphql(CREATE_PROFILE, { input: profileInput({ table, ...change }) }),
        ).createLatencyProfile.id;
      fullId = await createProfile({ name: 'full', flopsFit: FIT });
      unfittedId = await createProfile({ name: 'unfitted' });
      const gappy = { ...table };
      for (const key of [keys[2], keys[30], keys[300]]) delete gappy[key];
      gappyId = await createProfile({ name: 'gappy', table: gappy, flopsFit: FIT });
      const cifar = syntheticProfile(defaultSearchSpace([32, 32, 3], 10));
      otherShapeId = (await storeLatencyProfile(api.prisma, cifar, 'cifar')).id;
    });

    it('records a TABLE experiment with its profile', async () => {
      const input = { ...baseInput(), latencyModel: 'TABLE', latencyProfileId: fullId };
      const created = data<{ createExperiment: { latencyModel: string; latencyProfileId: string } }>(
        await api.graphql(CREATE_WITH_LATENCY, { input }),
      ).createExperiment;
      assert.equal(created.latencyModel, 'TABLE');
      assert.equal(created.latencyProfileId, fullId);
    });

    it('records a FLOPS experiment on the profile backend', async () => {
      const input = {
        ...baseInput(),
        latencyModel: 'FLOPS',
        latencyProfileId: fullId,
        latencyBackend: 'wasm',
      };
      const created = data<{ createExperiment: { latencyModel: string; latencyProfileId: string } }>(
        await api.graphql(CREATE_WITH_LATENCY, { input }),
      ).createExperiment;
      assert.equal(created.latencyModel, 'FLOPS');
      assert.equal(created.latencyProfileId, fullId);
    });

    const invalid: [string, () => Record<string, unknown>, number, string, RegExp][] = [
      [
        'a profile of another input shape',
        () => ({ latencyModel: 'TABLE', latencyProfileId: otherShapeId }),
        400,
        'BAD_USER_INPUT',
        /measured at input 32×32×3, but the experiment uses input 28×28×1/,
      ],
      [
        'a profile of another backend',
        () => ({ latencyModel: 'TABLE', latencyProfileId: fullId, latencyBackend: 'cpu' }),
        400,
        'BAD_USER_INPUT',
        /measured on the wasm backend, but the experiment runs on the cpu backend/,
      ],
      [
        'a table without some layer keys',
        () => ({ latencyModel: 'TABLE', latencyProfileId: gappyId }),
        400,
        'BAD_USER_INPUT',
        /"gappy" has no entry for 3 layer configurations/,
      ],
      [
        'FLOPS with a profile without a fit',
        () => ({ latencyModel: 'FLOPS', latencyProfileId: unfittedId }),
        400,
        'BAD_USER_INPUT',
        /"unfitted" has no FLOPs fit/,
      ],
      [
        'an unknown profile id',
        () => ({ latencyModel: 'TABLE', latencyProfileId: UNKNOWN_ID }),
        404,
        'NOT_FOUND',
        /Latency profile .* does not exist/,
      ],
      [
        'a malformed profile id',
        () => ({ latencyModel: 'TABLE', latencyProfileId: '../x' }),
        400,
        'BAD_USER_INPUT',
        /Invalid latency profile id/,
      ],
      [
        'TABLE without a profile id',
        () => ({ latencyModel: 'TABLE' }),
        400,
        'BAD_USER_INPUT',
        /latencyProfileId is not set/,
      ],
      [
        'FLOPS without a profile id',
        () => ({ latencyModel: 'FLOPS', latencyProfileId: null }),
        400,
        'BAD_USER_INPUT',
        /latencyProfileId is not set/,
      ],
      [
        'MEASURED with a profile id',
        () => ({ latencyModel: 'MEASURED', latencyProfileId: fullId }),
        400,
        'BAD_USER_INPUT',
        /uses no latency profile/,
      ],
      [
        'MEASURED with a backend',
        () => ({ latencyBackend: 'wasm' }),
        400,
        'BAD_USER_INPUT',
        /applies to the table and flops latency models only/,
      ],
    ];
    for (const [name, change, status, code, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const input = { ...baseInput(), ...change() };
        const before = await api.prisma.experiment.count();
        const reply = await api.graphql(CREATE_WITH_LATENCY, { input });
        assert.equal(reply.status, status, JSON.stringify(reply.body));
        assert.equal(firstError(reply).code, code);
        assert.match(firstError(reply).message, message);
        assert.equal(await api.prisma.experiment.count(), before, 'no experiment is recorded');
      });
    }

    it('rejects a FLOPs fit without its fields', async () => {
      const before = await api.prisma.latencyProfile.count();
      const input = profileInput({
        name: 'old fit',
        table: { stem: 0.1 },
        flopsFit: { slope: 1e-6, intercept: 0.2 },
      });
      const reply = await api.graphql(CREATE_PROFILE, { input });
      assert.equal(reply.status, 400, JSON.stringify(reply.body));
      assert.match(firstError(reply).message, /slopeMsPerFlop, interceptMs, r2 are missing/);
      assert.equal(await api.prisma.latencyProfile.count(), before, 'no profile is recorded');
    });
  });

  describe('lifecycle mutations', () => {
    const mutate = (name: string, id: string): Promise<GraphqlReply> =>
      api.graphql(`mutation($id: ID!) { ${name}(id: $id) { id status } }`, { id });
    const statusOf = (reply: GraphqlReply, name: string): string =>
      data<Record<string, { status: string }>>(reply)[name].status;

    it('pauses, resumes, cancels and deletes', async () => {
      const row = await seedExperiment(api.prisma, dataset, teacher, 'running');
      assert.equal(statusOf(await mutate('pauseExperiment', row.id), 'pauseExperiment'), 'PAUSED');
      const jobsBefore = api.queue.jobs.length;
      assert.equal(statusOf(await mutate('resumeExperiment', row.id), 'resumeExperiment'), 'QUEUED');
      assert.deepEqual(api.queue.jobs.slice(jobsBefore), [{ kind: 'search', id: row.id }]);
      assert.equal(statusOf(await mutate('cancelExperiment', row.id), 'cancelExperiment'), 'CANCELLED');
      assert.equal(statusOf(await mutate('deleteExperiment', row.id), 'deleteExperiment'), 'CANCELLED');
      const afterDelete = await api.graphql('query($id: ID!) { experiment(id: $id) { id } }', { id: row.id });
      assert.deepEqual(data(afterDelete), { experiment: null });
    });

    it('starts a failed experiment again', async () => {
      const row = await seedExperiment(api.prisma, dataset, teacher, 'failed');
      assert.equal(statusOf(await mutate('startExperiment', row.id), 'startExperiment'), 'QUEUED');
      assert.deepEqual(api.queue.jobs.at(-1), { kind: 'search', id: row.id });
    });

    const conflicts: [string, Experiment['status']][] = [
      ['pauseExperiment', 'completed'],
      ['resumeExperiment', 'running'],
      ['cancelExperiment', 'completed'],
      ['startExperiment', 'cancelled'],
      ['deleteExperiment', 'running'],
    ];
    for (const [mutation, status] of conflicts) {
      it(`${mutation} on ${status} is a conflict`, async () => {
        const row = await seedExperiment(api.prisma, dataset, teacher, status);
        const reply = await mutate(mutation, row.id);
        assert.equal(reply.status, 409);
        assert.equal(firstError(reply).code, 'CONFLICT');
        assert.match(firstError(reply).message, new RegExp(`its status is ${status.toUpperCase()}`));
        assert.equal(
          (await api.prisma.experiment.findUniqueOrThrow({ where: { id: row.id } })).status,
          status,
        );
      });
    }

    it('unknown experiment is 404', async () => {
      const reply = await mutate('pauseExperiment', UNKNOWN_ID);
      assert.equal(reply.status, 404);
    });
  });

  describe('queries', () => {
    let searched: Experiment;

    before(async () => {
      searched = await seedExperiment(api.prisma, dataset, teacher, 'running');
      await api.prisma.generation.create({
        data: { experimentId: searched.id, index: 0, rewardMax: 0.8, status: 'completed', candidateIds: [] },
      });
      await seedCandidates(api.prisma, searched, [
        { accuracy: 0.8, latencyMs: 2, reward: 0.8 },
        { accuracy: 0.7, latencyMs: 3, reward: 0.68 },
        { accuracy: 0.9, latencyMs: 5, reward: 0.85, params: HUGE_PARAMS },
        { accuracy: 0.85, latencyMs: 5, reward: 0.82 },
        { accuracy: 0.6, latencyMs: 1, reward: 0.63 },
        {},
        { status: 'failed' },
      ]);
    });

    const EXPERIMENT = `query($id: ID!, $first: Int!, $after: String, $order: CandidateOrder!) {
      experiment(id: $id) {
        id status progress { budget completed failed inProgress }
        dataset { name } teacher { name params }
        generations { index rewardMax status }
        candidates(first: $first, after: $after, orderBy: $order) {
          totalCount pageInfo { hasNextPage endCursor } edges { cursor node { reward proxyAccuracy latencyMs params status architecture } }
        }
        paretoFront { proxyAccuracy latencyMs }
        bestCandidates(k: 2) { reward params flops }
        trainedModels { id }
      }
    }`;

    type Page = {
      totalCount: number;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
      edges: {
        node: {
          reward: number | null;
          proxyAccuracy: number | null;
          latencyMs: number | null;
          params: string;
          status: string;
          architecture: string | null;
        };
      }[];
    };
    type ExperimentReply = {
      experiment: {
        progress: Record<string, number>;
        dataset: { name: string };
        teacher: { name: string; params: string };
        generations: unknown[];
        candidates: Page;
        paretoFront: { proxyAccuracy: number; latencyMs: number }[];
        bestCandidates: { reward: number; params: string; flops: string }[];
        trainedModels: unknown[];
      };
    };

    async function allPages(order: string, first: number): Promise<Page['edges'][number]['node'][]> {
      const nodes: Page['edges'][number]['node'][] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 20; guard++) {
        const reply = await api.graphql(EXPERIMENT, { id: searched.id, first, after, order });
        const page: Page = data<ExperimentReply>(reply).experiment.candidates;
        nodes.push(...page.edges.map((edge) => edge.node));
        if (!page.pageInfo.hasNextPage) return nodes;
        after = page.pageInfo.endCursor;
      }
      throw new Error('pagination did not end');
    }

    it('resolves the experiment fields', async () => {
      const reply = await api.graphql(EXPERIMENT, {
        id: searched.id,
        first: 3,
        after: null,
        order: 'REWARD_DESC',
      });
      const experiment = data<ExperimentReply>(reply).experiment;
      assert.deepEqual(experiment.progress, { budget: 10, completed: 5, failed: 1, inProgress: 1 });
      assert.equal(experiment.dataset.name, 'main');
      assert.equal(experiment.teacher.params, '3000000000');
      assert.equal(experiment.generations.length, 1);
      assert.equal(experiment.candidates.totalCount, 7);
      assert.equal(experiment.candidates.edges.length, 3);
      assert.ok(experiment.candidates.edges[0].node.architecture, 'architecture is described');
      assert.deepEqual(experiment.paretoFront, [
        { proxyAccuracy: 0.6, latencyMs: 1 },
        { proxyAccuracy: 0.8, latencyMs: 2 },
        { proxyAccuracy: 0.9, latencyMs: 5 },
      ]);
      assert.deepEqual(
        experiment.bestCandidates.map((candidate) => candidate.reward),
        [0.85, 0.82],
      );
      assert.deepEqual(experiment.trainedModels, []);
    });

    it('returns BigInt above 2^53 exactly', async () => {
      const reply = await api.graphql(EXPERIMENT, {
        id: searched.id,
        first: 1,
        after: null,
        order: 'REWARD_DESC',
      });
      const best = data<ExperimentReply>(reply).experiment.bestCandidates[0];
      assert.equal(best.params, HUGE_PARAMS.toString());
      assert.equal(best.flops, (2n ** 40n + 2n).toString());
    });

    const orders: [string, (nodes: Page['edges'][number]['node'][]) => unknown[], unknown[]][] = [
      ['REWARD_DESC', (nodes) => nodes.map((n) => n.reward), [0.85, 0.82, 0.8, 0.68, 0.63, null, null]],
      ['ACCURACY_DESC', (nodes) => nodes.map((n) => n.proxyAccuracy), [0.9, 0.85, 0.8, 0.7, 0.6, null, null]],
      ['LATENCY_ASC', (nodes) => nodes.map((n) => n.latencyMs), [1, 2, 3, 5, 5, null, null]],
      [
        'PARAMS_ASC',
        (nodes) => nodes.map((n) => n.params),
        ['1000', '1001', '1003', '1004', '1005', '1006', HUGE_PARAMS.toString()],
      ],
    ];
    for (const [order, pick, expected] of orders) {
      it(`pages candidates by ${order}`, async () => {
        assert.deepEqual(pick(await allPages(order, 2)), expected);
      });
    }

    it('pages candidates by CREATED_ASC without repeats', async () => {
      const nodes = await allPages('CREATED_ASC', 3);
      assert.equal(nodes.length, 7);
    });

    it('rejects a page size above the maximum', async () => {
      const reply = await api.graphql(EXPERIMENT, {
        id: searched.id,
        first: 101,
        after: null,
        order: 'REWARD_DESC',
      });
      assert.equal(reply.status, 400);
      assert.equal(firstError(reply).code, 'BAD_USER_INPUT');
      assert.match(
        firstError(reply).message,
        /first must be a whole number from 1 to 100 \(the maximum page size\)/,
      );
    });

    it('rejects a forged cursor', async () => {
      const reply = await api.graphql(EXPERIMENT, {
        id: searched.id,
        first: 2,
        after: 'garbage',
        order: 'REWARD_DESC',
      });
      assert.equal(reply.status, 400);
      assert.match(firstError(reply).message, /Invalid cursor/);
    });

    it('rejects bestCandidates k=0', async () => {
      const reply = await api.graphql(
        'query($id: ID!) { experiment(id: $id) { bestCandidates(k: 0) { id } } }',
        { id: searched.id },
      );
      assert.equal(reply.status, 400);
      assert.match(firstError(reply).message, /Invalid k=0/);
    });

    it('pages experiments newest first', async () => {
      const ids: string[] = [];
      let after: string | null = null;
      let total = 0;
      for (let guard = 0; guard < 50; guard++) {
        const reply = await api.graphql(
          'query($after: String) { experiments(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } }',
          { after },
        );
        const page = data<{
          experiments: {
            totalCount: number;
            pageInfo: { hasNextPage: boolean; endCursor: string };
            edges: { node: { id: string } }[];
          };
        }>(reply).experiments;
        total = page.totalCount;
        ids.push(...page.edges.map((edge) => edge.node.id));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      assert.equal(ids.length, total);
      assert.equal(new Set(ids).size, ids.length);
      assert.deepEqual(ids, [...ids].sort().reverse());
    });

    it('filters experiments by status', async () => {
      const reply = await api.graphql(
        '{ experiments(filter: { status: [FAILED, CANCELLED] }, first: 100) { edges { node { status } } } }',
      );
      const statuses = data<{ experiments: { edges: { node: { status: string } }[] } }>(
        reply,
      ).experiments.edges.map((edge) => edge.node.status);
      assert.ok(statuses.length > 0);
      assert.ok(statuses.every((status) => status === 'FAILED' || status === 'CANCELLED'));
    });

    it('experiment returns null for unknown ids', async () => {
      assert.deepEqual(
        data(await api.graphql('query($id: ID!) { experiment(id: $id) { id } }', { id: UNKNOWN_ID })),
        { experiment: null },
      );
    });

    it('ranks the leaderboard under a latency limit', async () => {
      const reply = await api.graphql(
        'query($datasetId: ID!, $teacherId: ID) { leaderboard(datasetId: $datasetId, teacherId: $teacherId, maxLatencyMs: 3) { rank accuracy latencyMs experimentId candidate { params } } }',
        { datasetId: dataset.id, teacherId: teacher.id },
      );
      const entries = data<{
        leaderboard: { rank: number; accuracy: number; latencyMs: number; experimentId: string }[];
      }>(reply).leaderboard;
      assert.deepEqual(
        entries.map((entry) => [entry.rank, entry.accuracy, entry.latencyMs]),
        [
          [1, 0.8, 2],
          [2, 0.7, 3],
          [3, 0.6, 1],
        ],
      );
      assert.ok(entries.every((entry) => entry.experimentId === searched.id));
    });

    it('leaderboard rejects a latency limit of 0', async () => {
      const reply = await api.graphql(
        'query($datasetId: ID!) { leaderboard(datasetId: $datasetId, maxLatencyMs: 0) { rank } }',
        { datasetId: dataset.id },
      );
      assert.equal(reply.status, 400);
      assert.match(firstError(reply).message, /maxLatencyMs must be greater than 0/);
    });

    it('leaderboard of another teacher is empty', async () => {
      const reply = await api.graphql(
        'query($datasetId: ID!, $teacherId: ID) { leaderboard(datasetId: $datasetId, teacherId: $teacherId) { rank } }',
        {
          datasetId: dataset.id,
          teacherId: pendingTeacher.id,
        },
      );
      assert.deepEqual(data(reply), { leaderboard: [] });
    });

    it('rejects a query deeper than the limit', async () => {
      const nested = 'members { '.repeat(11) + 'id' + ' }'.repeat(11);
      const reply = await api.graphql(`query($id: ID!) { teacher(id: $id) { ${nested} } }`, {
        id: teacher.id,
      });
      assert.equal(reply.status, 400);
      assert.match(firstError(reply).message, /exceeds maximum operation depth of 10/);
    });

    it('rejects a query above the complexity limit', async () => {
      const reply = await api.graphql(
        '{ experiments(first: 100) { edges { node { candidates(first: 100) { edges { node { id params flops reward } } } } } } }',
      );
      assert.equal(reply.status, 400);
      assert.equal(firstError(reply).code, 'QUERY_TOO_COMPLEX');
      assert.match(firstError(reply).message, /estimated cost is \d+ and the maximum is 10000/);
    });

    describe('trainFinalModels', () => {
      const TRAIN =
        'mutation($id: ID!, $k: Int!, $method: DistillationMethod!) { trainFinalModels(experimentId: $id, topK: $k, method: $method) { id status method candidateId params } }';

      it('queues the best candidates once', async () => {
        const jobsBefore = api.queue.jobs.length;
        const first = data<{
          trainFinalModels: { id: string; status: string; method: string; params: string }[];
        }>(await api.graphql(TRAIN, { id: searched.id, k: 2, method: 'HINTON' })).trainFinalModels;
        assert.equal(first.length, 2);
        assert.ok(first.every((model) => model.status === 'PENDING' && model.method === 'HINTON'));
        assert.equal(first[0].params, HUGE_PARAMS.toString());
        assert.deepEqual(
          api.queue.jobs.slice(jobsBefore),
          first.map((model) => ({ kind: 'final', id: model.id })),
        );
        const again = data<{ trainFinalModels: { id: string }[] }>(
          await api.graphql(TRAIN, { id: searched.id, k: 2, method: 'HINTON' }),
        ).trainFinalModels;
        assert.deepEqual(
          again.map((model) => model.id),
          first.map((model) => model.id),
        );
        assert.equal(api.queue.jobs.length, jobsBefore + 2, 'no second job');
        const listed = data<{ experiment: { trainedModels: unknown[] } }>(
          await api.graphql('query($id: ID!) { experiment(id: $id) { trainedModels { id } } }', {
            id: searched.id,
          }),
        );
        assert.equal(listed.experiment.trainedModels.length, 2);
      });

      it('rejects a teacher method without a teacher', async () => {
        const hardLabel = await seedExperiment(api.prisma, dataset, null, 'completed');
        await seedCandidates(api.prisma, hardLabel, [{ accuracy: 0.5, latencyMs: 1, reward: 0.5 }]);
        const reply = await api.graphql(TRAIN, { id: hardLabel.id, k: 1, method: 'HINTON' });
        assert.equal(reply.status, 400);
        assert.match(firstError(reply).message, /distills from a teacher/);
        const ok = await api.graphql(TRAIN, { id: hardLabel.id, k: 1, method: 'HARD_LABEL' });
        assert.equal(data<{ trainFinalModels: unknown[] }>(ok).trainFinalModels.length, 1);
      });

      it('rejects an experiment without completed candidates', async () => {
        const empty = await seedExperiment(api.prisma, dataset, teacher, 'running');
        const reply = await api.graphql(TRAIN, { id: empty.id, k: 1, method: 'HINTON' });
        assert.equal(reply.status, 409);
      });

      it('rejects an unknown method', async () => {
        const reply = await api.graphql(TRAIN, { id: searched.id, k: 1, method: 'MAGIC' });
        assert.equal(reply.status, 400);
        assert.match(firstError(reply).message, /"MAGIC" does not exist in "DistillationMethod" enum/);
      });

      it('rejects topK above the maximum', async () => {
        const reply = await api.graphql(TRAIN, { id: searched.id, k: 51, method: 'HINTON' });
        assert.equal(reply.status, 400);
        assert.match(firstError(reply).message, /topK must not be greater than 50/);
      });
    });
  });

  describe('subscriptions', () => {
    let client: Client;

    before(() => {
      client = createClient({
        url: api.url.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${api.readerToken}` },
        retryAttempts: 0,
      });
    });

    after(() => client.dispose());

    async function waitForSubscribers(count: number): Promise<void> {
      const feed = api.app.get(ChangeFeedService);
      for (let attempt = 0; attempt < 100 && feed.subscriberCount !== count; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(feed.subscriberCount, count);
    }

    it('experimentUpdated sends the state and each change', async () => {
      const row = await seedExperiment(api.prisma, dataset, teacher, 'running');
      const updates = client.iterate<{ experimentUpdated: { id: string; status: string } }>({
        query: 'subscription($id: ID!) { experimentUpdated(id: $id) { id status } }',
        variables: { id: row.id },
      });
      assert.equal((await updates.next()).value?.data?.experimentUpdated.status, 'RUNNING');
      await api.prisma.experiment.update({ where: { id: row.id }, data: { status: 'completed' } });
      assert.equal((await updates.next()).value?.data?.experimentUpdated.status, 'COMPLETED');
      await updates.return?.();
      await waitForSubscribers(0);
    });

    it('candidateFinished sends finished candidates', async () => {
      const row = await seedExperiment(api.prisma, dataset, teacher, 'running');
      const [pending] = await seedCandidates(api.prisma, row, [{}]);
      const finished = client.iterate<{
        candidateFinished: { id: string; status: string; params: string; proxyAccuracy: number };
      }>({
        query:
          'subscription($id: ID!) { candidateFinished(experimentId: $id) { id status params proxyAccuracy } }',
        variables: { id: row.id },
      });
      const next = finished.next();
      await waitForSubscribers(1);
      await api.prisma.candidate.update({
        where: { id: pending.id },
        data: { status: 'completed', proxyAccuracy: 0.75, latencyMs: 1.5, reward: 0.7, params: HUGE_PARAMS },
      });
      const payload = (await next).value?.data?.candidateFinished;
      assert.deepEqual(payload, {
        id: pending.id,
        status: 'COMPLETED',
        params: HUGE_PARAMS.toString(),
        proxyAccuracy: 0.75,
      });
      await finished.return?.();
      await waitForSubscribers(0);
    });

    it('rejects a subscription deeper than the limit', async () => {
      const nested = 'members { '.repeat(10) + 'id' + ' }'.repeat(10);
      const updates = client.iterate({
        query: `subscription { experimentUpdated(id: "${UNKNOWN_ID}") { teacher { ${nested} } } }`,
      });
      // graphql-ws rejects with the list of validation errors.
      await assert.rejects(
        async () => {
          for await (const value of updates) assert.fail(`unexpected payload ${JSON.stringify(value)}`);
        },
        (errors: { message: string }[]) =>
          /exceeds maximum operation depth of 10/.test(errors[0]?.message ?? ''),
      );
    });

    it('unknown experiment ends with NOT_FOUND', async () => {
      const updates = client.iterate({
        query: `subscription { experimentUpdated(id: "${UNKNOWN_ID}") { id } }`,
      });
      await assert.rejects(async () => {
        for await (const value of updates) {
          const errors = (value as { errors?: { message: string }[] }).errors;
          if (errors) throw new Error(errors[0].message);
        }
      }, /does not exist/);
    });
  });
});
