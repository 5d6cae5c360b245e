import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { BATCH_NORM_GRAD_KERNEL } from './batch-norm-kernels.js';
import { initBackend } from './init.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import {
  type HostInputs,
  TOLERANCE,
  assertGradientsMatchCpu,
  assertKernelMatchesCpu,
  randomValues,
  scaledMaxDiff,
  sizeOf,
} from './test-support.js';

const EPSILON = 1e-3;

before(async () => {
  await initBackend({ backend: 'wasm' });
});

type HostTensor = HostInputs[string];

/** Random x and per-channel parameters shaped `paramShape`, with positive variance and scale near 1. */
function batchNormInputs(shape: number[], paramShape: number[], seed: number) {
  const rng = new Rng(seed);
  const size = sizeOf(paramShape);
  const positive = (offset: number) =>
    Float32Array.from(randomValues(rng, size, 0.3), (v) => offset + Math.abs(v));
  return {
    x: { values: randomValues(rng, sizeOf(shape), 2), shape },
    mean: { values: randomValues(rng, size), shape: paramShape },
    variance: { values: positive(0.2), shape: paramShape },
    offset: { values: randomValues(rng, size), shape: paramShape },
    scale: { values: positive(0.7), shape: paramShape },
    dy: { values: randomValues(rng, sizeOf(shape)), shape },
  };
}

const STUDENT_SHAPES = [
  [4, 14, 14, 52],
  [2, 28, 28, 48],
  [3, 7, 7, 13],
  [16, 6],
];

describe('FusedBatchNorm on wasm', () => {
  for (const [index, shape] of STUDENT_SHAPES.entries()) {
    it(`matches cpu for [${shape.join(',')}]`, async () => {
      const { x, mean, variance, offset, scale } = batchNormInputs(shape, [shape[shape.length - 1]], index);
      await assertKernelMatchesCpu(
        'FusedBatchNorm',
        { x, mean, variance, offset, scale },
        { varianceEpsilon: EPSILON },
        `[${shape.join(',')}]`,
      );
    });
  }

  it('matches cpu without offset and scale', async () => {
    const { x, mean, variance } = batchNormInputs([2, 5, 5, 6], [6], 10);
    await assertKernelMatchesCpu(
      'FusedBatchNorm',
      { x, mean, variance },
      { varianceEpsilon: EPSILON },
      'no offset',
    );
  });

  it('matches cpu for broadcast parameters', async () => {
    const { x, mean, variance, offset, scale } = batchNormInputs([2, 5, 5, 6], [1, 1, 1, 6], 11);
    await assertKernelMatchesCpu(
      'FusedBatchNorm',
      { x, mean, variance, offset, scale },
      { varianceEpsilon: EPSILON },
      'rank-4 parameters',
    );
  });
});

/** tf.batchNorm with every input differentiable, in the argument order of the inputs. */
function batchNormOfAll(...[x, mean, variance, scale, offset]: tf.Tensor[]): tf.Tensor {
  return tf.batchNorm(x, mean, variance, offset, scale, EPSILON);
}

function gradientInputs(shape: number[], paramShape: number[], seed: number): [HostTensor[], HostTensor] {
  const { x, mean, variance, scale, offset, dy } = batchNormInputs(shape, paramShape, seed);
  return [[x, mean, variance, scale, offset], dy];
}

describe('FusedBatchNorm gradient on wasm', () => {
  for (const [index, shape] of STUDENT_SHAPES.entries()) {
    it(`matches cpu for [${shape.join(',')}]`, async () => {
      const [inputs, dy] = gradientInputs(shape, [shape[shape.length - 1]], 20 + index);
      await assertGradientsMatchCpu(batchNormOfAll, inputs, dy, `[${shape.join(',')}]`);
    });
  }

  it('kernel without scale equals the kernel with a scale of ones', async () => {
    // tf.grads cannot reach this case: tfjs-core 4.22 fails to record batchNorm without scale for the
    // backward pass on every backend. The kernel still accepts it, so it is checked directly.
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const { x, mean, variance, dy } = batchNormInputs([3, 5, 5, 8], [8], 31);
    const inputs = {
      x: tf.tensor(x.values, x.shape),
      dy: tf.tensor(dy.values, dy.shape),
      mean: tf.tensor(mean.values, mean.shape),
      variance: tf.tensor(variance.values, variance.shape),
    };
    const ones = tf.ones([8]);
    const attrs = { varianceEpsilon: EPSILON };
    const withoutScale = tf.engine().runKernel(BATCH_NORM_GRAD_KERNEL, inputs, attrs) as tf.Tensor[];
    const withOnes = tf
      .engine()
      .runKernel(BATCH_NORM_GRAD_KERNEL, { ...inputs, scale: ones }, attrs) as tf.Tensor[];
    for (const [index, expected] of withOnes.entries()) {
      const diff = scaledMaxDiff(
        withoutScale[index].dataSync() as Float32Array,
        expected.dataSync() as Float32Array,
      );
      assert.ok(diff <= TOLERANCE, `output ${index}: scaled max difference ${diff}`);
    }
    tf.dispose([...withoutScale, ...withOnes, ones, ...Object.values(inputs)]);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors left');
  });
});

/** Batch normalization in training mode as tfjs-layers computes it: batch moments, then batchNorm. */
function trainingBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const axes = [...Array(x.rank - 1).keys()];
  const { mean, variance } = tf.moments(x, axes);
  return tf.batchNorm(x, mean, variance, beta, gamma, EPSILON);
}

describe('batch normalization in training mode on wasm', () => {
  for (const [index, shape] of [
    [8, 28, 28, 16],
    [4, 14, 14, 156],
    [4, 7, 7, 60],
  ].entries()) {
    it(`gradients match cpu for [${shape.join(',')}]`, async () => {
      const { x, offset, scale, dy } = batchNormInputs(shape, [shape[3]], 40 + index);
      await assertGradientsMatchCpu(trainingBatchNorm, [x, scale, offset], dy, `[${shape.join(',')}]`);
    });
  }
});

describe('Mean and Sum gradients on wasm', () => {
  const cases: [number[], number[], boolean][] = [
    [[4, 7, 7, 12], [0, 1, 2], false],
    [[4, 7, 7, 12], [1, 2], false],
    [[4, 7, 7, 12], [1, 2], true],
    [[4, 7, 7, 12], [3], false],
    [[4, 7, 7, 12], [0, 2], false],
  ];
  for (const [index, [shape, axes, keepDims]] of cases.entries()) {
    const label = `[${shape.join(',')}] axes [${axes.join(',')}]${keepDims ? ' keepDims' : ''}`;
    const rng = new Rng(50 + index);
    const x = { values: randomValues(rng, sizeOf(shape)), shape };
    const dyShape = shape
      .map((size, axis) => (axes.includes(axis) ? 1 : size))
      .filter((_, axis) => keepDims || !axes.includes(axis));
    const dy = { values: randomValues(rng, sizeOf(dyShape)), shape: dyShape };

    it(`mean matches cpu for ${label}`, async () => {
      await assertGradientsMatchCpu((input) => tf.mean(input, axes, keepDims), [x], dy, label);
    });

    it(`sum matches cpu for ${label}`, async () => {
      await assertGradientsMatchCpu((input) => tf.sum(input, axes, keepDims), [x], dy, label);
    });
  }
});

describe('batch normalization on wasm without the SIMD kernels', () => {
  before(() => setSimdKernelsEnabled(false));
  after(() => setSimdKernelsEnabled(true));

  it('gradient matches cpu for [3,7,7,13]', async () => {
    const [inputs, dy] = gradientInputs([3, 7, 7, 13], [13], 60);
    await assertGradientsMatchCpu(batchNormOfAll, inputs, dy, 'JavaScript gradient');
  });

  it('training-mode gradients match cpu for [4,14,14,20]', async () => {
    const { x, offset, scale, dy } = batchNormInputs([4, 14, 14, 20], [20], 61);
    await assertGradientsMatchCpu(trainingBatchNorm, [x, scale, offset], dy, 'JavaScript training mode');
  });
});
