// Best-reward-so-far curves of finished searches and their summary over seeds, for
// bench/search-strategies.ts.
import type { CandidateRecord } from '@akd/search';

/** Best reward among the first `samples` candidates of one search. */
export interface CurvePoint {
  samples: number;
  bestReward: number;
}

/** Mean, minimum and maximum of one value over seeds. */
export interface Spread {
  mean: number;
  min: number;
  max: number;
}

/**
 * Returns the sample counts at which curves are read: every `step` samples up to `budget`, and
 * `budget` itself when it is not a multiple of `step`.
 */
export function checkpoints(budget: number, step: number): number[] {
  const counts: number[] = [];
  for (let samples = step; samples < budget; samples += step) counts.push(samples);
  counts.push(budget);
  return counts;
}

/**
 * Returns the best reward among the first k candidates at each checkpoint k, with candidates in the
 * order the search created them and failed ones at reward 0, as the search loop counts them. A search
 * that stopped before k samples (status `stalled`) keeps its last best reward.
 */
export function bestSoFar(candidates: readonly CandidateRecord[], counts: readonly number[]): CurvePoint[] {
  const settled = candidates.filter((candidate) => candidate.status !== 'pending');
  const running: number[] = [];
  let best = 0;
  for (const candidate of settled) {
    best = Math.max(best, candidate.status === 'completed' ? (candidate.reward ?? 0) : 0);
    running.push(best);
  }
  return counts.map((samples) => ({
    samples,
    bestReward: running.length === 0 ? 0 : running[Math.min(samples, running.length) - 1],
  }));
}

/** Mean, minimum and maximum of `values`, which must not be empty. */
export function spread(values: readonly number[]): Spread {
  return {
    mean: values.reduce((sum, value) => sum + value, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/** Formats a spread as `mean [min, max]` with 3 decimals. */
export function formatSpread(value: Spread): string {
  return `${value.mean.toFixed(3)} [${value.min.toFixed(3)}, ${value.max.toFixed(3)}]`;
}

/** Formats rows of cells as a table with left-aligned columns separated by two spaces. */
export function formatTable(rows: readonly string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
