import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import {
  blockLayerCount,
  blockWidth,
  defaultSearchSpace,
  featureMapSizes,
  searchSpaceSize,
  spaceFingerprint,
} from './space.js';
import { tinySpace } from './test-fixtures.js';
import type { SearchSpace } from './types.js';

function strides(space: SearchSpace): number[] {
  return [space.stemStride, ...space.blocks.map((block) => block.stride)];
}

function allSides(space: SearchSpace): number[] {
  const { stem, blocks } = featureMapSizes(space);
  return [stem, ...blocks].flatMap((size) => [size.height, size.width]);
}

describe('defaultSearchSpace', () => {
  it('28×28 matches the base layout', () => {
    const space = defaultSearchSpace([28, 28, 1], 10);
    assert.deepEqual(space, {
      inputShape: [28, 28, 1],
      numClasses: 10,
      stemFilters: 16,
      stemStride: 1,
      blocks: [
        { baseFilters: 16, baseLayers: 1, stride: 1 },
        { baseFilters: 24, baseLayers: 2, stride: 2 },
        { baseFilters: 40, baseLayers: 2, stride: 1 },
        { baseFilters: 80, baseLayers: 2, stride: 2 },
        { baseFilters: 96, baseLayers: 1, stride: 1 },
      ],
      headFilters: 160,
      allowEmptyBlocks: false,
    });
    assert.deepEqual(featureMapSizes(space).blocks.at(-1), { height: 7, width: 7 });
  });

  it('32×32 keeps stride 1 stem', () => {
    const space = defaultSearchSpace([32, 32, 3], 100, { allowEmptyBlocks: true });
    assert.deepEqual(strides(space), [1, 1, 2, 1, 2, 1]);
    assert.equal(space.allowEmptyBlocks, true);
    assert.deepEqual(featureMapSizes(space).blocks.at(-1), { height: 8, width: 8 });
  });

  it('64×64 adds stem stride', () => {
    const space = defaultSearchSpace([64, 64, 3], 10);
    assert.deepEqual(strides(space), [2, 1, 2, 1, 2, 1]);
    assert.deepEqual(featureMapSizes(space).blocks.at(-1), { height: 8, width: 8 });
  });

  it('224×224 adds three strides', () => {
    const space = defaultSearchSpace([224, 224, 3], 1000);
    assert.deepEqual(strides(space), [2, 2, 2, 2, 2, 1]);
    assert.deepEqual(featureMapSizes(space).blocks.at(-1), { height: 7, width: 7 });
  });

  it('keeps every map at least 2×2', () => {
    for (const side of [28, 32, 64, 224]) {
      const space = defaultSearchSpace([side, side, 3], 10);
      const sides = allSides(space);
      assert.ok(Math.min(...sides) >= 2, `input ${side}: sides ${sides.join(',')}`);
      const final = featureMapSizes(space).blocks.at(-1);
      assert.ok(
        final !== undefined && final.height <= 8 && final.width <= 8,
        `input ${side}: final ${final?.height}`,
      );
    }
  });

  it('drops strides for tiny inputs', () => {
    assert.deepEqual(strides(defaultSearchSpace([4, 4, 1], 2)), [1, 1, 2, 1, 1, 1]);
    assert.deepEqual(strides(defaultSearchSpace([2, 2, 1], 2)), [1, 1, 1, 1, 1, 1]);
    for (const side of [2, 3, 4, 5, 7, 9, 17, 33, 100, 511]) {
      const sides = allSides(defaultSearchSpace([side, side, 1], 2));
      assert.ok(Math.min(...sides) >= 2, `input ${side}: sides ${sides.join(',')}`);
    }
  });

  it('rejects inputs below 2×2', () => {
    assert.throws(() => defaultSearchSpace([1, 28, 1], 10), AkdError);
  });
});

describe('blockWidth and blockLayerCount', () => {
  it('rounds widths to multiples of 4', () => {
    const space = defaultSearchSpace([28, 28, 1], 10);
    // 24 · 0.75 = 18 and 40 · 0.75 = 30 are ties and round up; 96 · 1.25 = 120 is exact.
    assert.equal(blockWidth(space, 1, 0.75), 20);
    assert.equal(blockWidth(space, 2, 0.75), 32);
    assert.equal(blockWidth(space, 2, 1.25), 52);
    assert.equal(blockWidth(space, 4, 1.25), 120);
  });

  it('keeps widths of at least 4', () => {
    const space = tinySpace({ blocks: [{ baseFilters: 1, baseLayers: 1, stride: 1 }] });
    assert.equal(blockWidth(space, 0, 0.75), 4);
  });

  it('clamps only without empty blocks', () => {
    assert.equal(blockLayerCount(tinySpace(), 0, -1), 1);
    assert.equal(blockLayerCount(tinySpace({ allowEmptyBlocks: true }), 0, -1), 0);
    assert.equal(blockLayerCount(tinySpace(), 0, 1), 2);
  });
});

describe('searchSpaceSize', () => {
  it('default space has 432^5 genomes', () => {
    assert.equal(searchSpaceSize(defaultSearchSpace([28, 28, 1], 10)), 432n ** 5n);
    assert.equal(432n ** 5n, 15_045_919_506_432n);
  });

  it('grows per block', () => {
    assert.equal(searchSpaceSize(tinySpace()), 432n);
  });
});

describe('spaceFingerprint', () => {
  it('ignores key order', () => {
    const space = tinySpace();
    const reordered = Object.fromEntries(Object.entries(space).reverse()) as unknown as SearchSpace;
    assert.equal(spaceFingerprint(reordered), spaceFingerprint(space));
  });

  it('changes with any field', () => {
    const base = spaceFingerprint(tinySpace());
    assert.match(base, /^[0-9a-f]{64}$/);
    assert.notEqual(spaceFingerprint(tinySpace({ numClasses: 11 })), base);
    assert.notEqual(spaceFingerprint(tinySpace({ allowEmptyBlocks: true })), base);
    assert.notEqual(
      spaceFingerprint(tinySpace({ blocks: [{ baseFilters: 8, baseLayers: 1, stride: 1 }] })),
      base,
    );
  });
});
