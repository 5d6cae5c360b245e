// Input checks shared by the modules of this package. The package entry does not export them.
// Each throws an INVALID_INPUT AkdError whose message names the offending value.
import { AkdError } from '@akd/core';

/** Throws unless `value` is a finite number. `label` names the value in the message. */
export function ensureFinite(value: number, label: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new AkdError('INVALID_INPUT', `${label} is ${String(value)}. It must be a finite number.`, {
      label,
      value: String(value),
    });
  }
}

/** Throws unless every entry of `values` is a finite number, naming the first bad entry as `label[i]`. */
export function ensureFiniteValues(values: ArrayLike<number>, label: string): void {
  for (let i = 0; i < values.length; i++) ensureFinite(values[i], `${label}[${i}]`);
}

/** Throws unless `value` is an accuracy: a finite fraction in [0, 1]. */
export function ensureFraction(value: number, label: string): void {
  ensureFinite(value, label);
  if (value < 0 || value > 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `${label} is ${value}. Accuracies must be fractions in [0, 1], not percentages.`,
      { label, value },
    );
  }
}

/** Throws unless `value` is a finite number greater than 0. */
export function ensurePositive(value: number, label: string): void {
  ensureFinite(value, label);
  if (value <= 0) {
    throw new AkdError('INVALID_INPUT', `${label} is ${value}. It must be greater than 0.`, { label, value });
  }
}

/** Throws unless `value` is a non-empty string. */
export function ensureName(value: string, label: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `${label} is ${JSON.stringify(value)}. It must be a non-empty string.`,
      {
        label,
      },
    );
  }
}

/** Throws unless `a` and `b` have the same length, naming both. */
export function ensureSameLength(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  labelA: string,
  labelB: string,
): void {
  if (a.length !== b.length) {
    throw new AkdError(
      'INVALID_INPUT',
      `${labelA} has ${a.length} values but ${labelB} has ${b.length}. Pass one value of each per item.`,
      { [labelA]: a.length, [labelB]: b.length },
    );
  }
}

/** Throws unless `values` has at least `minimum` entries. */
export function ensureAtLeast(values: ArrayLike<unknown>, minimum: number, label: string): void {
  if (values.length < minimum) {
    const needed = minimum === 1 ? 'at least one value' : `at least ${minimum} values`;
    throw new AkdError('INVALID_INPUT', `${label} needs ${needed}, but has ${values.length}.`, {
      label,
      count: values.length,
      minimum,
    });
  }
}

/** Throws unless every entry of `names` occurs once, naming the first repeat. */
export function ensureDistinct<T>(names: readonly T[], label: string): void {
  const seen = new Set<T>();
  for (const name of names) {
    if (seen.has(name)) {
      throw new AkdError('INVALID_INPUT', `${label} lists ${String(name)} twice. List each one once.`, {
        label,
        value: String(name),
      });
    }
    seen.add(name);
  }
}
