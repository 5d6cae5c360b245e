import {
  backend_util,
  type KernelConfig,
  type KernelFunc,
  type MeanAttrs,
  type SumAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { HeapScratch, heapOffset, simdKernels } from './simd-kernels.js';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { allocateF32, asWasmBackend, heapF32 } from './wasm-heap.js';

// tfjs-backend-wasm 4.22 reduces only innermost axes, so Sum and Mean over the batch and spatial axes of
// an NHWC tensor (batch-norm moments, global average pooling and their gradients) first transpose the
// whole tensor. These kernels read the tensor in place instead whenever the reduced axes are contiguous.

/** A float32 tensor seen as [outer, reduced, inner], where the middle axis is summed. */
interface ContiguousReduction {
  outer: number;
  reduced: number;
  inner: number;
  /** Output shape without keepDims. */
  outShape: number[];
  axes: number[];
}

/**
 * Returns the [outer, reduced, inner] view of reducing `shape` over `axis`, or undefined when the sorted
 * axes are empty or not contiguous.
 */
export function contiguousReduction(
  shape: readonly number[],
  axis: number | number[],
): ContiguousReduction | undefined {
  const axes = [...new Set(util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
  if (axes.length === 0) return undefined;
  const first = axes[0];
  const last = axes[axes.length - 1];
  if (last - first + 1 !== axes.length) return undefined;

  const product = (from: number, to: number) => shape.slice(from, to).reduce((a, b) => a * b, 1);
  return {
    outer: product(0, first),
    reduced: product(first, last + 1),
    inner: product(last + 1, shape.length),
    outShape: shape.filter((_, index) => index < first || index > last),
    axes,
  };
}

/**
 * Writes the sums over the middle axis of `x` seen as [outer, reduced, inner] into `out` [outer, inner],
 * each multiplied by `factor`. Sums are accumulated in float64, as the cpu backend does.
 */
export function sumMiddleAxis(
  x: Float32Array,
  outer: number,
  reduced: number,
  inner: number,
  factor: number,
  out: Float32Array,
): void {
  if (inner === 1) {
    let offset = 0;
    for (let o = 0; o < outer; o++) {
      let sum = 0;
      for (let r = 0; r < reduced; r++) sum += x[offset + r];
      offset += reduced;
      out[o] = sum * factor;
    }
    return;
  }
  const sums = new Float64Array(inner);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    for (let r = 0; r < reduced; r++, offset += inner) {
      for (let i = 0; i < inner; i++) sums[i] += x[offset + i];
    }
    const base = o * inner;
    for (let i = 0; i < inner; i++) out[base + i] = sums[i] * factor;
  }
}

function reduceKernel(kernelName: 'Sum' | 'Mean'): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const wasm = asWasmBackend(backend);
    const { x } = inputs as { x: TensorInfo };
    const { axis, keepDims } = attrs as unknown as SumAttrs | MeanAttrs;
    const view = x.dtype === 'float32' ? contiguousReduction(x.shape, axis) : undefined;
    if (view === undefined || view.reduced === 0) return runStockKernel(kernelName, { x }, attrs, backend);

    const outShape = keepDims ? backend_util.expandShapeToKeepDim(view.outShape, view.axes) : view.outShape;
    const out = allocateF32(wasm, outShape);
    const factor = kernelName === 'Mean' ? 1 / view.reduced : 1;
    const simd = simdKernels(wasm);
    if (simd === undefined) {
      sumMiddleAxis(heapF32(wasm, x), view.outer, view.reduced, view.inner, factor, heapF32(wasm, out));
      return out;
    }
    const scratch = new HeapScratch(wasm);
    const sums = scratch.doubles(view.inner);
    const { outer, reduced, inner } = view;
    simd.sum_middle_axis(heapOffset(wasm, x), outer, reduced, inner, factor, heapOffset(wasm, out), sums);
    scratch.dispose();
    return out;
  };
}

/** Sum for the wasm backend without a transpose when the reduced axes are contiguous. */
export const sumConfig: KernelConfig = {
  kernelName: 'Sum',
  backendName: 'wasm',
  kernelFunc: reduceKernel('Sum'),
  setupFunc: stockSetup('Sum'),
};

/** Mean for the wasm backend without a transpose when the reduced axes are contiguous. */
export const meanConfig: KernelConfig = {
  kernelName: 'Mean',
  backendName: 'wasm',
  kernelFunc: reduceKernel('Mean'),
  setupFunc: stockSetup('Mean'),
};
