/**
 * Reads a zip archive of class folders of PNG and JPEG images into an {@link ImageDataset},
 * without extracting it. Two layouts are accepted: `train/<class>/<image>` with
 * `test/<class>/<image>`, and flat `<class>/<image>`, whose images are split into train and test
 * per class. A single folder that wraps the whole content (as when a folder is zipped) is skipped.
 */
import { AkdError } from '@akd/core';

import type { ImageDataset, Split } from './dataset.js';
import { decodeJpeg, isJpeg } from './jpeg.js';
import { decodePng, isPng, type DecodedImage } from './png.js';
import { stratifiedSplit } from './split.js';
import { ZipArchive, type ZipEntry } from './zip.js';

/** Options of {@link readImageFolderZip}. */
export interface ImageFolderOptions {
  /** Dataset name stored in {@link ImageDataset.name}. */
  name: string;
  /** Share of the images of each class that a flat archive puts in the test split, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Seed of the split of a flat archive. The same archive and seed give the same dataset. Default 1. */
  seed?: number;
  /** Largest total size of the decoded images, in bytes. Default 1 GiB. */
  maxPixelBytes?: number;
}

/** A dataset read from an image-folder archive, with the layout it was found in. */
export interface ImageFolderDataset {
  dataset: ImageDataset;
  layout: 'train-test' | 'flat';
}

const DEFAULT_TEST_FRACTION = 0.2;
const DEFAULT_MAX_PIXEL_BYTES = 1024 * 1024 * 1024;
/** Labels are stored as bytes. */
const MAX_CLASSES = 256;
const SPLITS = ['train', 'test'] as const;
/** Files that operating systems add to folders, skipped wherever they appear. */
const SYSTEM_FILES = new Set(['Thumbs.db', 'desktop.ini']);
const LAYOUT_HELP =
  'Put each PNG or JPEG image in a folder named after its class (<class>/<image>), or use ' +
  'train/<class>/<image> and test/<class>/<image>.';
/** Accepted image file names. The format is detected from the signature, not the extension. */
const IMAGE_NAME = /\.(png|jpe?g)$/i;

/** A file of the archive with its path relative to the dataset root, split into segments. */
interface ImageFile {
  entry: ZipEntry;
  segments: string[];
}

/** The images of one class in one split, in path order. */
interface ClassFiles {
  split: 'train' | 'test' | null;
  className: string;
  files: ImageFile[];
}

function invalid(message: string, details: Record<string, unknown> = {}): AkdError {
  return new AkdError('INVALID_FILE', message, details);
}

/**
 * Reads the image-folder zip at `path` (`source` names it in messages). Every entry path is
 * checked before any image is decoded. Throws INVALID_FILE for an entry that would leave the
 * extraction folder (absolute path, `..` segment, symbolic link). It also throws INVALID_FILE for
 * a file outside a class folder, a file not named .png, .jpg or .jpeg, fewer than 2 classes and an
 * empty class. Each image is decoded as PNG or JPEG by its signature. The images must be readable
 * and complete, of one size and channel count, fully opaque, and within `options.maxPixelBytes`
 * once decoded. Greyscale JPEGs have 1 channel and colour JPEGs 3, as greyscale and RGB PNGs.
 */
export async function readImageFolderZip(
  path: string,
  source: string,
  options: ImageFolderOptions,
): Promise<ImageFolderDataset> {
  const testFraction = options.testFraction ?? DEFAULT_TEST_FRACTION;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid test fraction ${testFraction}: use a number between 0 and 1.`,
      {
        testFraction,
      },
    );
  }
  const archive = await ZipArchive.open(path, source);
  try {
    for (const entry of archive.entries) checkEntryPath(entry);
    const { layout, classes } = groupByClass(archive.entries);
    const images = await decodeAll(archive, classes, options.maxPixelBytes ?? DEFAULT_MAX_PIXEL_BYTES);
    const classNames = [...new Set(classes.map((group) => group.className))].sort(compareNames);
    const dataset =
      layout === 'train-test'
        ? splitByFolder(options.name, classNames, classes, images)
        : splitStratified(options.name, classNames, classes, images, testFraction, options.seed ?? 1);
    return { dataset, layout };
  } finally {
    await archive.close();
  }
}

/** Throws INVALID_FILE for an entry that extraction would write outside its folder. */
function checkEntryPath(entry: ZipEntry): void {
  const reject = (reason: string): never => {
    throw invalid(
      `The zip entry "${entry.name}" ${reason}, so extracting it would write outside the upload folder. ` +
        'Remove it from the archive and zip the class folders again.',
      { entry: entry.name },
    );
  };
  const name = entry.name.replace(/\\/g, '/');
  if (name.includes('\0')) reject('contains a NUL character');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) reject('is an absolute path');
  if (name.split('/').includes('..')) reject('contains a ".." segment');
  if (entry.kind === 'symlink') reject('is a symbolic link');
}

function isSkipped(segments: string[]): boolean {
  const base = segments.at(-1) ?? '';
  return segments[0] === '__MACOSX' || base.startsWith('.') || SYSTEM_FILES.has(base);
}

function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Splits a path into segments, dropping empty and `.` segments. */
function segmentsOf(name: string): string[] {
  return name
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
}

/** Finds the layout and groups the files by split and class; throws for files and folders that fit no layout. */
function groupByClass(entries: readonly ZipEntry[]): {
  layout: ImageFolderDataset['layout'];
  classes: ClassFiles[];
} {
  let files: ImageFile[] = [];
  let folders: string[][] = [];
  for (const entry of entries) {
    const segments = segmentsOf(entry.name);
    if (segments.length === 0 || isSkipped(segments)) continue;
    if (entry.kind === 'directory') folders.push(segments);
    else files.push({ entry, segments });
  }
  if (files.length === 0) throw invalid(`The zip archive contains no image. ${LAYOUT_HELP}`);

  // A wrapping folder: every file lies at least two folders below the same top folder.
  while (files.every((file) => file.segments.length >= 3 && file.segments[0] === files[0].segments[0])) {
    const root = files[0].segments[0];
    files = files.map((file) => ({ ...file, segments: file.segments.slice(1) }));
    folders = folders
      .filter((folder) => folder[0] === root && folder.length > 1)
      .map((folder) => folder.slice(1));
  }

  const topNames = new Set(files.map((file) => file.segments[0].toLowerCase()));
  const layout = topNames.has('train') && topNames.has('test') ? 'train-test' : 'flat';
  const depth = layout === 'train-test' ? 3 : 2;
  const groups = new Map<string, ClassFiles>();
  const groupOf = (segments: string[]): ClassFiles => {
    const split = layout === 'train-test' ? (segments[0].toLowerCase() as 'train' | 'test') : null;
    const className = segments[depth - 2];
    const key = `${split ?? ''}/${className}`;
    let group = groups.get(key);
    if (!group) {
      group = { split, className, files: [] };
      groups.set(key, group);
    }
    return group;
  };

  for (const file of files) {
    const where = file.segments.join('/');
    if (file.segments.length !== depth) {
      throw invalid(`"${where}" is not directly inside a class folder. ${LAYOUT_HELP}`, {
        entry: file.entry.name,
      });
    }
    if (layout === 'train-test' && !SPLITS.includes(file.segments[0].toLowerCase() as 'train')) {
      throw invalid(
        `"${where}" is outside train/ and test/. An archive with train/ and test/ folders may hold nothing else.`,
        { entry: file.entry.name },
      );
    }
    checkImageName(where, file.entry.name);
    groupOf(file.segments).files.push(file);
  }
  // Folders at the class level without any file are empty classes.
  for (const folder of folders) {
    if (folder.length !== depth - 1) continue;
    if (layout === 'train-test' && !SPLITS.includes(folder[0].toLowerCase() as 'train')) continue;
    const group = groupOf([...folder, '']);
    if (group.files.length === 0) {
      throw invalid(`The class folder "${folder.join('/')}/" has no images. Add images to it or remove it.`, {
        folder: folder.join('/'),
      });
    }
  }

  const classes = [...groups.values()];
  checkClasses(layout, classes);
  for (const group of classes) group.files.sort((a, b) => compareNames(a.entry.name, b.entry.name));
  return { layout, classes };
}

function checkImageName(where: string, entryName: string): void {
  if (!IMAGE_NAME.test(where)) {
    throw invalid(
      `"${where}" is not a PNG or JPEG image (.png, .jpg or .jpeg). Class folders may hold PNG and JPEG ` +
        'images only: convert the file or remove it.',
      { entry: entryName },
    );
  }
}

function checkClasses(layout: ImageFolderDataset['layout'], classes: ClassFiles[]): void {
  const names = [...new Set(classes.map((group) => group.className))].sort(compareNames);
  if (names.length < 2) {
    throw invalid(
      `The zip archive has ${names.length} class folder(s) (${names.map((name) => `"${name}"`).join(', ')}), ` +
        `but a classification dataset needs at least 2. ${LAYOUT_HELP}`,
      { classes: names },
    );
  }
  if (names.length > MAX_CLASSES) {
    throw invalid(
      `The zip archive has ${names.length} class folders; at most ${MAX_CLASSES} are supported.`,
      {
        classes: names.length,
      },
    );
  }
  if (layout !== 'train-test') return;
  for (const split of SPLITS) {
    const present = new Set(classes.filter((group) => group.split === split).map((group) => group.className));
    const missing = names.filter((name) => !present.has(name));
    if (missing.length > 0) {
      throw invalid(
        `The class(es) ${missing.map((name) => `"${name}"`).join(', ')} have no images in ${split}/. ` +
          'Every class needs images in both train/ and test/.',
        { split, missing },
      );
    }
  }
}

/** Decoded pixels of every image, in the order of `classes` and their files, with the shared shape. */
interface DecodedImages {
  shape: [number, number, number];
  /** Pixels of image i at `i × imageBytes`. */
  pixels: Uint8Array;
  imageBytes: number;
}

async function decodeAll(
  archive: ZipArchive,
  classes: ClassFiles[],
  maxPixelBytes: number,
): Promise<DecodedImages> {
  const count = classes.reduce((sum, group) => sum + group.files.length, 0);
  let first: { image: DecodedImage; where: string } | null = null;
  let pixels = new Uint8Array(0);
  let index = 0;
  for (const group of classes) {
    for (const file of group.files) {
      const where = file.segments.join('/');
      const bytes = await archive.read(file.entry);
      const image = dropOpaqueAlpha(decodeImage(bytes, where, file.entry.name, maxPixelBytes), where);
      if (first === null) {
        first = { image, where };
        const imageBytes = image.pixels.length;
        if (count * imageBytes > maxPixelBytes) {
          throw invalid(
            `The ${count} images of ${image.width}×${image.height}×${image.channels} pixels decode to ` +
              `${count * imageBytes} bytes, above the limit of ${maxPixelBytes}. Upload fewer or smaller images.`,
            { count, maxPixelBytes },
          );
        }
        pixels = new Uint8Array(count * imageBytes);
      } else {
        checkSameShape(first, image, where);
      }
      pixels.set(image.pixels, index * image.pixels.length);
      index++;
    }
  }
  const image = (first as { image: DecodedImage }).image;
  return { shape: [image.height, image.width, image.channels], pixels, imageBytes: image.pixels.length };
}

/** Decodes a PNG or JPEG image, chosen by its signature so that a misnamed file still decodes. */
function decodeImage(
  bytes: Uint8Array,
  where: string,
  entryName: string,
  maxPixelBytes: number,
): DecodedImage {
  if (isPng(bytes)) return decodePng(bytes, where, { maxPixelBytes });
  if (isJpeg(bytes)) return decodeJpeg(bytes, where, { maxPixelBytes });
  throw invalid(
    `"${where}" is not a readable PNG or JPEG image: it starts with neither signature. ` +
      'Export it again as PNG or JPEG, or remove it.',
    { entry: entryName },
  );
}

function describeChannels(channels: number): string {
  return ['grey', 'grey and alpha', 'RGB', 'RGBA'][channels - 1] ?? `${channels} channels`;
}

function checkSameShape(
  first: { image: DecodedImage; where: string },
  image: DecodedImage,
  where: string,
): void {
  const reference = first.image;
  if (image.width !== reference.width || image.height !== reference.height) {
    throw invalid(
      `"${where}" is ${image.width}×${image.height} pixels but "${first.where}" is ` +
        `${reference.width}×${reference.height}. All images must have the same size: resize them first.`,
      { entry: where, width: image.width, height: image.height },
    );
  }
  if (image.channels !== reference.channels) {
    throw invalid(
      `"${where}" is ${describeChannels(image.channels)} (${image.channels} channel(s)) but "${first.where}" is ` +
        `${describeChannels(reference.channels)} (${reference.channels}). All images must have the same ` +
        'channels: convert them all to greyscale or all to RGB.',
      { entry: where, channels: image.channels },
    );
  }
}

/**
 * Removes the alpha channel of a grey-and-alpha or RGBA image when every pixel is fully opaque,
 * since it then carries no information. Throws INVALID_FILE for an image with transparency.
 */
function dropOpaqueAlpha(image: DecodedImage, where: string): DecodedImage {
  if (image.channels !== 2 && image.channels !== 4) return image;
  const colour = image.channels - 1;
  const count = image.width * image.height;
  const pixels = new Uint8Array(count * colour);
  for (let i = 0; i < count; i++) {
    if (image.pixels[i * image.channels + colour] !== 255) {
      throw invalid(
        `"${where}" has transparent pixels (an alpha channel below 255). Flatten the images onto a ` +
          'background and save them without alpha.',
        { entry: where },
      );
    }
    pixels.set(image.pixels.subarray(i * image.channels, i * image.channels + colour), i * colour);
  }
  return { ...image, channels: colour as 1 | 3, pixels };
}

/** Gathers the images at `indices` (positions in the decoded order) with their labels. */
function gather(images: DecodedImages, labels: Uint8Array, indices: ArrayLike<number>): Split {
  const split: Split = {
    images: new Uint8Array(indices.length * images.imageBytes),
    labels: new Uint8Array(indices.length),
    count: indices.length,
  };
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i] * images.imageBytes;
    split.images.set(images.pixels.subarray(from, from + images.imageBytes), i * images.imageBytes);
    split.labels[i] = labels[indices[i]];
  }
  return split;
}

/** Labels of the decoded images, and their decoded positions by split (`all` for a flat archive). */
function labelImages(
  classNames: string[],
  classes: ClassFiles[],
): { labels: Uint8Array; positions: Map<string, number[]> } {
  const count = classes.reduce((sum, group) => sum + group.files.length, 0);
  const labels = new Uint8Array(count);
  const positions = new Map<string, number[]>();
  let index = 0;
  for (const group of classes) {
    const label = classNames.indexOf(group.className);
    const key = group.split ?? 'all';
    if (!positions.has(key)) positions.set(key, []);
    for (let i = 0; i < group.files.length; i++) {
      labels[index] = label;
      positions.get(key)?.push(index);
      index++;
    }
  }
  return { labels, positions };
}

function splitByFolder(
  name: string,
  classNames: string[],
  classes: ClassFiles[],
  images: DecodedImages,
): ImageDataset {
  const { labels, positions } = labelImages(classNames, classes);
  return {
    name,
    shape: images.shape,
    numClasses: classNames.length,
    classNames,
    train: gather(images, labels, sortedByLabel(positions.get('train') ?? [], labels)),
    test: gather(images, labels, sortedByLabel(positions.get('test') ?? [], labels)),
  };
}

/** Orders decoded positions by label and keeps the path order within a label. */
function sortedByLabel(positions: number[], labels: Uint8Array): number[] {
  return [...positions].sort((a, b) => labels[a] - labels[b] || a - b);
}

function splitStratified(
  name: string,
  classNames: string[],
  classes: ClassFiles[],
  images: DecodedImages,
  testFraction: number,
  seed: number,
): ImageDataset {
  const { labels, positions } = labelImages(classNames, classes);
  const order = sortedByLabel(positions.get('all') ?? [], labels);
  const orderedLabels = Uint8Array.from(order, (position) => labels[position]);
  const total = order.length;
  const testSize = Math.min(total - 1, Math.max(1, Math.round(total * testFraction)));
  const { train, val } = stratifiedSplit(orderedLabels, {
    trainSize: total - testSize,
    valSize: testSize,
    seed,
  });
  return {
    name,
    shape: images.shape,
    numClasses: classNames.length,
    classNames,
    train: gather(
      images,
      labels,
      Array.from(train, (i) => order[i]),
    ),
    test: gather(
      images,
      labels,
      Array.from(val, (i) => order[i]),
    ),
  };
}
