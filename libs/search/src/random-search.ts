import { AkdError, Rng } from '@akd/core';
import { sampleGenome, type Genome, type SearchSpace } from '@akd/search-space';
import type { JsonObject, JsonValue } from './json.js';
import { STRATEGY_STATE_VERSION, StateReader, checkProposalCount, checkResults } from './strategy-support.js';
import type { RandomSearchMetrics, ScoredGenome, SearchStrategy } from './strategy.js';

/** Options of {@link RandomSearchStrategy}. */
export interface RandomSearchOptions {
  /** Seed of the generator used by `propose` when no RNG is passed; defaults to 0. */
  seed?: number;
}

/**
 * Random search: every decision takes each of its choices with equal probability, independently
 * of past rewards. This is the distribution the policy-gradient strategy starts from, which
 * makes it the baseline a learned search has to beat at equal budget.
 */
export class RandomSearchStrategy implements SearchStrategy {
  readonly kind = 'random' as const;
  private readonly rng: Rng;

  constructor(
    private readonly space: SearchSpace,
    options: RandomSearchOptions = {},
    state?: JsonValue,
  ) {
    const seed = options.seed ?? 0;
    if (!Number.isFinite(seed)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid random-search option: seed ${seed} must be a finite number.`,
      );
    }
    this.rng = state === undefined ? new Rng(seed) : new StateReader(this.kind, state).rng();
  }

  propose(count: number, rng?: Rng): Genome[] {
    checkProposalCount(count);
    const source = rng ?? this.rng;
    const genomes: Genome[] = [];
    for (let i = 0; i < count; i++) {
      genomes.push(sampleGenome(this.space, source));
    }
    return genomes;
  }

  update(results: readonly ScoredGenome[]): RandomSearchMetrics {
    checkResults(this.kind, results);
    const rewards = results.map((r) => r.reward);
    return {
      kind: this.kind,
      meanReward: rewards.reduce((a, b) => a + b, 0) / rewards.length,
      maxReward: Math.max(...rewards),
    };
  }

  state(): JsonObject {
    return { version: STRATEGY_STATE_VERSION, rng: this.rng.state() };
  }
}
