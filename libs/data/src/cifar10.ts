/**
 * Reader for the binary version of CIFAR-10 (cifar-10-binary.tar.gz from
 * https://www.cs.toronto.edu/~kriz/cifar.html). Each batch file is a sequence of 3073-byte
 * records: one label byte, then a 32×32 red plane, a green plane and a blue plane, each row-major.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

import { AkdError } from '@akd/core';

import { readFileDecompressed } from './compression.js';
import { emptySplit, type ImageDataset, type Split } from './dataset.js';
import { readTarArchive } from './tar.js';

/** Class names of CIFAR-10, indexed by label, in the order of the dataset's batches.meta.txt. */
export const CIFAR10_CLASS_NAMES: readonly string[] = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
];

const HEIGHT = 32;
const WIDTH = 32;
const CHANNELS = 3;
const PLANE_BYTES = HEIGHT * WIDTH;
const IMAGE_BYTES = PLANE_BYTES * CHANNELS;
/** Size of one record: the label byte followed by the three colour planes. */
export const CIFAR10_RECORD_BYTES = 1 + IMAGE_BYTES;

const TRAIN_BATCH_PATTERN = /^data_batch_(\d+)\.bin$/;
const TEST_BATCH_NAME = 'test_batch.bin';
/** Folder that the official archive unpacks to. */
const ARCHIVE_FOLDER = 'cifar-10-batches-bin';

/**
 * Parses the records of one CIFAR-10 binary batch into a split with HWC pixels. `source` names
 * the batch in errors. Throws INVALID_FILE when the size is not a whole number of records or a
 * label is not in 0..9.
 */
export function parseCifar10Batch(bytes: Uint8Array, source: string): Split {
  if (bytes.length % CIFAR10_RECORD_BYTES !== 0) {
    const cifar100Hint =
      bytes.length % (CIFAR10_RECORD_BYTES + 1) === 0
        ? ' Its size fits 3074-byte CIFAR-100 records, which are not supported.'
        : '';
    throw new AkdError(
      'INVALID_FILE',
      `${source} has ${bytes.length} bytes, which is not a whole number of ${CIFAR10_RECORD_BYTES}-byte ` +
        `CIFAR-10 records (1 label byte + ${IMAGE_BYTES} pixel bytes).${cifar100Hint} Use a batch file of the ` +
        'binary version of CIFAR-10 (cifar-10-binary.tar.gz), downloaded completely.',
      { file: source, sizeBytes: bytes.length, recordBytes: CIFAR10_RECORD_BYTES },
    );
  }

  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  for (let record = 0; record < count; record++) {
    const recordStart = record * CIFAR10_RECORD_BYTES;
    const label = bytes[recordStart];
    if (label >= CIFAR10_CLASS_NAMES.length) {
      throw new AkdError(
        'INVALID_FILE',
        `${source} has label ${label} in record ${record}, outside the class range 0..9. ` +
          'Check that the file is a CIFAR-10 binary batch and not CIFAR-100 or another format.',
        { file: source, record, label },
      );
    }
    labels[record] = label;

    // Planes are channel-major (all red, all green, all blue). Interleave them into HWC.
    const planesStart = recordStart + 1;
    const imageStart = record * IMAGE_BYTES;
    for (let channel = 0; channel < CHANNELS; channel++) {
      const planeStart = planesStart + channel * PLANE_BYTES;
      for (let pixel = 0; pixel < PLANE_BYTES; pixel++) {
        images[imageStart + pixel * CHANNELS + channel] = bytes[planeStart + pixel];
      }
    }
  }
  return { images, labels, count };
}

/**
 * Loads CIFAR-10 from the binary version, given as one of:
 * - a directory with `data_batch_<n>.bin` files and `test_batch.bin`, or a directory that contains
 *   the `cifar-10-batches-bin` folder;
 * - a `.tar.gz`, `.tgz` or `.tar` archive of that folder, such as the official cifar-10-binary.tar.gz;
 * - one `.bin` batch file, which becomes the training split, and the test split is then empty.
 *
 * Training batches are concatenated in ascending batch number. Throws NOT_FOUND when the path or
 * the batch files are missing and INVALID_FILE when a batch is malformed.
 */
export async function loadCifar10(path: string): Promise<ImageDataset> {
  if (!existsSync(path)) {
    throw new AkdError('NOT_FOUND', `CIFAR-10 path ${path} does not exist.`, { path });
  }
  if (statSync(path).isDirectory()) return loadFromDirectory(path);
  if (/\.(tar\.gz|tgz|tar)$/i.test(path)) return loadFromArchive(path);

  const train = parseCifar10Batch(await readFileDecompressed(path), path);
  return makeDataset(train, emptySplit());
}

/** Returns whether `path` looks like CIFAR-10 binary data: a batch, an archive or a batch directory. */
export function looksLikeCifar10(path: string): boolean {
  if (!existsSync(path)) return false;
  if (!statSync(path).isDirectory()) return /\.(bin|tar\.gz|tgz|tar)$/i.test(path);
  const names = readdirSync(path);
  return names.includes(ARCHIVE_FOLDER) || names.some((name) => TRAIN_BATCH_PATTERN.test(name));
}

async function loadFromDirectory(dir: string): Promise<ImageDataset> {
  let names = readdirSync(dir);
  if (!names.some((name) => TRAIN_BATCH_PATTERN.test(name)) && names.includes(ARCHIVE_FOLDER)) {
    dir = join(dir, ARCHIVE_FOLDER);
    names = readdirSync(dir);
  }

  const trainNames = sortBatchNames(names.filter((name) => TRAIN_BATCH_PATTERN.test(name)));
  if (trainNames.length === 0 || !names.includes(TEST_BATCH_NAME)) {
    throw new AkdError(
      'NOT_FOUND',
      `${dir} does not contain CIFAR-10 binary batches: expected data_batch_1.bin … data_batch_5.bin and ` +
        `${TEST_BATCH_NAME}. Unpack cifar-10-binary.tar.gz there, or pass the archive itself.`,
      { dir, found: names },
    );
  }

  const trainParts: Split[] = [];
  for (const name of trainNames) {
    const file = join(dir, name);
    trainParts.push(parseCifar10Batch(await readFileDecompressed(file), file));
  }
  const testFile = join(dir, TEST_BATCH_NAME);
  const test = parseCifar10Batch(await readFileDecompressed(testFile), testFile);
  return makeDataset(concatSplits(trainParts), test);
}

async function loadFromArchive(archive: string): Promise<ImageDataset> {
  const isBatch = (path: string) => {
    const name = basename(path);
    return TRAIN_BATCH_PATTERN.test(name) || name === TEST_BATCH_NAME;
  };
  const files = await readTarArchive(archive, { select: (header) => isBatch(header.path) });

  const trainFiles = files.filter((file) => TRAIN_BATCH_PATTERN.test(basename(file.path)));
  const testFiles = files.filter((file) => basename(file.path) === TEST_BATCH_NAME);
  if (trainFiles.length === 0 || testFiles.length !== 1) {
    throw new AkdError(
      'INVALID_FILE',
      `${archive} does not contain the CIFAR-10 binary batches: found ${trainFiles.length} data_batch_<n>.bin ` +
        `and ${testFiles.length} ${TEST_BATCH_NAME} (expected at least 1 and exactly 1). ` +
        'Use the binary version, cifar-10-binary.tar.gz, not the Python or MATLAB version.',
      { file: archive, trainBatches: trainFiles.map((file) => file.path), testBatches: testFiles.length },
    );
  }

  const trainNames = trainFiles.map((file) => basename(file.path));
  if (new Set(trainNames).size !== trainNames.length) {
    throw new AkdError(
      'INVALID_FILE',
      `${archive} contains the same data_batch_<n>.bin name in more than one folder ` +
        `(${trainFiles.map((file) => file.path).join(', ')}). Use an archive with one copy of each batch.`,
      { file: archive, trainBatches: trainFiles.map((file) => file.path) },
    );
  }
  const trainParts = [...trainFiles]
    .sort((a, b) => batchNumber(basename(a.path)) - batchNumber(basename(b.path)))
    .map((file) => parseCifar10Batch(file.data, `${archive}:${file.path}`));
  const test = parseCifar10Batch(testFiles[0].data, `${archive}:${testFiles[0].path}`);
  return makeDataset(concatSplits(trainParts), test);
}

function batchNumber(name: string): number {
  return Number(TRAIN_BATCH_PATTERN.exec(name)?.[1] ?? 0);
}

function sortBatchNames(names: string[]): string[] {
  return [...names].sort((a, b) => batchNumber(a) - batchNumber(b));
}

function concatSplits(parts: Split[]): Split {
  if (parts.length === 1) return parts[0];
  const count = parts.reduce((sum, part) => sum + part.count, 0);
  const images = new Uint8Array(count * IMAGE_BYTES);
  const labels = new Uint8Array(count);
  let offset = 0;
  for (const part of parts) {
    images.set(part.images, offset * IMAGE_BYTES);
    labels.set(part.labels, offset);
    offset += part.count;
  }
  return { images, labels, count };
}

function makeDataset(train: Split, test: Split): ImageDataset {
  return {
    name: 'cifar-10',
    shape: [HEIGHT, WIDTH, CHANNELS],
    numClasses: CIFAR10_CLASS_NAMES.length,
    classNames: [...CIFAR10_CLASS_NAMES],
    train,
    test,
  };
}
