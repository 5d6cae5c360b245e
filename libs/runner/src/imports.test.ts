import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AkdError } from '@akd/core';
import { gatherImages, type ImageDataset } from '@akd/data';
import type { Dataset } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { accuracyFromLogits, predictLogits, saveModel } from '@akd/engine';
import { indexFingerprint, readLogitsFile } from '@akd/teachers';
import { npyBytes, rampMatrix } from '../../teachers/src/test-support.js';
import { registerDataset } from './datasets.js';
import { importTeacherLogits, importTeacherModel } from './imports.js';
import { artifactDir } from './paths.js';
import { ensureTeacherLogitsAnySource, fullSplitIndices } from './teacher-logits.js';
import { teacherArtifactDir } from './teacher-records.js';
import { makeTempDir, TINY_SHAPE, tinyDataset, tinyModel } from './teacher-test-support.js';

const CLASSES = 4;
let db: TestDatabase;
const dataset: ImageDataset = tinyDataset('tiny');
let datasetRow: Dataset;
let inputs: { dir: string; remove: () => void };
let data: { dir: string; remove: () => void };

before(async () => {
  await tf.setBackend('cpu');
  inputs = makeTempDir('akd-import-inputs-');
  data = makeTempDir('akd-import-data-');
  process.env.AKD_DATA_DIR = data.dir;
  db = await createTestDatabase();
  datasetRow = await registerDataset(
    db.prisma,
    { format: 'idx', name: 'tiny', path: '/nonexistent', reason: 'test' },
    dataset,
  );
});

after(async () => {
  await db.drop();
  inputs.remove();
  data.remove();
});

/** Writes an input file into the temporary input directory and returns its path. */
function writeInput(name: string, content: string | Buffer): string {
  const path = join(inputs.dir, name);
  writeFileSync(path, content);
  return path;
}

/** Returns test logits whose top-1 matches the label for the first `correct` rows only. */
function testLogits(correct: number): number[] {
  const values: number[] = [];
  for (let i = 0; i < dataset.test.count; i++) {
    const label = dataset.test.labels[i];
    const top = i < correct ? label : (label + 1) % CLASSES;
    for (let k = 0; k < CLASSES; k++) values.push(k === top ? 2 + i * 0.01 : -1 + k * 0.1);
  }
  return values;
}

function csvOf(values: number[], cols: number, separator: string, header?: string): string {
  const lines = header ? [header] : [];
  for (let start = 0; start < values.length; start += cols) {
    lines.push(values.slice(start, start + cols).join(separator));
  }
  return lines.join('\n') + '\n';
}

function jsonRows(values: number[], cols: number): number[][] {
  const rows: number[][] = [];
  for (let start = 0; start < values.length; start += cols) rows.push(values.slice(start, start + cols));
  return rows;
}

/** Asserts that no teacher row, artifact directory or staging directory exists for `name`. */
async function assertNothingLeft(name: string, row: Dataset = datasetRow): Promise<void> {
  const teacher = await db.prisma.teacher.findUnique({
    where: { datasetId_name: { datasetId: row.id, name } },
  });
  assert.equal(teacher, null, `no teacher row for ${name}`);
  assert.equal(existsSync(teacherArtifactDir(row, name)), false, `no artifact directory for ${name}`);
  const parent = join(artifactDir(), 'teachers', row.id);
  const stray = existsSync(parent) ? readdirSync(parent).filter((entry) => entry.startsWith(name)) : [];
  assert.deepEqual(stray, [], `no staging directory for ${name}`);
}

function rejects(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

const trainValues = rampMatrix(40, CLASSES);

describe('importTeacherLogits', () => {
  it('npy round trip with test', async () => {
    const teacher = await importTeacherLogits(db.prisma, datasetRow, dataset, {
      name: 'npy-both',
      trainPath: writeInput('train.npy', npyBytes(trainValues, [40, CLASSES], '<f4')),
      testPath: writeInput('test.npy', npyBytes(testLogits(15), [20, CLASSES], '>f8')),
    });
    assert.equal(teacher.source, 'imported_logits');
    assert.equal(teacher.status, 'ready');
    assert.equal(teacher.family, 'imported');
    assert.equal(teacher.testAccuracy, 0.75);
    assert.equal(teacher.artifactDir, teacherArtifactDir(datasetRow, 'npy-both'));
    assert.deepEqual(Object.keys(teacher.checksums as object).sort(), ['test.npy', 'train.npy']);
    assert.deepEqual(readdirSync(teacher.artifactDir ?? '').sort(), ['test.npy', 'train.npy']);

    const rows = await db.prisma.teacherLogits.findMany({
      where: { teacherId: teacher.id },
      orderBy: { split: 'asc' },
    });
    assert.deepEqual(
      rows.map((row) => [row.split, row.count, row.classes, row.indexFingerprint]),
      [
        ['test', 20, CLASSES, indexFingerprint(fullSplitIndices(20))],
        ['train', 40, CLASSES, indexFingerprint(fullSplitIndices(40))],
      ],
    );
    assert.deepEqual(Array.from(await readLogitsFile(rows[1].path, 40, CLASSES)), trainValues);
    assert.deepEqual(
      Array.from(await readLogitsFile(rows[0].path, 20, CLASSES)),
      testLogits(15).map(Math.fround),
    );
  });

  it('npy float64 big-endian without test', async () => {
    const teacher = await importTeacherLogits(db.prisma, datasetRow, dataset, {
      name: 'npy-train',
      trainPath: writeInput('train-be.npy', npyBytes(trainValues, [40, CLASSES], '>f8')),
    });
    assert.equal(teacher.testAccuracy, null);
    const rows = await db.prisma.teacherLogits.findMany({ where: { teacherId: teacher.id } });
    assert.deepEqual(
      rows.map((row) => row.split),
      ['train'],
    );
    assert.deepEqual(Array.from(await readLogitsFile(rows[0].path, 40, CLASSES)), trainValues);
  });

  it('csv with header and whitespace test', async () => {
    const trainPath = writeInput('train.csv', csvOf(trainValues, CLASSES, ',', 'c0,c1,c2,c3'));
    const testPath = writeInput('test.txt', csvOf(testLogits(10), CLASSES, '  '));
    const teacher = await importTeacherLogits(db.prisma, datasetRow, dataset, {
      name: 'csv',
      trainPath,
      testPath,
    });
    assert.equal(teacher.testAccuracy, 0.5);
    const train = await db.prisma.teacherLogits.findFirstOrThrow({
      where: { teacherId: teacher.id, split: 'train' },
    });
    assert.deepEqual(Array.from(await readLogitsFile(train.path, 40, CLASSES)), trainValues);
  });

  it('json array and json object', async () => {
    const arrays = await importTeacherLogits(db.prisma, datasetRow, dataset, {
      name: 'json-arrays',
      trainPath: writeInput('train.json', JSON.stringify(jsonRows(trainValues, CLASSES))),
      testPath: writeInput('test-only.json', JSON.stringify({ test: jsonRows(testLogits(20), CLASSES) })),
    });
    assert.equal(arrays.testAccuracy, 1);

    const object = await importTeacherLogits(db.prisma, datasetRow, dataset, {
      name: 'json-object',
      trainPath: writeInput(
        'both.json',
        JSON.stringify({ train: jsonRows(trainValues, CLASSES), test: jsonRows(testLogits(5), CLASSES) }),
      ),
    });
    assert.equal(object.testAccuracy, 0.25);
    const rows = await db.prisma.teacherLogits.findMany({ where: { teacherId: object.id } });
    assert.equal(rows.length, 2);
  });

  it('serves a subset from the full split', async () => {
    const teacher = await db.prisma.teacher.findUniqueOrThrow({
      where: { datasetId_name: { datasetId: datasetRow.id, name: 'npy-both' } },
    });
    const indices = Int32Array.from([5, 2, 39, 5]);
    const path = await ensureTeacherLogitsAnySource(db.prisma, teacher, dataset, 'train', indices);
    const expected = Array.from(indices).flatMap((i) => trainValues.slice(i * CLASSES, (i + 1) * CLASSES));
    assert.deepEqual(Array.from(await readLogitsFile(path, indices.length, CLASSES)), expected);

    const fullPath = await ensureTeacherLogitsAnySource(
      db.prisma,
      teacher,
      dataset,
      'train',
      fullSplitIndices(40),
    );
    assert.equal(
      fullPath,
      join(teacher.artifactDir ?? '', 'train.npy'),
      'the full split reads the imported file',
    );
  });

  it('has no test logits when none were imported', async () => {
    const teacher = await db.prisma.teacher.findUniqueOrThrow({
      where: { datasetId_name: { datasetId: datasetRow.id, name: 'npy-train' } },
    });
    await assert.rejects(
      ensureTeacherLogitsAnySource(db.prisma, teacher, dataset, 'test', fullSplitIndices(20)),
      rejects('NOT_FOUND', /Teacher npy-train has no imported test logits/),
    );
  });

  const withNaN = trainValues.slice();
  withNaN[3 * CLASSES + 1] = NaN;
  const infiniteCsv = csvOf(trainValues, CLASSES, ',').replace(
    csvOf(trainValues.slice(7 * CLASSES, 8 * CLASSES), CLASSES, ','),
    '1,2,inf,4\n',
  );
  const raggedCsv = csvOf(trainValues, CLASSES, ',').replace(
    csvOf(trainValues.slice(4 * CLASSES, 5 * CLASSES), CLASSES, ','),
    '1,2,3\n',
  );
  const raggedJson = jsonRows(trainValues, CLASSES);
  raggedJson[2] = [1, 2, 3, 4, 5];
  const badInputs: {
    name: string;
    train: [file: string, content: string | Buffer];
    test?: [file: string, content: string | Buffer];
    code: string;
    message: RegExp;
  }[] = [
    {
      name: 'bad-rows',
      train: ['rows.npy', npyBytes(trainValues.slice(0, 39 * CLASSES), [39, CLASSES], '<f4')],
      code: 'INVALID_FILE',
      message: /the train logits have 39 rows but the train split of tiny has 40 examples/,
    },
    {
      name: 'bad-classes',
      train: ['classes.npy', npyBytes(rampMatrix(40, 5), [40, 5], '<f4')],
      code: 'INVALID_FILE',
      message: /the train logits have 5 columns but tiny has 4 classes/,
    },
    {
      name: 'bad-nan',
      train: ['nan.npy', npyBytes(withNaN, [40, CLASSES], '<f8')],
      code: 'INVALID_FILE',
      message: /the train logits contain NaN at row 3, column 1/,
    },
    {
      name: 'bad-infinite',
      train: ['infinite.csv', infiniteCsv],
      code: 'INVALID_FILE',
      message: /contain an infinite value .* at row 7, column 2/,
    },
    {
      name: 'bad-ragged-csv',
      train: ['ragged.csv', raggedCsv],
      code: 'INVALID_FILE',
      message: /row 4 \(line 5\) has 3 values but row 0 has 4/,
    },
    {
      name: 'bad-ragged-json',
      train: ['ragged.json', JSON.stringify(raggedJson)],
      code: 'INVALID_FILE',
      message: /row 2 of the file has 5 values but row 0 has 4/,
    },
    {
      name: 'bad-dtype',
      train: ['int.npy', npyBytes(trainValues.map(Math.round), [40, CLASSES], '<i4')],
      code: 'INVALID_FILE',
      message: /has dtype '<i4'; logits must be float32 or float64/,
    },
    {
      name: 'bad-fortran',
      train: ['fortran.npy', npyBytes(trainValues, [40, CLASSES], '<f4', true)],
      code: 'INVALID_FILE',
      message: /is stored in Fortran \(column-major\) order/,
    },
    {
      name: 'bad-test-rows',
      train: ['good.npy', npyBytes(trainValues, [40, CLASSES], '<f4')],
      test: ['short-test.npy', npyBytes(testLogits(0).slice(0, 19 * CLASSES), [19, CLASSES], '<f4')],
      code: 'INVALID_FILE',
      message: /short-test\.npy: the test logits have 19 rows but the test split of tiny has 20 examples/,
    },
    {
      name: 'bad-test-twice',
      train: [
        'twice.json',
        JSON.stringify({ train: jsonRows(trainValues, CLASSES), test: jsonRows(testLogits(0), CLASSES) }),
      ],
      test: ['again.npy', npyBytes(testLogits(0), [20, CLASSES], '<f4')],
      code: 'INVALID_INPUT',
      message: /Test logits are given twice/,
    },
    {
      name: 'bad-no-train-key',
      train: ['test-key.json', JSON.stringify({ test: jsonRows(testLogits(0), CLASSES) })],
      code: 'INVALID_FILE',
      message: /test-key\.json has no "train" key/,
    },
    {
      name: 'bad-extension',
      train: ['logits.bin', 'whatever'],
      code: 'INVALID_INPUT',
      message: /Unsupported logits file .*logits\.bin/,
    },
  ];

  for (const bad of badInputs) {
    it(`rejects ${bad.name}`, async () => {
      const trainPath = writeInput(bad.train[0], bad.train[1]);
      const testPath = bad.test ? writeInput(bad.test[0], bad.test[1]) : undefined;
      await assert.rejects(
        importTeacherLogits(db.prisma, datasetRow, dataset, { name: bad.name, trainPath, testPath }),
        rejects(bad.code, bad.message),
      );
      await assertNothingLeft(bad.name);
    });
  }

  it('rejects a missing file', async () => {
    await assert.rejects(
      importTeacherLogits(db.prisma, datasetRow, dataset, {
        name: 'bad-missing',
        trainPath: join(inputs.dir, 'no.npy'),
      }),
      rejects('NOT_FOUND', /Cannot read logits file .*no\.npy/),
    );
    await assertNothingLeft('bad-missing');
  });

  it('rejects an invalid name', async () => {
    const trainPath = writeInput('named.npy', npyBytes(trainValues, [40, CLASSES], '<f4'));
    await assert.rejects(
      importTeacherLogits(db.prisma, datasetRow, dataset, { name: '../escape', trainPath }),
      rejects('INVALID_INPUT', /Invalid teacher name "\.\.\/escape"/),
    );
  });

  it('rejects a taken name and keeps the first', async () => {
    const trainPath = writeInput('taken.npy', npyBytes(trainValues, [40, CLASSES], '<f4'));
    const first = await importTeacherLogits(db.prisma, datasetRow, dataset, { name: 'taken', trainPath });
    await assert.rejects(
      importTeacherLogits(db.prisma, datasetRow, dataset, { name: 'taken', trainPath }),
      rejects('CONFLICT', /Dataset tiny already has a teacher named taken \(status ready\)/),
    );
    const firstReloaded = await db.prisma.teacher.findUniqueOrThrow({ where: { id: first.id } });
    assert.equal(firstReloaded.status, 'ready');
    assert.ok(existsSync(join(first.artifactDir ?? '', 'train.npy')));
  });

  it('removes the row when storing fails', async () => {
    const other = tinyDataset('blocked', { seed: 7 });
    const otherRow = await registerDataset(
      db.prisma,
      { format: 'idx', name: 'blocked', path: '/nonexistent', reason: 'test' },
      other,
    );
    // A file where the dataset's teacher directory belongs makes creating the staging directory fail.
    mkdirSync(join(artifactDir(), 'teachers'), { recursive: true });
    writeFileSync(join(artifactDir(), 'teachers', otherRow.id), 'not a directory');
    const trainPath = writeInput('blocked.npy', npyBytes(trainValues, [40, CLASSES], '<f4'));
    await assert.rejects(
      importTeacherLogits(db.prisma, otherRow, other, { name: 'blocked', trainPath }),
      /ENOTDIR|EEXIST/,
    );
    const teacher = await db.prisma.teacher.findUnique({
      where: { datasetId_name: { datasetId: otherRow.id, name: 'blocked' } },
    });
    assert.equal(teacher, null);
    rmSync(join(artifactDir(), 'teachers', otherRow.id));
  });
});

describe('importTeacherModel', () => {
  const indices = fullSplitIndices(20);

  async function savedModel(name: string, shape: [number, number, number], classes: number, softmax = false) {
    const dir = join(inputs.dir, name);
    const model = tinyModel(shape, classes, 3, softmax);
    await saveModel(model, dir);
    return { dir, model };
  }

  it('round trip evaluates and copies', async () => {
    const { dir, model } = await savedModel('model-a', TINY_SHAPE, CLASSES);
    const teacher = await importTeacherModel(db.prisma, datasetRow, dataset, {
      name: 'model-a',
      modelDir: dir,
    });
    const logits = predictLogits(model, gatherImages(dataset.test, indices), TINY_SHAPE);
    const expected = accuracyFromLogits(logits, dataset.test.labels);

    assert.equal(teacher.source, 'imported_model');
    assert.equal(teacher.status, 'ready');
    assert.equal(teacher.testAccuracy, expected.top1);
    assert.equal(teacher.testTop5, expected.top5);
    assert.equal(teacher.params, BigInt(model.countParams()));
    assert.ok((teacher.flops ?? 0n) > 0n);
    assert.deepEqual(readdirSync(teacher.artifactDir ?? '').sort(), ['model.json', 'weights.bin']);
    assert.deepEqual(Object.keys(teacher.checksums as object).sort(), ['model.json', 'weights.bin']);

    const subset = Int32Array.from([3, 0, 17]);
    const path = await ensureTeacherLogitsAnySource(db.prisma, teacher, dataset, 'train', subset);
    const direct = predictLogits(model, gatherImages(dataset.train, subset), TINY_SHAPE);
    const cached = await readLogitsFile(path, subset.length, CLASSES);
    cached.forEach((value, i) => assert.ok(Math.abs(value - direct[i]) < 1e-5, `logit ${i}`));
    model.dispose();
  });

  it('copies every shard of a sharded model', async () => {
    const { dir, model } = await savedModel('model-sharded', TINY_SHAPE, CLASSES);
    const weights = readFileSync(join(dir, 'weights.bin'));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    mkdirSync(join(dir, 'shards'));
    writeFileSync(join(dir, 'shards', 'group1-shard1of2.bin'), weights.subarray(0, 100));
    writeFileSync(join(dir, 'shards', 'group1-shard2of2.bin'), weights.subarray(100));
    rmSync(join(dir, 'weights.bin'));
    json.weightsManifest[0].paths = ['./shards/group1-shard1of2.bin', './shards/group1-shard2of2.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));

    const teacher = await importTeacherModel(db.prisma, datasetRow, dataset, {
      name: 'model-sharded',
      modelDir: dir,
      family: 'tiny-cnn',
    });
    assert.equal(teacher.family, 'tiny-cnn');
    assert.deepEqual(Object.keys(teacher.checksums as object).sort(), [
      'model.json',
      'shards/group1-shard1of2.bin',
      'shards/group1-shard2of2.bin',
    ]);
    const logits = predictLogits(model, gatherImages(dataset.test, indices), TINY_SHAPE);
    assert.equal(teacher.testAccuracy, accuracyFromLogits(logits, dataset.test.labels).top1);
    model.dispose();
  });

  it('rejects a wrong input shape', async () => {
    const { dir, model } = await savedModel('model-rgb', [8, 8, 3], CLASSES);
    model.dispose();
    await assert.rejects(
      importTeacherModel(db.prisma, datasetRow, dataset, { name: 'model-rgb', modelDir: dir }),
      rejects(
        'INVALID_FILE',
        /takes inputs of shape \[8, 8, 3\] but dataset tiny has images of shape \[8, 8, 1\]/,
      ),
    );
    await assertNothingLeft('model-rgb');
  });

  it('rejects a wrong class count', async () => {
    const { dir, model } = await savedModel('model-five', TINY_SHAPE, 5);
    model.dispose();
    await assert.rejects(
      importTeacherModel(db.prisma, datasetRow, dataset, { name: 'model-five', modelDir: dir }),
      rejects('INVALID_FILE', /outputs 5 values per example but dataset tiny has 4 classes/),
    );
    await assertNothingLeft('model-five');
  });

  it('rejects a final softmax', async () => {
    const { dir, model } = await savedModel('model-softmax', TINY_SHAPE, CLASSES, true);
    model.dispose();
    await assert.rejects(
      importTeacherModel(db.prisma, datasetRow, dataset, { name: 'model-softmax', modelDir: dir }),
      rejects('INVALID_FILE', /ends with a softmax/),
    );
    await assertNothingLeft('model-softmax');
  });

  it('names a missing shard', async () => {
    const { dir, model } = await savedModel('model-noshard', TINY_SHAPE, CLASSES);
    model.dispose();
    rmSync(join(dir, 'weights.bin'));
    await assert.rejects(
      importTeacherModel(db.prisma, datasetRow, dataset, { name: 'model-noshard', modelDir: dir }),
      rejects('INVALID_FILE', /Weight shard "\.\/weights\.bin" named by .* is missing/),
    );
    await assertNothingLeft('model-noshard');
  });

  it('rejects a directory without model.json', async () => {
    await assert.rejects(
      importTeacherModel(db.prisma, datasetRow, dataset, {
        name: 'model-none',
        modelDir: join(inputs.dir, 'none'),
      }),
      rejects('INVALID_FILE', /Cannot read .*model\.json/),
    );
    await assertNothingLeft('model-none');
  });
});
