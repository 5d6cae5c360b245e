import type { TrainedModel } from '@akd/db';

/**
 * Orders final models of one candidate so that the one an analysis shows comes first: the most
 * epochs, then the newest (ids are UUIDv7, so their order is the order of creation).
 */
export function byEpochsThenNewest(a: TrainedModel, b: TrainedModel): number {
  return b.epochs - a.epochs || b.id.localeCompare(a.id);
}
