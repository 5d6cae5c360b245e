import type { Genome } from '@akd/search-space';
import type { EvaluationResult } from './evaluator.js';
import type { JsonObject } from './json.js';
import type { StrategyKind, StrategyMetrics } from './strategy.js';

/** Evaluation state of a candidate. */
export type CandidateStatus = 'pending' | 'completed' | 'failed';

/** Name and message of the error that made an evaluation fail. */
export type CandidateError = {
  name: string;
  message: string;
  /** `AkdError.code` when the error was an AkdError. */
  code?: string;
};

/**
 * One distinct network of an experiment, identified by its genome hash. Its outcome is saved once
 * and reused by every later proposal with the same hash.
 */
export type CandidateRecord = {
  /** Id assigned by the store. */
  id: string;
  /** `genomeHash(space, genome)`, unique within the experiment. */
  hash: string;
  genome: Genome;
  /** Index of the generation that first proposed the genome. */
  generation: number;
  status: CandidateStatus;
  /** Evaluator output; set when completed. */
  result: EvaluationResult | null;
  /** MnasNet reward computed from `result`; set when completed. */
  reward: number | null;
  /** Cause of the failure; set when failed. */
  error: CandidateError | null;
};

/** Statistics of a completed generation, saved with it. */
export type GenerationStats = {
  generation: number;
  /** Number of genomes proposed, counting repeats. */
  proposals: number;
  /** Number of distinct candidates the proposals map to. */
  distinctCandidates: number;
  /** Number of candidates first proposed by this generation, each evaluated once. */
  newCandidates: number;
  /** Number of proposals whose candidate failed and counted with reward 0. */
  failedProposals: number;
  /** Mean reward over all proposals, failed ones counted as 0. */
  meanReward: number;
  maxReward: number;
  /** Completed candidate with the highest reward in this generation, if any completed. */
  bestCandidateId: string | null;
  /** Statistics returned by the strategy update. */
  strategy: StrategyMetrics;
};

/** A generation as stored: its proposals in order and, once completed, its statistics. */
export type GenerationRecord = {
  index: number;
  /**
   * Genomes as the strategy proposed them, in proposal order. The strategy update needs these
   * rather than the candidates' genomes, because two genomes with different choices can build
   * the same network and so share a hash and a candidate.
   */
  genomes: Genome[];
  /** Candidate id of each proposal, in proposal order; genomes with equal hashes repeat an id. */
  candidateIds: string[];
  /** State of the search RNG right after this generation was proposed. */
  rngState: number[];
  status: 'open' | 'completed';
  stats: GenerationStats | null;
};

/** A generation with the distinct candidates it references. */
export type GenerationSnapshot = {
  generation: GenerationRecord;
  /** Every candidate listed in `generation.candidateIds`, each once, in any order. */
  candidates: CandidateRecord[];
};

/**
 * Everything the search loop needs besides the candidates to continue a search: the strategy
 * state, the RNG state and the generation cursor.
 */
export type SearchCheckpoint = {
  /** `spaceFingerprint(space)` of the space the experiment searches. */
  spaceFingerprint: string;
  strategyKind: StrategyKind;
  /** Output of the strategy's `state()` after the last completed generation's update. */
  strategyState: JsonObject;
  /** State of the search RNG that proposes the next generation. */
  rngState: number[];
  /** Index of the next generation to propose or, if it is open, to finish. */
  nextGeneration: number;
  /** Number of distinct candidates evaluated (completed or failed) by completed generations. */
  candidatesEvaluated: number;
  /** Number of most recent completed generations in a row that proposed no new genome. */
  stalledGenerations: number;
};

/** A genome with its hash, as passed to {@link SearchStore.beginGeneration}. */
export type ProposedGenome = { hash: string; genome: Genome };

/**
 * Persistence of one search experiment; the search loop keeps nothing else across runs. Every
 * method must be atomic, so a crash leaves either all or none of its writes. A database store
 * therefore runs `beginGeneration` and `completeGeneration` each in one transaction and keeps a
 * unique index on (experiment, hash). Implementations return copies, so callers cannot change
 * stored records by mutating results.
 *
 * NOTE: only one `runSearch` may use an experiment at a time. Neither the loop nor
 * `MemorySearchStore` locks it, so a database store shared by several processes needs a
 * lease or lock of its own.
 */
export interface SearchStore {
  /** Returns the latest checkpoint, or null for an experiment that has not started. */
  loadCheckpoint(): Promise<SearchCheckpoint | null>;

  /**
   * Saves the initial checkpoint of a new experiment. The loop calls it once, before the first
   * generation; later checkpoints are written by {@link completeGeneration}. Rejects with a
   * CONFLICT AkdError if a checkpoint already exists.
   */
  saveCheckpoint(checkpoint: SearchCheckpoint): Promise<void>;

  /** Returns generation `index` with its candidates, or null if it has not begun. */
  loadGeneration(index: number): Promise<GenerationSnapshot | null>;

  /**
   * Records the proposals of generation `index` before any of them is evaluated. Each genome
   * maps to the experiment's candidate with the same hash, whatever its status, and a new
   * pending candidate is created for each hash not seen before. `rngState` is the search RNG
   * right after proposing. Rejects with a CONFLICT AkdError unless `index` is the checkpoint's
   * `nextGeneration` and that generation has not begun.
   */
  beginGeneration(
    index: number,
    genomes: readonly ProposedGenome[],
    rngState: readonly number[],
  ): Promise<GenerationSnapshot>;

  /** Marks a pending candidate completed with its result and reward. */
  completeCandidate(candidateId: string, result: EvaluationResult, reward: number): Promise<void>;

  /** Marks a pending candidate failed with the error of its evaluation. */
  failCandidate(candidateId: string, error: CandidateError): Promise<void>;

  /**
   * Marks generation `index` completed with its statistics and replaces the checkpoint in the
   * same transaction, so a crash cannot leave the strategy update saved without the completion
   * or the reverse. Rejects with a CONFLICT AkdError unless the generation is open, none of its
   * candidates is pending and `checkpoint.nextGeneration` is `index + 1`.
   */
  completeGeneration(index: number, stats: GenerationStats, checkpoint: SearchCheckpoint): Promise<void>;

  /** Returns every candidate of the experiment in creation order. */
  listCandidates(): Promise<CandidateRecord[]>;
}
