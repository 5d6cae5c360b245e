import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { averageRanks, kendallTauB, pearsonR, spearmanRho } from './correlation.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('averageRanks', () => {
  it('averages tied ranks, best first', () => {
    // Descending: the two 3s share positions 1 and 2 → 1.5; then 2 → 3; then 1 → 4.
    assert.deepEqual(averageRanks([3, 1, 3, 2]), [1.5, 4, 1.5, 3]);
  });

  it('ranks ascending on request', () => {
    // Ascending: 1 → 1; 2 → 2; the two 3s share positions 3 and 4 → 3.5.
    assert.deepEqual(averageRanks([3, 1, 3, 2], 'ascending'), [3.5, 1, 3.5, 2]);
  });

  it('keeps the rank sum n(n + 1)/2', () => {
    const ranks = averageRanks([0.7, 0.7, 0.7, 0.9, 0.1, 0.9]);
    // 0.9 ×2 → (1 + 2)/2 = 1.5; 0.7 ×3 → (3 + 4 + 5)/3 = 4; 0.1 → 6.
    assert.deepEqual(ranks, [4, 4, 4, 1.5, 6, 1.5]);
    assert.equal(
      ranks.reduce((sum, rank) => sum + rank, 0),
      (6 * 7) / 2,
    );
  });

  it('rejects empty and NaN input', () => {
    assertInvalidInput(() => averageRanks([]), /values needs at least one value, but has 0/);
    assertInvalidInput(() => averageRanks([1, Number.NaN]), /values\[1\] is NaN/);
  });
});

describe('kendallTauB', () => {
  it('counts pairs without ties', () => {
    // x = 1 2 3 4, y = 1 3 2 4: of the 6 pairs only (2nd, 3rd) is discordant.
    // τ = (5 − 1) / 6 = 2/3.
    assertClose(kendallTauB([1, 2, 3, 4], [1, 3, 2, 4]), 2 / 3);
  });

  it('corrects for ties', () => {
    // x = 1 2 2 3, y = 1 2 3 3. Pairs (i<j), sign(xj − xi)·sign(yj − yi):
    // (0,1) +1, (0,2) +1, (0,3) +1, (1,2) 0 (tied in x), (1,3) +1, (2,3) 0 (tied in y).
    // n_c − n_d = 4, n_0 = 6, n_1 = 1, n_2 = 1 → τ_b = 4 / √(5 · 5) = 0.8.
    assertClose(kendallTauB([1, 2, 2, 3], [1, 2, 3, 3]), 0.8);
  });

  it('is −1 for reversed order', () => {
    assertClose(kendallTauB([1, 2, 3], [0.9, 0.5, 0.1]), -1);
  });

  it('rejects mismatched, short, NaN and constant input', () => {
    assertInvalidInput(() => kendallTauB([1, 2, 3], [1, 2]), /x has 3 values but y has 2/);
    assertInvalidInput(() => kendallTauB([1], [1]), /x needs at least 2 values, but has 1/);
    assertInvalidInput(() => kendallTauB([1, 2], [1, Number.NaN]), /y\[1\] is NaN/);
    assertInvalidInput(
      () => kendallTauB([1, 1, 1], [1, 2, 3]),
      /x has all values equal, so Kendall τ-b is undefined/,
    );
    assertInvalidInput(() => kendallTauB([1, 2, 3], [4, 4, 4]), /y has all values equal/);
  });
});

describe('spearmanRho', () => {
  it('matches the d² formula without ties', () => {
    // Ranks x = 1 2 3 4 5, y = 2 1 4 3 5; d = −1 1 −1 1 0, Σd² = 4.
    // ρ = 1 − 6·4 / (5 · 24) = 0.8.
    assertClose(spearmanRho([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]), 0.8);
  });

  it('uses average ranks for ties', () => {
    // Ranks x = 1 2.5 2.5 4, y = 1 2 3.5 3.5, both with mean 2.5.
    // Deviations x: −1.5 0 0 1.5, y: −1.5 −0.5 1 1.
    // Σdx·dy = 2.25 + 1.5 = 3.75, Σdx² = 4.5, Σdy² = 2.25 + 0.25 + 1 + 1 = 4.5 → ρ = 3.75/4.5 = 5/6.
    assertClose(spearmanRho([1, 2, 2, 3], [1, 2, 3, 3]), 5 / 6);
  });

  it('is invariant to monotone transforms', () => {
    assertClose(spearmanRho([1, 2, 3, 4], [1, 8, 27, 64]), 1);
  });

  it('rejects constant input', () => {
    assertInvalidInput(() => spearmanRho([2, 2, 2], [1, 2, 3]), /x has all values equal, so Spearman's ρ/);
  });
});

describe('pearsonR', () => {
  it('matches a hand computation', () => {
    // x = 1 2 3 (mean 2), y = 2 4 7 (mean 13/3).
    // dx = −1 0 1, dy = −7/3 −1/3 8/3; Σdx·dy = 7/3 + 8/3 = 5; Σdx² = 2; Σdy² = 114/9.
    // r = 5 / √(2 · 114/9) = 15 / √228 ≈ 0.993399.
    assertClose(pearsonR([1, 2, 3], [2, 4, 7]), 15 / Math.sqrt(228));
    assertClose(pearsonR([1, 2, 3], [2, 4, 7]), 0.993399, 1e-6);
  });

  it('is ±1 on exact lines', () => {
    assertClose(pearsonR([0, 1, 2, 3], [1, 3, 5, 7]), 1);
    assertClose(pearsonR([0, 1, 2, 3], [7, 5, 3, 1]), -1);
  });

  it('rejects constant and mismatched input', () => {
    assertInvalidInput(() => pearsonR([0.1, 0.1, 0.1], [1, 2, 3]), /x has all values equal, so Pearson r/);
    assertInvalidInput(() => pearsonR([1, 2], [1, 2, 3]), /x has 2 values but y has 3/);
    assertInvalidInput(() => pearsonR([1, Infinity], [1, 2]), /x\[1\] is Infinity/);
  });
});
