import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AkdError, Rng } from '@akd/core';
import { gatherImages, type ImageDataset } from '@akd/data';
import type { Dataset, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { accuracyFromLogits, predictLogits, saveModel } from '@akd/engine';
import { encodeNpy, readLogitsFile } from '@akd/teachers';
import { npyBytes } from '../../teachers/src/test-support.js';
import { registerDataset } from './datasets.js';
import { createEnsembleTeacher } from './ensembles.js';
import { importTeacherLogits, importTeacherModel } from './imports.js';
import { ensureTeacherLogits } from './logits.js';
import { ensureTeacherLogitsAnySource, fullSplitIndices } from './teacher-logits.js';
import { makeTempDir, TINY_SHAPE, tinyDataset, tinyModel } from './teacher-test-support.js';

const CLASSES = 4;
const dataset: ImageDataset = tinyDataset('tiny');
const otherDataset: ImageDataset = tinyDataset('other', { seed: 5 });
let db: TestDatabase;
let datasetRow: Dataset;
let otherRow: Dataset;
let inputs: { dir: string; remove: () => void };
let data: { dir: string; remove: () => void };

/** Logits of the teachers imported in `before`, by teacher name and split. */
const importedLogits = new Map<string, { train: number[]; test: number[] }>();
let teacherA: Teacher;
let teacherB: Teacher;
let trainOnly: Teacher;
let modelTeacher: Teacher;
let otherTeacher: Teacher;
let failedTeacher: Teacher;

function randomLogits(rows: number, seed: number): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: rows * CLASSES }, () => Math.fround(rng.next() * 6 - 3));
}

async function importRandom(row: Dataset, set: ImageDataset, name: string, seed: number, withTest = true) {
  const train = randomLogits(set.train.count, seed);
  const test = randomLogits(set.test.count, seed + 1000);
  importedLogits.set(name, { train, test });
  const trainPath = join(inputs.dir, `${name}-train.npy`);
  const testPath = join(inputs.dir, `${name}-test.npy`);
  writeFileSync(trainPath, npyBytes(train, [set.train.count, CLASSES], '<f4'));
  writeFileSync(testPath, npyBytes(test, [set.test.count, CLASSES], '<f4'));
  return importTeacherLogits(db.prisma, row, set, {
    name,
    trainPath,
    testPath: withTest ? testPath : undefined,
  });
}

/** Returns the logits imported for teacher `name` in `before`. */
function logitsOf(name: string): { train: number[]; test: number[] } {
  const logits = importedLogits.get(name);
  assert.ok(logits, `logits of ${name} were imported`);
  return logits;
}

function rowsOf(values: readonly number[], indices: ArrayLike<number>): number[] {
  return Array.from(indices).flatMap((i) => values.slice(i * CLASSES, (i + 1) * CLASSES));
}

function mean(...members: (readonly number[])[]): number[] {
  return members[0].map((_, i) => members.reduce((sum, member) => sum + member[i], 0) / members.length);
}

function assertClose(actual: ArrayLike<number>, expected: readonly number[], message: string): void {
  assert.equal(actual.length, expected.length, `${message}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) < 1e-5,
      `${message}: value ${i} is ${actual[i]}, not ${expected[i]}`,
    );
  }
}

function rejects(code: string, pattern: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

before(async () => {
  await tf.setBackend('cpu');
  inputs = makeTempDir('akd-ensemble-inputs-');
  data = makeTempDir('akd-ensemble-data-');
  process.env.AKD_DATA_DIR = data.dir;
  db = await createTestDatabase();
  const location = { format: 'idx' as const, path: '/nonexistent', reason: 'test' };
  datasetRow = await registerDataset(db.prisma, { ...location, name: 'tiny' }, dataset);
  otherRow = await registerDataset(db.prisma, { ...location, name: 'other' }, otherDataset);

  teacherA = await importRandom(datasetRow, dataset, 'a', 1);
  teacherB = await importRandom(datasetRow, dataset, 'b', 2);
  trainOnly = await importRandom(datasetRow, dataset, 'train-only', 3, false);
  otherTeacher = await importRandom(otherRow, otherDataset, 'elsewhere', 4);
  const modelDir = join(inputs.dir, 'model');
  const model = tinyModel(TINY_SHAPE, CLASSES, 9);
  await saveModel(model, modelDir);
  model.dispose();
  modelTeacher = await importTeacherModel(db.prisma, datasetRow, dataset, { name: 'model', modelDir });
  failedTeacher = await db.prisma.teacher.create({
    data: {
      datasetId: datasetRow.id,
      name: 'failed',
      source: 'zoo',
      family: 'resnet',
      config: {},
      trainingSettings: {},
      status: 'failed',
    },
  });
});

after(async () => {
  await db.drop();
  inputs.remove();
  data.remove();
});

describe('createEnsembleTeacher', () => {
  it('averages member logits by hand', async () => {
    const ensemble = await createEnsembleTeacher(db.prisma, {
      name: 'ab',
      memberIds: [teacherA.id, teacherB.id],
      dataset,
    });
    const a = logitsOf('a');
    const b = logitsOf('b');
    const expectedTest = mean(a.test, b.test);

    assert.equal(ensemble.source, 'ensemble');
    assert.equal(ensemble.status, 'ready');
    assert.deepEqual(ensemble.members, [teacherA.id, teacherB.id]);
    assert.equal(
      ensemble.testAccuracy,
      accuracyFromLogits(Float32Array.from(expectedTest), dataset.test.labels).top1,
    );

    // The averaged test logits are cached, so the model-only cache lookup finds them too.
    const testPath = await ensureTeacherLogits(db.prisma, ensemble, dataset, 'test', fullSplitIndices(20));
    assertClose(await readLogitsFile(testPath, 20, CLASSES), expectedTest, 'test logits');

    const indices = Int32Array.from([0, 7, 39, 7]);
    const trainPath = await ensureTeacherLogitsAnySource(db.prisma, ensemble, dataset, 'train', indices);
    assertClose(
      await readLogitsFile(trainPath, indices.length, CLASSES),
      mean(rowsOf(a.train, indices), rowsOf(b.train, indices)),
      'train subset logits',
    );
  });

  it('averages a model and logits', async () => {
    const ensemble = await createEnsembleTeacher(db.prisma, {
      name: 'model-a',
      memberIds: [modelTeacher.id, teacherA.id],
      dataset,
    });
    assert.equal(ensemble.params, null, 'imported logits have no parameter count, so the sum is unknown');
    const model = tinyModel(TINY_SHAPE, CLASSES, 9);
    const indices = Int32Array.from([1, 2, 3]);
    const modelLogits = Array.from(predictLogits(model, gatherImages(dataset.train, indices), TINY_SHAPE));
    model.dispose();
    const a = logitsOf('a');

    const path = await ensureTeacherLogitsAnySource(db.prisma, ensemble, dataset, 'train', indices);
    assertClose(
      await readLogitsFile(path, 3, CLASSES),
      mean(modelLogits, rowsOf(a.train, indices)),
      'logits',
    );
  });

  it('nests an ensemble as a member', async () => {
    const ab = await db.prisma.teacher.findUniqueOrThrow({
      where: { datasetId_name: { datasetId: datasetRow.id, name: 'ab' } },
    });
    const nested = await createEnsembleTeacher(db.prisma, {
      name: 'ab-b',
      memberIds: [ab.id, teacherB.id],
      dataset,
    });
    const a = logitsOf('a');
    const b = logitsOf('b');
    const indices = Int32Array.from([4, 5]);
    const path = await ensureTeacherLogitsAnySource(db.prisma, nested, dataset, 'train', indices);
    const expected = mean(mean(rowsOf(a.train, indices), rowsOf(b.train, indices)), rowsOf(b.train, indices));
    assertClose(await readLogitsFile(path, 2, CLASSES), expected, 'nested logits');
  });

  it('has no test accuracy without member test logits', async () => {
    const ensemble = await createEnsembleTeacher(db.prisma, {
      name: 'a-train-only',
      memberIds: [teacherA.id, trainOnly.id],
      dataset,
    });
    assert.equal(ensemble.status, 'ready');
    assert.equal(ensemble.testAccuracy, null);
    const path = await ensureTeacherLogitsAnySource(
      db.prisma,
      ensemble,
      dataset,
      'train',
      fullSplitIndices(40),
    );
    assert.equal((await readLogitsFile(path, 40, CLASSES)).length, 40 * CLASSES);
  });

  it('recomputes after a member changes', async () => {
    const ensemble = await db.prisma.teacher.findUniqueOrThrow({
      where: { datasetId_name: { datasetId: datasetRow.id, name: 'ab' } },
    });
    const indices = Int32Array.from([2, 3]);
    const b = logitsOf('b');
    await ensureTeacherLogitsAnySource(db.prisma, ensemble, dataset, 'train', indices);

    // Replace a's logits the way a retrain would: new file, its cached subsets dropped, row updated.
    const replaced = randomLogits(40, 77);
    writeFileSync(
      join(teacherA.artifactDir ?? '', 'train.npy'),
      encodeNpy(Float32Array.from(replaced), 40, CLASSES),
    );
    await db.prisma.teacherLogits.deleteMany({ where: { teacherId: teacherA.id, count: { not: 40 } } });
    await db.prisma.teacher.update({ where: { id: teacherA.id }, data: { error: null } });

    const path = await ensureTeacherLogitsAnySource(db.prisma, ensemble, dataset, 'train', indices);
    assertClose(
      await readLogitsFile(path, 2, CLASSES),
      mean(rowsOf(replaced, indices), rowsOf(b.train, indices)),
      'recomputed logits',
    );
  });

  const cases: { name: string; ids: () => string[]; code: string; message: RegExp }[] = [
    {
      name: 'one-member',
      ids: () => [teacherA.id],
      code: 'INVALID_INPUT',
      message: /at least 2 member teachers, but 1 was given/,
    },
    {
      name: 'duplicate',
      ids: () => [teacherA.id, teacherB.id, teacherA.id],
      code: 'INVALID_INPUT',
      message: /Teacher a \(.*\) is listed twice/,
    },
    {
      name: 'not-ready',
      ids: () => [teacherA.id, failedTeacher.id],
      code: 'INVALID_INPUT',
      message: /Teacher failed is failed, not ready/,
    },
    {
      name: 'two-datasets',
      ids: () => [teacherA.id, otherTeacher.id],
      code: 'INVALID_INPUT',
      message: /Teacher elsewhere belongs to dataset other but teacher a belongs to dataset tiny/,
    },
    {
      name: 'unknown-id',
      ids: () => [teacherA.id, '01900000-0000-7000-8000-000000000000'],
      code: 'NOT_FOUND',
      message: /No teacher has id 01900000-0000-7000-8000-000000000000/,
    },
    {
      name: 'malformed-id',
      ids: () => [teacherA.id, 'not-a-uuid'],
      code: 'NOT_FOUND',
      message: /No teacher has id not-a-uuid/,
    },
  ];
  for (const testCase of cases) {
    it(`rejects ${testCase.name}`, async () => {
      await assert.rejects(
        createEnsembleTeacher(db.prisma, { name: testCase.name, memberIds: testCase.ids(), dataset }),
        rejects(testCase.code, testCase.message),
      );
      const row = await db.prisma.teacher.findFirst({ where: { name: testCase.name } });
      assert.equal(row, null);
    });
  }

  it('rejects a taken name', async () => {
    await assert.rejects(
      createEnsembleTeacher(db.prisma, { name: 'a', memberIds: [teacherA.id, teacherB.id], dataset }),
      rejects('CONFLICT', /Dataset tiny already has a teacher named a/),
    );
  });

  it('rejects data that differs from the registered dataset', async () => {
    await assert.rejects(
      createEnsembleTeacher(db.prisma, {
        name: 'wrong-data',
        memberIds: [teacherA.id, teacherB.id],
        dataset: otherDataset,
      }),
      rejects('CONFLICT', /The loaded dataset other .* is not the registered dataset tiny/),
    );
    assert.equal(await db.prisma.teacher.findFirst({ where: { name: 'wrong-data' } }), null);
  });
});
