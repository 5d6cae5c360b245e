/**
 * Writes the committed Fashion-MNIST subset: a stratified, seeded sample of 600 training and 100
 * test images per class, as gzipped IDX files with the standard names, plus SOURCE.md with the
 * origin, licence, seed, command and SHA-256 checksums. The gzip output has no timestamp, so
 * re-running with the same Node.js gives identical bytes.
 *
 * Usage: npx tsx scripts/make-fashion-mnist-subset.ts [--source DIR] [--out DIR] [--seed N]
 * The defaults are Debian's dataset-fashion-mnist directory, data/fashion-mnist-subset and seed 2024.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

import { AkdError } from '@akd/core';
import {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_SUBSET_DIR,
  FULL_FASHION_MNIST_DIR,
  MNIST_FILE_NAMES,
  findIdxFiles,
  loadFashionMnist,
  stratifiedSplit,
  writeIdxFile,
  type ImageDataset,
  type Split,
} from '@akd/data';

const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;
const DEFAULT_SEED = 2024;

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

interface FileRecord {
  name: string;
  sizeBytes: number;
  sha256: string;
  uncompressedSha256?: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      source: { type: 'string', default: FULL_FASHION_MNIST_DIR },
      out: { type: 'string', default: FASHION_MNIST_SUBSET_DIR },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
    },
  });
  const sourceDir = values.source;
  const outDir = values.out;
  const seed = Number(values.seed);
  if (!Number.isInteger(seed)) {
    throw new AkdError('INVALID_INPUT', `--seed must be an integer, got "${values.seed}".`, {
      seed: values.seed,
    });
  }

  const sourceFiles = findIdxFiles(sourceDir);
  if (!sourceFiles) {
    throw new AkdError(
      'NOT_FOUND',
      `The Fashion-MNIST IDX files are missing from ${sourceDir}. Install them with ` +
        '`apt-get install dataset-fashion-mnist`, or pass --source DIR.',
      { dir: sourceDir },
    );
  }
  const source = await loadFashionMnist(sourceDir);

  const trainIndices = sampleSplit(source.train, source.numClasses, TRAIN_PER_CLASS, seed, 'training');
  const testIndices = sampleSplit(source.test, source.numClasses, TEST_PER_CLASS, seed, 'test');

  mkdirSync(outDir, { recursive: true });
  const outputs: [string, Split, Int32Array][] = [
    [MNIST_FILE_NAMES.trainImages, source.train, trainIndices],
    [MNIST_FILE_NAMES.testImages, source.test, testIndices],
  ];
  for (const [imageName, split, indices] of outputs) {
    const labelName =
      imageName === MNIST_FILE_NAMES.trainImages ? MNIST_FILE_NAMES.trainLabels : MNIST_FILE_NAMES.testLabels;
    const [height, width] = source.shape;
    await writeIdxFile(
      join(outDir, `${imageName}.gz`),
      {
        elementType: 'ubyte',
        dims: [indices.length, height, width],
        data: gatherPixels(split, indices, source),
      },
      { gzip: true },
    );
    await writeIdxFile(
      join(outDir, `${labelName}.gz`),
      {
        elementType: 'ubyte',
        dims: [indices.length],
        data: Uint8Array.from(indices, (index) => split.labels[index]),
      },
      { gzip: true },
    );
  }

  const sourceRecords = Object.values(sourceFiles).map((path) => describeFile(path, false));
  const outputRecords = Object.values(MNIST_FILE_NAMES).map((name) =>
    describeFile(join(outDir, `${name}.gz`), true),
  );
  const command = ['npx tsx scripts/make-fashion-mnist-subset.ts', `--seed ${seed}`];
  if (sourceDir !== FULL_FASHION_MNIST_DIR) command.push(`--source ${sourceDir}`);
  if (outDir !== FASHION_MNIST_SUBSET_DIR) command.push(`--out ${relative(repoRoot, outDir)}`);
  const markdown = renderSourceMd(sourceDir, seed, command.join(' '), sourceRecords, outputRecords);
  writeFileSync(join(outDir, 'SOURCE.md'), markdown);

  const totalBytes = outputRecords.reduce((sum, record) => sum + record.sizeBytes, 0);
  console.log(
    `Wrote ${trainIndices.length} training and ${testIndices.length} test images to ${outDir} ` +
      `(${totalBytes} bytes of IDX files) with seed ${seed}.`,
  );
}

/** Draws `perClass` examples of every class from `split`, failing unless each class gets exactly that many. */
function sampleSplit(
  split: Split,
  numClasses: number,
  perClass: number,
  seed: number,
  splitName: string,
): Int32Array {
  const { train: indices } = stratifiedSplit(split.labels, {
    trainSize: perClass * numClasses,
    valSize: 0,
    seed,
  });
  const counts = new Array<number>(numClasses).fill(0);
  for (const index of indices) counts[split.labels[index]]++;
  const uneven = counts.findIndex((count) => count !== perClass);
  if (uneven !== -1) {
    throw new AkdError(
      'INVALID_FILE',
      `The ${splitName} split of the source is not balanced: class ${uneven} got ${counts[uneven]} examples, ` +
        `expected ${perClass}. Use a source with an equal number of examples in every class.`,
      { split: splitName, label: uneven, count: counts[uneven], expected: perClass },
    );
  }
  return indices;
}

function gatherPixels(split: Split, indices: Int32Array, dataset: ImageDataset): Uint8Array {
  const [height, width, channels] = dataset.shape;
  const imageBytes = height * width * channels;
  const pixels = new Uint8Array(indices.length * imageBytes);
  indices.forEach((index, row) => {
    pixels.set(split.images.subarray(index * imageBytes, (index + 1) * imageBytes), row * imageBytes);
  });
  return pixels;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function describeFile(path: string, withUncompressed: boolean): FileRecord {
  const bytes = readFileSync(path);
  return {
    name: basename(path),
    sizeBytes: bytes.length,
    sha256: sha256(bytes),
    uncompressedSha256: withUncompressed ? sha256(gunzipSync(bytes)) : undefined,
  };
}

/** Returns the installed version of Debian's dataset-fashion-mnist, or undefined off Debian. */
function debianPackageVersion(): string | undefined {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'dataset-fashion-mnist'], {
      encoding: 'utf8',
    }).trim();
  } catch {
    return undefined;
  }
}

function renderSourceMd(
  sourceDir: string,
  seed: number,
  command: string,
  sources: FileRecord[],
  outputs: FileRecord[],
): string {
  const debianVersion = sourceDir === FULL_FASHION_MNIST_DIR ? debianPackageVersion() : undefined;
  const origin = debianVersion
    ? `Debian's \`dataset-fashion-mnist\` package, version ${debianVersion}, installed in \`${sourceDir}\``
    : `the Fashion-MNIST IDX files in \`${sourceDir}\``;
  const classCount = FASHION_MNIST_CLASS_NAMES.length;
  const formatCount = (count: number) => count.toLocaleString('en-US');
  const classList = FASHION_MNIST_CLASS_NAMES.map((name, label) => `${label} ${name}`).join(', ');

  return `# Fashion-MNIST subset

A stratified sample of Fashion-MNIST: ${formatCount(TRAIN_PER_CLASS * classCount)} training images (${TRAIN_PER_CLASS} per class)
and ${formatCount(TEST_PER_CLASS * classCount)} test images (${TEST_PER_CLASS} per class), 28×28 grayscale, as gzipped IDX
files with the standard file names. AKD Studio uses it as the default dataset when the full
Fashion-MNIST is not installed, and as a test fixture.

Classes by label: ${classList}.

## Origin

Fashion-MNIST by Zalando Research (Han Xiao, Kashif Rasul, Roland Vollgraf),
https://github.com/zalandoresearch/fashion-mnist, released under the MIT licence (text below).
The images were read from ${origin}.

## How it was made

\`\`\`
${command}
\`\`\`

The script reads the four source files, and for each split \`stratifiedSplit\` from \`@akd/data\`
draws the per-class count from a shuffle of each class seeded with ${seed}. The selected images
keep their order in the source file. The gzip files have no timestamp and no file name, so
re-running the script gives identical bytes as long as Node.js bundles the same zlib. These files
were written by Node.js ${process.version} with zlib ${process.versions.zlib}. A different zlib may compress
differently, so the checksums of the uncompressed IDX data are listed too.

## Checksums (SHA-256)

Source files:

| File | Bytes | SHA-256 |
| --- | ---: | --- |
${sources.map((file) => `| ${file.name} | ${file.sizeBytes} | ${file.sha256} |`).join('\n')}

Output files:

| File | Bytes | SHA-256 of the file | SHA-256 of the uncompressed IDX |
| --- | ---: | --- | --- |
${outputs.map((file) => `| ${file.name} | ${file.sizeBytes} | ${file.sha256} | ${file.uncompressedSha256} |`).join('\n')}

## Licence of Fashion-MNIST

The MIT License (MIT) Copyright © [2017] Zalando SE, https://tech.zalando.com

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the “Software”), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED “AS IS”, WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES
OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN
CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
`;
}

main().catch((error: unknown) => {
  // Expected failures (missing or unbalanced source) print their message; anything else its stack.
  console.error(error instanceof AkdError ? error.message : error);
  process.exit(1);
});
