/** Machine-readable category of an {@link AkdError}; the API maps each to a status. */
export type AkdErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_FILE'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'UNAVAILABLE'
  | 'INTERNAL';

/**
 * The one domain error of AKD Studio. `message` is safe to show to users: it names the value
 * that is wrong and tells the user what to do. `details` carries structured context for logs.
 */
export class AkdError extends Error {
  constructor(
    readonly code: AkdErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AkdError';
  }
}

/** Throws an INVALID_INPUT {@link AkdError} with `message` unless `condition` holds. */
export function ensure(
  condition: unknown,
  message: string,
  details?: Record<string, unknown>,
): asserts condition {
  if (!condition) throw new AkdError('INVALID_INPUT', message, details);
}
