import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { welchTTest } from './welch-test.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('welchTTest', () => {
  it('matches a hand computation for equal spreads', () => {
    // Means 0.82 and 0.81, s² = 0.0004 each, n = 3 → v = s²/n = 0.0004/3 each.
    // SE = √(0.0008/3) ≈ 0.016330, t = 0.01 / SE ≈ 0.612372.
    // ν = (2v)² / (2 · v²/2) = 4.
    const result = welchTTest([0.8, 0.82, 0.84], [0.79, 0.81, 0.83]);
    assertClose(result.meanDifference, 0.01, 1e-12, 'meanDifference');
    assertClose(result.standardError, Math.sqrt(0.0008 / 3), 1e-12, 'standardError');
    assertClose(result.t, 0.01 / Math.sqrt(0.0008 / 3), 1e-9, 't');
    assertClose(result.degreesOfFreedom, 4, 1e-9, 'degreesOfFreedom');
    // For ν = 4 the two-sided p is 1 − (3/4)·u·(1 − u²/12) with u = |t| / √(1 + t²/4).
    const u = result.t / Math.sqrt(1 + result.t ** 2 / 4);
    assertClose(result.pValue, 1 - 0.75 * u * (1 - u ** 2 / 12), 1e-12, 'pValue');
    assertClose(result.pValue, 0.573392, 1e-6, 'pValue');
  });

  it('uses Welch degrees of freedom for unequal samples', () => {
    // a = 1 2 3: mean 2, s² = 1, v_a = 1/3. b = 4 8: mean 6, s² = 8, v_b = 4.
    // t = −4 / √(13/3) ≈ −1.921538. ν = (13/3)² / ((1/3)²/2 + 4²/1) = (169/9) / (289/18) = 338/289.
    const result = welchTTest([1, 2, 3], [4, 8]);
    assertClose(result.t, -4 / Math.sqrt(13 / 3), 1e-12, 't');
    assertClose(result.degreesOfFreedom, 338 / 289, 1e-12, 'degreesOfFreedom');
    // scipy 1.17 stats.ttest_ind([1, 2, 3], [4, 8], equal_var=False) gives p = 0.2765208210608052.
    assertClose(result.pValue, 0.2765208210608052, 1e-12, 'pValue');
  });

  it('degenerates without variance', () => {
    const same = welchTTest([0.5, 0.5], [0.5, 0.5, 0.5]);
    assert.equal(same.t, 0);
    assert.equal(same.pValue, 1);
    assert.equal(same.degreesOfFreedom, 3);
    const apart = welchTTest([0.5, 0.5], [0.25, 0.25]);
    assert.equal(apart.t, Infinity);
    assert.equal(apart.pValue, 0);
  });

  it('rejects samples shorter than two', () => {
    assertInvalidInput(() => welchTTest([0.5], [0.5, 0.6]), /a needs at least 2 values, but has 1/);
    assertInvalidInput(() => welchTTest([0.5, 0.6], [0.5, Number.NaN]), /b\[1\] is NaN/);
  });
});
