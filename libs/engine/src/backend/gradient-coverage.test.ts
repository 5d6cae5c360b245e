import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './init.js';
import { TRAINING_OP_CASES, caseGradients } from './gradient-coverage.js';

const TOLERANCE = 1e-4;

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('training op gradients on wasm', () => {
  for (const testCase of TRAINING_OP_CASES) {
    it(`${testCase.name} matches cpu`, async () => {
      await tf.setBackend('wasm');
      const tensorsBefore = tf.memory().numTensors;
      const dataIdsBefore = tf.engine().backend.numDataIds();
      const wasm = caseGradients(testCase);
      assert.equal(tf.memory().numTensors, tensorsBefore, 'tensors left on wasm');
      assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore, 'wasm heap buffers left');
      assert.ok(wasm.ok, wasm.ok ? '' : `wasm failed: ${wasm.error}`);

      await tf.setBackend('cpu');
      const cpu = caseGradients(testCase);
      assert.ok(cpu.ok, cpu.ok ? '' : `cpu failed: ${cpu.error}`);

      assert.deepEqual(
        [...wasm.grads.keys()].sort(),
        [...cpu.grads.keys()].sort(),
        'variables with gradients',
      );
      let scale = 1;
      for (const grad of cpu.grads.values())
        for (const value of grad) scale = Math.max(scale, Math.abs(value));
      for (const [name, expected] of cpu.grads) {
        const actual = wasm.grads.get(name);
        assert.ok(actual !== undefined, `${name}: gradient missing on wasm`);
        assert.equal(actual.length, expected.length, `${name}: gradient size`);
        let diff = 0;
        for (let i = 0; i < expected.length; i++) diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
        assert.ok(
          diff / scale <= TOLERANCE,
          `${name}: scaled max difference ${diff / scale} exceeds ${TOLERANCE}`,
        );
      }
    });
  }
});
