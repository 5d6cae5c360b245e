import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AkdError } from '@akd/core';
import { computeReward, rewardPresets, validateRewardConfig } from './reward.js';

const soft = { targetMs: 20, ...rewardPresets.soft };
const hard = { targetMs: 20, ...rewardPresets.hard };

function assertClose(actual: number, expected: number, tolerance = 1e-12): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

describe('computeReward', () => {
  it('presets match MnasNet exponents', () => {
    assert.deepEqual(rewardPresets.soft, { alpha: -0.07, beta: -0.07 });
    assert.deepEqual(rewardPresets.hard, { alpha: 0, beta: -1 });
  });

  it('soft constraint below, at and above target', () => {
    // 0.8 × (10/20)^-0.07 = 0.8 × 2^0.07 = 0.8 × 1.049717
    assertClose(computeReward(0.8, 10, soft), 0.8 * Math.pow(2, 0.07));
    assertClose(computeReward(0.8, 10, soft), 0.839773, 1e-6);
    assert.equal(computeReward(0.8, 20, soft), 0.8);
    // 0.8 × (40/20)^-0.07 = 0.8 × 0.952638
    assertClose(computeReward(0.8, 40, soft), 0.76211, 1e-6);
  });

  it('hard constraint below, at and above target', () => {
    assert.equal(computeReward(0.8, 10, hard), 0.8);
    assert.equal(computeReward(0.8, 20, hard), 0.8);
    // 0.8 × (40/20)^-1 = 0.4
    assertClose(computeReward(0.8, 40, hard), 0.4);
    assertClose(computeReward(0.9, 30, hard), 0.6);
  });

  it('missing exponents default to soft', () => {
    assert.equal(computeReward(0.5, 40, { targetMs: 20 }), computeReward(0.5, 40, soft));
    assert.equal(computeReward(0.5, 10, { targetMs: 20 }), computeReward(0.5, 10, soft));
  });

  it('alpha applies at the target exactly', () => {
    const asymmetric = { targetMs: 20, alpha: -0.5, beta: -2 };
    assert.equal(computeReward(0.6, 20, asymmetric), 0.6);
    assertClose(computeReward(0.6, 5, asymmetric), 0.6 * 2);
    assertClose(computeReward(0.6, 40, asymmetric), 0.6 / 4);
  });

  it('zero accuracy gives zero reward', () => {
    assert.equal(computeReward(0, 5, soft), 0);
    assert.equal(computeReward(0, 50, hard), 0);
  });

  const invalidCases: [string, () => number, RegExp][] = [
    ['target zero', () => computeReward(0.5, 10, { targetMs: 0 }), /latency target 0 ms/],
    ['target negative', () => computeReward(0.5, 10, { targetMs: -5 }), /latency target -5 ms/],
    ['target NaN', () => computeReward(0.5, 10, { targetMs: NaN }), /latency target NaN ms/],
    ['accuracy NaN', () => computeReward(NaN, 10, soft), /accuracy NaN/],
    ['accuracy above one', () => computeReward(1.2, 10, soft), /accuracy 1\.2/],
    ['accuracy negative', () => computeReward(-0.1, 10, soft), /accuracy -0\.1/],
    ['latency NaN', () => computeReward(0.5, NaN, soft), /latency NaN ms/],
    ['latency zero', () => computeReward(0.5, 0, soft), /latency 0 ms/],
    ['latency infinite', () => computeReward(0.5, Infinity, soft), /latency Infinity ms/],
    ['alpha NaN', () => computeReward(0.5, 10, { targetMs: 20, alpha: NaN }), /alpha=NaN/],
    ['beta infinite', () => computeReward(0.5, 10, { targetMs: 20, beta: -Infinity }), /beta=-Infinity/],
  ];
  for (const [name, call, message] of invalidCases) {
    it(`rejects ${name}`, () => {
      assert.throws(call, (error: unknown) => {
        assert.ok(error instanceof AkdError);
        assert.equal(error.code, 'INVALID_INPUT');
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('validateRewardConfig checks target and exponents', () => {
    assert.doesNotThrow(() => validateRewardConfig(soft));
    assert.throws(() => validateRewardConfig({ targetMs: 0 }), /latency target 0 ms/);
    assert.throws(() => validateRewardConfig({ targetMs: 10, alpha: NaN }), /alpha=NaN/);
  });
});
