import { AkdError, type Logger } from '@akd/core';
import type { EvaluationContext, EvaluationResult, Evaluator } from '@akd/search';
import type { Genome } from '@akd/search-space';
import { RepeatedFailureLog, sleepUnlessAborted } from './backoff.js';
import type { WorkerContext } from './context.js';

/** A candidate row that reached `completed` or `failed`. */
export interface SettledCandidate {
  id: string;
  status: 'completed' | 'failed';
  /** Evaluation result stored by the candidate job; set when completed. */
  metrics: unknown;
  error: string | null;
}

interface Waiter {
  resolve: (candidate: SettledCandidate) => void;
  reject: (error: unknown) => void;
}

/** First delay between two reads of the awaited candidate rows; it doubles while nothing settles. */
const MIN_POLL_MS = 250;

/** Interval between two checks that every awaited candidate has a live job or a training worker. */
const SUPERVISE_MS = 10_000;

/** Row lock kind of a candidate being trained; the candidate job takes it. */
export const CANDIDATE_LOCK = 'candidate';

/**
 * Waits for candidate rows of one search step to settle, reading all of them in one query per
 * poll. It also keeps every awaited candidate moving: a candidate that has no queued, retrying or
 * running job and whose row lock no worker holds gets a new candidate job, first when a waiter
 * arrives, then every 10 seconds. That covers jobs lost to a crash of the search step before it
 * enqueued them and candidate jobs that gave up, without ever training a candidate twice at once.
 *
 * A failed database read is logged and retried: waiters only settle on a settled row, on an abort
 * or on {@link stop}, because runSearch would record any other rejection as a failed candidate.
 */
export class CandidateWatcher {
  private readonly waiters = new Map<string, Set<Waiter>>();
  private readonly supervisedAt = new Map<string, number>();
  private loop: Promise<void> | null = null;
  private wakeLoop: AbortController = new AbortController();
  private stopped = false;
  private readonly readFailures: RepeatedFailureLog;

  constructor(
    private readonly ctx: Pick<WorkerContext, 'prisma' | 'queue' | 'locks' | 'config'>,
    private readonly log: Logger,
  ) {
    this.readFailures = new RepeatedFailureLog(
      log,
      'Cannot read or supervise the awaited candidates; retrying',
    );
  }

  /** Resolves when the candidate row settles; rejects when `signal` fires or the watcher stops. */
  waitForSettled(candidateId: string, signal?: AbortSignal): Promise<SettledCandidate> {
    if (this.stopped) return Promise.reject(new AkdError('UNAVAILABLE', 'The search step stopped.'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        this.remove(candidateId, waiter);
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        resolve: (candidate) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(candidate);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const set = this.waiters.get(candidateId) ?? new Set();
      set.add(waiter);
      this.waiters.set(candidateId, set);
      this.loop ??= this.run().finally(() => {
        this.loop = null;
      });
      this.wakeLoop.abort();
    });
  }

  /** Rejects every waiter and ends the polling loop. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wakeLoop.abort();
    for (const id of [...this.waiters.keys()]) {
      this.settle(id, (waiter) => waiter.reject(new AkdError('UNAVAILABLE', 'The search step stopped.')));
    }
    await this.loop;
  }

  private async run(): Promise<void> {
    let delayMs = MIN_POLL_MS;
    const maxDelayMs = this.ctx.config.searchPollMaxSeconds * 1000;
    while (!this.stopped && this.waiters.size > 0) {
      this.wakeLoop = new AbortController();
      let progressed = false;
      try {
        progressed = await this.pollOnce();
        this.readFailures.succeeded('Reading the awaited candidates works again');
      } catch (error) {
        this.readFailures.failed(error, { candidates: this.waiters.size });
        delayMs = maxDelayMs;
      }
      delayMs = progressed ? MIN_POLL_MS : Math.min(delayMs * 2, maxDelayMs);
      if (this.waiters.size > 0) await sleepUnlessAborted(delayMs, this.wakeLoop.signal);
    }
  }

  /** Reads the awaited rows once, settles the finished ones and supervises the others; returns true if any settled. */
  private async pollOnce(): Promise<boolean> {
    const ids = [...this.waiters.keys()];
    if (ids.length === 0) return false;
    const rows = await this.ctx.prisma.candidate.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, metrics: true, error: true },
    });
    let progressed = false;
    const found = new Set(rows.map((row) => row.id));
    for (const row of rows) {
      if (row.status !== 'completed' && row.status !== 'failed') continue;
      const settled: SettledCandidate = {
        id: row.id,
        status: row.status,
        metrics: row.metrics,
        error: row.error,
      };
      this.settle(row.id, (waiter) => waiter.resolve(settled));
      progressed = true;
    }
    for (const id of ids.filter((candidateId) => !found.has(candidateId))) {
      const error = new AkdError(
        'NOT_FOUND',
        `Candidate ${id} no longer exists; its experiment was probably deleted.`,
      );
      this.settle(id, (waiter) => waiter.reject(error));
      progressed = true;
    }

    const now = Date.now();
    const due = [...this.waiters.keys()].filter(
      (id) => (this.supervisedAt.get(id) ?? 0) + SUPERVISE_MS <= now,
    );
    if (due.length > 0) {
      await this.supervise(due);
      for (const id of due) this.supervisedAt.set(id, now);
    }
    return progressed;
  }

  /** Enqueues a candidate job for each of `ids` that has neither a live job nor a training worker. */
  private async supervise(ids: string[]): Promise<void> {
    const live = await this.ctx.queue.liveRowIds('candidate', ids);
    const idle = ids.filter((id) => !live.has(id));
    const training = await this.ctx.locks.heldIds(CANDIDATE_LOCK, idle);
    for (const candidateId of idle.filter((id) => !training.has(id))) {
      const jobId = await this.ctx.queue.enqueueCandidate(candidateId);
      this.log.debug('Candidate job enqueued', { candidateId, jobId });
    }
  }

  private settle(candidateId: string, apply: (waiter: Waiter) => void): void {
    const set = this.waiters.get(candidateId);
    this.waiters.delete(candidateId);
    this.supervisedAt.delete(candidateId);
    for (const waiter of set ?? []) apply(waiter);
  }

  private remove(candidateId: string, waiter: Waiter): void {
    const set = this.waiters.get(candidateId);
    if (!set) return;
    set.delete(waiter);
    if (set.size === 0) {
      this.waiters.delete(candidateId);
      this.supervisedAt.delete(candidateId);
    }
  }
}

/**
 * {@link Evaluator} of a distributed search: it trains nothing itself. Each call waits, through a
 * {@link CandidateWatcher}, until a candidate job on some worker settles the candidate row, then
 * returns the stored result or throws the stored error. The candidate job computes the reward
 * too, and runSearch recomputes the same value when it saves the result.
 */
export class DistributedEvaluator implements Evaluator {
  constructor(private readonly watcher: CandidateWatcher) {}

  async evaluate(_genome: Genome, context: EvaluationContext): Promise<EvaluationResult> {
    const candidate = await this.watcher.waitForSettled(context.candidateId, context.signal);
    if (candidate.status === 'completed') return candidate.metrics as EvaluationResult;
    throw new Error(candidate.error ?? `Candidate ${candidate.id} failed without an error message.`);
  }
}
