import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { summarizeSample } from './descriptive.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('summarizeSample', () => {
  it('uses the n − 1 variance', () => {
    // mean 0.82; deviations −0.02 0 0.02; s² = 0.0008 / 2 = 0.0004; s = 0.02; SE = 0.02/√3.
    const summary = summarizeSample([0.8, 0.82, 0.84]);
    assert.equal(summary.n, 3);
    assertClose(summary.mean, 0.82);
    assertClose(summary.variance, 0.0004);
    assertClose(summary.standardDeviation, 0.02);
    assertClose(summary.standardError, 0.02 / Math.sqrt(3));
  });

  it('gives equal values zero spread', () => {
    const summary = summarizeSample([0.1, 0.1, 0.1]);
    assert.equal(summary.mean, 0.1);
    assert.equal(summary.variance, 0);
    assert.equal(summary.standardError, 0);
  });

  it('has no spread for one value', () => {
    const summary = summarizeSample([0.7]);
    assert.equal(summary.mean, 0.7);
    assert.equal(summary.variance, null);
    assert.equal(summary.standardDeviation, null);
    assert.equal(summary.standardError, null);
  });

  it('rejects empty and NaN samples', () => {
    assertInvalidInput(
      () => summarizeSample([], 'accuracies'),
      /accuracies needs at least one value, but has 0/,
    );
    assertInvalidInput(() => summarizeSample([0.5, Number.NaN], 'accuracies'), /accuracies\[1\] is NaN/);
  });
});
