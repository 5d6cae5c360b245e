import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { measureKdFriendliness } from './kd-friendliness.js';
import type { TrainedStudent } from './kd-friendliness.js';
import { assertInvalidInput } from './test-support.js';

// Accuracies are binary fractions, so every difference below is exact.
function student(distilledAccuracy: number, hardLabelAccuracy: number): TrainedStudent {
  return { distilledAccuracy, hardLabelAccuracy };
}

describe('measureKdFriendliness', () => {
  it('compares every AKD student with every NAS student', () => {
    // AKD gains: 0.875 − 0.75 = 0.125 and 0.8125 − 0.75 = 0.0625.
    // NAS gains: 0.0625, 0 and −0.0625.
    // Pairs: 0.125 beats all three (3 wins); 0.0625 ties 0.0625 and beats 0 and −0.0625 (2 wins).
    // Average gain = mean(AKD) − mean(NAS) = 0.09375 − 0 = 0.09375.
    const [row] = measureKdFriendliness([
      {
        generation: 3,
        akd: [student(0.875, 0.75), student(0.8125, 0.75)],
        nas: [student(0.8125, 0.75), student(0.75, 0.75), student(0.6875, 0.75)],
      },
    ]);
    assert.equal(row.generation, 3);
    assert.equal(row.akdMeanGain, 0.09375);
    assert.equal(row.nasMeanGain, 0);
    assert.equal(row.averageGain, 0.09375);
    assert.equal(row.wins, 5);
    assert.equal(row.ties, 1);
    assert.equal(row.comparisons, 6);
    assert.equal(row.winningRatio, 5 / 6);
  });

  it('sorts generations', () => {
    // Generation 0: AKD gain −0.125, NAS gain 0 → AKD loses the only pair.
    const rows = measureKdFriendliness([
      { generation: 5, akd: [student(0.5, 0.25)], nas: [student(0.5, 0.5)] },
      { generation: 0, akd: [student(0.5, 0.625)], nas: [student(0.5, 0.5)] },
    ]);
    assert.deepEqual(
      rows.map((row) => row.generation),
      [0, 5],
    );
    assert.equal(rows[0].averageGain, -0.125);
    assert.equal(rows[0].winningRatio, 0);
    assert.equal(rows[1].averageGain, 0.25);
    assert.equal(rows[1].winningRatio, 1);
  });

  it('rejects empty and bad input', () => {
    assertInvalidInput(() => measureKdFriendliness([]), /at least one generation/);
    assertInvalidInput(
      () => measureKdFriendliness([{ generation: 1, akd: [student(0.5, 0.5)], nas: [] }]),
      /Generation 1 has no NAS students/,
    );
    assertInvalidInput(
      () =>
        measureKdFriendliness([{ generation: 1, akd: [student(Number.NaN, 0.5)], nas: [student(0.5, 0.5)] }]),
      /generation 1 akd\[0\].distilledAccuracy is NaN/,
    );
    const entry = { generation: 2, akd: [student(0.5, 0.5)], nas: [student(0.5, 0.5)] };
    assertInvalidInput(() => measureKdFriendliness([entry, entry]), /Generation 2 appears twice/);
  });
});
