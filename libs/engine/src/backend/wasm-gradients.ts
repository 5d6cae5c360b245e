import * as tf from '@tensorflow/tfjs-core';
import {
  type FusedBatchNormAttrs,
  type GradConfig,
  type MeanAttrs,
  type NamedAttrMap,
  type SumAttrs,
  type Tensor,
  getGradient,
  registerGradient,
} from '@tensorflow/tfjs-core';
import { BATCH_NORM_GRAD_KERNEL } from './batch-norm-kernels.js';
import { RELU_GRAD_KERNEL } from './relu-kernels.js';

// Gradients that tfjs-core 4.22 builds from kernels that are slow on the wasm backend. Each replacement
// runs its own formulation only while the wasm backend is active and calls the stock gradient otherwise,
// so the cpu backend keeps computing the reference that the tests compare against.

type GradFunc = GradConfig['gradFunc'];
type GradientMap = ReturnType<GradFunc>;

/** A faster gradient for the wasm backend, or undefined for inputs it does not handle. */
type WasmGradFunc = (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => GradientMap | undefined;

/**
 * FusedBatchNorm: the stock gradient tiles 1 / sqrt(variance + epsilon) to the shape of x and runs about
 * ten element-wise kernels and four reductions. {@link BATCH_NORM_GRAD_KERNEL} computes all five gradients
 * in one pass when mean, variance and scale are per-channel vectors, as in tfjs-layers' batch
 * normalization in training mode.
 */
const fusedBatchNormGradient: WasmGradFunc = (dy, saved, attrs) => {
  const [x, mean, variance, scale] = saved;
  const channels = x.shape[x.rank - 1];
  const perChannel = [mean, variance, ...(scale == null ? [] : [scale])];
  if (
    x.rank === 0 ||
    x.dtype !== 'float32' ||
    perChannel.some((t) => t.rank !== 1 || t.shape[0] !== channels)
  ) {
    return undefined;
  }
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  const inputs: tf.NamedTensorMap = { x, dy, mean, variance };
  if (scale != null) inputs.scale = scale;
  const [dx, dMean, dVariance, dScale, dOffset] = tf
    .engine()
    .runKernel(BATCH_NORM_GRAD_KERNEL, inputs, { varianceEpsilon }) as Tensor[];
  // The tape calls only the closures of inputs that need a gradient. Outputs that no closure returns are
  // disposed with the other intermediate tensors of the backward pass.
  return {
    x: () => dx,
    mean: () => dMean,
    variance: () => dVariance,
    scale: () => dScale,
    offset: () => dOffset,
  };
};

/** Returns the shape of `x` with the reduced axes set to 1. */
function keptDimsShape(x: Tensor, axis: number | number[]): number[] {
  const shape = [...x.shape];
  for (const a of tf.util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  return shape;
}

/**
 * Mean: the stock gradient multiplies dy by a tensor of ones shaped like x and then divides every element.
 * Dividing dy first and broadcasting it with one Tile gives the same values in one pass over x.
 */
const meanGradient: WasmGradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  if (dy.dtype !== 'float32') return undefined;
  const { axis } = attrs as unknown as MeanAttrs;
  const reduceSize = tf.util.parseAxisParam(axis, x.shape).reduce((size, a) => size * x.shape[a], 1);
  const shape = keptDimsShape(x, axis);
  return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy, shape), reduceSize), x.shape) };
};

/** Sum: like {@link meanGradient}, a broadcast of dy in place of a product with ones. */
const sumGradient: WasmGradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  if (dy.dtype !== 'float32') return undefined;
  const { axis } = attrs as unknown as SumAttrs;
  return { x: () => tf.broadcastTo(tf.reshape(dy, keptDimsShape(x, axis)), x.shape) };
};

/** Relu: the stock gradient runs Step, Cast and Multiply; {@link RELU_GRAD_KERNEL} does it in one pass. */
const reluGradient: WasmGradFunc = (dy, saved) => {
  const [x] = saved;
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') return undefined;
  return { x: () => tf.engine().runKernel(RELU_GRAD_KERNEL, { x, dy }) as Tensor };
};

const WASM_GRADIENTS: Record<string, WasmGradFunc> = {
  FusedBatchNorm: fusedBatchNormGradient,
  Mean: meanGradient,
  Sum: sumGradient,
  Relu: reluGradient,
};

/** Gradient configs this package registered, by kernel name, so that registering again changes nothing. */
const registered = new Map<string, GradConfig>();

/**
 * Replaces the tfjs-core gradients of FusedBatchNorm, Mean, Sum and Relu by versions that take a faster path on
 * the wasm backend and call the replaced gradient on every other backend or input. Gradients are global
 * in TensorFlow.js, so this affects every backend, but only through that dispatch. Call it after
 * tfjs-layers (or tfjs-core's register_all_gradients) has registered the stock gradients. Kernels it
 * finds no gradient for are left alone.
 */
export function registerWasmGradients(): void {
  for (const [kernelName, wasmGradient] of Object.entries(WASM_GRADIENTS)) {
    const current = getGradient(kernelName);
    if (current === undefined || current === registered.get(kernelName)) continue;
    const stock = current;
    const config: GradConfig = {
      kernelName,
      inputsToSave: stock.inputsToSave,
      outputsToSave: stock.outputsToSave,
      saveAllInputs: stock.saveAllInputs,
      gradFunc: (dy, saved, attrs) => {
        if (tf.getBackend() === 'wasm' && !Array.isArray(dy)) {
          const gradients = wasmGradient(dy, saved, attrs);
          if (gradients !== undefined) return gradients;
        }
        return stock.gradFunc(dy, saved, attrs);
      },
    };
    registered.set(kernelName, config);
    registerGradient(config);
  }
}
