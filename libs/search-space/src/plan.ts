import { blockLayerCount, blockWidth } from './space.js';
import type { ConvOp, Genome, SearchSpace, SkipOp } from './types.js';
import { validateGenome } from './validate.js';

/** The 3×3 stem convolution (no bias) followed by BN and ReLU. */
export interface StemPlan {
  /** Spatial kernel size (always 3). */
  kernelSize: 3;
  /** Stride (1 or 2). */
  stride: 1 | 2;
  /** Input image channels. */
  inChannels: number;
  /** Output channels (`SearchSpace.stemFilters`). */
  outChannels: number;
  /** Input height in pixels. */
  inHeight: number;
  /** Input width in pixels. */
  inWidth: number;
  /** Output height in pixels. */
  outHeight: number;
  /** Output width in pixels. */
  outWidth: number;
}

/**
 * One layer of a block. Every convolution has no bias, 'same' padding and a BN after it.
 * - conv: K×K conv in→out with the stride, BN, ReLU, then SE on the out channels.
 * - dconv: depthwise K×K with the stride, BN, ReLU, SE on the in channels, 1×1 conv in→out, BN.
 * - mbconvE: 1×1 conv in→in·E, BN, ReLU, depthwise K×K with the stride, BN, ReLU, SE on the in·E
 *   channels, 1×1 conv in·E→out, BN.
 * SE is global average pooling, dense C→squeeze with bias and ReLU, dense squeeze→C with bias
 * and sigmoid, and a channel-wise multiply with its input. The skip, if any, is added last.
 */
export interface LayerPlan {
  /** Index of the block in `SearchSpace.blocks` that the layer belongs to. */
  block: number;
  /** Position of the layer in its block; only position 0 has the block's stride and changes the width. */
  indexInBlock: number;
  /** Operation of the layer. */
  op: ConvOp;
  /** Spatial kernel size of the regular or depthwise convolution. */
  kernelSize: 3 | 5;
  /** Stride of the regular or depthwise convolution. */
  stride: 1 | 2;
  /** Expansion ratio E: 3 for mbconv3, 6 for mbconv6, 1 for conv and dconv. */
  expansionRatio: 1 | 3 | 6;
  /** Input channels. */
  inChannels: number;
  /** Channels after the 1×1 expansion, `inChannels × expansionRatio`; equal to `inChannels` for conv and dconv. */
  expandedChannels: number;
  /** Output channels. */
  outChannels: number;
  /** Channels that the SE module rescales: `outChannels` for conv, `expandedChannels` otherwise; 0 without SE. */
  seChannels: number;
  /** Units of the SE squeeze dense, `max(1, floor(inChannels × seRatio))`; 0 without SE. */
  seSqueezeChannels: number;
  /**
   * Skip connection that the layer applies: `identity` adds the input (stride 1 and
   * in = out), `pool` adds a 3×3 average pool of the input with the layer's stride and 'same'
   * padding (in = out), `none` if the gene chose none or the shapes do not allow its choice.
   */
  skip: SkipOp;
  /** Input height in pixels. */
  inHeight: number;
  /** Input width in pixels. */
  inWidth: number;
  /** Output height in pixels, `ceil(inHeight / stride)`. */
  outHeight: number;
  /** Output width in pixels, `ceil(inWidth / stride)`. */
  outWidth: number;
}

/** The 1×1 head convolution (no bias) with BN and ReLU, followed by global average pooling. */
export interface HeadPlan {
  /** Input channels: the output channels of the last layer, or of the stem if no layer is left. */
  inChannels: number;
  /** Output channels (`SearchSpace.headFilters`). */
  outChannels: number;
  /** Feature-map height in pixels. */
  height: number;
  /** Feature-map width in pixels. */
  width: number;
}

/** The dense classifier with bias after global average pooling. */
export interface ClassifierPlan {
  /** Input features (`SearchSpace.headFilters`). */
  inFeatures: number;
  /** Output units (`SearchSpace.numClasses`). */
  outFeatures: number;
}

/**
 * The concrete network of a genome, shared by the model builder, the params and FLOPs counts and
 * latency lookups.
 */
export interface NetworkPlan {
  /** Input image shape [height, width, channels]. */
  inputShape: [number, number, number];
  /** Stem convolution. */
  stem: StemPlan;
  /** Every block layer, input side first. */
  layers: LayerPlan[];
  /** Number of layers of each block; 0 for a block that `allowEmptyBlocks` removed. */
  blockLayerCounts: number[];
  /** Head convolution and pooling. */
  head: HeadPlan;
  /** Classifier. */
  classifier: ClassifierPlan;
}

/** Expansion ratio E of each op. */
export const EXPANSION_RATIO = { conv: 1, dconv: 1, mbconv3: 3, mbconv6: 6 } as const satisfies Record<
  ConvOp,
  1 | 3 | 6
>;

/** Returns the skip that a layer applies when its gene chooses `choice`. */
export function appliedSkip(choice: SkipOp, stride: number, inChannels: number, outChannels: number): SkipOp {
  switch (choice) {
    case 'none':
      return 'none';
    case 'identity':
      return stride === 1 && inChannels === outChannels ? 'identity' : 'none';
    case 'pool':
      return inChannels === outChannels ? 'pool' : 'none';
  }
}

/** Returns the SE squeeze units for a layer with `inChannels` inputs; 0 when `seRatio` is 0. */
export function seSqueezeChannels(inChannels: number, seRatio: number): number {
  return seRatio > 0 ? Math.max(1, Math.floor(inChannels * seRatio)) : 0;
}

/**
 * Expands `genome` into the concrete layers of its network after checking it with
 * {@link validateGenome}. Block k repeats its layer `baseLayers + layerDelta` times (at least
 * once unless `allowEmptyBlocks`), and a removed block also drops its stride.
 */
export function expandGenome(space: SearchSpace, genome: Genome): NetworkPlan {
  validateGenome(space, genome);
  return buildPlan(space, genome);
}

/** Same as {@link expandGenome} for a genome that was already validated against `space`. */
export function buildPlan(space: SearchSpace, genome: Genome): NetworkPlan {
  const [inputHeight, inputWidth, inputChannels] = space.inputShape;
  const stem: StemPlan = {
    kernelSize: 3,
    stride: space.stemStride,
    inChannels: inputChannels,
    outChannels: space.stemFilters,
    inHeight: inputHeight,
    inWidth: inputWidth,
    outHeight: Math.ceil(inputHeight / space.stemStride),
    outWidth: Math.ceil(inputWidth / space.stemStride),
  };

  const layers: LayerPlan[] = [];
  const blockLayerCounts: number[] = [];
  let channels = stem.outChannels;
  let height = stem.outHeight;
  let width = stem.outWidth;

  genome.blocks.forEach((gene, block) => {
    const count = blockLayerCount(space, block, gene.layerDelta);
    const outChannels = blockWidth(space, block, gene.filterMultiplier);
    blockLayerCounts.push(count);
    for (let indexInBlock = 0; indexInBlock < count; indexInBlock++) {
      const stride = indexInBlock === 0 ? space.blocks[block].stride : 1;
      const expansionRatio = EXPANSION_RATIO[gene.op];
      const expandedChannels = channels * expansionRatio;
      const squeeze = seSqueezeChannels(channels, gene.seRatio);
      let seChannels = 0;
      if (squeeze > 0) seChannels = gene.op === 'conv' ? outChannels : expandedChannels;
      const layer: LayerPlan = {
        block,
        indexInBlock,
        op: gene.op,
        kernelSize: gene.kernelSize,
        stride,
        expansionRatio,
        inChannels: channels,
        expandedChannels,
        outChannels,
        seChannels,
        seSqueezeChannels: squeeze,
        skip: appliedSkip(gene.skip, stride, channels, outChannels),
        inHeight: height,
        inWidth: width,
        outHeight: Math.ceil(height / stride),
        outWidth: Math.ceil(width / stride),
      };
      layers.push(layer);
      channels = layer.outChannels;
      height = layer.outHeight;
      width = layer.outWidth;
    }
  });

  return {
    inputShape: [inputHeight, inputWidth, inputChannels],
    stem,
    layers,
    blockLayerCounts,
    head: { inChannels: channels, outChannels: space.headFilters, height, width },
    classifier: { inFeatures: space.headFilters, outFeatures: space.numClasses },
  };
}
