import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { paretoFront } from './pareto.js';

const point = (id: string, accuracy: number, latencyMs: number) => ({ id, accuracy, latencyMs });

describe('paretoFront', () => {
  it('drops dominated points', () => {
    const front = paretoFront([
      point('a', 0.8, 2),
      point('b', 0.7, 3),
      point('c', 0.9, 5),
      point('d', 0.85, 5),
    ]);
    assert.deepEqual(
      front.map((p) => p.id),
      ['a', 'c'],
    );
  });

  it('keeps identical points', () => {
    const front = paretoFront([point('a', 0.8, 2), point('b', 0.8, 2)]);
    assert.deepEqual(
      front.map((p) => p.id),
      ['a', 'b'],
    );
  });

  it('drops equal accuracy at higher latency', () => {
    assert.deepEqual(
      paretoFront([point('slow', 0.8, 3), point('fast', 0.8, 2)]).map((p) => p.id),
      ['fast'],
    );
  });

  it('returns nothing for no points', () => {
    assert.deepEqual(paretoFront([]), []);
  });
});
