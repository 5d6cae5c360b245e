import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { initBackend } from './init.js';
import { RELU_GRAD_KERNEL } from './relu-kernels.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { assertGradientsMatchCpu, gradientsOn, randomValues, sizeOf } from './test-support.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

/** x with exact zeros among random values. */
function reluInputs(shape: number[], seed: number) {
  const rng = new Rng(seed);
  const x = randomValues(rng, sizeOf(shape));
  for (let i = 0; i < x.length; i += 7) x[i] = 0;
  return { x: { values: x, shape }, dy: { values: randomValues(rng, sizeOf(shape)), shape } };
}

for (const simd of [true, false]) {
  describe(`Relu gradient on wasm ${simd ? 'with' : 'without'} the SIMD kernels`, () => {
    before(() => setSimdKernelsEnabled(simd));
    after(() => setSimdKernelsEnabled(true));

    for (const [index, shape] of [[2, 5, 5, 13], [4, 3], [7]].entries()) {
      it(`matches cpu for [${shape.join(',')}]`, async () => {
        const { x, dy } = reluInputs(shape, index);
        await assertGradientsMatchCpu((t) => tf.relu(t), [x], dy, `[${shape.join(',')}]`);
      });
    }

    it('gives NaN where x is NaN, like cpu', async () => {
      const x = { values: Float32Array.from([Number.NaN, 0, -1, 2, Number.NaN]), shape: [5] };
      const dy = { values: Float32Array.from([1, 1, 1, 1, 0]), shape: [5] };
      const wasm = await gradientsOn('wasm', (t) => tf.relu(t), [x], dy);
      const cpu = await gradientsOn('cpu', (t) => tf.relu(t), [x], dy);
      assert.deepEqual([...wasm.grads[0]], [Number.NaN, 0, 0, 1, Number.NaN]);
      assert.deepEqual([...wasm.grads[0]], [...cpu.grads[0]]);
    });
  });
}

describe(RELU_GRAD_KERNEL, () => {
  it('rejects dy of another shape than x', async () => {
    await tf.setBackend('wasm');
    tf.tidy(() => {
      assert.throws(
        () => tf.engine().runKernel(RELU_GRAD_KERNEL, { x: tf.ones([2, 3]), dy: tf.ones([3, 2]) }),
        /expects float32 x and dy of the same shape, got float32 \[2, 3\] and float32 \[3, 2\]/,
      );
    });
  });
});
