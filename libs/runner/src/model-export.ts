/**
 * Files of a trained student and their export: a TF.js layers model directory (`model.json` and
 * its weight shards) with `genome.json` and `metadata.json`, as the final-model job writes it.
 */
import { cp, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { AkdError } from '@akd/core';
import { toEnumKey, type PrismaClient } from '@akd/db';
import { MODEL_JSON } from '@akd/engine';
import type { Genome, SearchSpace } from '@akd/search-space';
import type { FinalTrainingMethod, FinalTrainingSettings } from './final-settings.js';

/** Architecture file of a trained model. */
export const GENOME_JSON = 'genome.json';

/** Description file of a trained model. */
export const METADATA_JSON = 'metadata.json';

/** Measurement behind `latencyMs`: `measureLatencyMs` with its default runs. */
export const LATENCY_MEASUREMENT =
  'fastest wall-clock time of 21 batch-1 forward passes in inference mode after 5 warm-up passes';

/**
 * Input of a trained student as training fed it: `@akd/data`'s BatchIterator and gatherImages
 * divide each pixel byte by 255 and apply no mean or standard-deviation normalization.
 */
export interface ModelInputDescription {
  /** Shape of one image, [height, width, channels]. The model takes batches [batch, height, width, channels]. */
  shape: [number, number, number];
  layout: 'NHWC';
  dtype: 'float32';
  /** Mapping of a pixel byte (0 to 255) to an input value. */
  scaling: 'byte / 255';
  /** Smallest and largest input value. */
  range: [0, 1];
  description: string;
}

/** Output of a trained student: the last dense layer, which has no activation. */
export interface ModelOutputDescription {
  kind: 'logits';
  /** Shape of the logits of one image, [classes]. The model returns [batch, classes]. */
  shape: [number];
  /** Class of each logit, by index. */
  classNames: string[];
  description: string;
}

/** Describes the input and output tensors of a student trained on images of `shape` with these classes. */
export function describeModelTensors(
  shape: readonly [number, number, number],
  classNames: readonly string[],
): { input: ModelInputDescription; output: ModelOutputDescription } {
  const [height, width, channels] = shape;
  const classes = classNames.length;
  return {
    input: {
      shape: [height, width, channels],
      layout: 'NHWC',
      dtype: 'float32',
      scaling: 'byte / 255',
      range: [0, 1],
      description:
        `float32 tensor [batch, ${height}, ${width}, ${channels}] (NHWC): each pixel byte divided by 255, ` +
        'so values lie in [0, 1], with no mean or standard-deviation normalization.',
    },
    output: {
      kind: 'logits',
      shape: [classes],
      classNames: [...classNames],
      description:
        `float32 tensor [batch, ${classes}] of logits, without softmax; entry i scores classNames[i]. ` +
        'Apply softmax for probabilities.',
    },
  };
}

/** Contents of `genome.json`: the student's search space, genome and genome hash. */
export interface TrainedModelGenome {
  space: SearchSpace;
  genome: Genome;
  genomeHash: string;
}

/** Contents of `metadata.json`, written by the final-model job next to the model. */
export interface TrainedModelMetadata {
  /** TrainedModel id. */
  id: string;
  createdAt: string;
  method: FinalTrainingMethod;
  epochs: number;
  dataset: { id: string; name: string; fingerprint: string; trainCount: number; testCount: number };
  teacher: { id: string; name: string; source: string; testAccuracy: number | null } | null;
  experiment: { id: string; name: string; searchBy: string };
  candidate: { id: string; genomeHash: string; proxyAccuracy: number | null };
  /** The resolved recipe, as recorded in `TrainedModel.settings`. */
  distillation: FinalTrainingSettings;
  /** Top-1 and top-5 accuracy on the test split, fractions in [0, 1]. */
  testTop1: number;
  testTop5: number;
  latencyMs: number;
  /** TF.js backend that trained the model and measured `latencyMs`. */
  backend: string;
  latencyMeasurement: string;
  params: number;
  /** Multiply-adds of one forward pass of one image. */
  flops: number;
  trainMs: number;
  /** Mean training loss of each student epoch. */
  epochLosses: number[];
  /** CC-KD: width of the teacher's penultimate features. */
  teacherFeatureSize?: number;
  /** TA-KD: the trained assistant's test accuracy and training. */
  assistant?: { testTop1: number; testTop5: number; trainMs: number; epochLosses: number[] };
  /** RCO: teacher epoch of the checkpoint that each student epoch distilled from. */
  anchorEpochByEpoch?: number[];
  /**
   * The images the model takes, scaled as in training. The final-model job always writes it, and
   * the export adds it to older files unless their dataset was deleted.
   */
  input?: ModelInputDescription;
  /** The logits that the model returns and their classes, present whenever `input` is. */
  output?: ModelOutputDescription;
}

/** Result of {@link exportTrainedModel}. */
export interface ExportedModel {
  trainedModelId: string;
  /** Absolute path of the export directory. */
  dir: string;
  /** File names written, relative to `dir`. */
  files: string[];
  metadata: TrainedModelMetadata;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Copies the completed TrainedModel `trainedModelId` into `outDir`: `model.json`, every weight
 * shard it lists, `genome.json` and `metadata.json`, the files the final-model job wrote and the
 * REST download sends. A `metadata.json` without `input` and `output` gets them from the dataset
 * (see {@link describeModelTensors}). The copy is made in a sibling directory that is renamed into
 * place, so an interrupted export leaves no partial `outDir`.
 *
 * @throws AkdError INVALID_INPUT for an id that is not a UUID, NOT_FOUND for an unknown model or
 *   one that is not completed, CONFLICT when `outDir` exists and is not an empty directory, and
 *   INVALID_FILE when the model directory is incomplete.
 */
export async function exportTrainedModel(
  prisma: PrismaClient,
  trainedModelId: string,
  outDir: string,
): Promise<ExportedModel> {
  const row = await findCompletedModel(prisma, trainedModelId);
  const source = row.artifactDir as string;
  const files = [MODEL_JSON, ...(await weightShards(source)), GENOME_JSON, METADATA_JSON];
  for (const file of files) {
    if (!(await stat(join(source, file)).catch(() => null))?.isFile()) {
      throw new AkdError(
        'INVALID_FILE',
        `The files of trained model ${row.id} in ${source} are incomplete: ${file} is missing. Train the model again.`,
        { trainedModelId: row.id, dir: source, file },
      );
    }
  }
  const written = JSON.parse(await readFile(join(source, METADATA_JSON), 'utf8')) as TrainedModelMetadata;
  const metadata = await withTensorDescriptions(prisma, written);

  const target = resolve(outDir);
  await checkEmptyOrMissing(target);
  const staging = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    for (const file of files) {
      await mkdir(dirname(join(staging, file)), { recursive: true });
      if (file === METADATA_JSON && metadata !== written) {
        await writeFile(join(staging, file), JSON.stringify(metadata, null, 2) + '\n');
      } else {
        await cp(join(source, file), join(staging, file));
      }
    }
    await rm(target, { recursive: true, force: true });
    await mkdir(dirname(target), { recursive: true });
    await rename(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return { trainedModelId: row.id, dir: target, files, metadata };
}

/**
 * Returns `metadata` itself when it has `input` and `output`, else a copy with both built from
 * its dataset's row. Older versions wrote metadata.json without them but scaled pixels alike. When
 * the metadata names no dataset, or that dataset no longer exists, returns `metadata` unchanged.
 * `akd export` and the API's model download both pass the stored file through this.
 */
export async function withTensorDescriptions(
  prisma: PrismaClient,
  metadata: TrainedModelMetadata,
): Promise<TrainedModelMetadata> {
  if (metadata.input && metadata.output) return metadata;
  const datasetId = (metadata.dataset as TrainedModelMetadata['dataset'] | undefined)?.id;
  if (typeof datasetId !== 'string') return metadata;
  const dataset = await prisma.dataset.findUnique({ where: { id: datasetId } });
  if (!dataset) return metadata;
  const shape = [dataset.inputHeight, dataset.inputWidth, dataset.inputChannels] as const;
  return { ...metadata, ...describeModelTensors(shape, dataset.classNames as string[]) };
}

/**
 * Returns the id of the completed TrainedModel of experiment `experimentId` with the best test
 * top-1 accuracy (the newest on ties), optionally of one method, or null when there is none.
 */
export async function bestTrainedModelId(
  prisma: PrismaClient,
  experimentId: string,
  method?: FinalTrainingMethod,
): Promise<string | null> {
  checkUuid(experimentId, 'experiment');
  const best = await prisma.trainedModel.findFirst({
    where: {
      experimentId,
      status: 'completed',
      artifactDir: { not: null },
      ...(method && { method: toEnumKey(method) }),
    },
    orderBy: [{ testTop1: { sort: 'desc', nulls: 'last' } }, { createdAt: 'desc' }],
    select: { id: true },
  });
  return best?.id ?? null;
}

async function findCompletedModel(prisma: PrismaClient, trainedModelId: string) {
  checkUuid(trainedModelId, 'trained model');
  const row = await prisma.trainedModel.findUnique({ where: { id: trainedModelId } });
  if (!row) {
    throw new AkdError('NOT_FOUND', `Trained model ${trainedModelId} does not exist.`, { trainedModelId });
  }
  if (row.status !== 'completed' || row.artifactDir === null) {
    throw new AkdError(
      'NOT_FOUND',
      `Trained model ${trainedModelId} has no files to export yet (status ${row.status}): wait until its training completes.`,
      { trainedModelId, status: row.status },
    );
  }
  return row;
}

function checkUuid(id: string, what: string): void {
  if (!UUID.test(id)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid ${what} id "${id}": use the UUID the API or the CLI printed.`,
      {
        id,
      },
    );
  }
}

/** Lists the weight shards that `dir/model.json` names, each checked to stay inside `dir`. */
async function weightShards(dir: string): Promise<string[]> {
  const path = join(dir, MODEL_JSON);
  let manifest: { weightsManifest?: { paths?: unknown[] }[] };
  try {
    manifest = JSON.parse(await readFile(path, 'utf8')) as typeof manifest;
  } catch (error) {
    throw new AkdError(
      'INVALID_FILE',
      `Cannot read ${path}: ${(error as Error).message}. Train the model again.`,
      { path },
      { cause: error },
    );
  }
  const root = resolve(dir);
  const shards: string[] = [];
  for (const group of manifest.weightsManifest ?? []) {
    for (const shard of group.paths ?? []) {
      const shardPath = resolve(root, String(shard));
      if (!shardPath.startsWith(root + sep)) {
        throw new AkdError(
          'INVALID_FILE',
          `${path} names the weight shard ${String(shard)} outside its folder.`,
          {
            path,
            shard,
          },
        );
      }
      shards.push(relative(root, shardPath).split(sep).join('/'));
    }
  }
  return shards;
}

async function checkEmptyOrMissing(dir: string): Promise<void> {
  const info = await stat(dir).catch(() => null);
  if (!info) return;
  if (!info.isDirectory() || (await readdir(dir)).length > 0) {
    throw new AkdError(
      'CONFLICT',
      `The output ${dir} exists and is not an empty directory: give a new or empty directory.`,
      { dir },
    );
  }
}
