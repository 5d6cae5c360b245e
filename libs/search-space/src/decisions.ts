import type { BlockGene, Genome, SearchSpace } from './types.js';

/** Values each block decision can take, in the order controllers index them. */
export const BLOCK_CHOICES = {
  op: ['conv', 'dconv', 'mbconv3', 'mbconv6'],
  kernelSize: [3, 5],
  seRatio: [0, 0.25],
  skip: ['none', 'identity', 'pool'],
  filterMultiplier: [0.75, 1, 1.25],
  layerDelta: [-1, 0, 1],
} as const satisfies { [K in keyof BlockGene]: readonly BlockGene[K][] };

/** Names of the per-block decisions, in controller order. */
export const DECISION_NAMES = Object.keys(BLOCK_CHOICES) as (keyof BlockGene)[];

/** One categorical decision a controller makes: a field of one block's gene. */
export interface Decision {
  /** Index of the block in `SearchSpace.blocks`. */
  block: number;
  /** Gene field that this decision sets. */
  name: keyof BlockGene;
  /** Allowed values of the field; a controller outputs an index into this list. */
  choices: readonly (string | number)[];
}

/** Lists the decisions of `space`: one per block field, blocks in order. */
export function decisionsFor(space: SearchSpace): Decision[] {
  return space.blocks.flatMap((_, block) =>
    DECISION_NAMES.map((name) => ({ block, name, choices: BLOCK_CHOICES[name] })),
  );
}

/** Builds the genome whose decision `i` takes choice `choices[i]` of {@link decisionsFor}. */
export function genomeFromChoices(space: SearchSpace, choices: readonly number[]): Genome {
  const decisions = decisionsFor(space);
  if (choices.length !== decisions.length) {
    throw new Error(`Expected ${decisions.length} choice indices, got ${choices.length}`);
  }
  const blocks = space.blocks.map(() => ({}) as Record<string, unknown>);
  decisions.forEach((d, i) => {
    const index = choices[i];
    if (!Number.isInteger(index) || index < 0 || index >= d.choices.length) {
      throw new Error(`Choice index ${index} is out of range for ${d.name} of block ${d.block}`);
    }
    blocks[d.block][d.name] = d.choices[index];
  });
  return { blocks: blocks as unknown as BlockGene[] };
}

/** Returns the choice index of every decision of {@link decisionsFor} for `genome`. */
export function choicesFromGenome(space: SearchSpace, genome: Genome): number[] {
  return decisionsFor(space).map((d) => {
    const value = genome.blocks[d.block][d.name];
    const index = d.choices.indexOf(value as never);
    if (index < 0) throw new Error(`Value ${String(value)} is not a choice of ${d.name}`);
    return index;
  });
}
