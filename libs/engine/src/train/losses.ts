import * as tf from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';

/** Settings of Hinton knowledge distillation. */
export interface HintonSettings {
  /** Weight λ of the distillation term, in [0, 1]; 1 − λ weights the hard-label term. */
  lambda: number;
  /** Softmax temperature τ, greater than 0. */
  temperature: number;
}

/** Throws an INVALID_INPUT error naming the value unless λ ∈ [0, 1] and τ > 0. */
export function validateHintonSettings(settings: HintonSettings): void {
  const { lambda, temperature } = settings;
  if (!Number.isFinite(lambda) || lambda < 0 || lambda > 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid distillation weight lambda=${lambda}: it must be between 0 and 1 (0 trains on hard labels only).`,
      { lambda },
    );
  }
  if (!Number.isFinite(temperature) || temperature <= 0) {
    throw new AkdError(
      'INVALID_INPUT',
      `Invalid distillation temperature ${temperature}: it must be greater than 0 (typical values are 1 to 8).`,
      { temperature },
    );
  }
}

/** Mean softmax cross-entropy of `logits` [batch, classes] against integer `labels` [batch]. */
export function hardLabelLoss(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(logits);
    const oneHot = tf.oneHot(tf.cast(labels, 'int32'), logits.shape[1]);
    return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logProbs), 1))) as tf.Scalar;
  });
}

/**
 * Per-example KL(softmax(t/τ) ‖ softmax(s/τ)) for teacher logits `t` and student logits `s`,
 * clipped at 0 so that rounding never makes it negative. Returns a [batch] tensor.
 */
export function distillationKl(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  temperature: number,
): tf.Tensor1D {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const logQ = tf.logSoftmax(tf.div(studentLogits, temperature));
    const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), 1) as tf.Tensor1D;
    return tf.relu(kl);
  });
}

/**
 * Hinton knowledge-distillation loss, averaged over the batch:
 * `(1 − λ)·CE(y, s) + λ·τ²·KL(softmax(t/τ) ‖ softmax(s/τ))`. The τ² factor keeps the soft-target
 * gradients on the same scale as the hard-label ones.
 */
export function hintonLoss(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  labels: tf.Tensor1D,
  settings: HintonSettings,
): tf.Scalar {
  const { lambda, temperature } = settings;
  return tf.tidy(() => {
    const soft = tf.mul(tf.mean(distillationKl(studentLogits, teacherLogits, temperature)), temperature ** 2);
    if (lambda === 1) return soft as tf.Scalar;
    const hard = hardLabelLoss(studentLogits, labels);
    return tf.add(tf.mul(hard, 1 - lambda), tf.mul(soft, lambda)) as tf.Scalar;
  });
}
