import { open, readFile, stat, unlink } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

import { AkdError } from '@akd/core';

const POLL_MS = 100;
/** A lock file still empty after this long belongs to a process that died between create and write. */
const EMPTY_LOCK_STALE_MS = 10_000;

/** Returns true when a process with this id exists, including one owned by another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Runs `fn` while holding an exclusive lock file at `path` (created with O_EXCL and holding
 * the owner's pid), so processes sharing a data directory take turns. A lock file whose owner
 * no longer runs is removed. Throws UNAVAILABLE after `timeoutMs` of waiting.
 */
export async function withProcessLock<T>(path: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(String(process.pid));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }

    const owner = await lockOwner(path);
    if (owner === 'released') continue;
    if (owner === 'stale') {
      // NOTE: two waiters that find the same stale file at the same moment can both remove it, and
      // the second removal may hit the first waiter's new lock. This needs a crash plus a race.
      await unlink(path).catch(() => undefined);
      continue;
    }
    if (Date.now() > deadline) {
      throw new AkdError(
        'UNAVAILABLE',
        `Timed out after ${timeoutMs} ms waiting for ${path}, held by process ${owner ?? '(unknown)'}. ` +
          `If that process is stuck, stop it; if it no longer runs, delete the file.`,
        { path },
      );
    }
    await sleep(POLL_MS);
  }

  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

/**
 * Returns the pid holding the lock, 'released' when the file is gone, 'stale' when its owner no
 * longer runs, or null while the owner has not written its pid yet.
 */
async function lockOwner(path: string): Promise<number | 'released' | 'stale' | null> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'released';
    throw error;
  }
  const pid = Number.parseInt(content, 10);
  if (Number.isInteger(pid) && pid > 0) return isProcessAlive(pid) ? pid : 'stale';

  const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
  return age > EMPTY_LOCK_STALE_MS ? 'stale' : null;
}
