import * as tfl from '@tensorflow/tfjs-layers';
import { LayerFactory } from '../model/layer-factory.js';
import { applyBlockLayer } from '../model/student.js';
import type { LatencyKeySpec } from './keys.js';

type Sym = tfl.SymbolicTensor;

/** Returns the input shape of a part without the batch dimension. */
export function partInputShape(spec: LatencyKeySpec): number[] {
  switch (spec.kind) {
    case 'stem':
      return [spec.stem.inHeight, spec.stem.inWidth, spec.stem.inChannels];
    case 'layer':
      return [spec.layer.inHeight, spec.layer.inWidth, spec.layer.inChannels];
    case 'head':
      return [spec.head.height, spec.head.width, spec.head.inChannels];
    case 'classifier':
      return [spec.classifier.inFeatures];
  }
}

/** Adds the layers of one part at `x` with the calls the student builder makes for it. */
export function applyPart(f: LayerFactory, x: Sym, spec: LatencyKeySpec): Sym {
  switch (spec.kind) {
    case 'stem':
      return f.convBn(x, spec.stem.outChannels, spec.stem.kernelSize, spec.stem.stride);
    case 'layer':
      return applyBlockLayer(f, x, spec.layer);
    case 'head':
      return f.globalAveragePool(f.convBn(x, spec.head.outChannels, 1));
    case 'classifier':
      return f.dense(x, spec.classifier.outFeatures);
  }
}

/** Builds a model that contains only the part `spec`, with seeded initial weights. */
export function buildPartModel(spec: LatencyKeySpec, seed: number): tfl.LayersModel {
  const f = new LayerFactory(seed);
  const input = tfl.input({ shape: partInputShape(spec), name: 'part_input' });
  return tfl.model({ inputs: input, outputs: applyPart(f, input, spec), name: spec.kind });
}

/**
 * Builds a model without layers that returns its input. Timing it gives the cost that every timed
 * call pays whatever the network: `apply`, `tidy` and the readback.
 */
export function buildEmptyModel(inputShape: readonly number[]): tfl.LayersModel {
  const input = tfl.input({ shape: [...inputShape], name: 'empty_input' });
  return tfl.model({ inputs: input, outputs: input, name: 'empty' });
}
