import { AkdError, Rng } from '@akd/core';

import { shuffleInPlace } from './shuffle.js';

/** Options of {@link stratifiedSplit}. */
export interface StratifiedSplitOptions {
  /** Number of examples in the training part. */
  trainSize: number;
  /** Number of examples in the validation part, possibly 0. */
  valSize: number;
  /** Seed of the per-class shuffles. The same seed and labels give the same split. */
  seed: number;
}

/** Disjoint index sets into the labelled examples, each in ascending order. */
export interface StratifiedSplitResult {
  /** Indices of the training examples. */
  train: Int32Array;
  /** Indices of the validation examples. */
  val: Int32Array;
}

/**
 * Draws disjoint training and validation index sets from `labels` (usually the training split's
 * labels) in which each class keeps its share of the whole. Each class first gets
 * `(trainSize + valSize) × classCount / total` examples, and that is then divided between training
 * and validation in the same way, both with largest-remainder rounding (ties go to the lower
 * label), so the sizes are exact. Examples are drawn from a seeded shuffle of each class.
 * Throws INVALID_INPUT when a size is not a non-negative integer or the sizes exceed the number of labels.
 */
export function stratifiedSplit(
  labels: ArrayLike<number>,
  options: StratifiedSplitOptions,
): StratifiedSplitResult {
  const { trainSize, valSize, seed } = options;
  for (const [field, value] of [
    ['trainSize', trainSize],
    ['valSize', valSize],
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new AkdError('INVALID_INPUT', `${field} must be a non-negative integer, got ${value}.`, {
        [field]: value,
      });
    }
  }
  if (!Number.isInteger(seed)) {
    throw new AkdError('INVALID_INPUT', `seed must be an integer, got ${seed}.`, { seed });
  }
  const total = labels.length;
  if (trainSize + valSize > total) {
    throw new AkdError(
      'INVALID_INPUT',
      `trainSize ${trainSize} + valSize ${valSize} = ${trainSize + valSize} exceeds the ${total} labelled ` +
        'examples available. Lower trainSize or valSize.',
      { trainSize, valSize, available: total },
    );
  }

  const byClass = indicesByClass(labels);
  const classCounts = byClass.map((indices) => indices.length);
  const takenPerClass = largestRemainder(trainSize + valSize, classCounts);
  const trainPerClass = largestRemainder(trainSize, takenPerClass);

  const rng = new Rng(seed);
  const train = new Int32Array(trainSize);
  const val = new Int32Array(valSize);
  let trainFill = 0;
  let valFill = 0;
  byClass.forEach((indices, label) => {
    shuffleInPlace(indices, rng);
    const trainCount = trainPerClass[label];
    const valCount = takenPerClass[label] - trainCount;
    train.set(indices.subarray(0, trainCount), trainFill);
    val.set(indices.subarray(trainCount, trainCount + valCount), valFill);
    trainFill += trainCount;
    valFill += valCount;
  });

  return { train: train.sort(), val: val.sort() };
}

/** Groups example indices by label. Entry `label` lists the examples of that class in ascending order. */
function indicesByClass(labels: ArrayLike<number>): Int32Array[] {
  const counts: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0) {
      throw new AkdError('INVALID_INPUT', `Label ${label} at index ${i} is not a non-negative integer.`, {
        index: i,
        label,
      });
    }
    while (counts.length <= label) counts.push(0);
    counts[label]++;
  }
  const groups = counts.map((count) => new Int32Array(count));
  const fill = new Array<number>(counts.length).fill(0);
  for (let i = 0; i < labels.length; i++) groups[labels[i]][fill[labels[i]]++] = i;
  return groups;
}

/**
 * Splits `size` into integer parts proportional to `weights` (Hamilton's largest-remainder method).
 * Each part is the floor of its exact share, and the units left go to the largest fractional
 * parts, lower index first on ties. A part never exceeds its weight when `size` ≤ sum of weights.
 */
export function largestRemainder(size: number, weights: readonly number[]): number[] {
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  if (totalWeight === 0) return weights.map(() => 0);
  // Integer arithmetic keeps the remainders exact. The products are at most totalWeight², which
  // stays below 2^53 up to 94 million examples.
  const remainders = weights.map((weight) => (size * weight) % totalWeight);
  const parts = weights.map((weight, index) => (size * weight - remainders[index]) / totalWeight);
  let left = size - parts.reduce((sum, part) => sum + part, 0);
  const order = remainders
    .map((remainder, index) => ({ index, remainder }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of order) {
    if (left === 0) break;
    parts[index]++;
    left--;
  }
  return parts;
}
