import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ablationCellKey, assembleAblationResult } from './ablation-result.js';
import { studyStatusFromCells, type CellRecord } from './cell-summary.js';
import { assembleKdFriendlinessResult } from './kd-friendliness-result.js';
import { assembleRankingResult, trainCellKey } from './ranking-result.js';
import type {
  AblationStudyConfig,
  KdFriendlinessStudyConfig,
  RankingStudyConfig,
  StudyStatusName,
  StudyStudent,
} from './types.js';

function close(actual: number | null, expected: number, label: string, tolerance = 1e-9): void {
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= tolerance,
    `${label}: expected ${expected}, got ${actual}`,
  );
}

/** Returns a student with only the fields that result assembly reads. */
function student(key: string): StudyStudent {
  return { key, label: key, source: 'test' } as StudyStudent;
}

let nextId = 1;

function trainCell(
  studentKey: string,
  teacher: string,
  seed: number,
  accuracy: number | null,
  status: StudyStatusName = accuracy === null ? 'pending' : 'completed',
  error: string | null = null,
): CellRecord {
  return {
    id: `cell-${nextId++}`,
    key: trainCellKey(studentKey, teacher, seed),
    status,
    attempts: status === 'pending' ? 0 : 1,
    config: { kind: 'train', student: studentKey, teacher, seed },
    result:
      accuracy === null
        ? null
        : {
            kind: 'train',
            accuracy,
            top5: 1,
            evaluatedOn: 'mini-val',
            latencyMs: 1,
            params: 1,
            flops: 1,
            trainMs: 1,
            backend: 'cpu',
            epochLosses: [1],
          },
    error,
  };
}

function rankingConfig(seeds: number[]): RankingStudyConfig {
  return {
    kind: 'ranking',
    teachers: [
      { key: 'T1', name: 'resnet', testAccuracy: 0.9 },
      { key: 'T2', name: 'vgg', testAccuracy: 0.9 },
      { key: 'GT', name: 'GT', testAccuracy: null },
    ],
    students: ['s1', 's2', 's3'].map(student),
    seeds,
    training: {
      mode: 'proxy',
      proxy: { trainSize: 200, valSize: 100, epochs: 1, batchSize: 50, learningRate: 0.005, seed: 1 },
      kd: { lambda: 0.5, temperature: 2 },
    },
  };
}

/** Accuracies per teacher and student over seeds 1 and 2. */
const TWO_SEEDS: Record<string, Record<string, [number, number]>> = {
  // s1 and s2 differ by 0.01, less than s1's standard deviation 0.02/√2 ≈ 0.0141: tied.
  T1: { s1: [0.8, 0.82], s2: [0.795, 0.805], s3: [0.7, 0.7] },
  T2: { s1: [0.6, 0.6], s2: [0.7, 0.7], s3: [0.8, 0.8] },
  GT: { s1: [0.75, 0.75], s2: [0.74, 0.74], s3: [0.73, 0.73] },
};

function twoSeedCells(): CellRecord[] {
  return Object.entries(TWO_SEEDS).flatMap(([teacher, students]) =>
    Object.entries(students).flatMap(([key, values]) =>
      values.map((accuracy, index) => trainCell(key, teacher, index + 1, accuracy)),
    ),
  );
}

describe('assembleRankingResult', () => {
  it('summarizes the matrix over seeds', () => {
    const result = assembleRankingResult(rankingConfig([1, 2]), twoSeedCells());
    assert.equal(result.complete, true);
    assert.deepEqual(result.missing, []);
    assert.deepEqual(result.teacherNames, ['resnet', 'vgg', 'GT']);
    const s1T1 = result.matrix[0][0];
    assert.deepEqual(s1T1.accuracies, [0.8, 0.82]);
    close(s1T1.mean, 0.81, 's1 under T1 mean');
    close(s1T1.standardDeviation, 0.02 / Math.sqrt(2), 's1 under T1 standard deviation');
    assert.equal(s1T1.min, 0.8);
    assert.equal(s1T1.max, 0.82);
    assert.equal(result.matrix[2][0].standardDeviation, 0, 'equal seeds have no spread');
  });

  it('ties students within the seed spread', () => {
    const t1 = assembleRankingResult(rankingConfig([1, 2]), twoSeedCells()).rankings[0];
    assert.equal(t1.complete, true);
    assert.deepEqual(
      t1.ranks?.map((rank) => [rank.student, rank.rank, rank.rankByMean]),
      [
        ['s1', 1, 1],
        ['s2', 1, 2],
        ['s3', 3, 3],
      ],
    );
    assert.deepEqual(t1.ranks?.[0].tiedWith, ['s2']);
    assert.deepEqual(t1.ranks?.[2].tiedWith, []);
    assert.deepEqual(t1.best, ['s1']);
    assert.deepEqual(t1.bestWithinSpread, ['s1', 's2']);
  });

  it('ranks clearly separated students apart', () => {
    const t2 = assembleRankingResult(rankingConfig([1, 2]), twoSeedCells()).rankings[1];
    assert.deepEqual(
      t2.ranks?.map((rank) => [rank.student, rank.rank]),
      [
        ['s3', 1],
        ['s2', 2],
        ['s1', 3],
      ],
    );
    assert.deepEqual(t2.bestWithinSpread, ['s3']);
  });

  it('computes Kendall τ between teachers', () => {
    const tau = assembleRankingResult(rankingConfig([1, 2]), twoSeedCells()).kendallTau;
    // T1 means (0.81, 0.80, 0.70) against T2 (0.6, 0.7, 0.8): all three pairs discordant.
    close(tau[0][1], -1, 'τ(T1, T2)');
    close(tau[0][2], 1, 'τ(T1, GT)');
    close(tau[1][2], -1, 'τ(T2, GT)');
    close(tau[1][0], -1, 'τ(T2, T1)');
    assert.equal(tau[0][0], 1);
  });

  it('marks a teacher with a missing cell incomplete', () => {
    const cells = twoSeedCells().map((cell) =>
      cell.key === trainCellKey('s2', 'GT', 2) ? { ...cell, status: 'pending' as const, result: null } : cell,
    );
    const result = assembleRankingResult(rankingConfig([1, 2]), cells);
    assert.equal(result.complete, false);
    assert.deepEqual(
      result.missing.map((cell) => cell.key),
      ['s2/GT/seed-2'],
    );
    const gt = result.rankings[2];
    assert.equal(gt.complete, false);
    assert.equal(gt.ranks, null);
    assert.equal(gt.best, null);
    assert.equal(result.kendallTau[0][2], null, 'no τ against the incomplete teacher');
    close(result.kendallTau[0][1], -1, 'τ between complete teachers');
    assert.equal(result.matrix[1][2].seeds, 1);
    assert.deepEqual(result.matrix[1][2].accuracies, [0.74, null]);
    assert.match(result.incompleteReason ?? '', /1 of 18 cells have no accuracy, so GT has no ranks/);
  });

  it('lists a failed cell with its error', () => {
    const cells = twoSeedCells().map((cell) =>
      cell.key === trainCellKey('s1', 'T1', 1)
        ? { ...cell, status: 'failed' as const, result: null, error: 'Training diverged' }
        : cell,
    );
    const result = assembleRankingResult(rankingConfig([1, 2]), cells);
    assert.equal(result.cells.failed, 1);
    assert.deepEqual(result.missing, [
      { cellId: cells[0].id, key: 's1/T1/seed-1', status: 'failed', attempts: 1, error: 'Training diverged' },
    ]);
    assert.equal(result.rankings[0].ranks, null);
  });

  it('ties only equal means with one seed', () => {
    const cells = [
      trainCell('s1', 'T1', 1, 0.8),
      trainCell('s2', 'T1', 1, 0.8),
      trainCell('s3', 'T1', 1, 0.79),
      trainCell('s1', 'T2', 1, 0.5),
      trainCell('s2', 'T2', 1, 0.6),
      trainCell('s3', 'T2', 1, 0.7),
      trainCell('s1', 'GT', 1, 0.7),
      trainCell('s2', 'GT', 1, 0.6),
      trainCell('s3', 'GT', 1, 0.5),
    ];
    const result = assembleRankingResult(rankingConfig([1]), cells);
    const t1 = result.rankings[0];
    assert.deepEqual(
      t1.ranks?.map((rank) => [rank.student, rank.rank]),
      [
        ['s1', 1],
        ['s2', 1],
        ['s3', 3],
      ],
    );
    assert.equal(t1.withinNoiseOfBest, null, 'no Welch test with one seed');
    assert.equal(result.matrix[0][0].standardDeviation, null);
  });
});

describe('studyStatusFromCells', () => {
  const cell = (status: StudyStatusName, attempts = 0): CellRecord => ({
    ...trainCell('s1', 'T1', 1, null, status),
    attempts,
  });
  it('derives each status', () => {
    assert.equal(studyStatusFromCells([cell('pending'), cell('pending')]), 'pending');
    assert.equal(studyStatusFromCells([cell('completed', 1), cell('pending')]), 'running');
    assert.equal(
      studyStatusFromCells([cell('pending', 1)]),
      'running',
      'a retried cell means the study started',
    );
    assert.equal(studyStatusFromCells([cell('completed', 1), cell('completed', 1)]), 'completed');
    assert.equal(studyStatusFromCells([cell('completed', 1), cell('failed', 3)]), 'failed');
  });
});

describe('assembleAblationResult', () => {
  const config = {
    kind: 'ablation',
    latencyTargetsMs: [4, 6],
    searches: [4, 6].flatMap((latencyTargetMs) =>
      (['hard-label', 'distillation'] as const).map((searchBy) => ({
        latencyTargetMs,
        searchBy,
        experimentId: `exp-${latencyTargetMs}-${searchBy}`,
        reused: false,
      })),
    ),
  } as AblationStudyConfig;

  it('fills the 2 × 2 table per target', () => {
    const cells: CellRecord[] = [
      {
        id: 'a',
        key: ablationCellKey(4, 'distillation', 'distillation'),
        status: 'completed',
        attempts: 1,
        config: {
          kind: 'ablation',
          latencyTargetMs: 4,
          searchBy: 'distillation',
          trainBy: 'distillation',
          experimentId: 'exp-4-distillation',
        },
        result: {
          kind: 'ablation',
          experimentId: 'exp-4-distillation',
          candidateId: 'c',
          genomeHash: 'h',
          trainedModelId: 'm',
          reusedTrainedModel: false,
          top1: 0.8,
          top5: 0.99,
          latencyMs: 1,
          params: 1,
          flops: 1,
        },
        error: null,
      },
      {
        id: 'b',
        key: ablationCellKey(4, 'hard-label', 'hard-label'),
        status: 'failed',
        attempts: 1,
        config: {
          kind: 'ablation',
          latencyTargetMs: 4,
          searchBy: 'hard-label',
          trainBy: 'hard-label',
          experimentId: 'exp-4-hard-label',
        },
        result: null,
        error: 'Search failed',
      },
    ];
    const result = assembleAblationResult(config, cells);
    assert.equal(result.complete, false);
    assert.deepEqual(
      result.rows.map((row) => row.latencyTargetMs),
      [4, 6],
    );
    const [hardHard, hardKd, kdHard, kdKd] = result.rows[0].entries;
    assert.deepEqual(
      [kdKd.searchBy, kdKd.trainBy, kdKd.top1, kdKd.top5],
      ['distillation', 'distillation', 0.8, 0.99],
    );
    assert.equal(kdKd.trainedModelId, 'm');
    assert.equal(hardHard.status, 'failed');
    assert.equal(hardHard.error, 'Search failed');
    assert.equal(hardHard.top1, null);
    assert.equal(hardKd.experimentId, 'exp-4-hard-label');
    assert.equal(kdHard.experimentId, 'exp-4-distillation');
    assert.equal(result.rows[1].entries[0].status, 'pending', 'a target without cells shows pending entries');
  });
});

describe('assembleKdFriendlinessResult', () => {
  const config = {
    kind: 'kd-friendliness',
    teacher: { key: 'T1', name: 'resnet', testAccuracy: 0.9 },
    generations: [0, 1],
    seeds: [1],
    students: ['s1', 's2', 's3'].map(student),
    members: [
      { generation: 0, search: 'akd', students: ['s1'] },
      { generation: 0, search: 'nas', students: ['s2', 's3'] },
      { generation: 1, search: 'akd', students: ['s1'] },
      { generation: 1, search: 'nas', students: ['s3'] },
    ],
  } as KdFriendlinessStudyConfig;

  it('computes gains and the winning ratio', () => {
    const cells = [
      trainCell('s1', 'T1', 1, 0.8),
      trainCell('s1', 'GT', 1, 0.7),
      trainCell('s2', 'T1', 1, 0.75),
      trainCell('s2', 'GT', 1, 0.7),
      trainCell('s3', 'T1', 1, 0.6),
      trainCell('s3', 'GT', 1, 0.7),
    ];
    const result = assembleKdFriendlinessResult(config, cells);
    assert.equal(result.complete, true);
    const [first] = result.generations;
    // Gains: s1 +0.10 (AKD); s2 +0.05 and s3 −0.10 (NAS). Average gain 0.10 − (−0.025) = 0.125.
    close(first.akd[0].gain, 0.1, 's1 gain');
    close(first.averageGain, 0.125, 'average gain');
    assert.equal(first.wins, 2);
    assert.equal(first.comparisons, 2);
    assert.equal(first.winningRatio, 1);
  });

  it('leaves a generation with a missing cell open', () => {
    const cells = [
      trainCell('s1', 'T1', 1, 0.8),
      trainCell('s1', 'GT', 1, 0.7),
      trainCell('s2', 'T1', 1, 0.75),
      trainCell('s2', 'GT', 1, null),
      trainCell('s3', 'T1', 1, 0.6),
      trainCell('s3', 'GT', 1, 0.7),
    ];
    const result = assembleKdFriendlinessResult(config, cells);
    assert.equal(result.complete, false);
    assert.equal(result.generations[0].averageGain, null, 'generation 0 needs s2');
    close(result.generations[1].averageGain, 0.2, 'generation 1 has all its students');
  });
});
