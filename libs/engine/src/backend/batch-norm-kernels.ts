import type { FusedBatchNormAttrs, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { type WasmBackendInternals, allocateF32, asWasmBackend, heapF32 } from './wasm-heap.js';

// Batch normalization with one mean, variance, scale and offset per channel of the last axis, which is
// how tfjs-layers' BatchNormalization calls FusedBatchNorm in training mode.

/**
 * Name of the kernel that computes every gradient of FusedBatchNorm in one pass. It is not a TensorFlow
 * kernel, so the prefix keeps it apart from any kernel a later tfjs version adds.
 */
export const BATCH_NORM_GRAD_KERNEL = 'AkdFusedBatchNormGrad';

/** Per-channel results of the gradient pass. */
interface PerChannelGradients {
  dMean: Float32Array;
  dVariance: Float32Array;
  dScale: Float32Array;
  dOffset: Float32Array;
}

/** Returns 1 / sqrt(variance + epsilon) per channel, in float64. */
function reciprocalStd(variance: Float32Array, epsilon: number): Float64Array {
  const rstd = new Float64Array(variance.length);
  for (let c = 0; c < variance.length; c++) rstd[c] = 1 / Math.sqrt(variance[c] + epsilon);
  return rstd;
}

/** Writes scale * rstd per channel into `target`; `scale` null means a scale of 1. */
function writeScaledRstd(rstd: Float64Array, scale: Float32Array | null, target: Float32Array): void {
  for (let c = 0; c < rstd.length; c++) target[c] = (scale === null ? 1 : scale[c]) * rstd[c];
}

/** Computes the per-channel gradients from sum(dy) and sum(dy * (x - mean)). */
function writePerChannelGradients(
  sumDy: Float64Array,
  sumDyCentered: Float64Array,
  rstd: Float64Array,
  scale: Float32Array | null,
  out: PerChannelGradients,
): void {
  for (let c = 0; c < rstd.length; c++) {
    const s = scale === null ? 1 : scale[c];
    const r = rstd[c];
    out.dMean[c] = -s * r * sumDy[c];
    out.dVariance[c] = -0.5 * s * r * r * r * sumDyCentered[c];
    out.dScale[c] = r * sumDyCentered[c];
    out.dOffset[c] = sumDy[c];
  }
}

/**
 * Computes the gradients of y = (x - mean) * scale / sqrt(variance + epsilon) + offset, where mean,
 * variance and scale have one value per channel of the last axis of x. With r = 1 / sqrt(variance +
 * epsilon), the gradients are dx = dy * scale * r, dMean = -scale * r * sum(dy), dVariance =
 * -scale * r^3 / 2 * sum(dy * (x - mean)), dScale = r * sum(dy * (x - mean)) and dOffset = sum(dy), with
 * sums over all axes but the last. `scale` null means a scale of 1.
 *
 * This is the JavaScript version, used when the SIMD kernels are unavailable. One pass over x and dy
 * computes the sums, in float64, and writes dx.
 */
export function batchNormGradient(
  x: Float32Array,
  dy: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  scale: Float32Array | null,
  epsilon: number,
  out: PerChannelGradients & { dx: Float32Array },
): void {
  const channels = mean.length;
  const rstd = reciprocalStd(variance, epsilon);
  const dxFactor = new Float32Array(channels);
  writeScaledRstd(rstd, scale, dxFactor);

  const sumDy = new Float64Array(channels);
  const sumDyCentered = new Float64Array(channels);
  const { dx } = out;
  for (let offset = 0; offset < x.length; offset += channels) {
    for (let c = 0; c < channels; c++) {
      const g = dy[offset + c];
      sumDy[c] += g;
      sumDyCentered[c] += g * (x[offset + c] - mean[c]);
      dx[offset + c] = g * dxFactor[c];
    }
  }
  writePerChannelGradients(sumDy, sumDyCentered, rstd, scale, out);
}

/** Returns whether every tensor in `perChannel` is a vector with one value per channel of `x`. */
function isPerChannel(x: TensorInfo, perChannel: (TensorInfo | undefined)[]): boolean {
  const channels = x.shape[x.shape.length - 1];
  return (
    x.shape.length > 0 &&
    perChannel.every((t) => t === undefined || (t.shape.length === 1 && t.shape[0] === channels))
  );
}

/** Runs the gradient pass with the SIMD kernel. Returns false when the SIMD kernels are unavailable. */
function batchNormGradientSimd(
  backend: WasmBackendInternals,
  tensors: { x: TensorInfo; dy: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo },
  epsilon: number,
  outputs: {
    dx: TensorInfo;
    dMean: TensorInfo;
    dVariance: TensorInfo;
    dScale: TensorInfo;
    dOffset: TensorInfo;
  },
): boolean {
  const simd = simdKernels(backend);
  if (simd === undefined) return false;
  const { x, dy, mean, variance, scale } = tensors;
  const channels = mean.shape[0];
  const scratch = new HeapScratch(backend);
  const dxFactor = scratch.floats(channels);
  const sumDy = scratch.doubles(channels);
  const sumDyCentered = scratch.doubles(channels);

  const scaleValues = scale === undefined ? null : heapF32(backend, scale);
  const rstd = reciprocalStd(heapF32(backend, variance), epsilon);
  writeScaledRstd(rstd, scaleValues, new Float32Array(backend.wasm.HEAPU8.buffer, dxFactor, channels));
  const rows = heapF32(backend, x).length / channels;
  simd.batch_norm_grad(
    heapOffset(backend, x),
    heapOffset(backend, dy),
    rows,
    channels,
    heapOffset(backend, mean),
    dxFactor,
    heapOffset(backend, outputs.dx),
    sumDy,
    sumDyCentered,
  );
  writePerChannelGradients(
    scratch.viewDoubles(sumDy, channels),
    scratch.viewDoubles(sumDyCentered, channels),
    rstd,
    scale === undefined ? null : heapF32(backend, scale),
    {
      dMean: heapF32(backend, outputs.dMean),
      dVariance: heapF32(backend, outputs.dVariance),
      dScale: heapF32(backend, outputs.dScale),
      dOffset: heapF32(backend, outputs.dOffset),
    },
  );
  scratch.dispose();
  return true;
}

const fusedBatchNormGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const tensors = inputs as {
    x: TensorInfo;
    dy: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    scale?: TensorInfo;
  };
  const { x, dy, mean, variance, scale } = tensors;
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  if (!isPerChannel(x, [mean, variance, scale]) || dy.shape.join(',') !== x.shape.join(',')) {
    throw new AkdError(
      'INVALID_INPUT',
      `${BATCH_NORM_GRAD_KERNEL} expects dy shaped like x and mean, variance and scale with one value per ` +
        `channel of x, got x [${x.shape.join(', ')}], dy [${dy.shape.join(', ')}], ` +
        `mean [${mean.shape.join(', ')}], variance [${variance.shape.join(', ')}] and ` +
        `scale [${scale?.shape.join(', ') ?? 'none'}].`,
    );
  }

  const channels = mean.shape[0];
  const dx = allocateF32(wasm, [...x.shape]);
  const [dMean, dVariance, dScale, dOffset] = [0, 1, 2, 3].map(() => allocateF32(wasm, [channels]));
  const outputs = { dx, dMean, dVariance, dScale, dOffset };
  if (!batchNormGradientSimd(wasm, tensors, varianceEpsilon, outputs)) {
    batchNormGradient(
      heapF32(wasm, x),
      heapF32(wasm, dy),
      heapF32(wasm, mean),
      heapF32(wasm, variance),
      scale === undefined ? null : heapF32(wasm, scale),
      varianceEpsilon,
      {
        dx: heapF32(wasm, dx),
        dMean: heapF32(wasm, dMean),
        dVariance: heapF32(wasm, dVariance),
        dScale: heapF32(wasm, dScale),
        dOffset: heapF32(wasm, dOffset),
      },
    );
  }
  return [dx, dMean, dVariance, dScale, dOffset];
};

/**
 * FusedBatchNorm with per-channel vectors on the SIMD kernels, computing y = offset + (x - mean) * scale /
 * sqrt(variance + epsilon) in float64 like the cpu backend, so that both give the same bits. Other
 * inputs, and a backend without the SIMD kernels, run the stock kernel, which takes about 5 ns per
 * element for per-channel vectors.
 */
const fusedBatchNorm: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x, mean, variance, offset, scale } = inputs as {
    x: TensorInfo;
    mean: TensorInfo;
    variance: TensorInfo;
    offset?: TensorInfo;
    scale?: TensorInfo;
  };
  const simd = simdKernels(wasm);
  if (simd === undefined || x.dtype !== 'float32' || !isPerChannel(x, [mean, variance, offset, scale])) {
    return runStockKernel('FusedBatchNorm', inputs as Record<string, TensorInfo>, attrs, backend);
  }
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const channels = mean.shape[0];
  const y = allocateF32(wasm, [...x.shape]);
  const scratch = new HeapScratch(wasm);
  const parameters = [0, 1, 2, 3].map(() => scratch.doubles(channels));
  const [meanValues, scaleValues, rootValues, offsetValues] = parameters.map((offset) =>
    scratch.viewDoubles(offset, channels),
  );

  meanValues.set(heapF32(wasm, mean));
  const varianceValues = heapF32(wasm, variance);
  for (let c = 0; c < channels; c++) rootValues[c] = Math.sqrt(varianceValues[c] + varianceEpsilon);
  if (scale === undefined) scaleValues.fill(1);
  else scaleValues.set(heapF32(wasm, scale));
  if (offset === undefined) offsetValues.fill(0);
  else offsetValues.set(heapF32(wasm, offset));

  const rows = heapF32(wasm, x).length / channels;
  const [meanOffset, scaleOffset, rootOffset, offsetOffset] = parameters;
  simd.batch_norm(
    heapOffset(wasm, x),
    rows,
    channels,
    meanOffset,
    scaleOffset,
    rootOffset,
    offsetOffset,
    heapOffset(wasm, y),
  );
  scratch.dispose();
  return y;
};

/**
 * {@link BATCH_NORM_GRAD_KERNEL} for the wasm backend. Inputs x, dy, mean, variance and optionally scale;
 * attribute varianceEpsilon; outputs dx, dMean, dVariance, dScale and dOffset.
 */
export const batchNormGradConfig: KernelConfig = {
  kernelName: BATCH_NORM_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: fusedBatchNormGrad,
};

/** FusedBatchNorm for the wasm backend, on the SIMD kernels for per-channel vectors. */
export const fusedBatchNormConfig: KernelConfig = {
  kernelName: 'FusedBatchNorm',
  backendName: 'wasm',
  kernelFunc: fusedBatchNorm,
  setupFunc: stockSetup('FusedBatchNorm'),
};
