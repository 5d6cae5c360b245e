import {
  backend_util,
  type DepthwiseConv2dNativeAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { type ConvAttributes, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { type WasmBackendInternals, allocateF32, asWasmBackend } from './wasm-heap.js';

/**
 * Filters with more taps than this run on the SIMD kernel. For 5x5 filters on the [32, 28, 28, 48] and
 * [32, 14, 14, 156] layers of the students, XNNPACK in tfjs-backend-wasm 4.22 took 8.5 and 6.8 ms of CPU
 * time against 4.1 and 3.4 ms for the SIMD kernel (one AMD EPYC core). For 3x3 filters both took the
 * same time, so those stay on XNNPACK.
 */
const MAX_XNNPACK_TAPS = 9;

/** Returns the padded-image floats that the SIMD depthwise kernels use as scratch. */
export function paddedImageSize(g: ConvGeometry): number {
  const height = (g.outHeight - 1) * g.strideHeight + g.filterHeight;
  const width = (g.outWidth - 1) * g.strideWidth + g.filterWidth;
  return height * width * g.inChannels;
}

/**
 * Runs a depthwise convolution with channel multiplier 1 on the SIMD kernel, or returns undefined when
 * the SIMD kernels are unavailable.
 */
export function depthwiseConvSimd(
  backend: WasmBackendInternals,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo | undefined {
  const simd = simdKernels(backend);
  if (simd === undefined || g.channelMultiplier !== 1) return undefined;
  const y = allocateF32(backend, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
  const scratch = new HeapScratch(backend);
  const geometry = scratch.geometry(g);
  const padded = scratch.floats(paddedImageSize(g));
  simd.depthwise_conv(
    heapOffset(backend, x),
    heapOffset(backend, filter),
    geometry,
    padded,
    heapOffset(backend, y),
  );
  scratch.dispose();
  return y;
}

/**
 * DepthwiseConv2dNative with multiplier 1 and filters larger than 3x3 on the SIMD kernel. Everything
 * else (3x3 filters, other multipliers, dilation, NCHW, non-float32) runs the stock XNNPACK kernel.
 */
const depthwiseConv2dNative: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const convAttrs = attrs as unknown as DepthwiseConv2dNativeAttrs;
  const dilations = convAttrs.dilations ?? 1;
  const undilated = typeof dilations === 'number' ? dilations === 1 : dilations.every((d) => d === 1);
  const fits =
    x.dtype === 'float32' &&
    x.shape.length === 4 &&
    filter.shape.length === 4 &&
    filter.shape[3] === 1 &&
    filter.shape[0] * filter.shape[1] > MAX_XNNPACK_TAPS &&
    (convAttrs.dataFormat ?? 'NHWC') === 'NHWC' &&
    undilated;
  if (fits) {
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      convAttrs.strides,
      1,
      convAttrs.pad,
      convAttrs.dimRoundingMode,
      true,
    );
    const g = convGeometry(
      'DepthwiseConv2dNative',
      x.shape,
      filter.shape,
      info.outShape,
      convAttrs as unknown as ConvAttributes,
      true,
    );
    const y = depthwiseConvSimd(wasm, x, filter, g);
    if (y !== undefined) return y;
  }
  return runStockKernel('DepthwiseConv2dNative', { x, filter }, attrs, backend);
};

/** DepthwiseConv2dNative for the wasm backend, on the SIMD kernel for filters larger than 3x3. */
export const depthwiseConv2dNativeConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNative',
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNative,
  setupFunc: stockSetup('DepthwiseConv2dNative'),
};
