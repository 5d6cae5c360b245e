import type { Genome } from '@akd/search-space';
import type { JsonValue } from './json.js';

/**
 * Measurements of one trained candidate. Any extra fields (for example the teacher's accuracy or
 * the distillation loss) are stored with the candidate and must be plain JSON.
 */
export interface EvaluationResult {
  /** Distilled top-1 accuracy, a fraction in [0, 1]. */
  accuracy: number;
  /** Inference latency in milliseconds on the target device; must be positive. */
  latencyMs: number;
  /** Number of trainable parameters. */
  params: number;
  /** Floating-point operations of one forward pass. */
  flops: number;
  [key: string]: JsonValue;
}

/** Context passed with each evaluation request. */
export interface EvaluationContext {
  /** Store id of the candidate, for logs and for naming artifacts. */
  candidateId: string;
  /** Aborted when the search stops; an evaluator should reject soon after it fires. */
  signal?: AbortSignal;
}

/**
 * Trains and measures candidates. The search loop never trains anything itself. It calls
 * `evaluate` once per new candidate (distinct genome hash), up to `concurrency` calls at a time,
 * and each call may hand the work to a separate worker process. A call that an abort interrupts
 * is made again when the search resumes.
 */
export interface Evaluator {
  evaluate(genome: Genome, context: EvaluationContext): Promise<EvaluationResult>;
}
