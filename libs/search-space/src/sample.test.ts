import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Rng } from '@akd/core';

import { genomeHash } from './canonical.js';
import { BLOCK_CHOICES, choicesFromGenome, decisionsFor, genomeFromChoices } from './decisions.js';
import { mutateGenome, sampleGenome } from './sample.js';
import { defaultSearchSpace } from './space.js';
import { gene } from './test-fixtures.js';
import type { Genome, SearchSpace } from './types.js';
import { validateGenome } from './validate.js';

const space = defaultSearchSpace([28, 28, 1], 10);

function sampleMany(target: SearchSpace, seed: number, count: number): Genome[] {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => sampleGenome(target, rng));
}

function changedDecisions(target: SearchSpace, a: Genome, b: Genome): number[] {
  const before = choicesFromGenome(target, a);
  const after = choicesFromGenome(target, b);
  return before.flatMap((choice, index) => (choice === after[index] ? [] : [index]));
}

describe('sampleGenome', () => {
  it('repeats with the same seed', () => {
    assert.deepEqual(sampleMany(space, 42, 50), sampleMany(space, 42, 50));
  });

  it('differs across seeds', () => {
    assert.notDeepEqual(sampleMany(space, 42, 50), sampleMany(space, 43, 50));
  });

  it('resumes from saved Rng state', () => {
    const rng = new Rng(5);
    sampleGenome(space, rng);
    const resumed = new Rng(rng.state());
    assert.deepEqual(sampleGenome(space, resumed), sampleGenome(space, rng));
  });

  it('returns valid genomes covering every choice', () => {
    const genomes = sampleMany(space, 3, 600);
    for (const genome of genomes) validateGenome(space, genome);
    for (const [name, choices] of Object.entries(BLOCK_CHOICES)) {
      for (const choice of choices) {
        const seen = genomes.some((genome) =>
          genome.blocks.some((block) => block[name as keyof typeof block] === choice),
        );
        assert.ok(seen, `${name}=${choice} never sampled`);
      }
    }
  });
});

describe('mutateGenome', () => {
  it('changes exactly one decision and the hash', () => {
    const rng = new Rng(9);
    for (const parent of sampleMany(space, 8, 300)) {
      const child = mutateGenome(space, parent, rng);
      assert.equal(changedDecisions(space, parent, child).length, 1);
      assert.notEqual(genomeHash(space, child), genomeHash(space, parent));
    }
  });

  it('repeats with the same seed', () => {
    const parent = sampleMany(space, 4, 1)[0];
    assert.deepEqual(mutateGenome(space, parent, new Rng(1)), mutateGenome(space, parent, new Rng(1)));
  });

  it('leaves the parent unchanged', () => {
    const parent = sampleMany(space, 4, 1)[0];
    const copy = structuredClone(parent);
    mutateGenome(space, parent, new Rng(2));
    assert.deepEqual(parent, copy);
  });

  it('finds the few effective changes', () => {
    // Two one-layer blocks that are both removed: only their deltas change the network.
    const emptySpace: SearchSpace = {
      inputShape: [8, 8, 1],
      numClasses: 2,
      stemFilters: 8,
      stemStride: 1,
      blocks: [
        { baseFilters: 8, baseLayers: 1, stride: 1 },
        { baseFilters: 8, baseLayers: 1, stride: 1 },
      ],
      headFilters: 8,
      allowEmptyBlocks: true,
    };
    const parent = { blocks: [gene({ layerDelta: -1 }), gene({ layerDelta: -1 })] };
    const rng = new Rng(3);
    const names = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const child = mutateGenome(emptySpace, parent, rng);
      const [changed] = changedDecisions(emptySpace, parent, child);
      names.add(decisionsFor(emptySpace)[changed].name);
      assert.notEqual(genomeHash(emptySpace, child), genomeHash(emptySpace, parent));
    }
    assert.deepEqual([...names], ['layerDelta']);
  });
});

describe('decisions', () => {
  it('round trip through choice indices', () => {
    for (const genome of sampleMany(space, 6, 200)) {
      const choices = choicesFromGenome(space, genome);
      assert.equal(choices.length, 6 * space.blocks.length);
      assert.deepEqual(genomeFromChoices(space, choices), genome);
    }
  });

  it('list six decisions per block', () => {
    const decisions = decisionsFor(space);
    assert.equal(decisions.length, 30);
    assert.deepEqual(
      decisions.slice(0, 6).map((decision) => decision.name),
      ['op', 'kernelSize', 'seRatio', 'skip', 'filterMultiplier', 'layerDelta'],
    );
    assert.equal(decisions[29].block, 4);
  });
});
