import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { LayerFactory, predictLogits, trainModel } from '@akd/engine';
import { ArrayBatchSource, syntheticImages } from '../../engine/src/testing/synthetic.js';
import { countModelFlops } from './model-cost.js';
import { ZOO, zooTeacher, type ZooFamily } from './zoo.js';

const MNIST_SHAPE: [number, number, number] = [28, 28, 1];
const CIFAR_SHAPE: [number, number, number] = [32, 32, 3];
/** Input of the training-step test, small so the CPU backend's backward pass stays quick; builds cover 28×28. */
const TRAIN_SHAPE: [number, number, number] = [8, 8, 1];

/** Budget of every zoo teacher at 28×28×1 with 10 classes, so it trains on a CPU in minutes. */
const MAX_PARAMS = 500_000;
const MAX_FLOPS = 30_000_000;

/** Layers of `model` whose class is `className`, e.g. Conv2D or Concatenate. */
function layersOf(model: tfl.LayersModel, className: string): tfl.layers.Layer[] {
  return model.layers.filter((layer) => layer.getClassName() === className);
}

function inputCount(layer: tfl.layers.Layer): number {
  return Array.isArray(layer.input) ? layer.input.length : 1;
}

function kernelSizes(model: tfl.LayersModel): number[] {
  return layersOf(model, 'Conv2D').map((layer) => (layer.getConfig().kernelSize as number[])[0]);
}

/**
 * The inductive bias that sets each family apart, checked on the built graph. Each entry returns
 * the properties the model lacks, so an empty list passes.
 */
const FAMILY_STRUCTURE: Record<ZooFamily, (model: tfl.LayersModel) => string[]> = {
  resnet: (model) => [
    ...(layersOf(model, 'Add').length >= 3 ? [] : ['a residual Add in each of the 3 stages']),
    ...(layersOf(model, 'Concatenate').length === 0 ? [] : ['no concatenation']),
  ],
  vgg: (model) => [
    ...(layersOf(model, 'Add').length + layersOf(model, 'Concatenate').length === 0
      ? []
      : ['no shortcut or branch merge']),
    ...(kernelSizes(model).every((k) => k === 3) ? [] : ['only 3×3 convolutions']),
    ...(layersOf(model, 'MaxPooling2D').length > 0 ? [] : ['max pooling']),
  ],
  mobilenetv2: (model) => [
    ...(layersOf(model, 'DepthwiseConv2D').length > 0 ? [] : ['depthwise convolutions']),
    ...(layersOf(model, 'Add').length > 0 ? [] : ['residual Add between bottlenecks']),
    ...(layersOf(model, 'Conv2D').some((layer) => {
      const inChannels = (layer.input as tfl.SymbolicTensor).shape[3] as number;
      return layer.getConfig().filters === 6 * inChannels;
    })
      ? []
      : ['a 1×1 expansion by 6']),
  ],
  densenet: (model) => [
    ...(layersOf(model, 'Concatenate').length === 12 ? [] : ['12 dense-layer concatenations']),
    ...(layersOf(model, 'AveragePooling2D').length > 0 ? [] : ['average-pool transitions']),
    ...(layersOf(model, 'Add').length === 0 ? [] : ['no residual Add']),
  ],
  inception: (model) => {
    const merges = layersOf(model, 'Concatenate');
    return [
      ...(merges.length === 4 ? [] : ['4 Inception modules']),
      ...(merges.every((layer) => inputCount(layer) === 4) ? [] : ['4 parallel branches per module']),
    ];
  },
  'wide-shallow': (model) => [
    ...(layersOf(model, 'Conv2D').length <= 3 ? [] : ['at most 3 convolutions']),
    ...(Math.min(...kernelSizes(model)) >= 5 ? [] : ['kernels of 5×5 or larger']),
    ...(kernelSizes(model).includes(7) ? [] : ['a 7×7 kernel']),
  ],
};

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
    for (const teacher of ZOO) assert.equal(zooTeacher(teacher.family).family, teacher.family);
  });

  it('lists every family', () => {
    assert.deepEqual(
      ZOO.map((teacher) => teacher.family),
      ['resnet', 'vgg', 'mobilenetv2', 'densenet', 'inception', 'wide-shallow'],
    );
  });

  it('rejects an unknown name', () => {
    assert.throws(
      () => zooTeacher('alexnet'),
      (error: unknown) => {
        assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
        assert.equal(error.code, 'INVALID_INPUT');
        assert.match(error.message, /Unknown zoo teacher "alexnet"/);
        assert.match(error.message, /resnet, vgg, mobilenetv2, densenet, inception, wide-shallow/);
        return true;
      },
    );
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

  for (const teacher of ZOO) {
    const family = teacher.family;

    it(`${family} has its defining structure`, () => {
      const model = teacher.build(MNIST_SHAPE, 10, 1);
      const failures = FAMILY_STRUCTURE[family](model);
      model.dispose();
      assert.deepEqual(failures, [], `${family}: ${failures.join('; ')}`);
    });

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
