import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset, Split } from '@akd/data';
import {
  distillAlongRoute,
  LayerFactory,
  loadModel,
  loadRouteAnchors,
  predictRowLogits,
  SplitBatchSource,
  type CheckpointLocation,
} from '@akd/engine';
import { syntheticImages } from '../../engine/src/testing/synthetic.js';
import {
  listTeacherCheckpoints,
  saveTeacherModel,
  teacherCheckpointDir,
  trainZooTeacher,
  type TeacherTrainingSettings,
} from './train-teacher.js';
import type { ZooTeacher } from './zoo.js';

const shape: [number, number, number] = [8, 8, 1];
const settings: TeacherTrainingSettings = { epochs: 3, batchSize: 16, learningRate: 0.01, seed: 1 };

function syntheticSplit(count: number, seed: number): Split {
  const { images, labels } = syntheticImages(count, shape, 4, seed);
  return {
    images: Uint8Array.from(images, (v) => Math.round(v * 255)),
    labels: Uint8Array.from(labels),
    count,
  };
}

const dataset: ImageDataset = {
  name: 'synthetic-8x8',
  shape,
  numClasses: 4,
  classNames: ['a', 'b', 'c', 'd'],
  train: syntheticSplit(32, 1),
  test: syntheticSplit(8, 2),
};
const rows = { split: dataset.train, indices: Int32Array.from({ length: 32 }, (_, i) => i), shape };

/** A zoo-shaped teacher small enough that a CPU trains it in well under a second on 8×8 images. */
const TINY_TEACHER: ZooTeacher = {
  family: 'resnet',
  name: 'tiny',
  description: 'One convolution, global pooling and a dense head.',
  build: (inputShape, numClasses, seed) => {
    const f = new LayerFactory(seed);
    const input = tfl.input({ shape: inputShape });
    const x = f.convBn(input, 8, 3, 2);
    return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(x), numClasses) });
  },
};

let root: string;

before(async () => {
  await tf.setBackend('cpu');
  root = mkdtempSync(join(tmpdir(), 'akd-checkpoints-'));
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('checkpointEpochs every', () => {
  let artifactDir: string;
  let checkpoints: CheckpointLocation[];
  let final: Float32Array;

  before(async () => {
    artifactDir = join(root, 'every');
    const trained = await trainZooTeacher(dataset, TINY_TEACHER, settings, undefined, undefined, {
      artifactDir,
      checkpointEpochs: 'every',
    });
    final = predictRowLogits(trained.model, rows);
    checkpoints = await listTeacherCheckpoints(artifactDir);
    // Saving the final model twice replaces the model files each time.
    await saveTeacherModel(trained.model, artifactDir);
    await saveTeacherModel(trained.model, artifactDir);
    trained.model.dispose();
  });

  it('saves one checkpoint per epoch', () => {
    assert.deepEqual(
      checkpoints,
      [1, 2, 3].map((epoch) => ({ epoch, dir: teacherCheckpointDir(artifactDir, epoch) })),
    );
    assert.equal(checkpoints[2].dir, join(artifactDir, 'checkpoints', 'epoch-3'));
  });

  it('stores the final weights last', async () => {
    const last = await loadModel(checkpoints[2].dir);
    const first = await loadModel(checkpoints[0].dir);
    assert.deepEqual(Array.from(predictRowLogits(last, rows)), Array.from(final));
    assert.notDeepEqual(Array.from(predictRowLogits(first, rows)), Array.from(final));
    last.dispose();
    first.dispose();
  });

  it('survives saveTeacherModel', async () => {
    assert.ok(existsSync(join(artifactDir, 'model.json')));
    assert.deepEqual(await listTeacherCheckpoints(artifactDir), checkpoints);
    const reloaded = await loadModel(artifactDir);
    assert.deepEqual(Array.from(predictRowLogits(reloaded, rows)), Array.from(final));
    reloaded.dispose();
  });

  it('feeds an RCO route', async () => {
    const route = await loadRouteAnchors(checkpoints, rows);
    assert.deepEqual(
      route.map((anchor) => anchor.epoch),
      [1, 2, 3],
    );
    assert.deepEqual(Array.from(route[2].teacherLogits), Array.from(final));

    const student = tinyStudent();
    const result = await distillAlongRoute(
      student,
      new SplitBatchSource(dataset.train, rows.indices, shape, 16, 1),
      {
        route,
        numClasses: 4,
        epochsPerAnchor: 1,
        batchSize: 16,
        learningRate: 0.02,
        lambda: 0.9,
        temperature: 4,
      },
    );
    assert.deepEqual(result.anchorEpochByEpoch, [1, 2, 3]);
    student.dispose();
  });
});

describe('teacher checkpoints', () => {
  it('saves listed epochs, drops stale ones', async () => {
    const artifactDir = join(root, 'listed');
    mkdirSync(teacherCheckpointDir(artifactDir, 3), { recursive: true });
    writeFileSync(join(teacherCheckpointDir(artifactDir, 3), 'model.json'), '{}');
    const trained = await trainZooTeacher(dataset, TINY_TEACHER, settings, undefined, undefined, {
      artifactDir,
      checkpointEpochs: [2],
    });
    trained.model.dispose();
    assert.deepEqual(await listTeacherCheckpoints(artifactDir), [
      { epoch: 2, dir: teacherCheckpointDir(artifactDir, 2) },
    ]);
  });

  it('lists only complete checkpoint directories', async () => {
    const artifactDir = join(root, 'partial');
    assert.deepEqual(await listTeacherCheckpoints(artifactDir), []);
    const staging = join(artifactDir, 'checkpoints', 'epoch-9.tmp-1-2');
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'model.json'), '{}');
    mkdirSync(teacherCheckpointDir(artifactDir, 7), { recursive: true });
    mkdirSync(teacherCheckpointDir(artifactDir, 10), { recursive: true });
    writeFileSync(join(teacherCheckpointDir(artifactDir, 10), 'model.json'), '{}');
    mkdirSync(teacherCheckpointDir(artifactDir, 4), { recursive: true });
    writeFileSync(join(teacherCheckpointDir(artifactDir, 4), 'model.json'), '{}');
    assert.deepEqual(
      (await listTeacherCheckpoints(artifactDir)).map((c) => c.epoch),
      [4, 10],
    );
  });

  it('rejects invalid checkpoint epochs before training', async () => {
    const artifactDir = join(root, 'invalid');
    const cases: [readonly number[], RegExp][] = [
      [[0], /Invalid checkpoint epoch 0: use whole numbers from 1 to the 3 training epochs/],
      [[4], /Invalid checkpoint epoch 4/],
      [[1.5], /Invalid checkpoint epoch 1.5/],
      [[], /Invalid checkpoint epochs \[\]/],
    ];
    for (const [checkpointEpochs, message] of cases) {
      await assert.rejects(
        trainZooTeacher(dataset, TINY_TEACHER, settings, undefined, undefined, {
          artifactDir,
          checkpointEpochs,
        }),
        (error: unknown) => {
          assert.equal((error as { code?: string }).code, 'INVALID_INPUT');
          assert.match((error as Error).message, message);
          return true;
        },
      );
    }
    assert.equal(existsSync(artifactDir), false);
  });
});

function tinyStudent(): tfl.LayersModel {
  const f = new LayerFactory(5);
  const input = tfl.input({ shape });
  return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(f.convBn(input, 4, 3, 2)), 4) });
}
