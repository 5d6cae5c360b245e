import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { AkdError } from '@akd/core';
import { distillationKl, hardLabelLoss, hintonLoss, validateHintonSettings } from './losses.js';

before(async () => {
  await tf.setBackend('cpu');
});

function close(actual: number, expected: number, tolerance = 1e-5): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function softmax(row: number[], temperature = 1): number[] {
  const scaled = row.map((v) => v / temperature);
  const max = Math.max(...scaled);
  const exps = scaled.map((v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

describe('hardLabelLoss', () => {
  it('matches cross-entropy computed by hand', () => {
    const logits = [
      [2, 1, 0],
      [0, 0, 3],
    ];
    const labels = [0, 1];
    const expected =
      -(Math.log(softmax(logits[0])[labels[0]]) + Math.log(softmax(logits[1])[labels[1]])) / logits.length;
    const value = tf.tidy(
      () => hardLabelLoss(tf.tensor2d(logits), tf.tensor1d(labels, 'int32')).dataSync()[0],
    );
    close(value, expected);
  });
});

describe('distillationKl', () => {
  it('matches KL computed by hand at temperature 2', () => {
    const student = [1, 2, 0.5];
    const teacher = [3, -1, 0];
    const p = softmax(teacher, 2);
    const q = softmax(student, 2);
    const expected = p.reduce((sum, pi, i) => sum + pi * Math.log(pi / q[i]), 0);
    const value = tf.tidy(
      () => distillationKl(tf.tensor2d([student]), tf.tensor2d([teacher]), 2).dataSync()[0],
    );
    close(value, expected);
  });

  it('is zero when student logits equal teacher logits', () => {
    const logits = tf.randomNormal([16, 10], 0, 5, 'float32', 3) as tf.Tensor2D;
    const values = tf.tidy(() => distillationKl(logits, logits, 4).dataSync());
    logits.dispose();
    for (const v of values) assert.equal(v, 0);
  });

  it('is never negative on random logits', () => {
    const values = tf.tidy(() =>
      distillationKl(
        tf.randomNormal([256, 10], 0, 10, 'float32', 1) as tf.Tensor2D,
        tf.randomNormal([256, 10], 0, 10, 'float32', 2) as tf.Tensor2D,
        1,
      ).dataSync(),
    );
    for (const v of values) assert.ok(v >= 0, `negative KL ${v}`);
  });
});

describe('hintonLoss', () => {
  it('combines hard and soft terms with lambda and temperature squared', () => {
    const student = [[1, 2, 0.5]];
    const teacher = [[3, -1, 0]];
    const lambda = 0.3;
    const temperature = 2;
    const p = softmax(teacher[0], temperature);
    const q = softmax(student[0], temperature);
    const kl = p.reduce((sum, pi, i) => sum + pi * Math.log(pi / q[i]), 0);
    const ce = -Math.log(softmax(student[0])[1]);
    const expected = (1 - lambda) * ce + lambda * temperature ** 2 * kl;
    const value = tf.tidy(
      () =>
        hintonLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d([1], 'int32'), {
          lambda,
          temperature,
        }).dataSync()[0],
    );
    close(value, expected);
  });

  it('averages both terms over a batch', () => {
    const student = [
      [0.5, -1, 2, 0],
      [1, 1, -2, 3],
    ];
    const teacher = [
      [4, 0, 1, -1],
      [-1, 2, 0, 2.5],
    ];
    const labels = [2, 3];
    const lambda = 0.6;
    const temperature = 3;
    let expected = 0;
    for (let i = 0; i < student.length; i++) {
      const p = softmax(teacher[i], temperature);
      const q = softmax(student[i], temperature);
      const kl = p.reduce((sum, pi, k) => sum + pi * Math.log(pi / q[k]), 0);
      const ce = -Math.log(softmax(student[i])[labels[i]]);
      expected += ((1 - lambda) * ce + lambda * temperature ** 2 * kl) / student.length;
    }
    const value = tf.tidy(
      () =>
        hintonLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor1d(labels, 'int32'), {
          lambda,
          temperature,
        }).dataSync()[0],
    );
    close(value, expected);
  });

  it('has no distillation term when the logits agree and lambda is 1', () => {
    const logits = tf.tensor2d([[0.2, 1.5, -3]]);
    const value = tf.tidy(
      () =>
        hintonLoss(logits, logits, tf.tensor1d([0], 'int32'), { lambda: 1, temperature: 4 }).dataSync()[0],
    );
    logits.dispose();
    assert.equal(value, 0);
  });
});

describe('validateHintonSettings', () => {
  /** Returns an `assert.throws` validator for an INVALID_INPUT AkdError whose message matches `message`. */
  function invalidInput(message: RegExp): (error: unknown) => true {
    return (error) => {
      assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
      assert.equal(error.code, 'INVALID_INPUT');
      assert.match(error.message, message);
      return true;
    };
  }

  for (const temperature of [0, -1, -0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    it(`rejects temperature ${temperature}`, () => {
      assert.throws(
        () => validateHintonSettings({ lambda: 0.5, temperature }),
        invalidInput(
          new RegExp(`Invalid distillation temperature ${temperature}: it must be greater than 0`),
        ),
      );
    });
  }
  for (const lambda of [-0.1, 1.5, 1.0001, Number.NaN]) {
    it(`rejects lambda ${lambda}`, () => {
      assert.throws(
        () => validateHintonSettings({ lambda, temperature: 2 }),
        invalidInput(new RegExp(`Invalid distillation weight lambda=${lambda}: it must be between 0 and 1`)),
      );
    });
  }
  it('accepts the bounds', () => {
    assert.doesNotThrow(() => validateHintonSettings({ lambda: 0, temperature: 1 }));
    assert.doesNotThrow(() => validateHintonSettings({ lambda: 1, temperature: 0.5 }));
  });
});
