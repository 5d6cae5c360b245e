import type { TensorInfo } from '@tensorflow/tfjs-core';
import { AkdError, Logger } from '@akd/core';
import type { ConvGeometry } from './conv-geometry.js';
import { SIMD_KERNELS_WASM_BASE64 } from './simd/kernels-wasm.js';
import { type WasmBackendInternals, allocateF32, disposeIntermediate } from './wasm-heap.js';

// Loads the WebAssembly SIMD kernels of simd/kernels.c into the memory of the tfjs wasm backend, so that
// they work on tensors in place. Every pointer they take is a byte offset into that memory.

/** Functions that simd/kernels.c exports. See that file for what each computes. */
export interface SimdKernels {
  sum_middle_axis(
    x: number,
    outer: number,
    reduced: number,
    inner: number,
    factor: number,
    out: number,
    sums: number,
  ): void;
  batch_norm(
    x: number,
    rows: number,
    channels: number,
    mean: number,
    scale: number,
    root: number,
    offset: number,
    y: number,
  ): void;
  batch_norm_grad(
    x: number,
    dy: number,
    rows: number,
    channels: number,
    mean: number,
    dxFactor: number,
    dx: number,
    sumDy: number,
    sumDyCentered: number,
  ): void;
  depthwise_filter_grad(
    x: number,
    dy: number,
    geometry: number,
    padded: number,
    acc: number,
    sums: number,
  ): void;
  depthwise_input_grad(dy: number, filter: number, geometry: number, padded: number, dx: number): void;
  im2col_by_tap(x: number, geometry: number, firstImage: number, endImage: number, col: number): void;
  col2im_add(col: number, geometry: number, firstImage: number, endImage: number, dx: number): void;
  depthwise_conv(x: number, filter: number, geometry: number, padded: number, y: number): void;
  avg_pool_grad(dy: number, geometry: number, multiplier: number, dx: number): void;
  transpose(source: number, rows: number, cols: number, target: number): void;
  conv_filter_grad(
    x: number,
    dy: number,
    geometry: number,
    outChannels: number,
    padded: number,
    dw: number,
  ): void;
  conv_input_grad(
    dy: number,
    filter: number,
    geometry: number,
    outChannels: number,
    filterT: number,
    padded: number,
    dx: number,
  ): void;
  conv_forward(
    x: number,
    filter: number,
    bias: number,
    geometry: number,
    outChannels: number,
    relu: number,
    padded: number,
    y: number,
  ): void;
  relu_grad(x: number, dy: number, count: number, dx: number): void;
}

/** The parts of the WebAssembly API this file uses. The project's TypeScript libs do not declare them. */
interface WebAssemblyApi {
  Memory: abstract new (...args: never[]) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

declare const WebAssembly: WebAssemblyApi;

/** The Emscripten module fields where tfjs-backend-wasm builds may keep their WebAssembly.Memory. */
interface EmscriptenMemoryFields {
  asm?: { memory?: unknown };
  wasmExports?: { memory?: unknown };
  wasmMemory?: unknown;
}

let compiled: object | undefined;
const instances = new WeakMap<WasmMemory, SimdKernels>();
const unusableMemories = new WeakSet<WasmMemory>();
const log = new Logger('engine.backend');
let enabled = true;

/**
 * Turns the SIMD kernels on or off, so that tests can run the JavaScript versions the kernels fall back
 * to when the memory of the wasm backend cannot be found.
 */
export function setSimdKernelsEnabled(value: boolean): void {
  enabled = value;
}

/** Returns the WebAssembly.Memory behind the heap of `backend`, or undefined when it is not exposed. */
function backendMemory(backend: WasmBackendInternals): WasmMemory | undefined {
  const module = backend.wasm as WasmBackendInternals['wasm'] & EmscriptenMemoryFields;
  for (const candidate of [module.asm?.memory, module.wasmExports?.memory, module.wasmMemory]) {
    if (candidate instanceof WebAssembly.Memory && candidate.buffer === backend.wasm.HEAPU8.buffer) {
      return candidate;
    }
  }
  return undefined;
}

/**
 * Returns the SIMD kernels bound to the memory of `backend`, or undefined when they are turned off or
 * the backend does not expose its memory. tfjs-backend-wasm 4.22 exposes it as `wasm.asm.memory`.
 */
export function simdKernels(backend: WasmBackendInternals): SimdKernels | undefined {
  if (!enabled) return undefined;
  const memory = backendMemory(backend);
  if (memory === undefined) return undefined;
  if (unusableMemories.has(memory)) return undefined;
  let kernels = instances.get(memory);
  if (kernels === undefined) {
    compiled ??= new WebAssembly.Module(
      Uint8Array.from(atob(SIMD_KERNELS_WASM_BASE64), (c) => c.charCodeAt(0)),
    );
    try {
      const instance = new WebAssembly.Instance(compiled, { env: { memory } });
      kernels = instance.exports as unknown as SimdKernels;
    } catch (error) {
      // The threaded tfjs binary has a shared memory, which a module importing an unshared one cannot
      // link to. The kernels then keep using their JavaScript versions.
      log.warn('SIMD training kernels unavailable, using JavaScript kernels', { error });
      unusableMemories.add(memory);
      return undefined;
    }
    instances.set(memory, kernels);
  }
  return kernels;
}

/** Returns the byte offset of `tensor` in the memory of the wasm backend. */
export function heapOffset(backend: WasmBackendInternals, tensor: TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (data === undefined) throw new AkdError('INTERNAL', 'Tensor data was not found on the wasm backend.');
  return data.memoryOffset;
}

/**
 * Temporary buffers on the wasm heap for one kernel call. Offsets stay valid when the heap grows, so
 * they can be taken before later allocations, unlike typed-array views.
 */
export class HeapScratch {
  private readonly tensors: TensorInfo[] = [];

  constructor(private readonly backend: WasmBackendInternals) {}

  /** Allocates `count` floats and returns their byte offset. Their contents are undefined. */
  floats(count: number): number {
    const tensor = allocateF32(this.backend, [Math.max(1, count)]);
    this.tensors.push(tensor);
    return heapOffset(this.backend, tensor);
  }

  /** Allocates `count` doubles aligned to 8 bytes and returns their byte offset. */
  doubles(count: number): number {
    const offset = this.floats(2 * count + 1);
    return Math.ceil(offset / 8) * 8;
  }

  /** Writes `values` as int32 into a new buffer and returns its byte offset. */
  ints(values: readonly number[]): number {
    const offset = this.floats(values.length);
    new Int32Array(this.backend.wasm.HEAPU8.buffer, offset, values.length).set(values);
    return offset;
  }

  /** Writes the geometry of a convolution or pooling in the order the kernels of simd/kernels.c read it. */
  geometry(g: ConvGeometry, channels = g.inChannels): number {
    return this.ints([
      g.batch,
      g.inHeight,
      g.inWidth,
      channels,
      g.outHeight,
      g.outWidth,
      g.filterHeight,
      g.filterWidth,
      g.strideHeight,
      g.strideWidth,
      g.padTop,
      g.padLeft,
    ]);
  }

  /** Returns a Float64Array view of `count` doubles at `offset`. Take it after the last allocation. */
  viewDoubles(offset: number, count: number): Float64Array {
    return new Float64Array(this.backend.wasm.HEAPU8.buffer, offset, count);
  }

  /** Frees every buffer. */
  dispose(): void {
    for (const tensor of this.tensors) disposeIntermediate(this.backend, tensor);
    this.tensors.length = 0;
  }
}
