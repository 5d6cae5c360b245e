import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { AkdError } from '@akd/core';

import type { ImageDataset, Split } from './dataset.js';
import { readIdxFile, writeIdxFile, type IdxTensor } from './idx.js';

/** Class names of Fashion-MNIST, indexed by label, as listed in the Fashion-MNIST README. */
export const FASHION_MNIST_CLASS_NAMES: readonly string[] = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
];

/** File names of the four IDX files of a dataset, without the `.gz` suffix. */
export interface IdxFileNames {
  /** Training images, ubyte with dims [count, height, width] or [count, height, width, channels]. */
  trainImages: string;
  /** Training labels, an integer type with dims [count]. */
  trainLabels: string;
  /** Test images, same layout as the training images. */
  testImages: string;
  /** Test labels, same layout as the training labels. */
  testLabels: string;
}

/** File names used by MNIST and Fashion-MNIST. */
export const MNIST_FILE_NAMES: Readonly<IdxFileNames> = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
};

/** Options of {@link loadIdxDataset}. */
export interface IdxDatasetOptions {
  /** Dataset name stored in {@link ImageDataset.name}. */
  name: string;
  /** Class names indexed by label. When given, their count is the number of classes. */
  classNames?: readonly string[];
  /**
   * Number of classes when `classNames` is not given. Defaults to the largest label + 1, and the
   * class names then default to the label numbers.
   */
  numClasses?: number;
  /** File names to use in place of the MNIST names. Each is tried with `.gz` first, then as given. */
  fileNames?: Partial<IdxFileNames>;
}

/**
 * Finds the four IDX files of `dir` (each as `<name>.gz` or `<name>`) without reading them.
 * Returns undefined when any is missing.
 */
export function findIdxFiles(dir: string, fileNames: Partial<IdxFileNames> = {}): IdxFileNames | undefined {
  const names = { ...MNIST_FILE_NAMES, ...fileNames };
  const found: Partial<IdxFileNames> = {};
  for (const key of Object.keys(names) as (keyof IdxFileNames)[]) {
    const candidates = [join(dir, `${names[key]}.gz`), join(dir, names[key])];
    const path = candidates.find((candidate) => existsSync(candidate));
    if (path === undefined) return undefined;
    found[key] = path;
  }
  return found as IdxFileNames;
}

/**
 * Loads a dataset stored as four IDX files (MNIST layout) from `dir`, each gzipped or raw.
 * Throws NOT_FOUND when a file is missing and INVALID_FILE when a file is malformed, when images
 * are not ubyte, when image and label counts differ, or when a label is outside the class range.
 */
export async function loadIdxDataset(dir: string, options: IdxDatasetOptions): Promise<ImageDataset> {
  const names = { ...MNIST_FILE_NAMES, ...options.fileNames };
  const paths = findIdxFiles(dir, names);
  if (!paths) {
    const missing = (Object.keys(names) as (keyof IdxFileNames)[])
      .filter((key) => !existsSync(join(dir, `${names[key]}.gz`)) && !existsSync(join(dir, names[key])))
      .map((key) => names[key]);
    throw new AkdError(
      'NOT_FOUND',
      `${dir} does not contain the IDX file(s) ${missing.join(', ')} (looked for each with and without .gz). ` +
        'Point to a directory with all four files of an MNIST-format dataset.',
      { dir, missing },
    );
  }

  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readIdxFile(paths.trainImages),
    readIdxFile(paths.trainLabels),
    readIdxFile(paths.testImages),
    readIdxFile(paths.testLabels),
  ]);

  const train = imagePixels(trainImages, paths.trainImages);
  const test = imagePixels(testImages, paths.testImages);
  const trainShape = train.shape;
  const testShape = test.shape;
  if (trainShape.join('x') !== testShape.join('x')) {
    throw new AkdError(
      'INVALID_FILE',
      `${paths.testImages} has images of shape [${testShape.join(', ')}] but ${paths.trainImages} has ` +
        `[${trainShape.join(', ')}]. Use training and test files of the same dataset.`,
      { trainFile: paths.trainImages, testFile: paths.testImages, trainShape, testShape },
    );
  }

  const trainLabelValues = labelValues(trainLabels, paths.trainLabels);
  const testLabelValues = labelValues(testLabels, paths.testLabels);
  const classNames = resolveClassNames(options, [trainLabelValues, testLabelValues]);

  return {
    name: options.name,
    shape: trainShape,
    numClasses: classNames.length,
    classNames,
    train: makeSplit(train, paths.trainImages, trainLabelValues, paths.trainLabels, classNames.length),
    test: makeSplit(test, paths.testImages, testLabelValues, paths.testLabels, classNames.length),
  };
}

/**
 * Loads Fashion-MNIST (or a subset in the same layout) from the four standard IDX files in `dir`,
 * with its ten class names. `name` defaults to `fashion-mnist`.
 */
export async function loadFashionMnist(dir: string, options: { name?: string } = {}): Promise<ImageDataset> {
  return loadIdxDataset(dir, {
    name: options.name ?? 'fashion-mnist',
    classNames: FASHION_MNIST_CLASS_NAMES,
  });
}

/**
 * Writes `dataset` to `dir` as the four gzipped IDX files of the MNIST layout (`<name>.gz`), so
 * that {@link loadIdxDataset} reads back the same pixels and labels, and so the same fingerprint.
 * Greyscale images get dims [count, height, width], others [count, height, width, channels].
 * Class names are not stored, because IDX files have no place for them.
 */
export async function writeIdxDataset(dir: string, dataset: ImageDataset): Promise<void> {
  const [height, width, channels] = dataset.shape;
  const imageDims = (count: number): number[] =>
    channels === 1 ? [count, height, width] : [count, height, width, channels];
  const files: [string, IdxTensor][] = [
    [
      MNIST_FILE_NAMES.trainImages,
      { elementType: 'ubyte', dims: imageDims(dataset.train.count), data: dataset.train.images },
    ],
    [
      MNIST_FILE_NAMES.trainLabels,
      { elementType: 'ubyte', dims: [dataset.train.count], data: dataset.train.labels },
    ],
    [
      MNIST_FILE_NAMES.testImages,
      { elementType: 'ubyte', dims: imageDims(dataset.test.count), data: dataset.test.images },
    ],
    [
      MNIST_FILE_NAMES.testLabels,
      { elementType: 'ubyte', dims: [dataset.test.count], data: dataset.test.labels },
    ],
  ];
  for (const [name, tensor] of files) await writeIdxFile(join(dir, `${name}.gz`), tensor, { gzip: true });
}

interface ImagePixels {
  shape: [number, number, number];
  count: number;
  pixels: Uint8Array;
}

/** Returns the pixels and [height, width, channels] of an image tensor, requiring ubyte elements. */
function imagePixels(tensor: IdxTensor, file: string): ImagePixels {
  if (tensor.elementType !== 'ubyte') {
    throw new AkdError(
      'INVALID_FILE',
      `${file} has ${tensor.elementType} elements, but images must be ubyte (IDX type 0x08, pixels 0-255). ` +
        'Convert the images to unsigned bytes or use the image file of the dataset.',
      { file, elementType: tensor.elementType },
    );
  }
  const dims = tensor.dims;
  if (dims.length === 3) return { shape: [dims[1], dims[2], 1], count: dims[0], pixels: tensor.data };
  if (dims.length === 4) return { shape: [dims[1], dims[2], dims[3]], count: dims[0], pixels: tensor.data };
  throw new AkdError(
    'INVALID_FILE',
    `${file} has dims [${dims.join(', ')}], but images must have dims [count, height, width] or ` +
      '[count, height, width, channels]. Check that this is an image file and not a label file.',
    { file, dims },
  );
}

/** Returns the labels of a label tensor, requiring integer elements and dims [count]. */
function labelValues(tensor: IdxTensor, file: string): IdxTensor['data'] {
  if (tensor.elementType === 'float32' || tensor.elementType === 'float64') {
    throw new AkdError(
      'INVALID_FILE',
      `${file} has ${tensor.elementType} elements, but labels must be integers (ubyte, sbyte, int16 or int32). ` +
        'Check that this is a label file.',
      { file, elementType: tensor.elementType },
    );
  }
  if (tensor.dims.length !== 1) {
    throw new AkdError(
      'INVALID_FILE',
      `${file} has dims [${tensor.dims.join(', ')}], but labels must have dims [count]. ` +
        'Check that this is a label file and not an image file.',
      { file, dims: tensor.dims },
    );
  }
  return tensor.data;
}

function resolveClassNames(options: IdxDatasetOptions, labelArrays: IdxTensor['data'][]): string[] {
  let numClasses = options.classNames?.length ?? options.numClasses;
  if (numClasses === undefined) {
    let maxLabel = -1;
    for (const labels of labelArrays) for (const label of labels) maxLabel = Math.max(maxLabel, label);
    numClasses = maxLabel + 1;
  }
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > 256) {
    throw new AkdError(
      'INVALID_INPUT',
      `The number of classes must be an integer from 1 to 256 (labels are stored as bytes), got ${numClasses}.`,
      { numClasses },
    );
  }
  return options.classNames
    ? [...options.classNames]
    : Array.from({ length: numClasses }, (_, label) => String(label));
}

function makeSplit(
  images: ImagePixels,
  imageFile: string,
  labels: IdxTensor['data'],
  labelFile: string,
  numClasses: number,
): Split {
  const count = images.count;
  if (labels.length !== count) {
    throw new AkdError(
      'INVALID_FILE',
      `${imageFile} has ${count} images but ${labelFile} has ${labels.length} labels. ` +
        'Use the image and label files of the same split.',
      { imageFile, labelFile, imageCount: count, labelCount: labels.length },
    );
  }
  const byteLabels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = labels[i];
    if (label < 0 || label >= numClasses) {
      throw new AkdError(
        'INVALID_FILE',
        `${labelFile} has label ${label} at index ${i}, outside the class range 0..${numClasses - 1}. ` +
          'Check that the label file belongs to this dataset, or set the number of classes.',
        { file: labelFile, index: i, label, numClasses },
      );
    }
    byteLabels[i] = label;
  }
  return { images: images.pixels, labels: byteLabels, count };
}
