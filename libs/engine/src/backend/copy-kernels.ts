import {
  type CastAttrs,
  type DataType,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  type TileAttrs,
} from '@tensorflow/tfjs-core';
import { runStockKernel, stockSetup } from './stock-kernels.js';
import { type WasmBackendInternals, asWasmBackend } from './wasm-heap.js';

// Kernels that move data without arithmetic. The tfjs-backend-wasm 4.22 versions copy whole tensors where
// no copy is needed (Cast to the same dtype, Identity). Its Tile runs a generic index loop that takes
// about 70 ns per output element, 44 ms for the [32, 14, 14, 96] batch-norm gradient of a student.

type HeapArray = Float32Array | Int32Array | Uint8Array;

/** Returns a view of `tensor` on the WASM heap typed by its dtype, or undefined for string and complex64. */
function heapView(backend: WasmBackendInternals, tensor: TensorInfo): HeapArray | undefined {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) return undefined;
  const size = tensor.shape.reduce((a, b) => a * b, 1);
  const buffer = backend.wasm.HEAPU8.buffer;
  switch (tensor.dtype) {
    case 'float32':
      return new Float32Array(buffer, data.memoryOffset, size);
    case 'int32':
      return new Int32Array(buffer, data.memoryOffset, size);
    case 'bool':
      return new Uint8Array(buffer, data.memoryOffset, size);
    case 'string':
    case 'complex64':
      return undefined;
  }
}

/** Returns a tensor that shares the buffer of `x`, the way the wasm Reshape kernel does. */
function shareBuffer(backend: WasmBackendInternals, x: TensorInfo, dtype: DataType = x.dtype): TensorInfo {
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype };
}

/**
 * Copies the block `array[start, start + blockLength)` so that it appears `count` times in a row from
 * `start`, doubling the copied length each time so that large counts take few copies.
 */
function repeatBlock(array: HeapArray, start: number, blockLength: number, count: number): void {
  const total = blockLength * count;
  let filled = blockLength;
  while (filled < total) {
    const length = Math.min(filled, total - filled);
    array.copyWithin(start + filled, start, start + length);
    filled += length;
  }
}

/**
 * Writes `source` of `shape` repeated `reps[axis]` times along each axis into `target`, which has
 * shape[axis] * reps[axis] elements along each axis. Each input row is written once and every repetition
 * is a block copy.
 */
export function tileInto(
  source: HeapArray,
  shape: readonly number[],
  reps: readonly number[],
  target: HeapArray,
): void {
  const rank = shape.length;
  if (target.length === 0) return;
  if (rank === 0) {
    target[0] = source[0];
    return;
  }
  const sourceStrides = new Array<number>(rank);
  const targetStrides = new Array<number>(rank);
  let sourceStride = 1;
  let targetStride = 1;
  for (let axis = rank - 1; axis >= 0; axis--) {
    sourceStrides[axis] = sourceStride;
    targetStrides[axis] = targetStride;
    sourceStride *= shape[axis];
    targetStride *= shape[axis] * reps[axis];
  }

  const fill = (axis: number, sourceOffset: number, targetOffset: number): void => {
    const length = shape[axis];
    if (axis === rank - 1) {
      for (let i = 0; i < length; i++) target[targetOffset + i] = source[sourceOffset + i];
    } else {
      for (let i = 0; i < length; i++) {
        fill(axis + 1, sourceOffset + i * sourceStrides[axis], targetOffset + i * targetStrides[axis]);
      }
    }
    repeatBlock(target, targetOffset, length * targetStrides[axis], reps[axis]);
  };
  fill(0, 0, 0);
}

const tile: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x } = inputs as { x: TensorInfo };
  const { reps } = attrs as unknown as TileAttrs;
  const source = heapView(wasm, x);
  if (source === undefined || reps.length !== x.shape.length) {
    return runStockKernel('Tile', { x }, attrs, backend);
  }
  const out = wasm.makeOutput(
    x.shape.map((size, axis) => size * reps[axis]),
    x.dtype as 'float32',
  );
  // makeOutput can grow the heap, which detaches `source`, so both views are taken after it.
  tileInto(heapView(wasm, x)!, x.shape, reps, heapView(wasm, out)!);
  return out;
};

/** Cast to the tensor's own dtype shares its buffer. Other casts run the stock kernel. */
const cast: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x } = inputs as { x: TensorInfo };
  const { dtype } = attrs as unknown as CastAttrs;
  if (dtype === x.dtype && dtype !== 'string') return shareBuffer(wasm, x);
  return runStockKernel('Cast', { x }, attrs, backend);
};

/** Identity shares the input buffer, as on the cpu backend. TensorFlow.js never writes into a tensor's buffer. */
const identity: KernelFunc = ({ inputs, backend, attrs }) => {
  const wasm = asWasmBackend(backend);
  const { x } = inputs as { x: TensorInfo };
  if (x.dtype === 'string') return runStockKernel('Identity', { x }, attrs, backend);
  return shareBuffer(wasm, x);
};

/** Tile for the wasm backend: row copies and block copies on the heap for float32, int32 and bool tensors. */
export const tileConfig: KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: tile,
  setupFunc: stockSetup('Tile'),
};

/** Cast for the wasm backend without a copy when the dtype does not change. */
export const castConfig: KernelConfig = {
  kernelName: 'Cast',
  backendName: 'wasm',
  kernelFunc: cast,
  setupFunc: stockSetup('Cast'),
};

/** Identity for the wasm backend without a copy. */
export const identityConfig: KernelConfig = {
  kernelName: 'Identity',
  backendName: 'wasm',
  kernelFunc: identity,
  setupFunc: stockSetup('Identity'),
};
