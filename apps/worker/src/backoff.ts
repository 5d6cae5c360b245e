import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@akd/core';

/** Sleeps `ms` milliseconds; returns false at once when `signal` fires (before or during the sleep). */
export async function sleepUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link retryWithBackoff}. */
export interface RetryOptions {
  /** First delay between attempts, in milliseconds; each failure doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** Stops retrying; the call then returns null. */
  signal?: AbortSignal;
  /** Returns true for errors worth another attempt; any other error is thrown at once. */
  isRetryable: (error: unknown) => boolean;
  log: Logger;
}

/**
 * Calls `attempt` until it resolves, waiting between failures with exponential backoff and
 * logging each failure with `action`. Returns null when `signal` fires first.
 */
export async function retryWithBackoff<T>(
  action: string,
  attempt: () => Promise<T>,
  options: RetryOptions,
): Promise<T | null> {
  let delayMs = options.initialDelayMs;
  for (let failures = 1; ; failures++) {
    if (options.signal?.aborted) return null;
    try {
      return await attempt();
    } catch (error) {
      if (!options.isRetryable(error)) throw error;
      options.log.warn(`Cannot ${action}; retrying`, { attempt: failures, retryInMs: delayMs, error });
    }
    if (!(await sleepUnlessAborted(delayMs, options.signal))) return null;
    delayMs = Math.min(delayMs * 2, options.maxDelayMs);
  }
}

/**
 * Counts repeats of one recurring failure so that a loop logs its first occurrence, then at most
 * one line per interval with the number of repeats.
 */
export class RepeatedFailureLog {
  private repeats = 0;
  private lastLoggedAt = 0;
  private failing = false;

  constructor(
    private readonly log: Logger,
    private readonly message: string,
    private readonly intervalMs = 60_000,
  ) {}

  /** Records one failure and logs it unless a line was logged within the interval. */
  failed(error: unknown, fields: Record<string, unknown> = {}): void {
    this.failing = true;
    const now = Date.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.repeats++;
      return;
    }
    this.log.warn(this.message, { ...fields, repeatsSinceLastLine: this.repeats, error });
    this.repeats = 0;
    this.lastLoggedAt = now;
  }

  /** Records a success, logging `recoveredMessage` once after a failure. */
  succeeded(recoveredMessage: string, fields: Record<string, unknown> = {}): void {
    if (!this.failing) return;
    this.failing = false;
    this.repeats = 0;
    this.lastLoggedAt = 0;
    this.log.info(recoveredMessage, fields);
  }
}
