import { createHash } from 'node:crypto';

import { AkdError, ensure } from '@akd/core';

import { BLOCK_CHOICES } from './decisions.js';
import { canonicalJson, formatValue, isPlainObject } from './json.js';
import type { BlockGene, BlockSkeleton, SearchSpace } from './types.js';

/**
 * Version of the rules that turn a genome into layers (widths, layer counts, skips, SE sizes).
 * It is part of {@link spaceFingerprint}, so bumping it after a rule change gives every genome a
 * new hash and keeps old results from being reused for a different network.
 */
export const SEARCH_SPACE_VERSION = 1;

/** Channel count that every block width is rounded to a multiple of. */
export const WIDTH_DIVISOR = 4;

const SPACE_FIELDS = [
  'inputShape',
  'numClasses',
  'stemFilters',
  'stemStride',
  'blocks',
  'headFilters',
  'allowEmptyBlocks',
] as const satisfies readonly (keyof SearchSpace)[];

const SKELETON_FIELDS = [
  'baseFilters',
  'baseLayers',
  'stride',
] as const satisfies readonly (keyof BlockSkeleton)[];

/**
 * Returns the output channels of every layer of block `block` for a filter multiplier: the
 * multiple of 4 nearest to `baseFilters × multiplier`, ties rounded up, and at least 4.
 */
export function blockWidth(
  space: SearchSpace,
  block: number,
  multiplier: BlockGene['filterMultiplier'],
): number {
  const scaled = space.blocks[block].baseFilters * multiplier;
  return Math.max(WIDTH_DIVISOR, Math.round(scaled / WIDTH_DIVISOR) * WIDTH_DIVISOR);
}

/**
 * Returns the number of layers of block `block` for a layer-count delta: `baseLayers + delta`,
 * except that a block without `allowEmptyBlocks` keeps at least one layer. A negative result
 * means the delta is invalid for this block; {@link validateGenome} rejects it.
 */
export function blockLayerCount(space: SearchSpace, block: number, delta: number): number {
  const count = space.blocks[block].baseLayers + delta;
  if (count === 0 && !space.allowEmptyBlocks) return 1;
  return count;
}

/** Feature-map height and width in pixels. */
export interface MapSize {
  /** Height in pixels. */
  height: number;
  /** Width in pixels. */
  width: number;
}

/**
 * Returns the feature-map size after the stem and after each block when every block has at least
 * one layer, which is the smallest size any genome reaches (a removed block also removes its
 * stride). Sizes use 'same' padding: out = ceil(in / stride).
 */
export function featureMapSizes(space: SearchSpace): { stem: MapSize; blocks: MapSize[] } {
  const [inputHeight, inputWidth] = space.inputShape;
  const stem = downsample({ height: inputHeight, width: inputWidth }, space.stemStride);
  const blocks: MapSize[] = [];
  let size = stem;
  for (const skeleton of space.blocks) {
    size = downsample(size, skeleton.stride);
    blocks.push(size);
  }
  return { stem, blocks };
}

function downsample(size: MapSize, stride: number): MapSize {
  return { height: Math.ceil(size.height / stride), width: Math.ceil(size.width / stride) };
}

/** Options of {@link defaultSearchSpace}. */
export interface DefaultSearchSpaceOptions {
  /** Whether a delta of -1 may remove the blocks that have one base layer (default false). */
  allowEmptyBlocks?: boolean;
}

/** Block skeletons of the default space for 28×28 and 32×32 inputs. */
const DEFAULT_BLOCKS: readonly BlockSkeleton[] = [
  { baseFilters: 16, baseLayers: 1, stride: 1 },
  { baseFilters: 24, baseLayers: 2, stride: 2 },
  { baseFilters: 40, baseLayers: 2, stride: 1 },
  { baseFilters: 80, baseLayers: 2, stride: 2 },
  { baseFilters: 96, baseLayers: 1, stride: 1 },
];
const DEFAULT_STEM_FILTERS = 16;
const DEFAULT_HEAD_FILTERS = 160;

/** Largest final feature-map side that the default space aims for, in pixels. */
const MAX_FINAL_SIDE = 8;
/** Smallest final feature-map side that the default space allows, in pixels. */
const MIN_FINAL_SIDE = 2;
/** Positions that get stride 2 for large inputs, in order, because earlier downsampling costs fewer FLOPs. */
const EXTRA_STRIDE_ORDER: readonly ('stem' | number)[] = ['stem', 0, 2, 4];
/** Blocks whose stride 2 the default space drops for inputs too small for the two default reductions. */
const REMOVABLE_STRIDE_ORDER: readonly number[] = [3, 1];

/**
 * Builds the default MnasNet-style space for an input of `inputShape` = [height, width,
 * channels] and `numClasses` classes: a 16-filter stem, five blocks with base widths 16, 24, 40,
 * 80, 96 and base layers 1, 2, 2, 2, 1, and a 160-filter head.
 *
 * Strides adapt to the resolution. 28×28 and 32×32 inputs get stem stride 1 and block strides
 * 1, 2, 1, 2, 1. For larger inputs stride 2 goes to the stem, then blocks 0, 2 and 4, until the
 * final map is at most 8×8 or another reduction would make it smaller than 2×2. Inputs with a
 * side below 5 pixels, which the two default reductions would shrink below 2×2, lose the stride
 * of block 3, then block 1.
 * NOTE: inputs larger than 512 pixels on a side use all six reductions and still end above 8×8.
 */
export function defaultSearchSpace(
  inputShape: readonly [number, number, number],
  numClasses: number,
  options: DefaultSearchSpaceOptions = {},
): SearchSpace {
  const [height, width, channels] = inputShape;
  ensure(
    Number.isInteger(height) &&
      Number.isInteger(width) &&
      height >= MIN_FINAL_SIDE &&
      width >= MIN_FINAL_SIDE,
    `The default search space needs an input of at least 2×2 pixels, got ${formatValue(height)}×${formatValue(width)}.`,
  );
  const space: SearchSpace = {
    inputShape: [height, width, channels],
    numClasses,
    stemFilters: DEFAULT_STEM_FILTERS,
    stemStride: 1,
    blocks: DEFAULT_BLOCKS.map((skeleton) => ({ ...skeleton })),
    headFilters: DEFAULT_HEAD_FILTERS,
    allowEmptyBlocks: options.allowEmptyBlocks ?? false,
  };

  for (const position of EXTRA_STRIDE_ORDER) {
    if (maxFinalSide(space) <= MAX_FINAL_SIDE) break;
    const candidate = withStride(space, position, 2);
    if (minFinalSide(candidate) < MIN_FINAL_SIDE) break;
    Object.assign(space, candidate);
  }
  for (const block of REMOVABLE_STRIDE_ORDER) {
    if (minFinalSide(space) >= MIN_FINAL_SIDE) break;
    Object.assign(space, withStride(space, block, 1));
  }

  validateSearchSpace(space);
  return space;
}

function finalSize(space: SearchSpace): MapSize {
  const { stem, blocks } = featureMapSizes(space);
  return blocks.length > 0 ? blocks[blocks.length - 1] : stem;
}

function maxFinalSide(space: SearchSpace): number {
  const size = finalSize(space);
  return Math.max(size.height, size.width);
}

function minFinalSide(space: SearchSpace): number {
  const size = finalSize(space);
  return Math.min(size.height, size.width);
}

function withStride(space: SearchSpace, position: 'stem' | number, stride: 1 | 2): SearchSpace {
  if (position === 'stem') return { ...space, stemStride: stride };
  const blocks = space.blocks.map((skeleton, index) =>
    index === position ? { ...skeleton, stride } : skeleton,
  );
  return { ...space, blocks };
}

function invalidSpace(message: string, details: Record<string, unknown> = {}): never {
  throw new AkdError('INVALID_INPUT', `Invalid search space: ${message}`, details);
}

function requireInteger(value: unknown, path: string, minimum: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    invalidSpace(`${path} is ${formatValue(value)}, but it must be an integer of at least ${minimum}.`, {
      path,
      value,
    });
  }
}

function requireStride(value: unknown, path: string): void {
  if (value !== 1 && value !== 2) {
    invalidSpace(`${path} is ${formatValue(value)}, but the allowed values are 1, 2.`, { path, value });
  }
}

function rejectUnknownFields(value: Record<string, unknown>, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      invalidSpace(`${path} has unknown field "${key}"; the allowed fields are ${allowed.join(', ')}.`, {
        path,
        key,
      });
    }
  }
}

/**
 * Checks that `space` is a well-formed search space and throws an INVALID_INPUT
 * {@link AkdError} naming the first bad field otherwise. Besides types and ranges it rejects
 * unknown fields and any stride-2 stem or block that would receive a map with a side of 1 pixel
 * when every block is present.
 */
export function validateSearchSpace(space: unknown): asserts space is SearchSpace {
  if (!isPlainObject(space)) invalidSpace(`expected an object, got ${formatValue(space)}.`);
  rejectUnknownFields(space, SPACE_FIELDS, 'the space');
  for (const field of SPACE_FIELDS) {
    if (!(field in space)) invalidSpace(`${field} is missing.`, { path: field });
  }

  const shape = space.inputShape;
  if (!Array.isArray(shape) || shape.length !== 3) {
    invalidSpace(`inputShape is ${formatValue(shape)}, but it must be [height, width, channels].`);
  }
  shape.forEach((value, index) => requireInteger(value, `inputShape[${index}]`, 1));
  requireInteger(space.numClasses, 'numClasses', 2);
  requireInteger(space.stemFilters, 'stemFilters', 1);
  requireStride(space.stemStride, 'stemStride');
  requireInteger(space.headFilters, 'headFilters', 1);
  if (typeof space.allowEmptyBlocks !== 'boolean') {
    invalidSpace(`allowEmptyBlocks is ${formatValue(space.allowEmptyBlocks)}, but it must be true or false.`);
  }

  const blocks = space.blocks;
  if (!Array.isArray(blocks) || blocks.length === 0) {
    invalidSpace(`blocks is ${formatValue(blocks)}, but it must be a non-empty array.`);
  }
  blocks.forEach((skeleton: unknown, index) => {
    const path = `blocks[${index}]`;
    if (!isPlainObject(skeleton))
      invalidSpace(`${path} is ${formatValue(skeleton)}, but it must be an object.`);
    rejectUnknownFields(skeleton, SKELETON_FIELDS, path);
    requireInteger(skeleton.baseFilters, `${path}.baseFilters`, 1);
    requireInteger(skeleton.baseLayers, `${path}.baseLayers`, 1);
    requireStride(skeleton.stride, `${path}.stride`);
  });

  checkStrides(space as unknown as SearchSpace);
}

/** Rejects a stride-2 stem or block whose input map has a side of 1 pixel, which it cannot downsample. */
function checkStrides(space: SearchSpace): void {
  const [inputHeight, inputWidth] = space.inputShape;
  const input = `${inputHeight}×${inputWidth}`;
  if (space.stemStride === 2 && Math.min(inputHeight, inputWidth) < 2) {
    invalidSpace(
      `stemStride is 2, but the input is ${input} and a stride-2 layer cannot downsample a side of 1 pixel. ` +
        'Set stemStride to 1 or use a larger input.',
      { path: 'stemStride' },
    );
  }
  let size = featureMapSizes(space).stem;
  space.blocks.forEach((skeleton, index) => {
    if (skeleton.stride === 2 && Math.min(size.height, size.width) < 2) {
      invalidSpace(
        `blocks[${index}].stride is 2, but the block receives a ${size.height}×${size.width} feature map ` +
          `(input ${input}) and a stride-2 layer cannot downsample a side of 1 pixel. ` +
          'Set the stride to 1 or use a larger input.',
        { path: `blocks[${index}].stride`, height: size.height, width: size.width },
      );
    }
    size = downsample(size, skeleton.stride);
  });
}

/**
 * Returns the sha256 hex digest of the space's canonical JSON together with
 * {@link SEARCH_SPACE_VERSION} and the decision choices, so two spaces share a fingerprint only
 * if every genome expands to the same network in both.
 */
export function spaceFingerprint(space: SearchSpace): string {
  validateSearchSpace(space);
  const payload = {
    version: SEARCH_SPACE_VERSION,
    choices: BLOCK_CHOICES,
    space: {
      inputShape: space.inputShape,
      numClasses: space.numClasses,
      stemFilters: space.stemFilters,
      stemStride: space.stemStride,
      blocks: space.blocks.map(({ baseFilters, baseLayers, stride }) => ({
        baseFilters,
        baseLayers,
        stride,
      })),
      headFilters: space.headFilters,
      allowEmptyBlocks: space.allowEmptyBlocks,
    },
  };
  return createHash('sha256').update(canonicalJson(payload)).digest('hex');
}

/**
 * Returns the number of distinct genomes (432 per block, so 432^5 for five blocks) as a bigint,
 * which stays exact beyond 2^53. Genomes that build the same network are counted separately.
 */
export function searchSpaceSize(space: SearchSpace): bigint {
  validateSearchSpace(space);
  const perBlock = Object.values(BLOCK_CHOICES).reduce(
    (product, choices) => product * BigInt(choices.length),
    1n,
  );
  return perBlock ** BigInt(space.blocks.length);
}
