import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { paretoFront } from './pareto.js';
import { assertInvalidInput } from './test-support.js';

function point(
  id: string,
  accuracy: number,
  latencyMs: number,
): { id: string; accuracy: number; latencyMs: number } {
  return { id, accuracy, latencyMs };
}

describe('paretoFront', () => {
  it('keeps undominated points in latency order', () => {
    const front = paretoFront([
      point('E', 0.9, 30),
      point('A', 0.8, 10),
      point('B', 0.85, 20),
      point('X', 0.7, 25),
    ]);
    assert.deepEqual(
      front.map((entry) => entry.id),
      ['A', 'B', 'E'],
    );
  });

  it('handles ties', () => {
    const front = paretoFront([
      point('E', 0.9, 30),
      point('A', 0.8, 10),
      point('B', 0.85, 20),
      point('C', 0.85, 20), // equal to B: neither dominates, both stay, in input order
      point('D', 0.8, 15), // A's accuracy at a higher latency: dominated by A
      point('F', 0.85, 25), // B's accuracy at a higher latency: dominated by B
      point('G', 0.75, 10), // A's latency with lower accuracy: dominated by A
      point('H', 0.9, 30), // equal to E: kept after E
    ]);
    assert.deepEqual(
      front.map((entry) => entry.id),
      ['A', 'B', 'C', 'E', 'H'],
    );
  });

  it('returns nothing for no points', () => {
    assert.deepEqual(paretoFront([]), []);
  });

  it('rejects NaN', () => {
    assertInvalidInput(() => paretoFront([point('A', 0.8, Number.NaN)]), /points\[0\].latencyMs is NaN/);
  });
});
