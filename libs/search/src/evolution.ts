import { AkdError, Rng } from '@akd/core';
import {
  choicesFromGenome,
  genomeFromChoices,
  mutateGenome,
  sampleGenome,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import type { JsonObject, JsonValue } from './json.js';
import { STRATEGY_STATE_VERSION, StateReader, checkProposalCount, checkResults } from './strategy-support.js';
import type { EvolutionMetrics, ScoredGenome, SearchStrategy } from './strategy.js';

/** Options of {@link EvolutionStrategy}. Restoring a saved state requires the same options. */
export interface EvolutionOptions {
  /** Number P of most recent genomes kept as the population; defaults to 20. */
  populationSize?: number;
  /** Number S of members drawn for each tournament, at most P; defaults to 5. */
  tournamentSize?: number;
  /** Seed of the generator used by `propose` when no RNG is passed; defaults to 0. */
  seed?: number;
}

interface Member {
  choices: number[];
  reward: number;
}

/**
 * Regularized (aging) evolution, proposed a generation at a time. Until the population contains
 * P members, proposals are uniform random genomes. After that, each child is one mutation
 * (`mutateGenome`) of the best of S members drawn without replacement, and every child of a
 * generation is drawn from the same population. `update` appends the generation's genomes in
 * proposal order and removes the oldest members beyond P, whatever their reward.
 *
 * The defaults P = 20 and S = 5 are an estimate for budgets of a few hundred trained candidates,
 * where the population fills within the first tenth of the budget.
 */
export class EvolutionStrategy implements SearchStrategy {
  readonly kind = 'evolution' as const;
  private readonly populationSize: number;
  private readonly tournamentSize: number;
  /** Members ordered from oldest to youngest. */
  private population: Member[] = [];
  private readonly rng: Rng;

  constructor(
    private readonly space: SearchSpace,
    options: EvolutionOptions = {},
    state?: JsonValue,
  ) {
    this.populationSize = options.populationSize ?? 20;
    this.tournamentSize = options.tournamentSize ?? 5;
    const seed = options.seed ?? 0;
    if (!Number.isInteger(this.populationSize) || this.populationSize < 1) {
      throw invalidOption(`populationSize ${this.populationSize} must be a positive integer`);
    }
    if (
      !Number.isInteger(this.tournamentSize) ||
      this.tournamentSize < 1 ||
      this.tournamentSize > this.populationSize
    ) {
      throw invalidOption(
        `tournamentSize ${this.tournamentSize} must be an integer in [1, populationSize=${this.populationSize}]`,
      );
    }
    if (!Number.isFinite(seed)) throw invalidOption(`seed ${seed} must be a finite number`);

    if (state === undefined) {
      this.rng = new Rng(seed);
      return;
    }
    const reader = new StateReader(this.kind, state);
    this.rng = reader.rng();
    this.population = reader.array('population').map((entry, i) => {
      if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
        throw reader.error(`population[${i}] must be an object`);
      }
      const choices = reader.numberArray(`population[${i}].choices`, entry.choices);
      const reward = entry.reward;
      if (typeof reward !== 'number' || !Number.isFinite(reward)) {
        throw reader.error(`population[${i}].reward must be a finite number`);
      }
      // Rebuilding the genome checks that the choices fit this search space.
      genomeFromChoices(space, choices);
      return { choices, reward };
    });
    if (this.population.length > this.populationSize) {
      throw reader.error(
        `population has ${this.population.length} members, more than populationSize=${this.populationSize}`,
      );
    }
  }

  propose(count: number, rng?: Rng): Genome[] {
    checkProposalCount(count);
    const source = rng ?? this.rng;
    const genomes: Genome[] = [];
    for (let i = 0; i < count; i++) {
      if (this.population.length < this.populationSize) {
        genomes.push(sampleGenome(this.space, source));
      } else {
        const parent = this.tournament(source);
        genomes.push(mutateGenome(this.space, genomeFromChoices(this.space, parent.choices), source));
      }
    }
    return genomes;
  }

  update(results: readonly ScoredGenome[]): EvolutionMetrics {
    checkResults(this.kind, results);
    for (const result of results) {
      this.population.push({ choices: choicesFromGenome(this.space, result.genome), reward: result.reward });
    }
    if (this.population.length > this.populationSize) {
      this.population = this.population.slice(this.population.length - this.populationSize);
    }
    const rewards = results.map((r) => r.reward);
    const populationRewards = this.population.map((m) => m.reward);
    return {
      kind: this.kind,
      meanReward: rewards.reduce((a, b) => a + b, 0) / rewards.length,
      populationSize: this.population.length,
      populationMeanReward: populationRewards.reduce((a, b) => a + b, 0) / populationRewards.length,
      populationMaxReward: Math.max(...populationRewards),
    };
  }

  state(): JsonObject {
    return {
      version: STRATEGY_STATE_VERSION,
      population: this.population.map((m) => ({ choices: [...m.choices], reward: m.reward })),
      rng: this.rng.state(),
    };
  }

  /** Returns the member with the highest reward among S drawn without replacement; ties go to the older. */
  private tournament(rng: Rng): Member {
    const indices = this.population.map((_, i) => i);
    let best: number | null = null;
    // Partial Fisher-Yates shuffle: the first S positions become a uniform sample without replacement.
    for (let i = 0; i < this.tournamentSize; i++) {
      const j = i + rng.int(indices.length - i);
      [indices[i], indices[j]] = [indices[j], indices[i]];
      const candidate = indices[i];
      if (
        best === null ||
        this.population[candidate].reward > this.population[best].reward ||
        (this.population[candidate].reward === this.population[best].reward && candidate < best)
      ) {
        best = candidate;
      }
    }
    return this.population[best as number];
  }
}

function invalidOption(problem: string): AkdError {
  return new AkdError('INVALID_INPUT', `Invalid evolution option: ${problem}.`);
}
