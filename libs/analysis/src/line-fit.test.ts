import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fitLatencyToFlops, fitLine } from './line-fit.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('fitLine', () => {
  it('recovers an exact line', () => {
    const fit = fitLine([0, 1, 2, 3], [1, 3, 5, 7]);
    assertClose(fit.slope, 2, 1e-12, 'slope');
    assertClose(fit.intercept, 1, 1e-12, 'intercept');
    assertClose(fit.rSquared, 1, 1e-12, 'R²');
    assert.equal(fit.n, 4);
  });

  it('matches a hand computation', () => {
    // x = 1 2 3 (mean 2), y = 1 2 2 (mean 5/3). Sxy = (−1)(−2/3) + 0 + (1)(1/3) = 1, Sxx = 2.
    // a = 1/2, b = 5/3 − 1 = 2/3. Fitted 7/6, 5/3, 13/6; residuals −1/6, 1/3, −1/6 → SS_res = 1/6.
    // SS_tot = 4/9 + 1/9 + 1/9 = 2/3 → R² = 1 − (1/6)/(2/3) = 0.75.
    const fit = fitLine([1, 2, 3], [1, 2, 2]);
    assertClose(fit.slope, 0.5, 1e-12, 'slope');
    assertClose(fit.intercept, 2 / 3, 1e-12, 'intercept');
    assertClose(fit.rSquared, 0.75, 1e-12, 'R²');
  });

  it('has no R² for constant y', () => {
    const fit = fitLine([1, 2, 3], [0.3, 0.3, 0.3]);
    assert.equal(fit.slope, 0);
    assert.equal(fit.intercept, 0.3);
    assert.equal(fit.rSquared, null);
  });

  it('rejects bad input', () => {
    assertInvalidInput(() => fitLine([1, 2], [1]), /x has 2 values but y has 1/);
    assertInvalidInput(() => fitLine([1], [1]), /x needs at least 2 values, but has 1/);
    assertInvalidInput(() => fitLine([1, 2], [1, Number.NaN]), /y\[1\] is NaN/);
    assertInvalidInput(() => fitLine([2, 2], [1, 3]), /Every x is 2, so the slope is undefined/);
  });
});

describe('fitLatencyToFlops', () => {
  it('fits milliseconds per FLOP', () => {
    // latency = 2 ms per million FLOPs + 0.5 ms.
    const fit = fitLatencyToFlops([
      { flops: 1e6, latencyMs: 2.5 },
      { flops: 3e6, latencyMs: 6.5 },
      { flops: 5e6, latencyMs: 10.5 },
    ]);
    assertClose(fit.slope, 2e-6, 1e-18, 'slope');
    assertClose(fit.intercept, 0.5, 1e-9, 'intercept');
    assertClose(fit.rSquared, 1, 1e-12, 'R²');
  });

  it('names the bad point', () => {
    assertInvalidInput(
      () => fitLatencyToFlops([{ flops: 1e6, latencyMs: 1 }]),
      /at least two points, but 1 was given/,
    );
    assertInvalidInput(
      () =>
        fitLatencyToFlops([
          { flops: 1e6, latencyMs: 1 },
          { flops: 2e6, latencyMs: Number.NaN },
        ]),
      /points\[1\].latencyMs is NaN/,
    );
    assertInvalidInput(
      () =>
        fitLatencyToFlops([
          { flops: 1e6, latencyMs: 1 },
          { flops: 1e6, latencyMs: 2 },
        ]),
      /Every point has 1000000 FLOPs/,
    );
  });
});
