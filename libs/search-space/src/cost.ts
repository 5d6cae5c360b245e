import { AkdError } from '@akd/core';

import { expandGenome } from './plan.js';
import type { ClassifierPlan, HeadPlan, LayerPlan, NetworkPlan, StemPlan } from './plan.js';
import type { Genome, SearchSpace } from './types.js';

/** Weights of a batch normalization per channel: gamma, beta, moving mean and moving variance. */
const BN_PARAMS_PER_CHANNEL = 4;

/** Returns the weights of an SE module on `channels` channels with `squeeze` units: two denses with bias. */
function seParams(channels: number, squeeze: number): number {
  return channels * squeeze + squeeze + squeeze * channels + channels;
}

/**
 * Returns the weights of one block layer as TF.js `countParams()` counts them: convolution
 * kernels without bias, 4 per channel for every BN (trainable and moving statistics), and SE
 * denses with bias. Skips add no weights.
 */
export function countLayerParams(layer: LayerPlan): number {
  const { kernelSize: k, inChannels: cin, expandedChannels: cexp, outChannels: cout } = layer;
  const bn = BN_PARAMS_PER_CHANNEL;
  let params: number;
  switch (layer.op) {
    case 'conv':
      params = k * k * cin * cout + bn * cout;
      break;
    case 'dconv':
      params = k * k * cin + bn * cin + cin * cout + bn * cout;
      break;
    case 'mbconv3':
    case 'mbconv6':
      params = cin * cexp + bn * cexp + k * k * cexp + bn * cexp + cexp * cout + bn * cout;
      break;
  }
  return params + (layer.seChannels > 0 ? seParams(layer.seChannels, layer.seSqueezeChannels) : 0);
}

/**
 * Returns the multiply-adds of one block layer: each convolution at its own output resolution
 * (the mbconv expansion 1×1 runs before the strided depthwise, so at the input resolution) and
 * the two SE denses once per image. BN, activations, pooling and additions are not counted.
 */
export function countLayerFlops(layer: LayerPlan): number {
  const { kernelSize: k, inChannels: cin, expandedChannels: cexp, outChannels: cout } = layer;
  const inPixels = layer.inHeight * layer.inWidth;
  const outPixels = layer.outHeight * layer.outWidth;
  let flops: number;
  switch (layer.op) {
    case 'conv':
      flops = k * k * cin * cout * outPixels;
      break;
    case 'dconv':
      flops = k * k * cin * outPixels + cin * cout * outPixels;
      break;
    case 'mbconv3':
    case 'mbconv6':
      flops = cin * cexp * inPixels + k * k * cexp * outPixels + cexp * cout * outPixels;
      break;
  }
  return flops + 2 * layer.seChannels * layer.seSqueezeChannels;
}

function stemParams(stem: StemPlan): number {
  return (
    stem.kernelSize * stem.kernelSize * stem.inChannels * stem.outChannels +
    BN_PARAMS_PER_CHANNEL * stem.outChannels
  );
}

function stemFlops(stem: StemPlan): number {
  return (
    stem.kernelSize * stem.kernelSize * stem.inChannels * stem.outChannels * stem.outHeight * stem.outWidth
  );
}

function headParams(head: HeadPlan): number {
  return head.inChannels * head.outChannels + BN_PARAMS_PER_CHANNEL * head.outChannels;
}

function headFlops(head: HeadPlan): number {
  return head.inChannels * head.outChannels * head.height * head.width;
}

function classifierParams(classifier: ClassifierPlan): number {
  return classifier.inFeatures * classifier.outFeatures + classifier.outFeatures;
}

function classifierFlops(classifier: ClassifierPlan): number {
  return classifier.inFeatures * classifier.outFeatures;
}

function requireSafe(total: number, what: string): number {
  // Every term is a product of positive integers no larger than the total, so a safe total means
  // every intermediate value was exact too.
  if (!Number.isSafeInteger(total)) {
    throw new AkdError(
      'INVALID_INPUT',
      `The network's ${what} (${total}) exceed 2^53 and cannot be counted exactly.`,
    );
  }
  return total;
}

/** Returns the weights of the whole network of `plan`: stem, layers, head and classifier. */
export function countPlanParams(plan: NetworkPlan): number {
  let total = stemParams(plan.stem) + headParams(plan.head) + classifierParams(plan.classifier);
  for (const layer of plan.layers) total += countLayerParams(layer);
  return requireSafe(total, 'parameters');
}

/** Returns the multiply-adds of the whole network of `plan` for one image. */
export function countPlanFlops(plan: NetworkPlan): number {
  let total = stemFlops(plan.stem) + headFlops(plan.head) + classifierFlops(plan.classifier);
  for (const layer of plan.layers) total += countLayerFlops(layer);
  return requireSafe(total, 'multiply-adds');
}

/**
 * Returns the weights of the genome's network as a TF.js LayersModel built from
 * {@link expandGenome} reports them with `countParams()`: BN counts 4 per channel and denses
 * count their bias.
 */
export function countParams(space: SearchSpace, genome: Genome): number {
  return countPlanParams(expandGenome(space, genome));
}

/**
 * Returns the multiply-adds of the genome's network for one image: convolutions, depthwise
 * convolutions and denses (SE and classifier), each at its output resolution. BN,
 * activations, pooling and additions are not counted.
 */
export function countFlops(space: SearchSpace, genome: Genome): number {
  return countPlanFlops(expandGenome(space, genome));
}
