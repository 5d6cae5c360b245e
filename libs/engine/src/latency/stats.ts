import { AkdError } from '@akd/core';

function requirePairs(xs: readonly number[], ys: readonly number[], what: string): void {
  if (xs.length !== ys.length || xs.length < 2) {
    throw new AkdError(
      'INVALID_INPUT',
      `${what} needs two series of equal length of at least 2, got ${xs.length} and ${ys.length} values.`,
    );
  }
}

/** Returns the Pearson correlation of `xs` and `ys`; NaN when either series is constant. */
export function pearson(xs: readonly number[], ys: readonly number[]): number {
  requirePairs(xs, ys, 'The Pearson correlation');
  const n = xs.length;
  const meanX = xs.reduce((sum, x) => sum + x, 0) / n;
  const meanY = ys.reduce((sum, y) => sum + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - meanX) * (ys[i] - meanY);
    sxx += (xs[i] - meanX) ** 2;
    syy += (ys[i] - meanY) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

/** Returns the 1-based ranks of `values`, with tied values sharing the mean of their ranks. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const result = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) result[order[i].index] = rank;
    start = end + 1;
  }
  return result;
}

/** Returns the Spearman rank correlation of `xs` and `ys`: the Pearson correlation of their tie-averaged ranks. */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  requirePairs(xs, ys, 'The Spearman correlation');
  return pearson(ranks(xs), ranks(ys));
}

/** Returns the mean of |predicted − actual| / actual in percent; every actual value must be positive. */
export function meanAbsolutePercentError(predicted: readonly number[], actual: readonly number[]): number {
  requirePairs(predicted, actual, 'The mean absolute percent error');
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    if (!(actual[i] > 0)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Actual value ${i} is ${actual[i]}, but a percent error needs positive values.`,
      );
    }
    sum += Math.abs(predicted[i] - actual[i]) / actual[i];
  }
  return (sum / actual.length) * 100;
}
