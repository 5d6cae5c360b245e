/**
 * Helpers for the tests of imported and ensemble teachers: tiny in-memory datasets, a tiny TF.js
 * model and a throw-away artifact directory. Not exported from the package entry point.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ImageDataset, Split } from '@akd/data';
import { LayerFactory } from '@akd/engine';

/** Image shape of {@link tinyDataset}. */
export const TINY_SHAPE: [number, number, number] = [8, 8, 1];

function tinySplit(count: number, numClasses: number, seed: number): Split {
  const per = TINY_SHAPE[0] * TINY_SHAPE[1] * TINY_SHAPE[2];
  const images = Uint8Array.from({ length: count * per }, (_, i) => (i * 37 + seed * 101) % 256);
  const labels = Uint8Array.from({ length: count }, (_, i) => (i + seed) % numClasses);
  return { images, labels, count };
}

/** Returns a dataset of 8×8×1 images; a different `seed` gives different pixels and fingerprint. */
export function tinyDataset(
  name: string,
  options: { train?: number; test?: number; numClasses?: number; seed?: number } = {},
): ImageDataset {
  const numClasses = options.numClasses ?? 4;
  const seed = options.seed ?? 1;
  return {
    name,
    shape: TINY_SHAPE,
    numClasses,
    classNames: Array.from({ length: numClasses }, (_, i) => `class-${i}`),
    train: tinySplit(options.train ?? 40, numClasses, seed),
    test: tinySplit(options.test ?? 20, numClasses, seed + 1),
  };
}

/** Builds a small untrained convolutional classifier, optionally ending in a softmax; `seed` fixes every weight. */
export function tinyModel(
  shape: [number, number, number],
  numClasses: number,
  seed: number,
  softmax = false,
): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape });
  const features = f.globalAveragePool(f.convBn(input, 6, 3, 2));
  const logits = tfl.layers
    .dense({
      units: numClasses,
      activation: softmax ? 'softmax' : 'linear',
      kernelInitializer: tfl.initializers.glorotUniform({ seed }),
      name: 'head',
    })
    .apply(features) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

/** Creates a temporary directory and returns it with a function that removes it. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
