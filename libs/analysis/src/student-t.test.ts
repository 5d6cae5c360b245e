import { describe, it } from 'node:test';

import { logGamma, regularizedIncompleteBeta, studentTTwoSidedPValue } from './student-t.js';
import { assertClose, assertInvalidInput } from './test-support.js';

describe('logGamma', () => {
  it('matches factorials and Γ(1/2)', () => {
    assertClose(logGamma(1), 0, 1e-14);
    assertClose(logGamma(5), Math.log(24), 1e-13);
    assertClose(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
    // 20! = 2432902008176640000, Γ(21) = 20!.
    assertClose(logGamma(21), Math.log(2432902008176640000), 1e-12);
  });

  it('rejects x ≤ 0', () => {
    assertInvalidInput(() => logGamma(0), /x is 0. It must be greater than 0/);
  });
});

describe('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    // I_x(1, 1) = x, I_x(a, 1) = x^a, I_x(1, b) = 1 − (1 − x)^b.
    assertClose(regularizedIncompleteBeta(0.3, 1, 1), 0.3, 1e-14);
    assertClose(regularizedIncompleteBeta(0.6, 3, 1), 0.6 ** 3, 1e-14);
    assertClose(regularizedIncompleteBeta(0.6, 1, 4), 1 - 0.4 ** 4, 1e-14);
    // Symmetry: I_{1/2}(a, a) = 1/2, including large a.
    assertClose(regularizedIncompleteBeta(0.5, 7.5, 7.5), 0.5, 1e-13);
    assertClose(regularizedIncompleteBeta(0.5, 400, 400), 0.5, 1e-10);
  });

  it('handles the end points', () => {
    assertClose(regularizedIncompleteBeta(0, 2, 3), 0);
    assertClose(regularizedIncompleteBeta(1, 2, 3), 1);
  });

  it('rejects x outside [0, 1]', () => {
    assertInvalidInput(
      () => regularizedIncompleteBeta(1.5, 1, 1),
      /x is 1.5. The incomplete beta function needs 0 ≤ x ≤ 1/,
    );
    assertInvalidInput(() => regularizedIncompleteBeta(0.5, -1, 1), /a is -1/);
  });
});

describe('studentTTwoSidedPValue', () => {
  it('matches the Cauchy case ν = 1', () => {
    // With ν = 1, T is Cauchy: p = 1 − (2/π)·atan|t|; t = 1 gives 1/2.
    assertClose(studentTTwoSidedPValue(1, 1), 0.5, 1e-14);
    assertClose(studentTTwoSidedPValue(-3, 1), 1 - (2 / Math.PI) * Math.atan(3), 1e-14);
  });

  it('matches the closed form for ν = 2', () => {
    // With ν = 2: p = 1 − |t| / √(2 + t²).
    assertClose(studentTTwoSidedPValue(1, 2), 1 - 1 / Math.sqrt(3), 1e-14);
    assertClose(studentTTwoSidedPValue(4.303, 2), 1 - 4.303 / Math.sqrt(2 + 4.303 ** 2), 1e-14);
  });

  it('matches t-table critical values', () => {
    // Two-sided 5% critical values: scipy.stats.t.ppf(0.975, ν) is 2.77645 for ν = 4 and 2.22814 for ν = 10.
    assertClose(studentTTwoSidedPValue(2.776, 4), 0.05, 1e-4);
    assertClose(studentTTwoSidedPValue(2.228, 10), 0.05, 1e-4);
  });

  it('is 1 at zero and 0 at infinity', () => {
    assertClose(studentTTwoSidedPValue(0, 3), 1);
    assertClose(studentTTwoSidedPValue(Infinity, 3), 0);
  });

  it('rejects NaN and ν ≤ 0', () => {
    assertInvalidInput(() => studentTTwoSidedPValue(Number.NaN, 3), /t is NaN/);
    assertInvalidInput(() => studentTTwoSidedPValue(1, 0), /degreesOfFreedom is 0/);
  });
});
