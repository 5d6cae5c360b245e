import {
  type AvgPoolGradAttrs,
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MaxPoolGradAttrs,
  type TensorInfo,
  type UnsortedSegmentSumAttrs,
} from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { allocateF32, asWasmBackend, heapF32, heapI32, zerosF32 } from './wasm-heap.js';

/**
 * Routes each dy value to the first maximum of its pooling window, scanning rows then columns, which is
 * what the CPU backend does. Padding never wins, and a window without a value above -Infinity (all
 * -Infinity or NaN) passes no gradient.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
  if (input.shape.length !== 4) {
    throw new AkdError(
      'INVALID_INPUT',
      `MaxPoolGrad expects a rank-4 NHWC input, got shape [${input.shape.join(', ')}].`,
    );
  }
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;

  const dx = zerosF32(wasm, [...input.shape]);
  const xs = heapF32(wasm, input);
  const dys = heapF32(wasm, dy);
  const dxs = heapF32(wasm, dx);

  for (let image = 0; image < info.batchSize; image++) {
    const imageBase = image * inHeight * inWidth * channels;
    for (let oh = 0; oh < outHeight; oh++) {
      const rowStart = oh * info.strideHeight - info.padInfo.top;
      const rowFirst = Math.max(0, rowStart);
      const rowEnd = Math.min(inHeight, rowStart + info.filterHeight);
      for (let ow = 0; ow < outWidth; ow++) {
        const colStart = ow * info.strideWidth - info.padInfo.left;
        const colFirst = Math.max(0, colStart);
        const colEnd = Math.min(inWidth, colStart + info.filterWidth);
        const dyBase = ((image * outHeight + oh) * outWidth + ow) * channels;
        for (let c = 0; c < channels; c++) {
          let maxValue = Number.NEGATIVE_INFINITY;
          let maxIndex = -1;
          for (let ih = rowFirst; ih < rowEnd; ih++) {
            for (let iw = colFirst; iw < colEnd; iw++) {
              const index = imageBase + (ih * inWidth + iw) * channels + c;
              if (xs[index] > maxValue) {
                maxValue = xs[index];
                maxIndex = index;
              }
            }
          }
          if (maxIndex >= 0) dxs[maxIndex] += dys[dyBase + c];
        }
      }
    }
  }
  return dx;
};

/**
 * Average-pooling gradient on the SIMD kernels, with the semantics of tfjs 4.22 on every backend: each
 * window passes dy / (filterHeight * filterWidth) to every input cell it covers. That includes windows
 * that overlap the padding, although the forward AvgPool divides those by the number of cells inside the
 * input. Runs the stock kernel when the SIMD kernels are unavailable.
 */
const avgPoolGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const simd = simdKernels(wasm);
  if (simd === undefined || input.shape.length !== 4 || dy.dtype !== 'float32') {
    return runStockKernel('AvgPoolGrad', { dy, input }, attrs, backend);
  }

  const { filterSize, strides, pad } = attrs as unknown as AvgPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
  );
  const dx = allocateF32(wasm, [...input.shape]);
  const scratch = new HeapScratch(wasm);
  const geometry = scratch.ints([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);

  const multiplier = 1 / (info.filterHeight * info.filterWidth);
  simd.avg_pool_grad(heapOffset(wasm, dy), geometry, multiplier, heapOffset(wasm, dx));
  scratch.dispose();
  return dx;
};

/**
 * Sums the rows of `x` (slices along axis 0) that share a segment id into `numSegments` rows. Ids outside [0, numSegments) are
 * dropped, as on the CPU backend. Only float32 `x` is supported, which covers every gradient use.
 */
const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32') {
    throw new AkdError(
      'INVALID_INPUT',
      `UnsortedSegmentSum on the wasm backend supports float32 x and int32 segmentIds, got ${x.dtype} and ${segmentIds.dtype}.`,
    );
  }
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
    throw new AkdError(
      'INVALID_INPUT',
      `UnsortedSegmentSum expects one segment id per row of x, got ids of shape [${segmentIds.shape.join(', ')}] ` +
        `for x of shape [${x.shape.join(', ')}].`,
    );
  }
  const rowShape = x.shape.slice(1);
  const rowSize = rowShape.reduce((a, b) => a * b, 1);

  const out = zerosF32(wasm, [numSegments, ...rowShape]);
  const xs = heapF32(wasm, x);
  const ids = heapI32(wasm, segmentIds);
  const outs = heapF32(wasm, out);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const src = row * rowSize;
    const dst = segment * rowSize;
    for (let i = 0; i < rowSize; i++) outs[dst + i] += xs[src + i];
  }
  return out;
};

/**
 * MaxPoolGrad for the wasm backend. It replaces the backend's own kernel, whose gradients in
 * tfjs-backend-wasm 4.22 differ from the cpu backend's even for 2x2 windows with stride 2 and valid
 * padding, and drop the windows that overlap 'same' padding.
 */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: maxPoolGrad,
};

/** UnsortedSegmentSum (the gradient of gather) for the wasm backend, which tfjs-backend-wasm 4.22 lacks. */
export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};

/** AvgPoolGrad for the wasm backend on the SIMD kernels, replacing the stock kernel, which is slower. */
export const avgPoolGradConfig: KernelConfig = {
  kernelName: 'AvgPoolGrad',
  backendName: 'wasm',
  kernelFunc: avgPoolGrad,
  setupFunc: stockSetup('AvgPoolGrad'),
};
