import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '@akd/core';
import { defaultSearchSpace, encodingLabels, sampleGenome } from '@akd/search-space';

import { computeGenomePca2d, computePca2d } from './pca.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('computePca2d', () => {
  it('explains points on a line fully', () => {
    // Points t·(1, 2): mean (1.5, 3), direction (1, 2)/√5, no variance across the line.
    const result = computePca2d([
      [0, 0],
      [1, 2],
      [2, 4],
      [3, 6],
    ]);
    assert.deepEqual(result.mean, [1.5, 3]);
    assertClose(result.explainedVarianceRatio[0], 1, 1e-12, 'ratio PC1');
    assertClose(result.explainedVarianceRatio[1], 0, 1e-12, 'ratio PC2');
    assertClose(result.loadings[0][0], 1 / Math.sqrt(5), 1e-12, 'w1[0]');
    assertClose(result.loadings[0][1], 2 / Math.sqrt(5), 1e-12, 'w1[1]');
    // (0, 0) − mean = (−1.5, −3); projected on (1, 2)/√5: −7.5/√5.
    assertClose(result.coordinates[0][0], -7.5 / Math.sqrt(5), 1e-12, 'PC1 of point 0');
    assertClose(result.coordinates[0][1], 0, 1e-12, 'PC2 of point 0');
    // Sample variance along the line: |t − 1.5|·√5 for t = 0…3 → (2.25 + 0.25 + 0.25 + 2.25)·5 / 3 = 25/3.
    assertClose(result.variances[0], 25 / 3, 1e-12, 'λ1');
  });

  it('finds axis-aligned components', () => {
    // x spread ±2, y spread ±1, uncorrelated: C = diag(8/3, 2/3), ratios 0.8 and 0.2.
    const result = computePca2d([
      [2, 0],
      [-2, 0],
      [0, 1],
      [0, -1],
    ]);
    assertClose(result.variances[0], 8 / 3, 1e-12, 'λ1');
    assertClose(result.variances[1], 2 / 3, 1e-12, 'λ2');
    assertClose(result.explainedVarianceRatio[0], 0.8, 1e-12, 'ratio PC1');
    assertClose(result.explainedVarianceRatio[1], 0.2, 1e-12, 'ratio PC2');
    assertClose(result.loadings[0][0], 1, 1e-12, 'w1[0]');
    assertClose(result.loadings[1][1], 1, 1e-12, 'w2[1]');
  });

  it('finds rotated components', () => {
    // ±(2, 2) and ±(1, −1): C = [[10/3, 2], [2, 10/3]], eigenvalues 16/3 on (1, 1)/√2 and 4/3 on (1, −1)/√2.
    const result = computePca2d([
      [2, 2],
      [-2, -2],
      [1, -1],
      [-1, 1],
    ]);
    assertClose(result.variances[0], 16 / 3, 1e-12, 'λ1');
    assertClose(result.variances[1], 4 / 3, 1e-12, 'λ2');
    assertClose(result.explainedVarianceRatio[0], 0.8, 1e-12, 'ratio PC1');
    assertClose(result.loadings[0][0], Math.SQRT1_2, 1e-12, 'w1[0]');
    assertClose(result.loadings[0][1], Math.SQRT1_2, 1e-12, 'w1[1]');
    // Equal magnitudes: the first entry is made positive.
    assertClose(result.loadings[1][0], Math.SQRT1_2, 1e-12, 'w2[0]');
    assertClose(result.loadings[1][1], -Math.SQRT1_2, 1e-12, 'w2[1]');
    // (2, 2)·(1, 1)/√2 = 2√2; (1, −1)·(1, −1)/√2 = √2.
    assertClose(result.coordinates[0][0], 2 * Math.SQRT2, 1e-12, 'PC1 of (2, 2)');
    assertClose(result.coordinates[2][1], Math.SQRT2, 1e-12, 'PC2 of (1, −1)');
  });

  it('fixes the sign by the largest loading', () => {
    // Points t·(1, −3) lie on the direction ±(1, −3)/√10. The entry of largest magnitude is the
    // second, so the convention picks (−1, 3)/√10, and the point (3, −9) gets a negative PC1.
    const result = computePca2d([
      [0, 0],
      [1, -3],
      [2, -6],
      [3, -9],
    ]);
    assertClose(result.loadings[0][0], -1 / Math.sqrt(10), 1e-12, 'w1[0]');
    assertClose(result.loadings[0][1], 3 / Math.sqrt(10), 1e-12, 'w1[1]');
    // (3, −9) − (1.5, −4.5) = (1.5, −4.5); (1.5, −4.5)·(−1, 3)/√10 = −15/√10.
    assertClose(result.coordinates[3][0], -15 / Math.sqrt(10), 1e-12, 'PC1 of (3, −9)');
  });

  it('projects genome encodings with labels', () => {
    const space = defaultSearchSpace([28, 28, 1], 10);
    const rng = new Rng(3);
    const genomes = Array.from({ length: 30 }, () => sampleGenome(space, rng));
    const result = computeGenomePca2d(space, genomes);
    assert.deepEqual(result.labels, encodingLabels(space));
    assert.equal(result.loadings[0].length, result.labels.length);
    assert.equal(result.coordinates.length, 30);
    const ratios = result.explainedVarianceRatio;
    assert.ok(
      ratios[0] >= ratios[1] && ratios[1] > 0 && ratios[0] + ratios[1] < 1,
      `ratios ${ratios.join(', ')}`,
    );
  });

  it('rejects bad input', () => {
    assertInvalidInput(() => computePca2d([[1, 2]]), /PCA needs at least two rows, but 1 was given/);
    assertInvalidInput(
      () => computePca2d([[1], [2]]),
      /rows\[0\] has 1 columns. A 2-D projection needs at least two/,
    );
    assertInvalidInput(() => computePca2d([[1, 2], [3]]), /rows\[1\] has 1 columns but rows\[0\] has 2/);
    assertInvalidInput(
      () =>
        computePca2d([
          [1, 2],
          [3, Number.NaN],
        ]),
      /rows\[1\]\[1\] is NaN/,
    );
    assertInvalidInput(
      () =>
        computePca2d([
          [0.1, 0.2],
          [0.1, 0.2],
        ]),
      /All 2 rows are identical/,
    );
  });
});
