// The architecture of a student block by block: stem, each block with its op, kernel, SE, skip,
// layer count and width, then head and classifier. Works from the expanded plan of the genome,
// so it shows what the model builder builds (skips that the shapes do not allow are left out).
import type { BlockGene, Genome, LayerPlan, NetworkPlan } from '@akd/search-space';

const OP_LABELS: Record<string, string> = {
  conv: 'Conv',
  dconv: 'Depthwise-separable conv',
  mbconv3: 'MBConv, expansion 3',
  mbconv6: 'MBConv, expansion 6',
};

function shape(height: number, width: number, channels: number): string {
  return `${height}×${width}×${channels}`;
}

function BlockCard({ index, gene, layers }: { index: number; gene: BlockGene; layers: LayerPlan[] }) {
  if (layers.length === 0) {
    return (
      <li className="arch-block arch-empty" aria-label={`Block ${index + 1}: removed`}>
        <span className="arch-title">Block {index + 1}</span>
        <span>removed (no layers)</span>
      </li>
    );
  }
  const first = layers[0];
  const last = layers[layers.length - 1];
  const skips = [...new Set(layers.map((layer) => layer.skip))];
  return (
    <li className={`arch-block op-${gene.op}`}>
      <span className="arch-title">Block {index + 1}</span>
      <span className="arch-op">{OP_LABELS[gene.op] ?? gene.op}</span>
      <dl>
        <dt>Kernel</dt>
        <dd>
          {gene.kernelSize}×{gene.kernelSize}
        </dd>
        <dt>Layers</dt>
        <dd>
          {layers.length} × {last.outChannels} ch
        </dd>
        <dt>Stride</dt>
        <dd>{first.stride}</dd>
        <dt>SE</dt>
        <dd>{gene.seRatio > 0 ? `${gene.seRatio} (${first.seSqueezeChannels} units)` : 'none'}</dd>
        <dt>Skip</dt>
        <dd>{skips.join(', ')}</dd>
        <dt>Output</dt>
        <dd>{shape(last.outHeight, last.outWidth, last.outChannels)}</dd>
      </dl>
    </li>
  );
}

/** Draws `plan` (the expanded `genome`) as a row of blocks from input to classifier. */
export function ArchitectureDiagram({
  plan,
  genome,
  label,
}: {
  plan: NetworkPlan;
  genome: Genome;
  label: string;
}) {
  return (
    <figure className="arch">
      <ol className="arch-row" aria-label={label}>
        <li className="arch-io">
          <span className="arch-title">Input</span>
          <span>{shape(...plan.inputShape)}</span>
        </li>
        <li className="arch-stem">
          <span className="arch-title">Stem</span>
          <span>
            Conv {plan.stem.kernelSize}×{plan.stem.kernelSize}, stride {plan.stem.stride}
          </span>
          <span>{shape(plan.stem.outHeight, plan.stem.outWidth, plan.stem.outChannels)}</span>
        </li>
        {genome.blocks.map((gene, index) => (
          <BlockCard
            key={index}
            index={index}
            gene={gene}
            layers={plan.layers.filter((layer) => layer.block === index)}
          />
        ))}
        <li className="arch-head">
          <span className="arch-title">Head</span>
          <span>1×1 conv to {plan.head.outChannels} ch, global average pool</span>
        </li>
        <li className="arch-io">
          <span className="arch-title">Classifier</span>
          <span>
            Dense {plan.classifier.inFeatures} → {plan.classifier.outFeatures}
          </span>
        </li>
      </ol>
      <figcaption className="help">{label}</figcaption>
    </figure>
  );
}
