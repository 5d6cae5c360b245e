import { getKernel, type KernelConfig, registerKernel, unregisterKernel } from '@tensorflow/tfjs-core';
import { batchNormGradConfig, fusedBatchNormConfig } from './batch-norm-kernels.js';
import { conv2DConfig, fusedConv2DConfig } from './conv2d-forward.js';
import { conv2DBackpropFilterConfig, conv2DBackpropInputConfig } from './conv2d-grads.js';
import { castConfig, identityConfig, tileConfig } from './copy-kernels.js';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwise-grads.js';
import { depthwiseConv2dNativeConfig } from './depthwise-conv.js';
import { avgPoolGradConfig, maxPoolGradConfig, unsortedSegmentSumConfig } from './pool-and-segment-grads.js';
import { meanConfig, sumConfig } from './reduction-kernels.js';
import { reluGradConfig } from './relu-kernels.js';
import { rememberStockKernel } from './stock-kernels.js';
import { registerWasmGradients } from './wasm-gradients.js';

/**
 * Kernels this package registers for the wasm backend: the ones tfjs-backend-wasm 4.22 lacks
 * (Conv2DBackpropFilter, both depthwise gradients, UnsortedSegmentSum), the ones it gets wrong or runs
 * slowly (MaxPoolGrad, Conv2DBackpropInput, Tile, Sum and Mean over non-innermost axes, FusedBatchNorm,
 * Conv2D and FusedConv2D on fewer than 4 input channels, and Cast and Identity, which copy), and the
 * batch-norm and ReLU gradient kernels that {@link registerWasmGradients} uses.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  maxPoolGradConfig,
  unsortedSegmentSumConfig,
  tileConfig,
  castConfig,
  identityConfig,
  sumConfig,
  meanConfig,
  fusedBatchNormConfig,
  batchNormGradConfig,
  depthwiseConv2dNativeConfig,
  avgPoolGradConfig,
  conv2DConfig,
  fusedConv2DConfig,
  reluGradConfig,
];

/**
 * Registers {@link WASM_TRAINING_KERNELS} for the wasm backend, replacing any kernel of the same name and
 * keeping the replaced one for the inputs a replacement passes on, and then registers the faster wasm
 * gradients of {@link registerWasmGradients}. Safe to call more than once. The kernels only run once the
 * wasm backend is initialized.
 */
export function registerWasmTrainingKernels(): void {
  for (const config of WASM_TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current?.kernelFunc === config.kernelFunc) continue;
    if (current !== undefined) {
      rememberStockKernel(current);
      // registerKernel warns when it overwrites, so remove the backend's own kernel first.
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
  registerWasmGradients();
}
