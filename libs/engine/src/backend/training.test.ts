import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { initBackend } from './init.js';
import { randomValues, sizeOf } from './test-support.js';

const STEPS = 4;
const BATCH = 4;

/** Weights of a small student: conv + BN + depthwise + BN + squeeze-and-excite + 1x1 conv + residual. */
const SHAPES: Record<string, number[]> = {
  stem: [3, 3, 3, 8],
  stemGamma: [8],
  stemBeta: [8],
  depthwise: [3, 3, 8, 1],
  dwGamma: [8],
  dwBeta: [8],
  squeeze: [8, 2],
  squeezeBias: [2],
  excite: [2, 8],
  exciteBias: [8],
  project: [1, 1, 8, 8],
  head: [8, 10],
  headBias: [10],
};

function batchNorm(x: tf.Tensor4D, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x, mean, variance, beta, gamma, 1e-3) as tf.Tensor4D;
}

function loss(w: Record<string, tf.Variable>, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const stem = tf.relu(batchNorm(tf.conv2d(x, w.stem as tf.Tensor4D, 2, 'same'), w.stemGamma, w.stemBeta));
  const dw = tf.relu(
    batchNorm(tf.depthwiseConv2d(stem, w.depthwise as tf.Tensor4D, 1, 'same'), w.dwGamma, w.dwBeta),
  );
  const pooled = tf.mean(dw, [1, 2]) as tf.Tensor2D;
  const squeezed = tf.relu(tf.add(tf.matMul(pooled, w.squeeze), w.squeezeBias)) as tf.Tensor2D;
  const gate = tf.sigmoid(tf.add(tf.matMul(squeezed, w.excite), w.exciteBias));
  const excited = tf.mul(dw, tf.reshape(gate, [BATCH, 1, 1, 8])) as tf.Tensor4D;
  const block = tf.add(stem, tf.conv2d(excited, w.project as tf.Tensor4D, 1, 'same')) as tf.Tensor4D;
  const logits = tf.add(tf.matMul(tf.mean(block, [1, 2]) as tf.Tensor2D, w.head), w.headBias);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

/** Trains the student for a few Adam steps on one fixed batch and returns the loss before each step. */
async function lossTrajectory(backendName: 'wasm' | 'cpu'): Promise<number[]> {
  await tf.setBackend(backendName);
  const rng = new Rng(11);
  const weights: Record<string, tf.Variable> = {};
  for (const [name, shape] of Object.entries(SHAPES)) {
    const values = name.endsWith('Gamma')
      ? new Float32Array(sizeOf(shape)).fill(1)
      : randomValues(rng, sizeOf(shape), 0.3);
    const initial = tf.tensor(values, shape);
    weights[name] = tf.variable(initial);
    initial.dispose();
  }
  const x = tf.tensor(randomValues(rng, BATCH * 12 * 12 * 3), [BATCH, 12, 12, 3]) as tf.Tensor4D;
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([1, 7, 3, 1], 'int32'), 10) as tf.Tensor2D);
  const optimizer = tf.train.adam(0.01);

  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    const cost = optimizer.minimize(() => loss(weights, x, labels), true, Object.values(weights));
    losses.push(cost!.dataSync()[0]);
    cost!.dispose();
  }
  optimizer.dispose();
  tf.dispose([x, labels, ...Object.values(weights)]);
  return losses;
}

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('training on wasm', () => {
  it('follows the cpu loss trajectory', async () => {
    const wasm = await lossTrajectory('wasm');
    const cpu = await lossTrajectory('cpu');
    assert.ok(wasm[STEPS - 1] < wasm[0], `loss decreases on wasm: ${wasm.join(', ')}`);
    for (let step = 0; step < STEPS; step++) {
      const diff = Math.abs(wasm[step] - cpu[step]) / Math.max(1, Math.abs(cpu[step]));
      assert.ok(diff <= 1e-4, `step ${step}: wasm loss ${wasm[step]} vs cpu ${cpu[step]}`);
    }
  });

  it('leaves no tensors or heap buffers behind', async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    await lossTrajectory('wasm');
    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore);
  });
});
