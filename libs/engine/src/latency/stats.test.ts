import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { meanAbsolutePercentError, pearson, ranks, spearman } from './stats.js';

describe('ranks', () => {
  it('averages ties', () => {
    assert.deepEqual(ranks([10, 30, 20, 30]), [1, 3.5, 2, 3.5]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation', () => {
    assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 1000]), 1);
  });

  it('is -1 for a decreasing relation', () => {
    assert.equal(spearman([1, 2, 3], [9, 5, 1]), -1);
  });

  it('handles ties', () => {
    // Ranks [1, 2.5, 2.5, 4] against [1, 2, 3, 4].
    assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-12);
  });
});

describe('pearson', () => {
  it('matches a hand computation', () => {
    // Sxy 5.5, Sxx 5, Syy 8.75.
    assert.ok(Math.abs(pearson([0, 1, 2, 3], [1, 3, 2, 5]) - 5.5 / Math.sqrt(5 * 8.75)) < 1e-12);
  });

  it('rejects series of different lengths', () => {
    assert.throws(() => pearson([1, 2], [1, 2, 3]), /got 2 and 3 values/);
  });
});

describe('meanAbsolutePercentError', () => {
  it('averages relative errors', () => {
    assert.ok(Math.abs(meanAbsolutePercentError([11, 18], [10, 20]) - 10) < 1e-12);
  });

  it('rejects a zero actual value', () => {
    assert.throws(() => meanAbsolutePercentError([1, 1], [1, 0]), /Actual value 1 is 0/);
  });
});
