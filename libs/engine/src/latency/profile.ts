import { cpus, hostname } from 'node:os';
import { z } from 'zod';
import { AkdError } from '@akd/core';
import { BACKEND_NAMES, type BackendInfo, type BackendName } from '../backend/init.js';
import type { FlopsFit } from './flops-fit.js';
import type { LatencyClock, TimingStats } from './timing.js';

/** Version of the {@link LatencyProfile} JSON layout; {@link parseLatencyProfile} accepts only this one. */
export const LATENCY_PROFILE_FORMAT_VERSION = 1;

/** Machine a profile was measured on. */
export interface DeviceInfo {
  /** Host name of the machine. */
  host: string;
  /** CPU model as the operating system reports it (`os.cpus()[0].model`). */
  cpuModel: string;
  /** Logical CPUs the operating system reports. */
  cpuCount: number;
  /** `process.platform`, for example `linux`. */
  platform: string;
  /** `process.arch`, for example `x64`. */
  arch: string;
  /** `process.version`, for example `v20.20.2`. */
  nodeVersion: string;
}

/** Timing settings a profile was measured with. */
export interface ProfileSettings {
  /** Forward passes discarded before timing each part. */
  warmupRuns: number;
  /** Timed forward passes per part. */
  runs: number;
  /** Clock of the timed runs. */
  clock: LatencyClock;
  /** Seed of the part weights, the key order and the genomes of the FLOPs fit. */
  seed: number;
}

/** A random student timed end to end while measuring a profile. */
export interface NetworkSample {
  /** Multiply-adds of the network for one image (`countFlops`). */
  flops: number;
  /** Median end-to-end time in milliseconds, timed like the parts. */
  latencyMs: number;
  /** Σ (entry − callOverheadMs) over the network's parts; null when a part has no entry. */
  partSumMs: number | null;
}

/**
 * Per-part latency table of one search space on one device and backend, as stored in JSON.
 * The table predicts a network's latency as `networkOverheadMs + Σ (entry.medianMs −
 * callOverheadMs)` over its parts: each part was timed in its own call, and each such call paid
 * `callOverheadMs` once, while a whole network pays `networkOverheadMs` once.
 */
export interface LatencyProfile {
  formatVersion: typeof LATENCY_PROFILE_FORMAT_VERSION;
  device: DeviceInfo;
  /** Backend the parts ran on, as {@link activeBackend} described it. */
  backend: BackendInfo;
  /** Input shape [height, width, channels] of the search space. */
  inputShape: [number, number, number];
  /** `spaceFingerprint` of the search space whose parts were enumerated. */
  spaceFingerprint: string;
  /** Version of @tensorflow/tfjs-core. */
  tfjsVersion: string;
  /** Start of the measurement, ISO 8601. */
  measuredAt: string;
  settings: ProfileSettings;
  /** Wall-clock time of the whole measurement in milliseconds. */
  durationMs: number;
  /** False when a time limit stopped the measurement before every part and network was timed. */
  complete: boolean;
  /** Parts that a time limit left unmeasured. */
  skippedKeys: number;
  /**
   * Median time in milliseconds of one timed call on a model without layers: `apply`, `tidy` and a
   * one-element readback.
   */
  callOverheadMs: number;
  /**
   * Time in milliseconds that a whole network adds to the sum of its parts: the median of
   * `latencyMs − partSumMs` over `networks`, or `callOverheadMs` when no network has a part sum.
   * It covers the call overhead and what parts timed alone miss, mainly caches that a whole
   * network's weights and activations no longer fit in. It is negative if parts timed alone
   * are slower than inside a network.
   */
  networkOverheadMs: number;
  /** Timing of each part, by the key of `enumerateLayerKeys`. */
  entries: Record<string, TimingStats>;
  /** Random students timed end to end, which give `networkOverheadMs` and `flopsFit`. */
  networks: NetworkSample[];
  /** Linear fit of `networks` latency against FLOPs; null with fewer than two distinct FLOPs counts. */
  flopsFit: FlopsFit | null;
}

const timingSchema = z.object({
  medianMs: z.number().nonnegative(),
  minMs: z.number().nonnegative(),
  maxMs: z.number().nonnegative(),
  runs: z.number().int().positive(),
});

const profileSchema = z.object({
  formatVersion: z.literal(LATENCY_PROFILE_FORMAT_VERSION),
  device: z.object({
    host: z.string(),
    cpuModel: z.string(),
    cpuCount: z.number().int().nonnegative(),
    platform: z.string(),
    arch: z.string(),
    nodeVersion: z.string(),
  }),
  backend: z.object({
    name: z.enum(BACKEND_NAMES),
    tfjsName: z.string(),
    threads: z.number().int().positive().optional(),
    simd: z.boolean().optional(),
  }),
  inputShape: z.tuple([
    z.number().int().positive(),
    z.number().int().positive(),
    z.number().int().positive(),
  ]),
  spaceFingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  tfjsVersion: z.string(),
  measuredAt: z.iso.datetime(),
  settings: z.object({
    warmupRuns: z.number().int().nonnegative(),
    runs: z.number().int().positive(),
    clock: z.enum(['wall', 'cpu']),
    seed: z.number().int(),
  }),
  durationMs: z.number().nonnegative(),
  complete: z.boolean(),
  skippedKeys: z.number().int().nonnegative(),
  callOverheadMs: z.number().nonnegative(),
  networkOverheadMs: z.number(),
  entries: z.record(z.string(), timingSchema),
  networks: z.array(
    z.object({
      flops: z.number().int().nonnegative(),
      latencyMs: z.number().nonnegative(),
      partSumMs: z.number().nullable(),
    }),
  ),
  flopsFit: z.object({ slopeMsPerFlop: z.number(), interceptMs: z.number(), r2: z.number() }).nullable(),
});

/**
 * Checks that `value` (for example the result of `JSON.parse`) is a {@link LatencyProfile} of the
 * current format and returns it typed.
 *
 * @throws AkdError INVALID_INPUT naming the first invalid field.
 */
export function parseLatencyProfile(value: unknown): LatencyProfile {
  const result = profileSchema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.length > 0 ? issue.path.join('.') : 'the profile';
    throw new AkdError('INVALID_INPUT', `Invalid latency profile: ${path}: ${issue.message}`, {
      path: issue.path.map(String),
    });
  }
  return result.data as LatencyProfile;
}

/** Returns a shape as `28×28×1`. */
export function formatShape(shape: readonly number[]): string {
  return shape.join('×');
}

/** Input shape and backend of an experiment, which {@link validateProfileFor} compares with a profile. */
export interface ProfileRequirements {
  /** Input shape [height, width, channels] of the experiment's dataset. */
  inputShape: readonly [number, number, number];
  /**
   * Backend the experiment's latencies must describe, for example `wasm`. A string, because
   * profiles uploaded from a browser may name backends that Node cannot run, such as `webgl`.
   */
  backend: string;
}

/**
 * Checks that `profile` was measured at the experiment's input resolution and on its backend.
 *
 * @throws AkdError INVALID_INPUT naming the profile's value and the requested one.
 */
export function validateProfileFor(profile: LatencyProfile, requirements: ProfileRequirements): void {
  const measured = formatShape(profile.inputShape);
  const requested = formatShape(requirements.inputShape);
  if (measured !== requested) {
    throw new AkdError(
      'INVALID_INPUT',
      `The latency profile was measured at input ${measured}, but the experiment uses input ${requested}. ` +
        `Measure a profile at ${requested} or choose another profile.`,
      { profileInputShape: profile.inputShape, inputShape: requirements.inputShape },
    );
  }
  if (profile.backend.name !== requirements.backend) {
    throw new AkdError(
      'INVALID_INPUT',
      `The latency profile was measured on the ${profile.backend.name} backend, but the experiment runs on ` +
        `the ${requirements.backend} backend. Measure a profile on ${requirements.backend} or choose another profile.`,
      { profileBackend: profile.backend.name, backend: requirements.backend },
    );
  }
}

/** Describes the machine this process runs on. */
export function describeDevice(): DeviceInfo {
  const cores = cpus();
  return {
    host: hostname(),
    cpuModel: cores[0]?.model.trim() ?? 'unknown',
    cpuCount: cores.length,
    platform: process.platform,
    arch: process.arch,
    nodeVersion: process.version,
  };
}

/** Returns a one-line description of a device, for example `AMD EPYC ×2 (linux x64, host-1)`. */
export function deviceLabel(device: DeviceInfo): string {
  return `${device.cpuModel} ×${device.cpuCount} (${device.platform} ${device.arch}, ${device.host})`;
}

/** Returns a one-line description of a backend, for example `wasm (SIMD, 1 thread)`. */
export function backendLabel(backend: BackendInfo): string {
  const traits: string[] = [];
  if (backend.simd !== undefined) traits.push(backend.simd ? 'SIMD' : 'no SIMD');
  if (backend.threads !== undefined)
    traits.push(`${backend.threads} thread${backend.threads === 1 ? '' : 's'}`);
  return traits.length > 0 ? `${backend.name} (${traits.join(', ')})` : backend.name;
}

/**
 * Fields of a `LatencyProfile` database row. `table` contains the whole profile so that
 * {@link latencyProfileFromRecord} restores it without loss, and the other columns copy
 * parts of it for queries.
 */
export interface LatencyProfileRecord {
  name: string;
  /** {@link deviceLabel} of the device. */
  device: string;
  /** Backend name, for example `wasm`. */
  backend: BackendName;
  inputShape: [number, number, number];
  table: LatencyProfile;
  /** Undefined when the profile has no fit, which leaves the nullable column empty. */
  flopsFit?: FlopsFit;
  measuredAt: Date;
  /** Kind of process that measured the profile: `worker` for Node processes, `browser` for a page. */
  source: 'worker' | 'browser';
}

/** Returns the database row fields that store `profile` under `name`. */
export function toLatencyProfileRecord(
  profile: LatencyProfile,
  name: string,
  source: LatencyProfileRecord['source'] = 'worker',
): LatencyProfileRecord {
  return {
    name,
    device: deviceLabel(profile.device),
    backend: profile.backend.name,
    inputShape: [...profile.inputShape],
    table: profile,
    flopsFit: profile.flopsFit ?? undefined,
    measuredAt: new Date(profile.measuredAt),
    source,
  };
}

/** Returns the profile stored in a database row's `table` column, checked with {@link parseLatencyProfile}. */
export function latencyProfileFromRecord(record: { table: unknown }): LatencyProfile {
  return parseLatencyProfile(record.table);
}
