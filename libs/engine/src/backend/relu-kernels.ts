import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { heapOffset, simdKernels } from './simd-kernels.js';
import { allocateF32, asWasmBackend, heapF32 } from './wasm-heap.js';

/** Name of the kernel that computes the ReLU gradient dy * step(x) in one pass, with inputs x and dy. */
export const RELU_GRAD_KERNEL = 'AkdReluGrad';

/**
 * Computes dx = dy * step(x), the ReLU gradient of tfjs-core 4.22, in one pass over x and dy, where the
 * stock gradient runs Step, Cast and Multiply, each over the whole tensor.
 */
const reluGrad: KernelFunc = ({ inputs, backend }) => {
  const wasm = asWasmBackend(backend);
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  if (x.dtype !== 'float32' || dy.dtype !== 'float32' || x.shape.join(',') !== dy.shape.join(',')) {
    throw new AkdError(
      'INVALID_INPUT',
      `${RELU_GRAD_KERNEL} expects float32 x and dy of the same shape, got ${x.dtype} ` +
        `[${x.shape.join(', ')}] and ${dy.dtype} [${dy.shape.join(', ')}].`,
    );
  }
  const dx = allocateF32(wasm, [...x.shape]);
  const count = x.shape.reduce((a, b) => a * b, 1);
  const simd = simdKernels(wasm);
  if (simd !== undefined) {
    simd.relu_grad(heapOffset(wasm, x), heapOffset(wasm, dy), count, heapOffset(wasm, dx));
    return dx;
  }
  const xs = heapF32(wasm, x);
  const dys = heapF32(wasm, dy);
  const out = heapF32(wasm, dx);
  for (let i = 0; i < count; i++) {
    const v = xs[i];
    out[i] = dys[i] * (v > 0 ? 1 : Number.isNaN(v) ? Number.NaN : 0);
  }
  return dx;
};

/** {@link RELU_GRAD_KERNEL} for the wasm backend. */
export const reluGradConfig: KernelConfig = {
  kernelName: RELU_GRAD_KERNEL,
  backendName: 'wasm',
  kernelFunc: reluGrad,
};
