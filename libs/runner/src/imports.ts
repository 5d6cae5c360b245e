import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import { AkdError, Logger } from '@akd/core';
import type { ImageDataset } from '@akd/data';
import type { Dataset, PrismaClient, Teacher } from '@akd/db';
import { accuracyFromLogits, loadModel } from '@akd/engine';
import {
  checkImportedModel,
  checkLogitsMatrix,
  copyModelFiles,
  countModelFlops,
  encodeNpy,
  evaluateTestSplit,
  indexFingerprint,
  readLogitsInput,
  type LogitsMatrix,
} from '@akd/teachers';
import { fullSplitIndices, type LogitsSplit } from './teacher-logits.js';
import {
  checkDatasetMatchesRow,
  checkTeacherNameFree,
  discardTeacher,
  fileChecksums,
  publishDirectory,
  reserveTeacher,
  teacherArtifactDir,
  validateTeacherName,
} from './teacher-records.js';

const log = new Logger('teachers');

/** Family recorded for an imported teacher unless the caller names one. */
const IMPORTED_FAMILY = 'imported';

/** Options of {@link importTeacherModel}. */
export interface ImportModelOptions {
  /** Name of the new teacher, unique within the dataset. */
  name: string;
  /** Directory of a TF.js layers model: `model.json` and the weight shards its manifest names. */
  modelDir: string;
  /** Architecture family to record, e.g. resnet. Defaults to `imported`. */
  family?: string;
}

/** Loads a TF.js layers model, turning a TF.js deserialization error into INVALID_FILE. */
async function loadImportedModel(modelDir: string): Promise<tfl.LayersModel> {
  try {
    return await loadModel(modelDir);
  } catch (error) {
    if (error instanceof AkdError) throw error;
    throw new AkdError(
      'INVALID_FILE',
      `Cannot load the TF.js layers model in ${modelDir}: ${(error as Error).message}`,
      { path: modelDir },
      { cause: error },
    );
  }
}

/**
 * Records a trained TF.js layers model as a teacher of `datasetRow` with source imported-model.
 * The model must load (every shard present), take the dataset's image shape (pixels scaled to
 * [0, 1], as every model here) and output one logit per class without a final softmax. Its files
 * are copied into the teacher's artifact directory in one rename, and its test accuracy is
 * evaluated. On any error no row and no copied file remain.
 */
export async function importTeacherModel(
  prisma: PrismaClient,
  datasetRow: Dataset,
  dataset: ImageDataset,
  options: ImportModelOptions,
): Promise<Teacher> {
  validateTeacherName(options.name);
  checkDatasetMatchesRow(datasetRow, dataset);
  await checkTeacherNameFree(prisma, datasetRow, options.name);

  const model = await loadImportedModel(options.modelDir);
  try {
    checkImportedModel(
      model,
      { shape: dataset.shape, classes: dataset.numClasses, dataset: dataset.name },
      options.modelDir,
    );
    const test = dataset.test.count > 0 ? evaluateTestSplit(model, dataset) : null;

    const row = await reserveTeacher(prisma, datasetRow, {
      name: options.name,
      source: 'imported_model',
      family: options.family ?? IMPORTED_FAMILY,
      config: {
        description: `TF.js layers model imported from ${resolve(options.modelDir)}.`,
        importedFrom: resolve(options.modelDir),
        modelName: model.name,
      },
      trainingSettings: {},
    });
    const target = teacherArtifactDir(datasetRow, options.name);
    try {
      let files: string[] = [];
      await publishDirectory(target, async (staging) => {
        files = await copyModelFiles(options.modelDir, staging);
        // Loading the copy catches a shard that changed or vanished after the first load.
        (await loadImportedModel(staging)).dispose();
      });
      const ready = await prisma.teacher.update({
        where: { id: row.id },
        data: {
          status: 'ready',
          testAccuracy: test?.top1 ?? null,
          testTop5: test?.top5 ?? null,
          params: BigInt(model.countParams()),
          flops: BigInt(countModelFlops(model)),
          artifactDir: target,
          checksums: await fileChecksums(target, files),
        },
      });
      log.info('imported teacher model', {
        teacherId: ready.id,
        name: ready.name,
        testTop1: ready.testAccuracy,
      });
      return ready;
    } catch (error) {
      await discardTeacher(prisma, row.id, [target]);
      throw error;
    }
  } finally {
    model.dispose();
  }
}

/** Options of {@link importTeacherLogits}. */
export interface ImportLogitsOptions {
  /** Name of the new teacher, unique within the dataset. */
  name: string;
  /**
   * Logits of the whole train split, one row per example in dataset order and one column per
   * class: `.npy`, `.csv`/`.tsv`/`.txt` or `.json`. A JSON object `{ "train": …, "test": … }`
   * also gives the test logits.
   */
  trainPath: string;
  /** Logits of the whole test split in the same formats, or a JSON object with only a `test` key. */
  testPath?: string;
  /** Architecture family to record, e.g. resnet. Defaults to `imported`. */
  family?: string;
}

/** Reads the train and, if given, test matrices named by the options, rejecting ambiguous files. */
async function readImportedMatrices(
  options: ImportLogitsOptions,
): Promise<{ train: LogitsMatrix; test: LogitsMatrix | null; testSource: string | null }> {
  const trainFile = await readLogitsInput(options.trainPath);
  let train: LogitsMatrix;
  let test: LogitsMatrix | null = null;
  let testSource: string | null = null;
  if (trainFile.kind === 'matrix') {
    train = trainFile.matrix;
  } else {
    if (!trainFile.train) {
      throw new AkdError(
        'INVALID_FILE',
        `${options.trainPath} has no "train" key; the train logits file needs the train split.`,
        { path: options.trainPath },
      );
    }
    train = trainFile.train;
    if (trainFile.test) {
      test = trainFile.test;
      testSource = options.trainPath;
    }
  }

  if (options.testPath !== undefined) {
    if (test) {
      throw new AkdError(
        'INVALID_INPUT',
        `Test logits are given twice: in the "test" key of ${options.trainPath} and in ${options.testPath}. Give them once.`,
        { trainPath: options.trainPath, testPath: options.testPath },
      );
    }
    const testFile = await readLogitsInput(options.testPath);
    if (testFile.kind === 'matrix') {
      test = testFile.matrix;
    } else if (testFile.test && !testFile.train) {
      test = testFile.test;
    } else {
      throw new AkdError(
        'INVALID_FILE',
        `${options.testPath} must hold the test logits as an array of rows or as { "test": [[…]] }.`,
        { path: options.testPath },
      );
    }
    testSource = options.testPath;
  }
  return { train, test, testSource };
}

/**
 * Records precomputed logits as a teacher of `datasetRow` with source imported-logits. The train
 * logits (and the optional test logits) must have one row per example of the whole split, in
 * dataset order, one column per class, and only finite values. They are stored as float32 `.npy`
 * files in the teacher's artifact directory, each with a `TeacherLogits` row keyed by the
 * fingerprint of the full split's indices, so a subset reads its rows from it. The test accuracy
 * comes from the test logits when given. On any error no row and no stored file remain.
 */
export async function importTeacherLogits(
  prisma: PrismaClient,
  datasetRow: Dataset,
  dataset: ImageDataset,
  options: ImportLogitsOptions,
): Promise<Teacher> {
  validateTeacherName(options.name);
  checkDatasetMatchesRow(datasetRow, dataset);
  await checkTeacherNameFree(prisma, datasetRow, options.name);

  const { train, test, testSource } = await readImportedMatrices(options);
  const expected = { classes: dataset.numClasses, dataset: dataset.name };
  checkLogitsMatrix(train, { ...expected, split: 'train', rows: dataset.train.count }, options.trainPath);
  if (test && testSource) {
    checkLogitsMatrix(test, { ...expected, split: 'test', rows: dataset.test.count }, testSource);
  }
  const accuracy = test && test.rows > 0 ? accuracyFromLogits(test.data, dataset.test.labels) : null;

  const splits: { split: LogitsSplit; matrix: LogitsMatrix }[] = [{ split: 'train', matrix: train }];
  if (test) splits.push({ split: 'test', matrix: test });
  const row = await reserveTeacher(prisma, datasetRow, {
    name: options.name,
    source: 'imported_logits',
    family: options.family ?? IMPORTED_FAMILY,
    config: {
      description: `Logits imported from ${[options.trainPath, options.testPath].filter(Boolean).join(' and ')}.`,
      files: { train: resolve(options.trainPath), test: testSource ? resolve(testSource) : null },
    },
    trainingSettings: {},
  });
  const target = teacherArtifactDir(datasetRow, options.name);
  try {
    const files = splits.map(({ split }) => `${split}.npy`);
    await publishDirectory(target, async (staging) => {
      for (const { split, matrix } of splits) {
        await writeFile(join(staging, `${split}.npy`), encodeNpy(matrix.data, matrix.rows, matrix.cols));
      }
    });
    const ready = await prisma.teacher.update({
      where: { id: row.id },
      data: {
        status: 'ready',
        testAccuracy: accuracy?.top1 ?? null,
        testTop5: accuracy?.top5 ?? null,
        artifactDir: target,
        checksums: await fileChecksums(target, files),
        logits: {
          create: splits.map(({ split, matrix }) => ({
            split,
            indexFingerprint: indexFingerprint(fullSplitIndices(matrix.rows)),
            path: join(target, `${split}.npy`),
            count: matrix.rows,
            classes: matrix.cols,
          })),
        },
      },
    });
    log.info('imported teacher logits', {
      teacherId: ready.id,
      name: ready.name,
      splits: splits.map(({ split }) => split).join(','),
      testTop1: ready.testAccuracy,
    });
    return ready;
  } catch (error) {
    await discardTeacher(prisma, row.id, [target]);
    throw error;
  }
}
