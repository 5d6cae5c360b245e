// Helpers shared by the built-in strategies; not exported from the package.
import { AkdError, Rng } from '@akd/core';
import type { JsonValue } from './json.js';
import type { ScoredGenome, StrategyKind } from './strategy.js';

/** Version written into every built-in strategy state, checked on restore. */
export const STRATEGY_STATE_VERSION = 1;

/** Throws unless `count` is a positive integer. */
export function checkProposalCount(count: number): void {
  if (!Number.isInteger(count) || count < 1) {
    throw new AkdError('INVALID_INPUT', `Invalid proposal count ${count}: expected a positive integer.`);
  }
}

/** Throws unless `results` is non-empty and every reward is a finite number. */
export function checkResults(kind: StrategyKind, results: readonly ScoredGenome[]): void {
  if (results.length === 0) {
    throw new AkdError('INVALID_INPUT', `The ${kind} strategy received an empty generation to learn from.`);
  }
  results.forEach((result, i) => {
    if (!Number.isFinite(result.reward)) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid reward ${result.reward} for result ${i}: expected a finite number.`,
      );
    }
  });
}

/** Reads a saved strategy state, failing with a message that names the strategy and field. */
export class StateReader {
  private readonly fields: { [key: string]: JsonValue };

  constructor(
    private readonly kind: StrategyKind,
    state: JsonValue,
  ) {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) {
      throw this.error('expected a JSON object');
    }
    this.fields = state;
    const version = state.version;
    if (version !== STRATEGY_STATE_VERSION) {
      throw this.error(`unsupported version ${JSON.stringify(version)}, expected ${STRATEGY_STATE_VERSION}`);
    }
  }

  /** Returns whether the state contains `field`, whatever its value. */
  has(field: string): boolean {
    return Object.hasOwn(this.fields, field);
  }

  number(field: string): number {
    const value = this.fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw this.error(`field ${field} must be a finite number`);
    return value;
  }

  nullableNumber(field: string): number | null {
    return this.fields[field] === null ? null : this.number(field);
  }

  numberArray(field: string, value: JsonValue = this.fields[field]): number[] {
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw this.error(`field ${field} must be an array of finite numbers`);
    }
    return value as number[];
  }

  array(field: string): JsonValue[] {
    const value = this.fields[field];
    if (!Array.isArray(value)) throw this.error(`field ${field} must be an array`);
    return value;
  }

  object(field: string): { [key: string]: JsonValue } {
    const value = this.fields[field];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw this.error(`field ${field} must be an object`);
    }
    return value;
  }

  rng(field = 'rng'): Rng {
    const words = this.numberArray(field);
    const unsigned = words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff);
    if (words.length !== 4 || !unsigned || words.every((w) => w === 0)) {
      throw this.error(`field ${field} must contain four unsigned 32-bit integers, not all zero`);
    }
    return new Rng(words);
  }

  error(problem: string): AkdError {
    return new AkdError('INVALID_INPUT', `Invalid ${this.kind} strategy state: ${problem}.`);
  }
}
