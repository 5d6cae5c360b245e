import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { AkdError } from '@akd/core';

import { datasetFingerprint } from './dataset.js';
import { loadIdxDataset, writeIdxDataset } from './idx-dataset.js';
import { readImageFolderZip, type ImageFolderOptions } from './image-folder.js';
import { makeTempDir } from './test-support.js';
import { buildZip, jpegOf, patternPng, pngOf, type TestZipEntry } from './testing.js';
import { ZipArchive } from './zip.js';

const dir = makeTempDir();
let written = 0;

function writeZip(entries: TestZipEntry[]): string {
  const path = join(dir, `archive-${written++}.zip`);
  writeFileSync(path, buildZip(entries));
  return path;
}

/** `perClass` 4×3 RGB images in each of the classes, under `prefix`. */
function classImages(classes: string[], perClass: number, prefix = ''): TestZipEntry[] {
  return classes.flatMap((name, label) =>
    Array.from({ length: perClass }, (_, i) => ({
      name: `${prefix}${name}/${String(i).padStart(3, '0')}.png`,
      data: patternPng(4, 3, 3, label * 100 + i),
    })),
  );
}

/** Returns the pixels of an 8×6 image that change smoothly with position, which lossy JPEG keeps within a few levels. */
function smoothPixels(channels: 1 | 3, seed: number): number[] {
  return Array.from({ length: 8 * 6 * channels }, (_, i) => {
    const pixel = Math.floor(i / channels);
    return 20 + seed * 20 + (pixel % 8) * 8 + Math.floor(pixel / 8) * 5 + (i % channels) * 25;
  });
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < actual.length; i++) {
    const message = `sample ${i} is ${actual[i]}, expected ${expected[i]} ± ${tolerance}`;
    assert.ok(Math.abs(actual[i] - expected[i]) <= tolerance, message);
  }
}

function read(path: string, options: Partial<ImageFolderOptions> = {}) {
  return readImageFolderZip(path, 'upload.zip', { name: 'folder', ...options });
}

async function assertRejects(
  path: string,
  message: RegExp,
  options: Partial<ImageFolderOptions> = {},
): Promise<void> {
  await assert.rejects(read(path, options), (error: unknown) => {
    assert.ok(error instanceof AkdError, String(error));
    assert.equal(error.code, 'INVALID_FILE');
    assert.match(error.message, message);
    return true;
  });
}

describe('ZipArchive', () => {
  test('reads stored and deflated entries', async () => {
    const path = writeZip([
      { name: 'a/one.txt', data: Buffer.from('stored'), method: 0 },
      { name: 'a/two.txt', data: Buffer.from('deflated '.repeat(50)) },
      { name: 'a/' },
    ]);
    const archive = await ZipArchive.open(path, 'test.zip');
    try {
      assert.deepEqual(
        archive.entries.map((entry) => [entry.name, entry.kind]),
        [
          ['a/one.txt', 'file'],
          ['a/two.txt', 'file'],
          ['a/', 'directory'],
        ],
      );
      assert.equal((await archive.read(archive.entries[0])).toString(), 'stored');
      assert.equal((await archive.read(archive.entries[1])).toString(), 'deflated '.repeat(50));
    } finally {
      await archive.close();
    }
  });

  test('marks symbolic links', async () => {
    const archive = await ZipArchive.open(
      writeZip([{ name: 'link', data: Buffer.from('/etc'), mode: 0o120777 }]),
      't.zip',
    );
    try {
      assert.equal(archive.entries[0].kind, 'symlink');
    } finally {
      await archive.close();
    }
  });

  test('rejects a file that is not a zip', async () => {
    const path = join(dir, 'plain.zip');
    writeFileSync(path, 'just some text');
    await assert.rejects(
      ZipArchive.open(path, 'plain.zip'),
      /plain\.zip is not a readable zip archive: it has no end of central directory record/,
    );
  });

  test('rejects a truncated archive', async () => {
    const bytes = buildZip(classImages(['a', 'b'], 2));
    const path = join(dir, 'cut.zip');
    writeFileSync(path, bytes.subarray(0, bytes.length - 40));
    await assert.rejects(ZipArchive.open(path, 'cut.zip'), /cut\.zip is not a readable zip archive/);
  });

  test('rejects an entry whose data is corrupted', async () => {
    const bytes = buildZip([{ name: 'a.txt', data: Buffer.from('hello hello hello'), method: 0 }]);
    bytes[36] ^= 0xff;
    const path = join(dir, 'flipped.zip');
    writeFileSync(path, bytes);
    const archive = await ZipArchive.open(path, 'flipped.zip');
    try {
      await assert.rejects(
        archive.read(archive.entries[0]),
        /a\.txt in flipped\.zip cannot be read: its CRC-32 does not match/,
      );
    } finally {
      await archive.close();
    }
  });
});

describe('readImageFolderZip', () => {
  test('flat folders split stratified', async () => {
    const { dataset, layout } = await read(writeZip(classImages(['cat', 'dog', 'bird'], 10)), {
      testFraction: 0.2,
    });
    assert.equal(layout, 'flat');
    assert.deepEqual(dataset.classNames, ['bird', 'cat', 'dog']);
    assert.deepEqual(dataset.shape, [3, 4, 3]);
    assert.equal(dataset.train.count, 24);
    assert.equal(dataset.test.count, 6);
    for (const split of [dataset.train, dataset.test]) {
      const perClass = [0, 1, 2].map((label) => split.labels.filter((value) => value === label).length);
      assert.deepEqual(perClass, split === dataset.train ? [8, 8, 8] : [2, 2, 2]);
    }
  });

  test('same content in another order gives the same fingerprint', async () => {
    const entries = classImages(['cat', 'dog'], 5);
    const first = await read(writeZip(entries));
    const second = await read(writeZip([...entries].reverse()));
    assert.equal(datasetFingerprint(first.dataset), datasetFingerprint(second.dataset));
  });

  test('train and test folders are kept', async () => {
    const entries = [...classImages(['a', 'b'], 3, 'train/'), ...classImages(['a', 'b'], 2, 'test/')];
    const { dataset, layout } = await read(writeZip(entries));
    assert.equal(layout, 'train-test');
    assert.equal(dataset.train.count, 6);
    assert.equal(dataset.test.count, 4);
    assert.deepEqual([...dataset.test.labels], [0, 0, 1, 1]);
  });

  test('skips a wrapping folder and system files', async () => {
    const entries = [
      { name: 'mydata/' },
      ...classImages(['x', 'y'], 2, 'mydata/'),
      { name: 'mydata/x/.DS_Store', data: Buffer.from('junk') },
      { name: '__MACOSX/mydata/x/._000.png', data: Buffer.from('junk') },
    ];
    const { dataset } = await read(writeZip(entries));
    assert.deepEqual(dataset.classNames, ['x', 'y']);
    assert.equal(dataset.train.count + dataset.test.count, 4);
  });

  test('greyscale with opaque alpha keeps one channel', async () => {
    const opaque = (value: number) => pngOf(2, 2, 2, [value, 255, value, 255, value, 255, value, 255]);
    const { dataset } = await read(
      writeZip([
        { name: 'a/1.png', data: opaque(10) },
        { name: 'b/1.png', data: opaque(200) },
      ]),
    );
    assert.deepEqual(dataset.shape, [2, 2, 1]);
    assert.deepEqual(
      [...dataset.train.images, ...dataset.test.images].sort((p, q) => p - q),
      [10, 10, 10, 10, 200, 200, 200, 200],
    );
  });

  test('greyscale JPEGs keep one channel', async () => {
    const pixels = [0, 1, 2, 3].map((seed) => smoothPixels(1, seed));
    const entries = [
      { name: 'train/a/1.jpg', data: jpegOf(8, 6, 1, pixels[0]) },
      { name: 'train/b/1.jpeg', data: jpegOf(8, 6, 1, pixels[1]) },
      { name: 'test/a/1.JPG', data: jpegOf(8, 6, 1, pixels[2]) },
      { name: 'test/b/1.jpg', data: jpegOf(8, 6, 1, pixels[3]) },
    ];
    const { dataset } = await read(writeZip(entries));
    assert.deepEqual(dataset.shape, [6, 8, 1]);
    assert.deepEqual([...dataset.train.labels], [0, 1]);
    assert.deepEqual([...dataset.test.labels], [0, 1]);
    assertClose(dataset.train.images, [...pixels[0], ...pixels[1]], 4);
    assertClose(dataset.test.images, [...pixels[2], ...pixels[3]], 4);
  });

  test('colour JPEGs give RGB', async () => {
    const pixels = [0, 1, 2, 3].map((seed) => smoothPixels(3, seed));
    const entries = pixels.map((values, i) => ({
      name: `${i % 2 ? 'dog' : 'cat'}/${i}.jpg`,
      data: jpegOf(8, 6, 3, values, 95),
    }));
    const { dataset, layout } = await read(writeZip(entries), { testFraction: 0.5 });
    assert.equal(layout, 'flat');
    assert.deepEqual(dataset.classNames, ['cat', 'dog']);
    assert.deepEqual(dataset.shape, [6, 8, 3]);
    assert.equal(dataset.train.count, 2);
    assert.equal(dataset.test.count, 2);
    // Each stored image is close to exactly one source image of its class.
    for (const split of [dataset.train, dataset.test]) {
      for (let i = 0; i < split.count; i++) {
        const image = split.images.subarray(i * 144, (i + 1) * 144);
        const sources = pixels.filter(
          (values, index) =>
            index % 2 === split.labels[i] && values.every((v, k) => Math.abs(v - image[k]) <= 8),
        );
        assert.equal(sources.length, 1, `image ${i} with label ${split.labels[i]}`);
      }
    }
  });

  test('mixes PNG and JPEG images', async () => {
    const pixels = [0, 1, 2, 3, 4, 5].map((seed) => smoothPixels(3, seed));
    const entries = [
      { name: 'train/a/1.png', data: pngOf(8, 6, 3, pixels[0]) },
      { name: 'train/a/2.jpg', data: jpegOf(8, 6, 3, pixels[1], 95) },
      { name: 'train/b/1.jpeg', data: jpegOf(8, 6, 3, pixels[2], 95) },
      { name: 'train/b/2.png', data: pngOf(8, 6, 3, pixels[3]) },
      { name: 'test/a/1.jpg', data: jpegOf(8, 6, 3, pixels[4], 95) },
      { name: 'test/b/1.png', data: pngOf(8, 6, 3, pixels[5]) },
    ];
    const { dataset } = await read(writeZip(entries));
    assert.deepEqual(dataset.shape, [6, 8, 3]);
    assert.deepEqual([...dataset.train.labels], [0, 0, 1, 1]);
    assert.deepEqual([...dataset.test.labels], [0, 1]);
    assert.deepEqual([...dataset.train.images.subarray(0, 144)], pixels[0], 'PNG pixels are exact');
    assertClose(dataset.train.images.subarray(144, 288), pixels[1], 8);
    assertClose(dataset.test.images.subarray(0, 144), pixels[4], 8);
    assert.deepEqual([...dataset.test.images.subarray(144)], pixels[5]);
  });

  test('decodes by signature, not extension', async () => {
    const pixels = [0, 1].map((seed) => smoothPixels(1, seed));
    const entries = [
      { name: 'a/really-a-jpeg.png', data: jpegOf(8, 6, 1, pixels[0]) },
      { name: 'b/really-a-png.jpg', data: pngOf(8, 6, 1, pixels[1]) },
    ];
    const { dataset } = await read(writeZip(entries));
    assert.deepEqual(dataset.shape, [6, 8, 1]);
    const byLabel = [dataset.train, dataset.test].flatMap((split) =>
      Array.from({ length: split.count }, (_, i) => ({
        label: split.labels[i],
        image: split.images.subarray(i * 48, (i + 1) * 48),
      })),
    );
    const a = byLabel.find((item) => item.label === 0);
    const b = byLabel.find((item) => item.label === 1);
    assertClose(a?.image ?? [], pixels[0], 4);
    assert.deepEqual([...(b?.image ?? [])], pixels[1]);
  });

  test('IDX round trip keeps the fingerprint', async () => {
    const { dataset } = await read(writeZip(classImages(['a', 'b'], 4)));
    const target = makeTempDir();
    await writeIdxDataset(target, dataset);
    const loaded = await loadIdxDataset(target, { name: 'folder', classNames: dataset.classNames });
    assert.equal(datasetFingerprint(loaded), datasetFingerprint(dataset));
  });

  const unsafe: [string, TestZipEntry][] = [
    ['parent segment', { name: '../evil/1.png', data: patternPng(4, 3, 3, 1) }],
    ['nested parent segment', { name: 'a/../../1.png', data: patternPng(4, 3, 3, 1) }],
    ['backslash parent segment', { name: 'a\\..\\..\\1.png', data: patternPng(4, 3, 3, 1) }],
    ['absolute path', { name: '/tmp/a/1.png', data: patternPng(4, 3, 3, 1) }],
    ['drive letter', { name: 'C:/a/1.png', data: patternPng(4, 3, 3, 1) }],
    ['symbolic link', { name: 'a/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 }],
  ];
  for (const [name, entry] of unsafe) {
    test(`rejects ${name}`, async () => {
      await assertRejects(
        writeZip([...classImages(['a', 'b'], 2), entry]),
        /would write outside the upload folder/,
      );
    });
  }

  const invalid: [string, TestZipEntry[], RegExp][] = [
    [
      'one class',
      classImages(['only'], 3),
      /1 class folder\(s\) \("only"\), but a classification dataset needs at least 2/,
    ],
    [
      'empty class folder',
      [...classImages(['a', 'b'], 2), { name: 'c/' }],
      /class folder "c\/" has no images/,
    ],
    [
      'class missing from test',
      [...classImages(['a', 'b'], 2, 'train/'), ...classImages(['a'], 2, 'test/')],
      /"b" have no images in test\//,
    ],
    [
      'image outside a class folder',
      [...classImages(['a', 'b'], 2), { name: 'loose.png', data: patternPng(4, 3, 3, 9) }],
      /"loose\.png" is not directly inside a class folder/,
    ],
    [
      'text file',
      [...classImages(['a', 'b'], 2), { name: 'a/notes.txt', data: Buffer.from('hi') }],
      /"a\/notes\.txt" is not a PNG or JPEG image/,
    ],
    [
      'GIF image',
      [...classImages(['a', 'b'], 2), { name: 'a/anim.gif', data: Buffer.from('GIF89a') }],
      /"a\/anim\.gif" is not a PNG or JPEG image \(\.png, \.jpg or \.jpeg\)/,
    ],
    [
      'mixed sizes',
      [...classImages(['a', 'b'], 2), { name: 'b/wide.png', data: patternPng(5, 3, 3, 1) }],
      /"b\/wide\.png" is 5×3 pixels but "a\/000\.png" is 4×3/,
    ],
    [
      'mixed channels',
      [...classImages(['a', 'b'], 2), { name: 'b/grey.png', data: patternPng(4, 3, 1, 1) }],
      /"b\/grey\.png" is grey \(1 channel\(s\)\) but "a\/000\.png" is RGB \(3\)/,
    ],
    [
      'unreadable image',
      [...classImages(['a', 'b'], 2), { name: 'b/broken.png', data: Buffer.from('garbage') }],
      /"b\/broken\.png" is not a readable PNG or JPEG image: it starts with neither signature/,
    ],
    [
      'truncated image',
      [...classImages(['a', 'b'], 2), { name: 'b/cut.png', data: patternPng(4, 3, 3, 5).subarray(0, 50) }],
      /b\/cut\.png is not a readable PNG image: .*truncated/,
    ],
    [
      'truncated JPEG',
      [
        ...classImages(['a', 'b'], 2),
        { name: 'b/cut.jpg', data: jpegOf(4, 3, 3, smoothPixels(3, 1).slice(0, 36)).subarray(0, -8) },
      ],
      /b\/cut\.jpg is not a readable JPEG image: .*truncated.*Export the image again/,
    ],
    [
      'corrupted JPEG',
      [
        ...classImages(['a', 'b'], 2),
        { name: 'b/noise.jpeg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 2, 0x42, 0x42]) },
      ],
      /b\/noise\.jpeg is not a readable JPEG image: byte 6 should start a marker/,
    ],
    [
      'JPEG of another size',
      [...classImages(['a', 'b'], 2), { name: 'b/wide.jpg', data: jpegOf(5, 3, 3, new Array(45).fill(90)) }],
      /"b\/wide\.jpg" is 5×3 pixels but "a\/000\.png" is 4×3/,
    ],
    [
      'grey JPEG among RGB',
      [...classImages(['a', 'b'], 2), { name: 'b/grey.jpg', data: jpegOf(4, 3, 1, new Array(12).fill(90)) }],
      /"b\/grey\.jpg" is grey \(1 channel\(s\)\) but "a\/000\.png" is RGB \(3\)/,
    ],
    [
      'transparent pixels',
      [...classImages(['a', 'b'], 2), { name: 'b/alpha.png', data: pngOf(1, 1, 4, [1, 2, 3, 0]) }],
      /"b\/alpha\.png" has transparent pixels/,
    ],
    ['no images', [{ name: 'empty/' }], /contains no image/],
  ];
  for (const [name, entries, message] of invalid) {
    test(`rejects ${name}`, async () => {
      await assertRejects(writeZip(entries), message);
    });
  }

  test('rejects images above the pixel limit', async () => {
    await assertRejects(
      writeZip(classImages(['a', 'b'], 3)),
      /The 6 images of 4×3×3 pixels decode to 216 bytes, above the limit of 100/,
      {
        maxPixelBytes: 100,
      },
    );
  });

  test('rejects a JPEG above the pixel limit', async () => {
    const entries = ['a/1.jpg', 'b/1.jpg'].map((name) => ({
      name,
      data: jpegOf(4, 3, 3, new Array(36).fill(90)),
    }));
    await assertRejects(
      writeZip(entries),
      /a\/1\.jpg is 4×3 pixels with 3 channel\(s\), 36 bytes decoded, above the limit of 30/,
      {
        maxPixelBytes: 30,
      },
    );
  });

  test('rejects a test fraction of 1', async () => {
    await assert.rejects(
      read(writeZip(classImages(['a', 'b'], 3)), { testFraction: 1 }),
      /Invalid test fraction 1/,
    );
  });
});
