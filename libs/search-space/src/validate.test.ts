import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AkdError } from '@akd/core';

import { expandGenome } from './plan.js';
import { defaultSearchSpace, validateSearchSpace } from './space.js';
import { gene, tinySpace } from './test-fixtures.js';
import type { SearchSpace } from './types.js';
import { parseGenome, validateGenome } from './validate.js';

/** Asserts that `run` throws an INVALID_INPUT AkdError whose message contains every fragment. */
function assertInvalid(run: () => unknown, fragments: string[]): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AkdError, `expected AkdError, got ${String(error)}`);
    assert.equal(error.code, 'INVALID_INPUT');
    for (const fragment of fragments) {
      assert.ok(error.message.includes(fragment), `message "${error.message}" lacks "${fragment}"`);
    }
    return true;
  });
}

const space = defaultSearchSpace([28, 28, 1], 10);

function validGenome(): { blocks: Record<string, unknown>[] } {
  return { blocks: space.blocks.map(() => ({ ...gene() })) };
}

describe('validateGenome', () => {
  it('accepts a valid genome', () => {
    assert.doesNotThrow(() => validateGenome(space, validGenome()));
  });

  it('rejects unknown op', () => {
    const genome = validGenome();
    genome.blocks[1].op = 'sepconv';
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[1].op', '"sepconv"', 'allowed values are "conv", "dconv", "mbconv3", "mbconv6"'],
    );
  });

  it('rejects kernel size 4', () => {
    const genome = validGenome();
    genome.blocks[2].kernelSize = 4;
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[2].kernelSize is 4', 'allowed values are 3, 5'],
    );
  });

  it('rejects kernel size given as text', () => {
    const genome = validGenome();
    genome.blocks[0].kernelSize = '3';
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[0].kernelSize is "3"', 'allowed values are 3, 5'],
    );
  });

  it('rejects delta giving negative layer count', () => {
    const genome = validGenome();
    // Block 0 has one base layer, so delta -2 would leave -1 layers.
    genome.blocks[0].layerDelta = -2;
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[0].layerDelta is -2', 'negative layer count (-1)', 'allowed values are -1, 0, 1'],
    );
  });

  it('rejects delta outside -1..1', () => {
    const genome = validGenome();
    genome.blocks[3].layerDelta = 2;
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[3].layerDelta is 2', 'allowed values are -1, 0, 1'],
    );
  });

  it('rejects other SE ratio, skip and multiplier', () => {
    const cases: [string, unknown, string][] = [
      ['seRatio', 0.5, 'allowed values are 0, 0.25'],
      ['skip', 'dense', 'allowed values are "none", "identity", "pool"'],
      ['filterMultiplier', 2, 'allowed values are 0.75, 1, 1.25'],
    ];
    for (const [field, value, allowed] of cases) {
      const genome = validGenome();
      genome.blocks[4][field] = value;
      assertInvalid(
        () => validateGenome(space, genome),
        [`blocks[4].${field} is ${JSON.stringify(value)}`, allowed],
      );
    }
  });

  it('rejects wrong number of blocks', () => {
    const genome = validGenome();
    genome.blocks.pop();
    assertInvalid(() => validateGenome(space, genome), ['expected 5 blocks', 'got 4']);
  });

  it('rejects extra field in a gene', () => {
    const genome = validGenome();
    genome.blocks[2].width = 32;
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[2] has unknown field "width"', 'op, kernelSize'],
    );
  });

  it('rejects extra field in the genome', () => {
    const genome = { ...validGenome(), score: 0.9 };
    assertInvalid(() => validateGenome(space, genome), ['unknown field "score"']);
  });

  it('rejects missing field', () => {
    const genome = validGenome();
    delete genome.blocks[3].skip;
    assertInvalid(
      () => validateGenome(space, genome),
      ['blocks[3].skip is missing', '"none", "identity", "pool"'],
    );
  });

  it('rejects non-object genome and blocks', () => {
    assertInvalid(() => validateGenome(space, null), ['expected an object', 'null']);
    assertInvalid(() => validateGenome(space, { blocks: 'all' }), ['"blocks" is "all"']);
    assertInvalid(() => validateGenome(space, { blocks: [1, 2, 3, 4, 5] }), ['blocks[0] is 1']);
  });

  it('rejects stride 2 on a 1×1 map', () => {
    // 4×4 input: stem stride 2 gives 2×2, block 0 gives 1×1, and block 1 cannot downsample it.
    const tooDeep = tinySpace({
      inputShape: [4, 4, 3],
      stemStride: 2,
      blocks: [
        { baseFilters: 8, baseLayers: 1, stride: 2 },
        { baseFilters: 8, baseLayers: 1, stride: 2 },
      ],
    });
    const genome = { blocks: [gene(), gene()] };
    assertInvalid(
      () => validateGenome(tooDeep, genome),
      ['blocks[1].stride is 2', 'receives a 1×1 feature map', 'input 4×4', 'Set the stride to 1'],
    );
    assertInvalid(() => expandGenome(tooDeep, genome), ['blocks[1].stride is 2']);
  });

  it('rejects strides exceeding input resolution', () => {
    const oneRow = tinySpace({ inputShape: [1, 16, 3], stemStride: 2 });
    assertInvalid(() => validateGenome(oneRow, { blocks: [gene()] }), ['stemStride is 2', 'input is 1×16']);
  });
});

describe('parseGenome', () => {
  it('parses JSON text into a fresh genome', () => {
    const text = JSON.stringify(validGenome());
    const genome = parseGenome(space, text);
    assert.deepEqual(genome, validGenome());
  });

  it('copies a parsed value', () => {
    const input = validGenome();
    const genome = parseGenome(space, input);
    assert.notEqual(genome.blocks[0], input.blocks[0]);
    assert.deepEqual(genome, input);
  });

  it('rejects text that is not JSON', () => {
    assertInvalid(() => parseGenome(space, '{"blocks": ['), ['not valid JSON']);
  });

  it('rejects JSON with a bad value', () => {
    const genome = validGenome();
    genome.blocks[1].op = 'mbconv4';
    assertInvalid(() => parseGenome(space, JSON.stringify(genome)), ['blocks[1].op is "mbconv4"']);
  });
});

describe('validateSearchSpace', () => {
  it('accepts default spaces', () => {
    for (const side of [2, 5, 28, 32, 64, 224, 1024]) {
      assert.doesNotThrow(() => validateSearchSpace(defaultSearchSpace([side, side, 3], 10)), `side ${side}`);
    }
  });

  it('rejects bad fields', () => {
    const cases: [Partial<Record<keyof SearchSpace, unknown>>, string][] = [
      [{ numClasses: 1 }, 'numClasses is 1, but it must be an integer of at least 2'],
      [{ stemStride: 3 }, 'stemStride is 3, but the allowed values are 1, 2'],
      [{ headFilters: 0 }, 'headFilters is 0'],
      [{ inputShape: [8, 8] }, 'inputShape is [8,8]'],
      [{ inputShape: [8, 8.5, 3] }, 'inputShape[1] is 8.5'],
      [{ allowEmptyBlocks: 'yes' }, 'allowEmptyBlocks is "yes"'],
      [{ blocks: [] }, 'blocks is [], but it must be a non-empty array'],
      [{ blocks: [{ baseFilters: 8, baseLayers: 0, stride: 1 }] }, 'blocks[0].baseLayers is 0'],
      [
        { blocks: [{ baseFilters: 8, baseLayers: 1, stride: 1, expand: 6 }] },
        'blocks[0] has unknown field "expand"',
      ],
    ];
    for (const [fields, fragment] of cases) {
      assertInvalid(
        () => validateSearchSpace({ ...tinySpace(), ...fields }),
        ['Invalid search space', fragment],
      );
    }
  });

  it('rejects unknown and missing fields', () => {
    assertInvalid(() => validateSearchSpace({ ...tinySpace(), dropout: 0.2 }), ['unknown field "dropout"']);
    const { headFilters: _headFilters, ...withoutHead } = tinySpace();
    assertInvalid(() => validateSearchSpace(withoutHead), ['headFilters is missing']);
  });
});
