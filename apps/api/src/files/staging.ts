import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A folder for one upload under `<data dir>/uploads`, on the same file system as the final
 * location so that `commit` is an atomic rename. Nothing outside it is written before `commit`.
 */
export class StagingDir {
  private constructor(readonly path: string) {}

  static async create(dataDir: string): Promise<StagingDir> {
    const path = join(dataDir, 'uploads', `staging-${randomUUID()}`);
    await mkdir(path, { recursive: true });
    return new StagingDir(path);
  }

  /** Moves the folder to `target` (whose parent is created) and returns `target`. */
  async commit(target: string): Promise<string> {
    await mkdir(join(target, '..'), { recursive: true });
    await rename(this.path, target);
    return target;
  }

  /** Removes the folder and everything in it; safe after `commit`. */
  async discard(): Promise<void> {
    await rm(this.path, { recursive: true, force: true });
  }

  /** Replaces the staging path in a loader message with the file names alone, so no server path reaches the client. */
  clean(message: string): string {
    return message
      .split(this.path + '/')
      .join('')
      .split(this.path)
      .join('the upload');
  }
}
