// Helpers shared by the *.test.ts files of this package; not exported from the package entry.
import { Logger, Rng } from '@akd/core';
import {
  canonicalGenome,
  choicesFromGenome,
  defaultSearchSpace,
  genomeHash,
  sampleGenome,
  type Genome,
  type SearchSpace,
} from '@akd/search-space';
import type { EvaluationContext, EvaluationResult, Evaluator } from './evaluator.js';

/** Returns the default space for 32×32×3 inputs and 10 classes: 5 blocks, 30 decisions. */
export function testSpace(): SearchSpace {
  return defaultSearchSpace([32, 32, 3], 10);
}

/** Options of {@link HiddenTargetEvaluator}. */
export interface HiddenTargetOptions {
  /** Latency reported for every genome, in ms; defaults to 10. */
  latencyMs?: number;
  /** Milliseconds each evaluation waits before it resolves; defaults to 0 (one macrotask). */
  delayMs?: number;
  /** Makes the evaluation of a genome throw when it returns true. */
  fails?: (genome: Genome) => boolean;
}

/**
 * Fake evaluator whose accuracy rewards a hidden target architecture: 0.1 plus 0.8 times the
 * fraction of decisions of the genome's canonical form that equal the target's. It records
 * every call and the maximum number of calls in flight, and honours the abort signal.
 */
export class HiddenTargetEvaluator implements Evaluator {
  readonly calls: { candidateId: string; hash: string }[] = [];
  maxInFlight = 0;
  private inFlight = 0;
  private readonly target: number[];

  constructor(
    private readonly space: SearchSpace,
    target: Genome,
    private readonly options: HiddenTargetOptions = {},
  ) {
    this.target = choicesFromGenome(space, canonicalGenome(space, target));
  }

  /** Returns the accuracy this evaluator reports for `genome`. */
  accuracyOf(genome: Genome): number {
    const choices = choicesFromGenome(this.space, canonicalGenome(this.space, genome));
    const matches = choices.filter((choice, i) => choice === this.target[i]).length;
    return 0.1 + (0.8 * matches) / choices.length;
  }

  async evaluate(genome: Genome, context: EvaluationContext): Promise<EvaluationResult> {
    this.calls.push({ candidateId: context.candidateId, hash: genomeHash(this.space, genome) });
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await delay(this.options.delayMs ?? 0, context.signal);
      if (this.options.fails?.(genome))
        throw new Error(`Simulated training failure for ${context.candidateId}`);
      return {
        accuracy: this.accuracyOf(genome),
        latencyMs: this.options.latencyMs ?? 10,
        params: 1000,
        flops: 5000,
      };
    } finally {
      this.inFlight -= 1;
    }
  }
}

/** Returns a uniformly drawn genome to serve as hidden target. */
export function randomTarget(space: SearchSpace, seed: number): Genome {
  return sampleGenome(space, new Rng(seed));
}

/** Resolves after `ms` milliseconds, or rejects with an AbortError when `signal` fires first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Logger that drops every line, so expected failures do not clutter test output. */
export class SilentLogger extends Logger {
  constructor() {
    super('search-test');
  }
  override child(): Logger {
    return this;
  }
  override debug(): void {}
  override info(): void {}
  override warn(): void {}
  override error(): void {}
}
