import { AkdError } from '@akd/core';
import type { EvaluationResult } from './evaluator.js';
import type {
  CandidateError,
  CandidateRecord,
  GenerationRecord,
  GenerationSnapshot,
  GenerationStats,
  ProposedGenome,
  SearchCheckpoint,
  SearchStore,
} from './store.js';

/**
 * {@link SearchStore} kept in memory, for tests and as the reference behaviour of database
 * stores. It enforces the same preconditions a database store should, and copies every value
 * in and out with `structuredClone`, as a database round trip would.
 */
export class MemorySearchStore implements SearchStore {
  private checkpoint: SearchCheckpoint | null = null;
  private readonly generations = new Map<number, GenerationRecord>();
  private readonly candidates = new Map<string, CandidateRecord>();
  private readonly idsByHash = new Map<string, string>();

  async loadCheckpoint(): Promise<SearchCheckpoint | null> {
    return structuredClone(this.checkpoint);
  }

  async saveCheckpoint(checkpoint: SearchCheckpoint): Promise<void> {
    if (this.checkpoint !== null) {
      throw new AkdError(
        'CONFLICT',
        'The experiment already has a checkpoint; resume it instead of starting again.',
      );
    }
    this.checkpoint = structuredClone(checkpoint);
  }

  async loadGeneration(index: number): Promise<GenerationSnapshot | null> {
    const generation = this.generations.get(index);
    return generation ? this.snapshot(generation) : null;
  }

  async beginGeneration(
    index: number,
    genomes: readonly ProposedGenome[],
    rngState: readonly number[],
  ): Promise<GenerationSnapshot> {
    if (this.checkpoint === null || this.checkpoint.nextGeneration !== index) {
      throw new AkdError(
        'CONFLICT',
        `Cannot begin generation ${index}: the checkpoint expects generation ${String(this.checkpoint?.nextGeneration)}.`,
      );
    }
    if (this.generations.has(index)) {
      throw new AkdError('CONFLICT', `Generation ${index} has already begun.`);
    }

    const candidateIds = genomes.map(({ hash, genome }) => {
      const existing = this.idsByHash.get(hash);
      if (existing !== undefined) return existing;
      const id = `candidate-${this.candidates.size + 1}`;
      this.candidates.set(id, {
        id,
        hash,
        genome: structuredClone(genome),
        generation: index,
        status: 'pending',
        result: null,
        reward: null,
        error: null,
      });
      this.idsByHash.set(hash, id);
      return id;
    });
    const generation: GenerationRecord = {
      index,
      genomes: genomes.map(({ genome }) => structuredClone(genome)),
      candidateIds,
      rngState: [...rngState],
      status: 'open',
      stats: null,
    };
    this.generations.set(index, generation);
    return this.snapshot(generation);
  }

  async completeCandidate(candidateId: string, result: EvaluationResult, reward: number): Promise<void> {
    const candidate = this.pendingCandidate(candidateId);
    candidate.status = 'completed';
    candidate.result = structuredClone(result);
    candidate.reward = reward;
  }

  async failCandidate(candidateId: string, error: CandidateError): Promise<void> {
    const candidate = this.pendingCandidate(candidateId);
    candidate.status = 'failed';
    candidate.error = structuredClone(error);
  }

  async completeGeneration(
    index: number,
    stats: GenerationStats,
    checkpoint: SearchCheckpoint,
  ): Promise<void> {
    const generation = this.generations.get(index);
    if (!generation || generation.status !== 'open') {
      throw new AkdError('CONFLICT', `Cannot complete generation ${index}: it is not open.`);
    }
    const pending = generation.candidateIds.filter((id) => this.candidates.get(id)?.status === 'pending');
    if (pending.length > 0) {
      throw new AkdError(
        'CONFLICT',
        `Cannot complete generation ${index}: candidates ${pending.join(', ')} are pending.`,
      );
    }
    if (checkpoint.nextGeneration !== index + 1) {
      throw new AkdError(
        'CONFLICT',
        `Cannot complete generation ${index} with a checkpoint whose next generation is ${checkpoint.nextGeneration}.`,
      );
    }
    generation.status = 'completed';
    generation.stats = structuredClone(stats);
    this.checkpoint = structuredClone(checkpoint);
  }

  async listCandidates(): Promise<CandidateRecord[]> {
    return structuredClone([...this.candidates.values()]);
  }

  /** Returns every generation begun so far, in index order. */
  async listGenerations(): Promise<GenerationRecord[]> {
    return structuredClone([...this.generations.values()].sort((a, b) => a.index - b.index));
  }

  private snapshot(generation: GenerationRecord): GenerationSnapshot {
    const ids = [...new Set(generation.candidateIds)];
    return structuredClone({
      generation,
      candidates: ids.map((id) => this.candidates.get(id) as CandidateRecord),
    });
  }

  private pendingCandidate(candidateId: string): CandidateRecord {
    const candidate = this.candidates.get(candidateId);
    if (!candidate) throw new AkdError('NOT_FOUND', `Candidate ${candidateId} not found.`);
    if (candidate.status !== 'pending') {
      throw new AkdError('CONFLICT', `Candidate ${candidateId} is already ${candidate.status}.`);
    }
    return candidate;
  }
}
