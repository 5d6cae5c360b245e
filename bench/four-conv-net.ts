// The 4-conv network that bench/wasm-kernels.ts and bench/train.ts train: 28x28x1 input, conv3x3 32 ->
// conv3x3 32 stride 2 -> conv3x3 64 -> conv3x3 64 stride 2 (all 'same' padding, bias, ReLU) -> global
// average pooling -> dense 10, softmax cross-entropy. bench/pytorch-student.py --four-conv builds the same
// network in PyTorch.
import * as tf from '@tensorflow/tfjs-core';

/** The network's trainable variables and its loss on one batch. */
export interface Network {
  variables: tf.Variable[];
  loss(x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar;
}

/** Creates the network with He-normal filters, zero biases and a N(0, 0.1) dense layer. */
export function buildNetwork(): Network {
  const shapes: [number, number, number, number][] = [
    [3, 3, 1, 32],
    [3, 3, 32, 32],
    [3, 3, 32, 64],
    [3, 3, 64, 64],
  ];
  const strides = [1, 2, 1, 2];
  const filters = shapes.map((shape) =>
    tf.variable(tf.randomNormal(shape, 0, Math.sqrt(2 / (shape[0] * shape[1] * shape[2])))),
  );
  const biases = shapes.map((shape) => tf.variable(tf.zeros([shape[3]])));
  const dense = tf.variable(tf.randomNormal([64, 10], 0, 0.1));
  const denseBias = tf.variable(tf.zeros([10]));
  return {
    variables: [...filters, ...biases, dense, denseBias],
    loss(x, labels) {
      let h: tf.Tensor4D = x;
      for (let i = 0; i < filters.length; i++) {
        h = tf.fused.conv2d({
          x: h,
          filter: filters[i] as tf.Tensor4D,
          strides: strides[i],
          pad: 'same',
          bias: biases[i],
          activation: 'relu',
        });
      }
      const pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(pooled, dense), denseBias);
      return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
    },
  };
}

/** Creates `batch` random images in [0, 1) with random one-hot labels of 10 classes. */
export function makeBatch(batch: number): { x: tf.Tensor4D; labels: tf.Tensor2D } {
  const x = tf.randomUniform([batch, 28, 28, 1]) as tf.Tensor4D;
  const labels = tf.tidy(
    () => tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10) as tf.Tensor2D,
  );
  return { x, labels };
}
