import { readFile, stat } from 'node:fs/promises';
import { basename, join, relative, sep } from 'node:path';
import { AkdError } from '@akd/core';
import { isInside } from './paths.js';
import type { ZipEntry } from './zip.js';

/**
 * Returns `model.json` and every weight shard it lists (TensorFlow.js layers format) in `dir`, as
 * zip entries named like the files. Throws NOT_FOUND when a file is missing and INTERNAL when
 * model.json is unreadable or lists a shard outside `dir`.
 */
export async function modelFileEntries(dir: string, label: string): Promise<ZipEntry[]> {
  const modelJson = join(dir, 'model.json');
  let manifest: { weightsManifest?: { paths?: unknown[] }[] };
  try {
    manifest = JSON.parse(await readFile(modelJson, 'utf8')) as typeof manifest;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AkdError('NOT_FOUND', `The model file of ${label} is missing on the server.`);
    }
    throw new AkdError('INTERNAL', `model.json of ${label} is unreadable.`, { dir }, { cause: error });
  }
  const entries: ZipEntry[] = [{ name: 'model.json', path: modelJson }];
  for (const group of manifest.weightsManifest ?? []) {
    for (const shard of group.paths ?? []) {
      const path = join(dir, String(shard));
      if (!isInside(dir, path) || path === dir) {
        throw new AkdError(
          'INTERNAL',
          `model.json of ${label} lists the shard ${String(shard)} outside its folder.`,
          { dir },
        );
      }
      if (!(await stat(path).catch(() => null))?.isFile()) {
        throw new AkdError(
          'NOT_FOUND',
          `The weight shard ${basename(path)} of ${label} is missing on the server.`,
        );
      }
      entries.push({ name: relative(dir, path).split(sep).join('/'), path });
    }
  }
  return entries;
}
