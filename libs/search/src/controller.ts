import { AkdError, type Rng } from '@akd/core';

/**
 * Distribution over architectures that the policy-gradient strategy trains: one categorical
 * decision after another, in the order of `decisionsFor`. All trainable weights live in one flat
 * vector, so a single Adam instance updates them and the state saves them as one array.
 */
export interface PolicyController {
  /** Number of choices of each decision. */
  readonly choiceCounts: readonly number[];
  /** Trainable weights, in the layout that {@link ControllerPass.backward} writes gradients in. */
  readonly parameters: Float64Array;

  /** Draws one choice index per decision, using one `rng.next()` per decision. */
  sample(rng: Rng): number[];

  /** Runs the controller on fixed choices and keeps what {@link ControllerPass.backward} needs. */
  forward(choices: readonly number[]): ControllerPass;

  /**
   * Decodes greedily, taking the most probable choice of each decision given the earlier greedy
   * choices. Returns those choices and the distribution each was taken from.
   */
  greedy(): { choices: number[]; probabilities: number[][] };
}

/** Result of one {@link PolicyController.forward} call on a fixed architecture. */
export interface ControllerPass {
  /** log π(choices), the sum over decisions of the log-probability of each choice. */
  readonly logProb: number;
  /** Entropy in nats of each decision's distribution, given the earlier choices of this pass. */
  readonly entropies: readonly number[];
  /**
   * Adds `logProbScale × ∇ logProb + entropyScale × ∇ Σ entropies` to `gradient`. The pass
   * reads the weights it was computed with, so call it before the weights change.
   */
  backward(logProbScale: number, entropyScale: number, gradient: Float64Array): void;
}

/** Returns the softmax of `logits`, shifted by their maximum so that no exponential overflows. */
export function softmax(logits: ArrayLike<number>): number[] {
  let max = -Infinity;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]);
  const exps: number[] = [];
  let sum = 0;
  for (let k = 0; k < logits.length; k++) {
    const e = Math.exp(logits[k] - max);
    exps.push(e);
    sum += e;
  }
  return exps.map((e) => e / sum);
}

/** Returns the entropy in nats of a categorical distribution. */
export function entropy(probabilities: readonly number[]): number {
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
  return h;
}

/** Draws an index from `probabilities` by inverting the cumulative sum at one `rng.next()`. */
export function sampleIndex(probabilities: readonly number[], rng: Rng): number {
  const u = rng.next();
  let cumulative = 0;
  for (let k = 0; k < probabilities.length; k++) {
    cumulative += probabilities[k];
    if (u < cumulative) return k;
  }
  // Rounding can leave the cumulative sum just below 1.
  return probabilities.length - 1;
}

/** Returns the index of the largest value, the first one on ties. */
export function argmax(values: readonly number[]): number {
  return values.indexOf(Math.max(...values));
}

/**
 * Returns the derivative of `logProbScale × log p_a + entropyScale × H` with respect to each
 * logit of a softmax distribution p. The log-probability term is `[k = a] − p_k` and the
 * entropy term is `−p_k (log p_k + H)`.
 */
export function softmaxLogitGradient(
  probabilities: readonly number[],
  choice: number,
  logProbScale: number,
  entropyScale: number,
): number[] {
  const h = entropy(probabilities);
  return probabilities.map((p, k) => {
    const indicator = k === choice ? 1 : 0;
    const entropyDerivative = p > 0 ? -p * (Math.log(p) + h) : 0;
    return logProbScale * (indicator - p) + entropyScale * entropyDerivative;
  });
}

/** Throws unless every decision has a positive integer number of choices. */
export function checkChoiceCounts(choiceCounts: readonly number[]): void {
  for (const count of choiceCounts) {
    if (!Number.isInteger(count) || count < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid choice count ${count}: every decision needs at least one choice.`,
      );
    }
  }
}

/** Throws unless `choices` has one valid choice index per decision. */
export function checkChoices(choiceCounts: readonly number[], choices: readonly number[]): void {
  if (choices.length !== choiceCounts.length) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid choices: expected ${choiceCounts.length} choice indices, got ${choices.length}.`,
    );
  }
  choices.forEach((choice, d) => {
    if (!Number.isInteger(choice) || choice < 0 || choice >= choiceCounts[d]) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid choice ${choice} for decision ${d}: expected an integer in [0, ${choiceCounts[d] - 1}].`,
      );
    }
  });
}
