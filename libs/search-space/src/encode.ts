import { canonicalGenome } from './canonical.js';
import { choicesFromGenome, decisionsFor } from './decisions.js';
import { buildPlan } from './plan.js';
import type { ConvOp, Genome, SearchSpace, SkipOp } from './types.js';

/**
 * Encodes `genome` as the concatenated one-hot vectors of its decisions, in the order of
 * {@link decisionsFor} (17 entries per block). It encodes the {@link canonicalGenome}, so genomes
 * that build the same network get the same vector. {@link encodingLabels} names the entries.
 */
export function encodeGenome(space: SearchSpace, genome: Genome): number[] {
  const canonical = canonicalGenome(space, genome);
  const choices = choicesFromGenome(space, canonical);
  return decisionsFor(space).flatMap((decision, index) =>
    decision.choices.map((_, choice) => (choice === choices[index] ? 1 : 0)),
  );
}

/** Returns a label such as `blocks[2].op=mbconv6` for every entry of {@link encodeGenome}. */
export function encodingLabels(space: SearchSpace): string[] {
  return decisionsFor(space).flatMap((decision) =>
    decision.choices.map((choice) => `blocks[${decision.block}].${decision.name}=${choice}`),
  );
}

const OP_LABEL = { conv: 'c', dconv: 'dc', mbconv3: 'mb3', mbconv6: 'mb6' } as const satisfies Record<
  ConvOp,
  string
>;
const SKIP_LABEL = { none: '', identity: '-i', pool: '-p' } as const satisfies Record<SkipOp, string>;

/**
 * Summarizes the network of `genome` in one line for leaderboards, one entry per block joined
 * by ` | `, for example `ck3×1@16 | mb6k5se-i×2@24 | …`. Each entry is the op (c, dc, mb3, mb6),
 * `k` and the kernel size, `se` if SE is on, `-i` or `-p` for an identity or pool skip, `×` and
 * the layer count, then `@` and the width in channels. A block without layers shows as `∅`.
 * The summary describes the {@link canonicalGenome}, so a skip that no layer can apply is not shown.
 */
export function describeGenome(space: SearchSpace, genome: Genome): string {
  const canonical = canonicalGenome(space, genome);
  const plan = buildPlan(space, canonical);
  let next = 0;
  return canonical.blocks
    .map((gene, block) => {
      const count = plan.blockLayerCounts[block];
      const first = plan.layers[next];
      next += count;
      if (count === 0) return '∅';
      const se = gene.seRatio > 0 ? 'se' : '';
      return `${OP_LABEL[gene.op]}k${gene.kernelSize}${se}${SKIP_LABEL[gene.skip]}×${count}@${first.outChannels}`;
    })
    .join(' | ');
}
