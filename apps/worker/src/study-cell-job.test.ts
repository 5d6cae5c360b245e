import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { averageRanks, kendallTauB } from '@akd/analysis';
import { AkdError } from '@akd/core';
import type { Teacher } from '@akd/db';
import type { RunningJob } from '@akd/jobs';
import { ProxyTaskPool } from '@akd/proxy-task';
import {
  createRankingStudy,
  createSimilarityStudy,
  ensureZooTeachers,
  requireStudy,
  type RankingStudyResult,
  type SimilarityStudyResult,
  type StudyView,
  type TrainCellResult,
} from '@akd/runner';
import type { Genome } from '@akd/search-space';
import { runStudyCellJob } from './study-cell-job.js';
import { handlerContext, latestJob, setUp, tinySpace, TINY_PROXY, type TestSetup } from './test-support.js';

let setup: TestSetup;
let pool: ProxyTaskPool;
let ctx: ReturnType<typeof handlerContext>;
let teachers: Teacher[];

/** Two students of the tiny space that differ in operation, kernel and width. */
const GENOMES: Genome[] = [
  { blocks: [{ op: 'conv', kernelSize: 3, seRatio: 0, skip: 'none', filterMultiplier: 1, layerDelta: 0 }] },
  {
    blocks: [
      { op: 'dconv', kernelSize: 5, seRatio: 0.25, skip: 'none', filterMultiplier: 0.75, layerDelta: 0 },
    ],
  },
];

before(async () => {
  setup = await setUp();
  // The committed subset teachers are imported from data/teachers, not trained.
  teachers = await ensureZooTeachers(setup.db.prisma, setup.datasetRow, setup.dataset, {
    names: ['resnet', 'vgg'],
  });
  pool = new ProxyTaskPool({ processes: 1 });
  ctx = handlerContext(setup, pool);
});

after(async () => {
  await ctx?.close();
  await pool?.close();
  await setup?.cleanup();
});

function job(rowId: string, maxAttempts = 3): RunningJob<'study-cell'> {
  return {
    queue: 'study-cell',
    jobId: randomUUID(),
    rowId,
    attempt: 1,
    maxAttempts,
    expireInSeconds: 600,
    startedAt: new Date(),
  };
}

function rankingStudy(seeds: number, queued: boolean): Promise<StudyView> {
  return createRankingStudy(setup.db.prisma, queued ? setup.queue : null, {
    teacherIds: teachers.map((teacher) => teacher.id),
    students: { genomes: GENOMES, space: tinySpace(setup.dataset) },
    seeds,
    training: { proxy: TINY_PROXY },
  });
}

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

describe('study-cell job', () => {
  test('ranking study completes through the job', async () => {
    const prisma = setup.db.prisma;
    const created = await rankingStudy(2, true);
    assert.equal(created.status, 'pending');
    assert.equal(created.cells.total, 2 * 3 * 2, '2 students × (2 teachers + GT) × 2 seeds');
    const cells = await prisma.studyCell.findMany({
      where: { studyId: created.id },
      orderBy: { key: 'asc' },
    });
    for (const cell of cells) {
      const queued = await latestJob(prisma, 'study-cell', cell.id);
      assert.equal(queued?.state, 'created', `cell ${cell.key} was queued`);
    }

    for (const cell of cells) {
      const outcome = await runStudyCellJob(ctx, { studyCellId: cell.id }, job(cell.id));
      assert.equal(outcome.outcome, 'completed', `cell ${cell.key}: ${String(outcome.reason)}`);
    }
    const again = await runStudyCellJob(ctx, { studyCellId: cells[0].id }, job(cells[0].id));
    assert.equal(again.outcome, 'skipped', 'a completed cell is not trained twice');

    const study = await requireStudy(prisma, created.id);
    assert.equal(study.status, 'completed');
    const result = study.result as RankingStudyResult;
    assert.equal(result.complete, true);
    assert.equal(result.incompleteReason, null);
    assert.deepEqual(result.teacherNames, ['resnet', 'vgg', 'GT']);
    assert.equal(result.matrix.length, 2);

    // Every entry must be the mean of its own cells' accuracies.
    const rows = await prisma.studyCell.findMany({ where: { studyId: created.id } });
    const accuracy = (student: string, teacher: string, seed: number): number => {
      const row = rows.find((cell) => cell.key === `${student}/${teacher}/seed-${seed}`);
      return (row?.result as unknown as TrainCellResult).accuracy;
    };
    const means = result.teachers.map((teacher) =>
      result.students.map((student) => mean([accuracy(student, teacher, 1), accuracy(student, teacher, 2)])),
    );
    result.students.forEach((student, s) => {
      assert.equal(result.matrix[s].length, 3);
      result.teachers.forEach((teacher, t) => {
        const entry = result.matrix[s][t];
        assert.equal(entry.seeds, 2, `${student} under ${teacher}`);
        assert.ok(Math.abs((entry.mean as number) - means[t][s]) < 1e-12, `${student} under ${teacher} mean`);
        assert.notEqual(entry.standardDeviation, null, `${student} under ${teacher} has a spread`);
        assert.ok((entry.standardDeviation as number) >= 0);
      });
    });
    result.rankings.forEach((ranking, t) => {
      assert.equal(ranking.complete, true);
      const byStudent = new Map(ranking.ranks?.map((rank) => [rank.student, rank]));
      const expected = averageRanks(means[t], 'descending');
      result.students.forEach((student, s) => {
        assert.equal(
          byStudent.get(student)?.rankByMean,
          expected[s],
          `${student} under ${result.teachers[t]}`,
        );
      });
      const top = Math.max(...means[t]);
      assert.deepEqual(
        ranking.best,
        result.students.filter((_, s) => means[t][s] === top),
      );
    });
    const constant = (values: number[]): boolean => values.every((value) => value === values[0]);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        let expected: number | null = i === j ? 1 : null;
        if (i !== j && !constant(means[i]) && !constant(means[j])) expected = kendallTauB(means[i], means[j]);
        if (constant(means[i]) || constant(means[j])) expected = null;
        assert.equal(result.kendallTau[i][j], expected, `τ[${i}][${j}]`);
      }
    }
    const trained = rows.map((row) => row.result as unknown as TrainCellResult);
    assert.ok(trained.every((cell) => cell.evaluatedOn === 'mini-val' && cell.epochLosses.length === 1));
  });

  test('diverging cell retries, then fails', async () => {
    const prisma = setup.db.prisma;
    const created = await rankingStudy(1, false);
    const [cell] = await prisma.studyCell.findMany({
      where: { studyId: created.id },
      orderBy: { key: 'asc' },
    });
    const diverging = {
      size: 1,
      evaluate: () =>
        Promise.reject(
          new AkdError('INTERNAL', 'Training diverged: the loss became NaN at epoch 1, step 3.'),
        ),
    } as unknown as ProxyTaskPool;
    const failing = { ...ctx, pool: diverging };

    const first = await runStudyCellJob(failing, { studyCellId: cell.id }, job(cell.id, 2));
    assert.equal(first.outcome, 'retry');
    const pending = await prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } });
    assert.equal(pending.status, 'pending');
    assert.equal(pending.attempts, 1);
    assert.match(pending.error ?? '', /Training diverged/);
    const retry = await latestJob(prisma, 'study-cell', cell.id);
    assert.equal(retry?.state, 'created', 'the retry is queued as a new job');

    const second = await runStudyCellJob(failing, { studyCellId: cell.id }, job(cell.id, 2));
    assert.equal(second.outcome, 'failed');
    const failed = await prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } });
    assert.equal(failed.status, 'failed');
    assert.equal(failed.attempts, 2);

    const study = await requireStudy(prisma, created.id);
    const result = study.result as RankingStudyResult;
    assert.equal(study.status, 'running', 'other cells are still pending');
    assert.equal(result.complete, false);
    assert.deepEqual(
      result.missing.find((missing) => missing.cellId === cell.id),
      { cellId: cell.id, key: cell.key, status: 'failed', attempts: 2, error: failed.error },
    );
    assert.ok(result.rankings.some((ranking) => !ranking.complete));
    assert.match(result.incompleteReason ?? '', /cells have no accuracy/);
  });

  test('full-mode cell trains in a training process', async () => {
    const prisma = setup.db.prisma;
    const created = await createRankingStudy(prisma, null, {
      teacherIds: teachers.map((teacher) => teacher.id),
      students: { genomes: GENOMES, space: tinySpace(setup.dataset) },
      seeds: 1,
      training: { mode: 'full', epochs: 1, batchSize: 250 },
    });
    const cell = await prisma.studyCell.findFirstOrThrow({
      // The hard-label cell needs no teacher logits on the whole training split, which take long.
      where: { studyId: created.id, key: 's1/GT/seed-1' },
    });
    const outcome = await runStudyCellJob(ctx, { studyCellId: cell.id }, job(cell.id));
    assert.equal(outcome.outcome, 'completed', String(outcome.reason));
    assert.equal(ctx.trainingProcesses.size, 0, 'the training process exited');
    const row = await prisma.studyCell.findUniqueOrThrow({ where: { id: cell.id } });
    const result = row.result as unknown as TrainCellResult;
    assert.equal(row.status, 'completed');
    assert.equal(row.attempts, 1);
    assert.equal(result.evaluatedOn, 'test');
    assert.ok(result.accuracy >= 0, `accuracy ${result.accuracy} is not negative`);
    assert.ok(result.accuracy <= 1, `accuracy ${result.accuracy} is at most 1`);
    assert.equal(result.epochLosses.length, 1);
    assert.equal((await requireStudy(prisma, created.id)).status, 'running');
  });

  test('similarity cell runs in a training process', async () => {
    const prisma = setup.db.prisma;
    const created = await createSimilarityStudy(prisma, null, {
      teacherIds: teachers.map((teacher) => teacher.id),
      split: 'mini-val',
      proxy: TINY_PROXY,
    });
    const cell = await prisma.studyCell.findFirstOrThrow({ where: { studyId: created.id } });
    const outcome = await runStudyCellJob(ctx, { studyCellId: cell.id }, job(cell.id));
    assert.equal(outcome.outcome, 'completed', String(outcome.reason));
    const study = await requireStudy(prisma, created.id);
    assert.equal(study.status, 'completed');
    const similarity = (study.result as SimilarityStudyResult).similarity;
    assert.deepEqual(similarity?.names, ['resnet', 'vgg', 'GT']);
    assert.equal(similarity?.samples, TINY_PROXY.valSize);
  });

  test('missing study cell fails the job', async () => {
    const id = randomUUID();
    await assert.rejects(runStudyCellJob(ctx, { studyCellId: id }, job(id)), /does not exist/);
  });
});
