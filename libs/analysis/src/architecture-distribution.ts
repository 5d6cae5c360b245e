import { AkdError } from '@akd/core';
import {
  BLOCK_CHOICES,
  blockLayerCount,
  canonicalGenome,
  type BlockGene,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';

import { ensureFinite } from './checks.js';

/** Genomes of one generation, either as proposed or as distinct candidates, as the caller chooses. */
export interface GenerationGenomes {
  generation: number;
  genomes: readonly Genome[];
}

/** How many counted blocks chose one value, and their share of all counted blocks. */
export interface ChoiceCount<V> {
  value: V;
  count: number;
  /** count / blocks of the generation, so the shares of one field sum to 1. */
  share: number;
}

/** Frequency of each op, kernel size, SE ratio and skip in one generation. */
export interface GenerationDistribution {
  generation: number;
  /** Number of genomes in the generation. */
  genomes: number;
  /** Number of blocks counted: blocks with at least one layer, summed over the genomes. */
  blocks: number;
  /** One entry per op of the search space, in the order of `BLOCK_CHOICES.op`. */
  op: ChoiceCount<BlockGene['op']>[];
  kernelSize: ChoiceCount<BlockGene['kernelSize']>[];
  seRatio: ChoiceCount<BlockGene['seRatio']>[];
  skip: ChoiceCount<BlockGene['skip']>[];
}

/**
 * Counts the op, kernel size, SE ratio and skip choices per generation, over every block of every
 * genome, and divides each count by the number of blocks counted. It counts the canonical genome
 * (`canonicalGenome`) so that a skip no layer of the block can apply counts as `none`. It leaves
 * out blocks without layers, such as those a layer delta of −1 removed, because their choices
 * build nothing.
 * Choices no block took appear with count 0. Generations come back in ascending order.
 *
 * Throws INVALID_INPUT for a repeated generation, a generation without genomes or with only empty
 * blocks, and whatever `canonicalGenome` throws for a genome that does not fit `space`.
 */
export function countArchitectureChoices(
  space: SearchSpace,
  generations: readonly GenerationGenomes[],
): GenerationDistribution[] {
  const seen = new Set<number>();
  generations.forEach((entry, index) => {
    ensureFinite(entry.generation, `generations[${index}].generation`);
    if (seen.has(entry.generation)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Generation ${entry.generation} appears twice. Pass each generation once.`,
        {
          generation: entry.generation,
        },
      );
    }
    seen.add(entry.generation);
  });

  return [...generations]
    .sort((a, b) => a.generation - b.generation)
    .map((entry) => countGeneration(space, entry));
}

function countGeneration(space: SearchSpace, entry: GenerationGenomes): GenerationDistribution {
  if (entry.genomes.length === 0) {
    throw new AkdError('INVALID_INPUT', `Generation ${entry.generation} has no genomes. Pass at least one.`, {
      generation: entry.generation,
    });
  }

  const counted: BlockGene[] = [];
  for (const genome of entry.genomes) {
    canonicalGenome(space, genome).blocks.forEach((gene, block) => {
      if (blockLayerCount(space, block, gene.layerDelta) > 0) counted.push(gene);
    });
  }
  if (counted.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Every block of generation ${entry.generation} is empty, so there are no choices to count.`,
      { generation: entry.generation },
    );
  }

  return {
    generation: entry.generation,
    genomes: entry.genomes.length,
    blocks: counted.length,
    op: tally(counted, BLOCK_CHOICES.op, (gene) => gene.op),
    kernelSize: tally(counted, BLOCK_CHOICES.kernelSize, (gene) => gene.kernelSize),
    seRatio: tally(counted, BLOCK_CHOICES.seRatio, (gene) => gene.seRatio),
    skip: tally(counted, BLOCK_CHOICES.skip, (gene) => gene.skip),
  };
}

function tally<V>(
  genes: readonly BlockGene[],
  choices: readonly V[],
  field: (gene: BlockGene) => V,
): ChoiceCount<V>[] {
  return choices.map((value) => {
    const count = genes.filter((gene) => field(gene) === value).length;
    return { value, count, share: count / genes.length };
  });
}
