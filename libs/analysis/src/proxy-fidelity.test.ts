import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { measureProxyFidelity } from './proxy-fidelity.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('measureProxyFidelity', () => {
  it('ranks proxy against final accuracy', () => {
    // Proxy ranks 1 2 3 4 5, final ranks 2 1 4 3 5 (ascending); Σd² = 4 → ρ = 1 − 24/120 = 0.8.
    const fidelity = measureProxyFidelity([
      { proxyAccuracy: 0.5, finalAccuracy: 0.81 },
      { proxyAccuracy: 0.55, finalAccuracy: 0.8 },
      { proxyAccuracy: 0.6, finalAccuracy: 0.86 },
      { proxyAccuracy: 0.65, finalAccuracy: 0.85 },
      { proxyAccuracy: 0.7, finalAccuracy: 0.9 },
    ]);
    assertClose(fidelity.spearman, 0.8, 1e-12, 'ρ');
    assert.equal(fidelity.n, 5);
  });

  it('rejects too few or constant candidates', () => {
    assertInvalidInput(
      () => measureProxyFidelity([{ proxyAccuracy: 0.5, finalAccuracy: 0.8 }]),
      /at least two candidates, but 1 was given/,
    );
    assertInvalidInput(
      () =>
        measureProxyFidelity([
          { proxyAccuracy: 0.5, finalAccuracy: 0.8 },
          { proxyAccuracy: 0.5, finalAccuracy: 0.9 },
        ]),
      /Every candidate has proxyAccuracy 0.5/,
    );
    assertInvalidInput(
      () =>
        measureProxyFidelity([
          { proxyAccuracy: 0.5, finalAccuracy: 0.8 },
          { proxyAccuracy: Number.NaN, finalAccuracy: 0.9 },
        ]),
      /candidates\[1\].proxyAccuracy is NaN/,
    );
  });
});
