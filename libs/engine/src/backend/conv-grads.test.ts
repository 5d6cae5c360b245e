import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { AkdError, Rng } from '@akd/core';
import { initBackend } from './init.js';
import { convGeometry } from './conv-geometry.js';
import { conv2dFilterGradient, conv2dInputGradient } from './conv2d-grads.js';
import { setSimdKernelsEnabled } from './simd-kernels.js';
import { asWasmBackend } from './wasm-heap.js';
import { type HostInputs, randomValues, runKernelOn, scaledMaxDiff, sizeOf } from './test-support.js';

const TOLERANCE = 1e-4;

interface ConvCase {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  /** Output channels for conv2d, channel multiplier for depthwise. */
  outDepth: number;
  kernel: number;
  stride: number;
  pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
}

function outputShape(c: ConvCase, depthwise: boolean): number[] {
  const filterShape = [c.kernel, c.kernel, c.inChannels, c.outDepth] as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.height, c.width, c.inChannels],
    filterShape,
    c.stride,
    1,
    c.pad,
    undefined,
    depthwise,
  );
  return info.outShape;
}

function describeCase(c: ConvCase): string {
  const pad = typeof c.pad === 'string' ? c.pad : 'explicit';
  return `${c.kernel}x${c.kernel} stride ${c.stride} ${pad} in [${c.batch},${c.height},${c.width},${c.inChannels}] depth ${c.outDepth}`;
}

/** Kernels 1, 3 and 5, strides 1 and 2, both paddings, odd and even sizes, several channel counts. */
function sweep(kernels: number[], channelPairs: [number, number][]): ConvCase[] {
  const cases: ConvCase[] = [];
  let index = 0;
  for (const kernel of kernels) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const [height, width] of [
          [7, 9],
          [8, 8],
        ]) {
          const [inChannels, outDepth] = channelPairs[index % channelPairs.length];
          cases.push({ batch: 2 + (index % 2), height, width, inChannels, outDepth, kernel, stride, pad });
          index++;
        }
      }
    }
  }
  return cases;
}

/** Runs `kernelName` on wasm and cpu and checks that the outputs match and that nothing leaked. */
async function assertMatchesCpu(
  kernelName: string,
  inputs: HostInputs,
  attrs: tf.NamedAttrMap,
  label: string,
) {
  const wasm = await runKernelOn('wasm', kernelName, inputs, attrs);
  const cpu = await runKernelOn('cpu', kernelName, inputs, attrs);
  assert.deepEqual(wasm.shape, cpu.shape, `${label}: output shape`);
  const diff = scaledMaxDiff(wasm.values, cpu.values);
  assert.ok(diff <= TOLERANCE, `${label}: scaled max difference ${diff} exceeds ${TOLERANCE}`);
  assert.equal(wasm.leakedTensors, 0, `${label}: tensors left on wasm`);
  assert.equal(wasm.leakedDataIds, 0, `${label}: wasm heap buffers left`);
}

function convInputs(c: ConvCase, depthwise: boolean, seed: number) {
  const rng = new Rng(seed);
  const xShape = [c.batch, c.height, c.width, c.inChannels];
  const filterShape = [c.kernel, c.kernel, c.inChannels, c.outDepth];
  const dyShape = outputShape(c, depthwise);
  return {
    x: { values: randomValues(rng, sizeOf(xShape)), shape: xShape },
    filter: { values: randomValues(rng, sizeOf(filterShape)), shape: filterShape },
    dy: { values: randomValues(rng, sizeOf(dyShape)), shape: dyShape },
    xShape,
    filterShape,
  };
}

before(async () => {
  await initBackend({ backend: 'wasm' });
});

describe('Conv2DBackpropFilter on wasm', () => {
  for (const [index, c] of sweep(
    [1, 3, 5],
    [
      [1, 2],
      [3, 5],
      [8, 16],
      [6, 3],
    ],
  ).entries()) {
    it(`matches cpu for ${describeCase(c)}`, async () => {
      const { x, dy, filterShape } = convInputs(c, false, index);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
      await assertMatchesCpu('Conv2DBackpropFilter', { x, dy }, attrs, describeCase(c));
    });
  }

  it('matches cpu with explicit padding', async () => {
    const c: ConvCase = {
      batch: 2,
      height: 6,
      width: 7,
      inChannels: 3,
      outDepth: 4,
      kernel: 3,
      stride: 2,
      pad: [
        [0, 0],
        [2, 1],
        [0, 2],
        [0, 0],
      ],
    };
    const { x, dy, filterShape } = convInputs(c, false, 99);
    await assertMatchesCpu(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 2, pad: c.pad, dataFormat: 'NHWC', filterShape },
      'explicit',
    );
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  for (const [index, c] of sweep(
    [1, 3, 5],
    [
      [2, 1],
      [5, 3],
      [16, 8],
      [3, 6],
    ],
  ).entries()) {
    it(`matches cpu for ${describeCase(c)}`, async () => {
      const { filter, dy, xShape } = convInputs(c, false, 100 + index);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: xShape };
      await assertMatchesCpu('Conv2DBackpropInput', { dy, filter }, attrs, describeCase(c));
    });
  }
});

describe('DepthwiseConv2dNativeBackpropFilter on wasm', () => {
  for (const [index, c] of sweep(
    [3, 5],
    [
      [4, 1],
      [8, 1],
      [3, 2],
      [16, 1],
    ],
  ).entries()) {
    it(`matches cpu for ${describeCase(c)}`, async () => {
      const { x, dy, filterShape } = convInputs(c, true, 200 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, filterShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs, describeCase(c));
    });
  }
});

describe('DepthwiseConv2dNativeBackpropInput on wasm', () => {
  for (const [index, c] of sweep(
    [3, 5],
    [
      [4, 1],
      [8, 1],
      [3, 2],
      [16, 1],
    ],
  ).entries()) {
    it(`matches cpu for ${describeCase(c)}`, async () => {
      const { filter, dy, xShape } = convInputs(c, true, 300 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, inputShape: xShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs, describeCase(c));
    });
  }
});

describe('conv2d gradients in chunks', () => {
  // A column limit below one image's patches forces one chunk per image, which full-size inputs would
  // reach only with tens of megabytes of patches.
  const c: ConvCase = {
    batch: 3,
    height: 9,
    width: 8,
    inChannels: 4,
    outDepth: 5,
    kernel: 3,
    stride: 2,
    pad: 'same',
  };

  it('filter gradient matches the unchunked kernel', async () => {
    const { x, dy, filterShape, xShape } = convInputs(c, false, 400);
    const expected = await runKernelOn(
      'wasm',
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 2, pad: 'same', filterShape },
    );

    const backend = asWasmBackend(tf.backend());
    const xTensor = tf.tensor(x.values, x.shape);
    const dyTensor = tf.tensor(dy.values, dy.shape);
    const g = convGeometry('test', xShape, filterShape, dy.shape, { strides: 2, pad: 'same' }, false);
    const result = tf
      .engine()
      .makeTensorFromTensorInfo(conv2dFilterGradient(backend, xTensor, dyTensor, g, 10));
    const diff = scaledMaxDiff(result.dataSync() as Float32Array, expected.values);
    tf.dispose([result, xTensor, dyTensor]);
    assert.ok(diff <= TOLERANCE, `scaled max difference ${diff}`);
  });

  it('input gradient matches the unchunked kernel', async () => {
    const { filter, dy, filterShape, xShape } = convInputs(c, false, 401);
    const attrs = { strides: 2, pad: 'same', inputShape: xShape };
    const expected = await runKernelOn('wasm', 'Conv2DBackpropInput', { dy, filter }, attrs);

    const backend = asWasmBackend(tf.backend());
    const filterTensor = tf.tensor(filter.values, filter.shape);
    const dyTensor = tf.tensor(dy.values, dy.shape);
    const g = convGeometry('test', xShape, filterShape, dy.shape, { strides: 2, pad: 'same' }, false);
    const result = tf
      .engine()
      .makeTensorFromTensorInfo(conv2dInputGradient(backend, dyTensor, filterTensor, g, 10));
    const diff = scaledMaxDiff(result.dataSync() as Float32Array, expected.values);
    tf.dispose([result, filterTensor, dyTensor]);
    assert.ok(diff <= TOLERANCE, `scaled max difference ${diff}`);
  });
});

describe('conv gradients through tf.grads on wasm', () => {
  it('leave no tensors or heap buffers behind', async () => {
    await tf.setBackend('wasm');
    const x = tf.randomNormal([2, 8, 8, 4]) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 4, 6]) as tf.Tensor4D;
    const depthwise = tf.randomNormal([3, 3, 6, 1]) as tf.Tensor4D;
    const tensorsBefore = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();

    const gradients = tf.grads((...args: tf.Tensor[]) => {
      const [input, f, d] = args as tf.Tensor4D[];
      return tf.sum(tf.depthwiseConv2d(tf.conv2d(input, f, 2, 'same'), d, 1, 'same'));
    })([x, filter, depthwise]);
    tf.dispose(gradients);

    assert.equal(tf.memory().numTensors, tensorsBefore);
    assert.equal(tf.engine().backend.numDataIds(), dataIdsBefore);
    tf.dispose([x, filter, depthwise]);
  });
});

describe('wasm conv gradient kernels', () => {
  it('reject dilation other than 1', async () => {
    const c: ConvCase = {
      batch: 1,
      height: 6,
      width: 6,
      inChannels: 2,
      outDepth: 1,
      kernel: 3,
      stride: 1,
      pad: 'same',
    };
    const { x, dy, filterShape } = convInputs(c, true, 500);
    await assert.rejects(
      runKernelOn(
        'wasm',
        'DepthwiseConv2dNativeBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dilations: 2, filterShape },
      ),
      (error: unknown) => error instanceof AkdError && /dilation 1, got dilations 2/.test(error.message),
    );
  });

  it('reject NCHW data', async () => {
    const c: ConvCase = {
      batch: 1,
      height: 6,
      width: 6,
      inChannels: 2,
      outDepth: 3,
      kernel: 3,
      stride: 1,
      pad: 'same',
    };
    const { x, dy, filterShape } = convInputs(c, false, 501);
    await assert.rejects(
      runKernelOn(
        'wasm',
        'Conv2DBackpropFilter',
        { x, dy },
        { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape },
      ),
      (error: unknown) => error instanceof AkdError && /only NHWC/.test(error.message),
    );
  });

  it('reject dy whose shape is not the convolution output', async () => {
    const c: ConvCase = {
      batch: 1,
      height: 6,
      width: 6,
      inChannels: 2,
      outDepth: 3,
      kernel: 3,
      stride: 1,
      pad: 'same',
    };
    const { filter, xShape } = convInputs(c, false, 502);
    const dy = { values: new Float32Array(1 * 5 * 5 * 3), shape: [1, 5, 5, 3] };
    await assert.rejects(
      runKernelOn(
        'wasm',
        'Conv2DBackpropInput',
        { dy, filter },
        { strides: 1, pad: 'same', inputShape: xShape },
      ),
      (error: unknown) =>
        error instanceof AkdError && /convolution output is \[1, 6, 6, 3\]/.test(error.message),
    );
  });
});

describe('depthwise gradients on wasm for SIMD channel tails', () => {
  // Multiplier 1 with channel counts that leave 16-, 4- and 1-channel remainders in the SIMD kernels.
  const cases = sweep(
    [3, 5],
    [
      [6, 1],
      [13, 1],
      [20, 1],
      [36, 1],
    ],
  );
  for (const [index, c] of cases.entries()) {
    it(`filter gradient matches cpu for ${describeCase(c)}`, async () => {
      const { x, dy, filterShape } = convInputs(c, true, 600 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, filterShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs, describeCase(c));
    });
    it(`input gradient matches cpu for ${describeCase(c)}`, async () => {
      const { filter, dy, xShape } = convInputs(c, true, 700 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, inputShape: xShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs, describeCase(c));
    });
  }
});

/** Layers of the students of the default search space, with a smaller batch. */
const STUDENT_DEPTHWISE: ConvCase[] = [
  { batch: 2, height: 28, width: 28, inChannels: 48, outDepth: 1, kernel: 5, stride: 1, pad: 'same' },
  { batch: 2, height: 14, width: 14, inChannels: 156, outDepth: 1, kernel: 5, stride: 2, pad: 'same' },
  { batch: 2, height: 14, width: 14, inChannels: 96, outDepth: 1, kernel: 3, stride: 1, pad: 'same' },
  { batch: 2, height: 7, width: 7, inChannels: 80, outDepth: 1, kernel: 5, stride: 1, pad: 'same' },
];

describe('depthwise convolution on wasm for student layers', () => {
  for (const [index, c] of STUDENT_DEPTHWISE.entries()) {
    it(`forward matches cpu for ${describeCase(c)}`, async () => {
      const { x, filter } = convInputs(c, true, 800 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, dataFormat: 'NHWC' };
      await assertMatchesCpu('DepthwiseConv2dNative', { x, filter }, attrs, describeCase(c));
    });
    it(`filter gradient matches cpu for ${describeCase(c)}`, async () => {
      const { x, dy, filterShape } = convInputs(c, true, 810 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, filterShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropFilter', { x, dy }, attrs, describeCase(c));
    });
    it(`input gradient matches cpu for ${describeCase(c)}`, async () => {
      const { filter, dy, xShape } = convInputs(c, true, 820 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, inputShape: xShape };
      await assertMatchesCpu('DepthwiseConv2dNativeBackpropInput', { dy, filter }, attrs, describeCase(c));
    });
  }
});

describe('DepthwiseConv2dNative on wasm', () => {
  const explicit: ConvCase['pad'] = [
    [0, 0],
    [2, 1],
    [0, 3],
    [0, 0],
  ];
  const cases: ConvCase[] = [
    ...sweep(
      [3, 5, 7],
      [
        [4, 1],
        [13, 1],
        [20, 1],
        [3, 2],
      ],
    ),
    { batch: 2, height: 9, width: 8, inChannels: 6, outDepth: 1, kernel: 5, stride: 1, pad: explicit },
    { batch: 2, height: 9, width: 8, inChannels: 6, outDepth: 1, kernel: 5, stride: 2, pad: explicit },
  ];
  for (const [index, c] of cases.entries()) {
    it(`matches cpu for ${describeCase(c)}`, async () => {
      const { x, filter } = convInputs(c, true, 900 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, dataFormat: 'NHWC' };
      await assertMatchesCpu('DepthwiseConv2dNative', { x, filter }, attrs, describeCase(c));
    });
  }
});

/** Convolutions of the students: pointwise expansions and projections, and the 3x3 and 5x5 convolutions. */
const STUDENT_CONV: ConvCase[] = [
  { batch: 4, height: 14, width: 14, inChannels: 52, outDepth: 156, kernel: 1, stride: 1, pad: 'same' },
  { batch: 2, height: 28, width: 28, inChannels: 16, outDepth: 48, kernel: 1, stride: 1, pad: 'same' },
  { batch: 4, height: 14, width: 14, inChannels: 156, outDepth: 52, kernel: 1, stride: 1, pad: 'same' },
  { batch: 4, height: 14, width: 14, inChannels: 32, outDepth: 32, kernel: 5, stride: 1, pad: 'same' },
  { batch: 4, height: 28, width: 28, inChannels: 16, outDepth: 32, kernel: 5, stride: 2, pad: 'same' },
  { batch: 4, height: 7, width: 7, inChannels: 60, outDepth: 120, kernel: 3, stride: 1, pad: 'same' },
];

describe('conv2d gradients on wasm for student layers', () => {
  for (const [index, c] of STUDENT_CONV.entries()) {
    it(`filter gradient matches cpu for ${describeCase(c)}`, async () => {
      const { x, dy, filterShape } = convInputs(c, false, 1000 + index);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape };
      await assertMatchesCpu('Conv2DBackpropFilter', { x, dy }, attrs, describeCase(c));
    });
    it(`input gradient matches cpu for ${describeCase(c)}`, async () => {
      const { filter, dy, xShape } = convInputs(c, false, 1010 + index);
      const attrs = { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: xShape };
      await assertMatchesCpu('Conv2DBackpropInput', { dy, filter }, attrs, describeCase(c));
    });
  }

  it('input gradient matches cpu for stride 1 with explicit padding', async () => {
    const pads: ConvCase['pad'][] = [
      [
        [0, 0],
        [2, 0],
        [1, 2],
        [0, 0],
      ],
      [
        [0, 0],
        [4, 4],
        [0, 0],
        [0, 0],
      ],
    ];
    for (const [index, pad] of pads.entries()) {
      const c: ConvCase = {
        batch: 2,
        height: 6,
        width: 7,
        inChannels: 3,
        outDepth: 5,
        kernel: 3,
        stride: 1,
        pad,
      };
      const { filter, dy, xShape } = convInputs(c, false, 1020 + index);
      const attrs = { strides: 1, pad, dataFormat: 'NHWC', inputShape: xShape };
      await assertMatchesCpu('Conv2DBackpropInput', { dy, filter }, attrs, `explicit padding ${index}`);
    }
  });
});

describe('conv2d input gradient on wasm with explicit padding and 4 or more channels', () => {
  const pads: ConvCase['pad'][] = [
    [
      [0, 0],
      [2, 1],
      [0, 2],
      [0, 0],
    ],
    [
      [0, 0],
      [4, 4],
      [0, 0],
      [0, 0],
    ],
  ];
  for (const stride of [1, 2]) {
    for (const [index, pad] of pads.entries()) {
      const c: ConvCase = {
        batch: 2,
        height: 6,
        width: 7,
        inChannels: 13,
        outDepth: 6,
        kernel: 3,
        stride,
        pad,
      };
      it(`matches cpu for ${describeCase(c)} padding ${index}`, async () => {
        const { filter, dy, xShape } = convInputs(c, false, 1030 + 10 * stride + index);
        const attrs = { strides: stride, pad, dataFormat: 'NHWC', inputShape: xShape };
        await assertMatchesCpu('Conv2DBackpropInput', { dy, filter }, attrs, describeCase(c));
      });
    }
  }
});

describe('Conv2D and FusedConv2D on wasm', () => {
  const explicit: ConvCase['pad'] = [
    [0, 0],
    [2, 1],
    [0, 3],
    [0, 0],
  ];
  // Filters larger than 1x1 on fewer than 4 input channels run on the SIMD kernel, the rest on XNNPACK.
  const cases: ConvCase[] = [
    ...sweep(
      [1, 3, 5],
      [
        [1, 8],
        [3, 13],
        [2, 4],
        [1, 3],
      ],
    ),
    { batch: 2, height: 9, width: 8, inChannels: 3, outDepth: 16, kernel: 3, stride: 2, pad: explicit },
    { batch: 2, height: 9, width: 8, inChannels: 5, outDepth: 6, kernel: 3, stride: 2, pad: 'same' },
  ];
  for (const [index, c] of cases.entries()) {
    it(`Conv2D matches cpu for ${describeCase(c)}`, async () => {
      const { x, filter } = convInputs(c, false, 1200 + index);
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, dataFormat: 'NHWC' };
      await assertMatchesCpu('Conv2D', { x, filter }, attrs, describeCase(c));
    });
    const activation = index % 2 === 0 ? 'relu' : 'linear';
    const withBias = index % 3 !== 2;
    it(`FusedConv2D (${activation}, ${withBias ? 'bias' : 'no bias'}) matches cpu for ${describeCase(c)}`, async () => {
      const { x, filter } = convInputs(c, false, 1300 + index);
      const bias = { values: randomValues(new Rng(1400 + index), c.outDepth), shape: [c.outDepth] };
      const attrs = { strides: c.stride, pad: c.pad, dilations: 1, dataFormat: 'NHWC', activation };
      await assertMatchesCpu(
        'FusedConv2D',
        withBias ? { x, filter, bias } : { x, filter },
        attrs,
        `${activation} ${describeCase(c)}`,
      );
    });
  }

  it('FusedConv2D with leaky ReLU runs on XNNPACK and matches cpu', async () => {
    const c: ConvCase = {
      batch: 2,
      height: 8,
      width: 8,
      inChannels: 1,
      outDepth: 8,
      kernel: 3,
      stride: 1,
      pad: 'same',
    };
    const { x, filter } = convInputs(c, false, 1500);
    const bias = { values: randomValues(new Rng(1501), c.outDepth), shape: [c.outDepth] };
    const attrs = {
      strides: 1,
      pad: 'same',
      dilations: 1,
      dataFormat: 'NHWC',
      activation: 'leakyrelu',
      leakyreluAlpha: 0.2,
    };
    await assertMatchesCpu('FusedConv2D', { x, filter, bias }, attrs, 'leaky ReLU');
  });
});

/** Attributes the cpu kernels need besides strides and padding: dilations for depthwise, the layout for conv2d. */
function layoutAttrs(depthwise: boolean): tf.NamedAttrMap {
  return depthwise ? { dilations: 1 } : { dataFormat: 'NHWC' };
}

describe('conv gradients on wasm without the SIMD kernels', () => {
  before(() => setSimdKernelsEnabled(false));
  after(() => setSimdKernelsEnabled(true));

  const cases: [string, ConvCase, boolean][] = [
    [
      'depthwise',
      { batch: 2, height: 9, width: 8, inChannels: 13, outDepth: 1, kernel: 5, stride: 2, pad: 'same' },
      true,
    ],
    [
      'depthwise',
      { batch: 2, height: 8, width: 8, inChannels: 6, outDepth: 1, kernel: 5, stride: 1, pad: 'valid' },
      true,
    ],
    [
      'conv2d',
      { batch: 2, height: 9, width: 8, inChannels: 5, outDepth: 7, kernel: 5, stride: 2, pad: 'same' },
      false,
    ],
    [
      'conv2d',
      { batch: 2, height: 8, width: 8, inChannels: 4, outDepth: 9, kernel: 1, stride: 1, pad: 'same' },
      false,
    ],
  ];
  for (const [index, [kind, c, depthwise]] of cases.entries()) {
    const label = `${kind} ${describeCase(c)}`;
    it(`filter gradient matches cpu for ${label}`, async () => {
      const { x, dy, filterShape } = convInputs(c, depthwise, 1100 + index);
      const kernelName = depthwise ? 'DepthwiseConv2dNativeBackpropFilter' : 'Conv2DBackpropFilter';
      await assertMatchesCpu(
        kernelName,
        { x, dy },
        { ...layoutAttrs(depthwise), strides: c.stride, pad: c.pad, filterShape },
        label,
      );
    });
    it(`input gradient matches cpu for ${label}`, async () => {
      const { filter, dy, xShape } = convInputs(c, depthwise, 1110 + index);
      const kernelName = depthwise ? 'DepthwiseConv2dNativeBackpropInput' : 'Conv2DBackpropInput';
      const attrs = { ...layoutAttrs(depthwise), strides: c.stride, pad: c.pad, inputShape: xShape };
      await assertMatchesCpu(kernelName, { dy, filter }, attrs, label);
    });
    if (depthwise) {
      it(`forward matches cpu for ${label}`, async () => {
        const { x, filter } = convInputs(c, true, 1120 + index);
        await assertMatchesCpu(
          'DepthwiseConv2dNative',
          { x, filter },
          { strides: c.stride, pad: c.pad, dilations: 1 },
          label,
        );
      });
    }
  }
});
