import {
  backend_util,
  type Conv2DAttrs,
  type FusedConv2DAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvAttributes, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { paddedImageSize } from './depthwise-conv.js';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { type WasmBackendInternals, allocateF32, asWasmBackend } from './wasm-heap.js';

/**
 * Convolutions with fewer input channels than this and filters larger than 1x1 run on the SIMD kernel.
 * For the 3x3 first layer of bench/wasm-kernels.ts ([64, 28, 28, 1] to 32 channels), XNNPACK in
 * tfjs-backend-wasm 4.22 took 2.1 ms of CPU time against 1.4 ms for conv_forward (one Xeon core). On the
 * layers with 32 and 64 input channels, both took about the same time, and for a 1x1 filter from 1 to 72
 * channels XNNPACK took 2.5 ms against 2.9 ms, so those stay on XNNPACK.
 */
const MAX_SIMD_CHANNELS = 4;

/**
 * Runs a convolution with optional bias and ReLU on the SIMD kernel, or returns undefined when the SIMD
 * kernels are unavailable.
 */
export function conv2dForwardSimd(
  backend: WasmBackendInternals,
  x: TensorInfo,
  filter: TensorInfo,
  bias: TensorInfo | undefined,
  relu: boolean,
  g: ConvGeometry,
): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (simd === undefined) return undefined;
  const y = allocateF32(backend, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
  const scratch = new HeapScratch(backend);
  const geometry = scratch.geometry(g);
  const padded = scratch.floats(paddedImageSize(g));
  let biasOffset: number;
  if (bias === undefined) {
    biasOffset = scratch.floats(g.outChannels);
    new Float32Array(backend.wasm.HEAPU8.buffer, biasOffset, g.outChannels).fill(0);
  } else {
    biasOffset = heapOffset(backend, bias);
  }
  simd.conv_forward(
    heapOffset(backend, x),
    heapOffset(backend, filter),
    biasOffset,
    geometry,
    g.outChannels,
    relu ? 1 : 0,
    padded,
    heapOffset(backend, y),
  );
  scratch.dispose();
  return y;
}

/**
 * Returns the geometry of a convolution that conv_forward takes: float32 NHWC input with fewer than
 * MAX_SIMD_CHANNELS channels, a filter larger than 1x1 and no dilation. Returns undefined for every other
 * convolution.
 */
function simdGeometry(
  kernelName: string,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: Conv2DAttrs,
): ConvGeometry | undefined {
  const dilations = attrs.dilations;
  const undilated = typeof dilations === 'number' ? dilations === 1 : dilations.every((d) => d === 1);
  const fits =
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    x.shape.length === 4 &&
    filter.shape.length === 4 &&
    x.shape[3] < MAX_SIMD_CHANNELS &&
    filter.shape[0] * filter.shape[1] > 1 &&
    filter.shape[2] === x.shape[3] &&
    attrs.dataFormat === 'NHWC' &&
    undilated;
  if (!fits) return undefined;
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return convGeometry(kernelName, x.shape, filter.shape, info.outShape, attrs as ConvAttributes, false);
}

/**
 * Conv2D with few input channels and a filter larger than 1x1 on the SIMD kernel. Everything else runs the
 * stock XNNPACK kernel.
 */
const conv2D: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const g = simdGeometry('Conv2D', x, filter, attrs as unknown as Conv2DAttrs);
  const y =
    g === undefined ? undefined : conv2dForwardSimd(asWasmBackend(backend), x, filter, undefined, false, g);
  return y ?? runStockKernel('Conv2D', { x, filter }, attrs, backend);
};

/**
 * FusedConv2D with few input channels, a filter larger than 1x1, a bias of one value per output channel
 * or none, and no activation or ReLU on the SIMD kernel. Everything else runs the stock XNNPACK kernel.
 */
const fusedConv2D: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as {
    x: TensorInfo;
    filter: TensorInfo;
    bias?: TensorInfo;
    preluActivationWeights?: TensorInfo;
  };
  const fusedAttrs = attrs as unknown as FusedConv2DAttrs;
  const activation = fusedAttrs.activation;
  const outChannels = filter.shape[3] ?? 0;
  const simpleBias =
    bias === undefined ||
    (bias.dtype === 'float32' && bias.shape.reduce((a, b) => a * b, 1) === outChannels && outChannels > 0);
  const g =
    simpleBias && preluActivationWeights === undefined && (activation === 'linear' || activation === 'relu')
      ? simdGeometry('FusedConv2D', x, filter, fusedAttrs)
      : undefined;
  const y =
    g === undefined
      ? undefined
      : conv2dForwardSimd(asWasmBackend(backend), x, filter, bias, activation === 'relu', g);
  return y ?? runStockKernel('FusedConv2D', inputs as Record<string, TensorInfo>, attrs, backend);
};

/** Conv2D for the wasm backend, on the SIMD kernel for inputs with fewer than 4 channels (see conv2D). */
export const conv2DConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: conv2D,
  setupFunc: stockSetup('Conv2D'),
};

/** FusedConv2D for the wasm backend, on the SIMD kernel for inputs with fewer than 4 channels (see fusedConv2D). */
export const fusedConv2DConfig: KernelConfig = {
  kernelName: 'FusedConv2D',
  backendName: 'wasm',
  kernelFunc: fusedConv2D,
  setupFunc: stockSetup('FusedConv2D'),
};
