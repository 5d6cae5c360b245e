import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { initBackend } from './init.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { type HostInputs, randomValues, runKernelOn, scaledMaxDiff, sizeOf } from './test-support.js';

const TOLERANCE = 1e-4;

before(async () => {
  await initBackend({ backend: 'wasm' });
});

async function assertMatchesCpu(
  kernelName: string,
  inputs: HostInputs,
  attrs: Record<string, unknown>,
  label: string,
) {
  const wasm = await runKernelOn('wasm', kernelName, inputs, attrs as never);
  const cpu = await runKernelOn('cpu', kernelName, inputs, attrs as never);
  assert.deepEqual(wasm.shape, cpu.shape, `${label}: output shape`);
  const diff = scaledMaxDiff(wasm.values, cpu.values);
  assert.ok(diff <= TOLERANCE, `${label}: scaled max difference ${diff} exceeds ${TOLERANCE}`);
  assert.equal(wasm.leakedTensors, 0, `${label}: tensors left on wasm`);
  assert.equal(wasm.leakedDataIds, 0, `${label}: wasm heap buffers left`);
}

describe('MaxPoolGrad on wasm', () => {
  const cases: [number, number, 'same' | 'valid', number[]][] = [
    [2, 2, 'same', [2, 5, 5, 3]],
    [2, 2, 'valid', [2, 5, 5, 3]],
    [2, 2, 'valid', [1, 8, 8, 4]],
    [3, 2, 'same', [2, 7, 8, 2]],
    [3, 1, 'same', [2, 6, 6, 3]],
    [3, 2, 'valid', [3, 9, 9, 2]],
  ];
  for (const [index, [filterSize, stride, pad, shape]] of cases.entries()) {
    const label = `${filterSize}x${filterSize} stride ${stride} ${pad} on [${shape.join(',')}]`;
    it(`matches cpu for ${label}`, async () => {
      const rng = new Rng(index);
      const input = randomValues(rng, sizeOf(shape));
      // MaxPoolGrad takes the forward output as an input; compute it on cpu once so both backends get the same.
      const forward = await runKernelOn(
        'cpu',
        'MaxPool',
        { x: { values: input, shape } },
        { filterSize, strides: stride, pad },
      );
      const inputs: HostInputs = {
        dy: { values: randomValues(rng, sizeOf(forward.shape)), shape: forward.shape },
        input: { values: input, shape },
        output: { values: forward.values, shape: forward.shape },
      };
      await assertMatchesCpu('MaxPoolGrad', inputs, { filterSize, strides: stride, pad }, label);
    });
  }
});

describe('UnsortedSegmentSum on wasm', () => {
  it('matches cpu with repeated and out-of-range ids', async () => {
    const rng = new Rng(3);
    const inputs: HostInputs = {
      x: { values: randomValues(rng, 6 * 4), shape: [6, 4] },
      segmentIds: { values: Int32Array.from([2, 0, 2, 5, -1, 1]), shape: [6] },
    };
    await assertMatchesCpu('UnsortedSegmentSum', inputs, { numSegments: 4 }, 'segments');
  });

  it('matches cpu for rank-3 x', async () => {
    const rng = new Rng(4);
    const inputs: HostInputs = {
      x: { values: randomValues(rng, 5 * 3 * 2), shape: [5, 3, 2] },
      segmentIds: { values: Int32Array.from([1, 1, 0, 2, 1]), shape: [5] },
    };
    await assertMatchesCpu('UnsortedSegmentSum', inputs, { numSegments: 3 }, 'rank-3 x');
  });
});

describe('AvgPoolGrad on wasm', () => {
  const cases: [number, number, 'same' | 'valid', number[]][] = [
    [3, 1, 'same', [2, 28, 28, 16]],
    [3, 2, 'same', [2, 14, 14, 52]],
    [2, 2, 'valid', [2, 6, 6, 3]],
    [3, 2, 'valid', [3, 9, 9, 5]],
    [3, 1, 'same', [2, 7, 7, 13]],
    [2, 1, 'same', [1, 5, 6, 17]],
  ];
  for (const [index, [filterSize, stride, pad, shape]] of cases.entries()) {
    const label = `${filterSize}x${filterSize} stride ${stride} ${pad} on [${shape.join(',')}]`;
    const inputs = (): HostInputs => {
      const rng = new Rng(300 + index);
      const outShape = tf.backend_util.computePool2DInfo(
        shape as [number, number, number, number],
        filterSize,
        stride,
        1,
        pad,
      ).outShape;
      return {
        dy: { values: randomValues(rng, sizeOf(outShape)), shape: outShape },
        input: { values: randomValues(rng, sizeOf(shape)), shape },
      };
    };
    it(`matches cpu for ${label}`, async () => {
      await assertMatchesCpu('AvgPoolGrad', inputs(), { filterSize, strides: stride, pad }, label);
    });
    it(`matches cpu without the SIMD kernels for ${label}`, async () => {
      setSimdKernelsEnabled(false);
      try {
        await assertMatchesCpu('AvgPoolGrad', inputs(), { filterSize, strides: stride, pad }, label);
      } finally {
        setSimdKernelsEnabled(true);
      }
    });
  }
});
