import { AkdError } from '@akd/core';

import { ensureAtLeast, ensureFinite, ensureFiniteValues, ensureSameLength } from './checks.js';
import { allEqual } from './correlation.js';

/** Ordinary least-squares line y ≈ slope·x + intercept. */
export interface LineFit {
  slope: number;
  intercept: number;
  /**
   * Coefficient of determination R² = 1 − SS_res / SS_tot, or null when every y is equal, since
   * SS_tot is 0 there.
   */
  rSquared: number | null;
  /** Number of points fitted. */
  n: number;
}

/**
 * Fits y ≈ a·x + b by ordinary least squares: a = Σ(xᵢ − x̄)(yᵢ − ȳ) / Σ(xᵢ − x̄)², b = ȳ − a·x̄,
 * and R² = 1 − Σ(yᵢ − a·xᵢ − b)² / Σ(yᵢ − ȳ)². Throws INVALID_INPUT for lengths that differ, fewer
 * than two points, a value that is not finite, and an x whose values are all equal (no slope).
 */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  ensureSameLength(x, y, 'x', 'y');
  ensureAtLeast(x, 2, 'x');
  ensureFiniteValues(x, 'x');
  ensureFiniteValues(y, 'y');
  if (allEqual(x)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Every x is ${x[0]}, so the slope is undefined. A line fit needs at least two distinct x values.`,
    );
  }

  const n = x.length;
  // Checked on the values, because centered sums of equal values may round to tiny nonzeros.
  if (allEqual(y)) return { slope: 0, intercept: y[0], rSquared: null, n };

  const meanX = x.reduce((sum, value) => sum + value, 0) / n;
  const meanY = y.reduce((sum, value) => sum + value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - meanX) * (y[i] - meanY);
    sxx += (x[i] - meanX) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;

  let residualSquares = 0;
  let totalSquares = 0;
  for (let i = 0; i < n; i++) {
    residualSquares += (y[i] - slope * x[i] - intercept) ** 2;
    totalSquares += (y[i] - meanY) ** 2;
  }
  return { slope, intercept, rSquared: 1 - residualSquares / totalSquares, n };
}

/** A measured network: its FLOPs and its latency. */
export interface LatencyPoint {
  /** Floating-point operations of one forward pass. */
  flops: number;
  /** Measured inference latency in milliseconds. */
  latencyMs: number;
}

/**
 * Fits latencyMs ≈ slope·flops + intercept with {@link fitLine}, so the slope is in milliseconds
 * per FLOP and the intercept in milliseconds. Throws INVALID_INPUT for fewer than two points, a
 * value that is not finite (naming the point) and points that all have the same FLOPs.
 */
export function fitLatencyToFlops(points: readonly LatencyPoint[]): LineFit {
  if (points.length < 2) {
    throw new AkdError(
      'INVALID_INPUT',
      `A latency fit needs at least two points, but ${points.length} ${points.length === 1 ? 'was' : 'were'} given.`,
      { n: points.length },
    );
  }
  points.forEach((point, index) => {
    ensureFinite(point.flops, `points[${index}].flops`);
    ensureFinite(point.latencyMs, `points[${index}].latencyMs`);
  });
  if (points.every((point) => point.flops === points[0].flops)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Every point has ${points[0].flops} FLOPs, so latency per FLOP is undefined. Fit networks of different sizes.`,
    );
  }
  return fitLine(
    points.map((point) => point.flops),
    points.map((point) => point.latencyMs),
  );
}
