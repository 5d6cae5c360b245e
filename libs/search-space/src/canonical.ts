import { createHash } from 'node:crypto';

import { AkdError } from '@akd/core';

import { BLOCK_CHOICES } from './decisions.js';
import { canonicalJson } from './json.js';
import { appliedSkip, expandGenome, seSqueezeChannels } from './plan.js';
import type { LayerPlan } from './plan.js';
import { blockLayerCount, blockWidth, spaceFingerprint } from './space.js';
import type { BlockGene, Genome, SearchSpace } from './types.js';

/**
 * Order in which the canonical form picks among values that build the same layers. It prefers
 * no skip to a skip the shapes do not allow, multiplier 1 to another that rounds to the same
 * width, and delta 0 to a delta that clamps to the same layer count.
 */
const PREFERENCE = {
  op: BLOCK_CHOICES.op,
  kernelSize: BLOCK_CHOICES.kernelSize,
  seRatio: BLOCK_CHOICES.seRatio,
  skip: ['none', 'identity', 'pool'],
  filterMultiplier: [1, 0.75, 1.25],
  layerDelta: [0, -1, 1],
} as const satisfies { [K in keyof BlockGene]: readonly BlockGene[K][] };

/** Gene fields of a block that has no layers, where none of them matters. */
const EMPTY_BLOCK_FIELDS: Omit<BlockGene, 'layerDelta'> = {
  op: PREFERENCE.op[0],
  kernelSize: PREFERENCE.kernelSize[0],
  seRatio: PREFERENCE.seRatio[0],
  skip: PREFERENCE.skip[0],
  filterMultiplier: PREFERENCE.filterMultiplier[0],
};

/**
 * Returns the canonical genome of the network that `genome` builds, so two genomes have the same
 * canonical form exactly when {@link expandGenome} gives them the same layers, strides, widths and
 * skips. The rules that follow from this:
 * - A skip that no layer of the block can apply becomes `none`. Skips are decided per layer, so a
 *   block whose later layers can use the skip keeps it.
 * - A delta that the layer count clamps (-1 on a one-layer block without `allowEmptyBlocks`)
 *   becomes the delta that gives the actual count, here 0.
 * - A multiplier that rounds to the same width as multiplier 1 becomes 1.
 * - A block with no layers gets op conv, kernel 3, SE 0, skip none and multiplier 1.
 * - Where adjacent blocks end in identical layers (stride 1, same width, same choices), a layer
 *   can belong to either block. The canonical form gives as many layers as possible to the
 *   earlier block.
 * Graphs that differ but compute the same function, such as a pool skip and an identity skip on
 * a 1×1 map, keep different canonical forms.
 */
export function canonicalGenome(space: SearchSpace, genome: Genome): Genome {
  const plan = expandGenome(space, genome);
  const blocks = assignLayers(space, plan.layers, 0, 0, new Map());
  if (blocks === null) {
    throw new AkdError(
      'INTERNAL',
      'Internal error: canonicalGenome found no genome that builds the given layers.',
    );
  }
  return { blocks };
}

/**
 * Returns genes for blocks `block` onward that build exactly `layers[start..]`, giving each
 * block the largest layer count that still lets the later blocks build the rest. Returns null if
 * no such genes exist. `memo` caches the result per (block, start).
 */
function assignLayers(
  space: SearchSpace,
  layers: readonly LayerPlan[],
  block: number,
  start: number,
  memo: Map<number, BlockGene[] | null>,
): BlockGene[] | null {
  if (block === space.blocks.length) return start === layers.length ? [] : null;
  const key = block * (layers.length + 1) + start;
  const cached = memo.get(key);
  if (cached !== undefined) return cached;

  let result: BlockGene[] | null = null;
  for (const count of layerCountsOf(space, block)) {
    if (start + count > layers.length) continue;
    const gene = geneForLayers(space, block, layers.slice(start, start + count));
    if (gene === null) continue;
    const rest = assignLayers(space, layers, block + 1, start + count, memo);
    if (rest !== null) {
      result = [gene, ...rest];
      break;
    }
  }
  memo.set(key, result);
  return result;
}

/** Returns the distinct layer counts that block `block` can have, largest first. */
function layerCountsOf(space: SearchSpace, block: number): number[] {
  const counts = new Set(BLOCK_CHOICES.layerDelta.map((delta) => blockLayerCount(space, block, delta)));
  return [...counts].sort((a, b) => b - a);
}

/**
 * Returns the preferred gene with which block `block` builds exactly `run`, or null if no gene
 * does. The layers' input channels and map sizes come from the preceding layers, so they match
 * whenever the earlier blocks built the layers before `run`.
 */
function geneForLayers(space: SearchSpace, block: number, run: readonly LayerPlan[]): BlockGene | null {
  const layerDelta = PREFERENCE.layerDelta.find(
    (delta) => blockLayerCount(space, block, delta) === run.length,
  );
  if (layerDelta === undefined) return null;
  if (run.length === 0) return { ...EMPTY_BLOCK_FIELDS, layerDelta };

  const first = run[0];
  if (first.stride !== space.blocks[block].stride) return null;
  const width = first.outChannels;
  const sameShape = run.every(
    (layer, index) =>
      layer.op === first.op &&
      layer.kernelSize === first.kernelSize &&
      layer.outChannels === width &&
      (index === 0 || (layer.stride === 1 && layer.inChannels === width)),
  );
  if (!sameShape) return null;

  const filterMultiplier = PREFERENCE.filterMultiplier.find((m) => blockWidth(space, block, m) === width);
  const seRatio = PREFERENCE.seRatio.find((ratio) =>
    run.every((layer) => seSqueezeChannels(layer.inChannels, ratio) === layer.seSqueezeChannels),
  );
  const skip = PREFERENCE.skip.find((choice) =>
    run.every(
      (layer) => appliedSkip(choice, layer.stride, layer.inChannels, layer.outChannels) === layer.skip,
    ),
  );
  if (filterMultiplier === undefined || seRatio === undefined || skip === undefined) return null;

  return { op: first.op, kernelSize: first.kernelSize, seRatio, skip, filterMultiplier, layerDelta };
}

/**
 * Returns a key that is equal for two genomes of `space` exactly when they build the same
 * network: the canonical JSON of {@link canonicalGenome}. {@link genomeHash} hashes it.
 */
export function canonicalKey(space: SearchSpace, genome: Genome): string {
  return canonicalJson(canonicalGenome(space, genome));
}

/**
 * Returns the sha256 hex digest of the space's {@link spaceFingerprint} and the canonical JSON
 * (sorted keys) of {@link canonicalGenome}. Genomes that build the same network in the same
 * space share a hash, so a result store keyed by it never trains one architecture twice.
 */
export function genomeHash(space: SearchSpace, genome: Genome): string {
  return createHash('sha256')
    .update(spaceFingerprint(space))
    .update('\n')
    .update(canonicalKey(space, genome))
    .digest('hex');
}
