import type {
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvAttributes, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { paddedImageSize } from './depthwise-conv.js';
import { col2imAdd, im2colByTap, transpose2d } from './patches.js';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import {
  type WasmBackendInternals,
  allocateF32,
  asWasmBackend,
  disposeIntermediate,
  heapF32,
  matMul,
  runWasmKernel,
  zerosF32,
} from './wasm-heap.js';

/**
 * Upper bound on the floats of one column matrix. Larger batches are processed in chunks of whole
 * images, which bounds the extra heap at 4 * this many bytes per gradient kernel.
 */
const MAX_COLUMN_ELEMENTS = 1 << 22;

/**
 * Minimum input channels for conv_input_grad. Its register tiles span 8 or 4 input channels. With 1 or 3
 * channels (the first layer of an image network) it took 1.2 to 1.6 times as long as the product plus
 * col2im on one Xeon core.
 */
const MIN_SCATTER_CHANNELS = 4;

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

/** Writes the im2col matrix of images [first, end) of `x` into `col`, on the SIMD kernels when available. */
function writeColumns(
  backend: WasmBackendInternals,
  x: TensorInfo,
  g: ConvGeometry,
  first: number,
  end: number,
  col: TensorInfo,
): void {
  const simd = simdKernels(backend);
  if (simd === undefined) {
    im2colByTap(heapF32(backend, x), g, first, end, heapF32(backend, col));
    return;
  }
  const scratch = new HeapScratch(backend);
  simd.im2col_by_tap(heapOffset(backend, x), scratch.geometry(g), first, end, heapOffset(backend, col));
  scratch.dispose();
}

/** Adds the column matrix of images [first, end) into `dx` (col2im), on the SIMD kernels when available. */
function addColumns(
  backend: WasmBackendInternals,
  col: TensorInfo,
  g: ConvGeometry,
  first: number,
  end: number,
  dx: TensorInfo,
): void {
  const simd = simdKernels(backend);
  if (simd === undefined) {
    col2imAdd(heapF32(backend, col), g, first, end, heapF32(backend, dx));
    return;
  }
  const scratch = new HeapScratch(backend);
  simd.col2im_add(heapOffset(backend, col), scratch.geometry(g), first, end, heapOffset(backend, dx));
  scratch.dispose();
}

/** Writes the transpose of the [rows, cols] tensor `source` into `target`, on the SIMD kernels when available. */
function transposeOnHeap(
  backend: WasmBackendInternals,
  source: TensorInfo,
  rows: number,
  cols: number,
  target: TensorInfo,
): void {
  const simd = simdKernels(backend);
  if (simd === undefined) transpose2d(heapF32(backend, source), rows, cols, heapF32(backend, target));
  else simd.transpose(heapOffset(backend, source), rows, cols, heapOffset(backend, target));
}

/** Returns whether the convolution is 1x1 with stride 1 and no padding, so that its patches are x itself. */
function isPointwise(g: ConvGeometry): boolean {
  return (
    g.filterHeight === 1 &&
    g.filterWidth === 1 &&
    g.strideHeight === 1 &&
    g.strideWidth === 1 &&
    g.padTop === 0 &&
    g.padLeft === 0 &&
    g.outHeight === g.inHeight &&
    g.outWidth === g.inWidth
  );
}

/**
 * Computes the filter gradient of a pointwise convolution as dW^T [outChannels, inChannels] = dy^T
 * [outChannels, positions] x x [positions, inChannels] and transposes the small result.
 *
 * XNNPACK packs the second operand of every product anew for each new tensor, at 3 to 8 ns per element,
 * while the product itself runs at about 0.1 ns per multiply-add. Packing dy [6272, 156] took 7.4 ms
 * against 3.9 ms for the product (tfjs-backend-wasm 4.22, one AMD EPYC core), so with fewer input than
 * output channels, packing x is cheaper. The product gets a copy of x because
 * BatchMatMul caches packed operands by buffer id, whatever the shape, until the buffer is freed.
 */
function pointwiseFilterGradientByTranspose(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const positions = g.batch * g.outHeight * g.outWidth;
  const dyT = allocateF32(backend, [g.outChannels, positions]);
  transposeOnHeap(backend, dy, positions, g.outChannels, dyT);
  const xCopy = copyRows(backend, x, g.inChannels, 0, positions);
  const product = matMul(backend, dyT, xCopy, g.outChannels, positions, g.inChannels);
  disposeIntermediate(backend, dyT);
  disposeIntermediate(backend, xCopy);

  const dW = allocateF32(backend, [1, 1, g.inChannels, g.outChannels]);
  transpose2d(heapF32(backend, product), g.outChannels, g.inChannels, heapF32(backend, dW));
  disposeIntermediate(backend, product);
  return dW;
}

/**
 * Computes dW[kh, kw, ci, co] = sum over positions of patch(x)[kh, kw, ci] * dy[co]. With the SIMD
 * kernels, conv_filter_grad sums register tiles over the positions of each image straight from x and dy,
 * with no column matrix. On the 3x3 layers of bench/wasm-kernels.ts (one Xeon core), it ran at the speed
 * of the forward convolution, 1.4 to 2 times faster than im2col plus XNNPACK. Without them, the product
 * col [taps, positions] x dy [positions, outChannels] runs on XNNPACK, where col is built by im2col on the
 * heap and chunks of whole images are accumulated in place. Pointwise convolutions with fewer input than
 * output channels take the transposed product of {@link pointwiseFilterGradientByTranspose} instead.
 */
export function conv2dFilterGradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  maxColumnElements = MAX_COLUMN_ELEMENTS,
): TensorInfo {
  const simd = simdKernels(backend);
  if (simd !== undefined) {
    const dW = allocateF32(backend, [g.filterHeight, g.filterWidth, g.inChannels, g.outChannels]);
    const scratch = new HeapScratch(backend);
    const geometry = scratch.geometry(g);
    const padded = scratch.floats(paddedImageSize(g));
    simd.conv_filter_grad(
      heapOffset(backend, x),
      heapOffset(backend, dy),
      geometry,
      g.outChannels,
      padded,
      heapOffset(backend, dW),
    );
    scratch.dispose();
    return dW;
  }
  if (isPointwise(g) && g.inChannels < g.outChannels && g.batch > 0) {
    return pointwiseFilterGradientByTranspose(backend, x, dy, g);
  }
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const area = g.outHeight * g.outWidth;
  const chunk = imagesPerChunk(g.batch, area, taps, maxColumnElements);
  let result: TensorInfo | undefined;

  for (let first = 0; first < g.batch; first += chunk) {
    const end = Math.min(g.batch, first + chunk);
    const positions = (end - first) * area;
    const col = allocateF32(backend, [taps, positions]);
    const dyChunk = chunk === g.batch ? dy : copyRows(backend, dy, g.outChannels, first * area, end * area);
    writeColumns(backend, x, g, first, end, col);

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
 * Computes the input gradient of a stride-1 convolution as the forward convolution of dy with the
 * spatially flipped filter whose channel axes are swapped, padded so the output has the input's size:
 * dx[i, ci] = sum over kh and co of dy[i + padTop - kh, co] * W[kh, ci, co]. XNNPACK runs it at the
 * speed of the forward pass. Returns undefined when the padding this needs is negative, which only
 * explicit padding wider than the filter produces.
 */
function conv2dInputGradientByConvolution(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo | undefined {
  const { filterHeight, filterWidth, inChannels, outChannels } = g;
  const top = filterHeight - 1 - g.padTop;
  const left = filterWidth - 1 - g.padLeft;
  const bottom = g.inHeight - g.outHeight + filterHeight - 1 - top;
  const right = g.inWidth - g.outWidth + filterWidth - 1 - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;

  const flipped = allocateF32(backend, [filterHeight, filterWidth, outChannels, inChannels]);
  const source = heapF32(backend, filter);
  const target = heapF32(backend, flipped);
  const tapSize = inChannels * outChannels;
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * tapSize;
      const to = (kh * filterWidth + kw) * tapSize;
      for (let ci = 0; ci < inChannels; ci++) {
        for (let co = 0; co < outChannels; co++)
          target[to + co * inChannels + ci] = source[from + ci * outChannels + co];
      }
    }
  }

  const pad = [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
  const dx = runWasmKernel(
    backend,
    'Conv2D',
    { x: dy, filter: flipped },
    { strides: 1, pad, dilations: 1, dataFormat: 'NHWC' },
  );
  disposeIntermediate(backend, flipped);
  return dx;
}

/**
 * Computes dx. A 1x1 convolution with stride 1 and no padding is the product dy [positions,
 * outChannels] x W^T [outChannels, taps] on XNNPACK. With the SIMD kernels, the others run on
 * conv_input_grad, which scatters register tiles of dy x W^T into a padded image. On the layers of
 * bench/wasm-kernels.ts (one Xeon core), it ran at about the speed of the forward convolution. That is 1.4
 * to 1.7 times faster than the product plus col2im for stride 2, and 1.1 times faster than the forward
 * convolution of {@link conv2dInputGradientByConvolution} for stride 1. Without them, stride-1 convolutions run as that
 * forward convolution, and the rest take the product followed by col2im, which adds each patch gradient
 * back into dx.
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

  const pointwise = isPointwise(g);
  const simd = simdKernels(backend);
  if (simd !== undefined && g.inChannels >= MIN_SCATTER_CHANNELS && g.batch > 0) {
    const dx = allocateF32(backend, inputShape);
    const scratch = new HeapScratch(backend);
    const geometry = scratch.geometry(g);
    const filterT = scratch.floats(taps * g.outChannels);
    const padded = scratch.floats(paddedImageSize(g));
    simd.conv_input_grad(
      heapOffset(backend, dy),
      heapOffset(backend, filter),
      geometry,
      g.outChannels,
      filterT,
      padded,
      heapOffset(backend, dx),
    );
    scratch.dispose();
    return dx;
  }
  if (!pointwise && g.strideHeight === 1 && g.strideWidth === 1) {
    const dx = conv2dInputGradientByConvolution(backend, dy, filter, g);
    if (dx !== undefined) return dx;
  }

  const filterT = allocateF32(backend, [g.outChannels, taps]);
  transpose2d(heapF32(backend, filter), taps, g.outChannels, heapF32(backend, filterT));
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
    addColumns(backend, col, g, first, end, dx);
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
 * Conv2DBackpropInput for the wasm backend. It replaces the backend's own kernel, a scalar C++ loop, with
 * the SIMD kernels or XNNPACK (see {@link conv2dInputGradient}).
 */
export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput,
};
