import { ensureFinite } from './checks.js';

/** A candidate's accuracy and latency, the two objectives of the front. */
export interface AccuracyLatency {
  /** Accuracy to maximize. */
  accuracy: number;
  /** Latency in milliseconds to minimize. */
  latencyMs: number;
}

/**
 * Returns the points that no other point dominates, ordered by latency ascending and, within
 * equal latency, in input order. Point a dominates b when a.accuracy ≥ b.accuracy and
 * a.latencyMs ≤ b.latencyMs with at least one inequality strict. So points with equal accuracy
 * and latency do not dominate each other, and duplicates on the front are all kept. A point that
 * only matches another's accuracy at a higher latency is dominated. Returns [] for no points.
 * Throws INVALID_INPUT for an accuracy or latency that is not finite.
 */
export function paretoFront<T extends AccuracyLatency>(points: readonly T[]): T[] {
  points.forEach((point, index) => {
    ensureFinite(point.accuracy, `points[${index}].accuracy`);
    ensureFinite(point.latencyMs, `points[${index}].latencyMs`);
  });

  // Latency ascending, then accuracy descending. Array.prototype.sort is stable since ES2019.
  const order = points
    .map((_, index) => index)
    .sort((i, j) => points[i].latencyMs - points[j].latencyMs || points[j].accuracy - points[i].accuracy);

  const front: number[] = [];
  // Best accuracy among points of strictly lower latency than the current group.
  let bestBefore = -Infinity;
  let start = 0;
  while (start < order.length) {
    const latency = points[order[start]].latencyMs;
    let end = start;
    while (end < order.length && points[order[end]].latencyMs === latency) end++;

    // The group is sorted by accuracy, so its first point has the group's best accuracy.
    const groupBest = points[order[start]].accuracy;
    if (groupBest > bestBefore) {
      for (let k = start; k < end && points[order[k]].accuracy === groupBest; k++) front.push(order[k]);
      bestBefore = groupBest;
    }
    start = end;
  }
  // Within a latency group the sort left equal points in input order, so the front keeps it too.
  return front.map((index) => points[index]);
}
