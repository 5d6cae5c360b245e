import { AkdError, type Rng } from '@akd/core';
import {
  argmax,
  checkChoiceCounts,
  checkChoices,
  entropy,
  sampleIndex,
  softmax,
  type ControllerPass,
  type PolicyController,
} from './controller.js';

/**
 * Factorized categorical policy: one independent softmax distribution per decision, with the
 * logits of all decisions stored in one flat parameter vector. Because the decisions are
 * independent, each decision's entropy is the same in every {@link ControllerPass}.
 */
export class CategoricalPolicy implements PolicyController {
  /** Number of choices of each decision. */
  readonly choiceCounts: readonly number[];
  /** Logits of every decision, concatenated in decision order. */
  readonly logits: Float64Array;
  private readonly offsets: number[];

  constructor(choiceCounts: readonly number[], logits?: readonly number[]) {
    checkChoiceCounts(choiceCounts);
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

  /** The logits, which are all the trainable weights of this policy. */
  get parameters(): Float64Array {
    return this.logits;
  }

  /** Returns the probabilities of each decision's choices. */
  probabilities(): number[][] {
    return this.choiceCounts.map((_, d) => this.decisionProbabilities(d));
  }

  /** Draws one choice index per decision. */
  sample(rng: Rng): number[] {
    return this.choiceCounts.map((_, d) => sampleIndex(this.decisionProbabilities(d), rng));
  }

  forward(choices: readonly number[]): ControllerPass {
    return {
      logProb: this.logProb(choices),
      entropies: this.entropies(),
      backward: (logProbScale, entropyScale, gradient) => {
        this.accumulateLogProbGradient(choices, logProbScale, gradient);
        this.accumulateEntropyGradient(entropyScale, gradient);
      },
    };
  }

  greedy(): { choices: number[]; probabilities: number[][] } {
    const probabilities = this.probabilities();
    return { choices: probabilities.map(argmax), probabilities };
  }

  /** Returns log π(choices), the sum of the log-probabilities of every decision's choice. */
  logProb(choices: readonly number[]): number {
    checkChoices(this.choiceCounts, choices);
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
    checkChoices(this.choiceCounts, choices);
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
    return softmax(this.logits.subarray(offset, offset + this.choiceCounts[decision]));
  }
}
