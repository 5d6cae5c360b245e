import type { PolicyController } from './controller.js';

/** A sampled architecture as choice indices, with the advantage that weights its gradient. */
export interface WeightedSample {
  choices: readonly number[];
  advantage: number;
}

/** A {@link WeightedSample} with its log-probability under the policy that proposed it. */
export interface PpoSample extends WeightedSample {
  oldLogProb: number;
}

/**
 * Computes the gradient of the REINFORCE loss with respect to the controller weights:
 *
 *   L = −(1/N) Σ_i [A_i log π(a_i) + c Σ_d H_d(a_i)]
 *
 * where A_i is the advantage of sample i, H_d(a_i) the entropy of decision d given the earlier
 * choices of a_i, and c the entropy coefficient. For the factorized policy H_d does not depend on
 * a_i, so the entropy term is c Σ_d H_d. Minimizing L raises the probability of above-baseline
 * samples and keeps the policy from collapsing too early.
 */
export function reinforceGradient(
  controller: PolicyController,
  samples: readonly WeightedSample[],
  entropyCoefficient: number,
): Float64Array {
  const gradient = new Float64Array(controller.parameters.length);
  const entropyScale = -entropyCoefficient / samples.length;
  for (const sample of samples) {
    const pass = controller.forward(sample.choices);
    pass.backward(-sample.advantage / samples.length, entropyScale, gradient);
  }
  return gradient;
}

/**
 * Computes the gradient of the PPO-clip loss (Schulman et al. 2017, arXiv:1707.06347) with the
 * same entropy bonus as {@link reinforceGradient}:
 *
 *   L = −(1/N) Σ_i [min(r_i A_i, clip(r_i, 1 − ε, 1 + ε) A_i) + c Σ_d H_d(a_i)]
 *
 * with r_i = π(a_i) / π_old(a_i) = exp(log π(a_i) − oldLogProb_i). Since ∇r_i = r_i ∇log π(a_i),
 * a sample whose unclipped term is the minimum contributes −(1/N) A_i r_i ∇log π(a_i). The
 * clipped term is constant, so the sample contributes nothing once r_i has left the clip range
 * on the side that its advantage favours (see {@link isRatioClipped}).
 */
export function ppoGradient(
  controller: PolicyController,
  samples: readonly PpoSample[],
  clipEpsilon: number,
  entropyCoefficient: number,
): Float64Array {
  const gradient = new Float64Array(controller.parameters.length);
  const entropyScale = -entropyCoefficient / samples.length;
  for (const sample of samples) {
    const pass = controller.forward(sample.choices);
    const ratio = Math.exp(pass.logProb - sample.oldLogProb);
    const clipped = isRatioClipped(ratio, sample.advantage, clipEpsilon);
    const logProbScale = clipped ? 0 : (-sample.advantage * ratio) / samples.length;
    pass.backward(logProbScale, entropyScale, gradient);
  }
  return gradient;
}

/**
 * Returns whether the clipped term of PPO's min(r A, clip(r, 1 − ε, 1 + ε) A) is strictly below
 * the unclipped one, which happens when A > 0 and r > 1 + ε or when A < 0 and r < 1 − ε. Where
 * both terms are equal, at the boundary or with A = 0, the unclipped term counts.
 */
export function isRatioClipped(ratio: number, advantage: number, clipEpsilon: number): boolean {
  if (advantage > 0) return ratio > 1 + clipEpsilon;
  if (advantage < 0) return ratio < 1 - clipEpsilon;
  return false;
}
