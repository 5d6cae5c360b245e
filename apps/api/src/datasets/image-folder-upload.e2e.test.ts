import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { datasetFingerprint, loadDatasetAt } from '@akd/data';
import { buildZip, jpegOf, patternPng, pngOf, type TestZipEntry } from '@akd/data/testing';
import { datasetLocation } from '@akd/runner';
import { startTestApi, type TestApi } from '../testing/harness.js';

const UPLOAD_LIMIT = 64 * 1024;

interface UploadReply {
  status: number;
  body: { dataset?: Record<string, unknown> & { id: string }; error?: { code: string; message: string } };
}

/** `perClass` 6×5 RGB images in each class folder, under `prefix`. */
function classImages(classes: string[], perClass: number, prefix = ''): TestZipEntry[] {
  return classes.flatMap((name, label) =>
    Array.from({ length: perClass }, (_, i) => ({
      name: `${prefix}${name}/img-${i}.png`,
      data: patternPng(6, 5, 3, label * 50 + i),
    })),
  );
}

describe('image-folder dataset upload', () => {
  let api: TestApi;

  before(async () => {
    api = await startTestApi({ uploadMaxBytes: UPLOAD_LIMIT });
  });

  after(() => api.close());

  async function upload(
    files: { name: string; data: Uint8Array }[],
    fields: Record<string, string> = {},
  ): Promise<UploadReply> {
    const form = new FormData();
    form.set('name', fields.name ?? 'folder-upload');
    for (const [key, value] of Object.entries(fields)) if (key !== 'name') form.set(key, value);
    for (const file of files) form.append('file', new Blob([file.data]), file.name);
    const response = await fetch(`${api.url}/api/datasets`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${api.editorToken}` },
    });
    return { status: response.status, body: (await response.json()) as UploadReply['body'] };
  }

  const uploadZip = (entries: TestZipEntry[], fields: Record<string, string> = {}) =>
    upload([{ name: 'images.zip', data: buildZip(entries) }], fields);

  async function storedFolders(): Promise<string[]> {
    return readdir(join(api.config.dataDir, 'datasets')).catch(() => []);
  }

  async function stagingLeftovers(): Promise<string[]> {
    return readdir(join(api.config.dataDir, 'uploads')).catch(() => []);
  }

  it('registers flat class folders as IDX', async () => {
    const reply = await uploadZip(classImages(['zebra', 'apple', 'mango'], 5), { name: 'fruit' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const dataset = reply.body.dataset as Record<string, unknown> & { id: string };
    assert.equal(dataset.kind, 'idx');
    assert.deepEqual(dataset.classNames, ['apple', 'mango', 'zebra']);
    assert.equal(dataset.numClasses, 3);
    assert.deepEqual([dataset.inputHeight, dataset.inputWidth, dataset.inputChannels], [5, 6, 3]);
    assert.equal(dataset.trainCount, 12);
    assert.equal(dataset.testCount, 3);

    const row = await api.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } });
    assert.deepEqual((await readdir(row.directory)).sort(), [
      't10k-images-idx3-ubyte.gz',
      't10k-labels-idx1-ubyte.gz',
      'train-images-idx3-ubyte.gz',
      'train-labels-idx1-ubyte.gz',
    ]);
    const loaded = await loadDatasetAt(datasetLocation(row));
    assert.equal(datasetFingerprint(loaded), row.fingerprint, 'workers load the same contents');
    assert.deepEqual(await stagingLeftovers(), []);
  });

  it('keeps train and test folders', async () => {
    const entries = [
      ...classImages(['cat', 'dog'], 3, 'pets/train/'),
      ...classImages(['cat', 'dog'], 2, 'pets/test/'),
    ];
    const reply = await uploadZip(entries, { name: 'pets', format: 'image-folder' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    assert.equal(reply.body.dataset?.trainCount, 6);
    assert.equal(reply.body.dataset?.testCount, 4);
    assert.deepEqual(reply.body.dataset?.classNames, ['cat', 'dog']);
  });

  it('returns the registered dataset for the same images', async () => {
    const reply = await uploadZip([...classImages(['zebra', 'apple', 'mango'], 5)].reverse(), {
      name: 'again',
    });
    assert.equal(reply.status, 200);
    assert.equal(reply.body.dataset?.name, 'fruit');
  });

  it('registers PNG and JPEG images together', async () => {
    const uniform = (value: number) => new Array<number>(6 * 5 * 3).fill(value);
    const entries = [
      ...classImages(['png-a', 'png-b'], 2),
      { name: 'png-a/photo-1.jpg', data: jpegOf(6, 5, 3, uniform(40)) },
      { name: 'png-b/photo-1.jpeg', data: jpegOf(6, 5, 3, uniform(220)) },
    ];
    const reply = await uploadZip(entries, { name: 'mixed-formats', testFraction: '0.34' });
    assert.equal(reply.status, 201, JSON.stringify(reply.body));
    const dataset = reply.body.dataset as Record<string, unknown> & { id: string };
    assert.deepEqual(dataset.classNames, ['png-a', 'png-b']);
    assert.deepEqual([dataset.inputHeight, dataset.inputWidth, dataset.inputChannels], [5, 6, 3]);
    assert.equal(dataset.trainCount, 4);
    assert.equal(dataset.testCount, 2);

    // The uniform JPEGs survive the IDX conversion within a few levels of their colour.
    const row = await api.prisma.dataset.findUniqueOrThrow({ where: { id: dataset.id } });
    const loaded = await loadDatasetAt(datasetLocation(row));
    assert.equal(datasetFingerprint(loaded), row.fingerprint);
    const images = [loaded.train, loaded.test].flatMap((split) =>
      Array.from({ length: split.count }, (_, i) => split.images.subarray(i * 90, (i + 1) * 90)),
    );
    const uniformImages = images.filter((image) => image.every((value) => Math.abs(value - image[0]) <= 3));
    assert.deepEqual(
      uniformImages.map((image) => Math.round(image[0] / 10) * 10).sort((a, b) => a - b),
      [40, 220],
    );
    assert.deepEqual(await stagingLeftovers(), []);
  });

  const good = (): TestZipEntry[] => classImages(['a', 'b'], 3);
  const invalid: [
    string,
    () => { name: string; data: Uint8Array }[],
    Record<string, string>,
    number,
    RegExp,
  ][] = [
    [
      'a file that is not a zip',
      () => [{ name: 'data.zip', data: Buffer.from('plain text, no archive') }],
      {},
      422,
      /data\.zip is not a readable zip archive/,
    ],
    [
      'a truncated zip',
      () => [{ name: 'cut.zip', data: buildZip(good()).subarray(0, 300) }],
      {},
      422,
      /cut\.zip is not a readable zip archive/,
    ],
    [
      'a zip above the upload limit',
      () => [
        {
          name: 'big.zip',
          data: buildZip([
            ...good(),
            { name: 'a/noise.png', data: Buffer.alloc(UPLOAD_LIMIT + 1, 7), method: 0 },
          ]),
        },
      ],
      {},
      413,
      /exceeds the upload limit of 65536 bytes/,
    ],
    [
      'a ../ path',
      () => [
        {
          name: 'slip.zip',
          data: buildZip([...good(), { name: '../../escape/1.png', data: patternPng(6, 5, 3, 1) }]),
        },
      ],
      {},
      422,
      /"\.\.\/\.\.\/escape\/1\.png" contains a "\.\." segment/,
    ],
    [
      'an absolute path',
      () => [
        {
          name: 'abs.zip',
          data: buildZip([...good(), { name: '/etc/cron.d/x.png', data: patternPng(6, 5, 3, 1) }]),
        },
      ],
      {},
      422,
      /"\/etc\/cron\.d\/x\.png" is an absolute path/,
    ],
    [
      'a symbolic link',
      () => [
        {
          name: 'link.zip',
          data: buildZip([
            ...good(),
            { name: 'a/link.png', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
          ]),
        },
      ],
      {},
      422,
      /"a\/link\.png" is a symbolic link/,
    ],
    [
      'images of mixed sizes',
      () => [
        {
          name: 'sizes.zip',
          data: buildZip([...good(), { name: 'b/small.png', data: patternPng(3, 3, 3, 1) }]),
        },
      ],
      {},
      422,
      /"b\/small\.png" is 3×3 pixels but "a\/img-0\.png" is 6×5/,
    ],
    [
      'images of mixed channels',
      () => [
        {
          name: 'grey.zip',
          data: buildZip([...good(), { name: 'b/grey.png', data: patternPng(6, 5, 1, 1) }]),
        },
      ],
      {},
      422,
      /"b\/grey\.png" is grey \(1 channel\(s\)\) but "a\/img-0\.png" is RGB \(3\)/,
    ],
    [
      'an unreadable image',
      () => [
        {
          name: 'junk.zip',
          data: buildZip([...good(), { name: 'b/junk.png', data: Buffer.from('not a png') }]),
        },
      ],
      {},
      422,
      /"b\/junk\.png" is not a readable PNG or JPEG image/,
    ],
    [
      'a truncated image',
      () => [
        {
          name: 'half.zip',
          data: buildZip([...good(), { name: 'b/half.png', data: patternPng(6, 5, 3, 2).subarray(0, 60) }]),
        },
      ],
      {},
      422,
      /b\/half\.png is not a readable PNG image: .*truncated/,
    ],
    [
      'one class',
      () => [{ name: 'one.zip', data: buildZip(classImages(['solo'], 4)) }],
      {},
      422,
      /1 class folder\(s\) \("solo"\), but a classification dataset needs at least 2/,
    ],
    [
      'an empty class',
      () => [{ name: 'empty.zip', data: buildZip([...good(), { name: 'c/' }]) }],
      {},
      422,
      /class folder "c\/" has no images/,
    ],
    [
      'a truncated JPEG image',
      () => [
        {
          name: 'jpeg.zip',
          data: buildZip([
            ...good(),
            { name: 'a/photo.jpeg', data: jpegOf(6, 5, 3, new Array(90).fill(128)).subarray(0, -8) },
          ]),
        },
      ],
      {},
      422,
      /a\/photo\.jpeg is not a readable JPEG image: .*truncated.*Export the image again/,
    ],
    [
      'a JPEG image of another size',
      () => [
        {
          name: 'jpeg-size.zip',
          data: buildZip([
            ...good(),
            { name: 'b/photo.jpg', data: jpegOf(5, 5, 3, new Array(75).fill(128)) },
          ]),
        },
      ],
      {},
      422,
      /"b\/photo\.jpg" is 5×5 pixels but "a\/img-0\.png" is 6×5/,
    ],
    [
      'a file that is neither PNG nor JPEG',
      () => [
        {
          name: 'gif.zip',
          data: buildZip([...good(), { name: 'b/anim.gif', data: Buffer.from('GIF89a') }]),
        },
      ],
      {},
      422,
      /"b\/anim\.gif" is not a PNG or JPEG image/,
    ],
    [
      'transparent pixels',
      () => [
        {
          name: 'alpha.zip',
          data: buildZip([...good(), { name: 'b/clear.png', data: pngOf(6, 5, 4, new Array(120).fill(0)) }]),
        },
      ],
      {},
      422,
      /"b\/clear\.png" has transparent pixels/,
    ],
    [
      'a test fraction of 0',
      () => [{ name: 'ok.zip', data: buildZip(good()) }],
      { testFraction: '0' },
      400,
      /Invalid testFraction "0"/,
    ],
    [
      'classNames with a zip',
      () => [{ name: 'ok.zip', data: buildZip(good()) }],
      { classNames: 'x,y' },
      400,
      /classNames applies to IDX uploads only/,
    ],
    [
      'a zip with other files',
      () => [
        { name: 'ok.zip', data: buildZip(good()) },
        { name: 'train-labels-idx1-ubyte', data: Buffer.from('x') },
      ],
      {},
      400,
      /exactly one \.zip file, got ok\.zip, train-labels-idx1-ubyte/,
    ],
    [
      'a zip with format idx',
      () => [{ name: 'ok.zip', data: buildZip(good()) }],
      { format: 'idx' },
      400,
      /format is "idx"/,
    ],
  ];
  for (const [name, files, fields, status, message] of invalid) {
    it(`rejects ${name}`, async () => {
      const datasetsBefore = await api.prisma.dataset.count();
      const foldersBefore = await storedFolders();
      const reply = await upload(files(), { name: 'rejected', ...fields });
      assert.equal(reply.status, status, JSON.stringify(reply.body));
      assert.match(reply.body.error?.message ?? '', message);
      assert.ok(
        !(reply.body.error?.message ?? '').includes(api.config.dataDir),
        'no server path in the message',
      );
      assert.equal(await api.prisma.dataset.count(), datasetsBefore, 'no dataset is recorded');
      assert.deepEqual(await storedFolders(), foldersBefore, 'no dataset folder is written');
      assert.deepEqual(await stagingLeftovers(), [], 'the staging folder is removed');
    });
  }
});
