import { AkdError } from '@akd/core';
import type { StagingDir } from './staging.js';

/**
 * Runs a file reader on staged files and reports its failure as the client's fault, with server
 * paths removed from the message. A malformed or unreadable file is INVALID_FILE (422). A missing
 * file is INVALID_INPUT (400) rather than the reader's NOT_FOUND, which would read as 404.
 */
export async function readStaged<T>(staging: StagingDir, read: () => Promise<T> | T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AkdError) {
      const code =
        error.code === 'NOT_FOUND' || error.code === 'INVALID_INPUT' ? 'INVALID_INPUT' : 'INVALID_FILE';
      throw new AkdError(code, staging.clean(error.message), {}, { cause: error });
    }
    throw new AkdError(
      'INVALID_FILE',
      `The uploaded file could not be read: ${staging.clean((error as Error).message)}.`,
      {},
      { cause: error },
    );
  }
}

/** Returns whether `error` is Prisma's unique-constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}
