import {
  BLOCK_CHOICES,
  expandGenome,
  validateSearchSpace,
  type BlockGene,
  type ClassifierPlan,
  type HeadPlan,
  type LayerPlan,
  type NetworkPlan,
  type SearchSpace,
  type StemPlan,
} from '@akd/search-space';

/**
 * One part of a network whose latency a profile measures on its own: the stem, one block layer,
 * the head (1×1 convolution and global average pooling) or the classifier. `key` names every
 * field that changes the operations the part runs, so two parts with the same key run the same
 * kernels on tensors of the same shapes.
 */
export type LatencyKeySpec =
  | { kind: 'stem'; key: string; stem: StemPlan }
  /** `layer.block` and `layer.indexInBlock` are those of the first layer found with this key. */
  | { kind: 'layer'; key: string; layer: LayerPlan }
  | { kind: 'head'; key: string; head: HeadPlan }
  | { kind: 'classifier'; key: string; classifier: ClassifierPlan };

/** Returns the table key of a stem, for example `stem k=3 s=1 in=28x28x1 out=16`. */
export function stemKey(stem: StemPlan): string {
  return `stem k=${stem.kernelSize} s=${stem.stride} in=${stem.inHeight}x${stem.inWidth}x${stem.inChannels} out=${stem.outChannels}`;
}

/**
 * Returns the table key of a block layer, for example
 * `layer op=mbconv6 k=5 s=2 in=14x14x24 exp=144 out=40 se=6 skip=pool`, where `se` is the
 * number of SE squeeze units (0 without SE) and `skip` the skip the layer applies.
 */
export function layerKey(layer: LayerPlan): string {
  return (
    `layer op=${layer.op} k=${layer.kernelSize} s=${layer.stride} ` +
    `in=${layer.inHeight}x${layer.inWidth}x${layer.inChannels} exp=${layer.expandedChannels} ` +
    `out=${layer.outChannels} se=${layer.seSqueezeChannels} skip=${layer.skip}`
  );
}

/** Returns the table key of a head, for example `head in=7x7x96 out=160`. */
export function headKey(head: HeadPlan): string {
  return `head in=${head.height}x${head.width}x${head.inChannels} out=${head.outChannels}`;
}

/** Returns the table key of a classifier, for example `classifier in=160 out=10`. */
export function classifierKey(classifier: ClassifierPlan): string {
  return `classifier in=${classifier.inFeatures} out=${classifier.outFeatures}`;
}

/** Returns the parts of `plan` with their keys: stem, every block layer in order, head, classifier. */
export function planKeySpecs(plan: NetworkPlan): LatencyKeySpec[] {
  return [
    { kind: 'stem', key: stemKey(plan.stem), stem: plan.stem },
    ...plan.layers.map((layer): LatencyKeySpec => ({ kind: 'layer', key: layerKey(layer), layer })),
    { kind: 'head', key: headKey(plan.head), head: plan.head },
    { kind: 'classifier', key: classifierKey(plan.classifier), classifier: plan.classifier },
  ];
}

/** Feature map entering a block, with genes for the earlier blocks that produce it. */
interface BlockInput {
  channels: number;
  height: number;
  width: number;
  prefix: BlockGene[];
}

/** Returns every combination of the per-block decisions: 432 genes with the choices of `BLOCK_CHOICES`. */
function allGenes(): BlockGene[] {
  const genes: BlockGene[] = [];
  for (const op of BLOCK_CHOICES.op)
    for (const kernelSize of BLOCK_CHOICES.kernelSize)
      for (const seRatio of BLOCK_CHOICES.seRatio)
        for (const skip of BLOCK_CHOICES.skip)
          for (const filterMultiplier of BLOCK_CHOICES.filterMultiplier)
            for (const layerDelta of BLOCK_CHOICES.layerDelta)
              genes.push({ op, kernelSize, seRatio, skip, filterMultiplier, layerDelta });
  return genes;
}

/** Gene for the blocks after the one being enumerated; any valid gene works because those layers are ignored. */
const FILLER_GENE: BlockGene = {
  op: 'conv',
  kernelSize: 3,
  seRatio: 0,
  skip: 'none',
  filterMultiplier: 1,
  layerDelta: 0,
};

/**
 * Lists every part that some genome of `space` contains, each key once: the stem, every block
 * layer, every head and the classifier.
 *
 * It walks the blocks in order and keeps the set of feature maps (channels, height, width) that
 * can enter each block. Block 0 receives the stem output. Each later block receives every width
 * that the multipliers give the previous block, and also that block's input when
 * `allowEmptyBlocks` lets the previous block vanish. For every entering map and every gene of the
 * block it expands a genome that realizes both with `expandGenome`, so widths, layer counts,
 * applied skips and SE sizes follow the same rules as real students. First layers (with the
 * block's stride and a width change) and repeated layers both come out of that expansion.
 */
export function enumerateLayerKeys(space: SearchSpace): LatencyKeySpec[] {
  validateSearchSpace(space);
  const specs = new Map<string, LatencyKeySpec>();
  const add = (spec: LatencyKeySpec): void => {
    if (!specs.has(spec.key)) specs.set(spec.key, spec);
  };

  const genes = allGenes();
  const fillers = (from: number): BlockGene[] => space.blocks.slice(from).map(() => ({ ...FILLER_GENE }));
  const firstPlan = expandGenome(space, { blocks: fillers(0) });
  add({ kind: 'stem', key: stemKey(firstPlan.stem), stem: firstPlan.stem });
  add({ kind: 'classifier', key: classifierKey(firstPlan.classifier), classifier: firstPlan.classifier });

  let inputs: BlockInput[] = [
    {
      channels: firstPlan.stem.outChannels,
      height: firstPlan.stem.outHeight,
      width: firstPlan.stem.outWidth,
      prefix: [],
    },
  ];
  for (let block = 0; block < space.blocks.length; block++) {
    const outputs = new Map<string, BlockInput>();
    for (const input of inputs) {
      for (const gene of genes) {
        const plan = expandGenome(space, { blocks: [...input.prefix, gene, ...fillers(block + 1)] });
        let output: BlockInput = { ...input, prefix: [...input.prefix, gene] };
        for (const layer of plan.layers) {
          if (layer.block !== block) continue;
          add({ kind: 'layer', key: layerKey(layer), layer });
          output = { ...output, channels: layer.outChannels, height: layer.outHeight, width: layer.outWidth };
        }
        const mapKey = `${output.channels}x${output.height}x${output.width}`;
        if (!outputs.has(mapKey)) outputs.set(mapKey, output);
      }
    }
    inputs = [...outputs.values()];
  }

  for (const input of inputs) {
    const head = expandGenome(space, { blocks: input.prefix }).head;
    add({ kind: 'head', key: headKey(head), head });
  }
  return [...specs.values()];
}
