import { AkdError } from '@akd/core';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Returns `value` when it is a UUID (the form of every id in the database) and throws
 * INVALID_INPUT naming `label` otherwise, before the value reaches a query or a file path.
 */
export function checkId(value: string, label: string): string {
  if (!UUID.test(value)) {
    throw new AkdError('INVALID_INPUT', `Invalid ${label} id "${value.slice(0, 80)}": expected a UUID.`, {
      label,
    });
  }
  return value;
}
