import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvAttributes, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { col2imAdd, im2colByTap, transpose2d } from './patches.js';
import {
  type WasmBackendInternals,
  allocateF32,
  asWasmBackend,
  disposeIntermediate,
  heapF32,
  matMul,
  zerosF32,
} from './wasm-heap.js';

/**
 * Upper bound on the floats of one column matrix. Larger batches are processed in chunks of whole
 * images, which bounds the extra heap at 4 * this many bytes per gradient kernel.
 */
const MAX_COLUMN_ELEMENTS = 1 << 22;

/**
 * Returns how many whole images go into one column matrix, given the output positions per image and the
 * taps per position. Chunking only bounds memory: on the 3x3 layers of bench/wasm-kernels.ts (one core),
 * the filter-gradient product took the same time with 1024 as with 12544 positions per chunk.
 */
function imagesPerChunk(batch: number, area: number, taps: number, maxColumnElements: number): number {
  return Math.max(1, Math.min(batch, Math.floor(maxColumnElements / Math.max(1, area * taps))));
}

/** Copies rows [firstRow, endRow) of a [rows, width] tensor into a new [endRow - firstRow, width] tensor. */
function copyRows(
  backend: WasmBackendInternals,
  source: TensorInfo,
  width: number,
  firstRow: number,
  endRow: number,
): TensorInfo {
  const target = allocateF32(backend, [endRow - firstRow, width]);
  heapF32(backend, target).set(heapF32(backend, source).subarray(firstRow * width, endRow * width));
  return target;
}

/**
 * Computes dW[kh, kw, ci, co] = sum over positions of patch(x)[kh, kw, ci] * dy[co] as the product
 * col [taps, positions] x dy [positions, outChannels], where col is built by im2col on the heap and the
 * product runs on XNNPACK. Chunks of whole images are accumulated in place.
 */
export function conv2dFilterGradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  maxColumnElements = MAX_COLUMN_ELEMENTS,
): TensorInfo {
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const area = g.outHeight * g.outWidth;
  const chunk = imagesPerChunk(g.batch, area, taps, maxColumnElements);
  let result: TensorInfo | undefined;

  for (let first = 0; first < g.batch; first += chunk) {
    const end = Math.min(g.batch, first + chunk);
    const positions = (end - first) * area;
    const col = allocateF32(backend, [taps, positions]);
    const dyChunk = chunk === g.batch ? dy : copyRows(backend, dy, g.outChannels, first * area, end * area);
    im2colByTap(heapF32(backend, x), g, first, end, heapF32(backend, col));

    const product = matMul(backend, col, dyChunk, taps, positions, g.outChannels);
    disposeIntermediate(backend, col);
    if (dyChunk !== dy) disposeIntermediate(backend, dyChunk);

    if (result === undefined) {
      result = product;
    } else {
      const total = heapF32(backend, result);
      const partial = heapF32(backend, product);
      for (let i = 0; i < total.length; i++) total[i] += partial[i];
      disposeIntermediate(backend, product);
    }
  }

  if (result === undefined)
    return zerosF32(backend, [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]);
  return {
    dataId: result.dataId,
    shape: [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels],
    dtype: 'float32',
  };
}

/**
 * Computes dx by the product dy [positions, outChannels] x W^T [outChannels, taps] on XNNPACK followed by
 * col2im, which adds each patch gradient back into dx. A 1x1 convolution with stride 1 and no padding
 * needs no col2im because the product already is dx.
 */
export function conv2dInputGradient(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  maxColumnElements = MAX_COLUMN_ELEMENTS,
): TensorInfo {
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const area = g.outHeight * g.outWidth;
  const inputShape = [g.batch, g.inHeight, g.inWidth, g.inChannels];

  const filterT = allocateF32(backend, [g.outChannels, taps]);
  transpose2d(heapF32(backend, filter), taps, g.outChannels, heapF32(backend, filterT));

  const pointwise =
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth;
  if (pointwise) {
    const product = matMul(backend, dy, filterT, g.batch * area, g.outChannels, taps);
    disposeIntermediate(backend, filterT);
    return { dataId: product.dataId, shape: inputShape, dtype: 'float32' };
  }

  const dx = zerosF32(backend, inputShape);
  const chunk = imagesPerChunk(g.batch, area, taps, maxColumnElements);
  for (let first = 0; first < g.batch; first += chunk) {
    const end = Math.min(g.batch, first + chunk);
    const positions = (end - first) * area;
    const dyChunk = chunk === g.batch ? dy : copyRows(backend, dy, g.outChannels, first * area, end * area);
    const col = matMul(backend, dyChunk, filterT, positions, g.outChannels, taps);
    if (dyChunk !== dy) disposeIntermediate(backend, dyChunk);
    col2imAdd(heapF32(backend, col), g, first, end, heapF32(backend, dx));
    disposeIntermediate(backend, col);
  }
  disposeIntermediate(backend, filterT);
  return dx;
}

const conv2DBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape, ...convAttrs } = attrs as unknown as Conv2DBackpropFilterAttrs;
  const g = convGeometry(
    'Conv2DBackpropFilter',
    x.shape,
    filterShape,
    dy.shape,
    convAttrs as ConvAttributes,
    false,
  );
  return conv2dFilterGradient(wasm, x, dy, g);
};

const conv2DBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, ...convAttrs } = attrs as unknown as Conv2DBackpropInputAttrs;
  const g = convGeometry(
    'Conv2DBackpropInput',
    inputShape,
    filter.shape,
    dy.shape,
    convAttrs as ConvAttributes,
    false,
  );
  return conv2dInputGradient(wasm, dy, filter, g);
};

/** Conv2DBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 does not provide. */
export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter,
};

/**
 * Conv2DBackpropInput for the wasm backend. It replaces the backend's own kernel, a scalar C++ loop,
 * with an XNNPACK product plus col2im.
 */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
