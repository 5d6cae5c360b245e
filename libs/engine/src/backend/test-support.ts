// Helpers for the backend tests: run the same kernel on wasm and cpu with identical inputs, and check that
// nothing leaks. Not exported from the package.
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';

/** Inputs of a kernel as plain arrays, so each backend builds its own tensors from the same values. */
export type HostInputs = Record<string, { values: Float32Array | Int32Array; shape: number[] }>;

/** Output of a kernel run copied off the backend, with the tensors and backend buffers the run left. */
export interface KernelRun {
  values: Float32Array;
  shape: number[];
  leakedTensors: number;
  leakedDataIds: number;
}

/** Returns `size` normal samples with standard deviation `std` from `rng`. */
export function randomValues(rng: Rng, size: number, std = 1): Float32Array {
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
  return values;
}

/** Returns the number of elements of a tensor of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Returns max |actual - expected| divided by max(1, max |expected|). */
export function scaledMaxDiff(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  return diff / scale;
}

/** Runs `kernelName` on `backendName` through the engine and copies the result off the backend. */
export async function runKernelOn(
  backendName: 'wasm' | 'cpu',
  kernelName: string,
  inputs: HostInputs,
  attrs: tf.NamedAttrMap,
): Promise<KernelRun> {
  await tf.setBackend(backendName);
  const tensorsBefore = tf.memory().numTensors;
  const dataIdsBefore = tf.engine().backend.numDataIds();

  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([name, input]) => [
      name,
      tf.tensor(input.values, input.shape, input.values instanceof Int32Array ? 'int32' : 'float32'),
    ]),
  );
  const output = tf.engine().runKernel(kernelName, tensors, attrs) as tf.Tensor;
  const values = output.dataSync().slice() as Float32Array;
  const shape = output.shape;
  tf.dispose([output, ...Object.values(tensors)]);

  return {
    values,
    shape,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedDataIds: tf.engine().backend.numDataIds() - dataIdsBefore,
  };
}
