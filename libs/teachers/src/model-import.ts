import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { MODEL_JSON } from '@akd/engine';

/** The dataset facts an imported model must match. */
export interface ModelExpectation {
  /** Image shape [height, width, channels]. */
  shape: readonly [number, number, number];
  classes: number;
  /** Dataset name for messages. */
  dataset: string;
}

function formatShape(shape: readonly (number | null)[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

/** Returns whether the last layer of `model` applies a softmax, so it outputs probabilities. */
function endsWithSoftmax(model: tfl.LayersModel): boolean {
  const layer = model.outputs[0].sourceLayer;
  return layer.getClassName() === 'Softmax' || layer.getConfig().activation === 'softmax';
}

/**
 * Throws INVALID_FILE unless `model` has one input of shape [batch, H, W, C] that accepts the
 * dataset's images (a dimension of unknown size accepts any), and one output of shape
 * [batch, classes]. A final softmax is rejected too, because distillation needs logits.
 * `source` names the model in messages.
 */
export function checkImportedModel(model: tfl.LayersModel, expected: ModelExpectation, source: string): void {
  if (model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new AkdError(
      'INVALID_FILE',
      `Model ${source} has ${model.inputs.length} inputs and ${model.outputs.length} outputs; a teacher needs exactly one image input and one logits output.`,
      { source },
    );
  }
  const inputShape = model.inputs[0].shape.slice(1);
  const accepts =
    inputShape.length === 3 && inputShape.every((d, axis) => d === null || d === expected.shape[axis]);
  if (!accepts) {
    throw new AkdError(
      'INVALID_FILE',
      `Model ${source} takes inputs of shape ${formatShape(inputShape)} but dataset ${expected.dataset} has images of shape ${formatShape(expected.shape)} (height, width, channels).`,
      { source, inputShape, expectedShape: expected.shape },
    );
  }
  const outputShape = model.outputs[0].shape.slice(1);
  if (outputShape.length !== 1) {
    throw new AkdError(
      'INVALID_FILE',
      `Model ${source} has output shape ${formatShape(outputShape)} per example, but a teacher outputs one vector of ${expected.classes} logits.`,
      { source, outputShape },
    );
  }
  if (outputShape[0] !== expected.classes) {
    throw new AkdError(
      'INVALID_FILE',
      `Model ${source} outputs ${outputShape[0] ?? 'an unknown number of'} values per example but dataset ${expected.dataset} has ${expected.classes} classes.`,
      { source, outputs: outputShape[0], classes: expected.classes },
    );
  }
  if (endsWithSoftmax(model)) {
    throw new AkdError(
      'INVALID_FILE',
      `Model ${source} ends with a softmax, so it outputs probabilities, but distillation needs logits. Export it without the final softmax (a linear last layer).`,
      { source },
    );
  }
}

/**
 * Returns the files of the TF.js model directory `dir` relative to it: `model.json` and every
 * weight shard its `weightsManifest` names. Throws INVALID_FILE for a shard path that leaves `dir`.
 */
export async function listModelFiles(dir: string): Promise<string[]> {
  const root = resolve(dir);
  const json = JSON.parse(await readFile(join(root, MODEL_JSON), 'utf8')) as {
    weightsManifest?: { paths: string[] }[];
  };
  const files = [MODEL_JSON];
  for (const group of json.weightsManifest ?? []) {
    for (const shard of group.paths) {
      const path = resolve(root, shard);
      if (!path.startsWith(root + sep)) {
        throw new AkdError(
          'INVALID_FILE',
          `Weight shard path "${shard}" in ${dir} leaves the model directory.`,
          {
            shard,
          },
        );
      }
      const name = relative(root, path);
      if (!files.includes(name)) files.push(name);
    }
  }
  return files;
}

/** Copies the files of the TF.js model in `sourceDir` to `targetDir`, keeping their relative paths. */
export async function copyModelFiles(sourceDir: string, targetDir: string): Promise<string[]> {
  const files = await listModelFiles(sourceDir);
  for (const file of files) {
    const target = join(targetDir, file);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(join(sourceDir, file), target);
  }
  return files;
}
