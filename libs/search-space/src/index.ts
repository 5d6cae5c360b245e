export type { BlockGene, BlockSkeleton, ConvOp, Genome, SearchSpace, SkipOp } from './types.js';
export {
  BLOCK_CHOICES,
  DECISION_NAMES,
  choicesFromGenome,
  decisionsFor,
  genomeFromChoices,
} from './decisions.js';
export type { Decision } from './decisions.js';
export {
  SEARCH_SPACE_VERSION,
  WIDTH_DIVISOR,
  blockLayerCount,
  blockWidth,
  defaultSearchSpace,
  featureMapSizes,
  searchSpaceSize,
  spaceFingerprint,
  validateSearchSpace,
} from './space.js';
export type { DefaultSearchSpaceOptions, MapSize } from './space.js';
export { parseGenome, validateGenome } from './validate.js';
export { EXPANSION_RATIO, expandGenome } from './plan.js';
export type { ClassifierPlan, HeadPlan, LayerPlan, NetworkPlan, StemPlan } from './plan.js';
export {
  countFlops,
  countLayerFlops,
  countLayerParams,
  countParams,
  countPlanFlops,
  countPlanParams,
} from './cost.js';
export { canonicalGenome, canonicalKey, genomeHash } from './canonical.js';
export { mutateGenome, sampleGenome } from './sample.js';
export { describeGenome, encodeGenome, encodingLabels } from './encode.js';
