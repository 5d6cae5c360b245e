import { existsSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { AkdError, Logger } from '@akd/core';

import { loadCifar10, looksLikeCifar10 } from './cifar10.js';
import type { ImageDataset } from './dataset.js';
import { findIdxFiles, loadFashionMnist, loadIdxDataset } from './idx-dataset.js';

/** Directory where Debian's `dataset-fashion-mnist` package installs the full Fashion-MNIST. */
export const FULL_FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Directory of the committed Fashion-MNIST subset (6,000 training and 1,000 test images). */
export const FASHION_MNIST_SUBSET_DIR = fileURLToPath(
  new URL('../../../data/fashion-mnist-subset', import.meta.url),
);

/** Environment variable that selects the dataset: `fashion-mnist`, `fashion-mnist-subset` or a path. */
export const DATASET_ENV_VAR = 'AKD_DATASET';

const logger = new Logger('data');

/** Dataset chosen by {@link locateDefaultDataset}, not yet loaded. */
export interface DatasetLocation {
  /** Loader to use: the Fashion-MNIST IDX files, another IDX directory, or CIFAR-10 binary data. */
  format: 'fashion-mnist' | 'idx' | 'cifar-10';
  /** Name the loaded dataset gets. */
  name: string;
  /** Directory or file to load. */
  path: string;
  /** Reason for the choice, for logs and CLI output. */
  reason: string;
}

/** Options of {@link locateDefaultDataset}. Each defaults to the real environment or location. */
export interface DefaultDatasetOptions {
  /** Environment to read `AKD_DATASET` from. */
  env?: Record<string, string | undefined>;
  /** Directory of the full Fashion-MNIST. */
  fullDatasetDir?: string;
  /** Directory of the committed subset. */
  subsetDir?: string;
  /**
   * Setting that names the dataset, as error messages show it (`AKD_DATASET` by default). A command
   * with its own option passes the option, such as `--dataset`, and the dataset in `env.AKD_DATASET`.
   */
  setting?: string;
}

/**
 * Chooses the dataset to use without reading it. `AKD_DATASET` may be `fashion-mnist` (the full
 * set, which must be installed), `fashion-mnist-subset`, or a path to an IDX directory or to
 * CIFAR-10 binary data. Unset, it selects the full Fashion-MNIST when all four files are
 * installed, and the committed subset otherwise. Throws NOT_FOUND when the forced full set or path
 * is missing.
 */
export function locateDefaultDataset(options: DefaultDatasetOptions = {}): DatasetLocation {
  const env = options.env ?? process.env;
  const fullDir = options.fullDatasetDir ?? FULL_FASHION_MNIST_DIR;
  const subsetDir = options.subsetDir ?? FASHION_MNIST_SUBSET_DIR;
  const setting = options.setting ?? DATASET_ENV_VAR;
  const requested = env[DATASET_ENV_VAR]?.trim() ?? '';
  const fullInstalled = findIdxFiles(fullDir) !== undefined;

  if (requested === 'fashion-mnist') {
    if (!fullInstalled) {
      throw new AkdError(
        'NOT_FOUND',
        `${setting}=fashion-mnist requests the full Fashion-MNIST, but its files are missing from ${fullDir}. ` +
          'Install it with `apt-get install dataset-fashion-mnist`, or set ' +
          `${setting}=fashion-mnist-subset to use the committed subset.`,
        { dir: fullDir },
      );
    }
    return {
      format: 'fashion-mnist',
      name: 'fashion-mnist',
      path: fullDir,
      reason: `${setting}=fashion-mnist`,
    };
  }
  if (requested === 'fashion-mnist-subset') {
    return {
      format: 'fashion-mnist',
      name: 'fashion-mnist-subset',
      path: subsetDir,
      reason: `${setting}=fashion-mnist-subset`,
    };
  }
  if (requested !== '') return locatePath(requested, setting);

  if (fullInstalled) {
    return {
      format: 'fashion-mnist',
      name: 'fashion-mnist',
      path: fullDir,
      reason: `installed in ${fullDir}`,
    };
  }
  return {
    format: 'fashion-mnist',
    name: 'fashion-mnist-subset',
    path: subsetDir,
    reason: `the full set is not installed in ${fullDir} (apt-get install dataset-fashion-mnist)`,
  };
}

function locatePath(requested: string, setting: string): DatasetLocation {
  const path = resolve(requested);
  if (!existsSync(path)) {
    throw new AkdError(
      'NOT_FOUND',
      `${setting}=${requested} is neither fashion-mnist nor fashion-mnist-subset, and ${path} does not exist. ` +
        'Set it to one of those names, to a directory of IDX files, or to CIFAR-10 binary data.',
      { value: requested, path },
    );
  }
  const reason = `${setting}=${requested}`;
  if (looksLikeCifar10(path)) return { format: 'cifar-10', name: 'cifar-10', path, reason };
  if (!statSync(path).isDirectory()) {
    throw new AkdError(
      'INVALID_INPUT',
      `${setting}=${requested} is a file that is not CIFAR-10 binary data (.bin, .tar.gz, .tgz or .tar). ` +
        'Set it to a directory of IDX files or to CIFAR-10 binary data.',
      { value: requested, path },
    );
  }
  return { format: 'idx', name: basename(path), path, reason };
}

/**
 * Loads the dataset at a location from {@link locateDefaultDataset}. An `idx` directory gets
 * class names equal to the label numbers, because IDX files carry no class names.
 */
export async function loadDatasetAt(location: DatasetLocation): Promise<ImageDataset> {
  switch (location.format) {
    case 'fashion-mnist':
      return loadFashionMnist(location.path, { name: location.name });
    case 'idx':
      return loadIdxDataset(location.path, { name: location.name });
    case 'cifar-10':
      return loadCifar10(location.path);
  }
}

/**
 * Locates and loads the default dataset: the full Fashion-MNIST from {@link FULL_FASHION_MNIST_DIR}
 * when installed, else the committed subset, unless `AKD_DATASET` selects another one.
 */
export async function resolveDefaultDataset(options: DefaultDatasetOptions = {}): Promise<ImageDataset> {
  const location = locateDefaultDataset(options);
  logger.info('loading dataset', { name: location.name, path: location.path, reason: location.reason });
  return loadDatasetAt(location);
}
