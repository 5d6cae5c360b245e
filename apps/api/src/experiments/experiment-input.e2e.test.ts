import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Dataset, Teacher } from '@akd/db';
import { defaultSearchSpace } from '@akd/search-space';
import {
  seedDataset,
  seedTeacher,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';

const CREATE = `mutation($input: CreateExperimentInput!) { createExperiment(input: $input) { id } }`;

function firstError(reply: GraphqlReply): { message: string; code: string | undefined } {
  const error = reply.body.errors?.[0];
  return { message: error?.message ?? '', code: error?.extensions?.code };
}

describe('createExperiment class counts and enums', () => {
  let api: TestApi;
  let dataset: Dataset;
  let teacher: Teacher;
  let hundredClassTeacher: Teacher;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'ten-classes');
    teacher = await seedTeacher(api.prisma, dataset);
    const hundredClasses = await api.prisma.dataset.update({
      where: { id: (await seedDataset(api.prisma, 'hundred-classes')).id },
      data: { numClasses: 100, classNames: Array.from({ length: 100 }, (_, label) => String(label)) },
    });
    hundredClassTeacher = await seedTeacher(api.prisma, hundredClasses, 'wide-resnet');
  });

  after(() => api.close());

  const input = (change: Record<string, unknown>): Record<string, unknown> => ({
    name: 'search',
    datasetId: dataset.id,
    teacherId: teacher.id,
    latencyTargetMs: 2,
    budget: 10,
    ...change,
  });

  async function assertRejected(change: Record<string, unknown>, message: RegExp): Promise<void> {
    const before = await api.prisma.experiment.count();
    const reply = await api.graphql(CREATE, { input: input(change) });
    assert.equal(reply.status, 400, JSON.stringify(reply.body));
    assert.equal(firstError(reply).code, 'BAD_USER_INPUT');
    assert.match(firstError(reply).message, message);
    assert.equal(await api.prisma.experiment.count(), before, 'no experiment is recorded');
    assert.equal(api.queue.jobs.length, 0, 'no search is queued');
  }

  it('rejects a teacher with another class count', async () => {
    await assertRejected(
      { teacherId: hundredClassTeacher.id },
      /Teacher wide-resnet was trained on another dataset than ten-classes/,
    );
  });

  it('rejects a search space with another class count', async () => {
    await assertRejected(
      { space: defaultSearchSpace([28, 28, 1], 100) },
      /The search space has 100 classes but dataset ten-classes has 10/,
    );
  });

  it('rejects an unknown searchBy', async () => {
    await assertRejected({ searchBy: 'DISTILL' }, /"DISTILL" does not exist in "SearchBy" enum/);
  });

  it('rejects an unknown strategy', async () => {
    await assertRejected({ strategy: 'BAYESIAN' }, /"BAYESIAN" does not exist in "SearchStrategy" enum/);
  });

  it('accepts the same input with a valid teacher', async () => {
    const reply = await api.graphql(CREATE, { input: input({}) });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(api.queue.jobs.length, 1);
  });
});
