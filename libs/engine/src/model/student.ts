import * as tfl from '@tensorflow/tfjs-layers';
import {
  expandGenome,
  type Genome,
  type LayerPlan,
  type NetworkPlan,
  type SearchSpace,
} from '@akd/search-space';
import { LayerFactory } from './layer-factory.js';

type Sym = tfl.SymbolicTensor;

/**
 * Adds the layers of one block layer at `x`: its convolutions with batch norm and ReLU, the
 * squeeze-and-excite module and the skip connection that the plan applies.
 */
export function applyBlockLayer(f: LayerFactory, x: Sym, layer: LayerPlan): Sym {
  let y: Sym;
  switch (layer.op) {
    case 'conv':
      y = f.convBn(x, layer.outChannels, layer.kernelSize, layer.stride);
      if (layer.seChannels > 0) y = f.squeezeExcite(y, layer.seSqueezeChannels);
      break;
    case 'dconv':
      y = f.depthwiseBn(x, layer.kernelSize, layer.stride);
      if (layer.seChannels > 0) y = f.squeezeExcite(y, layer.seSqueezeChannels);
      y = f.convBn(y, layer.outChannels, 1, 1, false);
      break;
    case 'mbconv3':
    case 'mbconv6':
      y = f.convBn(x, layer.expandedChannels, 1);
      y = f.depthwiseBn(y, layer.kernelSize, layer.stride);
      if (layer.seChannels > 0) y = f.squeezeExcite(y, layer.seSqueezeChannels);
      y = f.convBn(y, layer.outChannels, 1, 1, false);
      break;
  }
  switch (layer.skip) {
    case 'none':
      return y;
    case 'identity':
      return f.add(y, x);
    case 'pool':
      return f.add(y, f.avgPool(x, 3, layer.stride));
  }
}

/** Builds the TF.js model of an expanded network plan with seeded initial weights. */
export function buildNetwork(plan: NetworkPlan, seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: plan.inputShape, name: 'image' });
  let x = f.convBn(input, plan.stem.outChannels, plan.stem.kernelSize, plan.stem.stride);
  for (const layer of plan.layers) x = applyBlockLayer(f, x, layer);
  x = f.convBn(x, plan.head.outChannels, 1);
  const logits = f.dense(f.globalAveragePool(x), plan.classifier.outFeatures);
  return tfl.model({ inputs: input, outputs: logits, name: 'student' });
}

/**
 * Builds the student network of `genome` in `space` (validated first) with seeded initial
 * weights. Its `countParams()` equals `countParams(space, genome)` of the search space.
 */
export function buildStudent(space: SearchSpace, genome: Genome, seed: number): tfl.LayersModel {
  return buildNetwork(expandGenome(space, genome), seed);
}
