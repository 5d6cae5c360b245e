import type { Rng } from '@akd/core';

/** Shuffles `values` in place with the Fisher-Yates algorithm, drawing from `rng`. */
export function shuffleInPlace(values: Int32Array, rng: Rng): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const swap = values[i];
    values[i] = values[j];
    values[j] = swap;
  }
}
