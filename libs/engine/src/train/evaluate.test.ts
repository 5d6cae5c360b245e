import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyFromLogits } from './evaluate.js';

describe('accuracyFromLogits', () => {
  it('counts top-1 and top-5 hits', () => {
    // 6 classes; example 0 correct, example 1 label ranked 3rd, example 2 label ranked 6th.
    const logits = new Float32Array([9, 1, 2, 3, 4, 5, 0, 1, 2, 9, 8, 3, 6, 5, 4, 3, 2, 1]);
    const result = accuracyFromLogits(logits, [0, 5, 5]);
    assert.equal(result.count, 3);
    assert.equal(result.top1, 1 / 3);
    assert.equal(result.top5, 2 / 3);
  });

  it('counts ties against the example', () => {
    const logits = new Float32Array([1, 1, 1, 1, 1, 1, 1]);
    assert.equal(accuracyFromLogits(logits, [0]).top1, 0);
    assert.equal(accuracyFromLogits(logits, [0]).top5, 0);
  });

  it('returns zero for an empty set', () => {
    assert.deepEqual(accuracyFromLogits(new Float32Array(0), []), { top1: 0, top5: 0, count: 0 });
  });
});
