import * as tfl from '@tensorflow/tfjs-layers';

type Shape = (number | null)[];

/** Returns the product of the non-batch dimensions of `shape` except the last (channels or units). */
function positions(shape: Shape): number {
  return shape.slice(1, -1).reduce<number>((product, d) => product * (d ?? 1), 1);
}

/** Returns the product of the dimensions of a weight, e.g. kh × kw × cin × cout for a conv kernel. */
function weightSize(layer: tfl.layers.Layer, suffix: string): number {
  const weight = layer.weights.find((w) => w.originalName.endsWith(`/${suffix}`));
  return weight ? weight.shape.reduce<number>((product, d) => product * (d ?? 1), 1) : 0;
}

/** Returns the output shapes of every call of `layer`, one per inbound node. */
function callOutputShapes(layer: tfl.layers.Layer): Shape[] {
  return layer.inboundNodes.map((node) => {
    const shapes = node.outputShapes as Shape | Shape[];
    return (Array.isArray(shapes[0]) ? shapes[0] : shapes) as Shape;
  });
}

/**
 * Counts the multiply-adds of one forward pass of `model` on one image, the convention of
 * `countLayerFlops` in `@akd/search-space`. Conv2D, DepthwiseConv2D, SeparableConv2D and Dense
 * layers count kernel size × output positions per call. Batch norm, activations, pooling,
 * additions and biases are not counted. Nested models are counted layer by layer.
 */
export function countModelFlops(model: tfl.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    if (layer instanceof tfl.LayersModel) {
      flops += countModelFlops(layer) * layer.inboundNodes.length;
      continue;
    }
    const className = layer.getClassName();
    for (const shape of callOutputShapes(layer)) {
      const outPositions = positions(shape);
      switch (className) {
        case 'Conv2D':
        case 'Dense':
          flops += weightSize(layer, 'kernel') * outPositions;
          break;
        case 'DepthwiseConv2D':
          flops += weightSize(layer, 'depthwise_kernel') * outPositions;
          break;
        case 'SeparableConv2D':
          flops +=
            (weightSize(layer, 'depthwise_kernel') + weightSize(layer, 'pointwise_kernel')) * outPositions;
          break;
        default:
          break;
      }
    }
  }
  return flops;
}
