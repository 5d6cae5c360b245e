import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ABLATION_SETTINGS, buildAblationTable } from './ablation.js';
import type { AblationResult, LabelSource } from './ablation.js';
import { assertInvalidInput } from './test-support.js';

function result(
  latencyTargetMs: number,
  searchBy: LabelSource,
  trainBy: LabelSource,
  top1: number,
  top5 = Math.min(1, top1 + 0.1),
): AblationResult {
  return { latencyTargetMs, searchBy, trainBy, top1, top5 };
}

// Two targets × four settings, with target 10 ms lacking (distillation, hard-label).
const results: AblationResult[] = [
  result(20, 'hard-label', 'hard-label', 0.85),
  result(20, 'hard-label', 'distillation', 0.86),
  result(20, 'distillation', 'hard-label', 0.855),
  result(20, 'distillation', 'distillation', 0.87),
  result(10, 'distillation', 'distillation', 0.84, 0.97),
  result(10, 'hard-label', 'hard-label', 0.82),
  result(10, 'hard-label', 'distillation', 0.83),
];

describe('buildAblationTable', () => {
  it('orders settings searchBy then trainBy', () => {
    assert.deepEqual(ABLATION_SETTINGS, [
      { searchBy: 'hard-label', trainBy: 'hard-label' },
      { searchBy: 'hard-label', trainBy: 'distillation' },
      { searchBy: 'distillation', trainBy: 'hard-label' },
      { searchBy: 'distillation', trainBy: 'distillation' },
    ]);
  });

  it('fills cells and flags missing ones', () => {
    const table = buildAblationTable(results);
    assert.deepEqual(
      table.rows.map((row) => row.latencyTargetMs),
      [10, 20],
    );
    const fast = table.rows[0].cells;
    assert.deepEqual(
      fast.map((cell) => cell.top1),
      [0.82, 0.83, null, 0.84],
    );
    assert.deepEqual(
      fast.map((cell) => cell.missing),
      [false, false, true, false],
    );
    assert.equal(fast[3].top5, 0.97);
    assert.equal(fast[2].top5, null);
    assert.deepEqual(table.missing, [
      { latencyTargetMs: 10, searchBy: 'distillation', trainBy: 'hard-label' },
    ]);
    assert.ok(table.rows[1].cells.every((cell) => !cell.missing));
  });

  it('lists targets without results', () => {
    const table = buildAblationTable(results, [20, 10, 30]);
    assert.deepEqual(
      table.rows.map((row) => row.latencyTargetMs),
      [20, 10, 30],
    );
    assert.ok(table.rows[2].cells.every((cell) => cell.missing && cell.top1 === null));
    assert.equal(table.missing.length, 1 + 4);
  });

  it('rejects bad results', () => {
    assertInvalidInput(
      () => buildAblationTable([...results, result(20, 'hard-label', 'hard-label', 0.8)]),
      /results\[7\] \(target 20 ms, searchBy hard-label, trainBy hard-label\) repeats an earlier result/,
    );
    assertInvalidInput(
      () => buildAblationTable([result(20, 'hard-label', 'hard-label', 0.9, 0.8)]),
      /top-5 accuracy 0.8 below its top-1 accuracy 0.9/,
    );
    assertInvalidInput(
      () => buildAblationTable([result(20, 'hard-label', 'hard-label', Number.NaN)]),
      /results\[0\].top1 is NaN/,
    );
    assertInvalidInput(
      () =>
        buildAblationTable([
          { ...result(20, 'hard-label', 'hard-label', 0.8), searchBy: 'kd' as LabelSource },
        ]),
      /results\[0\].searchBy is "kd". Use hard-label or distillation/,
    );
    assertInvalidInput(() => buildAblationTable(results, [20]), /latencyTargetsMs does not list/);
    assertInvalidInput(() => buildAblationTable([]), /needs at least one latency target/);
    assertInvalidInput(
      () => buildAblationTable([], [0]),
      /latencyTargetsMs\[0\] is 0. It must be greater than 0/,
    );
  });
});
