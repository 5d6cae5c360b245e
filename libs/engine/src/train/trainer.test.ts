import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory } from '../model/layer-factory.js';
import { ArrayBatchSource, syntheticImages } from '../testing/synthetic.js';
import { evaluateModel, predictLogits } from './evaluate.js';
import { cosineLearningRate, trainModel } from './trainer.js';

const shape: [number, number, number] = [8, 8, 1];

function tinyModel(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  let x = f.convBn(input, 8, 3, 2);
  x = f.squeezeExcite(f.depthwiseBn(x, 3), 2);
  x = f.dense(f.globalAveragePool(f.convBn(x, 8, 1)), 4);
  return tfl.model({ inputs: input, outputs: x });
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('cosineLearningRate', () => {
  it('decays from the peak to zero', () => {
    assert.equal(cosineLearningRate(0.01, 0, 100), 0.01);
    assert.ok(Math.abs(cosineLearningRate(0.01, 50, 100) - 0.005) < 1e-12);
    assert.ok(cosineLearningRate(0.01, 99, 100) < 1e-5);
  });
});

describe('trainModel', () => {
  const { images, labels } = syntheticImages(128, shape, 4, 5);

  it('learns a separable task with hard labels', async () => {
    const model = tinyModel(1);
    const result = await trainModel(model, new ArrayBatchSource(images, labels, shape, 16), {
      epochs: 6,
      batchSize: 16,
      learningRate: 0.02,
      loss: { kind: 'hard-label' },
    });
    assert.equal(result.steps, 6 * 8);
    assert.equal(result.images, 6 * 128);
    assert.ok(result.epochLosses[5] < result.epochLosses[0] * 0.6, `losses ${result.epochLosses.join(', ')}`);
    const accuracy = evaluateModel(model, { images, labels, shape });
    assert.ok(accuracy.top1 > 0.9, `top-1 ${accuracy.top1}`);
    model.dispose();
  });

  it('keeps the tensor count flat across epochs', async () => {
    const model = tinyModel(2);
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    await trainModel(model, new ArrayBatchSource(images, labels, shape, 32), {
      epochs: 4,
      batchSize: 32,
      learningRate: 0.01,
      loss: { kind: 'hard-label' },
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    assert.equal(new Set(counts).size, 1, `tensor counts per epoch: ${counts.join(', ')}`);
    assert.equal(tf.memory().numTensors, before);
    model.dispose();
  });

  it('distills towards teacher logits', async () => {
    const teacher = tinyModel(3);
    await trainModel(teacher, new ArrayBatchSource(images, labels, shape, 16), {
      epochs: 6,
      batchSize: 16,
      learningRate: 0.02,
      loss: { kind: 'hard-label' },
    });
    const teacherLogits = predictLogits(teacher, images, shape);
    const student = tinyModel(4);
    const result = await trainModel(student, new ArrayBatchSource(images, labels, shape, 16), {
      epochs: 6,
      batchSize: 16,
      learningRate: 0.02,
      loss: { kind: 'hinton', teacherLogits, numClasses: 4, lambda: 0.9, temperature: 4 },
    });
    assert.ok(result.epochLosses[5] < result.epochLosses[0], `losses ${result.epochLosses.join(', ')}`);
    assert.ok(evaluateModel(student, { images, labels, shape }).top1 > 0.8);
    teacher.dispose();
    student.dispose();
  });

  it('rejects invalid settings before training', async () => {
    const model = tinyModel(5);
    const source = new ArrayBatchSource(images, labels, shape, 16);
    const base = { epochs: 1, batchSize: 16, learningRate: 0.01, loss: { kind: 'hard-label' } as const };
    await assert.rejects(trainModel(model, source, { ...base, epochs: 0 }), /Invalid epochs 0/);
    await assert.rejects(trainModel(model, source, { ...base, batchSize: 2.5 }), /Invalid batch size 2.5/);
    await assert.rejects(
      trainModel(model, source, { ...base, learningRate: -1 }),
      /Invalid learning rate -1/,
    );
    await assert.rejects(
      trainModel(model, source, {
        ...base,
        loss: {
          kind: 'hinton',
          teacherLogits: new Float32Array(128 * 4),
          numClasses: 4,
          lambda: 0.5,
          temperature: 0,
        },
      }),
      /temperature 0/,
    );
    model.dispose();
  });

  it('stops with a clear error when the loss diverges', async () => {
    const model = tinyModel(6);
    const bad = new Float32Array(images);
    bad[0] = Number.NaN;
    await assert.rejects(
      trainModel(model, new ArrayBatchSource(bad, labels, shape, 128), {
        epochs: 1,
        batchSize: 128,
        learningRate: 0.01,
        loss: { kind: 'hard-label' },
      }),
      /Training diverged: the loss became NaN/,
    );
    model.dispose();
  });
});
