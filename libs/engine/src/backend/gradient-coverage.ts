import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@akd/core';

/** Trainable inputs shared by the cases of {@link TRAINING_OP_CASES}. */
export interface CaseVariables {
  /** Input scale [1, 1, 1, 4]; gradients reach the layer input through it. */
  scale: tf.Variable;
  conv: tf.Variable;
  convStride2: tf.Variable;
  depthwise: tf.Variable;
  depthwise5: tf.Variable;
  /** A 5x5 depthwise filter with multiplier 1, which runs on the SIMD kernels of this package. */
  depthwise5x5: tf.Variable;
  pointwise: tf.Variable;
  bias: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  squeeze: tf.Variable;
  excite: tf.Variable;
  dense: tf.Variable;
  denseBias: tf.Variable;
}

/** One operation of the student networks, applied to the input [2, 9, 9, 4]. */
export interface TrainingOpCase {
  name: string;
  build(v: CaseVariables, x: tf.Tensor4D): tf.Tensor;
}

const VARIABLE_SHAPES: Record<keyof CaseVariables, number[]> = {
  scale: [1, 1, 1, 4],
  conv: [3, 3, 4, 6],
  convStride2: [5, 5, 4, 6],
  depthwise: [3, 3, 4, 1],
  depthwise5: [5, 5, 4, 2],
  depthwise5x5: [5, 5, 4, 1],
  pointwise: [1, 1, 4, 6],
  bias: [6],
  gamma: [4],
  beta: [4],
  squeeze: [4, 2],
  excite: [2, 4],
  dense: [4, 5],
  denseBias: [5],
};

const INPUT_SHAPE: [number, number, number, number] = [2, 9, 9, 4];

function scaled(v: CaseVariables, x: tf.Tensor4D): tf.Tensor4D {
  return tf.mul(x, v.scale);
}

function logits(v: CaseVariables, x: tf.Tensor4D): tf.Tensor2D {
  return tf.add(tf.matMul(tf.mean(scaled(v, x), [1, 2]) as tf.Tensor2D, v.dense), v.denseBias);
}

/**
 * Operations that training MnasNet-style students runs through, each small enough to differentiate on
 * the cpu backend in milliseconds. Every case routes gradients to its variables and to the layer input.
 */
export const TRAINING_OP_CASES: readonly TrainingOpCase[] = [
  {
    name: 'conv2d 3x3 stride 1 same',
    build: (v, x) => tf.conv2d(scaled(v, x), v.conv as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'conv2d 5x5 stride 2 valid',
    build: (v, x) => tf.conv2d(scaled(v, x), v.convStride2 as tf.Tensor4D, 2, 'valid'),
  },
  { name: 'conv2d 1x1', build: (v, x) => tf.conv2d(scaled(v, x), v.pointwise as tf.Tensor4D, 1, 'same') },
  {
    name: 'fused conv2d bias relu',
    build: (v, x) =>
      tf.fused.conv2d({
        x: scaled(v, x),
        filter: v.conv as tf.Tensor4D,
        strides: 2,
        pad: 'same',
        bias: v.bias,
        activation: 'relu',
      }),
  },
  {
    name: 'fused conv2d bias relu6',
    build: (v, x) =>
      tf.fused.conv2d({
        x: scaled(v, x),
        filter: v.conv as tf.Tensor4D,
        strides: 1,
        pad: 'same',
        bias: v.bias,
        activation: 'relu6',
      }),
  },
  {
    name: 'depthwise 3x3 stride 1',
    build: (v, x) => tf.depthwiseConv2d(scaled(v, x), v.depthwise as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'depthwise 5x5 stride 1',
    build: (v, x) => tf.depthwiseConv2d(scaled(v, x), v.depthwise5x5 as tf.Tensor4D, 1, 'same'),
  },
  {
    name: 'depthwise 5x5 stride 2',
    build: (v, x) => tf.depthwiseConv2d(scaled(v, x), v.depthwise5x5 as tf.Tensor4D, 2, 'same'),
  },
  {
    name: 'depthwise 5x5 stride 2 multiplier 2',
    build: (v, x) => tf.depthwiseConv2d(scaled(v, x), v.depthwise5 as tf.Tensor4D, 2, 'same'),
  },
  {
    name: 'fused depthwise relu',
    build: (v, x) =>
      tf.fused.depthwiseConv2d({
        x: scaled(v, x),
        filter: v.depthwise as tf.Tensor4D,
        strides: 2,
        pad: 'valid',
        activation: 'relu',
      }),
  },
  {
    name: 'separable conv2d',
    build: (v, x) =>
      tf.separableConv2d(scaled(v, x), v.depthwise as tf.Tensor4D, v.pointwise as tf.Tensor4D, 1, 'same'),
  },
  {
    // tfjs-core 4.22 cannot differentiate batchNorm without offset and scale on any backend (its gradient
    // reads the missing inputs), so this case passes constant ones.
    name: 'batch norm after conv2d',
    build: (v, x) => {
      const input = tf.conv2d(scaled(v, x), v.conv as tf.Tensor4D, 1, 'same');
      const moments = tf.moments(input, [0, 1, 2]);
      return tf.batchNorm(input, moments.mean, moments.variance, tf.zeros([6]), tf.ones([6]), 1e-3);
    },
  },
  {
    name: 'batch norm with gamma and beta',
    build: (v, x) => {
      const input = scaled(v, x);
      const moments = tf.moments(input, [0, 1, 2]);
      return tf.batchNorm(input, moments.mean, moments.variance, v.beta, v.gamma, 1e-3);
    },
  },
  {
    name: 'squeeze and excite',
    build: (v, x) => {
      const input = scaled(v, x);
      const squeezed = tf.relu(tf.matMul(tf.mean(input, [1, 2]) as tf.Tensor2D, v.squeeze));
      const gate = tf.sigmoid(tf.matMul(squeezed, v.excite));
      return tf.mul(input, tf.reshape(gate, [INPUT_SHAPE[0], 1, 1, INPUT_SHAPE[3]]));
    },
  },
  { name: 'avg pool 2x2 stride 2 valid', build: (v, x) => tf.avgPool(scaled(v, x), 2, 2, 'valid') },
  { name: 'avg pool 3x3 stride 2 same', build: (v, x) => tf.avgPool(scaled(v, x), 3, 2, 'same') },
  { name: 'max pool 2x2 stride 2 same', build: (v, x) => tf.maxPool(scaled(v, x), 2, 2, 'same') },
  { name: 'max pool 3x3 stride 1 valid', build: (v, x) => tf.maxPool(scaled(v, x), 3, 1, 'valid') },
  { name: 'global average pooling', build: (v, x) => tf.mean(scaled(v, x), [1, 2]) },
  { name: 'relu', build: (v, x) => tf.relu(scaled(v, x)) },
  { name: 'relu6', build: (v, x) => tf.relu6(scaled(v, x)) },
  { name: 'sigmoid', build: (v, x) => tf.sigmoid(scaled(v, x)) },
  {
    name: 'hard swish',
    build: (v, x) => {
      const input = scaled(v, x);
      return tf.mul(input, tf.div(tf.relu6(tf.add(input, 3)), 6));
    },
  },
  {
    name: 'add residual',
    build: (v, x) => {
      const input = scaled(v, x);
      const projection = tf.slice(v.pointwise, [0, 0, 0, 0], [1, 1, 4, 4]) as tf.Tensor4D;
      return tf.add(input, tf.conv2d(input, projection, 1, 'same'));
    },
  },
  { name: 'sum', build: (v, x) => tf.sum(scaled(v, x), [1, 2]) },
  {
    name: 'pad',
    build: (v, x) =>
      tf.pad(scaled(v, x), [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ]),
  },
  { name: 'tile', build: (v, x) => tf.tile(scaled(v, x), [1, 2, 1, 1]) },
  { name: 'concat', build: (v, x) => tf.concat([scaled(v, x), x], 3) },
  { name: 'slice', build: (v, x) => tf.slice(scaled(v, x), [0, 1, 2, 0], [2, 5, 4, 3]) },
  { name: 'gather', build: (v, x) => tf.gather(scaled(v, x), tf.tensor1d([3, 0, 3], 'int32'), 3) },
  { name: 'dense', build: (v, x) => logits(v, x) },
  {
    name: 'softmax cross-entropy',
    build: (v, x) => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.tensor1d([1, 4], 'int32'), 5), logits(v, x)),
  },
  {
    name: 'log-softmax KL divergence',
    build: (v, x) => {
      const teacher = tf.softmax(
        tf.tensor2d([
          [0.5, -1, 2, 0, 1],
          [1, 1, -2, 0.5, 0],
        ]),
      );
      return tf.sum(tf.mul(teacher, tf.sub(tf.log(teacher), tf.logSoftmax(logits(v, x)))));
    },
  },
];

/** Gradients of one case, keyed by variable name, or the error the gradient computation threw. */
export type CaseGradients = { ok: true; grads: Map<string, Float32Array> } | { ok: false; error: string };

/**
 * Computes the gradients of sum(build(...) * weights) for one case on the current backend, with
 * variables and input drawn from a fixed seed so every backend sees the same values. Disposes everything
 * it creates, whether the computation succeeds or throws.
 */
export function caseGradients(testCase: TrainingOpCase, seed = 7): CaseGradients {
  const rng = new Rng(seed);
  const random = (shape: number[]): tf.Tensor => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++) values[i] = rng.normal() * 0.5;
    return tf.tensor(values, shape);
  };

  const entries = Object.entries(VARIABLE_SHAPES).map(([name, shape]) => {
    const initial = tf.tidy(() =>
      name === 'scale' || name === 'gamma' ? tf.add(random(shape), 1) : random(shape),
    );
    const variable = tf.variable(initial, true);
    initial.dispose();
    return [name, variable] as const;
  });
  const variables = Object.fromEntries(entries) as unknown as CaseVariables;
  const x = random(INPUT_SHAPE) as tf.Tensor4D;
  let weights: tf.Tensor | undefined;

  try {
    const { value, grads } = tf.variableGrads(
      () => {
        const output = testCase.build(variables, x);
        weights ??= tf.keep(random(output.shape));
        return tf.sum(tf.mul(output, weights));
      },
      entries.map(([, variable]) => variable),
    );
    value.dispose();
    const names = new Map(entries.map(([name, variable]) => [variable.name, name]));
    const result = new Map<string, Float32Array>();
    for (const [variableName, grad] of Object.entries(grads)) {
      result.set(names.get(variableName) ?? variableName, grad.dataSync() as Float32Array);
      grad.dispose();
    }
    return { ok: true, grads: result };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    tf.dispose([x, ...entries.map(([, variable]) => variable)]);
    weights?.dispose();
  }
}
