import { AkdError } from '@akd/core';

/** Least-squares line y ≈ slope·x + intercept with its coefficient of determination. */
export interface LinearFit {
  slope: number;
  intercept: number;
  /** R² = 1 − SS_res / SS_tot on the fitted points; 1 when every y is equal (the line then fits exactly). */
  r2: number;
}

/**
 * Fits y ≈ slope·x + intercept by ordinary least squares.
 *
 * @throws AkdError INVALID_INPUT for fewer than two points, a non-finite value, or points that all
 *   share one x, which leave the slope undetermined.
 */
export function fitLinear(points: readonly { x: number; y: number }[]): LinearFit {
  if (points.length < 2) {
    throw new AkdError('INVALID_INPUT', `A linear fit needs at least 2 points, got ${points.length}.`);
  }
  for (const [index, point] of points.entries()) {
    if (!Number.isFinite(point.x) || !Number.isFinite(point.y)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Point ${index} of the linear fit is not finite: (${point.x}, ${point.y}).`,
      );
    }
  }

  const n = points.length;
  const meanX = points.reduce((sum, p) => sum + p.x, 0) / n;
  const meanY = points.reduce((sum, p) => sum + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const { x, y } of points) {
    sxx += (x - meanX) ** 2;
    sxy += (x - meanX) * (y - meanY);
    syy += (y - meanY) ** 2;
  }

  if (sxx === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `A linear fit needs points with different x values, but all ${n} points have x = ${meanX}.`,
    );
  }

  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let residual = 0;
  for (const { x, y } of points) residual += (y - (slope * x + intercept)) ** 2;
  return { slope, intercept, r2: syy === 0 ? 1 : 1 - residual / syy };
}

/**
 * Latency ≈ slopeMsPerFlop·FLOPs + interceptMs, fitted to networks timed end to end. FLOPs are the
 * multiply-adds of `countFlops` for one image.
 */
export interface FlopsFit {
  /** Milliseconds per multiply-add. */
  slopeMsPerFlop: number;
  /** Milliseconds at zero multiply-adds: the per-network cost that does not scale with FLOPs. */
  interceptMs: number;
  /** R² of the fit on the networks it was computed from. */
  r2: number;
}

/** Fits latency against FLOPs over networks timed end to end; see {@link fitLinear} for the errors. */
export function fitFlopsLatency(points: readonly { flops: number; latencyMs: number }[]): FlopsFit {
  const fit = fitLinear(points.map((p) => ({ x: p.flops, y: p.latencyMs })));
  return { slopeMsPerFlop: fit.slope, interceptMs: fit.intercept, r2: fit.r2 };
}

/** Returns the latency in milliseconds that `fit` predicts for a network of `flops` multiply-adds. */
export function predictFromFlops(fit: FlopsFit, flops: number): number {
  return fit.slopeMsPerFlop * flops + fit.interceptMs;
}
