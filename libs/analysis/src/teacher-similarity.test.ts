import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { DEFAULT_LABEL_SMOOTHING, GROUND_TRUTH_NAME, compareTeachers } from './teacher-similarity.js';
import type { TeacherLogitsInput } from './teacher-similarity.js';
import { assertClose, assertInvalidInput } from './test-support.js';

const LN2 = Math.log(2);

/** Builds a teacher from logits rows. */
function teacher(name: string, rows: number[][]): TeacherLogitsInput {
  return { name, logits: { rows: rows.length, cols: rows[0].length, data: Float32Array.from(rows.flat()) } };
}

// Teacher A: row 0 logits (0, 0, 0) → p = (1/3, 1/3, 1/3); row 1 (ln 2, 0, 0) → p = (1/2, 1/4, 1/4).
// Teacher B: row 0 (ln 2, 0, 0) → q = (1/2, 1/4, 1/4); row 1 (0, ln 2, 0) → q = (1/4, 1/2, 1/4).
// Logits are float32, so ln 2 carries a relative rounding of about 1e-8 into the probabilities.
const a = teacher('A', [
  [0, 0, 0],
  [LN2, 0, 0],
]);
const b = teacher('B', [
  [LN2, 0, 0],
  [0, LN2, 0],
]);
const FLOAT32_TOLERANCE = 1e-7;

describe('compareTeachers', () => {
  it('computes mean KL in both directions', () => {
    const result = compareTeachers([a, b]);
    assert.deepEqual(result.names, ['A', 'B']);
    // KL(A‖B), row 0: (1/3)[ln((1/3)/(1/2)) + 2 ln((1/3)/(1/4))] = (1/3) ln(32/27).
    //          row 1: (1/2) ln((1/2)/(1/4)) + (1/4) ln((1/4)/(1/2)) + 0 = (1/4) ln 2.
    const klAB = ((1 / 3) * Math.log(32 / 27) + LN2 / 4) / 2;
    // KL(B‖A), row 0: (1/2) ln(3/2) + 2·(1/4) ln(3/4) = (1/2) ln(9/8).
    //          row 1: (1/4) ln((1/4)/(1/2)) + (1/2) ln((1/2)/(1/4)) + 0 = (1/4) ln 2.
    const klBA = (0.5 * Math.log(9 / 8) + LN2 / 4) / 2;
    assertClose(result.meanKl[0][1], klAB, FLOAT32_TOLERANCE, 'KL(A‖B)');
    assertClose(result.meanKl[0][1], 0.11496, 1e-6, 'KL(A‖B)');
    assertClose(result.meanKl[1][0], klBA, FLOAT32_TOLERANCE, 'KL(B‖A)');
    assert.equal(result.meanKl[0][0], 0);
    assert.equal(result.meanKl[1][1], 0);
  });

  it('counts top-1 agreement', () => {
    // Row 0: A is uniform, so its top-1 is the lowest class, 0; B's is 0 → agree.
    // Row 1: A's top-1 is 0, B's is 1 → disagree. Agreement 1/2.
    const result = compareTeachers([a, b]);
    assert.deepEqual(result.agreement, [
      [1, 0.5],
      [0.5, 1],
    ]);
  });

  it('applies the temperature to logits', () => {
    // softmax(2z / 2) = softmax(z), so doubling logits at T = 2 reproduces T = 1.
    const doubled = (input: TeacherLogitsInput): TeacherLogitsInput => ({
      name: input.name,
      logits: { ...input.logits, data: Array.from(input.logits.data, (value) => value * 2) },
    });
    const base = compareTeachers([a, b]);
    const scaled = compareTeachers([doubled(a), doubled(b)], { temperature: 2 });
    assert.equal(scaled.temperature, 2);
    assertClose(scaled.meanKl[0][1], base.meanKl[0][1], 1e-12, 'KL(A‖B)');
    assertClose(scaled.meanKl[1][0], base.meanKl[1][0], 1e-12, 'KL(B‖A)');
  });

  it('softens with a higher temperature', () => {
    // At T = 2, A row 1 becomes softmax(ln 2 / 2, 0, 0) = (√2, 1, 1) / (2 + √2).
    const sqrt2 = Math.SQRT2;
    const p1 = [sqrt2 / (2 + sqrt2), 1 / (2 + sqrt2), 1 / (2 + sqrt2)];
    const q1 = [1 / (2 + sqrt2), sqrt2 / (2 + sqrt2), 1 / (2 + sqrt2)];
    const q0 = p1;
    const p0 = [1 / 3, 1 / 3, 1 / 3];
    const kl = (p: number[], q: number[]): number =>
      p.reduce((sum, pc, c) => sum + pc * Math.log(pc / q[c]), 0);
    const result = compareTeachers([a, b], { temperature: 2 });
    assertClose(result.meanKl[0][1], (kl(p0, q0) + kl(p1, q1)) / 2, FLOAT32_TOLERANCE, 'KL(A‖B) at T = 2');
    assert.ok(result.meanKl[0][1] < compareTeachers([a, b]).meanKl[0][1]);
  });

  it('adds smoothed ground truth', () => {
    // Labels (0, 2) with ε = 0.3 over C = 3: the true class gets 0.7 + 0.1 = 0.8, the others 0.1.
    const result = compareTeachers([a, b], { labels: [0, 2], labelSmoothing: 0.3 });
    assert.deepEqual(result.names, ['A', 'B', GROUND_TRUTH_NAME]);
    assert.equal(result.labelSmoothing, 0.3);
    // KL(A‖GT), row 0: p = 1/3 each, q = (0.8, 0.1, 0.1): (1/3) ln((1/27) / (0.8 · 0.01)) = (1/3) ln(125/27).
    //           row 1: p = (1/2, 1/4, 1/4), q = (0.1, 0.1, 0.8): (1/2) ln 5 + (1/4) ln 2.5 + (1/4) ln(1/3.2).
    const klAGt = ((1 / 3) * Math.log(125 / 27) + 0.5 * Math.log(5) + 0.25 * Math.log(2.5 / 3.2)) / 2;
    assertClose(result.meanKl[0][2], klAGt, FLOAT32_TOLERANCE, 'KL(A‖GT)');
    // KL(GT‖A), row 0: 0.8 ln(0.8 · 3) + 2 · 0.1 ln(0.1 · 3).
    //           row 1: 0.1 ln(0.1/0.5) + 0.1 ln(0.1/0.25) + 0.8 ln(0.8/0.25).
    const klGtA =
      (0.8 * Math.log(2.4) +
        0.2 * Math.log(0.3) +
        0.1 * Math.log(0.2) +
        0.1 * Math.log(0.4) +
        0.8 * Math.log(3.2)) /
      2;
    assertClose(result.meanKl[2][0], klGtA, FLOAT32_TOLERANCE, 'KL(GT‖A)');
    // GT's top-1 is the label: A agrees on row 0 only, B on row 0 only (row 1: class 1 vs 2).
    assert.equal(result.agreement[0][2], 0.5);
    assert.equal(result.agreement[2][1], 0.5);
    assert.equal(result.agreement[2][2], 1);
  });

  it('bounds KL to ground truth by ln(C/ε)', () => {
    // A teacher certain of the wrong class is the worst case: KL → ln(C/ε).
    const wrong = teacher('wrong', [[0, 0, 60]]);
    const other = teacher('other', [[0, 0, 0]]);
    const result = compareTeachers([wrong, other], { labels: [0] });
    assert.equal(result.labelSmoothing, DEFAULT_LABEL_SMOOTHING);
    assert.ok(result.meanKl[0][2] <= Math.log(3 / DEFAULT_LABEL_SMOOTHING));
    assertClose(result.meanKl[0][2], Math.log(3 / DEFAULT_LABEL_SMOOTHING), 1e-9, 'KL(wrong‖GT)');
  });

  it('rejects fewer than two teachers', () => {
    assertInvalidInput(() => compareTeachers([a]), /at least two teachers, but 1 was given/);
    assertInvalidInput(() => compareTeachers([a], { labels: [0, 1] }), /at least two teachers/);
  });

  it('rejects mismatched rows and classes', () => {
    const short = teacher('short', [[0, 0, 0]]);
    assertInvalidInput(() => compareTeachers([a, short]), /Teacher short has 1 rows but A has 2/);
    const narrow = teacher('narrow', [
      [0, 0],
      [0, 0],
    ]);
    assertInvalidInput(() => compareTeachers([a, narrow]), /Teacher narrow has 2 classes but A has 3/);
    const truncated = { name: 'truncated', logits: { rows: 2, cols: 3, data: [0, 0, 0, 0, 0] } };
    assertInvalidInput(
      () => compareTeachers([a, truncated]),
      /Teacher truncated has 5 logits, not 2 × 3 = 6/,
    );
  });

  it('rejects NaN logits', () => {
    const broken = teacher('broken', [
      [0, 0, 0],
      [0, Number.NaN, 0],
    ]);
    assertInvalidInput(() => compareTeachers([a, broken]), /row 1, class 1 of teacher broken is NaN/);
  });

  it('rejects bad labels and options', () => {
    assertInvalidInput(
      () => compareTeachers([a, b], { labels: [0] }),
      /labels has 1 entries but the teachers score 2/,
    );
    assertInvalidInput(
      () => compareTeachers([a, b], { labels: [0, 3] }),
      /labels\[1\] is 3. Labels must be class indices from 0 to 2/,
    );
    assertInvalidInput(
      () => compareTeachers([a, b], { labels: [0, 1], labelSmoothing: 0 }),
      /labelSmoothing is 0/,
    );
    assertInvalidInput(
      () => compareTeachers([a, b], { labelSmoothing: 0.1 }),
      /labelSmoothing was given without labels/,
    );
    assertInvalidInput(() => compareTeachers([a, b], { temperature: 0 }), /temperature is 0/);
    assertInvalidInput(() => compareTeachers([a, { ...b, name: 'A' }]), /teachers lists A twice/);
    assertInvalidInput(
      () => compareTeachers([a, { ...b, name: GROUND_TRUTH_NAME }], { labels: [0, 1] }),
      /reserved for the ground truth/,
    );
  });
});
