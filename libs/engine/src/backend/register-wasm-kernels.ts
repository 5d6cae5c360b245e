import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv2d-grads.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-grads.js';
import { maxPoolGradConfig, unsortedSegmentSumConfig } from './pool-and-segment-grads.js';

/**
 * Kernels this package registers for the wasm backend: the ones tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, both depthwise gradients, UnsortedSegmentSum) and the ones it gets wrong or runs
 * slowly (MaxPoolGrad, Conv2DBackpropInput).
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
  unsortedSegmentSumConfig,
];

/**
 * Registers {@link WASM_TRAINING_KERNELS} for the wasm backend, replacing any kernel of the same name.
 * Safe to call more than once. The kernels only run once the wasm backend is initialized.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    // registerKernel warns when it overwrites, so remove the backend's own kernel first.
    if (current !== undefined) unregisterKernel(config.kernelName, 'wasm');
    registerKernel(config);
  }
}
