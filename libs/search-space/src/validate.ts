import { AkdError } from '@akd/core';

import { BLOCK_CHOICES, DECISION_NAMES } from './decisions.js';
import { formatValue, isPlainObject } from './json.js';
import { validateSearchSpace } from './space.js';
import type { BlockGene, Genome, SearchSpace } from './types.js';

function invalidGenome(message: string, details: Record<string, unknown> = {}): never {
  throw new AkdError('INVALID_INPUT', `Invalid genome: ${message}`, details);
}

function allowedValues(name: keyof BlockGene): string {
  return BLOCK_CHOICES[name].map((choice) => formatValue(choice)).join(', ');
}

/**
 * Checks `genome` against `space` and throws an INVALID_INPUT {@link AkdError} otherwise. The
 * message names the block, the field, the bad value and the allowed values. Rejected: a space
 * that {@link validateSearchSpace} rejects (including strides that exceed the input
 * resolution), a block count that differs from the space, missing or unknown fields, and values
 * outside `BLOCK_CHOICES` (an unknown op, kernel size 4, a layer delta that is not -1, 0 or 1).
 */
export function validateGenome(space: SearchSpace, genome: unknown): asserts genome is Genome {
  validateSearchSpace(space);

  if (!isPlainObject(genome)) {
    invalidGenome(`expected an object with a "blocks" array, got ${formatValue(genome)}.`);
  }
  for (const key of Object.keys(genome)) {
    if (key !== 'blocks')
      invalidGenome(`unknown field "${key}"; a genome has only the field "blocks".`, { key });
  }
  const blocks = genome.blocks;
  if (!Array.isArray(blocks)) {
    invalidGenome(`"blocks" is ${formatValue(blocks)}, but it must be an array with one gene per block.`);
  }
  if (blocks.length !== space.blocks.length) {
    invalidGenome(
      `expected ${space.blocks.length} blocks (one per block of the search space), got ${blocks.length}.`,
      {
        expected: space.blocks.length,
        actual: blocks.length,
      },
    );
  }

  blocks.forEach((gene: unknown, block) => validateGene(space, gene, block));
}

function validateGene(space: SearchSpace, gene: unknown, block: number): void {
  const path = `blocks[${block}]`;
  if (!isPlainObject(gene))
    invalidGenome(`${path} is ${formatValue(gene)}, but it must be an object.`, { block });

  for (const key of Object.keys(gene)) {
    if (!(DECISION_NAMES as string[]).includes(key)) {
      invalidGenome(
        `${path} has unknown field "${key}"; the allowed fields are ${DECISION_NAMES.join(', ')}.`,
        {
          block,
          field: key,
        },
      );
    }
  }

  for (const name of DECISION_NAMES) {
    const value = gene[name];
    if (!(name in gene) || value === undefined) {
      invalidGenome(`${path}.${name} is missing; the allowed values are ${allowedValues(name)}.`, {
        block,
        field: name,
      });
    }
    if ((BLOCK_CHOICES[name] as readonly unknown[]).includes(value)) continue;

    const details = { block, field: name, value };
    if (name === 'layerDelta' && typeof value === 'number' && space.blocks[block].baseLayers + value < 0) {
      const count = space.blocks[block].baseLayers + value;
      invalidGenome(
        `${path}.layerDelta is ${formatValue(value)}, which would give block ${block} a negative layer count ` +
          `(${count}); the allowed values are ${allowedValues(name)}.`,
        details,
      );
    }
    invalidGenome(
      `${path}.${name} is ${formatValue(value)}, but the allowed values are ${allowedValues(name)}.`,
      details,
    );
  }
}

/**
 * Parses an untrusted genome, given as JSON text or as an already parsed value, and returns a
 * fresh {@link Genome} that shares no objects with the input. Throws an INVALID_INPUT
 * {@link AkdError} for text that is not JSON and for everything {@link validateGenome} rejects.
 */
export function parseGenome(space: SearchSpace, json: unknown): Genome {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new AkdError(
        'INVALID_INPUT',
        `Invalid genome: the text is not valid JSON (${(error as Error).message}).`,
        {},
        {
          cause: error,
        },
      );
    }
  }
  validateGenome(space, value);
  return copyGenome(value);
}

/** Returns a deep copy of `genome` with the gene fields in decision order. */
export function copyGenome(genome: Genome): Genome {
  return {
    blocks: genome.blocks.map((gene) => ({
      op: gene.op,
      kernelSize: gene.kernelSize,
      seRatio: gene.seRatio,
      skip: gene.skip,
      filterMultiplier: gene.filterMultiplier,
      layerDelta: gene.layerDelta,
    })),
  };
}
