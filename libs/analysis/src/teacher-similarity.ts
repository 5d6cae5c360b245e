import { AkdError } from '@akd/core';

import { ensureDistinct, ensureFinite, ensureName, ensurePositive } from './checks.js';

/**
 * A row-major logits matrix with one row per sample and one column per class, in the shape of the
 * `LogitsMatrix` that `@akd/teachers` reads from `.npy`, CSV and JSON files.
 */
export interface LogitsMatrixInput {
  /** Number of samples N. */
  rows: number;
  /** Number of classes. */
  cols: number;
  /** N × classes logits, row-major: entry (n, c) is `data[n * cols + c]`. */
  data: ArrayLike<number>;
}

/** One teacher's logits on the shared evaluation samples. */
export interface TeacherLogitsInput {
  /** Teacher name, unique among the inputs, which labels a row and a column of the result. */
  name: string;
  logits: LogitsMatrixInput;
}

/** Options of {@link compareTeachers}. */
export interface TeacherSimilarityOptions {
  /** Softmax temperature T > 0 applied to every teacher's logits. Default 1. */
  temperature?: number;
  /**
   * True class index of each sample, in [0, classes). When given, the ground truth joins the
   * comparison as a last source named {@link GROUND_TRUTH_NAME}.
   */
  labels?: ArrayLike<number>;
  /** Label smoothing ε of the ground truth, in (0, 1]. Default {@link DEFAULT_LABEL_SMOOTHING}. */
  labelSmoothing?: number;
}

/** Pairwise divergence and agreement of teachers, and of the ground truth when labels were given. */
export interface TeacherSimilarity {
  /** Sources in input order, then {@link GROUND_TRUTH_NAME} if labels were given. */
  names: string[];
  /** Mean over samples of KL(pᵢ ‖ pⱼ) in nats at `[i][j]`, with 0 on the diagonal. */
  meanKl: number[][];
  /** `agreement[i][j]` is the share of samples where sources i and j have the same top-1 class. */
  agreement: number[][];
  /** Temperature applied to the teachers' logits. */
  temperature: number;
  /** Smoothing ε of the ground truth, or null when no labels were given. */
  labelSmoothing: number | null;
}

/** Name of the ground-truth source in {@link TeacherSimilarity.names}. */
export const GROUND_TRUTH_NAME = 'GT';

/**
 * Default label smoothing ε of the ground truth. With C classes it bounds every KL(p ‖ GT) by
 * ln(C/ε), about 6.9 nats for C = 10, while the true class keeps a probability of
 * 1 − ε + ε/C = 0.991.
 */
export const DEFAULT_LABEL_SMOOTHING = 0.01;

/** Log-probabilities and top-1 classes of one source, N × classes row-major. */
interface SourceDistribution {
  logProbabilities: Float64Array;
  probabilities: Float64Array;
  top1: Int32Array;
}

/**
 * Compares teachers by the mean KL divergence between their softened predictions and by how often
 * their top-1 classes agree, for every ordered pair of sources.
 *
 * Each teacher's predictive distribution is pₙ = softmax(zₙ / T) for the logits zₙ of sample n,
 * computed with the log-sum-exp shift. `meanKl[i][j]` is (1/N) Σₙ Σ_c pᵢ,ₙ,c ln(pᵢ,ₙ,c / pⱼ,ₙ,c),
 * which is not symmetric. It is not multiplied by T², the factor that the distillation loss in
 * `@akd/engine` applies to keep gradient scales comparable across temperatures. `agreement[i][j]` is
 * (1/N) Σₙ [argmax pᵢ,ₙ = argmax pⱼ,ₙ], where argmax takes the lowest class among equal maxima.
 *
 * With `labels`, the ground truth joins as a source whose distribution is the label-smoothed
 * one-hot vector q_c = (1 − ε)[c = yₙ] + ε/C. Without ε > 0, KL(p ‖ GT) would be infinite
 * whenever p puts mass on a wrong class. The temperature does not apply to it, and its top-1
 * class is the label.
 *
 * Throws INVALID_INPUT for fewer than two teachers, a repeated or empty name, a name equal to
 * {@link GROUND_TRUTH_NAME} when labels are given, a teacher whose row or class count differs
 * from the first teacher's (naming both), a matrix whose data length is not rows × cols, a logit
 * that is not finite (naming teacher, row and class), a label outside [0, classes) or a label
 * count other than N, and a temperature or ε out of range.
 */
export function compareTeachers(
  teachers: readonly TeacherLogitsInput[],
  options: TeacherSimilarityOptions = {},
): TeacherSimilarity {
  const temperature = options.temperature ?? 1;
  ensurePositive(temperature, 'temperature');
  const { rows, cols } = checkTeachers(teachers, options.labels !== undefined);

  const sources = teachers.map((teacher) => softmaxDistribution(teacher.logits, temperature));
  const names = teachers.map((teacher) => teacher.name);
  let labelSmoothing: number | null = null;
  if (options.labels !== undefined) {
    labelSmoothing = options.labelSmoothing ?? DEFAULT_LABEL_SMOOTHING;
    checkLabels(options.labels, rows, cols);
    checkLabelSmoothing(labelSmoothing);
    sources.push(smoothedLabelDistribution(options.labels, cols, labelSmoothing));
    names.push(GROUND_TRUTH_NAME);
  } else if (options.labelSmoothing !== undefined) {
    throw new AkdError(
      'INVALID_INPUT',
      'labelSmoothing was given without labels. Pass labels to compare the teachers with the ground truth.',
    );
  }

  const meanKl = sources.map((p, i) =>
    sources.map((q, j) => (i === j ? 0 : meanKlDivergence(p, q, rows, cols))),
  );
  const agreement = sources.map((p, i) => sources.map((q, j) => (i === j ? 1 : topOneAgreement(p, q, rows))));
  return { names, meanKl, agreement, temperature, labelSmoothing };
}

/** Checks names, shapes and logits of the teachers and returns the shared shape. */
function checkTeachers(
  teachers: readonly TeacherLogitsInput[],
  withLabels: boolean,
): { rows: number; cols: number } {
  if (teachers.length < 2) {
    throw new AkdError(
      'INVALID_INPUT',
      `Comparing teachers needs at least two teachers, but ${teachers.length} ${teachers.length === 1 ? 'was' : 'were'} given.`,
      { count: teachers.length },
    );
  }
  teachers.forEach((teacher, index) => ensureName(teacher.name, `teachers[${index}].name`));
  ensureDistinct(
    teachers.map((teacher) => teacher.name),
    'teachers',
  );
  if (withLabels && teachers.some((teacher) => teacher.name === GROUND_TRUTH_NAME)) {
    throw new AkdError(
      'INVALID_INPUT',
      `A teacher is named ${GROUND_TRUTH_NAME}, the name reserved for the ground truth when labels are given. Rename the teacher.`,
    );
  }

  const first = teachers[0];
  const { rows, cols } = first.logits;
  if (!Number.isInteger(rows) || rows < 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `Teacher ${first.name} has ${rows} rows. It needs at least one sample.`,
      {
        teacher: first.name,
        rows,
      },
    );
  }
  if (!Number.isInteger(cols) || cols < 2) {
    throw new AkdError('INVALID_INPUT', `Teacher ${first.name} has ${cols} classes. At least 2 are needed.`, {
      teacher: first.name,
      cols,
    });
  }

  for (const teacher of teachers) {
    const logits = teacher.logits;
    if (logits.rows !== rows) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} has ${logits.rows} rows but ${first.name} has ${rows}. Every teacher must score the same samples in the same order.`,
        { teacher: teacher.name, rows: logits.rows, expectedRows: rows },
      );
    }
    if (logits.cols !== cols) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} has ${logits.cols} classes but ${first.name} has ${cols}. Every teacher must score the same classes.`,
        { teacher: teacher.name, cols: logits.cols, expectedCols: cols },
      );
    }
    if (logits.data.length !== rows * cols) {
      throw new AkdError(
        'INVALID_INPUT',
        `Teacher ${teacher.name} has ${logits.data.length} logits, not ${rows} × ${cols} = ${rows * cols}.`,
        { teacher: teacher.name, length: logits.data.length },
      );
    }
    for (let k = 0; k < logits.data.length; k++) {
      const value = logits.data[k];
      if (!Number.isFinite(value)) {
        const row = Math.floor(k / cols);
        throw new AkdError(
          'INVALID_INPUT',
          `Logit at row ${row}, class ${k % cols} of teacher ${teacher.name} is ${String(value)}. Every logit must be a finite number.`,
          { teacher: teacher.name, row, class: k % cols },
        );
      }
    }
  }
  return { rows, cols };
}

function checkLabels(labels: ArrayLike<number>, rows: number, cols: number): void {
  if (labels.length !== rows) {
    throw new AkdError(
      'INVALID_INPUT',
      `labels has ${labels.length} entries but the teachers score ${rows} samples. Pass one label per sample.`,
      { labels: labels.length, rows },
    );
  }
  for (let n = 0; n < labels.length; n++) {
    const label = labels[n];
    if (!Number.isInteger(label) || label < 0 || label >= cols) {
      throw new AkdError(
        'INVALID_INPUT',
        `labels[${n}] is ${String(label)}. Labels must be class indices from 0 to ${cols - 1}.`,
        { index: n, label: String(label) },
      );
    }
  }
}

function checkLabelSmoothing(epsilon: number): void {
  ensureFinite(epsilon, 'labelSmoothing');
  if (epsilon <= 0 || epsilon > 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `labelSmoothing is ${epsilon}. It must be in (0, 1] so that KL divergences to the ground truth stay finite.`,
      { labelSmoothing: epsilon },
    );
  }
}

/** Computes log softmax(z / T) per row with the max shift, plus the top-1 class of each row. */
function softmaxDistribution(logits: LogitsMatrixInput, temperature: number): SourceDistribution {
  const { rows, cols, data } = logits;
  const logProbabilities = new Float64Array(rows * cols);
  const probabilities = new Float64Array(rows * cols);
  const top1 = new Int32Array(rows);
  for (let n = 0; n < rows; n++) {
    const offset = n * cols;
    let best = 0;
    for (let c = 1; c < cols; c++) if (data[offset + c] > data[offset + best]) best = c;
    top1[n] = best;

    // log softmax(z/T)_c = (z_c − z_max)/T − ln Σ_k exp((z_k − z_max)/T)
    const max = data[offset + best];
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += Math.exp((data[offset + c] - max) / temperature);
    const logSum = Math.log(sum);
    for (let c = 0; c < cols; c++) {
      const logProbability = (data[offset + c] - max) / temperature - logSum;
      logProbabilities[offset + c] = logProbability;
      probabilities[offset + c] = Math.exp(logProbability);
    }
  }
  return { logProbabilities, probabilities, top1 };
}

/** Builds q_c = (1 − ε)[c = y] + ε/C for every sample. */
function smoothedLabelDistribution(
  labels: ArrayLike<number>,
  cols: number,
  epsilon: number,
): SourceDistribution {
  const rows = labels.length;
  const logProbabilities = new Float64Array(rows * cols);
  const probabilities = new Float64Array(rows * cols);
  const top1 = new Int32Array(rows);
  const offClass = epsilon / cols;
  const onClass = 1 - epsilon + offClass;
  for (let n = 0; n < rows; n++) {
    top1[n] = labels[n];
    for (let c = 0; c < cols; c++) {
      const probability = c === labels[n] ? onClass : offClass;
      probabilities[n * cols + c] = probability;
      logProbabilities[n * cols + c] = Math.log(probability);
    }
  }
  return { logProbabilities, probabilities, top1 };
}

/** Computes (1/N) Σₙ Σ_c pₙ,c (ln pₙ,c − ln qₙ,c). */
function meanKlDivergence(p: SourceDistribution, q: SourceDistribution, rows: number, cols: number): number {
  let total = 0;
  for (let k = 0; k < rows * cols; k++) {
    // A probability that underflowed to 0 contributes 0, the limit of p ln p as p → 0.
    const probability = p.probabilities[k];
    if (probability > 0) total += probability * (p.logProbabilities[k] - q.logProbabilities[k]);
  }
  // KL ≥ 0 by Gibbs' inequality, but rounding can leave about −1e-17 for nearly equal distributions.
  return Math.max(0, total / rows);
}

function topOneAgreement(p: SourceDistribution, q: SourceDistribution, rows: number): number {
  let agreeing = 0;
  for (let n = 0; n < rows; n++) if (p.top1[n] === q.top1[n]) agreeing++;
  return agreeing / rows;
}
