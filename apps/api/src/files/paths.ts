import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { AkdError } from '@akd/core';

/** Returns whether `path` is `root` itself or lies below it, comparing resolved paths. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves symbolic links in `path` and returns the real path when it lies inside `root` (also
 * resolved). Throws NOT_FOUND when the path does not exist and FORBIDDEN when it leaves `root`.
 */
export async function resolveInside(root: string, path: string, label: string): Promise<string> {
  let real: string;
  let realRoot: string;
  try {
    [realRoot, real] = await Promise.all([realpath(root), realpath(path)]);
  } catch (error) {
    throw new AkdError('NOT_FOUND', `The files of ${label} are missing on the server.`, {}, { cause: error });
  }
  if (!isInside(realRoot, real)) {
    throw new AkdError(
      'FORBIDDEN',
      `The files of ${label} lie outside the artifact directory, so they are not served.`,
    );
  }
  return real;
}
