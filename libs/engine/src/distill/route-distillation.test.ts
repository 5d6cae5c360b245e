import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError, Rng } from '@akd/core';
import { LayerFactory } from '../model/layer-factory.js';
import { ArrayBatchSource, syntheticImages } from '../testing/synthetic.js';
import { predictLogits } from '../train/evaluate.js';
import { routeAnchorIndex, selectEqualIntervalRoute, validateRouteSchedule } from './route.js';
import { distillAlongRoute, loadRouteAnchors, type RouteDistillationOptions } from './route-distillation.js';

const shape: [number, number, number] = [8, 8, 1];
const COUNT = 16;

before(async () => {
  await tf.setBackend('cpu');
});

/** Returns an `assert.rejects` validator for an INVALID_INPUT AkdError whose message matches `message`. */
function invalidInput(message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  };
}

function tinyModel(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const x = f.convBn(input, 4, 3, 2);
  return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(x), 4) });
}

/** Builds a flatten and dense model, whose logits are the same in training and inference mode. */
function denseModel(seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: f.dense(flat, 4) });
}

/** Returns `COUNT × 4` logits drawn uniformly from [−3, 3). */
function randomLogits(seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: COUNT * 4 }, () => rng.next() * 6 - 3);
}

function softmax(row: ArrayLike<number>, temperature = 1): number[] {
  const scaled = Array.from(row, (v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

/** Mean of `(1 − λ)·CE + λ·τ²·KL(softmax(t/τ) ‖ softmax(s/τ))` over the rows, in float64. */
function hintonByHand(
  student: Float32Array,
  teacher: Float32Array,
  labels: Int32Array,
  lambda: number,
  temperature: number,
): number {
  let total = 0;
  for (let row = 0; row < labels.length; row++) {
    const s = student.subarray(row * 4, row * 4 + 4);
    const t = teacher.subarray(row * 4, row * 4 + 4);
    const p = softmax(t, temperature);
    const q = softmax(s, temperature);
    const kl = p.reduce((sum, pk, k) => sum + pk * Math.log(pk / q[k]), 0);
    const ce = -Math.log(softmax(s)[labels[row]]);
    total += (1 - lambda) * ce + lambda * temperature ** 2 * kl;
  }
  return total / labels.length;
}

/** Logits that favour class `favoured` by 5 on every row. */
function constantLogits(favoured: number): Float32Array {
  const logits = new Float32Array(COUNT * 4);
  for (let row = 0; row < COUNT; row++) logits[row * 4 + favoured] = 5;
  return logits;
}

describe('routeAnchorIndex', () => {
  it('moves to the next anchor every k epochs and stays on the last', () => {
    const table: [epoch: number, k: number, length: number, anchor: number][] = [
      [0, 2, 3, 0],
      [1, 2, 3, 0],
      [2, 2, 3, 1],
      [3, 2, 3, 1],
      [4, 2, 3, 2],
      [9, 2, 3, 2],
      [0, 1, 1, 0],
      [5, 1, 1, 0],
      [5, 3, 4, 1],
    ];
    for (const [epoch, k, length, anchor] of table) {
      assert.equal(routeAnchorIndex(epoch, k, length), anchor, `epoch ${epoch}, k ${k}, ${length} anchors`);
    }
  });

  it('rejects empty route and bad epochsPerAnchor', () => {
    assert.throws(() => validateRouteSchedule(0, 2), invalidInput(/checkpoint route is empty/));
    assert.throws(() => validateRouteSchedule(2, 0), invalidInput(/Invalid epochs per anchor 0/));
    assert.throws(() => validateRouteSchedule(2, 1.5), invalidInput(/Invalid epochs per anchor 1.5/));
  });
});

describe('selectEqualIntervalRoute', () => {
  const checkpoints = [1, 2, 3, 4, 5, 6].map((epoch) => ({ epoch, dir: `epoch-${epoch}` }));

  it('picks checkpoints at equal epoch intervals ending with the last', () => {
    assert.deepEqual(
      selectEqualIntervalRoute(checkpoints, 3).map((c) => c.epoch),
      [2, 4, 6],
    );
    assert.deepEqual(
      selectEqualIntervalRoute(checkpoints, 1).map((c) => c.epoch),
      [6],
    );
    assert.deepEqual(
      selectEqualIntervalRoute(checkpoints, 9).map((c) => c.epoch),
      [1, 2, 3, 4, 5, 6],
    );
  });

  it('rejects no checkpoints and a count below 1', () => {
    assert.throws(() => selectEqualIntervalRoute([], 2), invalidInput(/checkpoint route is empty/));
    assert.throws(() => selectEqualIntervalRoute(checkpoints, 0), invalidInput(/Invalid route length 0/));
  });
});

describe('distillAlongRoute', () => {
  const { images, labels } = syntheticImages(COUNT, shape, 4, 3);
  // One batch per epoch, so batch-norm statistics and the mean loss do not depend on the shuffle.
  const data = new ArrayBatchSource(images, labels, shape, COUNT);
  const route = [
    { epoch: 1, teacherLogits: constantLogits(0) },
    { epoch: 3, teacherLogits: constantLogits(1) },
    { epoch: 5, teacherLogits: constantLogits(0) },
  ];
  const base: RouteDistillationOptions = {
    route,
    numClasses: 4,
    epochsPerAnchor: 2,
    batchSize: COUNT,
    learningRate: 1e-9,
    lambda: 1,
    temperature: 1,
  };

  it('switches anchors every epochsPerAnchor epochs', async () => {
    const student = tinyModel(1);
    const before = tf.memory().numTensors;
    const result = await distillAlongRoute(student, data, { ...base, epochs: 7 });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(result.anchorByEpoch, [0, 0, 1, 1, 2, 2, 2]);
    assert.deepEqual(result.anchorEpochByEpoch, [1, 1, 3, 3, 5, 5, 5]);

    // At a learning rate of 1e-9 the student does not move, so each epoch's loss is the KL to its
    // anchor. Anchors 0 and 2 contain the same logits, and anchor 1 favours another class.
    const losses = result.epochLosses;
    for (const epoch of [1, 4, 5, 6]) {
      assert.ok(Math.abs(losses[epoch] - losses[0]) < 1e-4, `losses ${losses.join(', ')}`);
    }
    assert.ok(Math.abs(losses[3] - losses[2]) < 1e-4, `losses ${losses.join(', ')}`);
    assert.ok(Math.abs(losses[2] - losses[0]) > 1e-3, `losses ${losses.join(', ')}`);
    student.dispose();
  });

  it('epoch losses match by hand', async () => {
    // The model has no batch norm, so its training-mode logits are its inference logits, and Adam
    // at a learning rate of 1e-9 moves each weight by about 1e-9 per step. Each epoch's mean loss
    // is then the Hinton loss of the initial logits against the anchor of that epoch.
    const student = denseModel(4);
    const initial = predictLogits(student, images, shape);
    const handRoute = [
      { epoch: 2, teacherLogits: randomLogits(21) },
      { epoch: 4, teacherLogits: randomLogits(22) },
    ];
    const lambda = 0.6;
    const temperature = 3;
    const result = await distillAlongRoute(student, data, {
      ...base,
      route: handRoute,
      epochsPerAnchor: 1,
      epochs: 3,
      lambda,
      temperature,
    });
    assert.deepEqual(result.anchorByEpoch, [0, 1, 1]);

    const expected = result.anchorByEpoch.map((anchor) =>
      hintonByHand(initial, handRoute[anchor].teacherLogits, labels, lambda, temperature),
    );
    assert.ok(Math.abs(expected[0] - expected[1]) > 0.1, `anchors give ${expected.join(', ')}`);
    result.epochLosses.forEach((loss, epoch) => {
      assert.ok(
        Math.abs(loss - expected[epoch]) < 1e-4,
        `epoch ${epoch}: loss ${loss}, by hand ${expected[epoch]}`,
      );
    });
    student.dispose();
  });

  it('defaults to epochsPerAnchor epochs on each anchor', async () => {
    const student = tinyModel(2);
    const result = await distillAlongRoute(student, data, { ...base, epochsPerAnchor: 1 });
    assert.deepEqual(result.anchorByEpoch, [0, 1, 2]);
    assert.equal(result.steps, 3);
    student.dispose();
  });

  it('rejects bad routes and settings before training', async () => {
    const student = tinyModel(3);
    const cases: [Partial<RouteDistillationOptions>, RegExp][] = [
      [{ route: [] }, /checkpoint route is empty/],
      [{ epochsPerAnchor: 0 }, /Invalid epochs per anchor 0/],
      [{ epochs: 4 }, /Invalid epochs 4 for a route of 3 anchors at 2 epochs each: use at least 5/],
      [{ route: [route[1], route[0]] }, /Route anchor 1 is at teacher epoch 1, not after 3/],
      [
        { route: [{ epoch: 1, teacherLogits: new Float32Array(8) }, route[1]] },
        /Route anchor 1 has 64 logits but anchor 0 has 8/,
      ],
      [{ temperature: 0 }, /temperature 0/],
      [{ lambda: -0.1 }, /lambda=-0.1/],
    ];
    for (const [change, message] of cases) {
      await assert.rejects(distillAlongRoute(student, data, { ...base, ...change }), invalidInput(message));
    }
    student.dispose();
  });
});

describe('loadRouteAnchors', () => {
  it('rejects an empty checkpoint list', async () => {
    const rows = {
      split: { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
      indices: new Int32Array(0),
      shape,
    };
    await assert.rejects(loadRouteAnchors([], rows), invalidInput(/checkpoint route is empty/));
  });
});
