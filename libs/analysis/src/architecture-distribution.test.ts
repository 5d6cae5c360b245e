import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { defaultSearchSpace } from '@akd/search-space';
import type { BlockGene, Genome } from '@akd/search-space';

import { countArchitectureChoices } from './architecture-distribution.js';
import { assertInvalidInput } from './test-support.js';

function gene(fields: Partial<BlockGene> = {}): BlockGene {
  return {
    op: 'conv',
    kernelSize: 3,
    seRatio: 0,
    skip: 'none',
    filterMultiplier: 1,
    layerDelta: 0,
    ...fields,
  };
}

const space = defaultSearchSpace([28, 28, 1], 10);
const plain: Genome = { blocks: space.blocks.map(() => gene()) };
// Block 4 (one layer, 80 → 96 channels) cannot apply a skip, so its identity skip counts as none.
const mixed: Genome = {
  blocks: [
    gene({ op: 'mbconv6', kernelSize: 5, seRatio: 0.25, skip: 'pool' }),
    gene({ op: 'dconv', skip: 'identity' }),
    gene({ op: 'mbconv3' }),
    gene(),
    gene({ skip: 'identity' }),
  ],
};

describe('countArchitectureChoices', () => {
  it('counts choices and shares per generation', () => {
    const [first, second] = countArchitectureChoices(space, [
      { generation: 1, genomes: [plain, mixed] },
      { generation: 0, genomes: [plain] },
    ]);
    assert.equal(first.generation, 0);
    assert.equal(first.blocks, 5);
    assert.deepEqual(first.op[0], { value: 'conv', count: 5, share: 1 });

    // Generation 1: 2 genomes × 5 blocks = 10. Ops: conv 5 + 2, dconv 1, mbconv3 1, mbconv6 1.
    assert.equal(second.genomes, 2);
    assert.equal(second.blocks, 10);
    assert.deepEqual(second.op, [
      { value: 'conv', count: 7, share: 0.7 },
      { value: 'dconv', count: 1, share: 0.1 },
      { value: 'mbconv3', count: 1, share: 0.1 },
      { value: 'mbconv6', count: 1, share: 0.1 },
    ]);
    assert.deepEqual(second.kernelSize, [
      { value: 3, count: 9, share: 0.9 },
      { value: 5, count: 1, share: 0.1 },
    ]);
    assert.deepEqual(second.seRatio, [
      { value: 0, count: 9, share: 0.9 },
      { value: 0.25, count: 1, share: 0.1 },
    ]);
    // Skips: none 5 (plain) + 3 (mixed blocks 2, 3 and 4), identity 1, pool 1.
    assert.deepEqual(second.skip, [
      { value: 'none', count: 8, share: 0.8 },
      { value: 'identity', count: 1, share: 0.1 },
      { value: 'pool', count: 1, share: 0.1 },
    ]);
  });

  it('leaves out removed blocks', () => {
    // With empty blocks allowed, delta −1 removes blocks 0 and 4 (one base layer each).
    const emptySpace = defaultSearchSpace([28, 28, 1], 10, { allowEmptyBlocks: true });
    const shrunk: Genome = { blocks: emptySpace.blocks.map(() => gene({ op: 'dconv', layerDelta: -1 })) };
    const [row] = countArchitectureChoices(emptySpace, [{ generation: 0, genomes: [shrunk] }]);
    assert.equal(row.blocks, 3);
    assert.deepEqual(row.op[1], { value: 'dconv', count: 3, share: 1 });
  });

  it('rejects empty and repeated generations', () => {
    assertInvalidInput(
      () => countArchitectureChoices(space, [{ generation: 2, genomes: [] }]),
      /Generation 2 has no genomes/,
    );
    assertInvalidInput(
      () =>
        countArchitectureChoices(space, [
          { generation: 1, genomes: [plain] },
          { generation: 1, genomes: [mixed] },
        ]),
      /Generation 1 appears twice/,
    );
  });
});
