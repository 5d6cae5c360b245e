import { AkdError } from '@akd/core';

import { ensureFraction } from './checks.js';
import { allEqual, spearmanRho } from './correlation.js';

/** One candidate's accuracy on the proxy task and after full training. */
export interface ProxyFinalAccuracy {
  /** Accuracy from the short proxy-task training used during the search, in [0, 1]. */
  proxyAccuracy: number;
  /** Accuracy after the final, full training, in [0, 1]. */
  finalAccuracy: number;
}

/** Rank agreement between proxy-task accuracy and final accuracy. */
export interface ProxyFidelity {
  /** Spearman's ρ between proxy and final accuracy. */
  spearman: number;
  /** Number of candidates the correlation rests on. */
  n: number;
}

/**
 * Measures the proxy task's fidelity as Spearman's ρ between proxy and final accuracy
 * ({@link spearmanRho}, average ranks for ties). ρ = 1 means the proxy orders candidates exactly
 * as full training does. The result reports n because ρ from a handful of candidates is itself
 * noisy. Throws INVALID_INPUT for fewer than two candidates, an accuracy outside [0, 1], or all
 * proxy or all final accuracies equal.
 */
export function measureProxyFidelity(candidates: readonly ProxyFinalAccuracy[]): ProxyFidelity {
  if (candidates.length < 2) {
    throw new AkdError(
      'INVALID_INPUT',
      `Proxy fidelity needs at least two candidates, but ${candidates.length} ${candidates.length === 1 ? 'was' : 'were'} given.`,
      { n: candidates.length },
    );
  }
  candidates.forEach((candidate, index) => {
    ensureFraction(candidate.proxyAccuracy, `candidates[${index}].proxyAccuracy`);
    ensureFraction(candidate.finalAccuracy, `candidates[${index}].finalAccuracy`);
  });
  const proxy = candidates.map((candidate) => candidate.proxyAccuracy);
  const final = candidates.map((candidate) => candidate.finalAccuracy);
  for (const [field, values] of [
    ['proxyAccuracy', proxy],
    ['finalAccuracy', final],
  ] as const) {
    if (allEqual(values)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Every candidate has ${field} ${values[0]}, so Spearman's ρ is undefined. It needs at least two distinct values.`,
        { field },
      );
    }
  }
  return { spearman: spearmanRho(proxy, final), n: candidates.length };
}
