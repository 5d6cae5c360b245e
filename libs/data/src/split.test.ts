import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import { largestRemainder, stratifiedSplit } from './split.js';

/** Labels with `counts[label]` examples of each label, interleaved so classes are not contiguous. */
function makeLabels(counts: number[]): Uint8Array {
  const labels: number[] = [];
  const left = [...counts];
  while (left.some((count) => count > 0)) {
    left.forEach((count, label) => {
      if (count > 0) {
        labels.push(label);
        left[label]--;
      }
    });
  }
  return Uint8Array.from(labels);
}

function countPerClass(labels: Uint8Array, indices: Int32Array, numClasses: number): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const index of indices) counts[labels[index]]++;
  return counts;
}

function assertInvalidInput(fn: () => unknown, fragments: string[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    for (const fragment of fragments) {
      assert.ok(
        error.message.includes(fragment),
        `message ${JSON.stringify(error.message)} lacks "${fragment}"`,
      );
    }
    return true;
  });
}

describe('largestRemainder', () => {
  it('gives leftovers to largest fractions', () => {
    // Exact shares 3.5, 2.1 and 1.4: floors 3, 2, 1 leave one unit for the 0.5 fraction.
    assert.deepEqual(largestRemainder(7, [5, 3, 2]), [4, 2, 1]);
  });

  it('breaks ties toward the lower index', () => {
    assert.deepEqual(largestRemainder(2, [1, 1, 1]), [1, 1, 0]);
  });

  it('never exceeds a weight', () => {
    for (let size = 0; size <= 100; size++) {
      const parts = largestRemainder(size, [1, 99]);
      assert.equal(parts[0] + parts[1], size);
      assert.ok(parts[0] <= 1, `size ${size} gave ${parts[0]} to the weight 1`);
      assert.ok(parts[1] <= 99, `size ${size} gave ${parts[1]} to the weight 99`);
    }
  });
});

describe('stratifiedSplit', () => {
  const balanced = makeLabels(new Array<number>(10).fill(100));

  it('returns disjoint sorted valid indices', () => {
    const { train, val } = stratifiedSplit(balanced, { trainSize: 500, valSize: 200, seed: 1 });
    assert.equal(train.length, 500);
    assert.equal(val.length, 200);
    const all = new Set([...train, ...val]);
    assert.equal(all.size, 700, 'train and val must not share indices');
    for (const index of all) assert.ok(index >= 0 && index < balanced.length, `index ${index} out of range`);
    assert.deepEqual(
      [...train],
      [...train].sort((a, b) => a - b),
    );
    assert.deepEqual(
      [...val],
      [...val].sort((a, b) => a - b),
    );
  });

  it('keeps class shares when balanced', () => {
    const { train, val } = stratifiedSplit(balanced, { trainSize: 500, valSize: 200, seed: 1 });
    assert.deepEqual(countPerClass(balanced, train, 10), new Array<number>(10).fill(50));
    assert.deepEqual(countPerClass(balanced, val, 10), new Array<number>(10).fill(20));
  });

  it('keeps class shares when unbalanced', () => {
    const labels = makeLabels([600, 300, 100]);
    const { train, val } = stratifiedSplit(labels, { trainSize: 100, valSize: 50, seed: 3 });
    // 150 taken as 90/45/15, then 100 of those for training as 60/30/10.
    assert.deepEqual(countPerClass(labels, train, 3), [60, 30, 10]);
    assert.deepEqual(countPerClass(labels, val, 3), [30, 15, 5]);
  });

  it('can take every example', () => {
    const labels = makeLabels([1, 99]);
    const { train, val } = stratifiedSplit(labels, { trainSize: 50, valSize: 50, seed: 9 });
    assert.equal(new Set([...train, ...val]).size, 100);
    assert.deepEqual(countPerClass(labels, train, 2), [1, 49]);
    assert.deepEqual(countPerClass(labels, val, 2), [0, 50]);
  });

  it('is deterministic for a seed', () => {
    const first = stratifiedSplit(balanced, { trainSize: 300, valSize: 100, seed: 42 });
    const second = stratifiedSplit(balanced, { trainSize: 300, valSize: 100, seed: 42 });
    assert.deepEqual(first.train, second.train);
    assert.deepEqual(first.val, second.val);

    const other = stratifiedSplit(balanced, { trainSize: 300, valSize: 100, seed: 43 });
    assert.notDeepEqual(other.train, first.train);
  });

  it('rejects sizes above the total', () => {
    assertInvalidInput(
      () => stratifiedSplit(balanced, { trainSize: 900, valSize: 101, seed: 1 }),
      ['trainSize 900 + valSize 101 = 1001', '1000 labelled examples'],
    );
  });

  it('rejects invalid sizes and seeds', () => {
    assertInvalidInput(
      () => stratifiedSplit(balanced, { trainSize: -1, valSize: 0, seed: 1 }),
      ['trainSize', '-1'],
    );
    assertInvalidInput(
      () => stratifiedSplit(balanced, { trainSize: 10, valSize: 2.5, seed: 1 }),
      ['valSize', '2.5'],
    );
    assertInvalidInput(
      () => stratifiedSplit(balanced, { trainSize: 10, valSize: 0, seed: 0.5 }),
      ['seed', '0.5'],
    );
  });
});
