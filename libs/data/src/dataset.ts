import { createHash } from 'node:crypto';

import { AkdError } from '@akd/core';

/** Images and labels of one split (train or test) of an {@link ImageDataset}. */
export interface Split {
  /** Pixels as unsigned bytes, `count × height × width × channels` in HWC order, image after image. */
  images: Uint8Array;
  /** Class index of each image, in `[0, numClasses)`. */
  labels: Uint8Array;
  /** Number of images (and labels). */
  count: number;
}

/** Labelled image classification dataset held in memory. */
export interface ImageDataset {
  /** Short identifier, such as `fashion-mnist`, `fashion-mnist-subset` or `cifar-10`. */
  name: string;
  /** Size of one image as [height, width, channels], in pixels and channels. */
  shape: [number, number, number];
  /** Number of classes. Labels are in `[0, numClasses)`. */
  numClasses: number;
  /** Human-readable name of each class, indexed by label. Its length is `numClasses`. */
  classNames: string[];
  /** Training split. Validation indices are drawn from it by `stratifiedSplit`. */
  train: Split;
  /** Held-out test split. */
  test: Split;
}

/**
 * Returns the number of bytes in one image of `split` (height × width × channels).
 * Throws INVALID_INPUT when the split is empty or its arrays do not match `count`.
 */
export function imageSizeBytes(split: Split): number {
  if (split.count <= 0) {
    throw new AkdError('INVALID_INPUT', 'The split has no images, so the image size is unknown.', {
      count: split.count,
    });
  }
  const size = split.images.length / split.count;
  if (!Number.isInteger(size) || split.labels.length !== split.count) {
    throw new AkdError(
      'INVALID_INPUT',
      `The split is inconsistent: ${split.images.length} pixel bytes and ${split.labels.length} labels ` +
        `for a count of ${split.count}.`,
      { count: split.count, imageBytes: split.images.length, labelCount: split.labels.length },
    );
  }
  return size;
}

/** Returns a split with no images, for loaders given only training data. */
export function emptySplit(): Split {
  return { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
}

/** Version tag hashed first, so that a change of the hashed layout changes every fingerprint. */
const FINGERPRINT_FORMAT = 'akd-image-dataset-v1';

const fingerprintCache = new WeakMap<ImageDataset, string>();

/**
 * Computes the SHA-256 of a dataset's shape, class count, split sizes, labels and pixels as 64 hex
 * digits. The name and class names are not hashed, so the same data loaded from another path or
 * under another name gets the same fingerprint. The result is cached per dataset object, so
 * mutating the arrays after the first call leaves the cached value stale.
 */
export function datasetFingerprint(dataset: ImageDataset): string {
  const cached = fingerprintCache.get(dataset);
  if (cached !== undefined) return cached;

  const hash = createHash('sha256');
  const header = {
    format: FINGERPRINT_FORMAT,
    shape: dataset.shape,
    numClasses: dataset.numClasses,
    trainCount: dataset.train.count,
    testCount: dataset.test.count,
  };
  hash.update(JSON.stringify(header));
  for (const split of [dataset.train, dataset.test]) {
    hash.update(split.labels);
    hash.update(split.images);
  }
  const fingerprint = hash.digest('hex');
  fingerprintCache.set(dataset, fingerprint);
  return fingerprint;
}
