import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { buildRankingMatrix } from './ranking-matrix.js';
import type { AccuracyCell } from './ranking-matrix.js';
import { assertClose, assertInvalidInput } from './test-support.js';

/** Expands `{ student: [accuracy per seed] }` into cells for seeds 1, 2, 3, … */
function cellsFor(teacher: string, accuracies: Record<string, number[]>): AccuracyCell[] {
  return Object.entries(accuracies).flatMap(([student, values]) =>
    values.map((accuracy, index) => ({ student, teacher, seed: index + 1, accuracy })),
  );
}

// T1: S1 mean 0.82 (s = 0.02), S2 mean 0.81 (s = 0.02), S3 mean 0.71 (s = 0.01).
const t1 = cellsFor('T1', { S1: [0.8, 0.82, 0.84], S2: [0.79, 0.81, 0.83], S3: [0.7, 0.71, 0.72] });
// T2: S1 mean 0.76, S2 mean 0.86, S3 mean 0.81.
const t2 = cellsFor('T2', { S1: [0.75, 0.76, 0.77], S2: [0.85, 0.86, 0.87], S3: [0.8, 0.81, 0.82] });
// T3 lacks S2's seed 3.
const t3 = cellsFor('T3', { S1: [0.8, 0.8, 0.8], S2: [0.7, 0.7], S3: [0.6, 0.6, 0.6] });

describe('buildRankingMatrix', () => {
  it('summarizes and ranks a complete teacher', () => {
    const matrix = buildRankingMatrix([...t1, ...t2]);
    assert.deepEqual(matrix.students, ['S1', 'S2', 'S3']);
    assert.deepEqual(matrix.teachers, ['T1', 'T2']);
    assert.deepEqual(matrix.seeds, [1, 2, 3]);
    assert.deepEqual(matrix.missing, []);

    const ranking = matrix.rankings[0];
    assert.equal(ranking.complete, true);
    assert.deepEqual(
      ranking.students.map((student) => student.rank),
      [1, 2, 3],
    );
    const s1 = ranking.students[0];
    assert.equal(s1.seeds, 3);
    assertClose(s1.mean, 0.82, 1e-12, 'S1 mean');
    // s² = (0.02² + 0 + 0.02²) / 2 = 0.0004 → s = 0.02, SE = 0.02/√3.
    assertClose(s1.standardDeviation, 0.02, 1e-12, 'S1 standard deviation');
    assertClose(s1.standardError, 0.02 / Math.sqrt(3), 1e-12, 'S1 standard error');
    assert.deepEqual(ranking.best, ['S1']);
  });

  it('flags a within-noise pair', () => {
    const ranking = buildRankingMatrix([...t1, ...t2]).rankings[0];
    const comparisons = ranking.comparisons ?? [];
    assert.deepEqual(
      comparisons.map((comparison) => comparison.students),
      [
        ['S1', 'S2'],
        ['S1', 'S3'],
        ['S2', 'S3'],
      ],
    );

    // S1 vs S2: Δ = 0.01, SE = √(2 · 0.0004/3) ≈ 0.01633, t ≈ 0.612, ν = 4, p ≈ 0.573 ≥ 0.05.
    const [s1s2, s1s3, s2s3] = comparisons;
    assertClose(s1s2.meanDifference, 0.01, 1e-12, 'S1 − S2');
    assertClose(s1s2.t, 0.01 / Math.sqrt(0.0008 / 3), 1e-9, 't(S1, S2)');
    assertClose(s1s2.degreesOfFreedom, 4, 1e-9, 'ν(S1, S2)');
    assertClose(s1s2.pValue, 0.573392, 1e-6, 'p(S1, S2)');
    assert.equal(s1s2.withinNoise, true);

    // S1 vs S3: Δ = 0.11, SE = √(0.0004/3 + 0.0001/3) ≈ 0.012910, t ≈ 8.521,
    // ν = (0.0005/3)² / ((0.0004/3)²/2 + (0.0001/3)²/2) = (25/9) / (17/18) = 50/17, p ≈ 0.0037.
    assertClose(s1s3.t, 0.11 / Math.sqrt(0.0005 / 3), 1e-9, 't(S1, S3)');
    assertClose(s1s3.degreesOfFreedom, 50 / 17, 1e-9, 'ν(S1, S3)');
    assert.ok((s1s3.pValue ?? 1) < 0.05, `p(S1, S3) = ${s1s3.pValue}`);
    assert.equal(s1s3.withinNoise, false);
    assert.equal(s2s3.withinNoise, false);

    assert.deepEqual(ranking.withinNoiseOfBest, ['S2']);
  });

  it('computes Kendall τ between teachers', () => {
    const matrix = buildRankingMatrix([...t1, ...t2]);
    // Means T1: 0.82, 0.81, 0.71. T2: 0.76, 0.86, 0.81.
    // (S1, S2) discordant, (S1, S3) discordant, (S2, S3) concordant → τ = (1 − 2)/3 = −1/3.
    assertClose(matrix.kendallTau[0][1], -1 / 3, 1e-12, 'τ(T1, T2)');
    assertClose(matrix.kendallTau[1][0], -1 / 3, 1e-12, 'τ(T2, T1)');
    assert.equal(matrix.kendallTau[0][0], 1);
  });

  it('reports missing cells without ranks', () => {
    const matrix = buildRankingMatrix([...t1, ...t2, ...t3]);
    assert.deepEqual(matrix.missing, [{ student: 'S2', teacher: 'T3', seed: 3 }]);

    const ranking = matrix.rankings[2];
    assert.equal(ranking.teacher, 'T3');
    assert.equal(ranking.complete, false);
    assert.deepEqual(
      ranking.students.map((student) => student.rank),
      [null, null, null],
    );
    assert.equal(ranking.best, null);
    assert.equal(ranking.withinNoiseOfBest, null);
    assert.equal(ranking.comparisons, null);
    // The partial mean is still reported, with the number of seeds behind it.
    assert.equal(ranking.students[1].seeds, 2);
    assert.equal(ranking.students[1].mean, 0.7);

    assert.equal(matrix.kendallTau[0][2], null);
    assert.equal(matrix.kendallTau[2][1], null);
    assert.equal(matrix.kendallTau[2][2], null);
    assertClose(matrix.kendallTau[0][1], -1 / 3, 1e-12, 'τ(T1, T2)');
  });

  it('reports a student with no cells', () => {
    const matrix = buildRankingMatrix(t1, { students: ['S1', 'S2', 'S3', 'S4'], teachers: ['T1', 'T2'] });
    assert.deepEqual(
      matrix.missing.filter((cell) => cell.teacher === 'T1'),
      [1, 2, 3].map((seed) => ({ student: 'S4', teacher: 'T1', seed })),
    );
    // T2 has no cells at all: 4 students × 3 seeds.
    assert.equal(matrix.missing.filter((cell) => cell.teacher === 'T2').length, 12);
    assert.equal(matrix.rankings[0].students[3].mean, null);
    assert.equal(matrix.rankings[0].complete, false);
  });

  it('shares ranks on tied means', () => {
    const tied = cellsFor('T1', { S1: [0.8, 0.82, 0.84], S2: [0.8, 0.82, 0.84], S3: [0.7, 0.71, 0.72] });
    const ranking = buildRankingMatrix([...tied, ...t2]).rankings[0];
    assert.deepEqual(
      ranking.students.map((student) => student.rank),
      [1.5, 1.5, 3],
    );
    assert.deepEqual(ranking.best, ['S1', 'S2']);
    assert.deepEqual(ranking.withinNoiseOfBest, []);
    // Identical samples: t = 0, p = 1.
    assert.equal(ranking.comparisons?.[0].pValue, 1);
  });

  it('cannot judge noise from one seed', () => {
    const single = [...t1, ...t2].filter((cell) => cell.seed === 1);
    const ranking = buildRankingMatrix(single).rankings[0];
    assert.deepEqual(
      ranking.students.map((student) => student.rank),
      [1, 2, 3],
    );
    assert.equal(ranking.students[0].standardDeviation, null);
    assert.equal(ranking.withinNoiseOfBest, null);
    assert.deepEqual(
      ranking.comparisons?.map((comparison) => comparison.withinNoise),
      [null, null, null],
    );
  });

  it('applies the significance level', () => {
    // p(S1, S2) ≈ 0.573, so α = 0.6 rejects equal means.
    const ranking = buildRankingMatrix([...t1, ...t2], { alpha: 0.6 }).rankings[0];
    assert.equal(ranking.comparisons?.[0].withinNoise, false);
    assert.deepEqual(ranking.withinNoiseOfBest, []);
  });

  it('rejects too few teachers, students or seeds', () => {
    assertInvalidInput(() => buildRankingMatrix(t1), /needs at least 2 teachers, but one was given/);
    const oneStudent = [...t1, ...t2].filter((cell) => cell.student === 'S1');
    assertInvalidInput(() => buildRankingMatrix(oneStudent), /needs at least 2 students, but one was given/);
    assertInvalidInput(
      () => buildRankingMatrix([...t1, ...t2], { seeds: [] }),
      /needs at least one seed, but none were given/,
    );
    assertInvalidInput(() => buildRankingMatrix([]), /needs at least 2 students, but none were given/);
  });

  it('rejects bad cells', () => {
    const cells = [...t1, ...t2];
    assertInvalidInput(
      () => buildRankingMatrix([...cells, { student: 'S1', teacher: 'T1', seed: 2, accuracy: 0.5 }]),
      /cells\[18\] \(student S1, teacher T1, seed 2\) repeats an earlier cell/,
    );
    assertInvalidInput(
      () =>
        buildRankingMatrix([...cells, { student: 'S1', teacher: 'T1', seed: 4, accuracy: 0.5 }], {
          seeds: [1, 2, 3],
        }),
      /has seed 4, which options.seeds does not list/,
    );
    assertInvalidInput(
      () => buildRankingMatrix([...cells, { student: 'S1', teacher: 'T1', seed: 4, accuracy: Number.NaN }]),
      /cells\[18\].accuracy is NaN/,
    );
    assertInvalidInput(
      () => buildRankingMatrix([...cells, { student: 'S1', teacher: 'T1', seed: 4, accuracy: 82 }]),
      /cells\[18\].accuracy is 82. Accuracies must be fractions in \[0, 1\]/,
    );
    assertInvalidInput(() => buildRankingMatrix(cells, { alpha: 0 }), /alpha is 0/);
    assertInvalidInput(
      () => buildRankingMatrix(cells, { teachers: ['T1', 'T2', 'T1'] }),
      /teachers lists T1 twice/,
    );
  });
});
