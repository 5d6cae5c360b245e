import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '@akd/core';

import { orientVector, symmetricEigen } from './symmetric-eigen.js';
import { assertClose, assertInvalidInput } from './test-support.js';

function assertVectorClose(actual: number[], expected: number[], tolerance = 1e-12): void {
  assert.equal(actual.length, expected.length);
  expected.forEach((value, i) => assertClose(actual[i], value, tolerance, `entry ${i}`));
}

describe('symmetricEigen', () => {
  it('decomposes a 2×2 matrix', () => {
    // [[2, 1], [1, 2]] has eigenvalues 3 on (1, 1)/√2 and 1 on (1, −1)/√2.
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    assertVectorClose(values, [3, 1]);
    assertVectorClose(vectors[0], [Math.SQRT1_2, Math.SQRT1_2]);
    // |1/√2| = |−1/√2|, so the first entry decides the sign.
    assertVectorClose(vectors[1], [Math.SQRT1_2, -Math.SQRT1_2]);
  });

  it('decomposes a 3×3 matrix', () => {
    // Block [[3, 4], [4, 9]] has eigenvalues 6 ± 5: 11 on (1, 2)/√5 and 1 on (2, −1)/√5.
    const { values, vectors } = symmetricEigen([
      [2, 0, 0],
      [0, 3, 4],
      [0, 4, 9],
    ]);
    assertVectorClose(values, [11, 2, 1]);
    assertVectorClose(vectors[0], [0, 1 / Math.sqrt(5), 2 / Math.sqrt(5)]);
    assertVectorClose(vectors[1], [1, 0, 0]);
    assertVectorClose(vectors[2], [0, 2 / Math.sqrt(5), -1 / Math.sqrt(5)]);
  });

  it('satisfies A v = λ v on a random matrix', () => {
    const rng = new Rng(7);
    const d = 12;
    const b = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.next() - 0.5));
    const a = b.map((row, i) => row.map((_, j) => b[i][j] + b[j][i]));
    const { values, vectors } = symmetricEigen(a);
    for (let k = 0; k < d; k++) {
      const av = a.map((row) => row.reduce((sum, value, j) => sum + value * vectors[k][j], 0));
      assertVectorClose(
        av,
        vectors[k].map((value) => values[k] * value),
        1e-12,
      );
      for (let m = 0; m < d; m++) {
        const dot = vectors[k].reduce((sum, value, j) => sum + value * vectors[m][j], 0);
        assertClose(dot, k === m ? 1 : 0, 1e-12, `v${k}·v${m}`);
      }
    }
    assert.ok(values.every((value, k) => k === 0 || values[k - 1] >= value));
  });

  it('rejects bad matrices', () => {
    assertInvalidInput(() => symmetricEigen([]), /The matrix is empty/);
    assertInvalidInput(() => symmetricEigen([[1, 2], [3]]), /Row 1 of the 2-row matrix has 1 entries/);
    assertInvalidInput(
      () =>
        symmetricEigen([
          [1, 2],
          [3, 1],
        ]),
      /not symmetric: entry \[0\]\[1\] is 2 but \[1\]\[0\] is 3/,
    );
    assertInvalidInput(() => symmetricEigen([[Number.NaN]]), /matrix\[0\]\[0\] is NaN/);
  });
});

describe('orientVector', () => {
  it('makes the largest entry positive', () => {
    assert.deepEqual(orientVector([0.2, -0.9]), [-0.2, 0.9]);
    assert.deepEqual(orientVector([-0.6, 0.8]), [-0.6, 0.8]);
  });

  it('lets the first tied entry decide', () => {
    assert.deepEqual(orientVector([-0.5, 0.5, 0.1]), [0.5, -0.5, -0.1]);
  });
});
