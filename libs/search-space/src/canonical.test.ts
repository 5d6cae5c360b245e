import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '@akd/core';

import { canonicalGenome, genomeHash } from './canonical.js';
import { expandGenome } from './plan.js';
import { sampleGenome } from './sample.js';
import { defaultSearchSpace } from './space.js';
import { gene, networkSignature, tinySpace } from './test-fixtures.js';
import type { BlockGene, Genome, SearchSpace } from './types.js';

const space = defaultSearchSpace([28, 28, 1], 10);

function genomeOf(...genes: Partial<BlockGene>[]): Genome {
  return { blocks: space.blocks.map((_, index) => gene(genes[index] ?? {})) };
}

describe('genomeHash', () => {
  it('returns sha256 hex', () => {
    assert.match(genomeHash(space, genomeOf()), /^[0-9a-f]{64}$/);
  });

  it('ignores key order', () => {
    const genome = genomeOf({ op: 'mbconv6', skip: 'identity', layerDelta: 1 });
    const reordered: Genome = {
      blocks: genome.blocks.map(
        (block) => Object.fromEntries(Object.entries(block).reverse()) as unknown as BlockGene,
      ),
    };
    assert.equal(genomeHash(space, reordered), genomeHash(space, genome));
  });

  it('depends on the space', () => {
    const other = defaultSearchSpace([32, 32, 1], 10);
    assert.notEqual(genomeHash(other, genomeOf()), genomeHash(space, genomeOf()));
  });

  it('ignores skip no layer can apply', () => {
    // Block 4 has one layer, 80 → 96 channels at stride 1: neither skip fits.
    const plain = genomeOf();
    assert.equal(genomeHash(space, genomeOf({}, {}, {}, {}, { skip: 'identity' })), genomeHash(space, plain));
    assert.equal(genomeHash(space, genomeOf({}, {}, {}, {}, { skip: 'pool' })), genomeHash(space, plain));
  });

  it('keeps skip that a later layer applies', () => {
    // Block 1 has two layers; its first (stride 2, 16 → 24) cannot add the input, its second can.
    const withSkip = genomeOf({}, { skip: 'identity' });
    assert.notEqual(genomeHash(space, withSkip), genomeHash(space, genomeOf()));
    assert.equal(canonicalGenome(space, withSkip).blocks[1].skip, 'identity');
  });

  it('distinguishes pool from identity skip', () => {
    // Block 0 maps 16 → 16 channels at stride 1, so both skips apply and differ.
    assert.notEqual(
      genomeHash(space, genomeOf({ skip: 'pool' })),
      genomeHash(space, genomeOf({ skip: 'identity' })),
    );
  });

  it('treats clamped delta as 0', () => {
    // Block 0 has one base layer; without allowEmptyBlocks, -1 keeps one layer.
    const clamped = genomeOf({ layerDelta: -1 });
    assert.equal(genomeHash(space, clamped), genomeHash(space, genomeOf()));
    assert.equal(canonicalGenome(space, clamped).blocks[0].layerDelta, 0);
  });

  it('ignores fields of a removed block', () => {
    const emptySpace = defaultSearchSpace([28, 28, 1], 10, { allowEmptyBlocks: true });
    const a = genomeOf({ layerDelta: -1 });
    const b = genomeOf({
      layerDelta: -1,
      op: 'mbconv6',
      kernelSize: 5,
      seRatio: 0.25,
      skip: 'pool',
      filterMultiplier: 1.25,
    });
    assert.equal(genomeHash(emptySpace, a), genomeHash(emptySpace, b));
    assert.deepEqual(canonicalGenome(emptySpace, b).blocks[0], gene({ layerDelta: -1 }));
    assert.notEqual(genomeHash(emptySpace, a), genomeHash(emptySpace, genomeOf()));
  });

  it('merges multipliers of equal width', () => {
    // Base 8: 8 · 0.75 = 6 rounds to 8, the same width as multiplier 1.
    const small = tinySpace();
    const a = { blocks: [gene({ filterMultiplier: 0.75 })] };
    const b = { blocks: [gene({ filterMultiplier: 1 })] };
    assert.equal(genomeHash(small, a), genomeHash(small, b));
    assert.equal(canonicalGenome(small, a).blocks[0].filterMultiplier, 1);
  });

  it('merges layers shifted between blocks', () => {
    // Blocks 1 (24 · 1.25 → 32) and 2 (40 · 0.75 → 32) have the same width, and block 2 has
    // stride 1, so its first layer equals a later layer of block 1. Layer counts 2 + 2 and
    // 3 + 1 build the same network; the canonical form gives block 1 the three layers.
    const shared = { op: 'mbconv3', kernelSize: 5, skip: 'identity' } as const;
    const twoAndTwo = genomeOf(
      {},
      { ...shared, filterMultiplier: 1.25 },
      { ...shared, filterMultiplier: 0.75 },
    );
    const threeAndOne = genomeOf(
      {},
      { ...shared, filterMultiplier: 1.25, layerDelta: 1 },
      { ...shared, filterMultiplier: 0.75, layerDelta: -1 },
    );
    assert.equal(
      networkSignature(expandGenome(space, twoAndTwo)),
      networkSignature(expandGenome(space, threeAndOne)),
    );
    assert.equal(genomeHash(space, twoAndTwo), genomeHash(space, threeAndOne));
    const canonical = canonicalGenome(space, twoAndTwo);
    assert.equal(canonical.blocks[1].layerDelta, 1);
    assert.equal(canonical.blocks[2].layerDelta, -1);
  });
});

describe('canonicalGenome', () => {
  it('keeps the network and is idempotent', () => {
    const rng = new Rng(11);
    const emptySpace = defaultSearchSpace([32, 32, 3], 10, { allowEmptyBlocks: true });
    for (const target of [space, emptySpace]) {
      for (let i = 0; i < 300; i++) {
        const genome = sampleGenome(target, rng);
        const canonical = canonicalGenome(target, genome);
        const expected = networkSignature(expandGenome(target, genome));
        assert.equal(networkSignature(expandGenome(target, canonical)), expected);
        assert.deepEqual(canonicalGenome(target, canonical), canonical);
      }
    }
  });
});

/**
 * Samples `count` genomes and checks that two of them share a hash exactly when they build the
 * same network. Returns the number of genome pairs that share a network but differ as genomes.
 */
function checkHashesMatchNetworks(target: SearchSpace, seed: number, count: number): number {
  const rng = new Rng(seed);
  const hashBySignature = new Map<string, string>();
  const signatureByHash = new Map<string, string>();
  const genomeBySignature = new Map<string, string>();
  let mergedGenomes = 0;
  for (let i = 0; i < count; i++) {
    const genome = sampleGenome(target, rng);
    const signature = networkSignature(expandGenome(target, genome));
    const hash = genomeHash(target, genome);
    const knownHash = hashBySignature.get(signature);
    if (knownHash !== undefined) assert.equal(hash, knownHash, 'same network, different hash');
    const knownSignature = signatureByHash.get(hash);
    if (knownSignature !== undefined) assert.equal(signature, knownSignature, 'same hash, different network');
    const text = JSON.stringify(genome);
    const knownGenome = genomeBySignature.get(signature);
    if (knownGenome !== undefined && knownGenome !== text) mergedGenomes++;
    hashBySignature.set(signature, hash);
    signatureByHash.set(hash, signature);
    genomeBySignature.set(signature, text);
  }
  return mergedGenomes;
}

describe('hash distinctness', () => {
  it('matches networks on default space samples', () => {
    checkHashesMatchNetworks(space, 1, 3000);
  });

  it('matches networks where many genomes collide', () => {
    // Three one-layer stride-1 blocks of base 4 (every multiplier gives width 4) that may be
    // removed, on a 4×4 input: many genomes build the same network.
    const crowded: SearchSpace = {
      inputShape: [4, 4, 1],
      numClasses: 2,
      stemFilters: 4,
      stemStride: 1,
      blocks: [
        { baseFilters: 4, baseLayers: 1, stride: 1 },
        { baseFilters: 4, baseLayers: 1, stride: 1 },
        { baseFilters: 4, baseLayers: 1, stride: 1 },
      ],
      headFilters: 8,
      allowEmptyBlocks: true,
    };
    const merged = checkHashesMatchNetworks(crowded, 2, 3000);
    assert.ok(merged > 100, `expected many equivalent genomes, saw ${merged}`);
  });
});
