import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { gatherImages } from '@akd/data';
import type { TrainedModel } from '@akd/db';
import {
  accuracyFromLogits,
  activeBackend,
  loadModel,
  penultimateFeatureSize,
  predictLogits,
} from '@akd/engine';
import { listTeacherCheckpoints } from '@akd/teachers';
import { recordFinalModel, trainFinalModel } from './final-model.js';
import type { FinalTrainingMethod, FinalTrainingSettings } from './final-settings.js';
import { setUpFinalTraining, TEACHER_EPOCHS, type FinalTrainingSetup } from './final-test-support.js';
import {
  bestTrainedModelId,
  exportTrainedModel,
  GENOME_JSON,
  METADATA_JSON,
  type TrainedModelMetadata,
} from './model-export.js';
import { teacherFeaturesPath } from './teacher-features.js';
import { fullSplitIndices } from './teacher-logits.js';

let setup: FinalTrainingSetup;
let scratch: string;
/** Completed models of the method tests, by method. */
const trained = new Map<FinalTrainingMethod, TrainedModel>();

before(async () => {
  setup = await setUpFinalTraining();
  scratch = await mkdtemp(join(tmpdir(), 'akd-export-test-'));
});

after(async () => {
  await setup?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

/** Returns an `assert.rejects` validator for an AkdError of `code` whose message matches `message`. */
function akdError(code: string, message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  };
}

async function readMetadata(dir: string): Promise<TrainedModelMetadata> {
  return JSON.parse(await readFile(join(dir, METADATA_JSON), 'utf8')) as TrainedModelMetadata;
}

function testImages(): Float32Array {
  return gatherImages(setup.dataset.test, fullSplitIndices(setup.dataset.test.count));
}

describe('teacher of the final-training tests', () => {
  it('keeps a checkpoint of every epoch', async () => {
    const checkpoints = await listTeacherCheckpoints(setup.teacher.artifactDir as string);
    assert.deepEqual(
      checkpoints.map((checkpoint) => checkpoint.epoch),
      Array.from({ length: TEACHER_EPOCHS }, (_, i) => i + 1),
    );
  });
});

describe('trainFinalModel', () => {
  const cases: { method: FinalTrainingMethod; epochs: number }[] = [
    { method: 'hard-label', epochs: 1 },
    { method: 'hinton', epochs: 1 },
    { method: 'cc', epochs: 1 },
    { method: 'ta', epochs: 1 },
    // Two epochs, so the route passes both teacher checkpoints.
    { method: 'rco', epochs: 2 },
  ];
  for (const { method, epochs } of cases) {
    it(`trains and records a ${method} student`, async () => {
      const prisma = setup.db.prisma;
      const tensors = tf.memory().numTensors;
      const row = await recordFinalModel(prisma, { candidateId: setup.candidate.id, method, epochs });
      assert.equal(row.status, 'pending');
      const recorded = row.settings as unknown as FinalTrainingSettings;
      assert.equal(recorded.method, method);
      assert.equal(recorded.epochs, epochs);

      const { outcome, trainedModel: done } = await trainFinalModel(prisma, row.id);
      assert.equal(outcome, 'trained');
      assert.equal(done.status, 'completed', `error: ${done.error}`);
      assert.equal(tf.memory().numTensors, tensors, 'tensor count after training');
      trained.set(method, done);
      const top1 = done.testTop1 as number;
      assert.ok(top1 >= 0, `test top-1 ${top1}`);
      assert.ok(top1 <= 1, `test top-1 ${top1}`);
      assert.ok((done.testTop5 as number) >= top1, `test top-5 ${done.testTop5}`);
      assert.ok((done.latencyMs as number) > 0, `latency ${done.latencyMs}`);
      assert.equal(done.params, setup.candidate.params);
      assert.deepEqual(done.settings, row.settings);

      const metadata = await readMetadata(done.artifactDir as string);
      assert.equal(metadata.id, row.id);
      assert.equal(metadata.method, method);
      assert.deepEqual(metadata.distillation, done.settings);
      assert.equal(metadata.teacher?.id ?? null, method === 'hard-label' ? null : setup.teacher.id);
      assert.equal(metadata.dataset.trainCount, setup.dataset.train.count);
      assert.equal(metadata.backend, activeBackend()?.name);
      assert.equal(metadata.epochLosses.length, epochs);
      assert.ok(metadata.epochLosses.every(Number.isFinite), `losses ${metadata.epochLosses.join(', ')}`);
    });
  }

  it('caches the teacher logits of the whole training split', async () => {
    const rows = await setup.db.prisma.teacherLogits.findMany({
      where: { teacherId: setup.teacher.id, split: 'train', count: setup.dataset.train.count },
    });
    assert.equal(rows.length, 1);
  });

  it('records hinton settings from the experiment', () => {
    const settings = trained.get('hinton')?.settings as unknown as FinalTrainingSettings;
    assert.deepEqual(settings.kd, { lambda: 0.5, temperature: 2 });
  });

  it('hinton and hard-label train differently from one seed', async () => {
    const hinton = await readMetadata(trained.get('hinton')?.artifactDir as string);
    const hardLabel = await readMetadata(trained.get('hard-label')?.artifactDir as string);
    assert.equal(hinton.distillation.seed, hardLabel.distillation.seed);
    assert.notEqual(hinton.epochLosses[0], hardLabel.epochLosses[0]);
  });

  it('cc caches the teacher features', async () => {
    const metadata = await readMetadata(trained.get('cc')?.artifactDir as string);
    const teacherModel = await loadModel(setup.teacher.artifactDir as string);
    const width = penultimateFeatureSize(teacherModel);
    teacherModel.dispose();
    assert.equal(metadata.teacherFeatureSize, width);
    assert.deepEqual(metadata.distillation.cc, { beta: 0.003, gamma: 0.4 });
    const path = teacherFeaturesPath(setup.teacher, fullSplitIndices(setup.dataset.train.count));
    assert.ok(path, 'the teacher has checksums to key the cache by');
    assert.ok(await stat(path), `${path} exists`);
  });

  it('ta trains an assistant between student and teacher', async () => {
    const metadata = await readMetadata(trained.get('ta')?.artifactDir as string);
    const assistant = metadata.distillation.assistant;
    assert.ok(assistant);
    assert.equal(assistant.choice, 'automatic');
    assert.ok(assistant.params > Number(setup.candidate.params), `assistant ${assistant.params}`);
    assert.ok(assistant.params <= Number(setup.teacher.params), `assistant ${assistant.params}`);
    const result = metadata.assistant;
    assert.ok(result);
    assert.ok(result.testTop1 >= 0, `assistant top-1 ${result.testTop1}`);
    assert.ok(result.testTop1 <= 1, `assistant top-1 ${result.testTop1}`);
    assert.equal(result.epochLosses.length, assistant.epochs);
  });

  it('rco distills along both checkpoints in order', async () => {
    const metadata = await readMetadata(trained.get('rco')?.artifactDir as string);
    assert.deepEqual(metadata.distillation.route, { anchors: 2, epochsPerAnchor: 1, teacherEpochs: [1, 2] });
    assert.deepEqual(metadata.anchorEpochByEpoch, [1, 2]);
  });

  it('fails a row whose recorded settings are invalid', async () => {
    const prisma = setup.db.prisma;
    const row = await prisma.trainedModel.create({
      data: {
        candidateId: setup.candidate.id,
        experimentId: setup.experiment.id,
        teacherId: setup.teacher.id,
        method: 'hinton',
        epochs: 1,
        settings: { kd: { lambda: 0.5, temperature: -1 } },
      },
    });
    await assert.rejects(trainFinalModel(prisma, row.id), akdError('INVALID_INPUT', /temperature -1/));
    const failed = await prisma.trainedModel.findUniqueOrThrow({ where: { id: row.id } });
    assert.equal(failed.status, 'failed');
    assert.match(failed.error ?? '', /temperature -1: it must be greater than 0/);
    assert.equal(failed.artifactDir, null);
  });
});

describe('recordFinalModel', () => {
  const bad: {
    name: string;
    method: FinalTrainingMethod;
    input: Record<string, unknown>;
    message: RegExp;
  }[] = [
    { name: 'temperature 0', method: 'hinton', input: { temperature: 0 }, message: /temperature 0/ },
    { name: 'lambda 1.5', method: 'cc', input: { lambda: 1.5 }, message: /lambda=1.5/ },
    { name: 'beta 2', method: 'cc', input: { beta: 2 }, message: /beta=2/ },
    {
      name: 'an assistant smaller than the student',
      method: 'ta',
      input: {
        assistantGenome: {
          // Depthwise-separable where the student has a regular convolution: fewer parameters.
          blocks: [
            { op: 'dconv', kernelSize: 3, seRatio: 0, skip: 'none', filterMultiplier: 1, layerDelta: 0 },
          ],
        },
      },
      message: /The student has \d+ parameters, more than the teacher assistant's/,
    },
    {
      name: 'more anchors than epochs',
      method: 'rco',
      input: { routeAnchors: 2 },
      message: /route anchors 2/,
    },
  ];
  for (const { name, method, input, message } of bad) {
    it(`records nothing for ${name}`, async () => {
      const prisma = setup.db.prisma;
      const before = await prisma.trainedModel.count();
      await assert.rejects(
        recordFinalModel(prisma, { candidateId: setup.candidate.id, method, epochs: 1, input }),
        akdError('INVALID_INPUT', message),
      );
      assert.equal(await prisma.trainedModel.count(), before);
    });
  }

  it('rejects a candidate that has not completed', async () => {
    const prisma = setup.db.prisma;
    const pending = await prisma.candidate.update({
      where: { id: setup.candidate.id },
      data: { status: 'training' },
    });
    try {
      await assert.rejects(
        recordFinalModel(prisma, { candidateId: pending.id, method: 'hard-label', epochs: 1 }),
        akdError('INVALID_INPUT', /is training, not completed/),
      );
    } finally {
      await prisma.candidate.update({ where: { id: pending.id }, data: { status: 'completed' } });
    }
  });
});

describe('exportTrainedModel', () => {
  it('copies the model, genome and metadata', async () => {
    const model = trained.get('hinton') as TrainedModel;
    const out = join(scratch, 'hinton');
    const exported = await exportTrainedModel(setup.db.prisma, model.id, out);
    assert.equal(exported.dir, out);
    assert.deepEqual(exported.files, ['model.json', 'weights.bin', GENOME_JSON, METADATA_JSON]);
    assert.deepEqual((await readdir(out)).sort(), [...exported.files].sort());
  });

  it('reloads with the predictions of the artifact model', async () => {
    const model = trained.get('hinton') as TrainedModel;
    const exported = await loadModel(join(scratch, 'hinton'));
    const stored = await loadModel(model.artifactDir as string);
    const images = testImages();
    const fromExport = predictLogits(exported, images, setup.dataset.shape);
    const fromArtifact = predictLogits(stored, images, setup.dataset.shape);
    exported.dispose();
    stored.dispose();
    assert.equal(fromExport.length, setup.dataset.test.count * setup.dataset.numClasses);
    assert.deepEqual(fromExport, fromArtifact);
    assert.equal(accuracyFromLogits(fromExport, setup.dataset.test.labels).top1, model.testTop1);
  });

  it('writes metadata that describes the model', async () => {
    const model = trained.get('hinton') as TrainedModel;
    const metadata = await readMetadata(join(scratch, 'hinton'));
    const { datasetRow, teacher, experiment, candidate } = setup;
    assert.equal(metadata.id, model.id);
    assert.equal(metadata.method, 'hinton');
    assert.equal(metadata.epochs, 1);
    assert.deepEqual(metadata.dataset, {
      id: datasetRow.id,
      name: datasetRow.name,
      fingerprint: datasetRow.fingerprint,
      trainCount: setup.dataset.train.count,
      testCount: setup.dataset.test.count,
    });
    assert.deepEqual(metadata.teacher, {
      id: teacher.id,
      name: teacher.name,
      source: 'zoo',
      testAccuracy: teacher.testAccuracy,
    });
    assert.deepEqual(metadata.experiment, {
      id: experiment.id,
      name: experiment.name,
      searchBy: 'distillation',
    });
    assert.deepEqual(metadata.candidate, {
      id: candidate.id,
      genomeHash: candidate.genomeHash,
      proxyAccuracy: candidate.proxyAccuracy,
    });
    assert.deepEqual(metadata.distillation, model.settings);
    assert.equal(metadata.testTop1, model.testTop1);
    assert.equal(metadata.testTop5, model.testTop5);
    assert.equal(metadata.latencyMs, model.latencyMs);
    assert.equal(metadata.backend, activeBackend()?.name);
    assert.match(metadata.latencyMeasurement, /fastest .* of 21 batch-1 forward passes/);
    assert.equal(metadata.params, Number(model.params));
    assert.equal(metadata.flops, Number(model.flops));
    assert.ok(metadata.input, 'metadata.json has input');
    assert.ok(metadata.output, 'metadata.json has output');
    assert.deepEqual(metadata.input.shape, [...setup.dataset.shape]);
    assert.equal(metadata.input.layout, 'NHWC');
    assert.equal(metadata.input.dtype, 'float32');
    assert.equal(metadata.input.scaling, 'byte / 255');
    assert.deepEqual(metadata.input.range, [0, 1]);
    assert.match(metadata.input.description, /\[batch, 28, 28, 1\].*divided by 255/);
    assert.equal(metadata.output.kind, 'logits');
    assert.deepEqual(metadata.output.shape, [setup.dataset.numClasses]);
    assert.deepEqual(metadata.output.classNames, datasetRow.classNames);
    assert.match(metadata.output.description, /without softmax/);
    const genome = JSON.parse(await readFile(join(scratch, 'hinton', GENOME_JSON), 'utf8')) as {
      genome: unknown;
      genomeHash: string;
      space: unknown;
    };
    assert.deepEqual(genome.genome, candidate.genome);
    assert.equal(genome.genomeHash, candidate.genomeHash);
    assert.deepEqual(genome.space, setup.space);
  });

  it('input scaling reproduces test accuracy', async () => {
    const model = trained.get('hinton') as TrainedModel;
    const metadata = await readMetadata(join(scratch, 'hinton'));
    const exported = await loadModel(join(scratch, 'hinton'));
    // Scale the raw test bytes as metadata.json states, independently of @akd/data.
    assert.equal(metadata.input?.scaling, 'byte / 255');
    const images = Float32Array.from(setup.dataset.test.images, (byte) => byte / 255);
    const logits = predictLogits(exported, images, setup.dataset.shape);
    exported.dispose();
    assert.deepEqual(images, testImages());
    assert.equal(accuracyFromLogits(logits, setup.dataset.test.labels).top1, model.testTop1);
  });

  it('output is logits without softmax', async () => {
    const exported = await loadModel(join(scratch, 'hinton'));
    const last = exported.layers[exported.layers.length - 1];
    const logits = predictLogits(exported, testImages(), setup.dataset.shape);
    exported.dispose();
    assert.equal(last.getConfig().activation, 'linear');
    const classes = setup.dataset.numClasses;
    const rowSums = Array.from({ length: logits.length / classes }, (_, row) =>
      logits.subarray(row * classes, (row + 1) * classes).reduce((sum, value) => sum + value, 0),
    );
    assert.ok(
      rowSums.some((sum) => Math.abs(sum - 1) > 1e-3) || logits.some((value) => value < 0),
      'the outputs look like probabilities',
    );
  });

  it('adds input and output to older metadata', async () => {
    const model = trained.get('rco') as TrainedModel;
    const path = join(model.artifactDir as string, METADATA_JSON);
    const original = await readFile(path, 'utf8');
    const { input: _input, output: _output, ...older } = JSON.parse(original) as TrainedModelMetadata;
    await writeFile(path, JSON.stringify(older, null, 2) + '\n');
    try {
      const out = join(scratch, 'older-metadata');
      const exported = await exportTrainedModel(setup.db.prisma, model.id, out);
      const metadata = await readMetadata(out);
      assert.deepEqual(metadata, JSON.parse(original));
      assert.deepEqual(exported.metadata, metadata);
      assert.equal(await readFile(path, 'utf8'), JSON.stringify(older, null, 2) + '\n');
    } finally {
      await writeFile(path, original);
    }
  });

  it('finds the best completed model of an experiment', async () => {
    const models = [...trained.values()];
    const best = models.reduce((a, b) => ((b.testTop1 as number) > (a.testTop1 as number) ? b : a));
    const found = await bestTrainedModelId(setup.db.prisma, setup.experiment.id);
    const foundRow = models.find((model) => model.id === found);
    assert.equal(foundRow?.testTop1, best.testTop1);
    assert.equal(
      await bestTrainedModelId(setup.db.prisma, setup.experiment.id, 'rco'),
      trained.get('rco')?.id,
    );
  });

  it('rejects an output directory that is not empty', async () => {
    const out = join(scratch, 'taken');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'notes.txt'), 'keep me');
    await assert.rejects(
      exportTrainedModel(setup.db.prisma, (trained.get('hinton') as TrainedModel).id, out),
      akdError('CONFLICT', /exists and is not an empty directory/),
    );
    assert.deepEqual(await readdir(out), ['notes.txt']);
  });

  it('rejects an unknown model', async () => {
    await assert.rejects(
      exportTrainedModel(setup.db.prisma, '0193a0c4-0000-7000-8000-00000000dead', join(scratch, 'unknown')),
      akdError('NOT_FOUND', /does not exist/),
    );
  });

  it('rejects an id that is not a UUID', async () => {
    await assert.rejects(
      exportTrainedModel(setup.db.prisma, '../etc', join(scratch, 'bad-id')),
      akdError('INVALID_INPUT', /Invalid trained model id "\.\.\/etc"/),
    );
  });

  it('rejects a model still in training', async () => {
    const running = await setup.db.prisma.trainedModel.create({
      data: { method: 'hinton', epochs: 1, settings: {}, status: 'running' },
    });
    await assert.rejects(
      exportTrainedModel(setup.db.prisma, running.id, join(scratch, 'running')),
      akdError('NOT_FOUND', /has no files to export yet \(status running\)/),
    );
  });
});
