import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import {
  loadDatasetAt,
  locateDefaultDataset,
  writeIdxFile,
  type DatasetLocation,
  type ImageDataset,
} from '@akd/data';
import type { Dataset, Teacher } from '@akd/db';
import { createTestDatabase, type TestDatabase } from '@akd/db/testing';
import { buildStudent, initBackend, saveModel } from '@akd/engine';
import { ProxyTaskPool, type ProxySettings } from '@akd/proxy-task';
import type { Genome, SearchSpace } from '@akd/search-space';
import { registerDataset } from '../datasets.js';
import { tinyDataset } from '../teacher-test-support.js';
import { createAblationStudy } from './ablation.js';
import { createKdFriendlinessStudy } from './kd-friendliness.js';
import { queueLauncher, runStudyLocally } from './local-runner.js';
import { createRankingStudy } from './ranking.js';
import { runStudyCell } from './run-cell.js';
import { cancelStudy, getStudy, listStudies, resumeStudy } from './records.js';
import { createSimilarityStudy } from './similarity.js';
import type {
  AblationStudyConfig,
  AblationStudyInput,
  AblationStudyResult,
  KdFriendlinessStudyResult,
  RankingStudyConfig,
  RankingStudyInput,
  RankingStudyResult,
  SimilarityStudyResult,
  StudyQueue,
  TrainCellResult,
} from './types.js';

const TINY_PROXY: ProxySettings = {
  trainSize: 200,
  valSize: 100,
  epochs: 1,
  batchSize: 50,
  learningRate: 0.005,
  seed: 1,
};
const UNKNOWN_ID = '0193a1b2-0000-7000-8000-000000000000';

let db: TestDatabase;
let dataDir: string;
let location: DatasetLocation;
let dataset: ImageDataset;
let datasetRow: Dataset;
let space: SearchSpace;
let teachers: Teacher[];
let pool: ProxyTaskPool | null = null;
/** Study cells and searches this file's fake queue received. */
const queued: string[] = [];

const queue: StudyQueue = {
  enqueueStudyCell: async (id) => queued.push(`cell:${id}`),
  enqueueSearch: async (id) => queued.push(`search:${id}`),
  enqueueFinalTraining: async (id) => queued.push(`final:${id}`),
};

/** Returns a space of one block on 28×28×1 images, whose students have about a thousand parameters. */
function tinySpace(images: ImageDataset): SearchSpace {
  return {
    inputShape: images.shape,
    numClasses: images.numClasses,
    stemFilters: 8,
    stemStride: 2,
    blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
    headFilters: 16,
    allowEmptyBlocks: false,
  };
}

const GENOMES: Genome[] = [
  { blocks: [{ op: 'conv', kernelSize: 3, seRatio: 0, skip: 'none', filterMultiplier: 1, layerDelta: 0 }] },
  {
    blocks: [{ op: 'dconv', kernelSize: 5, seRatio: 0, skip: 'none', filterMultiplier: 0.75, layerDelta: 0 }],
  },
];

/**
 * Writes the first 600 training and 200 test images of the committed Fashion-MNIST subset as IDX
 * files, so that final trainings on the whole training split take seconds.
 */
async function writeSmallDataset(dir: string): Promise<DatasetLocation> {
  const subset = await loadDatasetAt(locateDefaultDataset({ env: { AKD_DATASET: 'fashion-mnist-subset' } }));
  const [height, width] = subset.shape;
  const pixels = height * width;
  await mkdir(dir, { recursive: true });
  const splits = [
    ['train', subset.train, 600],
    ['t10k', subset.test, 200],
  ] as const;
  for (const [prefix, split, count] of splits) {
    await writeIdxFile(
      join(dir, `${prefix}-images-idx3-ubyte`),
      { elementType: 'ubyte', dims: [count, height, width], data: split.images.slice(0, count * pixels) },
      { gzip: false },
    );
    await writeIdxFile(
      join(dir, `${prefix}-labels-idx1-ubyte`),
      { elementType: 'ubyte', dims: [count], data: split.labels.slice(0, count) },
      { gzip: false },
    );
  }
  return { format: 'idx', name: 'small-idx', path: dir, reason: 'test' };
}

/** Records a ready teacher whose model is an untrained tiny student with weights from `seed`. */
async function fakeTeacher(name: string, seed: number, row: Dataset = datasetRow): Promise<Teacher> {
  const model = buildStudent(space, GENOMES[seed % 2], seed);
  const dir = join(dataDir, 'teachers', name);
  try {
    await saveModel(model, dir);
  } finally {
    model.dispose();
  }
  return db.prisma.teacher.create({
    data: {
      datasetId: row.id,
      name,
      source: 'imported_model',
      family: 'student',
      config: {},
      trainingSettings: {},
      status: 'ready',
      artifactDir: dir,
      testAccuracy: 0.1,
    },
  });
}

before(async () => {
  await initBackend();
  dataDir = await mkdtemp(join(tmpdir(), 'akd-studies-'));
  process.env.AKD_DATA_DIR = dataDir;
  db = await createTestDatabase();
  location = await writeSmallDataset(join(dataDir, 'small-idx'));
  dataset = await loadDatasetAt(location);
  datasetRow = await registerDataset(db.prisma, location, dataset);
  space = tinySpace(dataset);
  teachers = [await fakeTeacher('teacher-a', 3), await fakeTeacher('teacher-b', 4)];
});

after(async () => {
  await pool?.close();
  await db?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

function rankingInput(overrides: Partial<RankingStudyInput> = {}): RankingStudyInput {
  return {
    teacherIds: teachers.map((teacher) => teacher.id),
    students: { genomes: GENOMES, space },
    seeds: 1,
    training: { proxy: TINY_PROXY },
    ...overrides,
  };
}

/** Asserts that `attempt` rejects with an AkdError of `code` matching `message`, recording and queuing nothing. */
async function assertRejected(attempt: () => Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const studies = await db.prisma.study.count();
  const experiments = await db.prisma.experiment.count();
  const sent = queued.length;
  await assert.rejects(attempt(), (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
  assert.equal(await db.prisma.study.count(), studies, 'no study recorded');
  assert.equal(await db.prisma.experiment.count(), experiments, 'no search recorded');
  assert.equal(queued.length, sent, 'nothing queued');
}

describe('study bad input', () => {
  it('rejects one teacher', () =>
    assertRejected(
      () => createRankingStudy(db.prisma, queue, rankingInput({ teacherIds: [teachers[0].id] })),
      'INVALID_INPUT',
      /at least 2 teachers, but 1 was given/,
    ));

  it('rejects an unknown teacher', () =>
    assertRejected(
      () => createRankingStudy(db.prisma, queue, rankingInput({ teacherIds: [teachers[0].id, UNKNOWN_ID] })),
      'NOT_FOUND',
      new RegExp(`Teacher ${UNKNOWN_ID} does not exist`),
    ));

  it('rejects teachers of two datasets', async () => {
    const other = await registerDataset(
      db.prisma,
      { format: 'idx', name: 'tiny', path: '/nonexistent', reason: 'test' },
      tinyDataset('tiny'),
    );
    const foreign = await db.prisma.teacher.create({
      data: {
        datasetId: other.id,
        name: 'foreign',
        source: 'imported_model',
        family: 'student',
        config: {},
        trainingSettings: {},
        status: 'ready',
      },
    });
    await assertRejected(
      () => createSimilarityStudy(db.prisma, queue, { teacherIds: [teachers[0].id, foreign.id] }),
      'INVALID_INPUT',
      /teacher-a and foreign belong to different datasets/,
    );
  });

  it('rejects a teacher that is not ready', async () => {
    const training = await db.prisma.teacher.create({
      data: {
        datasetId: datasetRow.id,
        name: 'still-training',
        source: 'zoo',
        family: 'resnet',
        config: {},
        trainingSettings: {},
        status: 'training',
      },
    });
    await assertRejected(
      () => createRankingStudy(db.prisma, queue, rankingInput({ teacherIds: [teachers[0].id, training.id] })),
      'INVALID_INPUT',
      /Teacher still-training is training, not ready/,
    );
  });

  it('rejects zero seeds', () =>
    assertRejected(
      () => createRankingStudy(db.prisma, queue, rankingInput({ seeds: 0 })),
      'INVALID_INPUT',
      /seed count 0/,
    ));

  it('rejects an empty seed list', () =>
    assertRejected(
      () => createRankingStudy(db.prisma, queue, rankingInput({ seeds: [] })),
      'INVALID_INPUT',
      /0 seeds/,
    ));

  it('rejects one student', () =>
    assertRejected(
      () =>
        createRankingStudy(db.prisma, queue, rankingInput({ students: { genomes: [GENOMES[0]], space } })),
      'INVALID_INPUT',
      /at least 2 distinct students, but the selection gives 1/,
    ));

  it('rejects a repeated genome as one student', () =>
    assertRejected(
      () =>
        createRankingStudy(
          db.prisma,
          queue,
          rankingInput({ students: { genomes: [GENOMES[0], GENOMES[0]], space } }),
        ),
      'INVALID_INPUT',
      /selection gives 1/,
    ));

  it('rejects an invalid genome', () =>
    assertRejected(
      () =>
        createRankingStudy(
          db.prisma,
          queue,
          rankingInput({
            students: {
              genomes: [GENOMES[0], { blocks: [{ ...GENOMES[0].blocks[0], kernelSize: 4 as 3 }] }],
              space,
            },
          }),
        ),
      'INVALID_INPUT',
      /Genome 2 of the students is invalid/,
    ));

  it('rejects an unknown experiment', () =>
    assertRejected(
      () =>
        createRankingStudy(
          db.prisma,
          queue,
          rankingInput({ students: { fromExperiments: { experimentIds: [UNKNOWN_ID], topK: 2 } } }),
        ),
      'NOT_FOUND',
      new RegExp(`Experiment ${UNKNOWN_ID} does not exist`),
    ));

  it('rejects an unknown split', () =>
    assertRejected(
      () =>
        createSimilarityStudy(db.prisma, queue, {
          teacherIds: teachers.map((teacher) => teacher.id),
          split: 'validation' as 'test',
        }),
      'INVALID_INPUT',
      /Unknown split "validation": use one of train, test, mini-train, mini-val/,
    ));

  it('rejects proxy settings larger than the dataset', () =>
    assertRejected(
      () =>
        createRankingStudy(
          db.prisma,
          queue,
          rankingInput({ training: { proxy: { trainSize: 600, valSize: 100 } } }),
        ),
      'INVALID_INPUT',
      /exceeds the 600 training images/,
    ));

  it('rejects an ablation without targets', () =>
    assertRejected(
      () => createAblationStudy(db.prisma, queue, ablationInput({ latencyTargetsMs: [] })),
      'INVALID_INPUT',
      /at least one target/,
    ));

  it('rejects a KD-friendliness study of an unknown search', () =>
    assertRejected(
      () =>
        createKdFriendlinessStudy(db.prisma, queue, {
          akdExperimentId: UNKNOWN_ID,
          nasExperimentId: UNKNOWN_ID,
          generations: [0],
          topK: 1,
        }),
      'NOT_FOUND',
      /AKD experiment .* does not exist/,
    ));
});

function ablationInput(overrides: Partial<AblationStudyInput> = {}): AblationStudyInput {
  return {
    teacherId: teachers[0].id,
    latencyTargetsMs: [1],
    search: { strategy: { kind: 'random' }, budget: 2, generationSize: 2, proxy: TINY_PROXY, space },
    finalTraining: { epochs: 1, batchSize: 100 },
    ...overrides,
  };
}

describe('studies', () => {
  it('similarity compares teachers and GT', async () => {
    const created = await createSimilarityStudy(db.prisma, queue, {
      teacherIds: teachers.map((teacher) => teacher.id),
      split: 'mini-val',
      proxy: TINY_PROXY,
    });
    assert.equal(created.cells.total, 1);
    assert.ok(
      queued.includes(
        `cell:${(await db.prisma.studyCell.findFirstOrThrow({ where: { studyId: created.id } })).id}`,
      ),
    );

    const study = await runStudyLocally(db.prisma, created.id, { dataset: { location, data: dataset } });
    assert.equal(study.status, 'completed');
    const similarity = (study.result as SimilarityStudyResult).similarity;
    assert.ok(similarity);
    assert.deepEqual(similarity.names, ['teacher-a', 'teacher-b', 'GT']);
    assert.deepEqual(similarity.keys, [teachers[0].id, teachers[1].id, 'GT']);
    assert.equal(similarity.samples, TINY_PROXY.valSize);
    for (let i = 0; i < 3; i++) {
      assert.equal(similarity.meanKl[i][i], 0);
      assert.equal(similarity.agreement[i][i], 1);
      for (let j = 0; j < 3; j++) {
        assert.ok(similarity.meanKl[i][j] >= 0, `KL[${i}][${j}] is not negative`);
        assert.ok(similarity.agreement[i][j] >= 0, `agreement[${i}][${j}] is not negative`);
        assert.ok(similarity.agreement[i][j] <= 1, `agreement[${i}][${j}] is at most 1`);
        assert.equal(similarity.agreement[i][j], similarity.agreement[j][i], 'agreement is symmetric');
      }
    }
    assert.ok(similarity.meanKl[0][1] > 0, 'two different teachers diverge');
  });

  it('lists, cancels and resumes a study', async () => {
    const created = await createRankingStudy(db.prisma, null, rankingInput({ name: 'to cancel' }));
    const cancelled = await cancelStudy(db.prisma, created.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.cells.cancelled, cancelled.cells.total);
    const listed = await listStudies(db.prisma, { kind: 'ranking', status: 'cancelled' });
    assert.deepEqual(
      listed.map((study) => study.id),
      [created.id],
    );
    const sent = queued.length;
    const resumed = await resumeStudy(db.prisma, queue, created.id);
    assert.equal(resumed.status, 'pending');
    assert.equal(resumed.cells.pending, resumed.cells.total);
    assert.equal(queued.length - sent, resumed.cells.total, 'every cell queued again');
    assert.equal(await getStudy(db.prisma, 'not-a-uuid'), null);
  });

  it('cell past its attempts fails', async () => {
    const created = await createRankingStudy(db.prisma, null, rankingInput({ name: 'crashed' }));
    const cell = await db.prisma.studyCell.findFirstOrThrow({ where: { studyId: created.id } });
    // Two attempts that a crashed worker left running, with the error of an earlier attempt.
    await db.prisma.studyCell.update({
      where: { id: cell.id },
      data: { status: 'running', attempts: 2, error: 'Worker process 7 exited' },
    });
    const ctx = {
      prisma: db.prisma,
      evaluator: { evaluate: () => assert.fail('a cell past its attempts must not train') },
      launcher: queueLauncher(queue),
      maxAttempts: 2,
    };
    const outcome = await runStudyCell(ctx, cell.id);
    assert.equal(outcome.outcome, 'failed');
    const row = await db.prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } });
    assert.equal(row.status, 'failed');
    assert.equal(row.attempts, 3);
    assert.match(row.error ?? '', /used up its 2 attempts.*Last error: Worker process 7 exited/);
    assert.equal((await runStudyCell(ctx, cell.id)).outcome, 'skipped', 'a failed cell is not run again');
  });

  it('ablation reuses searches and fills its table', async () => {
    const first = await createAblationStudy(db.prisma, null, ablationInput());
    const config = first.config as AblationStudyConfig;
    assert.equal(first.cells.total, 4);
    assert.deepEqual(
      config.searches.map((search) => [search.searchBy, search.reused]),
      [
        ['hard-label', false],
        ['distillation', false],
      ],
    );
    const second = await createAblationStudy(db.prisma, queue, ablationInput({ name: 'again' }));
    const again = second.config as AblationStudyConfig;
    assert.deepEqual(
      again.searches.map((search) => [search.experimentId, search.reused]),
      config.searches.map((search) => [search.experimentId, true]),
    );
    for (const search of again.searches) assert.ok(queued.includes(`search:${search.experimentId}`));

    pool = new ProxyTaskPool({ processes: 1 });
    const study = await runStudyLocally(db.prisma, first.id, { pool, dataset: { location, data: dataset } });
    assert.equal(study.status, 'completed', JSON.stringify(study.result?.missing));
    const result = study.result as AblationStudyResult;
    assert.equal(result.complete, true);
    const entries = result.rows[0].entries;
    assert.deepEqual(
      entries.map((entry) => [entry.searchBy, entry.trainBy]),
      [
        ['hard-label', 'hard-label'],
        ['hard-label', 'distillation'],
        ['distillation', 'hard-label'],
        ['distillation', 'distillation'],
      ],
    );
    for (const entry of entries) {
      assert.ok(entry.top1 !== null, `${entry.searchBy}/${entry.trainBy} has a top-1`);
      assert.ok(entry.top1 >= 0, `top-1 ${entry.top1} is not negative`);
      assert.ok(entry.top1 <= 1, `top-1 ${entry.top1} is at most 1`);
      assert.ok(entry.top5 !== null, `${entry.searchBy}/${entry.trainBy} has a top-5`);
      assert.ok(entry.top5 >= entry.top1, 'top-5 is at least top-1');
      const model = await db.prisma.trainedModel.findUniqueOrThrow({
        where: { id: entry.trainedModelId as string },
      });
      assert.equal(model.method, entry.trainBy === 'distillation' ? 'hinton' : 'hard_label');
      assert.equal(model.teacherId, entry.trainBy === 'distillation' ? teachers[0].id : null);
      assert.equal(model.testTop1, entry.top1);
    }
    assert.equal(await db.prisma.trainedModel.count(), 4);

    // The second study finds both searches and all four final trainings done.
    const reused = await runStudyLocally(db.prisma, second.id, {
      pool,
      dataset: { location, data: dataset },
    });
    assert.equal(reused.status, 'completed');
    assert.equal(await db.prisma.trainedModel.count(), 4, 'no final training repeated');
    assert.deepEqual(
      (reused.result as AblationStudyResult).rows[0].entries.map((entry) => entry.top1),
      entries.map((entry) => entry.top1),
    );
  });

  it('ranking takes students from searches and samples', async () => {
    const ablation = (await listStudies(db.prisma, { kind: 'ablation' }))[0].config as AblationStudyConfig;
    const experimentId = ablation.searches[0].experimentId;
    const best = await db.prisma.candidate.findMany({
      where: { experimentId, status: 'completed', reward: { not: null } },
      orderBy: [{ reward: 'desc' }, { id: 'asc' }],
    });
    const students = {
      fromExperiments: { experimentIds: [experimentId], topK: 2 },
      random: { count: 3, seed: 7 },
      space,
    };
    const first = await createRankingStudy(
      db.prisma,
      null,
      rankingInput({ students, includeGroundTruth: false }),
    );
    const config = first.config as RankingStudyConfig;
    assert.deepEqual(
      config.teachers.map((teacher) => teacher.name),
      ['teacher-a', 'teacher-b'],
    );
    assert.deepEqual(
      config.students.slice(0, 2).map((student) => student.candidateId),
      best.slice(0, 2).map((candidate) => candidate.id),
    );
    assert.ok(config.students.length >= 3, 'sampled students that repeat a search student are dropped');
    assert.equal(new Set(config.students.map((student) => student.genomeHash)).size, config.students.length);
    assert.equal(first.cells.total, config.students.length * 2);
    const second = await createRankingStudy(
      db.prisma,
      null,
      rankingInput({ students, includeGroundTruth: false }),
    );
    assert.deepEqual(
      (second.config as RankingStudyConfig).students.map((student) => student.genomeHash),
      config.students.map((student) => student.genomeHash),
      'the same seed samples the same students',
    );
  });

  it('full-mode ranking scores on the test split', async () => {
    const created = await createRankingStudy(
      db.prisma,
      null,
      rankingInput({ training: { mode: 'full', epochs: 1, batchSize: 100 } }),
    );
    const study = await runStudyLocally(db.prisma, created.id, {
      pool: pool as ProxyTaskPool,
      dataset: { location, data: dataset },
    });
    assert.equal(study.status, 'completed', JSON.stringify(study.result?.missing));
    const cells = await db.prisma.studyCell.findMany({ where: { studyId: created.id } });
    assert.equal(cells.length, 6);
    for (const cell of cells) {
      const result = cell.result as unknown as TrainCellResult;
      assert.equal(result.evaluatedOn, 'test', cell.key);
      assert.equal(result.epochLosses.length, 1, cell.key);
    }
    assert.equal((study.result as RankingStudyResult).complete, true);
  });

  it('KD-friendliness compares the two searches', async () => {
    const ablation = (await listStudies(db.prisma, { kind: 'ablation' }))[0].config as AblationStudyConfig;
    const akd = ablation.searches.find((search) => search.searchBy === 'distillation')
      ?.experimentId as string;
    const nas = ablation.searches.find((search) => search.searchBy === 'hard-label')?.experimentId as string;
    await assertRejected(
      () =>
        createKdFriendlinessStudy(db.prisma, null, {
          akdExperimentId: nas,
          nasExperimentId: akd,
          generations: [0],
          topK: 1,
        }),
      'INVALID_INPUT',
      /must search by distillation/,
    );
    await assertRejected(
      () =>
        createKdFriendlinessStudy(db.prisma, null, {
          akdExperimentId: akd,
          nasExperimentId: nas,
          generations: [5],
          topK: 1,
        }),
      'INVALID_INPUT',
      /Generation 5 of experiment .* is missing, not completed/,
    );

    const created = await createKdFriendlinessStudy(db.prisma, null, {
      akdExperimentId: akd,
      nasExperimentId: nas,
      generations: [0],
      topK: 1,
    });
    const study = await runStudyLocally(db.prisma, created.id, {
      pool: pool as ProxyTaskPool,
      dataset: { location, data: dataset },
    });
    assert.equal(study.status, 'completed');
    const [row] = (study.result as KdFriendlinessStudyResult).generations;
    assert.equal(row.generation, 0);
    assert.equal(row.akd.length, 1);
    assert.equal(row.nas.length, 1);
    const gain = (student: (typeof row.akd)[number]) =>
      (student.distilledAccuracy as number) - (student.hardLabelAccuracy as number);
    assert.ok(Math.abs((row.averageGain as number) - (gain(row.akd[0]) - gain(row.nas[0]))) < 1e-12);
    assert.equal(row.comparisons, 1);
    assert.equal(row.winningRatio, gain(row.akd[0]) > gain(row.nas[0]) ? 1 : 0);
  });
});
