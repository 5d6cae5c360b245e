import { AkdError } from '@akd/core';
import { encodeGenome, encodingLabels, type Genome, type SearchSpace } from '@akd/search-space';

import { ensureFiniteValues } from './checks.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** Projection of points onto their first two principal components. */
export interface Pca2dResult {
  /** Column means subtracted before the projection. */
  mean: number[];
  /** Coordinates (PC1, PC2) of every input row, in input order. */
  coordinates: [number, number][];
  /** Variance along PC1 and PC2: the two largest eigenvalues of the covariance matrix. */
  variances: [number, number];
  /** Each variance divided by the total variance, the trace of the covariance matrix. */
  explainedVarianceRatio: [number, number];
  /** Unit eigenvectors of PC1 and PC2, one weight per input column, largest magnitude positive. */
  loadings: [number[], number[]];
}

/**
 * Projects `rows` (n points of dimension d) onto their first two principal components.
 *
 * It centers the rows by the column means μ and forms the sample covariance
 * C = Xᶜᵀ Xᶜ / (n − 1). The loadings w₁, w₂ are the unit eigenvectors of the two largest
 * eigenvalues λ₁ ≥ λ₂ of C, from {@link symmetricEigen}. Each loading is flipped so that its entry
 * of largest magnitude is positive, the first one on a tie. Point i gets the coordinates
 * ((xᵢ − μ)·w₁, (xᵢ − μ)·w₂), and the explained variance ratios are λₖ / trace(C). Eigenvalues that
 * rounding makes slightly negative are reported as 0.
 *
 * Throws INVALID_INPUT for fewer than two rows, fewer than two columns, rows of different
 * lengths, a value that is not finite, and rows that are all identical (no variance to explain).
 */
export function computePca2d(rows: readonly (readonly number[])[]): Pca2dResult {
  const { n, d } = checkRows(rows);

  // Checked on the values, because centering equal rows may leave rounding residue.
  if (rows.every((row) => row.every((value, j) => value === rows[0][j]))) {
    throw new AkdError('INVALID_INPUT', `All ${n} rows are identical, so there is no variance to project.`, {
      n,
    });
  }

  const mean = new Array<number>(d).fill(0);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j] += row[j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const centered = rows.map((row) => row.map((value, j) => value - mean[j]));

  const covariance = mean.map(() => new Array<number>(d).fill(0));
  for (const row of centered) {
    for (let i = 0; i < d; i++) {
      if (row[i] === 0) continue;
      for (let j = i; j < d; j++) covariance[i][j] += row[i] * row[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      covariance[i][j] /= n - 1;
      covariance[j][i] = covariance[i][j];
    }
    trace += covariance[i][i];
  }

  const { values, vectors } = symmetricEigen(covariance);
  const variances: [number, number] = [Math.max(0, values[0]), Math.max(0, values[1])];
  const loadings: [number[], number[]] = [vectors[0], vectors[1]];
  const project = (row: number[], loading: number[]): number =>
    row.reduce((sum, value, j) => sum + value * loading[j], 0);
  return {
    mean,
    coordinates: centered.map((row) => [project(row, loadings[0]), project(row, loadings[1])]),
    variances,
    explainedVarianceRatio: [variances[0] / trace, variances[1] / trace],
    loadings,
  };
}

/** {@link Pca2dResult} of genome encodings, with a name for every loading entry. */
export interface GenomePca2dResult extends Pca2dResult {
  /** Label of each encoding entry, such as `blocks[2].op=mbconv6`, aligned with the loadings. */
  labels: string[];
}

/**
 * Projects genomes onto the first two principal components of their one-hot encodings from
 * `encodeGenome`, which encodes the canonical genome, so genomes that build the same network
 * land on the same point. Throws INVALID_INPUT as {@link computePca2d} does, and whatever
 * `encodeGenome` throws for a genome that does not fit `space`.
 */
export function computeGenomePca2d(space: SearchSpace, genomes: readonly Genome[]): GenomePca2dResult {
  const rows = genomes.map((genome) => encodeGenome(space, genome));
  return { ...computePca2d(rows), labels: encodingLabels(space) };
}

function checkRows(rows: readonly (readonly number[])[]): { n: number; d: number } {
  const n = rows.length;
  if (n < 2) {
    throw new AkdError(
      'INVALID_INPUT',
      `PCA needs at least two rows, but ${n} ${n === 1 ? 'was' : 'were'} given.`,
      {
        n,
      },
    );
  }
  const d = rows[0].length;
  if (d < 2) {
    throw new AkdError('INVALID_INPUT', `rows[0] has ${d} columns. A 2-D projection needs at least two.`, {
      d,
    });
  }
  rows.forEach((row, i) => {
    if (row.length !== d) {
      throw new AkdError(
        'INVALID_INPUT',
        `rows[${i}] has ${row.length} columns but rows[0] has ${d}. Every row must have the same length.`,
        { row: i, length: row.length, expected: d },
      );
    }
    ensureFiniteValues(row, `rows[${i}]`);
  });
  return { n, d };
}
