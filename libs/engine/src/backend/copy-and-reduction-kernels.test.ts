import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';
import { initBackend } from './init.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { assertKernelMatchesCpu, randomValues, runKernelOn, sizeOf } from './test-support.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Tile on wasm', () => {
  const cases: [number[], number[]][] = [
    [
      [1, 1, 1, 8],
      [4, 3, 5, 1],
    ],
    [
      [1, 1, 1, 13],
      [2, 7, 7, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [[5], [4]],
    [
      [2, 1, 3],
      [1, 4, 1],
    ],
    [
      [3, 2, 2, 2],
      [1, 1, 1, 1],
    ],
    [
      [2, 3, 1, 2],
      [2, 1, 3, 2],
    ],
    [
      [0, 3],
      [2, 1],
    ],
  ];
  for (const [index, [shape, reps]] of cases.entries()) {
    const label = `[${shape.join(',')}] reps [${reps.join(',')}]`;
    it(`matches cpu for float32 ${label}`, async () => {
      const values = randomValues(new Rng(index), sizeOf(shape));
      await assertKernelMatchesCpu('Tile', { x: { values, shape } }, { reps }, label);
    });
  }

  it('matches cpu for int32', async () => {
    const values = Int32Array.from({ length: 6 }, (_, i) => i * 7 - 20);
    await assertKernelMatchesCpu('Tile', { x: { values, shape: [2, 3] } }, { reps: [2, 2] }, 'int32');
  });

  it('matches cpu for bool', async () => {
    const tiled: Record<string, number[]> = {};
    for (const backend of ['wasm', 'cpu'] as const) {
      await tf.setBackend(backend);
      const x = tf.tensor([true, false, false, true], [2, 2], 'bool');
      const y = tf.tile(x, [1, 3]);
      tiled[backend] = Array.from(y.dataSync());
      tf.dispose([x, y]);
    }
    assert.deepEqual(tiled.wasm, tiled.cpu);
  });
});

describe('Cast and Identity on wasm', () => {
  it('cast to the same dtype shares the buffer', async () => {
    await tf.setBackend('wasm');
    const dataIdsBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor([1.5, -2, 3], [3]);
    const y = tf.cast(x, 'float32');
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore + 1, 'buffers after the cast');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1.5, -2, 3], 'values after disposing the source');
    y.dispose();
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore, 'buffers after disposing both');
  });

  it('cast to int32 matches cpu', async () => {
    const values = Float32Array.from([1.5, -2.7, 3.2, 0, -0.4, 9.9]);
    await assertKernelMatchesCpu(
      'Cast',
      { x: { values, shape: [2, 3] } },
      { dtype: 'int32' },
      'float32 to int32',
    );
  });

  it('clone shares the buffer and outlives the source', async () => {
    await tf.setBackend('wasm');
    const dataIdsBefore = tf.engine().backend.numDataIds();
    const x = tf.tensor([
      [1, 2],
      [3, 4],
    ]);
    const y = tf.clone(x);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore + 1, 'buffers after the clone');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4], 'values after disposing the source');
    y.dispose();
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore, 'buffers after disposing both');
  });

  it('identity matches cpu for int32', async () => {
    const values = Int32Array.from([4, -1, 7]);
    await assertKernelMatchesCpu('Identity', { x: { values, shape: [3] } }, {}, 'int32 identity');
  });
});

/** Shapes and axes for Sum and Mean: contiguous axes take the new kernels, the others the stock kernels. */
const REDUCTIONS: [number[], number | number[], boolean][] = [
  [[4, 5, 6, 7], [0, 1, 2], false],
  [[4, 5, 6, 7], [1, 2], false],
  [[4, 5, 6, 7], [1, 2], true],
  [[4, 5, 6, 7], [3], false],
  [[4, 5, 6, 7], -1, true],
  [[4, 5, 6, 7], [0], false],
  [[4, 5, 6, 7], [2, 1], false],
  [[4, 5, 6, 7], [0, 2], false],
  [[3, 4, 5, 6], [0, 1, 2, 3], false],
  [[32, 7, 7, 13], [0, 1, 2], false],
  [[8, 14, 14, 156], [0, 1, 2], false],
  [[2, 300], [1], false],
  [[40, 13], [0], false],
];

function describeReduction([shape, axis, keepDims]: (typeof REDUCTIONS)[number]): string {
  return `[${shape.join(',')}] axis ${JSON.stringify(axis)}${keepDims ? ' keepDims' : ''}`;
}

for (const kernelName of ['Sum', 'Mean'] as const) {
  describe(`${kernelName} on wasm`, () => {
    for (const [index, reduction] of REDUCTIONS.entries()) {
      const [shape, axis, keepDims] = reduction;
      it(`matches cpu for ${describeReduction(reduction)}`, async () => {
        const values = randomValues(new Rng(100 + index), sizeOf(shape));
        await assertKernelMatchesCpu(
          kernelName,
          { x: { values, shape } },
          { axis, keepDims },
          describeReduction(reduction),
        );
      });
    }
  });
}

describe('Sum and Mean on wasm without the SIMD kernels', () => {
  before(() => setSimdKernelsEnabled(false));
  after(() => setSimdKernelsEnabled(true));

  for (const kernelName of ['Sum', 'Mean'] as const) {
    for (const index of [0, 1, 3, 9]) {
      const reduction = REDUCTIONS[index];
      const [shape, axis, keepDims] = reduction;
      it(`${kernelName} matches cpu for ${describeReduction(reduction)}`, async () => {
        const values = randomValues(new Rng(200 + index), sizeOf(shape));
        await assertKernelMatchesCpu(
          kernelName,
          { x: { values, shape } },
          { axis, keepDims },
          describeReduction(reduction),
        );
      });
    }
  }
});

describe('Sum on wasm for int32', () => {
  it('matches cpu', async () => {
    const values = Int32Array.from({ length: 24 }, (_, i) => (i * 5) % 11);
    const wasm = await runKernelOn(
      'wasm',
      'Sum',
      { x: { values, shape: [2, 3, 4] } },
      { axis: [0, 1], keepDims: false },
    );
    const cpu = await runKernelOn(
      'cpu',
      'Sum',
      { x: { values, shape: [2, 3, 4] } },
      { axis: [0, 1], keepDims: false },
    );
    assert.deepEqual(Array.from(wasm.values), Array.from(cpu.values));
  });
});
