import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { AkdError } from '@akd/core';

import { datasetFingerprint } from './dataset.js';
import { loadIdxDataset, writeIdxDataset } from './idx-dataset.js';
import { readImageFolderZip, type ImageFolderOptions } from './image-folder.js';
import { makeTempDir } from './test-support.js';
import { buildZip, patternPng, pngOf, type TestZipEntry } from './testing.js';
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

function read(path: string, options: Partial<ImageFolderOptions> = {}) {
  return readImageFolderZip(path, 'upload.zip', { name: 'folder', ...options });
}

async function assertRejects(path: string, message: RegExp, options: Partial<ImageFolderOptions> = {}): Promise<void> {
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
    const archive = await ZipArchive.open(writeZip([{ name: 'link', data: Buffer.from('/etc'), mode: 0o120777 }]), 't.zip');
    try {
      assert.equal(archive.entries[0].kind, 'symlink');
    } finally {
      await archive.close();
    }
  });

  test('rejects a file that is not a zip', async () => {
    const path = join(dir, 'plain.zip');
    writeFileSync(path, 'just some text');
    await assert.rejects(ZipArchive.open(path, 'plain.zip'), /plain\.zip is not a readable zip archive: it has no end of central directory record/);
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
      await assert.rejects(archive.read(archive.entries[0]), /a\.txt in flipped\.zip cannot be read: its CRC-32 does not match/);
    } finally {
      await archive.close();
    }
  });
});

describe('readImageFolderZip', () => {
  test('flat folders split stratified', async () => {
    const { dataset, layout } = await read(writeZip(classImages(['cat', 'dog', 'bird'], 10)), { testFraction: 0.2 });
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
    assert.deepEqual([...dataset.train.images, ...dataset.test.images].sort((p, q) => p - q), [10, 10, 10, 10, 200, 200, 200, 200]);
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
      await assertRejects(writeZip([...classImages(['a', 'b'], 2), entry]), /would write outside the upload folder/);
    });
  }

  const invalid: [string, TestZipEntry[], RegExp][] = [
    ['one class', classImages(['only'], 3), /1 class folder\(s\) \("only"\), but a classification dataset needs at least 2/],
    ['empty class folder', [...classImages(['a', 'b'], 2), { name: 'c/' }], /class folder "c\/" has no images/],
    [
      'class missing from test',
      [...classImages(['a', 'b'], 2, 'train/'), ...classImages(['a'], 2, 'test/')],
      /"b" have no images in test\//,
    ],
    ['image outside a class folder', [...classImages(['a', 'b'], 2), { name: 'loose.png', data: patternPng(4, 3, 3, 9) }], /"loose\.png" is not directly inside a class folder/],
    ['text file', [...classImages(['a', 'b'], 2), { name: 'a/notes.txt', data: Buffer.from('hi') }], /"a\/notes\.txt" is not a PNG image/],
    ['JPEG image', [...classImages(['a', 'b'], 2), { name: 'a/photo.jpg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0]) }], /JPEG decoding is not supported yet/],
    ['mixed sizes', [...classImages(['a', 'b'], 2), { name: 'b/wide.png', data: patternPng(5, 3, 3, 1) }], /"b\/wide\.png" is 5×3 pixels but "a\/000\.png" is 4×3/],
    ['mixed channels', [...classImages(['a', 'b'], 2), { name: 'b/grey.png', data: patternPng(4, 3, 1, 1) }], /"b\/grey\.png" is grey \(1 channel\(s\)\) but "a\/000\.png" is RGB \(3\)/],
    ['unreadable image', [...classImages(['a', 'b'], 2), { name: 'b/broken.png', data: Buffer.from('garbage') }], /"b\/broken\.png" is not a readable PNG image/],
    [
      'truncated image',
      [...classImages(['a', 'b'], 2), { name: 'b/cut.png', data: patternPng(4, 3, 3, 5).subarray(0, 50) }],
      /b\/cut\.png is not a readable PNG image: .*truncated/,
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
    await assertRejects(writeZip(classImages(['a', 'b'], 3)), /The 6 images of 4×3×3 pixels decode to 216 bytes, above the limit of 100/, {
      maxPixelBytes: 100,
    });
  });

  test('rejects a test fraction of 1', async () => {
    await assert.rejects(read(writeZip(classImages(['a', 'b'], 3)), { testFraction: 1 }), /Invalid test fraction 1/);
  });
});
