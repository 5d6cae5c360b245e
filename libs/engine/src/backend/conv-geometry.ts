import { backend_util } from '@tensorflow/tfjs-core';
import { AkdError } from '@akd/core';

/** Padding argument of TensorFlow.js convolutions: a mode, one number for all sides, or explicit pairs. */
export type ConvPadding = 'same' | 'valid' | number | backend_util.ExplicitPadding;

/** Shapes, strides and padding of one NHWC convolution, as the gradient kernels need them. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  /** Channels of the output, which for a depthwise convolution is `inChannels * channelMultiplier`. */
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Rows of zeros above the input. The bottom padding follows from the output height. */
  padTop: number;
  /** Columns of zeros left of the input. The right padding follows from the output width. */
  padLeft: number;
  /** Filters per input channel of a depthwise convolution, and 1 for a regular convolution. */
  channelMultiplier: number;
}

/** Convolution attributes as the gradient kernels receive them from TensorFlow.js. */
export interface ConvAttributes {
  strides: number | [number, number];
  pad: ConvPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | [number, number];
  dataFormat?: 'NHWC' | 'NCHW';
}

/**
 * Computes the geometry of an NHWC convolution and rejects what the WASM gradient kernels do not support:
 * NCHW data, dilation other than 1, and non-rank-4 shapes.
 *
 * @param kernelName Kernel name used in error messages.
 * @param inputShape Shape of the forward input `x` [batch, height, width, channels].
 * @param filterShape Shape of the forward filter [height, width, inChannels, outChannels or multiplier].
 * @param dyShape Shape of the incoming gradient; it must equal the forward output shape.
 */
export function convGeometry(
  kernelName: string,
  inputShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  attrs: ConvAttributes,
  depthwise: boolean,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new AkdError(
      'INVALID_INPUT',
      `${kernelName} on the wasm backend supports only NHWC data, got dataFormat ${attrs.dataFormat}. ` +
        'Transpose the input to NHWC.',
    );
  }
  const dilations = attrs.dilations ?? 1;
  const [dilationHeight, dilationWidth] = typeof dilations === 'number' ? [dilations, dilations] : dilations;
  if (dilationHeight !== 1 || dilationWidth !== 1) {
    throw new AkdError(
      'INVALID_INPUT',
      `${kernelName} on the wasm backend supports only dilation 1, got dilations ${String(dilations)}.`,
    );
  }
  if (inputShape.length !== 4 || filterShape.length !== 4 || dyShape.length !== 4) {
    throw new AkdError(
      'INVALID_INPUT',
      `${kernelName} expects rank-4 input, filter and dy, got shapes ` +
        `[${inputShape.join(', ')}], [${filterShape.join(', ')}] and [${dyShape.join(', ')}].`,
    );
  }

  const info = backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
    'channelsLast',
  );
  const expected = info.outShape;
  if (expected.some((size, axis) => size !== dyShape[axis])) {
    throw new AkdError(
      'INVALID_INPUT',
      `${kernelName}: dy has shape [${dyShape.join(', ')}] but the convolution output is [${expected.join(', ')}].`,
    );
  }

  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
    channelMultiplier: depthwise ? filterShape[3] : 1,
  };
}
