import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { defaultSearchSpace, sampleGenome } from '@akd/search-space';
import { buildStudent } from '../model/student.js';
import { hardLabelLoss } from '../train/losses.js';
import { type BatchSource, type TrainingBatch, trainModel } from '../train/trainer.js';
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

/** One fixed batch of random 28x28x1 images, served once per epoch. */
class FixedBatch implements BatchSource {
  readonly shape = [28, 28, 1] as const;
  readonly count: number;
  private readonly batch: TrainingBatch;

  constructor(size: number) {
    const rng = new Rng(5);
    const x = new Float32Array(size * 28 * 28);
    for (let i = 0; i < x.length; i++) x[i] = rng.next();
    this.batch = {
      x,
      labels: Int32Array.from({ length: size }, (_, i) => (i * 3) % 10),
      rows: Int32Array.from({ length: size }, (_, i) => i),
      size,
    };
    this.count = size;
  }

  *batches(): Iterable<TrainingBatch> {
    yield this.batch;
  }
}

/**
 * Genome seed of the student that the tests below train: mb3k5 | mb3k3se-p x2 | dck3se-p x3 | dck5-p x3 |
 * dck3-p x2 (7.3M multiply-adds per image), with mbconv blocks, 3x3 and 5x5 depthwise convolutions with
 * stride 1 and 2, squeeze-and-excite and average-pool skips, small enough for the cpu backend.
 *
 * A ReLU routes gradients by the sign of its input, so an activation within rounding noise of 0 can pass
 * gradient on one backend and block it on the other. A few gradients then differ by about 1% between
 * any two implementations that round differently, as XNNPACK and cpu do. Adam's first step moves every
 * weight by about the learning rate times the sign of its gradient, which turns such differences into
 * loss differences above 1e-4. Genome seed 20 has such an activation for the images of
 * {@link FixedBatch}, with the stock tfjs-backend-wasm 4.22 kernels too. This genome has none.
 */
const STUDENT_SEED = 22;
const STUDENT_BATCH = 4;
const STUDENT_STEPS = 3;

/** Gradients before training and the loss of each trainModel step, copied off the backend. */
interface StudentRun {
  gradients: Float32Array[];
  losses: number[];
}

/** Computes the gradients of the untrained student, then trains it with trainModel, one step per epoch. */
async function studentRun(backendName: 'wasm' | 'cpu'): Promise<StudentRun> {
  await tf.setBackend(backendName);
  const space = defaultSearchSpace([28, 28, 1], 10);
  const model = buildStudent(space, sampleGenome(space, new Rng(STUDENT_SEED)), 1);
  const data = new FixedBatch(STUDENT_BATCH);
  const batch = data.batches()[Symbol.iterator]().next().value as TrainingBatch;
  const variables = model.trainableWeights.map((weight) => weight.read() as tf.Variable);

  const gradients = tf.tidy(() => {
    const x = tf.tensor4d(batch.x, [batch.size, 28, 28, 1]);
    const labels = tf.tensor1d(batch.labels, 'int32');
    const { grads } = tf.variableGrads(
      () => hardLabelLoss(model.apply(x, { training: true }) as tf.Tensor2D, labels),
      variables,
    );
    return variables.map((v) => grads[v.name].dataSync().slice() as Float32Array);
  });
  const result = await trainModel(model, data, {
    epochs: STUDENT_STEPS,
    batchSize: STUDENT_BATCH,
    learningRate: 0.005,
    loss: { kind: 'hard-label' },
  });
  model.dispose();
  return { gradients, losses: result.epochLosses };
}

describe('student training on wasm', () => {
  let wasm: StudentRun;
  let cpu: StudentRun;
  let tensorsLeft: number;
  let dataIdsLeft: number;

  before(async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    wasm = await studentRun('wasm');
    tensorsLeft = tf.memory().numTensors - tensorsBefore;
    dataIdsLeft = tf.engine().backend.numDataIds() - dataIdsBefore;
    cpu = await studentRun('cpu');
  });

  it('gradients match cpu', () => {
    assert.equal(wasm.gradients.length, cpu.gradients.length, 'number of gradients');
    // Each variable is compared at its own scale, but at least 1e-4 of the largest gradient. The betas of
    // batch norms whose output reaches the loss only through another batch norm have gradients that are
    // 0 in theory and rounding noise in practice.
    let globalScale = 0;
    for (const grad of cpu.gradients)
      for (const value of grad) globalScale = Math.max(globalScale, Math.abs(value));
    for (const [index, expected] of cpu.gradients.entries()) {
      const actual = wasm.gradients[index];
      let scale = 1e-4 * globalScale;
      let diff = 0;
      for (let i = 0; i < expected.length; i++) {
        scale = Math.max(scale, Math.abs(expected[i]));
        diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
      }
      assert.ok(diff / scale <= 1e-3, `gradient ${index}: difference ${diff} at scale ${scale}`);
    }
  });

  it('follows the cpu loss trajectory', () => {
    assert.equal(wasm.losses.length, STUDENT_STEPS, 'steps on wasm');
    for (let step = 0; step < STUDENT_STEPS; step++) {
      const diff = Math.abs(wasm.losses[step] - cpu.losses[step]) / Math.abs(cpu.losses[step]);
      assert.ok(diff <= 1e-4, `step ${step}: wasm loss ${wasm.losses[step]} vs cpu ${cpu.losses[step]}`);
    }
  });

  it('leaves no tensors or heap buffers behind', () => {
    assert.equal(tensorsLeft, 0, 'tensors left on wasm');
    assert.equal(dataIdsLeft, 0, 'wasm heap buffers left');
  });
});
