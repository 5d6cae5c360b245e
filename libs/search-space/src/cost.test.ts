import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { countFlops, countLayerFlops, countLayerParams, countParams } from './cost.js';
import { expandGenome } from './plan.js';
import { gene, tinySpace } from './test-fixtures.js';
import type { SearchSpace } from './types.js';

// The tiny space: 8×8×3 input, stem 3×3 3→8 stride 1, one block (base 8 filters, 1 layer,
// stride 2, so 8×8 → 4×4), head 1×1 →16 at 4×4, dense 16→10.
// Stem:       params 3·3·3·8 + 4·8 = 216 + 32 = 248,   FLOPs 3·3·3·8 · 8·8 = 13824
// Head (8 in): params 8·16 + 4·16 = 128 + 64 = 192,    FLOPs 8·16 · 4·4 = 2048
// Classifier: params 16·10 + 10 = 170,                 FLOPs 16·10 = 160
const STEM_PARAMS = 248;
const STEM_FLOPS = 13824;
const HEAD8_PARAMS = 192;
const HEAD8_FLOPS = 2048;
const CLASSIFIER_PARAMS = 170;
const CLASSIFIER_FLOPS = 160;
const FIXED_PARAMS = STEM_PARAMS + HEAD8_PARAMS + CLASSIFIER_PARAMS;
const FIXED_FLOPS = STEM_FLOPS + HEAD8_FLOPS + CLASSIFIER_FLOPS;

describe('countParams and countFlops', () => {
  it('conv layer without SE', () => {
    const space = tinySpace();
    const genome = { blocks: [gene({ op: 'conv', kernelSize: 3 })] };
    // conv 3·3·8·8 = 576, BN 4·8 = 32 → 608 params; FLOPs 3·3·8·8 · 4·4 = 9216
    const [layer] = expandGenome(space, genome).layers;
    assert.equal(countLayerParams(layer), 608);
    assert.equal(countLayerFlops(layer), 9216);
    assert.equal(countParams(space, genome), FIXED_PARAMS + 608);
    assert.equal(countFlops(space, genome), FIXED_FLOPS + 9216);
  });

  it('conv layer with SE and pool skip', () => {
    const space = tinySpace();
    const genome = { blocks: [gene({ op: 'conv', kernelSize: 5, seRatio: 0.25, skip: 'pool' })] };
    const [layer] = expandGenome(space, genome).layers;
    // SE on the 8 output channels, squeeze floor(8 in · 0.25) = 2.
    assert.equal(layer.seChannels, 8);
    assert.equal(layer.seSqueezeChannels, 2);
    // in = out = 8, so the pool skip applies even with stride 2.
    assert.equal(layer.skip, 'pool');
    // conv 5·5·8·8 = 1600, BN 32, SE 8·2 + 2 + 2·8 + 8 = 42 → 1674 params
    assert.equal(countLayerParams(layer), 1674);
    // conv 5·5·8·8 · 4·4 = 25600, SE denses 8·2 + 2·8 = 32 → 25632 FLOPs
    assert.equal(countLayerFlops(layer), 25632);
    assert.equal(countParams(space, genome), FIXED_PARAMS + 1674);
    assert.equal(countFlops(space, genome), FIXED_FLOPS + 25632);
  });

  it('dconv layer with SE and wider output', () => {
    const space = tinySpace();
    // Multiplier 1.25: 8 · 1.25 = 10, the nearest multiple of 4 with ties up is 12.
    const genome = { blocks: [gene({ op: 'dconv', seRatio: 0.25, skip: 'pool', filterMultiplier: 1.25 })] };
    const plan = expandGenome(space, genome);
    const [layer] = plan.layers;
    assert.equal(layer.outChannels, 12);
    assert.equal(layer.seChannels, 8);
    assert.equal(layer.seSqueezeChannels, 2);
    assert.equal(layer.skip, 'none', 'pool needs in = out, and 8 ≠ 12');
    // depthwise 3·3·8 = 72, BN 32, SE 42, pointwise 8·12 = 96, BN 4·12 = 48 → 290 params
    assert.equal(countLayerParams(layer), 290);
    // depthwise 3·3·8 · 4·4 = 1152, SE 32, pointwise 8·12 · 4·4 = 1536 → 2720 FLOPs
    assert.equal(countLayerFlops(layer), 2720);
    // Head now has 12 inputs: 12·16 + 64 = 256 params, 12·16 · 4·4 = 3072 FLOPs.
    assert.equal(countParams(space, genome), STEM_PARAMS + 290 + 256 + CLASSIFIER_PARAMS);
    assert.equal(countFlops(space, genome), STEM_FLOPS + 2720 + 3072 + CLASSIFIER_FLOPS);
  });

  it('mbconv3 block of two layers with identity skip', () => {
    const space = tinySpace();
    // Multiplier 0.75: 8 · 0.75 = 6, rounded to 8. Delta +1 gives two layers.
    const genome = {
      blocks: [
        gene({ op: 'mbconv3', kernelSize: 5, skip: 'identity', filterMultiplier: 0.75, layerDelta: 1 }),
      ],
    };
    const plan = expandGenome(space, genome);
    assert.equal(plan.layers.length, 2);
    const [first, second] = plan.layers;
    assert.equal(first.expandedChannels, 24);
    assert.equal(first.skip, 'none', 'identity needs stride 1');
    assert.equal(second.skip, 'identity');
    assert.equal(second.stride, 1);
    // expand 8·24 = 192, BN 96, depthwise 5·5·24 = 600, BN 96, project 24·8 = 192, BN 32 → 1208
    assert.equal(countLayerParams(first), 1208);
    assert.equal(countLayerParams(second), 1208);
    // First: expand 8·24 · 8·8 = 12288 (input resolution), depthwise 5·5·24 · 4·4 = 9600,
    // project 24·8 · 4·4 = 3072 → 24960.
    assert.equal(countLayerFlops(first), 24960);
    // Second: expand 8·24 · 4·4 = 3072, depthwise 9600, project 3072 → 15744.
    assert.equal(countLayerFlops(second), 15744);
    assert.equal(countParams(space, genome), FIXED_PARAMS + 2 * 1208);
    assert.equal(countFlops(space, genome), FIXED_FLOPS + 24960 + 15744);
  });

  it('mbconv6 layer with SE on expanded channels', () => {
    const space = tinySpace();
    const genome = { blocks: [gene({ op: 'mbconv6', kernelSize: 3, seRatio: 0.25 })] };
    const [layer] = expandGenome(space, genome).layers;
    assert.equal(layer.expandedChannels, 48);
    assert.equal(layer.seChannels, 48);
    assert.equal(layer.seSqueezeChannels, 2, 'squeeze uses the 8 input channels');
    // expand 8·48 = 384, BN 192, depthwise 3·3·48 = 432, BN 192,
    // SE 48·2 + 2 + 2·48 + 48 = 242, project 48·8 = 384, BN 32 → 1858
    assert.equal(countLayerParams(layer), 1858);
    // expand 8·48 · 8·8 = 24576, depthwise 3·3·48 · 4·4 = 6912, SE 48·2 + 2·48 = 192,
    // project 48·8 · 4·4 = 6144 → 37824
    assert.equal(countLayerFlops(layer), 37824);
    assert.equal(countParams(space, genome), FIXED_PARAMS + 1858);
    assert.equal(countFlops(space, genome), FIXED_FLOPS + 37824);
  });

  it('SE squeeze of at least one unit', () => {
    // 4×4×1 input, stem 3×3 1→2, one stride-1 block of 4 filters, head 4, 2 classes.
    const space: SearchSpace = {
      inputShape: [4, 4, 1],
      numClasses: 2,
      stemFilters: 2,
      stemStride: 1,
      blocks: [{ baseFilters: 4, baseLayers: 1, stride: 1 }],
      headFilters: 4,
      allowEmptyBlocks: false,
    };
    const genome = { blocks: [gene({ op: 'conv', seRatio: 0.25 })] };
    const [layer] = expandGenome(space, genome).layers;
    // floor(2 · 0.25) = 0, raised to 1.
    assert.equal(layer.seSqueezeChannels, 1);
    // conv 3·3·2·4 = 72, BN 16, SE 4·1 + 1 + 1·4 + 4 = 13 → 101
    assert.equal(countLayerParams(layer), 101);
    // conv 3·3·2·4 · 4·4 = 1152, SE 4·1 + 1·4 = 8 → 1160
    assert.equal(countLayerFlops(layer), 1160);
    // stem 3·3·1·2 + 8 = 26, head 4·4 + 16 = 32, classifier 4·2 + 2 = 10
    assert.equal(countParams(space, genome), 26 + 101 + 32 + 10);
    // stem 3·3·1·2 · 16 = 288, head 4·4 · 16 = 256, classifier 4·2 = 8
    assert.equal(countFlops(space, genome), 288 + 1160 + 256 + 8);
  });

  it('pool skip on every layer adds nothing', () => {
    const space = tinySpace();
    const genome = { blocks: [gene({ op: 'conv', skip: 'pool', layerDelta: 1 })] };
    const plan = expandGenome(space, genome);
    assert.deepEqual(
      plan.layers.map((layer) => [layer.stride, layer.skip]),
      [
        [2, 'pool'],
        [1, 'pool'],
      ],
    );
    // Two conv layers of 608 params; FLOPs 9216 each (both at 4×4 output).
    assert.equal(countParams(space, genome), FIXED_PARAMS + 2 * 608);
    assert.equal(countFlops(space, genome), FIXED_FLOPS + 2 * 9216);
  });

  it('removed block passes stem output to head', () => {
    const space = tinySpace({ allowEmptyBlocks: true });
    const genome = { blocks: [gene({ layerDelta: -1 })] };
    const plan = expandGenome(space, genome);
    assert.deepEqual(plan.layers, []);
    assert.deepEqual(plan.blockLayerCounts, [0]);
    // The block's stride goes with it, so the head runs at 8×8: 8·16 · 8·8 = 8192 FLOPs.
    assert.deepEqual(plan.head, { inChannels: 8, outChannels: 16, height: 8, width: 8 });
    assert.equal(countParams(space, genome), FIXED_PARAMS);
    assert.equal(countFlops(space, genome), STEM_FLOPS + 8192 + CLASSIFIER_FLOPS);
  });
});
