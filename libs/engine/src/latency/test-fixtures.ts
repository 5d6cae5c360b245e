// Spaces and profiles shared by the latency tests of this folder, the runner, the worker and the
// API; not exported from the package.
import { spaceFingerprint, type BlockGene, type SearchSpace } from '@akd/search-space';
import type { FlopsFit } from './flops-fit.js';
import { enumerateLayerKeys } from './keys.js';
import { LATENCY_PROFILE_FORMAT_VERSION, type LatencyProfile } from './profile.js';
import type { TimingStats } from './timing.js';

/**
 * Returns a space with two one-layer blocks on an 8×8×1 input, a 4-filter stem, an 8-filter head
 * and 3 classes. Block 0 has 4 filters and stride 1, and every multiplier rounds to width 4.
 * Block 1 has 8 filters and stride 2, so widths 8 and 12. The space has 180 parts: 1 stem,
 * 48 + 32 + 96 layers, 2 heads and 1 classifier.
 */
export function twoBlockSpace(): SearchSpace {
  return {
    inputShape: [8, 8, 1],
    numClasses: 3,
    stemFilters: 4,
    stemStride: 1,
    blocks: [
      { baseFilters: 4, baseLayers: 1, stride: 1 },
      { baseFilters: 8, baseLayers: 1, stride: 2 },
    ],
    headFilters: 8,
    allowEmptyBlocks: false,
  };
}

/** Builds a gene of conv, kernel 3, no SE, no skip, multiplier 1 and delta 0, overridden by `fields`. */
export function gene(fields: Partial<BlockGene> = {}): BlockGene {
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

/** Returns timing stats whose median, minimum and maximum are all `ms`. */
export function stats(ms: number): TimingStats {
  return { medianMs: ms, minMs: ms, maxMs: ms, runs: 1 };
}

/**
 * Builds a complete wasm profile of `space` with the given entries, a call overhead of
 * `callOverheadMs` and a network overhead of `networkOverheadMs`, measured on a fixed date.
 */
export function handProfile(
  space: SearchSpace,
  entries: Record<string, TimingStats>,
  callOverheadMs: number,
  networkOverheadMs = callOverheadMs,
): LatencyProfile {
  return {
    formatVersion: LATENCY_PROFILE_FORMAT_VERSION,
    device: {
      host: 'test-host',
      cpuModel: 'Test CPU',
      cpuCount: 2,
      platform: 'linux',
      arch: 'x64',
      nodeVersion: 'v20.0.0',
    },
    backend: { name: 'wasm', tfjsName: 'wasm', threads: 1, simd: true },
    inputShape: [...space.inputShape],
    spaceFingerprint: spaceFingerprint(space),
    tfjsVersion: '4.22.0',
    measuredAt: '2025-01-02T03:04:05.000Z',
    settings: { warmupRuns: 1, runs: 1, clock: 'wall', seed: 1 },
    durationMs: 10,
    complete: true,
    skippedKeys: 0,
    callOverheadMs,
    networkOverheadMs,
    entries,
    networks: [],
    flopsFit: null,
  };
}

/** FLOPs fit of {@link syntheticProfile}: 0.3 ms plus 0.02 ms per million multiply-adds. */
export const SYNTHETIC_FLOPS_FIT: FlopsFit = { slopeMsPerFlop: 2e-8, interceptMs: 0.3, r2: 0.95 };

/** Options of {@link syntheticProfile}. */
export interface SyntheticProfileOptions {
  /** FLOPs fit; {@link SYNTHETIC_FLOPS_FIT} by default, null for none. */
  flopsFit?: FlopsFit | null;
  /** Keys of `space` to leave out of the table. */
  omitKeys?: readonly string[];
}

/**
 * Builds a complete wasm profile of `space` without timing anything. Every part that
 * `enumerateLayerKeys` lists gets a latency from 0.01 to 0.2 ms derived from a hash of its key.
 * So predictions differ between genomes and are the same on every run. The call overhead is
 * 0.005 ms and the network overhead 0.1 ms.
 */
export function syntheticProfile(space: SearchSpace, options: SyntheticProfileOptions = {}): LatencyProfile {
  const omitted = new Set(options.omitKeys ?? []);
  const entries: Record<string, TimingStats> = {};
  for (const { key } of enumerateLayerKeys(space)) {
    if (!omitted.has(key)) entries[key] = stats(0.01 + 0.19 * (hashKey(key) / 0xffffffff));
  }
  return {
    ...handProfile(space, entries, 0.005, 0.1),
    flopsFit: options.flopsFit === undefined ? SYNTHETIC_FLOPS_FIT : options.flopsFit,
  };
}

/** Returns the 32-bit FNV-1a hash of `key`. */
function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
