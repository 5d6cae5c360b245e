import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { AkdError } from '@akd/core';
import { LayerFactory } from '../model/layer-factory.js';
import { ArrayBatchSource, syntheticImages } from '../testing/synthetic.js';
import { predictLogits } from '../train/evaluate.js';
import { trainModel } from '../train/trainer.js';
import {
  ccKdLoss,
  correlationCongruenceLoss,
  DEFAULT_CC_KD_SETTINGS,
  taylorRbfCorrelation,
  validateCcKdSettings,
  type CcKdSettings,
} from './correlation-congruence.js';
import { predictLogitsAndFeatures } from './features.js';

before(async () => {
  await tf.setBackend('cpu');
});

/** Returns an `assert.rejects` validator for an INVALID_INPUT AkdError whose message matches `message`. */
function invalidInput(message: RegExp): (error: unknown) => true {
  return (error) => {
    assert.ok(error instanceof AkdError, `expected an AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    assert.match(error.message, message);
    return true;
  };
}

function close(actual: number, expected: number, tolerance = 1e-5): void {
  assert.ok(Math.abs(actual - expected) <= tolerance, `expected ${expected}, got ${actual}`);
}

function softmax(row: number[], temperature = 1): number[] {
  const exps = row.map((v) => Math.exp(v / temperature));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / sum);
}

// Taylor kernel of order 2 at γ = 0.4 for unit vectors with dot product s:
// e^(−2γ)·(1 + 2γ·s + (2γ·s)²/2) = e^(−0.8)·(1 + 0.8·s + 0.32·s²).
const E = Math.exp(-0.8);
const K1 = E * (1 + 0.8 + 0.32); // s = 1: e^(−0.8)·2.12 ≈ 0.952578
const K06 = E * (1 + 0.8 * 0.6 + 0.32 * 0.36); // s = 0.6: e^(−0.8)·1.5952 ≈ 0.716770
const K08 = E * (1 + 0.8 * 0.8 + 0.32 * 0.64); // s = 0.8: e^(−0.8)·1.8448 ≈ 0.828922
const K0 = E; // s = 0: e^(−0.8) ≈ 0.449329

// Student embeddings (width 2): (3, 4), (1, 0), (0, 2) normalise to (0.6, 0.8), (1, 0), (0, 1).
// Dot products: s12 = 0.6, s13 = 0.8, s23 = 0, and 1 on the diagonal.
const STUDENT_EMBEDDINGS = [
  [3, 4],
  [1, 0],
  [0, 2],
];
// Teacher embeddings (width 3): (1, 0, 0), (2, 0, 0), (0, 0, 5) normalise to e1, e1, e3.
// Dot products: t12 = 1, t13 = 0, t23 = 0, and 1 on the diagonal.
const TEACHER_EMBEDDINGS = [
  [1, 0, 0],
  [2, 0, 0],
  [0, 0, 5],
];
// Ψ_t − Ψ_s is zero on the diagonal and at (2, 3). It is K1 − K06 at (1, 2) and K0 − K08 at (1, 3),
// each twice by symmetry, so L_CC = 2·((K1 − K06)² + (K0 − K08)²) / 9.
const EXPECTED_CC = (2 * ((K1 - K06) ** 2 + (K0 - K08) ** 2)) / 9;

describe('taylorRbfCorrelation', () => {
  it('matches the Taylor kernel by hand for 3 embeddings of size 2', () => {
    const matrix = tf.tidy(() => taylorRbfCorrelation(tf.tensor2d(STUDENT_EMBEDDINGS), 0.4).arraySync());
    const expected = [
      [K1, K06, K08],
      [K06, K1, K0],
      [K08, K0, K1],
    ];
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) close(matrix[i][j], expected[i][j]);
    }
  });

  it('ignores the scale of each embedding', () => {
    const [plain, scaled] = tf.tidy(() => [
      taylorRbfCorrelation(tf.tensor2d(STUDENT_EMBEDDINGS), 0.4).dataSync(),
      taylorRbfCorrelation(tf.mul(tf.tensor2d(STUDENT_EMBEDDINGS), 7) as tf.Tensor2D, 0.4).dataSync(),
    ]);
    plain.forEach((value, i) => close(scaled[i], value));
  });

  it('gives e^(−2γ) for an all-zero embedding', () => {
    const matrix = tf.tidy(() =>
      taylorRbfCorrelation(
        tf.tensor2d([
          [0, 0],
          [1, 0],
        ]),
        0.4,
      ).arraySync(),
    );
    close(matrix[0][0], K0);
    close(matrix[0][1], K0);
    close(matrix[1][1], K1);
  });
});

describe('correlationCongruenceLoss', () => {
  it('matches the loss by hand across embedding widths 2 and 3', () => {
    const value = tf.tidy(
      () =>
        correlationCongruenceLoss(
          tf.tensor2d(STUDENT_EMBEDDINGS),
          tf.tensor2d(TEACHER_EMBEDDINGS),
          0.4,
        ).dataSync()[0],
    );
    close(value, EXPECTED_CC);
  });

  it('is zero when the correlations agree', () => {
    const value = tf.tidy(
      () =>
        correlationCongruenceLoss(
          tf.tensor2d(STUDENT_EMBEDDINGS),
          tf.mul(tf.tensor2d(STUDENT_EMBEDDINGS), 3) as tf.Tensor2D,
          0.4,
        ).dataSync()[0],
    );
    close(value, 0, 1e-7);
  });

  it('rejects batches of different sizes', () => {
    const student = tf.tensor2d(STUDENT_EMBEDDINGS);
    const teacher = tf.tensor2d([[1, 0, 0]]);
    assert.throws(() => correlationCongruenceLoss(student, teacher, 0.4), /cover 3 and 1 examples/);
    tf.dispose([student, teacher]);
  });
});

describe('ccKdLoss', () => {
  it('matches Hinton plus beta·L_CC by hand', () => {
    const studentLogits = [
      [1, 2, 0.5],
      [0, -1, 2],
      [0.3, 0.3, 0.3],
    ];
    const teacherLogits = [
      [3, -1, 0],
      [1, 0, 0],
      [0, 2, 1],
    ];
    const labels = [1, 2, 0];
    const settings: CcKdSettings = { lambda: 0.7, temperature: 2, beta: 0.5, gamma: 0.4 };

    // Per row: CE = −log softmax(s)[y] and KL = Σ p·log(p / q) with p = softmax(t/τ), q = softmax(s/τ).
    let ce = 0;
    let kl = 0;
    for (let i = 0; i < 3; i++) {
      ce -= Math.log(softmax(studentLogits[i])[labels[i]]);
      const p = softmax(teacherLogits[i], 2);
      const q = softmax(studentLogits[i], 2);
      kl += p.reduce((sum, pk, k) => sum + pk * Math.log(pk / q[k]), 0);
    }
    // (1 − λ)·mean CE + λ·τ²·mean KL + β·L_CC with λ = 0.7, τ = 2, β = 0.5.
    const expected = (0.3 * ce) / 3 + (0.7 * 4 * kl) / 3 + 0.5 * EXPECTED_CC;

    const value = tf.tidy(
      () =>
        ccKdLoss(
          { logits: tf.tensor2d(studentLogits), embeddings: tf.tensor2d(STUDENT_EMBEDDINGS) },
          { logits: tf.tensor2d(teacherLogits), embeddings: tf.tensor2d(TEACHER_EMBEDDINGS) },
          tf.tensor1d(labels, 'int32'),
          settings,
        ).dataSync()[0],
    );
    close(value, expected);
  });
});

describe('validateCcKdSettings', () => {
  const base = DEFAULT_CC_KD_SETTINGS;
  for (const temperature of [0, -2]) {
    it(`rejects temperature ${temperature}`, () => {
      assert.throws(
        () => validateCcKdSettings({ ...base, temperature }),
        invalidInput(/temperature .*greater than 0/),
      );
    });
  }
  for (const lambda of [-0.5, 1.01]) {
    it(`rejects lambda ${lambda}`, () => {
      assert.throws(
        () => validateCcKdSettings({ ...base, lambda }),
        invalidInput(/lambda=.*between 0 and 1/),
      );
    });
  }
  for (const beta of [-0.1, 2, Number.NaN]) {
    it(`rejects beta ${beta}`, () => {
      assert.throws(
        () => validateCcKdSettings({ ...base, beta }),
        invalidInput(new RegExp(`beta=${beta}: .*between 0 and 1`)),
      );
    });
  }
  for (const gamma of [0, -0.4, Number.POSITIVE_INFINITY]) {
    it(`rejects gamma ${gamma}`, () => {
      assert.throws(
        () => validateCcKdSettings({ ...base, gamma }),
        invalidInput(new RegExp(`gamma=${gamma}: .*greater than 0`)),
      );
    });
  }
  it('accepts the defaults', () => {
    assert.doesNotThrow(() => validateCcKdSettings(base));
    assert.deepEqual({ ...base }, { lambda: 1, temperature: 1, beta: 0.003, gamma: 0.4 });
  });
});

describe('trainModel with the cc-kd loss', () => {
  const shape: [number, number, number] = [8, 8, 1];
  const { images, labels } = syntheticImages(32, shape, 4, 11);

  function tinyModel(seed: number, width: number): tfl.LayersModel {
    const f = new LayerFactory(seed);
    const input = tfl.input({ shape });
    const x = f.convBn(input, width, 3, 2);
    return tfl.model({ inputs: input, outputs: f.dense(f.globalAveragePool(f.convBn(x, width, 1)), 4) });
  }

  it('trains a student from teacher logits and features of another width', async () => {
    const teacher = tinyModel(1, 12);
    await trainModel(teacher, new ArrayBatchSource(images, labels, shape, 16), {
      epochs: 3,
      batchSize: 16,
      learningRate: 0.02,
      loss: { kind: 'hard-label' },
    });
    const cached = predictLogitsAndFeatures(teacher, images, shape);
    assert.equal(cached.featureSize, 12);
    teacher.dispose();

    const student = tinyModel(2, 6);
    const params = student.countParams();
    const before = tf.memory().numTensors;
    const result = await trainModel(student, new ArrayBatchSource(images, labels, shape, 16), {
      epochs: 4,
      batchSize: 16,
      learningRate: 0.02,
      loss: {
        kind: 'cc-kd',
        teacherLogits: cached.logits,
        numClasses: 4,
        teacherFeatures: cached.features,
        teacherFeatureSize: cached.featureSize,
        lambda: 0.9,
        temperature: 4,
        beta: 0.5,
        gamma: 0.4,
      },
    });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(student.countParams(), params);
    assert.equal(student.outputs.length, 1);
    assert.ok(result.epochLosses[3] < result.epochLosses[0], `losses ${result.epochLosses.join(', ')}`);
    assert.equal(predictLogits(student, images, shape).length, 32 * 4);
    student.dispose();
  });

  it('rejects invalid settings and mismatched teacher matrices', async () => {
    const student = tinyModel(3, 6);
    const source = new ArrayBatchSource(images, labels, shape, 16);
    const loss = {
      kind: 'cc-kd' as const,
      teacherLogits: new Float32Array(32 * 4),
      numClasses: 4,
      teacherFeatures: new Float32Array(32 * 12),
      teacherFeatureSize: 12,
      ...DEFAULT_CC_KD_SETTINGS,
    };
    const base = { epochs: 1, batchSize: 16, learningRate: 0.01 };
    await assert.rejects(
      trainModel(student, source, { ...base, loss: { ...loss, gamma: 0 } }),
      invalidInput(/gamma=0/),
    );
    await assert.rejects(
      trainModel(student, source, { ...base, loss: { ...loss, beta: 1.5 } }),
      invalidInput(/beta=1.5/),
    );
    await assert.rejects(
      trainModel(student, source, { ...base, loss: { ...loss, temperature: -1 } }),
      invalidInput(/temperature -1/),
    );
    await assert.rejects(
      trainModel(student, source, { ...base, loss: { ...loss, teacherFeatures: new Float32Array(31 * 12) } }),
      invalidInput(/Teacher logits have 32 rows but teacher features have 31/),
    );
    await assert.rejects(
      trainModel(student, source, { ...base, loss: { ...loss, teacherFeatureSize: 0 } }),
      invalidInput(/rows of 0 values/),
    );
    student.dispose();
  });
});
