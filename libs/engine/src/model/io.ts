import { mkdir, readFile, rename, rm, writeFile, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';

/** File names of a model saved by {@link saveModel}. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves `model` in the TF.js layers format (`model.json` + one `weights.bin` shard) into `dir`.
 * The files are written to a sibling temporary directory that is renamed into place, so a crash
 * never leaves a half-written model. An existing `dir` is replaced.
 */
export async function saveModel(model: tfl.LayersModel, dir: string): Promise<void> {
  const target = resolve(dir);
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        const weightData = artifacts.weightData
          ? Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData))
          : Buffer.alloc(0);
        const json = {
          modelTopology: artifacts.modelTopology,
          format: artifacts.format ?? 'layers-model',
          generatedBy: artifacts.generatedBy,
          convertedBy: artifacts.convertedBy ?? null,
          weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        };
        await writeFile(join(staging, WEIGHTS_BIN), weightData);
        await writeFile(join(staging, MODEL_JSON), JSON.stringify(json));
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
      }),
    );
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
}

interface ModelJson {
  modelTopology?: unknown;
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

/**
 * Loads a TF.js layers model from `dir` (`model.json` plus the weight shards it names). Rejects a
 * missing or unreadable `model.json`, a shard that is missing or leaves `dir`, and weights whose
 * total size differs from the manifest.
 */
export async function loadModel(dir: string): Promise<tfl.LayersModel> {
  const root = resolve(dir);
  const jsonPath = join(root, MODEL_JSON);
  let json: ModelJson;
  try {
    json = JSON.parse(await readFile(jsonPath, 'utf8')) as ModelJson;
  } catch (error) {
    throw new AkdError(
      'INVALID_FILE',
      `Cannot read ${jsonPath}: ${(error as Error).message}. A TF.js model directory needs model.json and its weight shards.`,
      { path: jsonPath },
      { cause: error },
    );
  }
  if (!json.modelTopology) {
    throw new AkdError(
      'INVALID_FILE',
      `${jsonPath} has no modelTopology: only TF.js layers models (format "layers-model") are supported.`,
      { path: jsonPath, format: json.format },
    );
  }
  const manifest = json.weightsManifest ?? [];
  const buffers: Buffer[] = [];
  for (const group of manifest) {
    for (const shard of group.paths) {
      const shardPath = resolve(root, shard);
      if (!shardPath.startsWith(root + sep)) {
        throw new AkdError(
          'INVALID_FILE',
          `Weight shard path "${shard}" in ${jsonPath} leaves the model directory.`,
          {
            shard,
          },
        );
      }
      const info = await stat(shardPath).catch(() => null);
      if (!info?.isFile()) {
        throw new AkdError(
          'INVALID_FILE',
          `Weight shard "${shard}" named by ${jsonPath} is missing. Copy every shard listed in weightsManifest next to model.json.`,
          { shard, path: shardPath },
        );
      }
      buffers.push(await readFile(shardPath));
    }
  }
  const weightSpecs = manifest.flatMap((group) => group.weights);
  const weightData = Buffer.concat(buffers);
  const expected = weightSpecs.reduce(
    (sum, spec) => sum + spec.shape.reduce((a, b) => a * b, 1) * bytesPerElement(spec.dtype),
    0,
  );
  if (expected !== weightData.byteLength) {
    throw new AkdError(
      'INVALID_FILE',
      `Weight shards of ${jsonPath} hold ${weightData.byteLength} bytes but the manifest describes ${expected}.`,
      { expected, actual: weightData.byteLength },
    );
  }
  const arrayBuffer = weightData.buffer.slice(
    weightData.byteOffset,
    weightData.byteOffset + weightData.byteLength,
  );
  return tfl.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs,
      weightData: arrayBuffer,
      format: json.format,
      generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined,
    }),
  );
}

function bytesPerElement(dtype: string): number {
  switch (dtype) {
    case 'float32':
    case 'int32':
      return 4;
    case 'bool':
    case 'uint8':
      return 1;
    case 'float16':
    case 'uint16':
      return 2;
    default:
      return 4;
  }
}
