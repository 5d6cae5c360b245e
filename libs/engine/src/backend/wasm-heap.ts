import { getKernel, type KernelBackend, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';

/**
 * The parts of `BackendWasm` (from `@tensorflow/tfjs-backend-wasm` 4.22) that the training kernels use.
 * The package types them, but `dataIdMap` entries and the Emscripten module are not part of its public API,
 * so this interface states exactly what the kernels rely on.
 */
export interface WasmBackendInternals {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  /** Adds a reference to a buffer, so that a kernel can return a tensor that shares it. */
  incRef(dataId: object): void;
  numDataIds(): number;
}

/** Returns `backend` typed as the WASM backend, or throws when it is another backend. */
export function asWasmBackend(backend: KernelBackend | object): WasmBackendInternals {
  const candidate = backend as Partial<WasmBackendInternals>;
  if (
    candidate.wasm === undefined ||
    candidate.dataIdMap === undefined ||
    candidate.makeOutput === undefined
  ) {
    throw new AkdError('INTERNAL', 'A WASM training kernel ran on a backend that is not the wasm backend.');
  }
  return backend as WasmBackendInternals;
}

/**
 * Returns a Float32Array view of `tensor` on the WASM heap, without copying.
 *
 * The view is invalidated when the heap grows, which any allocation can trigger (`makeOutput`, another
 * kernel). Allocate every output first and take views afterwards.
 */
export function heapF32(backend: WasmBackendInternals, tensor: TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new AkdError('INTERNAL', 'Tensor data was not found on the wasm backend.');
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  return new Float32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, size);
}

/** Allocates a float32 tensor on the WASM heap. Its contents are undefined until written. */
export function allocateF32(backend: WasmBackendInternals, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/** Allocates a float32 tensor on the WASM heap and fills it with zeros. */
export function zerosF32(backend: WasmBackendInternals, shape: number[]): TensorInfo {
  const out = allocateF32(backend, shape);
  heapF32(backend, out).fill(0);
  return out;
}

/** Releases the heap memory of an intermediate tensor that a kernel created and does not return. */
export function disposeIntermediate(backend: WasmBackendInternals, tensor: TensorInfo): void {
  backend.disposeData(tensor.dataId);
}

/**
 * Runs another kernel registered for the wasm backend (for example XNNPACK's BatchMatMul) from inside a
 * kernel, without going through the engine, so no Tensor object or gradient record is created.
 */
export function runWasmKernel(
  backend: WasmBackendInternals,
  kernelName: string,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const kernel = getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new AkdError('INTERNAL', `Kernel ${kernelName} is not registered for the wasm backend.`);
  }
  const result = kernel.kernelFunc({ inputs, attrs, backend: backend as unknown as KernelBackend });
  if (Array.isArray(result)) throw new AkdError('INTERNAL', `Kernel ${kernelName} returned several outputs.`);
  return result;
}

/**
 * Multiplies `a` [m, k] by `b` [k, n] with the wasm BatchMatMul kernel and returns a new [m, n] tensor.
 *
 * BatchMatMul in tfjs-backend-wasm 4.22 runs XNNPACK's fully-connected operator only for a batch of 1
 * without transposes, and a scalar C++ loop otherwise, so callers lay out both operands to fit that case.
 * XNNPACK caches the packed `b` under its tensor id until `b` is disposed, so `b` must be a tensor that
 * is not later multiplied with a different shape.
 */
export function matMul(
  backend: WasmBackendInternals,
  a: TensorInfo,
  b: TensorInfo,
  m: number,
  k: number,
  n: number,
): TensorInfo {
  const a3 = { dataId: a.dataId, shape: [1, m, k], dtype: a.dtype };
  const b3 = { dataId: b.dataId, shape: [1, k, n], dtype: b.dtype };
  const product = runWasmKernel(
    backend,
    'BatchMatMul',
    { a: a3, b: b3 },
    { transposeA: false, transposeB: false },
  );
  return { dataId: product.dataId, shape: [m, n], dtype: product.dtype };
}

/** Returns an Int32Array view of an int32 `tensor` on the WASM heap, with the same caveat as {@link heapF32}. */
export function heapI32(backend: WasmBackendInternals, tensor: TensorInfo): Int32Array {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new AkdError('INTERNAL', 'Tensor data was not found on the wasm backend.');
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  return new Int32Array(backend.wasm.HEAPU8.buffer, data.memoryOffset, size);
}
