import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Dataset, Experiment, Teacher } from '@akd/db';
import { countParams, type Genome } from '@akd/search-space';
import { teacherCheckpointDir } from '@akd/teachers';
import {
  seedCandidates,
  seedDataset,
  seedExperiment,
  seedTeacher,
  seededSpace,
  startTestApi,
  type GraphqlReply,
  type TestApi,
} from '../testing/harness.js';
import { readZip } from '../testing/zip-reader.js';

const TRAIN = `mutation($id: ID!, $k: Int!, $method: DistillationMethod!, $epochs: Int, $settings: FinalTrainingSettingsInput) {
  trainFinalModels(experimentId: $id, topK: $k, method: $method, epochs: $epochs, settings: $settings) { id status method settings }
}`;

interface TrainedModelReply {
  id: string;
  status: string;
  method: string;
  settings: Record<string, unknown>;
}

function trainedModels(reply: GraphqlReply): TrainedModelReply[] {
  assert.equal(reply.body.errors, undefined, JSON.stringify(reply.body.errors));
  return (reply.body.data as { trainFinalModels: TrainedModelReply[] }).trainFinalModels;
}

function firstError(reply: GraphqlReply): string {
  return reply.body.errors?.[0]?.message ?? '';
}

describe('trained models', () => {
  let api: TestApi;
  let dataset: Dataset;
  /** Zoo teacher with a model folder and checkpoints after epochs 1 to 4. */
  let trainedTeacher: Teacher;
  /** Experiment of `trainedTeacher` with two completed candidates. */
  let experiment: Experiment;
  /** Experiment of a zoo teacher without model files or checkpoints, like one imported from shipped weights. */
  let shippedExperiment: Experiment;

  before(async () => {
    api = await startTestApi();
    dataset = await seedDataset(api.prisma, 'final-settings');
    const dir = join(api.config.artifactDir, 'teachers', 'trained');
    for (const epoch of [1, 2, 3, 4]) {
      await mkdir(teacherCheckpointDir(dir, epoch), { recursive: true });
      await writeFile(join(teacherCheckpointDir(dir, epoch), 'model.json'), '{}');
    }
    trainedTeacher = await api.prisma.teacher.update({
      where: { id: (await seedTeacher(api.prisma, dataset, 'trained')).id },
      data: { artifactDir: dir },
    });
    experiment = await seedExperiment(api.prisma, dataset, trainedTeacher, 'completed');
    await seedCandidates(api.prisma, experiment, [
      { accuracy: 0.9, latencyMs: 1, reward: 0.9 },
      { accuracy: 0.8, latencyMs: 1, reward: 0.8 },
    ]);
    shippedExperiment = await seedExperiment(
      api.prisma,
      dataset,
      await seedTeacher(api.prisma, dataset, 'shipped'),
      'completed',
    );
    await seedCandidates(api.prisma, shippedExperiment, [{ accuracy: 0.9, latencyMs: 1, reward: 0.9 }]);
  });

  after(() => api.close());

  it('records the resolved cc recipe', async () => {
    const [model] = trainedModels(
      await api.graphql(TRAIN, { id: experiment.id, k: 1, method: 'CC', epochs: 3, settings: { beta: 0.1 } }),
    );
    assert.equal(model.status, 'PENDING');
    assert.equal(model.method, 'CC');
    assert.equal(model.settings.method, 'cc');
    assert.equal(model.settings.epochs, 3);
    assert.deepEqual(model.settings.kd, { lambda: 1, temperature: 1 });
    assert.deepEqual(model.settings.cc, { beta: 0.1, gamma: 0.4 });
    assert.equal(model.settings.batchSize, 64);
  });

  it('records a chosen assistant for each ta student', async () => {
    const models = trainedModels(
      await api.graphql(TRAIN, { id: experiment.id, k: 2, method: 'TA', epochs: 2 }),
    );
    assert.equal(models.length, 2);
    const candidates = await api.prisma.candidate.findMany({ where: { experimentId: experiment.id } });
    for (const model of models) {
      const row = await api.prisma.trainedModel.findUniqueOrThrow({ where: { id: model.id } });
      const student = candidates.find((candidate) => candidate.id === row.candidateId);
      const assistant = model.settings.assistant as { params: number; choice: string; epochs: number };
      assert.equal(assistant.choice, 'automatic');
      assert.equal(assistant.epochs, 2);
      // Seeded candidates record made-up parameter counts, so the student's is computed from its genome.
      const studentParams = countParams(seededSpace(), student?.genome as unknown as Genome);
      assert.ok(assistant.params > studentParams, `assistant ${assistant.params}, student ${studentParams}`);
      assert.ok(assistant.params <= Number(trainedTeacher.params));
    }
  });

  it('records the rco route', async () => {
    const [model] = trainedModels(
      await api.graphql(TRAIN, {
        id: experiment.id,
        k: 1,
        method: 'RCO',
        epochs: 5,
        settings: { routeAnchors: 2 },
      }),
    );
    assert.deepEqual(model.settings.route, { anchors: 2, epochsPerAnchor: 2, teacherEpochs: [2, 4] });
  });

  const bad: { name: string; method: string; settings: Record<string, unknown>; message: RegExp }[] = [
    {
      name: 'temperature 0',
      method: 'HINTON',
      settings: { temperature: 0 },
      message: /temperature 0: it must be greater than 0/,
    },
    {
      name: 'temperature -2',
      method: 'TA',
      settings: { temperature: -2 },
      message: /temperature -2: it must be greater than 0/,
    },
    {
      name: 'lambda 1.2',
      method: 'RCO',
      settings: { lambda: 1.2 },
      message: /lambda=1.2: it must be between 0 and 1/,
    },
    {
      name: 'lambda -1',
      method: 'CC',
      settings: { lambda: -1 },
      message: /lambda=-1: it must be between 0 and 1/,
    },
    { name: 'beta 3', method: 'CC', settings: { beta: 3 }, message: /beta=3: it must be between 0 and 1/ },
    {
      name: 'learning rate 0',
      method: 'HARD_LABEL',
      settings: { learningRate: 0 },
      message: /Invalid learning rate 0/,
    },
    {
      name: 'an assistant larger than the teacher',
      method: 'TA',
      settings: {
        assistantGenome: {
          blocks: Array.from({ length: 5 }, () => ({
            op: 'mbconv6',
            kernelSize: 5,
            seRatio: 0.25,
            skip: 'identity',
            filterMultiplier: 1.25,
            layerDelta: 1,
          })),
        },
      },
      message: /The teacher assistant has \d+ parameters, more than teacher small's 1000/,
    },
  ];
  for (const { name, method, settings, message } of bad) {
    it(`rejects ${name} and records nothing`, async () => {
      let id = experiment.id;
      if (name.includes('assistant')) {
        const small = await api.prisma.teacher.update({
          where: { id: (await seedTeacher(api.prisma, dataset, `small-${method}`)).id },
          data: { params: 1000n, name: 'small' },
        });
        const smallExperiment = await seedExperiment(api.prisma, dataset, small, 'completed');
        await seedCandidates(api.prisma, smallExperiment, [{ accuracy: 0.9, latencyMs: 1, reward: 0.9 }]);
        id = smallExperiment.id;
      }
      const models = await api.prisma.trainedModel.count();
      const jobs = api.queue.jobs.length;
      const reply = await api.graphql(TRAIN, { id, k: 2, method, epochs: 2, settings });
      assert.equal(reply.status, 400);
      assert.match(firstError(reply), message);
      assert.equal(await api.prisma.trainedModel.count(), models);
      assert.equal(api.queue.jobs.length, jobs);
    });
  }

  it('rejects rco with a teacher without checkpoints', async () => {
    const reply = await api.graphql(TRAIN, { id: shippedExperiment.id, k: 1, method: 'RCO', epochs: 2 });
    assert.equal(reply.status, 400);
    assert.match(
      firstError(reply),
      /teacher shipped has none \(teachers imported from shipped weights keep none\): train it with `akd teachers train --names resnet` or the trainTeacher mutation/,
    );
    assert.equal(await api.prisma.trainedModel.count({ where: { experimentId: shippedExperiment.id } }), 0);
  });

  it('rejects cc with a teacher without model files', async () => {
    const reply = await api.graphql(TRAIN, { id: shippedExperiment.id, k: 1, method: 'CC', epochs: 2 });
    assert.equal(reply.status, 400);
    assert.match(
      firstError(reply),
      /CC-KD .* needs a teacher model, but teacher shipped is a zoo teacher without model files/,
    );
  });
  it('download sends the genome and metadata the job wrote', async () => {
    const [candidate] = await api.prisma.candidate.findMany({
      where: { experimentId: experiment.id },
      take: 1,
    });
    const dir = join(api.config.artifactDir, 'models', 'written');
    await mkdir(dir, { recursive: true });
    const files = {
      'model.json': JSON.stringify({
        modelTopology: {},
        weightsManifest: [{ paths: ['./weights.bin'], weights: [] }],
      }),
      'genome.json': JSON.stringify({
        space: { blocks: [] },
        genome: candidate.genome,
        genomeHash: candidate.genomeHash,
      }),
      'metadata.json': JSON.stringify({ id: 'written', method: 'cc', backend: 'wasm', latencyMs: 1.5 }),
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    await writeFile(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    const model = await api.prisma.trainedModel.create({
      data: {
        candidateId: candidate.id,
        experimentId: experiment.id,
        method: 'cc',
        epochs: 1,
        settings: {},
        status: 'completed',
        artifactDir: dir,
      },
    });

    const response = await fetch(`${api.url}/api/models/${model.id}/download`, {
      headers: { authorization: `Bearer ${api.readerToken}` },
    });
    assert.equal(response.status, 200);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    assert.deepEqual([...entries.keys()].sort(), [
      'genome.json',
      'metadata.json',
      'model.json',
      'weights.bin',
    ]);
    assert.equal(entries.get('genome.json')?.toString('utf8'), files['genome.json']);
    assert.equal(entries.get('metadata.json')?.toString('utf8'), files['metadata.json']);
  });
  it('download adds input and output to older metadata', async () => {
    const [candidate] = await api.prisma.candidate.findMany({
      where: { experimentId: experiment.id },
      take: 1,
    });
    const dir = join(api.config.artifactDir, 'models', 'older');
    await mkdir(dir, { recursive: true });
    const stored = { id: 'older', method: 'hinton', dataset: { id: dataset.id, name: dataset.name } };
    await writeFile(
      join(dir, 'model.json'),
      JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['./weights.bin'], weights: [] }] }),
    );
    await writeFile(join(dir, 'weights.bin'), Buffer.from([1, 2, 3, 4]));
    await writeFile(join(dir, 'genome.json'), JSON.stringify({ genome: candidate.genome }));
    await writeFile(join(dir, 'metadata.json'), JSON.stringify(stored));
    const model = await api.prisma.trainedModel.create({
      data: {
        candidateId: candidate.id,
        experimentId: experiment.id,
        method: 'hinton',
        epochs: 1,
        settings: {},
        status: 'completed',
        artifactDir: dir,
      },
    });

    const response = await fetch(`${api.url}/api/models/${model.id}/download`, {
      headers: { authorization: `Bearer ${api.readerToken}` },
    });
    assert.equal(response.status, 200);
    const entries = readZip(Buffer.from(await response.arrayBuffer()));
    const metadata = JSON.parse(entries.get('metadata.json')?.toString('utf8') ?? '{}') as {
      id: string;
      input?: { shape: number[]; scaling: string };
      output?: { kind: string; classNames: string[] };
    };
    assert.equal(metadata.id, 'older');
    assert.deepEqual(metadata.input?.shape, [dataset.inputHeight, dataset.inputWidth, dataset.inputChannels]);
    assert.equal(metadata.input?.scaling, 'byte / 255');
    assert.equal(metadata.output?.kind, 'logits');
    assert.deepEqual(metadata.output?.classNames, dataset.classNames);
  });
});
