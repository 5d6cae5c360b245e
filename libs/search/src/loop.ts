import { AkdError, Logger, Rng } from '@akd/core';
import { genomeHash, spaceFingerprint, type SearchSpace } from '@akd/search-space';
import type { EvaluationResult, Evaluator } from './evaluator.js';
import { createStrategy, restoreStrategy, type StrategySpec } from './registry.js';
import { computeReward, validateRewardConfig, type RewardConfig } from './reward.js';
import type {
  CandidateError,
  CandidateRecord,
  GenerationSnapshot,
  GenerationStats,
  SearchCheckpoint,
  SearchStore,
} from './store.js';
import type { ScoredGenome, SearchStrategy } from './strategy.js';

/**
 * Options of {@link runSearch}. Resuming an experiment requires the same space, strategy kind and
 * options, and reward configuration; budget, generation size and concurrency may change.
 */
export interface RunSearchOptions {
  space: SearchSpace;
  /** Strategy kind and options; the strategy's state comes from the store when resuming. */
  strategy: StrategySpec;
  evaluator: Evaluator;
  store: SearchStore;
  /**
   * Maximum number of distinct candidates evaluated over the experiment, failed ones included.
   * A proposal whose genome the experiment already evaluated does not count.
   */
  budget: number;
  /** Number of genomes proposed per generation; the last generation shrinks to fit the budget. */
  generationSize: number;
  /** Maximum number of evaluations running at once; defaults to 1. */
  concurrency?: number;
  rewardConfig: RewardConfig;
  /** Seed of the RNG passed to `propose` when the experiment starts; defaults to 0. Resuming reads the RNG state from the store. */
  seed?: number;
  /**
   * Number of generations in a row without a new genome after which the search stops with status
   * `stalled`, because a converged strategy would otherwise never spend the budget. Defaults to 10.
   */
  maxStalledGenerations?: number;
  /** Stops the search after the running evaluations settle; unfinished ones stay pending. */
  signal?: AbortSignal;
  /** Called synchronously for every progress event; an exception it throws stops the search. */
  onProgress?: (event: SearchProgressEvent) => void;
  /** Defaults to a logger with context `search`. */
  logger?: Logger;
}

/** Progress of a running search. */
export type SearchProgressEvent =
  | {
      type: 'generation-started';
      generation: number;
      /** True when the generation had begun in an earlier run. */
      resumed: boolean;
      proposals: number;
      /** Number of distinct candidates this run will evaluate for the generation. */
      pendingCandidates: number;
    }
  | { type: 'candidate-completed'; generation: number; candidate: CandidateRecord }
  | { type: 'candidate-failed'; generation: number; candidate: CandidateRecord }
  | { type: 'generation-completed'; generation: number; stats: GenerationStats };

/** Reason {@link runSearch} returned. */
export type SearchStatus = 'budget-exhausted' | 'stalled' | 'aborted';

/** Outcome of {@link runSearch}. */
export type SearchSummary = {
  status: SearchStatus;
  /** Number of generations completed over the whole experiment. */
  generationsCompleted: number;
  /**
   * Number of distinct candidates evaluated over the whole experiment, failed ones and those of
   * an unfinished generation included.
   */
  candidatesEvaluated: number;
  /** Completed candidate with the highest reward; the earliest created wins a tie. */
  best: CandidateRecord | null;
};

/**
 * Runs or resumes a search experiment kept in `options.store`, one generation at a time:
 * propose genomes, save them, evaluate the new ones, update the strategy, then save the update
 * together with the generation's completion.
 *
 * A run stopped at any point continues from the store with the same pending genomes. Given a
 * deterministic evaluator it ends with the same candidates, rewards and strategy state as an
 * uninterrupted run, whatever the concurrency, because the update receives results in proposal order.
 *
 * A candidate whose evaluation throws, or returns an invalid result, is saved as failed and enters
 * the update with reward 0. Zero is the lowest reward a valid candidate can get, so the strategy
 * learns to avoid architectures that fail (for example by running out of memory) instead of
 * never seeing them. A genome that failed once is not evaluated again in the same experiment.
 *
 * @throws AkdError (INVALID_INPUT) for invalid options, (CONFLICT) when the stored experiment
 *   used another strategy kind or search space. Any store error is rethrown after the running
 *   evaluations settle.
 */
export async function runSearch(options: RunSearchOptions): Promise<SearchSummary> {
  const settings = checkOptions(options);
  const { store, signal } = options;
  const log = (options.logger ?? new Logger('search')).child({ strategy: options.strategy.kind });

  const fingerprint = spaceFingerprint(options.space);
  let checkpoint = await store.loadCheckpoint();
  let strategy: SearchStrategy;
  if (checkpoint === null) {
    strategy = createStrategy(options.space, options.strategy);
    checkpoint = {
      spaceFingerprint: fingerprint,
      strategyKind: strategy.kind,
      strategyState: strategy.state(),
      rngState: new Rng(settings.seed).state(),
      nextGeneration: 0,
      candidatesEvaluated: 0,
      stalledGenerations: 0,
    };
    await store.saveCheckpoint(checkpoint);
    log.info('Search started', { budget: options.budget, generationSize: options.generationSize });
  } else {
    if (checkpoint.spaceFingerprint !== fingerprint) {
      throw new AkdError(
        'CONFLICT',
        'Cannot resume the experiment with a different search space: its fingerprint does not match the stored one.',
        { stored: checkpoint.spaceFingerprint, given: fingerprint },
      );
    }
    if (checkpoint.strategyKind !== options.strategy.kind) {
      throw new AkdError(
        'CONFLICT',
        `Cannot resume the experiment with strategy ${options.strategy.kind}: it was started with ${checkpoint.strategyKind}.`,
      );
    }
    strategy = restoreStrategy(
      options.strategy.kind,
      options.space,
      options.strategy.options,
      checkpoint.strategyState,
    );
    log.info('Search resumed', {
      generation: checkpoint.nextGeneration,
      candidatesEvaluated: checkpoint.candidatesEvaluated,
      budget: options.budget,
    });
  }

  for (;;) {
    if (signal?.aborted) return finish('aborted', checkpoint);

    const index = checkpoint.nextGeneration;
    let snapshot = await store.loadGeneration(index);
    const resumed = snapshot !== null;
    if (snapshot === null) {
      const remaining = options.budget - checkpoint.candidatesEvaluated;
      if (remaining <= 0) return finish('budget-exhausted', checkpoint);
      if (checkpoint.stalledGenerations >= settings.maxStalledGenerations)
        return finish('stalled', checkpoint);

      const rng = new Rng(checkpoint.rngState);
      const genomes = strategy.propose(Math.min(options.generationSize, remaining), rng);
      const proposed = genomes.map((genome) => ({ hash: genomeHash(options.space, genome), genome }));
      snapshot = await store.beginGeneration(index, proposed, rng.state());
    } else if (snapshot.generation.status === 'completed') {
      throw new AkdError(
        'INTERNAL',
        `The store is inconsistent: generation ${index} is completed but the checkpoint still points at it.`,
      );
    }

    const candidates = new Map(snapshot.candidates.map((c) => [c.id, c]));
    const pending = [...candidates.values()].filter((c) => c.status === 'pending');
    options.onProgress?.({
      type: 'generation-started',
      generation: index,
      resumed,
      proposals: snapshot.generation.candidateIds.length,
      pendingCandidates: pending.length,
    });
    log.debug('Generation started', { generation: index, resumed, pendingCandidates: pending.length });

    await evaluatePending(pending, settings.concurrency, signal, async (candidate) => {
      const settled = await evaluateCandidate(candidate, options, log);
      if (settled === null) return false;
      candidates.set(settled.id, settled);
      const type = settled.status === 'completed' ? 'candidate-completed' : 'candidate-failed';
      options.onProgress?.({ type, generation: index, candidate: settled });
      return true;
    });
    const unfinished = [...candidates.values()].some((c) => c.status === 'pending');
    if (unfinished) return finish('aborted', checkpoint);

    checkpoint = await completeGeneration(snapshot, candidates, strategy, checkpoint, options, log);
  }

  async function finish(status: SearchStatus, last: SearchCheckpoint): Promise<SearchSummary> {
    const all = await store.listCandidates();
    let best: CandidateRecord | null = null;
    for (const candidate of all) {
      if (candidate.status !== 'completed' || candidate.reward === null) continue;
      if (best === null || candidate.reward > (best.reward as number)) best = candidate;
    }
    const summary: SearchSummary = {
      status,
      generationsCompleted: last.nextGeneration,
      candidatesEvaluated: all.filter((c) => c.status !== 'pending').length,
      best,
    };
    log.info('Search stopped', {
      status,
      generationsCompleted: summary.generationsCompleted,
      candidatesEvaluated: summary.candidatesEvaluated,
      bestCandidateId: best?.id ?? null,
      bestReward: best?.reward ?? null,
    });
    return summary;
  }
}

interface Settings {
  concurrency: number;
  seed: number;
  maxStalledGenerations: number;
}

function checkOptions(options: RunSearchOptions): Settings {
  const settings: Settings = {
    concurrency: options.concurrency ?? 1,
    seed: options.seed ?? 0,
    maxStalledGenerations: options.maxStalledGenerations ?? 10,
  };
  const positiveIntegers: [string, number][] = [
    ['budget', options.budget],
    ['generationSize', options.generationSize],
    ['concurrency', settings.concurrency],
    ['maxStalledGenerations', settings.maxStalledGenerations],
  ];
  for (const [name, value] of positiveIntegers) {
    if (!Number.isInteger(value) || value < 1) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid search option ${name}=${value}: expected a positive integer.`,
      );
    }
  }
  if (!Number.isFinite(settings.seed)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid search option seed=${settings.seed}: expected a finite number.`,
    );
  }
  validateRewardConfig(options.rewardConfig);
  return settings;
}

/**
 * Runs `evaluate` on every candidate with at most `concurrency` calls in flight. Stops starting
 * new calls once `signal` fires, a call returns false (interrupted) or a call throws. Waits for
 * every started call to settle, then rethrows the first error.
 */
async function evaluatePending(
  pending: readonly CandidateRecord[],
  concurrency: number,
  signal: AbortSignal | undefined,
  evaluate: (candidate: CandidateRecord) => Promise<boolean>,
): Promise<void> {
  const state = { next: 0, stopped: false, failure: null as { error: unknown } | null };
  const worker = async (): Promise<void> => {
    while (!state.stopped && !signal?.aborted && state.next < pending.length) {
      const candidate = pending[state.next];
      state.next += 1;
      try {
        if (!(await evaluate(candidate))) state.stopped = true;
      } catch (error) {
        state.stopped = true;
        state.failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
  if (state.failure) throw state.failure.error;
}

/**
 * Evaluates one pending candidate and saves the outcome. Returns the settled record, or null when
 * the evaluation threw after the search was aborted, in which case the candidate stays pending.
 */
async function evaluateCandidate(
  candidate: CandidateRecord,
  options: RunSearchOptions,
  log: Logger,
): Promise<CandidateRecord | null> {
  const { store, signal } = options;
  const fields = { candidateId: candidate.id, generation: candidate.generation };

  let result: EvaluationResult;
  let reward: number;
  try {
    result = await options.evaluator.evaluate(candidate.genome, { candidateId: candidate.id, signal });
  } catch (error) {
    if (signal?.aborted) {
      log.info('Evaluation interrupted by abort; the candidate stays pending', { ...fields, error });
      return null;
    }
    return fail(error);
  }
  try {
    checkResult(result);
    reward = computeReward(result.accuracy, result.latencyMs, options.rewardConfig);
  } catch (error) {
    return fail(error);
  }

  await store.completeCandidate(candidate.id, result, reward);
  return { ...candidate, status: 'completed', result, reward };

  async function fail(error: unknown): Promise<CandidateRecord> {
    const described = describeError(error);
    log.warn('Candidate evaluation failed; it counts with reward 0', { ...fields, error });
    await store.failCandidate(candidate.id, described);
    return { ...candidate, status: 'failed', error: described };
  }
}

function checkResult(result: EvaluationResult): void {
  if (result === null || typeof result !== 'object') {
    throw new AkdError('INVALID_INPUT', `Invalid evaluation result ${String(result)}: expected an object.`);
  }
  for (const field of ['params', 'flops'] as const) {
    const value = result[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid evaluation result: ${field}=${String(value)} must be a non-negative number.`,
      );
    }
  }
}

function describeError(error: unknown): CandidateError {
  if (error instanceof AkdError) return { name: error.name, message: error.message, code: error.code };
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Updates the strategy with the generation's rewards and saves the update with the completion. */
async function completeGeneration(
  snapshot: GenerationSnapshot,
  candidates: ReadonlyMap<string, CandidateRecord>,
  strategy: SearchStrategy,
  previous: SearchCheckpoint,
  options: RunSearchOptions,
  log: Logger,
): Promise<SearchCheckpoint> {
  const { generation } = snapshot;
  const slots = generation.candidateIds.map((id) => candidates.get(id) as CandidateRecord);
  const results: ScoredGenome[] = slots.map((c, i) => ({
    genome: generation.genomes[i],
    reward: c.status === 'completed' ? (c.reward as number) : 0,
  }));
  const metrics = strategy.update(results);

  const rewards = results.map((r) => r.reward);
  let bestCandidateId: string | null = null;
  let bestReward = -Infinity;
  for (const candidate of slots) {
    if (candidate.status === 'completed' && (candidate.reward as number) > bestReward) {
      bestReward = candidate.reward as number;
      bestCandidateId = candidate.id;
    }
  }
  const distinct = [...new Set(generation.candidateIds)];
  const newCandidates = distinct.filter((id) => candidates.get(id)?.generation === generation.index).length;
  const stats: GenerationStats = {
    generation: generation.index,
    proposals: slots.length,
    distinctCandidates: distinct.length,
    newCandidates,
    failedProposals: slots.filter((c) => c.status === 'failed').length,
    meanReward: rewards.reduce((a, b) => a + b, 0) / rewards.length,
    maxReward: Math.max(...rewards),
    bestCandidateId,
    strategy: metrics,
  };
  const checkpoint: SearchCheckpoint = {
    spaceFingerprint: previous.spaceFingerprint,
    strategyKind: strategy.kind,
    strategyState: strategy.state(),
    rngState: generation.rngState,
    nextGeneration: generation.index + 1,
    candidatesEvaluated: previous.candidatesEvaluated + newCandidates,
    stalledGenerations: newCandidates === 0 ? previous.stalledGenerations + 1 : 0,
  };

  await options.store.completeGeneration(generation.index, stats, checkpoint);
  options.onProgress?.({ type: 'generation-completed', generation: generation.index, stats });
  log.info('Generation completed', {
    generation: generation.index,
    newCandidates,
    failedProposals: stats.failedProposals,
    meanReward: stats.meanReward,
    maxReward: stats.maxReward,
  });
  return checkpoint;
}
