import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Rng } from '@akd/core';
import { defaultSearchSpace, expandGenome, sampleGenome, type SearchSpace } from '@akd/search-space';
import { enumerateLayerKeys, layerKey, planKeySpecs } from './keys.js';
import { twoBlockSpace } from './test-fixtures.js';

function countKinds(space: SearchSpace): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const spec of enumerateLayerKeys(space)) counts[spec.kind] = (counts[spec.kind] ?? 0) + 1;
  return counts;
}

describe('enumerateLayerKeys', () => {
  it('counts the parts of a one-block space', () => {
    // Widths 8 and 12 (multiplier 0.75 rounds up to 8). The first layer (8 in, stride 2) has
    // 16 op/kernel/SE combinations × (out 8 with skip none or pool, out 12 without skip) = 48.
    // Repeated layers (stride 1, in = out) have 16 × 2 widths × 3 skips = 96.
    const space: SearchSpace = {
      inputShape: [8, 8, 3],
      numClasses: 10,
      stemFilters: 8,
      stemStride: 1,
      blocks: [{ baseFilters: 8, baseLayers: 1, stride: 2 }],
      headFilters: 16,
      allowEmptyBlocks: false,
    };
    assert.deepEqual(countKinds(space), { stem: 1, classifier: 1, layer: 144, head: 2 });
  });

  it('counts the parts of the two-block space', () => {
    assert.deepEqual(countKinds(twoBlockSpace()), { stem: 1, classifier: 1, layer: 176, head: 2 });
  });

  it('lists each key once', () => {
    const keys = enumerateLayerKeys(defaultSearchSpace([28, 28, 1], 10)).map((spec) => spec.key);
    assert.equal(new Set(keys).size, keys.length);
  });

  for (const [name, space] of [
    ['28×28×1', defaultSearchSpace([28, 28, 1], 10)],
    ['28×28×1 with empty blocks', defaultSearchSpace([28, 28, 1], 10, { allowEmptyBlocks: true })],
    ['64×64×3', defaultSearchSpace([64, 64, 3], 100)],
  ] as const) {
    it(`covers 200 sampled genomes of ${name}`, () => {
      const keys = new Set(enumerateLayerKeys(space).map((spec) => spec.key));
      const rng = new Rng(17);
      for (let i = 0; i < 200; i++) {
        const genome = sampleGenome(space, rng);
        for (const spec of planKeySpecs(expandGenome(space, genome))) {
          assert.ok(keys.has(spec.key), `genome ${i}: missing ${spec.key}`);
        }
      }
    });
  }
});

describe('layerKey', () => {
  it('changes with every field that changes the operations', () => {
    const space = defaultSearchSpace([28, 28, 1], 10);
    const layer = expandGenome(space, {
      blocks: space.blocks.map(() => ({
        op: 'mbconv3' as const,
        kernelSize: 3 as const,
        seRatio: 0.25 as const,
        skip: 'identity' as const,
        filterMultiplier: 1 as const,
        layerDelta: 0 as const,
      })),
    }).layers[2];
    const variants = [
      { op: 'mbconv6' as const },
      { kernelSize: 5 as const },
      { stride: 2 as const },
      { inChannels: layer.inChannels + 4 },
      { expandedChannels: layer.expandedChannels + 4 },
      { outChannels: layer.outChannels + 4 },
      { seSqueezeChannels: 0 },
      { skip: 'pool' as const },
      { inHeight: layer.inHeight + 1 },
      { inWidth: layer.inWidth + 1 },
    ];
    for (const change of variants) {
      assert.notEqual(layerKey({ ...layer, ...change }), layerKey(layer), JSON.stringify(change));
    }
  });
});
