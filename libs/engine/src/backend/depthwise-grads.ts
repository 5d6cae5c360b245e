import type {
  DepthwiseConv2dNativeBackpropFilterAttrs,
  DepthwiseConv2dNativeBackpropInputAttrs,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvAttributes, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { paddedImageSize } from './depthwise-conv.js';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import {
  type WasmBackendInternals,
  allocateF32,
  asWasmBackend,
  disposeIntermediate,
  heapF32,
  runWasmKernel,
  zerosF32,
} from './wasm-heap.js';

// Depthwise gradients with channel multiplier 1 run on the SIMD kernels of simd/kernels.c. The input
// gradient of a stride-1 convolution is itself a depthwise convolution, so it runs on the
// DepthwiseConv2dNative kernel instead (XNNPACK for 3x3 filters, SIMD for larger ones). Other
// multipliers, and a backend without the SIMD kernels, run the JavaScript loops below, with the channel
// loop innermost, where both operands are contiguous.

/** Computes the filter gradient with the SIMD kernel, or returns undefined when it is unavailable. */
function depthwiseFilterGradientSimd(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (simd === undefined || g.channelMultiplier !== 1) return undefined;
  const size = g.filterHeight * g.filterWidth * g.inChannels;
  const out = allocateF32(backend, [g.filterHeight, g.filterWidth, g.inChannels, 1]);
  const scratch = new HeapScratch(backend);
  const geometry = scratch.geometry(g);
  const padded = scratch.floats(paddedImageSize(g));
  const acc = scratch.floats(size);
  const sums = scratch.doubles(size);
  simd.depthwise_filter_grad(heapOffset(backend, x), heapOffset(backend, dy), geometry, padded, acc, sums);
  heapF32(backend, out).set(scratch.viewDoubles(sums, size));
  scratch.dispose();
  return out;
}

/** Computes the input gradient with the SIMD kernel, or returns undefined when it is unavailable. */
function depthwiseInputGradientSimd(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (simd === undefined || g.channelMultiplier !== 1) return undefined;
  const dx = allocateF32(backend, [g.batch, g.inHeight, g.inWidth, g.inChannels]);
  const scratch = new HeapScratch(backend);
  const geometry = scratch.geometry(g);
  const padded = scratch.floats(paddedImageSize(g));
  simd.depthwise_input_grad(
    heapOffset(backend, dy),
    heapOffset(backend, filter),
    geometry,
    padded,
    heapOffset(backend, dx),
  );
  scratch.dispose();
  return dx;
}

/**
 * Computes dW[kh, kw, c, m] = sum over positions of x[ih, iw, c] * dy[c * multiplier + m]. Sums are
 * accumulated in float64 and rounded to float32 once at the end (the SIMD kernel sums each image in
 * float32 first).
 */
export function depthwiseFilterGradient(
  backend: WasmBackendInternals,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const simdResult = depthwiseFilterGradientSimd(backend, x, dy, g);
  if (simdResult !== undefined) return simdResult;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, channelMultiplier } =
    g;
  const outChannels = inChannels * channelMultiplier;
  const sums = new Float64Array(filterHeight * filterWidth * outChannels);
  const out = zerosF32(backend, [filterHeight, filterWidth, inChannels, channelMultiplier]);
  const xs = heapF32(backend, x);
  const dys = heapF32(backend, dy);
  let dyOffset = 0;

  for (let image = 0; image < g.batch; image++) {
    const xImage = image * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, dyOffset += outChannels) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const xOffset = xImage + (ih * inWidth + iw) * inChannels;
            const wOffset = (kh * filterWidth + kw) * outChannels;
            if (channelMultiplier === 1) {
              for (let c = 0; c < inChannels; c++) sums[wOffset + c] += xs[xOffset + c] * dys[dyOffset + c];
            } else {
              for (let c = 0; c < inChannels; c++) {
                const value = xs[xOffset + c];
                const base = c * channelMultiplier;
                for (let m = 0; m < channelMultiplier; m++) {
                  sums[wOffset + base + m] += value * dys[dyOffset + base + m];
                }
              }
            }
          }
        }
      }
    }
  }

  heapF32(backend, out).set(sums);
  return out;
}

/**
 * Computes the input gradient of a stride-1 depthwise convolution with multiplier 1 as the forward
 * depthwise convolution of dy with the spatially flipped filter, padded so the output has the input's
 * size: dx[i] = sum over kh of dy[i + padTop - kh] * W[kh]. Returns undefined when the padding this needs
 * is negative, which only explicit padding wider than the filter produces.
 */
function depthwiseInputGradientByConvolution(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo | undefined {
  const { filterHeight, filterWidth, inChannels } = g;
  const top = filterHeight - 1 - g.padTop;
  const left = filterWidth - 1 - g.padLeft;
  const bottom = g.inHeight - g.outHeight + filterHeight - 1 - top;
  const right = g.inWidth - g.outWidth + filterWidth - 1 - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return undefined;

  const flipped = allocateF32(backend, [filterHeight, filterWidth, inChannels, 1]);
  const source = heapF32(backend, filter);
  const target = heapF32(backend, flipped);
  for (let kh = 0; kh < filterHeight; kh++) {
    for (let kw = 0; kw < filterWidth; kw++) {
      const from = ((filterHeight - 1 - kh) * filterWidth + (filterWidth - 1 - kw)) * inChannels;
      target.set(source.subarray(from, from + inChannels), (kh * filterWidth + kw) * inChannels);
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
    'DepthwiseConv2dNative',
    { x: dy, filter: flipped },
    { strides: 1, pad, dilations: 1 },
  );
  disposeIntermediate(backend, flipped);
  return dx;
}

/** Computes dx[ih, iw, c] = sum over taps and multipliers of dy[c * multiplier + m] * W[kh, kw, c, m]. */
export function depthwiseInputGradient(
  backend: WasmBackendInternals,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  if (g.strideHeight === 1 && g.strideWidth === 1 && g.channelMultiplier === 1) {
    const dx = depthwiseInputGradientByConvolution(backend, dy, filter, g);
    if (dx !== undefined) return dx;
  }
  const simdResult = depthwiseInputGradientSimd(backend, dy, filter, g);
  if (simdResult !== undefined) return simdResult;
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth, channelMultiplier } =
    g;
  const outChannels = inChannels * channelMultiplier;
  const dx = zerosF32(backend, [g.batch, inHeight, inWidth, inChannels]);
  const dxs = heapF32(backend, dx);
  const dys = heapF32(backend, dy);
  const ws = heapF32(backend, filter);
  let dyOffset = 0;

  for (let image = 0; image < g.batch; image++) {
    const xImage = image * inHeight * inWidth * inChannels;
    for (let oh = 0; oh < outHeight; oh++) {
      for (let ow = 0; ow < outWidth; ow++, dyOffset += outChannels) {
        for (let kh = 0; kh < filterHeight; kh++) {
          const ih = oh * g.strideHeight - g.padTop + kh;
          if (ih < 0 || ih >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const iw = ow * g.strideWidth - g.padLeft + kw;
            if (iw < 0 || iw >= inWidth) continue;
            const xOffset = xImage + (ih * inWidth + iw) * inChannels;
            const wOffset = (kh * filterWidth + kw) * outChannels;
            if (channelMultiplier === 1) {
              for (let c = 0; c < inChannels; c++) dxs[xOffset + c] += dys[dyOffset + c] * ws[wOffset + c];
            } else {
              for (let c = 0; c < inChannels; c++) {
                const base = c * channelMultiplier;
                let sum = 0;
                for (let m = 0; m < channelMultiplier; m++)
                  sum += dys[dyOffset + base + m] * ws[wOffset + base + m];
                dxs[xOffset + c] += sum;
              }
            }
          }
        }
      }
    }
  }
  return dx;
}

const depthwiseBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { filterShape, ...convAttrs } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const g = convGeometry(
    'DepthwiseConv2dNativeBackpropFilter',
    x.shape,
    filterShape,
    dy.shape,
    convAttrs as ConvAttributes,
    true,
  );
  return depthwiseFilterGradient(wasm, x, dy, g);
};

const depthwiseBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, ...convAttrs } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const g = convGeometry(
    'DepthwiseConv2dNativeBackpropInput',
    inputShape,
    filter.shape,
    dy.shape,
    convAttrs as ConvAttributes,
    true,
  );
  return depthwiseInputGradient(wasm, dy, filter, g);
};

/** DepthwiseConv2dNativeBackpropFilter for the wasm backend, which tfjs-backend-wasm 4.22 does not provide. */
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter,
};

/** DepthwiseConv2dNativeBackpropInput for the wasm backend, which tfjs-backend-wasm 4.22 does not provide. */
export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput,
};
