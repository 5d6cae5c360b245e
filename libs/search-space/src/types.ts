/** Convolution operation of a block. */
export type ConvOp = 'conv' | 'dconv' | 'mbconv3' | 'mbconv6';

/** Skip connection of each layer in a block. */
export type SkipOp = 'none' | 'identity' | 'pool';

/** Choices for one block, repeated over the block's layers. */
export interface BlockGene {
  /** Convolution operation of every layer in the block. */
  op: ConvOp;
  /** Spatial kernel size of the main (depthwise or regular) convolution. */
  kernelSize: 3 | 5;
  /** Squeeze-and-excite ratio relative to the layer's input channels; 0 disables it. */
  seRatio: 0 | 0.25;
  /** Skip connection; applied only where input and output shapes allow it. */
  skip: SkipOp;
  /** Multiplier of the block's base output width. */
  filterMultiplier: 0.75 | 1 | 1.25;
  /** Change to the block's base layer count. */
  layerDelta: -1 | 0 | 1;
}

/** A student architecture: one gene per block of the search space. */
export interface Genome {
  /** One gene per entry of `SearchSpace.blocks`, in the same order. */
  blocks: BlockGene[];
}

/** Fixed skeleton of one block in the search space. */
export interface BlockSkeleton {
  /** Base output channels before the filter multiplier. */
  baseFilters: number;
  /** Base number of layers before the layer-count delta. */
  baseLayers: number;
  /** Stride of the first layer of the block (1 or 2). */
  stride: 1 | 2;
}

/** The search space: input, stem, blocks and head shared by every genome. */
export interface SearchSpace {
  /** Input image shape [height, width, channels]. */
  inputShape: [number, number, number];
  /** Output units of the dense classifier (at least 2). */
  numClasses: number;
  /** Output channels of the 3x3 stem convolution. */
  stemFilters: number;
  /** Stride of the stem convolution (1 or 2). */
  stemStride: 1 | 2;
  /** Block skeletons, input side first; a genome has one gene per entry. */
  blocks: BlockSkeleton[];
  /** Channels of the 1x1 convolution before global average pooling. */
  headFilters: number;
  /**
   * Whether a layer-count delta of -1 may remove a block with one base layer. If false, such a
   * block keeps one layer.
   */
  allowEmptyBlocks: boolean;
}
