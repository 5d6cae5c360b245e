import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '@akd/core';

import { describeGenome, encodeGenome, encodingLabels } from './encode.js';
import { sampleGenome } from './sample.js';
import { defaultSearchSpace } from './space.js';
import { gene } from './test-fixtures.js';

const space = defaultSearchSpace([28, 28, 1], 10);

describe('encodeGenome', () => {
  it('is one-hot per decision', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const vector = encodeGenome(space, sampleGenome(space, rng));
      // Per block: op 4 + kernel 2 + SE 2 + skip 3 + multiplier 3 + delta 3 = 17 entries.
      assert.equal(vector.length, 17 * 5);
      assert.ok(vector.every((value) => value === 0 || value === 1));
      const groupSizes = [4, 2, 2, 3, 3, 3];
      let offset = 0;
      for (let block = 0; block < 5; block++) {
        for (const size of groupSizes) {
          const group: number[] = vector.slice(offset, offset + size);
          const hot: number = group.filter((value) => value === 1).length;
          assert.equal(hot, 1, `block ${block}, entries ${offset}..${offset + size - 1}`);
          offset += size;
        }
      }
    }
  });

  it('aligns with labels', () => {
    const labels = encodingLabels(space);
    assert.equal(labels.length, 85);
    const genome = { blocks: space.blocks.map(() => gene({ op: 'mbconv6', kernelSize: 5 })) };
    const vector = encodeGenome(space, genome);
    const hot = labels.filter((_, index) => vector[index] === 1);
    assert.ok(hot.includes('blocks[0].op=mbconv6'));
    assert.ok(hot.includes('blocks[4].kernelSize=5'));
    assert.equal(hot.length, 30);
  });

  it('encodes the canonical genome', () => {
    // Block 4 cannot apply any skip, so identity encodes like none.
    const plain = { blocks: space.blocks.map(() => gene()) };
    const withSkip = {
      blocks: space.blocks.map((_, index) => gene(index === 4 ? { skip: 'identity' } : {})),
    };
    assert.deepEqual(encodeGenome(space, withSkip), encodeGenome(space, plain));
  });
});

describe('describeGenome', () => {
  it('summarizes each block', () => {
    const genome = {
      blocks: [
        gene({ op: 'conv', skip: 'pool' }),
        gene({ op: 'mbconv6', kernelSize: 5, seRatio: 0.25, skip: 'identity' }),
        gene({ op: 'dconv', filterMultiplier: 0.75, layerDelta: 1 }),
        gene({ op: 'mbconv3', skip: 'identity', layerDelta: -1 }),
        gene({ op: 'conv', kernelSize: 5, skip: 'identity', filterMultiplier: 1.25 }),
      ],
    };
    // Blocks 3 (one stride-2 layer, 32 → 80) and 4 (one layer, 80 → 120) cannot apply their
    // identity skips, so they show none.
    assert.equal(
      describeGenome(space, genome),
      'ck3-p×1@16 | mb6k5se-i×2@24 | dck3×3@32 | mb3k3×1@80 | ck5×1@120',
    );
  });

  it('marks removed blocks', () => {
    const emptySpace = defaultSearchSpace([28, 28, 1], 10, { allowEmptyBlocks: true });
    const genome = { blocks: emptySpace.blocks.map(() => gene({ layerDelta: -1 })) };
    assert.equal(describeGenome(emptySpace, genome), '∅ | ck3×1@24 | ck3×1@40 | ck3×1@80 | ∅');
  });
});
