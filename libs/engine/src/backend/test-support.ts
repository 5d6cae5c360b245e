// Helpers for the backend tests: run the same kernel on wasm and cpu with identical inputs, and check that
// nothing leaks. Not exported from the package.
import assert from 'node:assert/strict';
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

/** Gradients of a function copied off the backend, with the tensors and backend buffers the run left. */
export interface GradientRun {
  grads: Float32Array[];
  leakedTensors: number;
  leakedDataIds: number;
}

/**
 * Runs `tf.grads(f)` on `backendName` for inputs built from `inputs`, with the output gradient `dy`, and
 * copies the gradients off the backend.
 */
export async function gradientsOn(
  backendName: 'wasm' | 'cpu',
  f: (...args: tf.Tensor[]) => tf.Tensor,
  inputs: HostInputs[string][],
  dy: HostInputs[string],
): Promise<GradientRun> {
  await tf.setBackend(backendName);
  const tensorsBefore = tf.memory().numTensors;
  const dataIdsBefore = tf.engine().backend.numDataIds();

  const tensors = inputs.map((input) => tf.tensor(input.values, input.shape));
  const dyTensor = tf.tensor(dy.values, dy.shape);
  const grads = tf.grads(f)(tensors, dyTensor);
  const values = grads.map((grad) => grad.dataSync().slice() as Float32Array);
  tf.dispose([...grads, ...tensors, dyTensor]);

  return {
    grads: values,
    leakedTensors: tf.memory().numTensors - tensorsBefore,
    leakedDataIds: tf.engine().backend.numDataIds() - dataIdsBefore,
  };
}

/** Largest scaled max difference (see {@link scaledMaxDiff}) that the backend tests accept. */
export const TOLERANCE = 1e-4;

/** Runs `kernelName` on wasm and cpu and checks that the outputs match and that nothing leaked on wasm. */
export async function assertKernelMatchesCpu(
  kernelName: string,
  inputs: HostInputs,
  attrs: tf.NamedAttrMap,
  label: string,
): Promise<void> {
  const wasm = await runKernelOn('wasm', kernelName, inputs, attrs);
  const cpu = await runKernelOn('cpu', kernelName, inputs, attrs);
  assert.deepEqual(wasm.shape, cpu.shape, `${label}: output shape`);
  const diff = scaledMaxDiff(wasm.values, cpu.values);
  assert.ok(diff <= TOLERANCE, `${label}: scaled max difference ${diff} exceeds ${TOLERANCE}`);
  assert.equal(wasm.leakedTensors, 0, `${label}: tensors left on wasm`);
  assert.equal(wasm.leakedDataIds, 0, `${label}: wasm heap buffers left`);
}

/** Computes the gradients of `f` on wasm and cpu and checks that each matches and that nothing leaked on wasm. */
export async function assertGradientsMatchCpu(
  f: (...args: tf.Tensor[]) => tf.Tensor,
  inputs: HostInputs[string][],
  dy: HostInputs[string],
  label: string,
): Promise<void> {
  const wasm = await gradientsOn('wasm', f, inputs, dy);
  const cpu = await gradientsOn('cpu', f, inputs, dy);
  assert.equal(wasm.grads.length, cpu.grads.length, `${label}: number of gradients`);
  for (const [index, expected] of cpu.grads.entries()) {
    const diff = scaledMaxDiff(wasm.grads[index], expected);
    assert.ok(
      diff <= TOLERANCE,
      `${label}: gradient ${index} scaled max difference ${diff} exceeds ${TOLERANCE}`,
    );
  }
  assert.equal(wasm.leakedTensors, 0, `${label}: tensors left on wasm`);
  assert.equal(wasm.leakedDataIds, 0, `${label}: wasm heap buffers left`);
}
