import { AkdError, type Rng } from '@akd/core';

import { canonicalKey } from './canonical.js';
import { choicesFromGenome, decisionsFor, genomeFromChoices } from './decisions.js';
import { validateSearchSpace } from './space.js';
import type { Genome, SearchSpace } from './types.js';
import { validateGenome } from './validate.js';

/**
 * Draws a genome with every decision of {@link decisionsFor} uniform and independent. The result
 * is uniform over genomes, not over networks: networks that many genomes build (for example
 * through clamped deltas or skips the shapes do not allow) come up more often.
 */
export function sampleGenome(space: SearchSpace, rng: Rng): Genome {
  validateSearchSpace(space);
  const choices = decisionsFor(space).map((decision) => rng.int(decision.choices.length));
  return genomeFromChoices(space, choices);
}

/** A single-decision change: decision `decision` of {@link decisionsFor} set to choice index `choice`. */
interface Mutation {
  decision: number;
  choice: number;
  /** Probability of proposing this change: a uniform decision, then a uniform different value. */
  weight: number;
}

/**
 * Returns a copy of `genome` with exactly one decision set to a different value, such that the
 * network changes (the {@link genomeHash} differs). Each proposal picks a uniform decision and a
 * uniform different value for it. A proposal that leaves the canonical genome unchanged is rejected,
 * and the next one is drawn from the proposals not yet tried. The call therefore always ends,
 * because every genome has an effective change: the op of a block with layers, or the delta of a
 * removed block.
 */
export function mutateGenome(space: SearchSpace, genome: Genome, rng: Rng): Genome {
  validateGenome(space, genome);
  const parentKey = canonicalKey(space, genome);
  const parentChoices = choicesFromGenome(space, genome);
  const decisions = decisionsFor(space);

  const pool: Mutation[] = [];
  decisions.forEach((decision, index) => {
    const alternatives = decision.choices.length - 1;
    for (let choice = 0; choice < decision.choices.length; choice++) {
      if (choice === parentChoices[index]) continue;
      pool.push({ decision: index, choice, weight: 1 / (decisions.length * alternatives) });
    }
  });

  while (pool.length > 0) {
    const picked = drawWeighted(pool, rng);
    const [mutation] = pool.splice(picked, 1);
    const choices = [...parentChoices];
    choices[mutation.decision] = mutation.choice;
    const child = genomeFromChoices(space, choices);
    if (canonicalKey(space, child) !== parentKey) return child;
  }
  throw new AkdError(
    'INTERNAL',
    'Internal error: mutateGenome found no single-decision change that alters the network.',
  );
}

/** Returns the index of an entry of `pool` drawn with probability proportional to its weight. */
function drawWeighted(pool: readonly Mutation[], rng: Rng): number {
  const total = pool.reduce((sum, mutation) => sum + mutation.weight, 0);
  let target = rng.next() * total;
  for (let index = 0; index < pool.length; index++) {
    target -= pool[index].weight;
    if (target < 0) return index;
  }
  return pool.length - 1;
}
