import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { gatherImages, type Split } from '@akd/data';
import { predictLogits } from '@akd/engine';
import { decodeNpy, encodeNpy } from './npy.js';

/** Returns the sha256 hex of an index list, which names a cached logits file. */
export function indexFingerprint(indices: Int32Array): string {
  return createHash('sha256')
    .update(Buffer.from(indices.buffer, indices.byteOffset, indices.byteLength))
    .digest('hex');
}

/**
 * Computes the logits of `model` in inference mode for `indices` of `split`, row `i` for
 * `indices[i]`, in chunks so that memory stays bounded.
 */
export function computeLogits(
  model: tfl.LayersModel,
  split: Split,
  indices: Int32Array,
  shape: readonly [number, number, number],
  chunkSize = 1024,
): { data: Float32Array; classes: number } {
  let out: Float32Array | null = null;
  let classes = 0;
  for (let start = 0; start < indices.length; start += chunkSize) {
    const chunk = indices.subarray(start, Math.min(indices.length, start + chunkSize));
    const logits = predictLogits(model, gatherImages(split, chunk), shape);
    if (!out) {
      classes = logits.length / chunk.length;
      out = new Float32Array(indices.length * classes);
    }
    out.set(logits, start * classes);
  }
  return { data: out ?? new Float32Array(0), classes };
}

/** Writes a logits matrix as `.npy` atomically: a crash leaves either no file or the whole file. */
export async function writeLogitsFile(
  path: string,
  data: Float32Array,
  rows: number,
  classes: number,
): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  // Unique per call: two calls in one process may write the same cache file at once.
  const staging = `${path}.tmp-${process.pid}-${randomUUID()}`;
  try {
    await writeFile(staging, encodeNpy(data, rows, classes));
    await rename(staging, path);
  } catch (error) {
    await rm(staging, { force: true });
    throw error;
  }
}

/** Reads a logits `.npy` file and checks it has `rows` rows and `classes` columns. */
export async function readLogitsFile(path: string, rows: number, classes: number): Promise<Float32Array> {
  const matrix = decodeNpy(await readFile(path), path);
  if (matrix.rows !== rows || matrix.cols !== classes) {
    throw new AkdError(
      'INVALID_FILE',
      `Logits file ${path} has shape [${matrix.rows}, ${matrix.cols}] but [${rows}, ${classes}] is expected.`,
      { path, rows: matrix.rows, cols: matrix.cols, expectedRows: rows, expectedCols: classes },
    );
  }
  return matrix.data;
}
