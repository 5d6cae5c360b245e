import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '@akd/core';
import {
  BLOCK_CHOICES,
  countParams,
  defaultSearchSpace,
  expandGenome,
  sampleGenome,
  type BlockGene,
  type Genome,
} from '@akd/search-space';
import { buildStudent } from './student.js';

const space = defaultSearchSpace([28, 28, 1], 10);

before(async () => {
  await tf.setBackend('cpu');
});

function uniformGenome(gene: BlockGene): Genome {
  return { blocks: space.blocks.map(() => ({ ...gene })) };
}

describe('buildStudent', () => {
  it('covers every choice of every decision with matching params and shapes', () => {
    const base: BlockGene = {
      op: 'conv',
      kernelSize: 3,
      seRatio: 0,
      skip: 'none',
      filterMultiplier: 1,
      layerDelta: 0,
    };
    for (const [name, choices] of Object.entries(BLOCK_CHOICES)) {
      for (const choice of choices) {
        const genome = uniformGenome({ ...base, [name]: choice });
        const model = buildStudent(space, genome, 1);
        assert.equal(model.countParams(), countParams(space, genome), `${name}=${choice}`);
        const out = tf.tidy(
          () => (model.apply(tf.zeros([2, 28, 28, 1]), { training: true }) as tf.Tensor).shape,
        );
        assert.deepEqual(out, [2, 10], `${name}=${choice}`);
        model.dispose();
      }
    }
  });

  it('matches the plan for sampled genomes', () => {
    const rng = new Rng(11);
    for (let i = 0; i < 12; i++) {
      const genome = sampleGenome(space, rng);
      const model = buildStudent(space, genome, i);
      const plan = expandGenome(space, genome);
      assert.equal(model.countParams(), countParams(space, genome));
      const convs = model.layers.filter((l) => l.getClassName() === 'Conv2D').length;
      const expectedConvs =
        2 +
        plan.layers.reduce((sum, layer) => sum + (layer.op === 'conv' || layer.op === 'dconv' ? 1 : 2), 0);
      assert.equal(convs, expectedConvs);
      model.dispose();
    }
  });

  it('rejects an invalid genome with the block and value', () => {
    const genome = uniformGenome({
      op: 'conv',
      kernelSize: 4 as 3,
      seRatio: 0,
      skip: 'none',
      filterMultiplier: 1,
      layerDelta: 0,
    });
    assert.throws(() => buildStudent(space, genome, 1), /kernelSize.*4/);
  });
});
