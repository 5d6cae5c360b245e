/**
 * Route schedule of route-constrained optimisation (RCO) from Jin et al., "Knowledge Distillation
 * via Route Constrained Optimization", ICCV 2019. The student is distilled from a sequence of the
 * teacher's intermediate checkpoints, easy to hard (the route), and moves to the next anchor every
 * `epochsPerAnchor` epochs.
 */
import { AkdError } from '@akd/core';
import { validateHintonSettings, type HintonSettings } from '../train/losses.js';

/**
 * Variant of the trainer's `TrainingLoss` for RCO: Hinton KD against `route[a]`, where anchor `a`
 * is {@link routeAnchorIndex} of the epoch. Every matrix in `route` contains the logits of one
 * teacher checkpoint, laid out by the same rows.
 */
export type RouteTrainingLoss = {
  kind: 'rco';
  /** Teacher-logits matrices of the anchors, from the earliest checkpoint to the final teacher. */
  route: readonly Float32Array[];
  numClasses: number;
  epochsPerAnchor: number;
  /** Called at the start of every epoch with the 0-based epoch and the index of the anchor it uses. */
  onAnchor?: (epoch: number, anchor: number) => void;
} & HintonSettings;

/**
 * Returns the 0-based index of the anchor that epoch `epoch` (0-based) distills from. Anchor `a`
 * covers epochs `a·k` to `a·k + k − 1` for `k = epochsPerAnchor`, and later epochs stay on the
 * last anchor, which is the final teacher.
 */
export function routeAnchorIndex(epoch: number, epochsPerAnchor: number, routeLength: number): number {
  return Math.min(Math.floor(epoch / epochsPerAnchor), routeLength - 1);
}

/** Throws an INVALID_INPUT error naming the value unless the route is non-empty and `epochsPerAnchor` is a whole number of at least 1. */
export function validateRouteSchedule(routeLength: number, epochsPerAnchor: number): void {
  if (routeLength < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      'The checkpoint route is empty: give at least one teacher checkpoint, ordered from the earliest epoch to the final teacher.',
      { routeLength },
    );
  }
  if (!Number.isInteger(epochsPerAnchor) || epochsPerAnchor < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid epochs per anchor ${epochsPerAnchor}: use a whole number of at least 1.`,
      { epochsPerAnchor },
    );
  }
}

/**
 * Throws an INVALID_INPUT error unless the Hinton settings and the schedule are valid and every
 * anchor's logits matrix has whole rows and the same size as the others.
 */
export function validateRouteTrainingLoss(loss: RouteTrainingLoss): void {
  validateHintonSettings(loss);
  validateRouteSchedule(loss.route.length, loss.epochsPerAnchor);
  const { numClasses, route } = loss;
  if (!Number.isInteger(numClasses) || numClasses < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid number of classes ${numClasses}: use a whole number of at least 1.`,
      {
        numClasses,
      },
    );
  }
  route.forEach((logits, anchor) => {
    if (logits.length !== route[0].length || logits.length % numClasses !== 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `Route anchor ${anchor} has ${logits.length} logits but anchor 0 has ${route[0].length}: every anchor needs ${numClasses} logits for each of the same rows.`,
        { anchor, length: logits.length, firstLength: route[0].length, numClasses },
      );
    }
  });
}

/**
 * Picks `count` items of `checkpoints` (sorted by training epoch, the final teacher last) at equal
 * epoch intervals, always ending with the last one, as in the equal-epoch-interval anchor selection
 * of Jin et al. With fewer checkpoints than `count` it returns all of them.
 */
export function selectEqualIntervalRoute<T extends { epoch: number }>(
  checkpoints: readonly T[],
  count: number,
): T[] {
  validateRouteSchedule(checkpoints.length, 1);
  if (!Number.isInteger(count) || count < 1) {
    throw new AkdError('INVALID_INPUT', `Invalid route length ${count}: use a whole number of at least 1.`, {
      count,
    });
  }
  if (count >= checkpoints.length) return [...checkpoints];
  const last = checkpoints[checkpoints.length - 1].epoch;
  const chosen: T[] = [];
  for (let i = 1; i <= count; i++) {
    // Target epochs last·i/count, each matched to the closest checkpoint not chosen yet.
    const target = (last * i) / count;
    let best = -1;
    for (let j = 0; j < checkpoints.length; j++) {
      if (chosen.includes(checkpoints[j])) continue;
      if (best < 0 || Math.abs(checkpoints[j].epoch - target) < Math.abs(checkpoints[best].epoch - target))
        best = j;
    }
    chosen.push(checkpoints[best]);
  }
  return chosen.sort((a, b) => a.epoch - b.epoch);
}
