import { AkdError, type Rng } from '@akd/core';

/**
 * Factorized categorical policy: one independent softmax distribution per decision, with the
 * logits of all decisions stored in one flat parameter vector. The policy-gradient strategy
 * reads gradients only through `accumulateLogProbGradient` and `accumulateEntropyGradient`, so
 * an autoregressive controller (an LSTM conditioned on earlier decisions) can replace it by
 * providing the same two methods.
 */
export class CategoricalPolicy {
  /** Number of choices of each decision. */
  readonly choiceCounts: readonly number[];
  /** Logits of every decision, concatenated in decision order. */
  readonly logits: Float64Array;
  private readonly offsets: number[];

  constructor(choiceCounts: readonly number[], logits?: readonly number[]) {
    for (const count of choiceCounts) {
      if (!Number.isInteger(count) || count < 1) {
        throw new AkdError(
          'INVALID_INPUT',
          `Invalid choice count ${count}: every decision needs at least one choice.`,
        );
      }
    }
    this.choiceCounts = [...choiceCounts];
    this.offsets = [];
    let total = 0;
    for (const count of choiceCounts) {
      this.offsets.push(total);
      total += count;
    }
    this.logits = new Float64Array(total);
    if (logits) {
      if (logits.length !== total) {
        throw new AkdError(
          'INVALID_INPUT',
          `Invalid policy logits: expected ${total} values for ${choiceCounts.length} decisions, got ${logits.length}.`,
        );
      }
      this.logits.set(logits);
    }
  }

  /** Returns the probabilities of each decision's choices. */
  probabilities(): number[][] {
    return this.choiceCounts.map((_, d) => this.decisionProbabilities(d));
  }

  /** Draws one choice index per decision. */
  sample(rng: Rng): number[] {
    return this.choiceCounts.map((count, d) => {
      const probabilities = this.decisionProbabilities(d);
      const u = rng.next();
      let cumulative = 0;
      for (let k = 0; k < count; k++) {
        cumulative += probabilities[k];
        if (u < cumulative) return k;
      }
      // Rounding can leave the cumulative sum just below 1.
      return count - 1;
    });
  }

  /** Returns log π(choices), the sum of the log-probabilities of every decision's choice. */
  logProb(choices: readonly number[]): number {
    this.checkChoices(choices);
    let total = 0;
    for (let d = 0; d < this.choiceCounts.length; d++) {
      total += Math.log(this.decisionProbabilities(d)[choices[d]]);
    }
    return total;
  }

  /** Returns the entropy in nats of each decision's distribution. */
  entropies(): number[] {
    return this.choiceCounts.map((_, d) => entropy(this.decisionProbabilities(d)));
  }

  /**
   * Adds `scale × ∇ log π(choices)` to `gradient`. For a softmax the derivative of log p_a with
   * respect to logit k is `[k = a] − p_k`.
   */
  accumulateLogProbGradient(choices: readonly number[], scale: number, gradient: Float64Array): void {
    this.checkChoices(choices);
    for (let d = 0; d < this.choiceCounts.length; d++) {
      const probabilities = this.decisionProbabilities(d);
      const offset = this.offsets[d];
      for (let k = 0; k < probabilities.length; k++) {
        const indicator = k === choices[d] ? 1 : 0;
        gradient[offset + k] += scale * (indicator - probabilities[k]);
      }
    }
  }

  /**
   * Adds `scale × ∇ Σ_d H_d` to `gradient`, where H_d is the entropy of decision d. For a softmax
   * the derivative of H with respect to logit k is `−p_k (log p_k + H)`.
   */
  accumulateEntropyGradient(scale: number, gradient: Float64Array): void {
    for (let d = 0; d < this.choiceCounts.length; d++) {
      const probabilities = this.decisionProbabilities(d);
      const h = entropy(probabilities);
      const offset = this.offsets[d];
      for (let k = 0; k < probabilities.length; k++) {
        const p = probabilities[k];
        const derivative = p > 0 ? -p * (Math.log(p) + h) : 0;
        gradient[offset + k] += scale * derivative;
      }
    }
  }

  private decisionProbabilities(decision: number): number[] {
    const offset = this.offsets[decision];
    const count = this.choiceCounts[decision];
    let max = -Infinity;
    for (let k = 0; k < count; k++) max = Math.max(max, this.logits[offset + k]);
    const exps: number[] = [];
    let sum = 0;
    for (let k = 0; k < count; k++) {
      const e = Math.exp(this.logits[offset + k] - max);
      exps.push(e);
      sum += e;
    }
    return exps.map((e) => e / sum);
  }

  private checkChoices(choices: readonly number[]): void {
    if (choices.length !== this.choiceCounts.length) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid choices: expected ${this.choiceCounts.length} choice indices, got ${choices.length}.`,
      );
    }
    choices.forEach((choice, d) => {
      if (!Number.isInteger(choice) || choice < 0 || choice >= this.choiceCounts[d]) {
        throw new AkdError(
          'INVALID_INPUT',
          `Invalid choice ${choice} for decision ${d}: expected an integer in [0, ${this.choiceCounts[d] - 1}].`,
        );
      }
    });
  }
}

function entropy(probabilities: readonly number[]): number {
  let h = 0;
  for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
  return h;
}
