import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Dataset, Teacher } from '@akd/db';
import {
  seedDataset,
  seedTeacher,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';

const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

function data<T>(reply: GraphqlReply): T {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return reply.body.data as T;
}

function expectError(reply: GraphqlReply, status: number, message: RegExp): void {
  assert.equal(reply.status, status, JSON.stringify(reply.body));
  assert.match(reply.body.errors?.[0].message ?? '', message);
}

describe('datasets, teachers, latency profiles and workers', () => {
  let api: TestApi;
  let dataset: Dataset;
  let other: Dataset;
  let resnet: Teacher;
  let vgg: Teacher;
  let foreign: Teacher;
  let training: Teacher;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'catalog');
    other = await seedDataset(api.prisma, 'elsewhere');
    resnet = await seedTeacher(api.prisma, dataset, 'resnet');
    vgg = await seedTeacher(api.prisma, dataset, 'vgg');
    foreign = await seedTeacher(api.prisma, other, 'resnet');
    training = await seedTeacher(api.prisma, dataset, 'busy', 'training');
  });

  after(() => api.close());

  describe('queries', () => {
    it('lists datasets by name', async () => {
      const reply = await api.graphql(
        '{ datasets { name kind inputHeight numClasses classNames trainCount } }',
      );
      const datasets = data<{ datasets: { name: string; kind: string; classNames: string[] }[] }>(
        reply,
      ).datasets;
      assert.deepEqual(
        datasets.map((row) => row.name),
        ['catalog', 'elsewhere'],
      );
      assert.equal(datasets[0].kind, 'IDX');
      assert.equal(datasets[0].classNames.length, 10);
    });

    it('dataset returns null for unknown ids', async () => {
      assert.deepEqual(
        data(await api.graphql('query($id: ID!) { dataset(id: $id) { id } }', { id: UNKNOWN_ID })),
        { dataset: null },
      );
    });

    it('lists the teachers of one dataset', async () => {
      const reply = await api.graphql(
        'query($id: ID) { teachers(datasetId: $id) { name status params dataset { name } } }',
        { id: dataset.id },
      );
      const teachers = data<{
        teachers: { name: string; status: string; params: string; dataset: { name: string } }[];
      }>(reply).teachers;
      assert.deepEqual(
        teachers.map((row) => row.name),
        ['busy', 'resnet', 'vgg'],
      );
      assert.ok(teachers.every((row) => row.dataset.name === 'catalog'));
      assert.equal(teachers[1].params, '3000000000');
    });

    it('teacher returns one teacher', async () => {
      const reply = await api.graphql(
        'query($id: ID!) { teacher(id: $id) { id name source status downloadable } }',
        { id: resnet.id },
      );
      assert.deepEqual(data(reply), {
        teacher: { id: resnet.id, name: 'resnet', source: 'ZOO', status: 'READY', downloadable: false },
      });
    });

    it('teacher rejects a malformed id', async () => {
      expectError(await api.graphql('{ teacher(id: "../../etc") { id } }'), 400, /Invalid teacher id/);
    });
  });

  describe('trainTeacher', () => {
    const TRAIN =
      'mutation($input: TrainTeacherInput!) { trainTeacher(input: $input) { id name family status source trainingSettings } }';

    it('records a pending zoo teacher and queues it', async () => {
      const reply = await api.graphql(TRAIN, {
        input: { datasetId: dataset.id, architecture: 'MOBILENETV2', training: { epochs: 2 } },
      });
      const teacher = data<{
        trainTeacher: { id: string; name: string; status: string; trainingSettings: Record<string, number> };
      }>(reply).trainTeacher;
      assert.equal(teacher.name, 'mobilenetv2');
      assert.equal(teacher.status, 'PENDING');
      assert.deepEqual(teacher.trainingSettings, { epochs: 2, batchSize: 64, learningRate: 0.004, seed: 1 });
      assert.deepEqual(api.queue.jobs.at(-1), { kind: 'teacher', id: teacher.id });
    });

    it('rejects an existing name', async () => {
      expectError(
        await api.graphql(TRAIN, { input: { datasetId: dataset.id, architecture: 'RESNET' } }),
        409,
        /already exists/,
      );
    });

    it('trains a failed teacher again', async () => {
      const failed = await seedTeacher(api.prisma, dataset, 'retry', 'failed');
      const reply = await api.graphql(TRAIN, {
        input: { datasetId: dataset.id, architecture: 'VGG', name: 'retry' },
      });
      const teacher = data<{ trainTeacher: { id: string; status: string; family: string } }>(
        reply,
      ).trainTeacher;
      assert.equal(teacher.id, failed.id);
      assert.equal(teacher.status, 'PENDING');
      assert.equal(teacher.family, 'vgg');
    });

    it('rejects an unknown dataset', async () => {
      expectError(
        await api.graphql(TRAIN, { input: { datasetId: UNKNOWN_ID, architecture: 'VGG' } }),
        404,
        /does not exist/,
      );
    });

    it('rejects an unknown architecture', async () => {
      expectError(
        await api.graphql(TRAIN, { input: { datasetId: dataset.id, architecture: 'TRANSFORMER' } }),
        400,
        /"TRANSFORMER" does not exist/,
      );
    });

    it('rejects zero epochs', async () => {
      expectError(
        await api.graphql(TRAIN, {
          input: { datasetId: dataset.id, architecture: 'VGG', name: 'x', training: { epochs: 0 } },
        }),
        400,
        /training\.epochs must not be less than 1/,
      );
    });
  });

  describe('createEnsembleTeacher', () => {
    const ENSEMBLE =
      'mutation($input: CreateEnsembleTeacherInput!) { createEnsembleTeacher(input: $input) { id source status memberIds params members { name } } }';
    const ensemble = (name: string, memberIds: string[]) =>
      api.graphql(ENSEMBLE, { input: { datasetId: dataset.id, name, memberIds } });

    it('records an ensemble of ready teachers', async () => {
      const reply = await ensemble('pair', [resnet.id, vgg.id]);
      const teacher = data<{
        createEnsembleTeacher: {
          id: string;
          source: string;
          status: string;
          params: string;
          members: { name: string }[];
        };
      }>(reply).createEnsembleTeacher;
      assert.equal(teacher.source, 'ENSEMBLE');
      assert.equal(teacher.status, 'PENDING');
      assert.equal(teacher.params, '6000000000');
      assert.deepEqual(
        teacher.members.map((member) => member.name),
        ['resnet', 'vgg'],
      );
      assert.deepEqual(api.queue.jobs.at(-1), { kind: 'teacher', id: teacher.id });
    });

    const invalid: [string, () => string[], number, RegExp][] = [
      ['one member', () => [resnet.id], 400, /at least 2 member teachers/],
      ['a repeated member', () => [resnet.id, resnet.id], 400, /twice/],
      ['an unknown member', () => [resnet.id, UNKNOWN_ID], 404, /do not exist/],
      ['a member of another dataset', () => [resnet.id, foreign.id], 400, /another dataset/],
      ['a member not ready', () => [resnet.id, training.id], 400, /not ready/],
    ];
    for (const [name, members, status, message] of invalid) {
      it(`rejects ${name}`, async () => {
        const before = await api.prisma.teacher.count();
        expectError(await ensemble(`bad-${name}`, members()), status, message);
        assert.equal(await api.prisma.teacher.count(), before);
      });
    }

    it('rejects a taken name', async () => {
      expectError(await ensemble('resnet', [resnet.id, vgg.id]), 409, /already exists/);
    });
  });

  describe('latency profiles', () => {
    const CREATE =
      'mutation($input: CreateLatencyProfileInput!) { createLatencyProfile(input: $input) { id name inputShape table source } }';
    const input = (change: Record<string, unknown> = {}) => ({
      name: 'pixel',
      device: 'Pixel 8',
      backend: 'wasm',
      inputShape: [28, 28, 1],
      table: { 'conv3x3-16': 0.12, 'mbconv6-k5': 0.4 },
      ...change,
    });

    it('records and lists a profile', async () => {
      const created = data<{ createLatencyProfile: { name: string; source: string; inputShape: number[] } }>(
        await api.graphql(CREATE, { input: input() }),
      );
      assert.equal(created.createLatencyProfile.source, 'WORKER');
      assert.deepEqual(created.createLatencyProfile.inputShape, [28, 28, 1]);
      const listed = data<{ latencyProfiles: { name: string }[] }>(
        await api.graphql('{ latencyProfiles { name device } }'),
      );
      assert.deepEqual(listed.latencyProfiles, [{ name: 'pixel', device: 'Pixel 8' }]);
    });

    const invalid: [string, Record<string, unknown>, number, RegExp][] = [
      ['an empty table', { name: 'a', table: {} }, 400, /at least one operation/],
      ['a negative latency', { name: 'b', table: { conv: -1 } }, 400, /latency table entry "conv"/],
      ['a text latency', { name: 'c', table: { conv: 'fast' } }, 400, /latency table entry "conv"/],
      [
        'a 2-D input shape',
        { name: 'd', inputShape: [28, 28] },
        400,
        /inputShape must contain at least 3 elements/,
      ],
      ['a taken name', {}, 409, /already exists/],
    ];
    for (const [name, change, status, message] of invalid) {
      it(`rejects ${name}`, async () => {
        expectError(await api.graphql(CREATE, { input: input(change) }), status, message);
      });
    }
  });

  it('workers reports liveness', async () => {
    await api.prisma.worker.create({ data: { host: 'alive', pid: 1, backend: 'wasm' } });
    await api.prisma.worker.create({
      data: { host: 'stale', pid: 2, backend: 'cpu', heartbeatAt: new Date(Date.now() - 3_600_000) },
    });
    const all = data<{ workers: { host: string; alive: boolean }[] }>(
      await api.graphql('{ workers { host alive currentJob } }'),
    );
    assert.deepEqual(
      all.workers.map((worker) => [worker.host, worker.alive]),
      [
        ['alive', true],
        ['stale', false],
      ],
    );
    const alive = data<{ workers: { host: string }[] }>(
      await api.graphql('{ workers(aliveOnly: true) { host } }'),
    );
    assert.deepEqual(alive.workers, [{ host: 'alive' }]);
  });
});
