/**
 * Correlation congruence knowledge distillation (CC-KD) from Peng et al., "Correlation Congruence
 * for Knowledge Distillation", ICCV 2019. The student matches the teacher's logits one example at
 * a time (Hinton KD) and, through the correlation-congruence term, the teacher's pairwise
 * correlations between the embeddings of the examples in a batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';
import { hintonLoss, validateHintonSettings, type HintonSettings } from '../train/losses.js';

/**
 * Settings of CC-KD, whose loss is `(1 − λ)·CE + λ·τ²·KL + β·L_CC`. Peng et al. write it as
 * `α·CE + (1 − α)·KD + β·L_CC`, so λ = 1 − α.
 */
export interface CcKdSettings extends HintonSettings {
  /** Weight β of the correlation-congruence term, in [0, 1]. */
  beta: number;
  /** Width γ of the Gaussian RBF kernel `exp(−γ‖a − b‖²)`, greater than 0. */
  gamma: number;
}

/**
 * Order P of the Taylor expansion of the Gaussian kernel. Peng et al. use P = 2, and this module
 * does not expose other orders.
 */
export const CC_TAYLOR_ORDER = 2;

/**
 * Defaults from the ImageNet setup of Peng et al., as the torchdistill sample config
 * `configs/sample/ilsvrc2012/cckd/resnet18_from_resnet50.yaml` reproduces it. It has no hard-label
 * term (α = 0, so λ = 1), KD temperature τ = 1, β = 0.003, γ = 0.4 and P = 2.
 */
export const DEFAULT_CC_KD_SETTINGS: Readonly<CcKdSettings> = {
  lambda: 1,
  temperature: 1,
  beta: 0.003,
  gamma: 0.4,
};

/** Throws an INVALID_INPUT error naming the value unless λ, β ∈ [0, 1], τ > 0 and γ > 0. */
export function validateCcKdSettings(settings: CcKdSettings): void {
  validateHintonSettings(settings);
  const { beta, gamma } = settings;
  if (!Number.isFinite(beta) || beta < 0 || beta > 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid correlation-congruence weight beta=${beta}: it must be between 0 and 1 (Peng et al. use 0.003).`,
      { beta },
    );
  }
  if (!Number.isFinite(gamma) || gamma <= 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid kernel width gamma=${gamma}: it must be greater than 0 (Peng et al. use 0.4).`,
      { gamma },
    );
  }
}

/**
 * Returns the [batch, batch] correlation matrix of `embeddings` [batch, dim] under the Gaussian
 * RBF kernel, approximated by its Taylor expansion of order 2.
 *
 * Each row is first L2-normalised, so `‖a − b‖² = 2 − 2·a·b` and
 * `exp(−γ‖a − b‖²) = e^(−2γ)·exp(2γ·a·b) ≈ e^(−2γ)·(1 + 2γ·a·b + (2γ·a·b)²/2)`.
 * An all-zero row stays zero, so its dot products are 0.
 */
export function taylorRbfCorrelation(embeddings: tf.Tensor2D, gamma: number): tf.Tensor2D {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(embeddings), 1, true);
    const unit = tf.div(embeddings, tf.sqrt(tf.maximum(squaredNorms, 1e-12)));
    const dots = tf.matMul(unit, unit, false, true);
    let series: tf.Tensor = tf.onesLike(dots);
    let term: tf.Tensor = tf.onesLike(dots);
    for (let p = 1; p <= CC_TAYLOR_ORDER; p++) {
      term = tf.mul(term, tf.mul(dots, (2 * gamma) / p));
      series = tf.add(series, term);
    }
    return tf.mul(series, Math.exp(-2 * gamma)) as tf.Tensor2D;
  });
}

/**
 * Computes the correlation-congruence loss `L_CC = (1/n²)·‖Ψ(F_t) − Ψ(F_s)‖²`, where Ψ is
 * {@link taylorRbfCorrelation} over a batch of n embeddings.
 *
 * The student and teacher embeddings may have different widths, because each network's
 * correlation matrix is [n, n] in its own embedding space and the two are compared without a
 * projection. Peng et al. map both embeddings through a trainable linear layer first. This module
 * does not, because the teacher's features are cached and a trainable projection on both sides
 * could collapse every embedding to one vector, which makes the term zero.
 */
export function correlationCongruenceLoss(
  studentEmbeddings: tf.Tensor2D,
  teacherEmbeddings: tf.Tensor2D,
  gamma: number,
): tf.Scalar {
  if (studentEmbeddings.shape[0] !== teacherEmbeddings.shape[0]) {
    throw new AkdError(
      'INVALID_INPUT',
      `Student and teacher embeddings cover ${studentEmbeddings.shape[0]} and ${teacherEmbeddings.shape[0]} examples: they must come from the same batch.`,
      { studentRows: studentEmbeddings.shape[0], teacherRows: teacherEmbeddings.shape[0] },
    );
  }
  return tf.tidy(() => {
    const student = taylorRbfCorrelation(studentEmbeddings, gamma);
    const teacher = taylorRbfCorrelation(teacherEmbeddings, gamma);
    return tf.mean(tf.squaredDifference(teacher, student)) as tf.Scalar;
  });
}

/**
 * Computes the CC-KD loss of a batch, which is {@link hintonLoss} on the logits plus `β·L_CC`
 * ({@link correlationCongruenceLoss}) on the penultimate embeddings.
 */
export function ccKdLoss(
  student: { logits: tf.Tensor2D; embeddings: tf.Tensor2D },
  teacher: { logits: tf.Tensor2D; embeddings: tf.Tensor2D },
  labels: tf.Tensor1D,
  settings: CcKdSettings,
): tf.Scalar {
  return tf.tidy(() => {
    const instance = hintonLoss(student.logits, teacher.logits, labels, settings);
    if (settings.beta === 0) return instance;
    const correlation = correlationCongruenceLoss(student.embeddings, teacher.embeddings, settings.gamma);
    return tf.add(instance, tf.mul(correlation, settings.beta)) as tf.Scalar;
  });
}

/**
 * Variant of the trainer's `TrainingLoss` for CC-KD. `teacherFeatures` is the row-major matrix of the
 * teacher's penultimate features, laid out by the same rows as `teacherLogits`.
 */
export type CcKdTrainingLoss = {
  kind: 'cc-kd';
  teacherLogits: Float32Array;
  numClasses: number;
  teacherFeatures: Float32Array;
  /** Number of columns of `teacherFeatures`. */
  teacherFeatureSize: number;
} & CcKdSettings;

/**
 * Throws an INVALID_INPUT error unless the settings are valid and the teacher matrices have
 * whole rows and the same number of rows.
 */
export function validateCcKdTrainingLoss(loss: CcKdTrainingLoss): void {
  validateCcKdSettings(loss);
  const { teacherLogits, numClasses, teacherFeatures, teacherFeatureSize } = loss;
  if (!Number.isInteger(numClasses) || numClasses < 1 || teacherLogits.length % numClasses !== 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher logits of length ${teacherLogits.length} do not split into rows of ${numClasses} classes.`,
      { length: teacherLogits.length, numClasses },
    );
  }
  if (
    !Number.isInteger(teacherFeatureSize) ||
    teacherFeatureSize < 1 ||
    teacherFeatures.length % teacherFeatureSize !== 0
  ) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher features of length ${teacherFeatures.length} do not split into rows of ${teacherFeatureSize} values.`,
      { length: teacherFeatures.length, teacherFeatureSize },
    );
  }
  const logitRows = teacherLogits.length / numClasses;
  const featureRows = teacherFeatures.length / teacherFeatureSize;
  if (logitRows !== featureRows) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher logits have ${logitRows} rows but teacher features have ${featureRows}: compute both over the same examples.`,
      { logitRows, featureRows },
    );
  }
}
