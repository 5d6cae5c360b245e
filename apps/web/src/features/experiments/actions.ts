'use server';
// Server functions of the experiment page.
import { expandGenome, type Genome, type NetworkPlan, type SearchSpace } from '@akd/search-space';
import { requireSession } from '../../lib/server/api.js';

/** Expands `genome` in `space` into the plan that the architecture diagram draws. */
export async function expandArchitecture(
  space: unknown,
  genome: unknown,
): Promise<{ plan: NetworkPlan } | { error: string }> {
  await requireSession();
  try {
    return { plan: expandGenome(space as SearchSpace, genome as Genome) };
  } catch (error) {
    return { error: `The architecture cannot be drawn: ${(error as Error).message}` };
  }
}
