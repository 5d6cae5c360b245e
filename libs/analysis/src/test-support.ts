// Helpers shared by the *.test.ts files of this package. The package entry does not export them.
import assert from 'node:assert/strict';

import { AkdError } from '@akd/core';

/** Asserts that `run` throws an INVALID_INPUT AkdError whose message matches `message`. */
export function assertInvalidInput(run: () => unknown, message: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  });
}

/** Asserts |actual − expected| ≤ tolerance, printing both values on failure. */
export function assertClose(
  actual: number | null,
  expected: number,
  tolerance = 1e-12,
  label = 'value',
): void {
  assert.ok(actual !== null, `${label}: expected ${expected}, got null`);
  assert.ok(
    Math.abs(actual - expected) <= tolerance,
    `${label}: expected ${expected} ± ${tolerance}, got ${actual}`,
  );
}
