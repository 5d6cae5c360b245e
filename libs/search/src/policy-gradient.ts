import { AkdError, Rng } from '@akd/core';
import {
  choicesFromGenome,
  decisionsFor,
  genomeFromChoices,
  type Decision,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import { Adam } from './adam.js';
import { CategoricalPolicy } from './categorical-policy.js';
import type { JsonObject, JsonValue } from './json.js';
import { STRATEGY_STATE_VERSION, StateReader, checkProposalCount, checkResults } from './strategy-support.js';
import type { PolicyGradientMetrics, ScoredGenome, SearchStrategy } from './strategy.js';

/** Options of {@link PolicyGradientStrategy}. Restoring a saved state requires the same options. */
export interface PolicyGradientOptions {
  /**
   * Adam learning rate on the logits; defaults to 0.1. Adam moves each logit by about this much
   * per update at most, and a search of a few hundred candidates makes only 20 to 50 updates.
   */
  learningRate?: number;
  /** Decay of the exponential moving average of the reward used as baseline; defaults to 0.95. */
  baselineDecay?: number;
  /** Weight of the entropy bonus, which keeps the policy from collapsing early; defaults to 0.001. */
  entropyCoefficient?: number;
  /**
   * Whether to divide each generation's advantages by their standard deviation before the
   * gradient step. The baseline still decides their sign. Defaults to false.
   */
  normalizeAdvantages?: boolean;
  /** Adam first-moment decay; defaults to 0.9. */
  adamBeta1?: number;
  /** Adam second-moment decay; defaults to 0.999. */
  adamBeta2?: number;
  /** Adam denominator term; defaults to 1e-8. */
  adamEpsilon?: number;
  /** Seed of the generator used by `propose` when no RNG is passed; defaults to 0. */
  seed?: number;
  /**
   * Gradient estimator; only REINFORCE exists now. A PPO-clip estimator would add a value here.
   * It needs no extra saved data, because the policy does not change between `propose` and
   * `update`, so the log-probabilities at the start of an update are the old ones of PPO's ratio.
   */
  estimator?: 'reinforce';
  /**
   * Policy over the decisions. Only independent per-decision softmaxes exist now; an LSTM
   * controller would add a value here and implement the same gradient methods as
   * {@link CategoricalPolicy}.
   */
  controller?: 'factorized';
}

type ResolvedOptions = Required<PolicyGradientOptions>;

/** A sampled architecture as choice indices, with the advantage that weights its gradient. */
export interface WeightedSample {
  choices: readonly number[];
  advantage: number;
}

/**
 * Computes the gradient of the REINFORCE loss with respect to the policy logits:
 *
 *   L = −(1/N) Σ_i A_i log π(a_i) − c Σ_d H_d
 *
 * where A_i is the advantage of sample i, H_d the entropy of decision d and c the entropy
 * coefficient. Minimizing L raises the probability of above-baseline samples and keeps the
 * policy from collapsing too early.
 */
export function reinforceGradient(
  policy: CategoricalPolicy,
  samples: readonly WeightedSample[],
  entropyCoefficient: number,
): Float64Array {
  const gradient = new Float64Array(policy.logits.length);
  for (const sample of samples) {
    policy.accumulateLogProbGradient(sample.choices, -sample.advantage / samples.length, gradient);
  }
  policy.accumulateEntropyGradient(-entropyCoefficient, gradient);
  return gradient;
}

/**
 * REINFORCE over an independent categorical distribution per decision, as in the MnasNet
 * controller but without the RNN. Each update uses the whole generation: the advantage of a
 * sample is its reward minus an exponential moving average of past mean rewards, and Adam takes
 * one step on the logits. The first update initializes the baseline to that generation's mean
 * reward, so the first step already compares samples against each other.
 */
export class PolicyGradientStrategy implements SearchStrategy {
  readonly kind = 'policy-gradient' as const;
  private readonly options: ResolvedOptions;
  private readonly decisions: Decision[];
  private readonly policy: CategoricalPolicy;
  private readonly optimizer: Adam;
  private baseline: number | null = null;
  private updates = 0;
  private readonly rng: Rng;

  constructor(
    private readonly space: SearchSpace,
    options: PolicyGradientOptions = {},
    state?: JsonValue,
  ) {
    this.options = resolveOptions(options);
    this.decisions = decisionsFor(space);
    const choiceCounts = this.decisions.map((d) => d.choices.length);
    const adamOptions = {
      learningRate: this.options.learningRate,
      beta1: this.options.adamBeta1,
      beta2: this.options.adamBeta2,
      epsilon: this.options.adamEpsilon,
    };

    if (state === undefined) {
      this.policy = new CategoricalPolicy(choiceCounts);
      this.optimizer = new Adam(this.policy.logits.length, adamOptions);
      this.rng = new Rng(this.options.seed);
      return;
    }

    const reader = new StateReader(this.kind, state);
    const logits = reader.numberArray('logits');
    const total = choiceCounts.reduce((a, b) => a + b, 0);
    if (logits.length !== total) {
      throw reader.error(
        `field logits has ${logits.length} values but the search space has ${total} choices`,
      );
    }
    this.policy = new CategoricalPolicy(choiceCounts, logits);
    const adam = reader.object('adam');
    const step = adam.step;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 0) {
      throw reader.error('field adam.step must be a non-negative integer');
    }
    this.optimizer = new Adam(this.policy.logits.length, adamOptions, {
      step,
      firstMoment: reader.numberArray('adam.firstMoment', adam.firstMoment),
      secondMoment: reader.numberArray('adam.secondMoment', adam.secondMoment),
    });
    this.baseline = reader.nullableNumber('baseline');
    this.updates = reader.number('updates');
    this.rng = reader.rng();
  }

  propose(count: number, rng?: Rng): Genome[] {
    checkProposalCount(count);
    const source = rng ?? this.rng;
    const genomes: Genome[] = [];
    for (let i = 0; i < count; i++) {
      genomes.push(genomeFromChoices(this.space, this.policy.sample(source)));
    }
    return genomes;
  }

  update(results: readonly ScoredGenome[]): PolicyGradientMetrics {
    checkResults(this.kind, results);
    const rewards = results.map((r) => r.reward);
    const meanReward = mean(rewards);
    const baseline = this.baseline ?? meanReward;

    const rawAdvantages = rewards.map((r) => r - baseline);
    const advantages = this.options.normalizeAdvantages ? scaleToUnitDeviation(rawAdvantages) : rawAdvantages;
    const samples = results.map((result, i) => ({
      choices: choicesFromGenome(this.space, result.genome),
      advantage: advantages[i],
    }));

    const gradient = reinforceGradient(this.policy, samples, this.options.entropyCoefficient);
    this.optimizer.apply(this.policy.logits, gradient);
    const decay = this.options.baselineDecay;
    this.baseline = decay * baseline + (1 - decay) * meanReward;
    this.updates += 1;

    return {
      kind: this.kind,
      meanReward,
      meanEntropy: mean(this.policy.entropies()),
      baseline: this.baseline,
      meanAdvantage: mean(rawAdvantages),
      probabilities: this.probabilities(),
    };
  }

  /** Returns the current choice probabilities of every decision, in decision order. */
  probabilities(): PolicyGradientMetrics['probabilities'] {
    return this.policy.probabilities().map((probabilities, i) => ({
      block: this.decisions[i].block,
      name: this.decisions[i].name,
      probabilities,
    }));
  }

  /** Returns the genome that takes the most probable choice of every decision. */
  mostLikelyGenome(): Genome {
    const choices = this.policy.probabilities().map((p) => p.indexOf(Math.max(...p)));
    return genomeFromChoices(this.space, choices);
  }

  state(): JsonObject {
    return {
      version: STRATEGY_STATE_VERSION,
      logits: Array.from(this.policy.logits),
      adam: this.optimizer.state(),
      baseline: this.baseline,
      updates: this.updates,
      rng: this.rng.state(),
    };
  }
}

function resolveOptions(options: PolicyGradientOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    learningRate: options.learningRate ?? 0.1,
    baselineDecay: options.baselineDecay ?? 0.95,
    entropyCoefficient: options.entropyCoefficient ?? 0.001,
    normalizeAdvantages: options.normalizeAdvantages ?? false,
    adamBeta1: options.adamBeta1 ?? 0.9,
    adamBeta2: options.adamBeta2 ?? 0.999,
    adamEpsilon: options.adamEpsilon ?? 1e-8,
    seed: options.seed ?? 0,
    estimator: options.estimator ?? 'reinforce',
    controller: options.controller ?? 'factorized',
  };
  const checks: [boolean, string][] = [
    [
      resolved.learningRate > 0 && Number.isFinite(resolved.learningRate),
      `learningRate ${resolved.learningRate} must be a positive number`,
    ],
    [
      resolved.baselineDecay >= 0 && resolved.baselineDecay < 1,
      `baselineDecay ${resolved.baselineDecay} must be in [0, 1)`,
    ],
    [
      resolved.entropyCoefficient >= 0 && Number.isFinite(resolved.entropyCoefficient),
      `entropyCoefficient ${resolved.entropyCoefficient} must be a non-negative number`,
    ],
    [resolved.adamBeta1 >= 0 && resolved.adamBeta1 < 1, `adamBeta1 ${resolved.adamBeta1} must be in [0, 1)`],
    [resolved.adamBeta2 >= 0 && resolved.adamBeta2 < 1, `adamBeta2 ${resolved.adamBeta2} must be in [0, 1)`],
    [
      resolved.adamEpsilon > 0 && Number.isFinite(resolved.adamEpsilon),
      `adamEpsilon ${resolved.adamEpsilon} must be a positive number`,
    ],
    [Number.isFinite(resolved.seed), `seed ${resolved.seed} must be a finite number`],
    [
      resolved.estimator === 'reinforce',
      `estimator ${String(resolved.estimator)} is not supported; use 'reinforce'`,
    ],
    [
      resolved.controller === 'factorized',
      `controller ${String(resolved.controller)} is not supported; use 'factorized'`,
    ],
  ];
  for (const [ok, problem] of checks) {
    if (!ok) throw new AkdError('INVALID_INPUT', `Invalid policy-gradient option: ${problem}.`);
  }
  return resolved;
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Divides `values` by their standard deviation, or returns them unchanged when it is ~0. */
function scaleToUnitDeviation(values: readonly number[]): number[] {
  const m = mean(values);
  const deviation = Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
  if (deviation < 1e-12) return [...values];
  return values.map((v) => v / deviation);
}
