import type { Rng } from '@akd/core';
import type { Genome } from '@akd/search-space';
import type { JsonObject } from './json.js';

/** Name of a built-in search strategy; {@link restoreStrategy} accepts each of them. */
export type StrategyKind = 'policy-gradient' | 'random' | 'evolution';

/** A genome with the reward it earned, as passed to {@link SearchStrategy.update}. */
export interface ScoredGenome {
  genome: Genome;
  reward: number;
}

/** Statistics of one {@link PolicyGradientStrategy} update. */
export type PolicyGradientMetrics = {
  kind: 'policy-gradient';
  meanReward: number;
  /**
   * Mean over decisions of each decision's entropy in nats, after the update. For the LSTM
   * controller it is the entropy given the earlier choices, averaged over the generation.
   */
  meanEntropy: number;
  /** Moving-average baseline after the update. */
  baseline: number;
  /** Mean of `reward − baseline` over the generation, before any normalization. */
  meanAdvantage: number;
  /**
   * Choice probabilities of every decision after the update, in decision order. For the LSTM
   * controller they are conditional on the earlier choices of greedy decoding.
   */
  probabilities: { block: number; name: string; probabilities: number[] }[];
  /**
   * PPO only: fraction of the generation whose probability ratio π_new / π_old after the update
   * lies outside the clip range on the side that its advantage favours. A further PPO step
   * would take no gradient from these samples.
   */
  clipFraction?: number;
  /**
   * PPO only: estimate of KL(π_old ‖ π_new) over the generation, the mean of (r − 1) − log r
   * with r = π_new / π_old. It is non-negative and unbiased for samples drawn from π_old.
   */
  approxKl?: number;
};

/** Statistics of one {@link RandomSearchStrategy} update. */
export type RandomSearchMetrics = {
  kind: 'random';
  meanReward: number;
  maxReward: number;
};

/** Statistics of one {@link EvolutionStrategy} update. */
export type EvolutionMetrics = {
  kind: 'evolution';
  meanReward: number;
  /** Number of members after the update, at most the population size. */
  populationSize: number;
  populationMeanReward: number;
  populationMaxReward: number;
};

/** Statistics returned by {@link SearchStrategy.update}; every variant is plain JSON. */
export type StrategyMetrics = PolicyGradientMetrics | RandomSearchMetrics | EvolutionMetrics;

/**
 * A search strategy proposes genomes one generation at a time and learns from their rewards.
 * The search loop calls `propose`, evaluates every genome, then calls `update` once with all the
 * generation's results in proposal order.
 *
 * `state()` returns plain JSON that contains everything that changes over a search (weights,
 * optimizer moments, baseline, population, internal RNG). {@link restoreStrategy} with the same
 * options and that state rebuilds a strategy whose later proposals and updates are identical.
 */
export interface SearchStrategy {
  readonly kind: StrategyKind;

  /**
   * Proposes `count` genomes, which may repeat. Draws randomness from `rng` when given, otherwise
   * from the strategy's own generator, which is part of its state. Proposing never changes the
   * strategy's learned state, so a generation can be proposed again from a restored strategy.
   */
  propose(count: number, rng?: Rng): Genome[];

  /** Learns from the rewards of one generation and returns statistics of the update. */
  update(results: readonly ScoredGenome[]): StrategyMetrics;

  /** Returns a JSON copy of the strategy's mutable state. */
  state(): JsonObject;
}
