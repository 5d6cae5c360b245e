import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { fitFlopsLatency, fitLinear, predictFromFlops } from './flops-fit.js';

function assertClose(actual: number, expected: number, message?: string): void {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${message ?? ''} expected ${expected}, got ${actual}`);
}

describe('fitLinear', () => {
  it('recovers an exact line', () => {
    const fit = fitLinear([0, 1, 2, 5].map((x) => ({ x, y: 2 * x + 1 })));
    assertClose(fit.slope, 2);
    assertClose(fit.intercept, 1);
    assertClose(fit.r2, 1);
  });

  it('fits scattered points', () => {
    // Means 1.5 and 2.75, Sxx 5, Sxy 5.5, Syy 8.75: slope 1.1, intercept 1.1, R² = 1.1 · 5.5 / 8.75.
    const fit = fitLinear([
      { x: 0, y: 1 },
      { x: 1, y: 3 },
      { x: 2, y: 2 },
      { x: 3, y: 5 },
    ]);
    assertClose(fit.slope, 1.1, 'slope');
    assertClose(fit.intercept, 1.1, 'intercept');
    assertClose(fit.r2, 6.05 / 8.75, 'R²');
  });

  it('gives R² 1 for constant y', () => {
    const fit = fitLinear([
      { x: 1, y: 4 },
      { x: 3, y: 4 },
    ]);
    assertClose(fit.slope, 0);
    assertClose(fit.r2, 1);
  });

  it('rejects fewer than two points', () => {
    assert.throws(
      () => fitLinear([{ x: 1, y: 1 }]),
      (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.match(error.message, /at least 2 points, got 1/);
        return true;
      },
    );
  });

  it('rejects points with one x', () => {
    assert.throws(
      () =>
        fitLinear([
          { x: 2, y: 1 },
          { x: 2, y: 3 },
        ]),
      /all 2 points have x = 2/,
    );
  });

  it('rejects a non-finite point', () => {
    assert.throws(
      () =>
        fitLinear([
          { x: 0, y: 1 },
          { x: 1, y: Number.NaN },
        ]),
      /Point 1 of the linear fit is not finite/,
    );
  });
});

describe('fitFlopsLatency', () => {
  it('fits milliseconds per multiply-add', () => {
    const fit = fitFlopsLatency([
      { flops: 1e6, latencyMs: 1.5 },
      { flops: 3e6, latencyMs: 2.5 },
      { flops: 5e6, latencyMs: 3.5 },
    ]);
    assertClose(fit.slopeMsPerFlop, 0.5e-6, 'slope');
    assertClose(fit.interceptMs, 1, 'intercept');
    assertClose(fit.r2, 1, 'R²');
    assertClose(predictFromFlops(fit, 7e6), 4.5, 'prediction');
  });
});
