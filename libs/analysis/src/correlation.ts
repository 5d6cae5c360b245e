import { AkdError } from '@akd/core';

import { ensureAtLeast, ensureFiniteValues, ensureSameLength } from './checks.js';

/**
 * Direction of a ranking. `descending` gives rank 1 to the largest value, as for accuracy, and
 * `ascending` gives rank 1 to the smallest, as for latency.
 */
export type RankOrder = 'descending' | 'ascending';

/**
 * Ranks `values` from 1 to n with average ranks for ties (the "fractional" ranking): a group of
 * t equal values that would take positions k+1 … k+t each gets rank k + (t + 1)/2. By default
 * rank 1 is the largest value, so [3, 1, 3, 2] gives [1.5, 4, 1.5, 3]. The ranks always sum to
 * n(n + 1)/2. Throws INVALID_INPUT for an empty list or a value that is not finite.
 */
export function averageRanks(values: readonly number[], order: RankOrder = 'descending'): number[] {
  ensureAtLeast(values, 1, 'values');
  ensureFiniteValues(values, 'values');

  const sign = order === 'descending' ? -1 : 1;
  const indices = values.map((_, index) => index).sort((a, b) => sign * (values[a] - values[b]));
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < indices.length) {
    let end = start + 1;
    while (end < indices.length && values[indices[end]] === values[indices[start]]) end++;
    // Positions start … end−1 are 0-based, so their 1-based ranks average to (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[indices[k]] = rank;
    start = end;
  }
  return ranks;
}

/** Checks a pair of samples for the correlation functions: equal lengths, n ≥ 2, finite values. */
function ensurePairedSamples(x: readonly number[], y: readonly number[]): void {
  ensureSameLength(x, y, 'x', 'y');
  ensureAtLeast(x, 2, 'x');
  ensureFiniteValues(x, 'x');
  ensureFiniteValues(y, 'y');
}

/** Returns whether every entry of `values` equals the first, which makes a correlation undefined. */
export function allEqual(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}

function undefinedForConstant(statistic: string, label: string): AkdError {
  return new AkdError(
    'INVALID_INPUT',
    `${label} has all values equal, so ${statistic} is undefined. It needs at least two distinct values.`,
    { label },
  );
}

/**
 * Computes Kendall's τ-b, the rank correlation that corrects for ties:
 * τ_b = (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2)), where n_c and n_d count the concordant and
 * discordant pairs, n_0 = n(n − 1)/2, and n_1 and n_2 count the pairs tied in x and in y. A pair
 * tied in x or y is neither concordant nor discordant. Without ties τ-b equals τ-a. It counts all
 * pairs, so it takes O(n²) time.
 *
 * Throws INVALID_INPUT for lengths that differ, fewer than two values, a value that is not finite,
 * or an x or y whose values are all equal (τ-b is 0/0 there).
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number {
  ensurePairedSamples(x, y);

  const n = x.length;
  let concordantMinusDiscordant = 0;
  let tiedInX = 0;
  let tiedInY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[j] - x[i]);
      const dy = Math.sign(y[j] - y[i]);
      if (dx === 0) tiedInX++;
      if (dy === 0) tiedInY++;
      concordantMinusDiscordant += dx * dy;
    }
  }

  const pairs = (n * (n - 1)) / 2;
  if (tiedInX === pairs) throw undefinedForConstant('Kendall τ-b', 'x');
  if (tiedInY === pairs) throw undefinedForConstant('Kendall τ-b', 'y');
  return concordantMinusDiscordant / Math.sqrt((pairs - tiedInX) * (pairs - tiedInY));
}

/**
 * Computes Pearson's correlation coefficient
 * r = Σ(xᵢ − x̄)(yᵢ − ȳ) / √(Σ(xᵢ − x̄)² · Σ(yᵢ − ȳ)²), centering first for numerical stability.
 * The result is clamped to [−1, 1] against rounding. Throws INVALID_INPUT for lengths that
 * differ, fewer than two values, a value that is not finite, or an x or y with zero variance.
 */
export function pearsonR(x: readonly number[], y: readonly number[]): number {
  ensurePairedSamples(x, y);
  // Checked on the values, because the centered sums of equal values may round to tiny nonzeros.
  if (allEqual(x)) throw undefinedForConstant('Pearson r', 'x');
  if (allEqual(y)) throw undefinedForConstant('Pearson r', 'y');

  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;

  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * Computes Spearman's ρ as Pearson's r of the average ranks of x and y ({@link averageRanks}),
 * which stays correct with ties. Without ties it equals 1 − 6Σdᵢ² / (n(n² − 1)), where dᵢ is the
 * rank difference of item i. Throws INVALID_INPUT as {@link pearsonR} does.
 */
export function spearmanRho(x: readonly number[], y: readonly number[]): number {
  ensurePairedSamples(x, y);
  if (allEqual(x)) throw undefinedForConstant("Spearman's ρ", 'x');
  if (allEqual(y)) throw undefinedForConstant("Spearman's ρ", 'y');
  return pearsonR(averageRanks(x, 'ascending'), averageRanks(y, 'ascending'));
}
