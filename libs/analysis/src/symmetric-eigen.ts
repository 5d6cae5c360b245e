import { AkdError } from '@akd/core';

import { ensureFiniteValues } from './checks.js';

/** Eigenvalues and unit eigenvectors of a symmetric matrix. */
export interface SymmetricEigenDecomposition {
  /** Eigenvalues, largest first. */
  values: number[];
  /** `vectors[k]` is the unit eigenvector of `values[k]`, with the sign set by {@link orientVector}. */
  vectors: number[][];
}

const MAX_SWEEPS = 100;
/** Sweeps stop once Σ_{p≠q} a_pq² ≤ this × ‖A‖_F², far below what float64 can resolve in A. */
const OFF_DIAGONAL_TOLERANCE = 1e-30;
/** Relative tolerance for symmetry, and for treating loadings of equal magnitude as tied. */
const RELATIVE_TOLERANCE = 1e-9;

/**
 * Flips `vector` in place so that its entry of largest magnitude is positive, and returns it.
 * Entries within a relative 1e-9 of the largest magnitude count as tied, and the first of them
 * decides, so (1, −1)/√2 stays as it is. An eigenvector is defined only up to sign, so this makes
 * results reproducible.
 */
export function orientVector(vector: number[]): number[] {
  const largest = Math.max(...vector.map(Math.abs));
  const lead = vector.findIndex((value) => Math.abs(value) >= largest * (1 - RELATIVE_TOLERANCE));
  if (vector[lead] < 0) for (let i = 0; i < vector.length; i++) vector[i] = -vector[i];
  return vector;
}

/**
 * Decomposes a real symmetric matrix A = V Λ Vᵀ with the cyclic Jacobi eigenvalue method. Each
 * rotation J(p, q, θ) zeroes a_pq with τ = (a_qq − a_pp) / (2a_pq),
 * t = sign(τ) / (|τ| + √(1 + τ²)), c = 1/√(1 + t²) and s = t·c. Sweeps over all p < q repeat
 * until the off-diagonal mass is negligible, at most {@link MAX_SWEEPS} of them. Each sweep
 * costs O(d³).
 *
 * When eigenvalues are equal, any orthonormal basis of their eigenspace is correct, and the one
 * returned depends on the rotation order. Throws INVALID_INPUT for a matrix that is empty, not
 * square, not symmetric or not finite, and INTERNAL if the sweeps do not converge.
 */
export function symmetricEigen(matrix: readonly (readonly number[])[]): SymmetricEigenDecomposition {
  const d = matrix.length;
  checkSymmetric(matrix);

  const a = matrix.map((row) => [...row]);
  const v = a.map((_, i) => a.map((__, j) => (i === j ? 1 : 0)));
  const frobenius = a.reduce((sum, row) => sum + row.reduce((rowSum, x) => rowSum + x * x, 0), 0);

  let converged = false;
  for (let sweep = 0; sweep < MAX_SWEEPS && !converged; sweep++) {
    let offDiagonal = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) offDiagonal += 2 * a[p][q] * a[p][q];
    if (offDiagonal <= OFF_DIAGONAL_TOLERANCE * frobenius) {
      converged = true;
      break;
    }
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        if (a[p][q] !== 0) rotate(a, v, p, q);
      }
    }
  }
  if (!converged) {
    throw new AkdError('INTERNAL', `The Jacobi eigenvalue method did not converge in ${MAX_SWEEPS} sweeps.`, {
      d,
    });
  }

  const order = a.map((_, k) => k).sort((i, j) => a[j][j] - a[i][i]);
  return {
    values: order.map((k) => a[k][k]),
    vectors: order.map((k) => orientVector(v.map((row) => row[k]))),
  };
}

/** Applies A ← JᵀAJ and V ← VJ for the rotation that zeroes a_pq. */
function rotate(a: number[][], v: number[][], p: number, q: number): void {
  const tau = (a[q][q] - a[p][p]) / (2 * a[p][q]);
  const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  const d = a.length;

  for (let k = 0; k < d; k++) {
    const akp = a[k][p];
    const akq = a[k][q];
    a[k][p] = c * akp - s * akq;
    a[k][q] = s * akp + c * akq;
  }
  for (let k = 0; k < d; k++) {
    const apk = a[p][k];
    const aqk = a[q][k];
    a[p][k] = c * apk - s * aqk;
    a[q][k] = s * apk + c * aqk;
  }
  // The rotation zeroes a_pq in exact arithmetic, so store an exact zero over the rounding residue.
  a[p][q] = 0;
  a[q][p] = 0;

  for (let k = 0; k < d; k++) {
    const vkp = v[k][p];
    const vkq = v[k][q];
    v[k][p] = c * vkp - s * vkq;
    v[k][q] = s * vkp + c * vkq;
  }
}

function checkSymmetric(matrix: readonly (readonly number[])[]): void {
  const d = matrix.length;
  if (d === 0) throw new AkdError('INVALID_INPUT', 'The matrix is empty. It needs at least one row.');
  matrix.forEach((row, i) => {
    if (row.length !== d) {
      throw new AkdError(
        'INVALID_INPUT',
        `Row ${i} of the ${d}-row matrix has ${row.length} entries, but the matrix must be square.`,
        {
          row: i,
        },
      );
    }
    ensureFiniteValues(row, `matrix[${i}]`);
  });
  const scale = Math.max(...matrix.map((row) => Math.max(...row.map(Math.abs))));
  for (let i = 0; i < d; i++) {
    for (let j = i + 1; j < d; j++) {
      if (Math.abs(matrix[i][j] - matrix[j][i]) > RELATIVE_TOLERANCE * scale) {
        throw new AkdError(
          'INVALID_INPUT',
          `The matrix is not symmetric: entry [${i}][${j}] is ${matrix[i][j]} but [${j}][${i}] is ${matrix[j][i]}.`,
          { i, j },
        );
      }
    }
  }
}
