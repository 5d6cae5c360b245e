import { ensureAtLeast } from './checks.js';
import { summarizeSample } from './descriptive.js';
import { studentTTwoSidedPValue } from './student-t.js';

/** Outcome of {@link welchTTest}. */
export interface WelchTestResult {
  /** Difference of the sample means, x̄_a − x̄_b. */
  meanDifference: number;
  /** Standard error of the difference, √(s_a²/n_a + s_b²/n_b). */
  standardError: number;
  /** Test statistic t = (x̄_a − x̄_b) / standard error, or ±∞ when the standard error is 0. */
  t: number;
  /** Welch–Satterthwaite degrees of freedom, usually fractional. */
  degreesOfFreedom: number;
  /** Two-sided p-value for the null hypothesis of equal population means. */
  pValue: number;
}

/**
 * Runs Welch's two-sample t-test of equal means without assuming equal variances:
 * t = (x̄_a − x̄_b) / √(v_a + v_b) with v = s²/n, and
 * ν = (v_a + v_b)² / (v_a²/(n_a − 1) + v_b²/(n_b − 1)) degrees of freedom. The p-value is
 * two-sided. When both samples have zero variance, the test degenerates: p is 1 if the means
 * are equal and 0 otherwise, and ν is n_a + n_b − 2, the value Welch's formula takes for equal
 * variances and equal sizes. Throws INVALID_INPUT for a sample with fewer than two values or a
 * value that is not finite.
 */
export function welchTTest(a: readonly number[], b: readonly number[]): WelchTestResult {
  ensureAtLeast(a, 2, 'a');
  ensureAtLeast(b, 2, 'b');
  const summaryA = summarizeSample(a, 'a');
  const summaryB = summarizeSample(b, 'b');

  // n ≥ 2 was checked, so both variances are numbers.
  const varianceOfMeanA = (summaryA.variance as number) / summaryA.n;
  const varianceOfMeanB = (summaryB.variance as number) / summaryB.n;
  const meanDifference = summaryA.mean - summaryB.mean;
  const squaredError = varianceOfMeanA + varianceOfMeanB;
  const standardError = Math.sqrt(squaredError);

  if (squaredError === 0) {
    const equal = meanDifference === 0;
    return {
      meanDifference,
      standardError,
      t: equal ? 0 : Math.sign(meanDifference) * Infinity,
      degreesOfFreedom: summaryA.n + summaryB.n - 2,
      pValue: equal ? 1 : 0,
    };
  }

  const t = meanDifference / standardError;
  const degreesOfFreedom =
    (squaredError * squaredError) /
    (varianceOfMeanA ** 2 / (summaryA.n - 1) + varianceOfMeanB ** 2 / (summaryB.n - 1));
  return {
    meanDifference,
    standardError,
    t,
    degreesOfFreedom,
    pValue: studentTTwoSidedPValue(t, degreesOfFreedom),
  };
}
