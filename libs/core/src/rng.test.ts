import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AkdError } from './errors.js';
import { Rng } from './rng.js';

function draws(rng: Rng, count: number): number[] {
  return Array.from({ length: count }, () => rng.nextUint32());
}

/** Returns an `assert.throws` validator for an INVALID_INPUT AkdError whose message matches `message`. */
function invalidInput(message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  };
}

describe('Rng', () => {
  it('repeats a sequence for the same seed', () => {
    assert.deepEqual(draws(new Rng(42), 20), draws(new Rng(42), 20));
  });

  it('differs between seeds', () => {
    assert.notDeepEqual(draws(new Rng(1), 20), draws(new Rng(2), 20));
  });

  it('seed 0 gives a working generator', () => {
    const values = draws(new Rng(0), 20);
    assert.ok(new Set(values).size > 15, `values ${values.join(', ')}`);
  });

  it('resumes the exact sequence from its state', () => {
    const uninterrupted = new Rng(7);
    const expected = draws(uninterrupted, 50);

    const interrupted = new Rng(7);
    const head = draws(interrupted, 17);
    // The state goes through JSON, as a search checkpoint stores it.
    const saved = JSON.parse(JSON.stringify(interrupted.state())) as number[];
    const resumed = new Rng(saved);
    assert.deepEqual([...head, ...draws(resumed, 33)], expected);
  });

  it('state() returns a copy', () => {
    const rng = new Rng(3);
    const state = rng.state();
    rng.nextUint32();
    assert.notDeepEqual(rng.state(), state);
    assert.equal(state.length, 4);
  });

  it('stays in range', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 2000; i++) {
      const u = rng.next();
      assert.ok(u >= 0, `next() gave ${u}`);
      assert.ok(u < 1, `next() gave ${u}`);
      const k = rng.int(7);
      assert.ok(Number.isInteger(k), `int(7) gave ${k}`);
      assert.ok(k >= 0, `int(7) gave ${k}`);
      assert.ok(k < 7, `int(7) gave ${k}`);
    }
  });

  it('int() draws values uniformly', () => {
    const rng = new Rng(5);
    const counts = new Array<number>(6).fill(0);
    const samples = 6000;
    for (let i = 0; i < samples; i++) counts[rng.int(6)] += 1;
    // Each count has mean 1000 and standard deviation √(6000·(1/6)·(5/6)) ≈ 28.9, so 144 is five of them.
    for (const [value, count] of counts.entries()) {
      assert.ok(Math.abs(count - 1000) < 144, `value ${value} drawn ${count} times of ${samples}`);
    }
  });

  it('normal() has mean 0 and variance 1', () => {
    const rng = new Rng(9);
    const samples = Array.from({ length: 20000 }, () => rng.normal());
    const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
    const variance = samples.reduce((a, b) => a + (b - mean) ** 2, 0) / samples.length;
    assert.ok(Math.abs(mean) < 0.05, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.05, `variance ${variance}`);
  });

  it('shuffle() permutes in place', () => {
    const items = Array.from({ length: 30 }, (_, i) => i);
    const shuffled = new Rng(4).shuffle(items);
    assert.equal(shuffled, items);
    assert.deepEqual(
      [...shuffled].sort((a, b) => a - b),
      Array.from({ length: 30 }, (_, i) => i),
    );
    assert.notDeepEqual(
      shuffled,
      Array.from({ length: 30 }, (_, i) => i),
    );
    assert.deepEqual(new Rng(4).shuffle(Array.from({ length: 30 }, (_, i) => i)), shuffled);
  });

  it('pick() rejects an empty list', () => {
    assert.throws(() => new Rng(1).pick([]), /empty list/);
  });

  for (const [name, state, message] of [
    ['three words', [1, 2, 3], /Invalid Rng state \[1, 2, 3\]: expected four unsigned 32-bit integers/],
    ['a negative word', [1, -2, 3, 4], /Invalid Rng state \[1, -2, 3, 4\]/],
    ['a word above 2³²−1', [1, 2, 3, 2 ** 32], /Invalid Rng state \[1, 2, 3, 4294967296\]/],
    ['a fraction', [1, 2.5, 3, 4], /Invalid Rng state \[1, 2\.5, 3, 4\]/],
    ['all zero', [0, 0, 0, 0], /Invalid Rng state \[0, 0, 0, 0\]: .*at least one word must be non-zero/],
  ] as const) {
    it(`rejects a state of ${name}`, () => {
      assert.throws(() => new Rng(state), invalidInput(message));
    });
  }
});
