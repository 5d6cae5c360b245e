/** A scored point: higher accuracy and lower latency are better. */
export interface ScoredPoint {
  id: string;
  accuracy: number;
  latencyMs: number;
}

/**
 * Returns the points that no other point dominates, by increasing latency. A point dominates
 * another when its accuracy is at least as high and its latency at most as high, with one of the
 * two strictly better. Identical points do not dominate each other, so all of them are kept.
 */
export function paretoFront<T extends ScoredPoint>(points: readonly T[]): T[] {
  const sorted = [...points].sort(
    (a, b) => a.latencyMs - b.latencyMs || b.accuracy - a.accuracy || a.id.localeCompare(b.id),
  );
  const front: T[] = [];
  for (const point of sorted) {
    const last = front.at(-1);
    if (last === undefined || point.accuracy > last.accuracy) {
      front.push(point);
    } else if (point.accuracy === last.accuracy && point.latencyMs === last.latencyMs) {
      front.push(point);
    }
  }
  return front;
}
