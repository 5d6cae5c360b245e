import { ensureAtLeast, ensureFiniteValues } from './checks.js';
import { allEqual } from './correlation.js';

/** Mean and spread of one sample, such as a student's accuracy over seeds. */
export interface SampleSummary {
  /** Number of values. */
  n: number;
  /** Arithmetic mean x̄ = Σxᵢ / n. */
  mean: number;
  /** Unbiased sample variance s² = Σ(xᵢ − x̄)² / (n − 1), or null when n = 1. */
  variance: number | null;
  /** Sample standard deviation s = √s², or null when n = 1. */
  standardDeviation: number | null;
  /** Standard error of the mean s / √n, or null when n = 1. */
  standardError: number | null;
}

/**
 * Summarizes a sample by its mean, sample variance (denominator n − 1), standard deviation and
 * standard error of the mean. Equal values give a variance of exactly 0 and their own value as
 * the mean, so rounding cannot make identical seeds look noisy. Throws INVALID_INPUT for an
 * empty sample or a value that is not finite, naming it as `label[i]`.
 */
export function summarizeSample(values: readonly number[], label = 'values'): SampleSummary {
  ensureAtLeast(values, 1, label);
  ensureFiniteValues(values, label);

  const n = values.length;
  if (allEqual(values)) {
    const spread = n > 1 ? 0 : null;
    return { n, mean: values[0], variance: spread, standardDeviation: spread, standardError: spread };
  }

  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  const standardDeviation = Math.sqrt(variance);
  return { n, mean, variance, standardDeviation, standardError: standardDeviation / Math.sqrt(n) };
}
