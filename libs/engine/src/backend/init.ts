import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// tfjs-core's Node bundle registers no gradient functions, so tf.grad and optimizers fail with
// "gradient function not found" until some package registers them. tfjs-layers registers all of them
// when it loads.
import '@tensorflow/tfjs-layers';
import { AkdError, Logger } from '@akd/core';
import { registerWasmTrainingKernels } from './register-wasm-kernels.js';

/** Backends in the order {@link initBackend} tries them. */
export const BACKEND_NAMES = ['node-gpu', 'node', 'wasm', 'cpu'] as const;

/** One of {@link BACKEND_NAMES}: `node-gpu` and `node` are tfjs-node(-gpu), `wasm` and `cpu` run in-process. */
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Backend to use instead of the first one that loads. Overrides the `AKD_BACKEND` environment variable. */
  backend?: BackendName;
  /**
   * Threads for the wasm backend's XNNPACK thread pool. Only the threaded WASM binary uses it, and in Node
   * tfjs-backend-wasm 4.22 never selects that binary. Forcing it fails on Node 20 because worker_threads
   * rejects the blob: URL its workers start from (ERR_WORKER_PATH). So in Node this has no effect.
   */
  threads?: number;
}

/** The backend TensorFlow.js runs on after {@link initBackend}. */
export interface BackendInfo {
  name: BackendName;
  /** Name TensorFlow.js uses for the backend (`tensorflow` for both tfjs-node packages). */
  tfjsName: string;
  /** Threads the wasm backend computes with. In Node this is 1 because only the single-threaded binaries load. */
  threads?: number;
  /** Whether the wasm backend loaded its SIMD binary. */
  simd?: boolean;
}

const log = new Logger('engine.backend');

const NATIVE_PACKAGES = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
} as const;

let active: BackendInfo | null = null;
let pending: { request: BackendName | undefined; promise: Promise<BackendInfo> } | null = null;
let wasmPathsSet = false;

/**
 * Selects and initializes the TensorFlow.js backend. Without a forced choice it tries `node-gpu`, `node`,
 * `wasm` and `cpu` in that order and keeps the first that loads. `options.backend`, or else the
 * `AKD_BACKEND` environment variable, forces one backend.
 *
 * On wasm it also registers the training kernels that tfjs-backend-wasm lacks. Calling it again with the
 * same choice returns the same result without reinitializing.
 *
 * @throws AkdError INVALID_INPUT when `AKD_BACKEND` is not a backend name.
 * @throws AkdError UNAVAILABLE when the forced backend cannot load; the message names the backend, the
 *   cause and the fix.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const request = options.backend ?? backendFromEnvironment();
  // Production mode silences the console banner that recommends tfjs-node on every start.
  tf.env().set('PROD', true);
  if (
    active !== null &&
    (request === undefined || request === active.name) &&
    tf.getBackend() === active.tfjsName
  ) {
    return active;
  }
  if (pending !== null && pending.request === request) return pending.promise;

  const promise = selectBackend(request, options.threads);
  pending = { request, promise };
  try {
    active = await promise;
  } finally {
    if (pending?.promise === promise) pending = null;
  }
  log.info('TensorFlow.js backend ready', { ...active });
  return active;
}

/**
 * Returns the backend chosen by the last {@link initBackend}, or null before the first call. When code has
 * since switched backends with `tf.setBackend`, it returns the backend TensorFlow.js runs on now.
 */
export function activeBackend(): BackendInfo | null {
  if (active === null) return null;
  const current = tf.getBackend();
  if (current === active.tfjsName) return active;
  return describeBackend(current);
}

function backendFromEnvironment(): BackendName | undefined {
  const value = process.env.AKD_BACKEND?.trim();
  if (value === undefined || value === '') return undefined;
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new AkdError(
    'INVALID_INPUT',
    `AKD_BACKEND is set to "${value}", which is not a backend. Use one of ${BACKEND_NAMES.join(', ')}, or unset it.`,
    { AKD_BACKEND: value },
  );
}

async function selectBackend(
  request: BackendName | undefined,
  threads: number | undefined,
): Promise<BackendInfo> {
  if (request !== undefined) {
    try {
      return await loadBackend(request, threads);
    } catch (error) {
      throw unavailableError(request, error);
    }
  }
  for (const name of BACKEND_NAMES) {
    try {
      return await loadBackend(name, threads);
    } catch (error) {
      log.debug('backend unavailable, trying the next one', { backend: name, error });
    }
  }
  throw new AkdError('UNAVAILABLE', 'No TensorFlow.js backend could be initialized, not even cpu.');
}

async function loadBackend(name: BackendName, threads: number | undefined): Promise<BackendInfo> {
  switch (name) {
    case 'node-gpu':
    case 'node':
      return loadNativeBackend(name);
    case 'wasm':
      return loadWasmBackend(threads);
    case 'cpu':
      await setBackendOrThrow('cpu');
      return { name: 'cpu', tfjsName: 'cpu' };
  }
}

async function loadNativeBackend(name: 'node-gpu' | 'node'): Promise<BackendInfo> {
  // A variable specifier keeps TypeScript from resolving packages that are usually not installed.
  const specifier: string = NATIVE_PACKAGES[name];
  await import(specifier);
  await setBackendOrThrow('tensorflow');
  return { name, tfjsName: 'tensorflow' };
}

async function loadWasmBackend(threads: number | undefined): Promise<BackendInfo> {
  if (!wasmPathsSet) {
    // The .wasm binaries sit beside the package's Node bundle. Emscripten reads them from this directory
    // with fs in Node, so a file path (with a trailing slash) works as the prefix.
    const require = createRequire(import.meta.url);
    setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
    wasmPathsSet = true;
  }
  if (threads !== undefined) setThreadsCount(threads);
  registerWasmTrainingKernels();
  await setBackendOrThrow('wasm');
  return describeBackend('wasm');
}

async function setBackendOrThrow(tfjsName: string): Promise<void> {
  // setBackend resolves to false, after logging the cause, when the backend's factory fails.
  const ok = await tf.setBackend(tfjsName);
  if (!ok)
    throw new Error(`tf.setBackend('${tfjsName}') returned false, and TensorFlow.js logged the cause above`);
}

function describeBackend(tfjsName: string): BackendInfo {
  switch (tfjsName) {
    case 'wasm':
      return {
        name: 'wasm',
        tfjsName,
        threads: getThreadsCount(),
        simd: tf.env().getBool('WASM_HAS_SIMD_SUPPORT'),
      };
    case 'tensorflow':
      return { name: active?.name === 'node-gpu' ? 'node-gpu' : 'node', tfjsName };
    default:
      return { name: 'cpu', tfjsName };
  }
}

function unavailableError(name: BackendName, cause: unknown): AkdError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const fix =
    name === 'node-gpu' || name === 'node'
      ? `Install ${NATIVE_PACKAGES[name]} (its install step downloads libtensorflow), or choose wasm or cpu with AKD_BACKEND.`
      : `Check that @tensorflow/tfjs-backend-${name} is installed, or choose another value of AKD_BACKEND (${BACKEND_NAMES.join(', ')}).`;
  return new AkdError(
    'UNAVAILABLE',
    `The ${name} TensorFlow.js backend is unavailable: ${reason}. ${fix}`,
    { backend: name },
    { cause },
  );
}
