import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory, predictLogits, trainModel } from '@akd/engine';
import { ArrayBatchSource, syntheticImages } from '../../engine/src/testing/synthetic.js';
import { countModelFlops } from './model-cost.js';
import { ZOO, zooTeacher } from './zoo.js';

const NEW_FAMILIES = ['densenet', 'inception', 'wide-shallow'] as const;
const MNIST_SHAPE: [number, number, number] = [28, 28, 1];
const CIFAR_SHAPE: [number, number, number] = [32, 32, 3];
/** Input of the training-step test, small so the CPU backend's backward pass stays quick; builds cover 28×28. */
const TRAIN_SHAPE: [number, number, number] = [12, 12, 1];

/** Budget of every zoo teacher at 28×28×1 with 10 classes, so it trains on a CPU in minutes. */
const MAX_PARAMS = 500_000;
const MAX_FLOPS = 30_000_000;

function weightValues(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((weight) => weight.dataSync() as Float32Array);
}

before(async () => {
  await tf.setBackend('cpu');
});

describe('zoo', () => {
  it('names are unique and resolvable', () => {
    const names = ZOO.map((teacher) => teacher.name);
    assert.equal(new Set(names).size, names.length);
    for (const family of NEW_FAMILIES) assert.equal(zooTeacher(family).family, family);
  });

  for (const teacher of ZOO) {
    it(`${teacher.name} builds for both input shapes`, () => {
      for (const shape of [MNIST_SHAPE, CIFAR_SHAPE]) {
        const model = teacher.build(shape, 10, 1);
        assert.deepEqual(model.inputs[0].shape, [null, ...shape]);
        assert.deepEqual(model.outputs[0].shape, [null, 10]);
        const { images } = syntheticImages(2, shape, 10, 1);
        assert.equal(predictLogits(model, images, shape).length, 2 * 10, `${shape.join('×')} gives [2, 10]`);
        model.dispose();
      }
    });
  }

  for (const family of NEW_FAMILIES) {
    const teacher = zooTeacher(family);

    it(`${family} stays within the CPU budget`, () => {
      const model = teacher.build(MNIST_SHAPE, 10, 1);
      assert.ok(model.countParams() < MAX_PARAMS, `${model.countParams()} params`);
      assert.ok(countModelFlops(model) < MAX_FLOPS, `${countModelFlops(model)} multiply-adds`);
      model.dispose();
    });

    it(`${family} seeded weights are deterministic`, () => {
      const a = teacher.build(MNIST_SHAPE, 10, 5);
      const b = teacher.build(MNIST_SHAPE, 10, 5);
      const c = teacher.build(MNIST_SHAPE, 10, 6);
      assert.deepEqual(weightValues(a), weightValues(b));
      assert.notDeepEqual(weightValues(a), weightValues(c));
      for (const model of [a, b, c]) model.dispose();
    });

    it(`${family} runs one training step`, async () => {
      const model = teacher.build(TRAIN_SHAPE, 10, 1);
      const { images, labels } = syntheticImages(2, TRAIN_SHAPE, 10, 2);
      const before = weightValues(model);
      const result = await trainModel(model, new ArrayBatchSource(images, labels, TRAIN_SHAPE, 2), {
        epochs: 1,
        batchSize: 2,
        learningRate: 0.01,
        loss: { kind: 'hard-label' },
      });
      assert.equal(result.steps, 1);
      assert.ok(Number.isFinite(result.epochLosses[0]), `loss ${result.epochLosses[0]}`);
      assert.notDeepEqual(weightValues(model), before, 'the step changes the weights');
      model.dispose();
    });
  }
});

describe('countModelFlops', () => {
  it('counts multiply-adds by hand', () => {
    const f = new LayerFactory(1);
    const input = tfl.input({ shape: [8, 8, 1] });
    const conv = f.convBn(input, 4, 3);
    const depthwise = f.depthwiseBn(conv, 3, 2);
    const model = tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(depthwise), 3) });
    const convFlops = 3 * 3 * 1 * 4 * 8 * 8;
    const depthwiseFlops = 3 * 3 * 4 * 4 * 4;
    const denseFlops = 4 * 3;
    assert.equal(countModelFlops(model), convFlops + depthwiseFlops + denseFlops);
    model.dispose();
  });
});
