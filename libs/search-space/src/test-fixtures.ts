// Helpers shared by the *.test.ts files of this package; not exported from the package entry.
import type { NetworkPlan } from './plan.js';
import type { BlockGene, SearchSpace } from './types.js';

/** Builds a gene of conv, kernel 3, no SE, no skip, multiplier 1 and delta 0, overridden by `fields`. */
export function gene(fields: Partial<BlockGene> = {}): BlockGene {
  return {
    op: 'conv',
    kernelSize: 3,
    seRatio: 0,
    skip: 'none',
    filterMultiplier: 1,
    layerDelta: 0,
    ...fields,
  };
}

/**
 * Builds a space with one block of one layer with 8 filters and stride 2 on an 8×8×3 input: stem 8 filters stride 1,
 * head 16 filters, 10 classes. Small enough to count params and FLOPs by hand.
 */
export function tinySpace(fields: Partial<SearchSpace> = {}): SearchSpace {
  return {
    inputShape: [8, 8, 3],
    numClasses: 10,
    stemFilters: 8,
    stemStride: 1,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
    ...fields,
  };
}

/**
 * Returns the network of `plan` without the block index of each layer, so two plans that build
 * the same layers compare equal even when the layers are assigned to different blocks.
 */
export function networkSignature(plan: NetworkPlan): string {
  const layers = plan.layers.map(({ block: _block, indexInBlock: _index, ...layer }) => layer);
  return JSON.stringify({ stem: plan.stem, layers, head: plan.head, classifier: plan.classifier });
}
